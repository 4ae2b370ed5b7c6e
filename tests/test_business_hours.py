"""Business-hour arithmetic: weekends, holidays, time outside hours, clock changes,
and the service-level settings the service refuses to start with."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app import create_app
from casework.business_hours import (
    BusinessCalendar,
    add_business_seconds,
    business_seconds,
    subtract_business_seconds,
)
from casework.sla_config import (
    ServiceLevelConfigError,
    read_calendar,
    read_targets,
    service_levels,
    settings_from_environment,
)

HOUR = 3600
LONDON = ZoneInfo("Europe/London")
# Mon-Fri 09:00-17:00 in London, with the Easter 2024 bank holidays.
EASTER = frozenset({date(2024, 3, 29), date(2024, 4, 1)})
CALENDAR = BusinessCalendar(zone=LONDON, holidays=EASTER)
EVERY_DAY_MORNINGS = BusinessCalendar(
    zone=LONDON, workdays=frozenset(range(7)), opens=0, closes=12 * 60
)


def london(*args):
    return datetime(*args, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [
        (london(2024, 3, 4, 10), london(2024, 3, 4, 12, 30), 2.5),
        # Friday 16:00 to Monday 10:00: an hour each side of the weekend.
        (london(2024, 3, 8, 16), london(2024, 3, 11, 10), 2),
        # Monday to Monday: five working days.
        (london(2024, 3, 4, 9), london(2024, 3, 11, 9), 40),
        # Before opening, after closing, and a whole weekend count nothing.
        (london(2024, 3, 4, 7), london(2024, 3, 4, 9), 0),
        (london(2024, 3, 4, 17, 30), london(2024, 3, 5, 8, 59), 0),
        (london(2024, 3, 9, 8), london(2024, 3, 10, 20), 0),
        (london(2024, 3, 4, 7), london(2024, 3, 4, 9, 30), 0.5),
        # Good Friday and Easter Monday are skipped: Thursday 16:00 to Tuesday.
        (london(2024, 3, 28, 16), london(2024, 4, 2, 10), 2),
        (london(2024, 4, 1, 9), london(2024, 4, 1, 17), 0),
        # An end before the start counts nothing.
        (london(2024, 3, 5, 12), london(2024, 3, 4, 12), 0),
    ],
)
def test_business_seconds_between_two_moments(start, end, hours):
    assert business_seconds(CALENDAR, start, end) == hours * HOUR


def test_working_hours_follow_the_local_clock_across_a_clock_change():
    # London moves to BST on Sunday 30 March 2025: Monday opens at 08:00 UTC.
    friday = datetime(2025, 3, 28, 16, tzinfo=UTC)  # 16:00 GMT
    monday = datetime(2025, 3, 31, 8, 30, tzinfo=UTC)  # 09:30 BST
    utc = BusinessCalendar(zone=ZoneInfo("UTC"))

    assert business_seconds(CALENDAR, friday, monday) == 1.5 * HOUR
    assert business_seconds(utc, friday, monday) == 1 * HOUR


@pytest.mark.parametrize(
    ("day", "hours"),
    [(date(2024, 3, 31), 11), (date(2024, 10, 27), 13), (date(2024, 3, 30), 12)],
)
def test_a_working_day_on_which_the_clocks_change_counts_real_time(day, hours):
    start = london(day.year, day.month, day.day)
    end = start + timedelta(days=1)

    assert business_seconds(EVERY_DAY_MORNINGS, start, end) == hours * HOUR


@pytest.mark.parametrize(
    ("start", "hours", "expected"),
    [
        (london(2024, 3, 4, 10), 2, london(2024, 3, 4, 12)),
        (london(2024, 3, 8, 16), 2, london(2024, 3, 11, 10)),
        # From outside hours the clock starts when the next working day opens.
        (london(2024, 3, 9, 12), 1, london(2024, 3, 11, 10)),
        (london(2024, 3, 4, 18), 8, london(2024, 3, 5, 17)),
        # Exactly a day's worth ends at closing time, not at the next opening.
        (london(2024, 3, 4, 9), 8, london(2024, 3, 4, 17)),
        # Over the bank holiday and over the clock change.
        (london(2024, 3, 28, 16), 2, london(2024, 4, 2, 10)),
        (london(2025, 3, 28, 16, 30), 1, london(2025, 3, 31, 9, 30)),
        (london(2024, 3, 4, 10), 0, london(2024, 3, 4, 10)),
    ],
)
def test_adding_business_time(start, hours, expected):
    assert add_business_seconds(CALENDAR, start, hours * HOUR) == expected


@pytest.mark.parametrize("hours", [0.25, 1, 7.5, 8, 13, 40, 160])
@pytest.mark.parametrize(
    "start",
    [london(2024, 3, 4, 11), london(2024, 3, 28, 16, 45), london(2025, 3, 29, 3)],
)
def test_adding_then_measuring_gives_back_the_same_time(start, hours):
    end = add_business_seconds(CALENDAR, start, hours * HOUR)

    assert business_seconds(CALENDAR, start, end) == pytest.approx(hours * HOUR)


def test_a_calendar_without_working_time_is_refused():
    with pytest.raises(ValueError):
        BusinessCalendar(zone=LONDON, opens=17 * 60, closes=9 * 60)
    with pytest.raises(ValueError):
        BusinessCalendar(zone=LONDON, workdays=frozenset())


def test_settings_come_from_the_environment():
    env = {
        "SLA_TIMEZONE": "America/New_York",
        "SLA_WORKDAYS": "Sun-Thu",
        "SLA_HOURS": "08:00-18:00",
        "SLA_HOLIDAYS": "2024-12-25, 2024-12-26",
        "SLA_TARGETS": "Critical=30m/4h; Low=3d/30d",
    }
    settings = settings_from_environment(env)

    calendar = read_calendar(settings["SLA_CALENDAR"])
    targets = read_targets(settings["SLA_TARGETS"], calendar)

    assert calendar.zone == ZoneInfo("America/New_York")
    assert calendar.workdays == {6, 0, 1, 2, 3}
    assert (calendar.opens, calendar.closes) == (8 * 60, 18 * 60)
    assert calendar.holidays == {date(2024, 12, 25), date(2024, 12, 26)}
    assert targets["Critical"] == {"response": 30 * 60, "resolution": 4 * HOUR}
    # A day is one working day of this calendar: ten hours.
    assert targets["Low"] == {"response": 30 * HOUR, "resolution": 300 * HOUR}
    assert targets["High"] == {"response": 4 * HOUR, "resolution": 30 * HOUR}


def test_default_targets_are_business_time_on_weekdays_in_london(app):
    settings = app.extensions["casepath.sla"]

    assert settings.calendar.zone == LONDON
    assert settings.calendar.workdays == set(range(5))
    assert settings.targets == {
        "Critical": {"response": 1 * HOUR, "resolution": 8 * HOUR},
        "High": {"response": 4 * HOUR, "resolution": 24 * HOUR},
        "Medium": {"response": 8 * HOUR, "resolution": 80 * HOUR},
        "Low": {"response": 16 * HOUR, "resolution": 160 * HOUR},
    }


@pytest.mark.parametrize(
    ("config", "named"),
    [
        ({"SLA_CALENDAR": {"hours": "17:00-09:00"}}, "SLA_HOURS"),
        ({"SLA_CALENDAR": {"workdays": []}}, "SLA_WORKDAYS"),
        ({"SLA_CALENDAR": {"hours": "nine to five"}}, "HH:MM-HH:MM"),
        ({"SLA_CALENDAR": {"timezone": "Mars/Olympus"}}, "Mars/Olympus"),
        ({"SLA_CALENDAR": {"workdays": "Mon-Fry"}}, "Mon-Fry"),
        ({"SLA_CALENDAR": {"holidays": "25/12/2024"}}, "25/12/2024"),
        ({"SLA_CALENDAR": {"openings": "09:00"}}, "openings"),
        ({"SLA_TARGETS": {"Urgent": {"response": "1h"}}}, "Urgent"),
        ({"SLA_TARGETS": {"High": {"response": "soon"}}}, "soon"),
        ({"SLA_TARGETS": {"High": {"response": "0h"}}}, "High"),
        ({"SLA_TARGETS": {"High": {"reply": "1h"}}}, "High"),
        ({"SLA_TARGETS": "Critical:1h"}, "Critical:1h"),
        ({"SLA_TARGETS": "Low=1d/5d;Low=2d/9d"}, "Low is given twice"),
        ({"SLA_CALENDAR": {"hours": "09:00-09:01"}}, "shorter than 60 minutes"),
        ({"SLA_CALENDAR": {"workdays": 5}}, "SLA_WORKDAYS"),
        ({"SLA_CALENDAR": {"holidays": 5}}, "SLA_HOLIDAYS"),
        ({"SLA_CALENDAR": "Mon-Fri"}, "SLA_CALENDAR must map"),
    ],
)
def test_bad_settings_stop_the_service_at_start(tmp_path, config, named):
    database = tmp_path / "refused.sqlite"
    with pytest.raises(ServiceLevelConfigError) as refused:
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}", **config})

    assert named in str(refused.value)
    assert not database.exists()


@pytest.mark.parametrize(
    "end",
    [
        datetime(2024, 3, 4, 12, 30, tzinfo=UTC),  # a Monday at midday
        datetime(2024, 3, 9, 15, 0, tzinfo=UTC),  # a Saturday
        datetime(2024, 3, 5, 7, 0, tzinfo=UTC),  # before opening
        datetime(2024, 4, 2, 10, 0, tzinfo=UTC),  # days after the clocks went forward
    ],
)
@pytest.mark.parametrize("days", [0.25, 1, 1.5, 8.5, 17])
def test_subtracting_business_time_counts_back_working_time_only(app, end, days):
    with app.app_context():
        calendar = service_levels().calendar
    seconds = days * calendar.day_seconds

    start = subtract_business_seconds(calendar, end, seconds)

    assert business_seconds(calendar, start, end) == pytest.approx(seconds)
    assert calendar.is_working_day(start.astimezone(calendar.zone).date())
