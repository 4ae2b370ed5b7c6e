"""Figures for managers: where open cases stand, and the backlog in rank order."""

import statistics

from models import Case, PlusOne, Task, db, utcnow
from models.case import PRIORITY_RANK
from models.user import CLIENT_GROUP

from . import sla, sla_view
from .errors import Forbidden
from .sla_config import service_levels

# Who an open case waits on, from its ready tasks. A case is waiting on the
# client while a Client-lane task is ready (answer_questions, review_resolution)
# and on staff while any other task is; a staff task nobody has claimed makes it
# "unclaimed", a claimed one "claimed". A case with several ready tasks can
# hold more than one status, and matches each of them.
BACKLOG_STATUSES = {
    "waiting_on_staff": "Waiting on staff",
    "unclaimed": "Waiting on staff, unclaimed",
    "claimed": "Waiting on staff, claimed",
    "waiting_on_client": "Waiting on the client",
}


def require_manager(user):
    if not (user.is_manager or user.is_owner):
        raise Forbidden("figures are for managers")


def overdue_cases(cases, now):
    """Ids of the `cases` with a running service-level clock past its target."""
    levels = sla.for_cases(list(cases), now)
    return {case_id for case_id, level in levels.items() if level.urgency == 0}


def activities(user):
    """Per element: open tasks, overdue ones, the cases that passed through it
    (completed it at least once), how often it was completed, and the median
    time a case spent there in all (a case sent back counts every visit)."""
    require_manager(user)
    now = utcnow()
    figures = {}
    ready = (
        Task.query.filter_by(state="ready")
        .options(db.joinedload(Task.case).defer(Case.workflow))
        .all()
    )
    overdue = overdue_cases({task.case for task in ready}, now)
    for task in ready:
        entry = figures.setdefault(task.element, _empty(task))
        entry["open"] += 1
        entry["overdue"] += task.case_id in overdue
    time_there = {}  # {element: {case id: seconds at it}}
    done = db.session.query(
        Task.element, Task.name, Task.case_id, Task.created_at, Task.ended_at
    )
    for element, name, case_id, started, ended in done.filter(
        Task.state == "completed"
    ):
        figures.setdefault(element, _empty_named(element, name))["completions"] += 1
        per_case = time_there.setdefault(element, {})
        seconds = (ended - started).total_seconds()
        per_case[case_id] = per_case.get(case_id, 0.0) + seconds
    for element, per_case in time_there.items():
        figures[element]["passed"] = len(per_case)
        figures[element]["median_seconds"] = statistics.median(per_case.values())
    return sorted(figures.values(), key=lambda entry: entry["element"])


def _empty(task):
    return _empty_named(task.element, task.name)


def _empty_named(element, name):
    return {
        "element": element,
        "name": name,
        "open": 0,
        "overdue": 0,
        "passed": 0,
        "completions": 0,
        "median_seconds": None,
    }


def backlog(user, priority=None, lane=None, group=None, firm=None, status=None):
    """Open cases by rank: priority, then service level (a breached target, then
    one at risk), then age, then the owning group's load and the client's
    feedback, each with the reasons for its place; filtered after ranking, so a
    row keeps its place in the whole backlog."""
    rows = _ranked(user)
    return [
        row
        for row in rows
        if (priority is None or row["ranked_priority"] == priority)
        and (lane is None or lane in row["lanes"])
        and (group is None or group in row["groups"])
        and (firm is None or row["firm"] == firm)
        and (status is None or status in row["statuses"])
    ]


def _ranked(user):
    require_manager(user)
    return ranked(Case.without_workflow().filter_by(status="open").all())


def ranked(cases):
    """Rows of the open `cases` in backlog order, numbered among themselves; the
    owning groups' loads are counted over every open case."""
    now = utcnow()
    tasks = Task.query.filter(
        Task.state == "ready", Task.case_id.in_([c.id for c in cases])
    ).all()
    load = _group_loads()
    by_case = {}
    for task in tasks:
        by_case.setdefault(task.case_id, []).append(task)
    levels = sla.for_cases(cases, now)
    plus_ones = _plus_ones([c.id for c in cases])
    day_seconds = service_levels().calendar.day_seconds
    rows = [
        _row(
            case,
            by_case.get(case.id, []),
            load,
            now,
            levels[case.id],
            plus_ones.get(case.id, 0),
            day_seconds,
        )
        for case in cases
    ]
    rows.sort(key=lambda row: row["sort_key"])
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
        del row["sort_key"]
    return rows


def _group_loads():
    """{group: its ready tasks} over every open case; clients are not a team
    with a queue."""
    counts = (
        db.session.query(Task.group, db.func.count(Task.id))
        .filter(Task.state == "ready", Task.group != CLIENT_GROUP)
        .group_by(Task.group)
    )
    return dict(counts.all())


def _row(case, tasks, load, now, levels, plus_ones, day_seconds):
    age_days = (now - case.created_at).total_seconds() / 86400
    groups = sorted({task.group for task in tasks})
    # Whose queue the case waits in: the staff groups holding it, or, while the
    # client has it, the group that worked it last (its service-level owner).
    owners = [g for g in groups if g != CLIENT_GROUP] or list(
        filter(None, [levels.group])
    )
    group_load = max((load.get(g, 0) for g in owners), default=0)
    reasons = [_priority_reason(case, levels)]
    reasons.extend(sla_view.reasons(levels, now))
    reasons.append(f"open {_span(age_days)}")
    if owners:
        held = {0: "no open tasks", 1: "1 open task"}.get(
            group_load, f"{group_load} open tasks"
        )
        reasons.append(f"{', '.join(owners)} holds {held}")
    if case.reopen_count:
        times = "once" if case.reopen_count == 1 else f"{case.reopen_count} times"
        reasons.append(f"reopened {times} by the client")
    if plus_ones:
        firms = "firm" if plus_ones == 1 else "firms"
        reasons.append(f"+1 from {plus_ones} other {firms}")
    return {
        "case_number": case.case_number,
        "firm": case.firm,
        "summary": case.summary,
        "priority": case.priority,
        "ranked_priority": levels.priority,
        "groups": groups,
        "lanes": sorted({task.lane for task in tasks if task.lane}),
        "current_tasks": [task.element for task in tasks],
        "statuses": waiting_statuses(tasks),
        "age_days": round(age_days, 2),
        "group_load": group_load,
        "reopen_count": case.reopen_count,
        "plus_ones": plus_ones,
        "service_level": sla_view.worst_state(levels),
        "service_level_words": sla_view.STATE_WORDS[sla_view.worst_state(levels)],
        "clocks": sla_view.clocks_in_short(levels, day_seconds),
        "reasons": reasons,
        # Whole days of age, so that load and feedback order the cases of a day.
        "sort_key": (
            PRIORITY_RANK.get(levels.priority, case.priority_rank),
            levels.urgency,
            -int(age_days),
            group_load,
            -(case.reopen_count + plus_ones),
            case.created_at,
        ),
    }


def _priority_reason(case, levels):
    """The priority a case ranks by; before assessment, the one its report implies."""
    if case.priority or not levels.provisional or not levels.priority:
        return f"priority {case.priority or 'not set'}"
    return f"priority not set yet; ranked as {levels.priority}, from the report"


def _plus_ones(case_ids):
    """{case id: how many other firms added a +1}."""
    counts = (
        db.session.query(PlusOne.case_id, db.func.count(PlusOne.id))
        .filter(PlusOne.case_id.in_(case_ids))
        .group_by(PlusOne.case_id)
    )
    return dict(counts.all())


def waiting_statuses(tasks):
    """The BACKLOG_STATUSES an open case's ready `tasks` put it in, in that order."""
    held = set()
    for task in tasks:
        if task.group == CLIENT_GROUP:
            held.add("waiting_on_client")
        else:
            held.add("waiting_on_staff")
            held.add("claimed" if task.assignee_id else "unclaimed")
    return [status for status in BACKLOG_STATUSES if status in held]


def _span(days):
    """'3 hours', '2.5 days': an age in the unit a person reads it in."""
    if days < 1 / 24:
        return "less than an hour"
    if days < 1:
        hours = int(days * 24)
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{days:.1f} days"
