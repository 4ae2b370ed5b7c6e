"""Service-level figures for managers: clocks by state, per priority, group and week.

Each case counts once per target (response, resolution) in the state of that
clock: met, running, paused, at_risk or breached. A case counts under the
priority its targets come from (sla.py: provisional before the priority
step), under its owning group (the staff group holding it now, or the one
that worked it last), and under the ISO week of its report in the calendar's
time zone.
"""

from datetime import UTC, datetime, time

from models import Case, utcnow

from . import sla
from .sla_clock import STATES
from .sla_config import TARGETS, service_levels
from .stats import require_manager

PRIORITIES = ("Critical", "High", "Medium", "Low")


def sla_figures(user, since=None, now=None):
    """Clock states by priority, group and week of report, over the cases
    reported on or after the date `since`."""
    require_manager(user)
    now = now or utcnow()
    settings = service_levels()
    query = Case.without_workflow()
    if since is not None:
        # As for the other figures: reported on or after midnight UTC of `since`.
        query = query.filter(Case.created_at >= datetime.combine(since, time(), UTC))
    cases = query.order_by(Case.id).all()
    levels = sla.for_cases(cases, now)
    by_priority = {p: _empty() for p in PRIORITIES}
    by_group, by_week = {}, {}
    for case in cases:
        case_levels = levels[case.id]
        week = _iso_week(case.created_at, settings.calendar.zone)
        for counts in (
            by_priority.setdefault(case_levels.priority, _empty()),
            by_group.setdefault(case_levels.group, _empty()),
            by_week.setdefault(week, _empty()),
        ):
            for target, clock in case_levels.clocks.items():
                counts[target][clock.state] += 1
    return {
        "since": since.isoformat() if since else None,
        "cases": len(cases),
        "targets": _targets(settings.targets),
        "by_priority": _rows("priority", by_priority),
        "by_group": _rows("group", by_group, key=lambda name: (name is None, name)),
        "by_week": _rows("week", by_week, key=lambda week: week),
    }


def _empty():
    return {target: dict.fromkeys(STATES, 0) for target in TARGETS}


def _rows(name, counts, key=None):
    names = counts if key is None else sorted(counts, key=key)
    return [{name: value, **counts[value]} for value in names]


def _targets(targets):
    return [{"priority": p, **targets[p]} for p in PRIORITIES if p in targets]


def _iso_week(moment, zone):
    year, week, _day = moment.astimezone(zone).isocalendar()
    return f"{year}-W{week:02d}"
