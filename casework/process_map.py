"""The process map: where open cases stand on the current diagram, and how long
each activity holds a case."""

import math

from models import Case, Task, db, utcnow

from . import sla, sla_view, stats, versions
from .errors import NotFound

# The heat map's colour steps: each covers a fifth of the longest median time.
HEAT_LEVELS = 5
# Below this the medians say nothing worth colouring apart.
MEANINGFUL_SECONDS = 60


def process_map(user):
    """The current version's diagram with open, overdue, passed and median time
    per activity, and the heat scale that colours the median times."""
    stats.require_manager(user)
    figures = {entry["element"]: entry for entry in stats.activities(user)}
    version = versions.current_version()
    definition = versions.definition_of(version)

    # User tasks in the diagram's order, then whatever else holds or held a task
    # (elements of older versions that this diagram no longer has).
    order = list(definition.steps)
    order += sorted(element for element in figures if element not in order)
    longest = max(
        (entry["median_seconds"] or 0 for entry in figures.values()), default=0
    )
    activities = [
        _activity(element, figures.get(element), definition, longest)
        for element in order
    ]
    return {
        "version": version.number,
        "xml": version.bpmn_text(),
        "activities": activities,
        "heat_scale": heat_scale(longest),
    }


def _activity(element, figures, definition, longest):
    step = definition.steps.get(element)
    entry = figures or {
        "open": 0,
        "overdue": 0,
        "passed": 0,
        "completions": 0,
        "median_seconds": None,
    }
    median = entry["median_seconds"]
    name = definition.element_names.get(element) or (figures or {}).get("name")
    return {
        "element": element,
        "name": name or element,
        "lane": step.lane if step else None,
        "in_diagram": element in definition.element_names,
        "open": entry["open"],
        "overdue": entry["overdue"],
        "passed": entry["passed"],
        "completions": entry["completions"],
        "median_seconds": median,
        "median": duration_words(median) if median is not None else None,
        "heat": heat_level(median, longest) if entry["passed"] else 0,
    }


def heat_level(median_seconds, longest_seconds):
    """1 (quickest) to HEAT_LEVELS (slowest): the median's share of the longest."""
    if longest_seconds < MEANINGFUL_SECONDS:
        return 1
    share = median_seconds / longest_seconds
    return min(HEAT_LEVELS, max(1, math.ceil(share * HEAT_LEVELS)))


def heat_scale(longest_seconds):
    """The colour steps of the heat map, each with the longest median it covers;
    one step while every median is under MEANINGFUL_SECONDS (fresh data)."""
    if longest_seconds < MEANINGFUL_SECONDS:
        words = f"up to {duration_words(longest_seconds)}"
        return [{"level": 1, "up_to_seconds": longest_seconds, "label": words}]
    scale = []
    for level in range(1, HEAT_LEVELS + 1):
        bound = longest_seconds * level / HEAT_LEVELS
        label = f"up to {duration_words(bound)}"
        scale.append({"level": level, "up_to_seconds": bound, "label": label})
    return scale


def cases_at(user, element):
    """The open cases waiting at `element`, in backlog order, with how long each
    has waited there and whether that is overdue; NotFound when the current
    version has no such element and no open case waits at it."""
    stats.require_manager(user)
    version = versions.current_version()
    names = versions.definition_of(version).element_names
    tasks = (
        Task.query.filter_by(state="ready", element=element)
        .options(
            db.joinedload(Task.case).defer(Case.workflow).joinedload(Case.version),
            db.joinedload(Task.assignee),
        )
        .all()
    )
    ranks = {row["case_number"]: row["rank"] for row in stats.ranked(_cases(tasks))}
    tasks.sort(key=lambda task: (ranks.get(task.case.case_number, len(ranks)), task.id))
    if element not in names and not tasks:
        raise NotFound(f"version {version.number} has no activity {element}")

    now = utcnow()
    levels = sla.for_cases(list({task.case for task in tasks}), now)
    rows = [_case_row(task, now, levels[task.case_id]) for task in tasks]
    name = names.get(element) or tasks[0].name
    return {
        "element": element,
        "name": name,
        "version": version.number,
        "in_diagram": element in names,
        "items": rows,
        "total": len(rows),
        "overdue": sum(row["overdue"] for row in rows),
    }


def _cases(tasks):
    return list({task.case_id: task.case for task in tasks}.values())


def _case_row(task, now, levels):
    case = task.case
    badge = sla_view.badge(levels)
    waited = (now - task.created_at).total_seconds()
    age = (now - case.created_at).total_seconds()
    return {
        "case_number": case.case_number,
        "summary": case.summary,
        "priority": case.priority,
        "ranked_priority": task.ranked_priority,
        "firm": case.firm,
        "version": case.version.number,
        "reported_at": case.created_at.isoformat(),
        "age_days": round(age / 86400, 2),
        "age": duration_words(age),
        "waiting_since": task.created_at.isoformat(),
        "waiting_hours": round(waited / 3600, 2),
        "waiting": duration_words(waited),
        "overdue": levels.urgency == 0,
        "service_level": badge["state"] if badge else None,
        "service_level_words": _badge_words(badge, now),
        "group": task.group,
        "assignee": task.assignee.name if task.assignee else None,
        "task_id": task.id,
    }


def _badge_words(badge, now):
    """`resolution breached 3 h ago`, `response at risk: due in 40 min`."""
    if badge is None:
        return "clocks stopped"
    if badge["state"] == "breached":
        ago = sla_view.ago((now - badge["breached_at"]).total_seconds())
        return f"{badge['words']} {ago}"
    if badge["state"] == "at_risk":
        due = sla_view.due_in((badge["due_at"] - now).total_seconds())
        return f"{badge['words']}: due {due}"
    return badge["words"]


def duration_words(seconds):
    """'40 seconds', '12 minutes', '3.5 hours', '2 days': a span as people say it,
    in the largest unit it rounds to at least one of (3,599 s is '1 hour')."""
    if seconds < 1:
        return "under a second"
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        text = _rounded(seconds / size)
        if float(text) >= 1:
            return _count(text, unit)
    return _count(_rounded(seconds), "second")


def _rounded(value):
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}".removesuffix(".0")


def _count(text, unit):
    return f"{text} {unit}{'' if text == '1' else 's'}"
