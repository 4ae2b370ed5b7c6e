"""Older demo cases: move a freshly loaded case back in time, all of it at once.

The demo loader drives every case at the moment it runs, so without this no
service level would be at risk or breached. Moving the report and every
timestamp the case left behind (tasks, events, emails, notices, comments) by
the same span keeps their order and the time between them, so each clock reads
as if the case had been reported that many working days ago.
"""

from datetime import timedelta

import click

from casework.business_hours import LONGEST_SEARCH_DAYS
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
    reported = working_time_before(calendar, now or utcnow(), seconds)
    span = case.created_at - reported
    _move(case, span)
    for model in CASE_ROWS:
        for row in model.query.filter_by(case_id=case.id):
            _move(row, span)
    db.session.commit()
    return reported


def working_time_before(calendar, end, seconds):
    """The moment `seconds` working seconds of `calendar` before aware `end`."""
    left = float(seconds)
    day = end.astimezone(calendar.zone).date()
    days = int(seconds // calendar.day_seconds + 1) * 7 + len(calendar.holidays)
    for _ in range(days + LONGEST_SEARCH_DAYS):
        if calendar.is_working_day(day):
            opens, closes = calendar.window(day)
            finish = min(closes, end)
            available = (finish - opens).total_seconds()
            if available > 0:
                if left <= available:
                    return finish - timedelta(seconds=left)
                left -= available
        day -= timedelta(days=1)
    raise ValueError("the calendar has no working time within a few years before")


def _move(row, span):
    for column in row.__table__.columns:
        if isinstance(column.type, UtcDateTime):
            value = getattr(row, column.key)
            if value is not None:
                setattr(row, column.key, value - span)
