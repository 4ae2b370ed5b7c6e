"""Figures for managers: where open cases stand, and the backlog in rank order."""

import statistics

from models import Case, Task, db, utcnow

from .errors import Forbidden

# Hours a task may wait, by its case's priority, before it counts as overdue.
# Issue-level service targets (business hours, pauses) will replace these.
TASK_TARGET_HOURS = {"Critical": 4, "High": 24, "Medium": 72, "Low": 120}
DEFAULT_TARGET_HOURS = 24


def require_manager(user):
    if not (user.is_manager or user.is_owner):
        raise Forbidden("figures are for managers")


def is_overdue(task, now):
    """Whether `task` has waited longer than its priority allows."""
    hours = TASK_TARGET_HOURS.get(task.case.priority, DEFAULT_TARGET_HOURS)
    return (now - task.created_at).total_seconds() > hours * 3600


def activities(user):
    """Per element: open tasks, overdue ones, tasks passed and their median time."""
    require_manager(user)
    now = utcnow()
    figures = {}
    ready = Task.query.filter_by(state="ready").options(db.joinedload(Task.case))
    for task in ready:
        entry = figures.setdefault(task.element, _empty(task))
        entry["open"] += 1
        entry["overdue"] += is_overdue(task, now)
    durations = {}
    done = db.session.query(Task.element, Task.name, Task.created_at, Task.ended_at)
    for element, name, started, ended in done.filter(Task.state == "completed"):
        figures.setdefault(element, _empty_named(element, name))["passed"] += 1
        durations.setdefault(element, []).append((ended - started).total_seconds())
    for element, values in durations.items():
        figures[element]["median_seconds"] = statistics.median(values)
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
        "median_seconds": None,
    }


def backlog(user, priority=None, lane=None, group=None, firm=None):
    """Open cases by rank: priority, then age, then the owning group's load and
    the client's feedback, each with the reasons for its place; filtered after
    ranking, so a row keeps its place in the whole backlog."""
    rows = _ranked(user)
    return [
        row
        for row in rows
        if (priority is None or row["priority"] == priority)
        and (lane is None or lane in row["lanes"])
        and (group is None or group in row["groups"])
        and (firm is None or row["firm"] == firm)
    ]


def _ranked(user):
    require_manager(user)
    now = utcnow()
    cases = Case.query.filter_by(status="open").all()
    tasks = Task.query.filter(
        Task.state == "ready", Task.case_id.in_([c.id for c in cases])
    ).all()
    load = {}
    for task in tasks:
        load[task.group] = load.get(task.group, 0) + 1
    by_case = {}
    for task in tasks:
        by_case.setdefault(task.case_id, []).append(task)
    rows = [_row(case, by_case.get(case.id, []), load, now) for case in cases]
    rows.sort(key=lambda row: row["sort_key"])
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
        del row["sort_key"]
    return rows


def _row(case, tasks, load, now):
    age_days = (now - case.created_at).total_seconds() / 86400
    groups = sorted({task.group for task in tasks})
    group_load = max((load[g] for g in groups), default=0)
    reasons = [f"priority {case.priority or 'not set'}"]
    reasons.append(f"open {_span(age_days)}")
    if groups:
        tasks_word = "task" if group_load == 1 else "tasks"
        reasons.append(f"{', '.join(groups)} holds {group_load} open {tasks_word}")
    if case.reopen_count:
        reasons.append(f"reopened {case.reopen_count} times by the client")
    return {
        "case_number": case.case_number,
        "firm": case.firm,
        "summary": case.summary,
        "priority": case.priority,
        "groups": groups,
        "lanes": sorted({task.lane for task in tasks if task.lane}),
        "current_tasks": [task.element for task in tasks],
        "age_days": round(age_days, 2),
        "group_load": group_load,
        "reopen_count": case.reopen_count,
        "reasons": reasons,
        "sort_key": (
            case.priority_rank,
            case.created_at,
            group_load,
            -case.reopen_count,
        ),
    }


def _span(days):
    """'3 hours', '2.5 days': an age in the unit a person reads it in."""
    if days < 1 / 24:
        return "less than an hour"
    if days < 1:
        hours = int(days * 24)
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{days:.1f} days"
