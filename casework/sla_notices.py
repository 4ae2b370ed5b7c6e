"""Tell the owning group and the managers, once, that a case nears or passes a target.

A notice is a row of `sla_notices`, unique per case, target and level; it is
inserted first in its own transaction, and the emails and the case's event
go in the same transaction only when the insert went through. So repeated
runs, and workers running at the same moment, notify once.

The emails go to the owning group and to the managers as outbox recipients:
group names the delivery resolves through MAIL_GROUP_ADDRESSES (users have no
address of their own), or plain addresses.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError

from models import Case, SlaNotice, db

from . import emails
from .sla_view import ago, wall_span
from .sync import record
from .transaction import atomic

log = logging.getLogger("casepath.sla")
TEMPLATES = {"at_risk": "sla_warning", "breached": "sla_breached"}
EVENTS = {"at_risk": "sla_at_risk", "breached": "sla_breached"}


@dataclass(frozen=True)
class Notice:
    """One notice to send, in plain values read before any write."""

    case_id: int
    case_number: str
    target: str
    level: str
    priority: str
    summary: str
    group: str | None
    moment: datetime  # when the clock is due (at risk) or breached


def due_notices(cases, levels):
    """The notices open `cases` call for that were not sent yet."""
    sent = set(
        db.session.query(SlaNotice.case_id, SlaNotice.target, SlaNotice.level).filter(
            SlaNotice.case_id.in_([case.id for case in cases])
        )
    )
    due = []
    for case in cases:
        case_levels = levels[case.id]
        for clock in case_levels.clocks.values():
            level = clock.state if clock.state in TEMPLATES else None
            if clock.stopped or level is None or (case.id, clock.target, level) in sent:
                continue
            due.append(
                Notice(
                    case_id=case.id,
                    case_number=case.case_number,
                    target=clock.target,
                    level=level,
                    priority=case_levels.priority,
                    summary=case.summary,
                    group=case_levels.group,
                    moment=clock.due_at if level == "at_risk" else clock.breached_at,
                )
            )
    return due


def send(notice, managers, now):
    """Record `notice` and queue its emails and event; False when it was already
    sent (by an earlier run or another worker)."""
    return atomic(lambda: _send(notice, managers, now))


def _send(notice, managers, now):
    # The insert comes first: until it succeeds this transaction has read
    # nothing, so on SQLite it cannot hold a snapshot older than the winner's.
    db.session.add(
        SlaNotice(case_id=notice.case_id, target=notice.target, level=notice.level)
    )
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return False
    case = db.session.get(Case, notice.case_id)
    recipients = list(dict.fromkeys(filter(None, (notice.group, managers))))
    context = _context(notice, now)
    for recipient in recipients:
        db.session.add(
            emails.compose(case, TEMPLATES[notice.level], recipient, context)
        )
    record(case, EVENTS[notice.level], data=_event_data(notice, now, recipients))
    log.info(
        "%s target %s on case %s",
        notice.target,
        notice.level.replace("_", " "),
        notice.case_number,
        extra={"case": notice.case_number, "target": notice.target},
    )
    return True


def _context(notice, now):
    context = {
        "priority": notice.priority,
        "summary": notice.summary,
        "target": notice.target,
        "group": notice.group or "nobody yet",
    }
    if notice.level == "at_risk":
        context["time_left"] = max(notice.moment - now, timedelta(0))
    else:
        context["time_over"] = max(now - notice.moment, timedelta(0))
    return context


def _event_data(notice, now, recipients):
    data = {"target": notice.target, "priority": notice.priority}
    if notice.level == "at_risk":
        data["due_in"] = wall_span((notice.moment - now).total_seconds())
    else:
        data["breached"] = ago((now - notice.moment).total_seconds())
    data["notified"] = ", ".join(recipients)
    return data
