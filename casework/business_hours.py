"""Business-hour arithmetic on a working calendar: days, hours, holidays, time zone.

Times go in and come out timezone-aware. A working day's hours are read on the
calendar's wall clock, so a day on which the clocks change still opens and
closes at the same local times; what is counted is real elapsed time.

Each calendar keeps a ledger of the working time from LEDGER_START to the start
of every later day, filled in as far as it is asked and kept for the life of
the process. With it, the time between two moments is a difference of two
entries and a moment so much working time later a search in it, however far
apart they are; a moment outside the ledger's years is walked to day by day.
"""

import bisect
import math
import threading
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

# A walk forward gives up past this many days beyond what the asked time needs,
# so holidays covering years end in an error, not a loop.
LONGEST_SEARCH_DAYS = 3 * 366
# No walk goes further than this (about a century), whatever it is asked, so a
# huge span costs a bounded time and never runs past the last date there is.
FARTHEST_SEARCH_DAYS = 100 * 366
LAST_DAY = date.max - timedelta(days=2)
LEDGER_START = date(1970, 1, 1)
LEDGER_END = date(2400, 1, 1)
LEDGER_CHUNK_DAYS = 366


@dataclass(frozen=True)
class BusinessCalendar:
    """Working weekdays (0 is Monday), opening and closing minutes after local
    midnight (closing may be 24 * 60), holidays as local dates, a time zone."""

    zone: ZoneInfo
    workdays: frozenset = frozenset(range(5))
    opens: int = 9 * 60
    closes: int = 17 * 60
    holidays: frozenset = frozenset()

    def __post_init__(self):
        if not 0 <= self.opens < self.closes <= 24 * 60:
            raise ValueError("working hours must open before they close, in one day")
        if not self.workdays or not self.workdays <= set(range(7)):
            raise ValueError("working days must be weekdays 0 (Monday) to 6")

    @property
    def day_seconds(self):
        """The length of one working day: what a "business day" target means."""
        return (self.closes - self.opens) * 60

    def is_working_day(self, day):
        """Whether the local date `day` is a working day and not a holiday."""
        return day.weekday() in self.workdays and day not in self.holidays

    def window(self, day):
        """The working hours of the local date `day`, as two UTC datetimes."""
        midnight = datetime(day.year, day.month, day.day, tzinfo=self.zone)
        opens = midnight + timedelta(minutes=self.opens)
        closes = midnight + timedelta(minutes=self.closes)
        return opens.astimezone(UTC), closes.astimezone(UTC)


def business_seconds(calendar, start, end):
    """Working seconds of `calendar` between the aware datetimes `start` and `end`
    (0 when `end` is not after `start`)."""
    if end <= start:
        return 0.0
    ledger = _ledger(calendar)
    if ledger.holds(start) and ledger.holds(end):
        return max(ledger.worked_until(end) - ledger.worked_until(start), 0.0)
    return walked_business_seconds(calendar, start, end)


def walked_business_seconds(calendar, start, end):
    """business_seconds, found by walking day by day (any dates)."""
    if end <= start:
        return 0.0
    total = 0.0
    for day in _local_days(calendar, start, end):
        if not calendar.is_working_day(day):
            continue
        opens, closes = calendar.window(day)
        overlap = min(closes, end) - max(opens, start)
        total += max(overlap.total_seconds(), 0.0)
    return total


def add_business_seconds(calendar, start, seconds):
    """The moment `seconds` working seconds of `calendar` after aware `start`.

    The walk forward is bounded: when the working time is not found within
    FARTHEST_SEARCH_DAYS (or before the last date a datetime holds), the answer
    is the end of the walk, a moment so far off that it reads as "not due".
    """
    if seconds <= 0:
        return start
    ledger = _ledger(calendar)
    if ledger.holds(start) and math.isfinite(seconds):
        found = ledger.after(start, float(seconds), _search_days(seconds, calendar))
        if found is not None:
            return found
    return walked_add_business_seconds(calendar, start, seconds)


def walked_add_business_seconds(calendar, start, seconds):
    """add_business_seconds, found by walking day by day (any dates)."""
    if seconds <= 0:
        return start
    left = float(seconds)
    day = start.astimezone(calendar.zone).date()
    for _ in range(_search_days(seconds, calendar)):
        if day >= LAST_DAY:
            break
        if calendar.is_working_day(day):
            opens, closes = calendar.window(day)
            begin = max(opens, start)
            available = (closes - begin).total_seconds()
            if available > 0:
                if left <= available:
                    return begin + timedelta(seconds=left)
                left -= available
        day += timedelta(days=1)
    walked_to = datetime(day.year, day.month, day.day, tzinfo=calendar.zone)
    return max(start, walked_to.astimezone(UTC))


def subtract_business_seconds(calendar, end, seconds):
    """The moment `seconds` working seconds of `calendar` before aware `end`."""
    ledger = _ledger(calendar)
    if ledger.holds(end) and math.isfinite(seconds):
        found = ledger.before(end, float(seconds))
        if found is not None:
            return found
    return walked_subtract_business_seconds(calendar, end, seconds)


def walked_subtract_business_seconds(calendar, end, seconds):
    """subtract_business_seconds, found by walking day by day (any dates)."""
    left = float(seconds)
    day = end.astimezone(calendar.zone).date()
    days = int(seconds // calendar.day_seconds + 1) * 7 + len(calendar.holidays)
    for _ in range(days + LONGEST_SEARCH_DAYS):
        if calendar.is_working_day(day):
            opens, closes = calendar.window(day)
            finish = min(closes, end)
            available = (finish - opens).total_seconds()
            if available > 0:
                if left <= available:
                    return finish - timedelta(seconds=left)
                left -= available
        day -= timedelta(days=1)
    raise ValueError("the calendar has no working time within a few years before")


@lru_cache(maxsize=16)
def _ledger(calendar):
    return _Ledger(calendar)


class _Ledger:
    """The working time of one calendar from LEDGER_START to each later day."""

    def __init__(self, calendar):
        self.calendar = calendar
        # totals[i]: working seconds from LEDGER_START to the start of day i.
        self.totals = [0.0]
        self.windows = []  # (opens, closes) in UTC of day i, or None
        self.lock = threading.Lock()

    def holds(self, moment):
        day = moment.astimezone(self.calendar.zone).date()
        return LEDGER_START <= day < LEDGER_END

    def worked_until(self, moment):
        """Working seconds from LEDGER_START to `moment` (a moment it holds)."""
        index = self._index(moment)
        self._fill(index + 1)
        return self.totals[index] + self._worked_that_day(index, moment)

    def after(self, start, seconds, days):
        """The moment `seconds` of working time after `start`, searching at most
        `days` days on (None when not found there or past the ledger)."""
        target = self.worked_until(start) + seconds
        index = self._index(start)
        limit = min(index + days, (LEDGER_END - LEDGER_START).days)
        while self.totals[-1] < target and len(self.windows) < limit:
            self._fill(min(len(self.windows) + LEDGER_CHUNK_DAYS, limit))
        if self.totals[-1] < target:
            return None
        # The first day whose end reaches the target holds the moment.
        day = bisect.bisect_left(self.totals, target, lo=index + 1) - 1
        return self._moment(day, target)

    def before(self, end, seconds):
        """The moment `seconds` of working time before `end` (None when it lies
        before the ledger)."""
        target = self.worked_until(end) - seconds
        if target < 0:
            return None
        # The last day starting at or before the target holds the moment.
        day = bisect.bisect_right(self.totals, target, hi=self._index(end) + 1) - 1
        return self._moment(day, target)

    def _moment(self, day, target):
        """The moment of `day` by which the ledger reaches `target` (None for a
        day without working hours, which a walk answers instead)."""
        if self.windows[day] is None:
            return None
        opens, _closes = self.windows[day]
        return opens + timedelta(seconds=target - self.totals[day])

    def _index(self, moment):
        return (moment.astimezone(self.calendar.zone).date() - LEDGER_START).days

    def _worked_that_day(self, index, moment):
        window = self.windows[index]
        if window is None:
            return 0.0
        opens, closes = window
        return max(min(moment, closes) - opens, timedelta(0)).total_seconds()

    def _fill(self, count):
        """Make the ledger know the first `count` days (within its years)."""
        count = min(count, (LEDGER_END - LEDGER_START).days)
        if len(self.windows) >= count:
            return
        with self.lock:
            while len(self.windows) < count:
                day = LEDGER_START + timedelta(days=len(self.windows))
                window = None
                if self.calendar.is_working_day(day):
                    window = self.calendar.window(day)
                self.windows.append(window)
                worked = (window[1] - window[0]).total_seconds() if window else 0.0
                self.totals.append(self.totals[-1] + worked)


def _local_days(calendar, start, end):
    """Each local date from `start`'s to `end`'s, both included."""
    day = start.astimezone(calendar.zone).date()
    last = min(end.astimezone(calendar.zone).date(), LAST_DAY)
    while day <= last:
        yield day
        day += timedelta(days=1)


def _search_days(seconds, calendar):
    working_days = seconds / calendar.day_seconds + 1
    if not working_days < FARTHEST_SEARCH_DAYS:  # also an infinite or NaN span
        return FARTHEST_SEARCH_DAYS
    days = int(working_days) * 7 + len(calendar.holidays) + LONGEST_SEARCH_DAYS
    return min(days, FARTHEST_SEARCH_DAYS)


def parse_hours(text):
    """(opens, closes) in minutes after midnight from `09:00-17:00`."""
    first, sep, second = text.partition("-")
    if not sep:
        raise ValueError(f"working hours {text!r} are not written HH:MM-HH:MM")
    return _minutes(first.strip(), text), _minutes(second.strip(), text)


def _minutes(part, text):
    hours, sep, minutes = part.partition(":")
    if not (sep and hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
        raise ValueError(f"working hours {text!r} are not written HH:MM-HH:MM")
    value = int(hours) * 60 + int(minutes)
    if int(minutes) > 59 or value > 24 * 60:
        raise ValueError(f"working hours {text!r} name a time that is not in a day")
    return value


def parse_holiday(text):
    """The date of a holiday written YYYY-MM-DD."""
    try:
        return date.fromisoformat(text.strip())
    except (ValueError, AttributeError):
        raise ValueError(f"holiday {text!r} is not a date written YYYY-MM-DD") from None
