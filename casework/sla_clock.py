"""One service-level clock: business time used against a target, with pauses.

A clock runs from its start to its stop (or to now, while it has not stopped),
except while it is paused; only the calendar's working time counts. Its state:

- `met`: stopped within its target;
- `breached`: stopped after using more than its target, or running with all
  of its target used;
- `paused`: not stopped, not breached, and a pause holds it now;
- `at_risk`: running with less than AT_RISK_SHARE of the target left;
- `running`: running with more left.
"""

from dataclasses import dataclass
from datetime import datetime

from .business_hours import add_business_seconds, business_seconds

AT_RISK_SHARE = 0.2
STATES = ("met", "running", "paused", "at_risk", "breached")


@dataclass(frozen=True)
class Clock:
    """A measured clock; seconds are business seconds, moments aware datetimes."""

    target: str
    target_seconds: float
    used_seconds: float
    state: str
    started_at: datetime
    stopped_at: datetime | None
    due_at: datetime | None  # when it breaches if nothing stops or pauses it
    breached_at: datetime | None

    @property
    def left_seconds(self):
        return self.target_seconds - self.used_seconds

    @property
    def stopped(self):
        return self.stopped_at is not None


def measure(calendar, target, target_seconds, start, stop, pauses, now):
    """The clock `target` from `start` to `stop` (None: still running at `now`),
    paused during each (begin, end) of `pauses` (end None: paused until now)."""
    end = stop or now
    running = _running_intervals(start, end, pauses, now)
    spans = [
        (begin, business_seconds(calendar, begin, finish)) for begin, finish in running
    ]
    used = sum(span for _begin, span in spans)
    paused_now = stop is None and any(_holds(pause, now) for pause in pauses)
    state = _state(used, target_seconds, stop, paused_now)
    due_at = breached_at = None
    if state in ("running", "at_risk"):
        due_at = add_business_seconds(calendar, now, target_seconds - used)
    elif state == "breached":
        breached_at = _reached(calendar, spans, target_seconds)
    return Clock(
        target=target,
        target_seconds=target_seconds,
        used_seconds=used,
        state=state,
        started_at=start,
        stopped_at=stop,
        due_at=due_at,
        breached_at=breached_at,
    )


def _state(used, target_seconds, stop, paused_now):
    # A stopped clock that used exactly its target met it; a running one whose
    # time is all used has breached it.
    if stop is not None:
        return "met" if used <= target_seconds else "breached"
    if used >= target_seconds:
        return "breached"
    if paused_now:
        return "paused"
    if target_seconds - used < AT_RISK_SHARE * target_seconds:
        return "at_risk"
    return "running"


def _reached(calendar, spans, target_seconds):
    """The moment the running time in `spans` ((begin, business seconds) of each
    running interval) added up to `target_seconds`."""
    used = 0.0
    for begin, span in spans:
        if used + span >= target_seconds:
            return add_business_seconds(calendar, begin, target_seconds - used)
        used += span
    return None


def _holds(pause, now):
    begin, end = pause
    return begin <= now and (end is None or end > now)


def _running_intervals(start, end, pauses, now):
    """[start, end] without the union of `pauses`, as sorted (begin, end) pairs."""
    intervals, cursor = [], start
    for begin, finish in _merged(pauses, now):
        if finish <= cursor or begin >= end:
            continue
        if begin > cursor:
            intervals.append((cursor, begin))
        cursor = max(cursor, finish)
    if cursor < end:
        intervals.append((cursor, end))
    return intervals


def _merged(pauses, now):
    spans = sorted((begin, end or max(now, begin)) for begin, end in pauses)
    merged = []
    for begin, end in spans:
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((begin, end))
    return merged
