"""Older demo cases: move a freshly loaded case back in time and give its steps
the time people take over them.

The demo loader drives every case at the moment it runs, so without this no
service level would be at risk or breached, and every step would have taken
no time at all. Each completed task is given a typical time (STEP_HOURS,
shortened to fit the case's age) by moving everything after its completion
later by that much; then the report and every timestamp the case left behind
(tasks, events, emails, notices, comments) move back by one span, so their
order stays and each clock reads as if the case had been reported that many
working days ago.
"""

import bisect
from datetime import timedelta

import click

from casework.business_hours import subtract_business_seconds
from casework.sla_config import service_levels
from models import (
    Case,
    Comment,
    Email,
    Event,
    PlusOne,
    ReplyToken,
    SlaNotice,
    Task,
    Timer,
    db,
    utcnow,
)
from models.base import UtcDateTime

CASE_ROWS = (Task, Event, Email, ReplyToken, Timer, SlaNotice, Comment, PlusOne)
# What a step typically takes, in hours of wall time.
STEP_HOURS = {
    "assess_issue": 1.5,
    "resolve_directly": 3,
    "review_setup": 5,
    "triage_investigate": 14,
    "evaluate_scope": 4,
    "research_fix": 30,
    "answer_questions": 20,
    "technical_review": 6,
    "verify_fix": 5,
    "close_case": 1,
    "review_resolution": 26,
}
# The steps take at most this share of the time since the report.
STEPS_SHARE = 0.8


def age_case(number, business_days, now=None):
    """Move case `number` back so it was reported `business_days` working days
    (of the service-level calendar) before `now`; return the new report time."""
    case = Case.query.filter_by(case_number=number).one()
    # A waiting timer's due time also lives inside the workflow, which this
    # does not rewrite: moving only the row would fire it at the wrong time.
    if Timer.query.filter_by(case_id=case.id, state="waiting").count():
        raise click.ClickException(f"{number} waits on a timer and cannot be aged")
    calendar = service_levels().calendar
    seconds = business_days * calendar.day_seconds
    now = now or utcnow()
    reported = subtract_business_seconds(calendar, now, seconds)
    rows = [
        row for model in CASE_ROWS for row in model.query.filter_by(case_id=case.id)
    ]
    later = _step_times(rows, (now - reported) * STEPS_SHARE)
    span = case.created_at - reported
    for row in (case, *rows):
        _move(row, lambda value: value + later(value) - span)
    db.session.commit()
    return reported


def _step_times(rows, room):
    """How much later a moment of the case moves once each completed task takes
    its typical time (all of them together at most `room`)."""
    done = sorted(
        (row.ended_at, STEP_HOURS.get(row.element, 1))
        for row in rows
        if isinstance(row, Task) and row.state == "completed" and row.ended_at
    )
    total = sum(hours for _ended, hours in done)
    scale = min(1.0, room / timedelta(hours=total)) if total else 1.0
    ends, pushed, sum_so_far = [], [], timedelta(0)
    for ended, hours in done:
        sum_so_far += timedelta(hours=hours * scale)
        ends.append(ended)
        pushed.append(sum_so_far)

    def later(moment):
        # Every task completed by `moment` (its own completion included) has
        # taken its time before it.
        count = bisect.bisect_right(ends, moment)
        return pushed[count - 1] if count else timedelta(0)

    return later


def _move(row, change):
    for column in row.__table__.columns:
        if isinstance(column.type, UtcDateTime):
            value = getattr(row, column.key)
            if value is not None:
                setattr(row, column.key, change(value))
