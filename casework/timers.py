"""Fire the timers that are due, case by case, as the worker's job.

Several workers may run at once on PostgreSQL: a worker locks the case row
with SKIP LOCKED before firing, so a case another worker is firing is left to
it, and it fires only timers still waiting once it holds the lock. The
case's optimistic lock stays the last guard against a completion at the same
moment (see transaction.py).
"""

import logging

from sqlalchemy import select

import engine
from models import Case, Timer, db, utcnow

from . import versions
from .engine_errors import engine_errors
from .errors import Conflict, ProcessError
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
    case = _lock_case(case_id)
    if case is None or not _has_due_timers(case_id):
        return []  # another worker holds the case, or has just fired its timers
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


def _lock_case(case_id):
    """The case row, locked for this transaction; None while another holds it."""
    query = (
        select(Case)
        .where(Case.id == case_id)
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    )
    return db.session.execute(query).scalar_one_or_none()


def _has_due_timers(case_id):
    return db.session.query(
        Timer.query.filter(
            Timer.case_id == case_id,
            Timer.state == "waiting",
            Timer.due_at <= utcnow(),
        ).exists()
    ).scalar()


def fire_due(limit=100):
    """Fire every timer due now, a batch of cases at a time; return
    {case_number: [elements fired]}."""
    fired, tried = {}, set()
    while batch := [i for i in due_cases(limit=limit) if i not in tried]:
        for case_id in batch:
            tried.add(case_id)
            elements = _fire_or_park(case_id)
            if elements:
                fired[db.session.get(Case, case_id).case_number] = elements
    return fired


def _fire_or_park(case_id):
    try:
        return fire_case(case_id)
    except ProcessError as error:
        log.error("timer failed on case %s", case_id, exc_info=True)
        atomic(lambda error=error: _mark_failed(case_id, error))
        return []
    except Conflict:
        log.warning("case %s kept changing; its timers wait for the next run", case_id)
        return []


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
