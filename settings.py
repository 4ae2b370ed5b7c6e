"""The service's own settings from the environment, each checked and named at start.

A wrong setting stops the service before it serves anything, with a
SettingsError whose message starts with the setting's name; the `flask`
command shows that one line (see app.py).
"""

import math
from email.utils import getaddresses, parseaddr


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
FALSE_WORDS = ("", "0", "false", "no")


def mail_settings(env):
    """Outgoing and incoming mail settings from the environment mapping `env`;
    without SMTP_HOST the worker keeps every email in the outbox."""
    values = {
        "SMTP_HOST": env.get("SMTP_HOST") or None,
        "SMTP_USER": env.get("SMTP_USER") or None,
        "SMTP_PASSWORD": env.get("SMTP_PASSWORD") or None,
        "SMTP_STARTTLS": _flag("SMTP_STARTTLS", env.get("SMTP_STARTTLS")),
        "MAIL_FROM": env.get("MAIL_FROM") or "casepath <casepath@localhost>",
        "REPLY_ADDRESS": env.get("REPLY_ADDRESS") or None,
        "MAIL_GROUP_ADDRESSES": group_addresses(env.get("MAIL_GROUP_ADDRESSES") or ""),
    }
    for name, (_whole, default, _lowest, _highest) in NUMBERS.items():
        values[name] = env.get(name) or default
    return values


def group_addresses(text):
    """{"Support": "support@vendor.example"} from `Support=support@...;Triage=...`
    (each group may have several addresses, split by commas)."""
    groups = {}
    for part in filter(str.strip, text.split(";")):
        name, equals, addresses = part.partition("=")
        if not equals or not name.strip():
            raise SettingsError(
                f"MAIL_GROUP_ADDRESSES: {part.strip()!r} is not written "
                "Group=address[,address]"
            )
        for address in addresses.split(","):
            _address("MAIL_GROUP_ADDRESSES", address, f"for {name.strip()}", True)
        groups[name.strip()] = addresses.strip()
    return groups


def check_addresses(config):
    """Raise SettingsError, naming the setting, for a sender or reply address
    that is not one email address, or managers' addresses that are not
    addresses (a group name, without @, is looked up when sending)."""
    _address("MAIL_FROM", config.get("MAIL_FROM") or "", allow_name=True)
    if config.get("REPLY_ADDRESS"):
        _address("REPLY_ADDRESS", config["REPLY_ADDRESS"])
    managers = config.get("SLA_NOTIFY_MANAGERS")
    if isinstance(managers, str) and "@" in managers:
        for address in managers.split(","):
            _address("SLA_NOTIFY_MANAGERS", address, allow_name=True)


def _address(setting, text, where="", allow_name=False):
    name, address = parseaddr(text.strip())
    local, at, domain = address.rpartition("@")
    several = len(getaddresses([text])) > 1
    if several or not (at and local and domain) or (name and not allow_name):
        place = f" {where}" if where else ""
        raise SettingsError(f"{setting}: {text.strip()!r}{place} is not an address")
    return address


def _flag(setting, text):
    word = (text or "").strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise SettingsError(f"{setting}: {text!r} is not 1 or 0 (true or false)")


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
