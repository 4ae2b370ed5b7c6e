"""The outbox as staff see it: the emails, one email, and what a person may do.

A person settles what the worker will not decide alone: an email in
`unknown` (the worker stopped while sending it) is marked sent once someone
has checked that it arrived, or queued again; a `failed` or `kept` one is
queued again, for example after the mail settings were fixed.
"""

from sqlalchemy import func

from models import Email, db, utcnow
from models.email import STATUSES

from .errors import BadRequest, Conflict, Invalid, NotFound
from .sync import record
from .transaction import atomic

REQUEUED_FROM = ("kept", "failed", "unknown")
MARKED_SENT_FROM = ("unknown",)
# Ids are 32-bit integers in the database; a larger one names no email, and
# asking the database for it would fail rather than find nothing.
LARGEST_ID = 2**31 - 1


def emails(status=None, page=1, per_page=50):
    """(emails newest first, their total) with `status`, or of every status."""
    if status is not None and status not in STATUSES:
        raise Invalid(f"unknown status {status!r}", {"status": "unknown status"})
    if not 1 <= page <= LARGEST_ID // per_page + 1:
        raise BadRequest(f"there is no page {page}", {"page": "no such page"})
    query = Email.query.options(db.joinedload(Email.case))
    if status is not None:
        query = query.filter(Email.status == status)
    total = query.count()
    rows = query.order_by(Email.id.desc()).offset((page - 1) * per_page)
    return rows.limit(per_page).all(), total


def counts():
    """{status: number of emails} for every status."""
    rows = db.session.query(Email.status, func.count()).group_by(Email.status).all()
    found = dict(rows)
    return {status: found.get(status, 0) for status in STATUSES}


def email(email_id):
    """One outbox email, or NotFound."""
    row = db.session.get(Email, email_id) if 0 < email_id <= LARGEST_ID else None
    if row is None:
        raise NotFound(f"no email {email_id}")
    return row


def requeue(user, email_id):
    """Queue a kept, failed or unknown email again, with its own Message-ID."""
    return atomic(lambda: _change(user, email_id, "queued", REQUEUED_FROM))


def mark_sent(user, email_id):
    """Record that an email in `unknown` did reach its recipient."""
    return atomic(lambda: _change(user, email_id, "sent", MARKED_SENT_FROM))


def requeue_all(status):
    """Queue again every email in `status` (kept, failed or unknown); how many."""
    if status not in REQUEUED_FROM:
        raise Invalid(f"only {', '.join(REQUEUED_FROM)} emails are queued again")
    changed = Email.query.filter_by(status=status).update(
        _values("queued"), synchronize_session=False
    )
    db.session.commit()
    return changed


def _change(user, email_id, status, allowed_from):
    row = email(email_id)
    if row.status not in allowed_from:
        raise Conflict(f"email {row.id} is {row.status}; it cannot become {status}")
    previous = row.status
    for name, value in _values(status).items():
        setattr(row, name, value)
    if row.case is not None:
        kind = "email_requeued" if status == "queued" else "email_marked_sent"
        data = {"template": row.template, "to": row.recipient, "was": previous}
        record(row.case, kind, actor=user, data=data)
    return row


def _values(status):
    if status == "queued":
        return {
            "status": "queued",
            "attempts": 0,
            "next_attempt_at": None,
            "attempt_started_at": None,
            "last_error": None,
        }
    return {"status": "sent", "sent_at": utcnow()}
