"""Fire the timers that are due, case by case, as the worker's job."""

import logging

import engine
from models import Case, Timer, db, utcnow

from . import versions
from .engine_errors import engine_errors
from .errors import ProcessError
from .sync import apply_outcome, record, warm_key
from .transaction import atomic

log = logging.getLogger("casepath.timers")


def due_cases(now=None, limit=100):
    """Ids of cases with a timer due at `now`, oldest due first."""
    now = now or utcnow()
    rows = (
        db.session.query(Timer.case_id, db.func.min(Timer.due_at))
        .filter(Timer.state == "waiting", Timer.due_at <= now)
        .group_by(Timer.case_id)
        .order_by(db.func.min(Timer.due_at))
        .limit(limit)
        .all()
    )
    db.session.rollback()
    return [case_id for case_id, _due in rows]


def fire_case(case_id):
    """Fire the due timers of one case; return the elements that fired."""
    return atomic(lambda: _fire(case_id))


def _fire(case_id):
    case = db.session.get(Case, case_id)
    with engine_errors():
        outcome = engine.fire_timers(
            versions.definition_for(case), case.workflow, warm_key(case)
        )
    fired = apply_outcome(case, outcome).fired
    for element in fired:
        log.info(
            "timer %s fired on case %s",
            element,
            case.case_number,
            extra={"case": case.case_number, "element": element},
        )
    return fired


def fire_due(now=None, limit=100):
    """Fire every due timer; return {case_number: [elements fired]}."""
    fired = {}
    for case_id in due_cases(now, limit):
        try:
            elements = fire_case(case_id)
        except ProcessError as error:
            log.error("timer failed on case %s", case_id, exc_info=True)
            atomic(lambda case_id=case_id, error=error: _mark_failed(case_id, error))
            continue
        if elements:
            fired[db.session.get(Case, case_id).case_number] = elements
    return fired


def _mark_failed(case_id, error):
    """Park the due timers of a case whose process failed, so they are not retried
    on every run; the case history says why."""
    case = db.session.get(Case, case_id)
    due = Timer.query.filter(
        Timer.case_id == case_id, Timer.state == "waiting", Timer.due_at <= utcnow()
    ).all()
    for timer in due:
        timer.state = "failed"
        timer.ended_at = utcnow()
        record(
            case, "timer_failed", element=timer.element, data={"error": error.message}
        )
