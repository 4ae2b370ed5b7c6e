"""The service's own settings from the environment, each checked and named at start.

A wrong setting stops the service before it serves anything, with a
SettingsError whose message starts with the setting's name; the `flask`
command shows that one line (see app.py).
"""

import math


class SettingsError(ValueError):
    """A setting the service cannot start with; the message names the setting."""


# name: (whole number or not, default, lowest, highest). Upper bounds keep every
# later sum of times within what a datetime can hold.
NUMBERS = {
    "SMTP_PORT": (True, 25, 1, 65535),
    "SMTP_TIMEOUT": (False, 60, 1, 3600),
    "MAIL_MAX_ATTEMPTS": (True, 8, 1, 100),
    "MAIL_RETRY_SECONDS": (False, 60, 1, 6 * 3600),
    "MAIL_SENDING_TIMEOUT": (False, 600, 60, 7 * 24 * 3600),
}
TRUE_WORDS = ("1", "true", "yes")


def mail_settings(env):
    """Outgoing and incoming mail settings from the environment mapping `env`;
    without SMTP_HOST the worker keeps every email in the outbox."""
    values = {
        "SMTP_HOST": env.get("SMTP_HOST") or None,
        "SMTP_USER": env.get("SMTP_USER") or None,
        "SMTP_PASSWORD": env.get("SMTP_PASSWORD") or None,
        "SMTP_STARTTLS": (env.get("SMTP_STARTTLS") or "").lower() in TRUE_WORDS,
        "MAIL_FROM": env.get("MAIL_FROM") or "casepath <casepath@localhost>",
        "REPLY_ADDRESS": env.get("REPLY_ADDRESS") or None,
        "MAIL_GROUP_ADDRESSES": group_addresses(env.get("MAIL_GROUP_ADDRESSES") or ""),
    }
    for name, (_whole, default, _lowest, _highest) in NUMBERS.items():
        values[name] = env.get(name) or default
    return values


def group_addresses(text):
    """{"Support": "support@vendor.example"} from `Support=support@...;Triage=...`."""
    pairs = (part.partition("=") for part in text.split(";") if part.strip())
    return {name.strip(): address.strip() for name, _, address in pairs}


def check_numbers(config):
    """Turn each numeric setting of `config` (text from the environment, or a
    number) into a number within its range, or raise SettingsError naming it."""
    for name, (whole, _default, lowest, highest) in NUMBERS.items():
        config[name] = number(name, config[name], whole, lowest, highest)


def number(name, value, whole, lowest, highest):
    """`value` as an int (`whole`) or float from `lowest` to `highest`."""
    kind = "a whole number" if whole else "a number"
    if isinstance(value, bool):
        raise SettingsError(f"{name}: {value!r} is not {kind}")
    try:
        read = int(str(value).strip()) if whole else float(value)
    except (TypeError, ValueError):
        raise SettingsError(f"{name}: {value!r} is not {kind}") from None
    if not (math.isfinite(read) and lowest <= read <= highest):
        raise SettingsError(f"{name}: {value!r} is not from {lowest} to {highest}")
    return read
