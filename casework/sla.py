"""Service levels of cases: response and resolution clocks from the case's rows.

- Response: from the report to the first completed staff task (Level One's
  assessment, normally).
- Resolution: from the report to the case's resolution.
- Both pause while the case waits for the client (a Client-lane task such as
  answer_questions or review_resolution is ready), and count business time
  only (sla_config.py).

Targets follow the case's priority; before the priority step has run, the
provisional one its report implies (provisional.py).
"""

from dataclasses import dataclass

from models import Case, Task, db, utcnow
from models.user import CLIENT_GROUP

from . import sla_notices
from .provisional import priority_of
from .sla_clock import measure
from .sla_config import TARGETS, service_levels

# Cases ranked by their clocks: breached first, then at risk, then the rest.
URGENCY = {"breached": 0, "at_risk": 1}
CALM = 2


@dataclass(frozen=True)
class CaseLevels:
    """A case's clocks, the priority they measure against, its owning group."""

    case_id: int
    priority: str
    provisional: bool
    group: str | None
    clocks: dict

    @property
    def urgency(self):
        """0 when a running clock is breached, 1 when at risk, else 2."""
        open_states = [c.state for c in self.clocks.values() if not c.stopped]
        return min((URGENCY.get(state, CALM) for state in open_states), default=CALM)


def for_case(case, now=None):
    """The service levels of one case."""
    return for_cases([case], now)[case.id]


def for_cases(cases, now=None):
    """{case id: CaseLevels} for `cases`, from their task rows in one query."""
    now = now or utcnow()
    settings = service_levels()
    rows = _task_rows([case.id for case in cases]) if cases else []
    by_case = {}
    for row in rows:
        by_case.setdefault(row.case_id, []).append(row)
    return {
        case.id: _levels(case, by_case.get(case.id, []), settings, now)
        for case in cases
    }


def for_case_ids(case_ids, now=None):
    """{case id: CaseLevels} for the cases with `case_ids`."""
    if not case_ids:
        return {}
    query = Case.without_workflow().filter(Case.id.in_(list(case_ids)))
    return for_cases(query.all(), now)


def _task_rows(case_ids):
    columns = (Task.case_id, Task.group, Task.state, Task.created_at, Task.ended_at)
    query = db.session.query(*columns).filter(Task.case_id.in_(case_ids))
    return query.order_by(Task.case_id, Task.created_at).all()


def _levels(case, rows, settings, now):
    priority, provisional = priority_of(case)
    staff_done = [r for r in rows if r.group != CLIENT_GROUP and r.state == "completed"]
    responded = min((r.ended_at for r in staff_done), default=None)
    pauses = [(r.created_at, r.ended_at) for r in rows if r.group == CLIENT_GROUP]
    stops = {"response": responded or case.resolved_at, "resolution": case.resolved_at}
    clocks = {
        target: measure(
            settings.calendar,
            target,
            settings.targets[priority][target],
            case.created_at,
            stops[target],
            pauses,
            now,
        )
        for target in TARGETS
    }
    return CaseLevels(case.id, priority, provisional, owning_group(rows), clocks)


def owning_group(rows):
    """The staff group holding the case now, else the one that worked it last."""
    staff = [r for r in rows if r.group != CLIENT_GROUP]
    ready = [r.group for r in staff if r.state == "ready"]
    if ready:
        return ready[0]
    done = [r for r in staff if r.state == "completed" and r.ended_at]
    return max(done, key=lambda r: (r.ended_at, r.created_at)).group if done else None


def check_due(now=None):
    """Notify, once each, about every open case's clock now at risk or breached;
    return how many notices went out (the worker calls this on every run)."""
    now = now or utcnow()
    cases = Case.without_workflow().filter_by(status="open").order_by(Case.id).all()
    due = sla_notices.due_notices(cases, for_cases(cases, now))
    # Each notice is its own transaction; nothing read here may stay open.
    db.session.rollback()
    managers = service_levels().managers
    return sum(sla_notices.send(notice, managers, now) for notice in due)
