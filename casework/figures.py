"""Figures for managers: cases by priority and path, time per stage, reopens, groups.

Times are in seconds. A median is `statistics.median` (the mean of the two
middle times when their count is even); the 90th percentile follows the
nearest-rank rule: the ceil(0.9 * n)-th smallest of n times, so it is always a
time that was measured. An empty set has neither: both are None (null), not 0.
"""

import re
import statistics
from collections import Counter
from datetime import UTC, date, datetime, time

from models import Case, Task, db

from . import versions
from .errors import BadRequest
from .stats import require_manager

PRIORITIES = ("Critical", "High", "Medium", "Low")
RESOLUTION_PATHS = ("level_one", "support", "triage", "engineering")
OPEN = "open"
# Staff lanes in the order a case escalates through them, then the client's.
LANES = ("Level One", "Support", "Triage", "Engineering", "Client")
CLIENT_DECISION = "review_resolution"
# Resolution paths whose client is not asked to confirm, so cannot reopen.
NOT_REOPENABLE = ("level_one",)
REOPEN_DENOMINATOR = (
    "cases whose client decided on a resolution (review_resolution completed) "
    "or that finished after one was offered (Level One's closures, which the "
    "client cannot reopen, left out)"
)
SINCE_SHAPE = re.compile(r"\d{4}-\d{2}-\d{2}")


def since_date(text):
    """The date of a `since=YYYY-MM-DD` parameter; None when absent or empty."""
    if not text:
        return None
    try:
        if not SINCE_SHAPE.fullmatch(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        message = "since must be a date written YYYY-MM-DD"
        raise BadRequest(message, fields={"since": [message]}) from None


def figures(user, since=None):
    """Every figure, over the cases reported on or after the date `since`."""
    require_manager(user)
    cases = _cases(since)
    completed = _tasks(since, "completed")
    ready = _tasks(since, "ready")
    decided = {task.case_id for task in completed if task.element == CLIENT_DECISION}
    return {
        "since": since.isoformat() if since else None,
        "cases": len(cases),
        "by_priority": by_priority(cases),
        "by_resolution_path": by_resolution_path(cases),
        "stages": stage_times(completed),
        "lanes": lane_times(completed),
        "resolution_times": resolution_times(cases),
        "reopens": reopen_rate(cases, decided),
        "groups": cases_per_group(cases, ready, completed),
    }


def _cases(since):
    query = db.session.query(
        Case.id,
        Case.priority,
        Case.status,
        Case.resolution_path,
        Case.reopen_count,
        Case.created_at,
        Case.resolved_at,
    )
    return _reported_since(query, since).all()


def _tasks(since, state):
    query = db.session.query(
        Task.case_id,
        Task.element,
        Task.name,
        Task.lane,
        Task.group,
        Task.created_at,
        Task.ended_at,
    ).join(Case, Task.case_id == Case.id)
    return _reported_since(query.filter(Task.state == state), since).all()


def _reported_since(query, since):
    if since is None:
        return query
    return query.filter(Case.created_at >= datetime.combine(since, time(), UTC))


def spread(seconds):
    """Count, median and 90th percentile (nearest rank) of `seconds`."""
    ordered = sorted(seconds)
    if not ordered:
        return {"count": 0, "median_seconds": None, "p90_seconds": None}
    return {
        "count": len(ordered),
        "median_seconds": statistics.median(ordered),
        "p90_seconds": nearest_rank(ordered, 90),
    }


def nearest_rank(ordered, percent):
    """The `percent`-th percentile of sorted values: the ceil(p/100 * n)-th one."""
    rank = -(-percent * len(ordered) // 100)
    return ordered[max(rank, 1) - 1]


def by_priority(cases):
    """Cases per priority, every priority listed; cases with none set last."""
    counts = Counter(case.priority for case in cases)
    return [
        {"priority": priority, "cases": counts[priority]}
        for priority in _ordered(counts, PRIORITIES)
    ]


def by_resolution_path(cases):
    """Cases per resolution path; cases not finished yet count under "open"."""
    counts = Counter(
        case.resolution_path if case.status == "resolved" else OPEN for case in cases
    )
    return [
        {"resolution_path": path, "cases": counts[path]}
        for path in _ordered(counts, (OPEN, *RESOLUTION_PATHS))
    ]


def stage_times(completed):
    """Per element: how long its completed tasks took, from ready to completed."""
    durations, about = {}, {}
    for task in completed:
        durations.setdefault(task.element, []).append(_seconds(task))
        about.setdefault(task.element, (task.name, task.lane))
    # Lane by lane, each in the order the current diagram takes its steps.
    order = {element: i for i, element in enumerate(_diagram_steps())}
    elements = sorted(
        durations,
        key=lambda e: (_lane_rank(about[e][1]), order.get(e, len(order)), e),
    )
    return [
        {
            "element": element,
            "name": about[element][0],
            "lane": about[element][1],
            **spread(durations[element]),
        }
        for element in elements
    ]


def _diagram_steps():
    return list(versions.definition_of(versions.current_version()).steps)


def lane_times(completed):
    """Per lane: how long its completed tasks took; every lane listed."""
    durations = {}
    for task in completed:
        durations.setdefault(task.lane, []).append(_seconds(task))
    return [
        {"lane": lane, **spread(durations.get(lane, []))}
        for lane in _ordered(durations, LANES)
    ]


def resolution_times(cases):
    """Per resolution path: report to close of the finished cases."""
    durations = {}
    for case in cases:
        if case.status == "resolved" and case.resolved_at is not None:
            spent = (case.resolved_at - case.created_at).total_seconds()
            durations.setdefault(case.resolution_path, []).append(spent)
    return [
        {"resolution_path": path, **spread(durations.get(path, []))}
        for path in _ordered(durations, RESOLUTION_PATHS)
    ]


def reopen_rate(cases, decided):
    """Share of the cases a client decided on (ids in `decided`), or that
    finished on a path the client could reopen, which the client reopened at
    least once."""
    considered = [
        c
        for c in cases
        if c.id in decided
        or (c.status == "resolved" and c.resolution_path not in NOT_REOPENABLE)
    ]
    reopened = sum(1 for case in considered if case.reopen_count > 0)
    return {
        "reopened": reopened,
        "cases": len(considered),
        "rate": reopened / len(considered) if considered else None,
        "denominator": REOPEN_DENOMINATOR,
    }


def cases_per_group(cases, ready, completed):
    """Per group: open cases waiting on it now, and cases it ever completed a
    task of."""
    open_ids = {case.id for case in cases if case.status == OPEN}
    waiting = _cases_by_group(t for t in ready if t.case_id in open_ids)
    handled = _cases_by_group(completed)
    lane_of = {task.group: task.lane for task in [*ready, *completed]}
    groups = sorted(
        set(waiting) | set(handled), key=lambda g: (_lane_rank(lane_of[g]), g)
    )
    return [
        {
            "group": group,
            "open_cases": len(waiting.get(group, ())),
            "cases_handled": len(handled.get(group, ())),
        }
        for group in groups
    ]


def _cases_by_group(tasks):
    cases = {}
    for task in tasks:
        cases.setdefault(task.group, set()).add(task.case_id)
    return cases


def _seconds(task):
    return (task.ended_at - task.created_at).total_seconds()


def _lane_rank(lane):
    return LANES.index(lane) if lane in LANES else len(LANES)


def _ordered(found, known):
    """The `known` keys in their order, then any others found, then None."""
    others = sorted(key for key in found if key not in known and key is not None)
    missing = [None] if found.get(None) else []
    return [*known, *others, *missing]
