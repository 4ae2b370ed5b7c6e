"""Older demo cases: move a freshly loaded case back in time, all of it at once.

The demo loader drives every case at the moment it runs, so without this no
service level would be at risk or breached. Moving the report and every
timestamp the case left behind (tasks, events, emails, notices, comments) by
the same span keeps their order and the time between them, so each clock reads
as if the case had been reported that many working days ago.
"""

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
    reported = subtract_business_seconds(calendar, now or utcnow(), seconds)
    span = case.created_at - reported
    _move(case, span)
    for model in CASE_ROWS:
        for row in model.query.filter_by(case_id=case.id):
            _move(row, span)
    db.session.commit()
    return reported


def _move(row, span):
    for column in row.__table__.columns:
        if isinstance(column.type, UtcDateTime):
            value = getattr(row, column.key)
            if value is not None:
                setattr(row, column.key, value - span)
