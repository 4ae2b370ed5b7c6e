"""The ledger that makes business-hour arithmetic fast gives what walking day by
day gives: on calendars with weekends, holidays, clock changes, other time zones
and whole-day hours, for moments years apart."""

import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from casework.business_hours import (
    BusinessCalendar,
    add_business_seconds,
    business_seconds,
    subtract_business_seconds,
    walked_add_business_seconds,
    walked_business_seconds,
    walked_subtract_business_seconds,
)

CALENDARS = {
    "London weekdays, holidays": BusinessCalendar(
        zone=ZoneInfo("Europe/London"),
        holidays=frozenset({date(2024, 12, 25), date(2024, 12, 26), date(2025, 1, 1)}),
    ),
    "Kolkata Sun-Thu 10:30-18:15": BusinessCalendar(
        zone=ZoneInfo("Asia/Kolkata"),
        workdays=frozenset({6, 0, 1, 2, 3}),
        opens=10 * 60 + 30,
        closes=18 * 60 + 15,
    ),
    "New York, whole days": BusinessCalendar(
        zone=ZoneInfo("America/New_York"),
        workdays=frozenset(range(7)),
        opens=0,
        closes=24 * 60,
    ),
    "Sydney Mon, Wed, Fri mornings": BusinessCalendar(
        zone=ZoneInfo("Australia/Sydney"), workdays=frozenset({0, 2, 4}), closes=12 * 60
    ),
}
EARLIEST = datetime(2019, 1, 1, tzinfo=UTC)
SPAN_SECONDS = 6 * 365 * 86400


def moments(seed, count=150):
    rng = random.Random(seed)
    for _ in range(count):
        start = EARLIEST + timedelta(seconds=rng.randrange(SPAN_SECONDS))
        if rng.random() < 0.3:  # often exactly on a quarter hour
            start = start.replace(minute=rng.choice((0, 15, 30, 45)), second=0)
        length = rng.choice((60, 3600, 86400, 30 * 86400, 400 * 86400))
        yield start, start + timedelta(seconds=rng.randrange(length))


@pytest.mark.parametrize("name", CALENDARS)
def test_ledger_and_walk_count_the_same_working_time(name):
    calendar = CALENDARS[name]
    for start, end in moments(name):
        assert business_seconds(calendar, start, end) == pytest.approx(
            walked_business_seconds(calendar, start, end), abs=1e-6
        ), (start, end)


@pytest.mark.parametrize("name", CALENDARS)
def test_ledger_and_walk_find_the_same_moment_later_and_earlier(name):
    calendar = CALENDARS[name]
    rng = random.Random(f"{name} spans")
    for start, _end in moments(name):
        seconds = rng.choice((1, 1800, calendar.day_seconds, 7.5 * 86400, 2e6))
        later = add_business_seconds(calendar, start, seconds)
        earlier = subtract_business_seconds(calendar, start, seconds)
        assert abs(later - walked_add_business_seconds(calendar, start, seconds)) <= (
            timedelta(microseconds=1)
        ), (start, seconds)
        assert abs(
            earlier - walked_subtract_business_seconds(calendar, start, seconds)
        ) <= timedelta(microseconds=1), (start, seconds)


def test_moments_outside_the_ledgers_years_are_walked():
    calendar = CALENDARS["London weekdays, holidays"]
    start = datetime(1960, 3, 1, 9, tzinfo=UTC)
    end = datetime(1960, 3, 8, 9, tzinfo=UTC)

    assert business_seconds(calendar, start, end) == 5 * calendar.day_seconds
    assert add_business_seconds(calendar, start, calendar.day_seconds) == datetime(
        1960, 3, 1, 17, tzinfo=UTC
    )
