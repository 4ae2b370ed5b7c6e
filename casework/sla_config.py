"""Service-level settings: the business calendar and the targets per priority.

`SLA_CALENDAR` and `SLA_TARGETS` hold the settings (defaults below, environment
overrides from `settings_from_environment`); `init_app` reads and checks them
when the service starts and refuses to start, naming the setting, when one is
wrong. Targets are business time: `90m`, `4h`, or `3d` where a day is one
working day of the calendar (8 hours with 09:00-17:00), at most LONGEST_TARGET_DAYS
of them; a response target is never longer than its resolution target.
"""

import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import current_app

from models.case import PRIORITY_RANK
from settings import SettingsError

from .business_hours import BusinessCalendar, parse_holiday, parse_hours

TARGETS = ("response", "resolution")
DEFAULT_CALENDAR = {
    "timezone": "Europe/London",
    "workdays": "Mon-Fri",
    "hours": "09:00-17:00",
    "holidays": [],
}
DEFAULT_TARGETS = {
    "Critical": {"response": "1h", "resolution": "1d"},
    "High": {"response": "4h", "resolution": "3d"},
    "Medium": {"response": "1d", "resolution": "10d"},
    "Low": {"response": "2d", "resolution": "20d"},
}
# Where notices to managers go: a name in MAIL_GROUP_ADDRESSES, or an address.
DEFAULT_MANAGERS = "Managers"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_NAMES = tuple(
    f"{day}day" for day in ("mon", "tues", "wednes", "thurs", "fri", "satur", "sun")
)
SPAN = re.compile(r"(\d+(?:\.\d+)?)\s*([mhd])")
UNIT_SECONDS = {"m": 60, "h": 3600}
# About a working year: a target longer than that is a typing slip, and keeping
# targets bounded keeps every due time within reach of the calendar.
LONGEST_TARGET_DAYS = 250
# A working day shorter than this is a typo, not a calendar (09:00-09:01).
SHORTEST_DAY_MINUTES = 60
CALENDAR_VARIABLES = {
    "timezone": "SLA_TIMEZONE",
    "workdays": "SLA_WORKDAYS",
    "hours": "SLA_HOURS",
    "holidays": "SLA_HOLIDAYS",
}


class ServiceLevelConfigError(SettingsError):
    """A service-level setting the service cannot work with."""


@dataclass(frozen=True)
class ServiceLevels:
    """The checked settings: calendar, {priority: {target: seconds}}, managers."""

    calendar: BusinessCalendar
    targets: dict
    managers: str


def settings_from_environment(env):
    """SLA_* configuration from environment variables over the defaults."""
    calendar = dict(DEFAULT_CALENDAR)
    calendar.update(
        {key: env[name] for key, name in CALENDAR_VARIABLES.items() if name in env}
    )
    return {
        "SLA_CALENDAR": calendar,
        "SLA_TARGETS": env.get("SLA_TARGETS") or DEFAULT_TARGETS,
        "SLA_NOTIFY_MANAGERS": env.get("SLA_NOTIFY_MANAGERS") or DEFAULT_MANAGERS,
    }


def init_app(app):
    """Check the app's SLA_* settings and keep them; refuse bad ones at start."""
    config = app.config
    calendar = read_calendar(config.get("SLA_CALENDAR") or DEFAULT_CALENDAR)
    targets = read_targets(config.get("SLA_TARGETS") or DEFAULT_TARGETS, calendar)
    managers = config.get("SLA_NOTIFY_MANAGERS") or DEFAULT_MANAGERS
    if not isinstance(managers, str):
        raise ServiceLevelConfigError("SLA_NOTIFY_MANAGERS must be a name or address")
    app.extensions["casepath.sla"] = ServiceLevels(calendar, targets, managers)


def service_levels():
    """The running app's checked service-level settings."""
    return current_app.extensions["casepath.sla"]


def read_calendar(settings):
    """A BusinessCalendar from {"timezone", "workdays", "hours", "holidays"}."""
    if not isinstance(settings, dict):
        raise ServiceLevelConfigError(
            'SLA_CALENDAR must map "timezone", "workdays", "hours" and "holidays"'
        )
    settings = {**DEFAULT_CALENDAR, **settings}
    unknown = set(settings) - set(DEFAULT_CALENDAR)
    if unknown:
        raise ServiceLevelConfigError(f"SLA_CALENDAR: unknown {', '.join(unknown)}")
    readers = {
        "timezone": _zone,
        "workdays": _workdays,
        "hours": _hours,
        "holidays": _holidays,
    }
    values = {}
    for key, read in readers.items():
        try:
            values[key] = read(settings[key])
        except (ValueError, TypeError) as error:
            setting = f"{CALENDAR_VARIABLES[key]} (SLA_CALENDAR {key})"
            raise ServiceLevelConfigError(f"{setting}: {error}") from None
    opens, closes = values["hours"]
    return BusinessCalendar(
        zone=values["timezone"],
        workdays=frozenset(values["workdays"]),
        opens=opens,
        closes=closes,
        holidays=frozenset(values["holidays"]),
    )


def _hours(value):
    opens, closes = parse_hours(str(value))
    if opens >= closes:
        raise ValueError(f"working hours {value!r} close before they open")
    if closes - opens < SHORTEST_DAY_MINUTES:
        raise ValueError(
            f"working hours {value!r} are shorter than {SHORTEST_DAY_MINUTES} minutes"
        )
    return opens, closes


def read_targets(settings, calendar):
    """{priority: {"response": seconds, "resolution": seconds}} over the defaults,
    from a mapping or from text like `Critical=1h/1d;Low=2d/20d`."""
    if isinstance(settings, str):
        settings = _targets_text(settings)
    if not isinstance(settings, dict):
        raise ServiceLevelConfigError("SLA_TARGETS must map priorities to targets")
    unknown = set(settings) - set(PRIORITY_RANK)
    if unknown:
        raise ServiceLevelConfigError(
            f"SLA_TARGETS: unknown priority {', '.join(sorted(unknown))} "
            f"(the priorities are {', '.join(PRIORITY_RANK)})"
        )
    targets = {}
    for priority, defaults in DEFAULT_TARGETS.items():
        given = settings.get(priority, {})
        if not isinstance(given, dict) or set(given) - set(TARGETS):
            raise ServiceLevelConfigError(
                f"SLA_TARGETS: {priority} takes only {' and '.join(TARGETS)}"
            )
        written = {target: given.get(target, defaults[target]) for target in TARGETS}
        spans = {
            target: _span(value, calendar, priority)
            for target, value in written.items()
        }
        if spans["response"] > spans["resolution"]:
            raise ServiceLevelConfigError(
                f"SLA_TARGETS: {priority} response target {written['response']!r} "
                f"is longer than its resolution target {written['resolution']!r}"
            )
        targets[priority] = spans
    return targets


def _targets_text(text):
    settings = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        priority, sep, spans = part.partition("=")
        response, slash, resolution = spans.partition("/")
        if not (sep and slash):
            raise ServiceLevelConfigError(
                f"SLA_TARGETS: {part!r} is not written Priority=response/resolution"
            )
        if priority.strip() in settings:
            raise ServiceLevelConfigError(
                f"SLA_TARGETS: {priority.strip()} is given twice"
            )
        settings[priority.strip()] = {
            "response": response.strip(),
            "resolution": resolution.strip(),
        }
    return settings


def _span(value, calendar, priority):
    """Seconds of business time in `value`: a number of hours, or `2d`, `4h`, `30m`."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        seconds = float(value) * 3600
    else:
        match = SPAN.fullmatch(str(value).strip().lower())
        if match is None:
            raise ServiceLevelConfigError(
                f"SLA_TARGETS: {priority} target {value!r} is not like 90m, 4h or 3d"
            )
        number, unit = float(match.group(1)), match.group(2)
        size = calendar.day_seconds if unit == "d" else UNIT_SECONDS[unit]
        seconds = number * size
    if not seconds > 0:
        raise ServiceLevelConfigError(f"SLA_TARGETS: {priority} target must be > 0")
    if not seconds <= LONGEST_TARGET_DAYS * calendar.day_seconds:
        raise ServiceLevelConfigError(
            f"SLA_TARGETS: {priority} target {value!r} is longer than "
            f"{LONGEST_TARGET_DAYS} business days"
        )
    return seconds


def _zone(name):
    try:
        return ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r}") from None


def _workdays(value):
    """Weekday numbers from `Mon-Fri`, `Mon,Wed,Fri` or a list of names/numbers."""
    parts = value.split(",") if isinstance(value, str) else list(value)
    days = set()
    for part in parts:
        if isinstance(part, int) and not isinstance(part, bool) and 0 <= part <= 6:
            days.add(part)
            continue
        first, sep, last = str(part).strip().lower().partition("-")
        start = _weekday(first, value)
        end = _weekday(last, value) if sep else start
        # A range may run over the weekend's end: Sun-Thu is Sunday to Thursday.
        days.update(day % 7 for day in range(start, start + (end - start) % 7 + 1))
    if not days:
        raise ValueError("there must be at least one working day")
    return days


def _weekday(name, value):
    name = name.strip()
    for number, short in enumerate(WEEKDAYS):
        if name == short or name == WEEKDAY_NAMES[number]:
            return number
    raise ValueError(f"working days {value!r} are not like Mon-Fri or Mon,Wed,Fri")


def _holidays(value):
    parts = value.split(",") if isinstance(value, str) else list(value)
    return {parse_holiday(str(part)) for part in parts if str(part).strip()}
