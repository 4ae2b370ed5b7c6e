"""Deliver the outbox over SMTP, each email at most once without a person's say.

The life of an outbox row:

    queued -> sending -> sent
              sending -> queued again later (refused for now, or no connection)
              sending -> failed (refused for good, or out of attempts)
              sending -> unknown (the connection broke while the server was
                                  taking the message, or the worker died)
    queued -> kept (no SMTP_HOST: the demo mode, nothing leaves)

The rule for a worker killed mid-send: a row is marked `sending`, with the
time the attempt started, in a transaction committed before the SMTP
conversation begins, and marked `sent` in another one after the server took
the message. A worker killed between the two leaves the row in `sending`,
and nobody can tell whether the server got it. Such a row is never sent
again on its own: once it has been `sending` for MAIL_SENDING_TIMEOUT (far
longer than one SMTP conversation may last), the next run parks it as
`unknown`, and the outbox page shows it for a person to check with the
recipient and then mark it sent or queue it again. An email queued again
keeps its Message-ID, so a recipient who did get the first copy sees the
same message, not a new one. Nothing is sent twice by the worker alone, and
nothing is lost without a trace.
"""

import logging
import re
from collections import Counter
from datetime import timedelta
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from flask import current_app
from sqlalchemy import or_, select, update

from models import Email, db, utcnow

from . import reply_tokens
from .emails import header_text, new_message_id
from .smtp import Connection, NotSent, Unsure

log = logging.getLogger("casepath.email")
LONGEST_BACKOFF = timedelta(hours=6)
SUBJECT_TOKEN = re.compile(r"\[[^\]#]* #([0-9a-f]+)\]")


def deliver_due(limit=100):
    """Send what is due (or keep it, without SMTP_HOST); return counts by outcome."""
    config = current_app.config
    outcomes = Counter()
    outcomes["unknown"] += park_stuck()
    if not config.get("SMTP_HOST"):
        outcomes["kept"] += _keep_queued()
        return outcomes
    connection = Connection(config)
    try:
        for _ in range(limit):
            email = claim_next()
            if email is None:
                break
            outcome = _deliver(connection, email)
            outcomes[outcome] += 1
            if outcome == "retry" and connection.smtp is None:
                break  # the server is unreachable: the rest waits for the next run
    finally:
        connection.close()
    return outcomes


def park_stuck(now=None):
    """Mark as `unknown` the rows left `sending` by a worker that died mid-send."""
    now = now or utcnow()
    timeout = timedelta(seconds=current_app.config["MAIL_SENDING_TIMEOUT"])
    stuck = db.session.scalars(
        select(Email.id).where(
            Email.status == "sending", Email.attempt_started_at < now - timeout
        )
    ).all()
    if stuck:
        db.session.execute(
            update(Email)
            .where(Email.id.in_(stuck), Email.status == "sending")
            .values(
                status="unknown",
                last_error="the worker stopped while sending; the recipient may "
                "have it: check before queuing it again",
            )
        )
        for email_id in stuck:
            log.warning("email %s may or may not have been sent", email_id)
    db.session.commit()
    return len(stuck)


def _keep_queued():
    kept = db.session.execute(
        update(Email).where(Email.status == "queued").values(status="kept")
    ).rowcount
    db.session.commit()
    return kept


def claim_next(now=None):
    """The next due queued email, marked `sending` and committed, or None.

    On PostgreSQL the row is locked with SKIP LOCKED, so workers running at
    once never claim the same email.
    """
    now = now or utcnow()
    query = (
        select(Email)
        .where(
            Email.status == "queued",
            or_(Email.next_attempt_at.is_(None), Email.next_attempt_at <= now),
        )
        .order_by(Email.id)
        .limit(1)
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    )
    email = db.session.execute(query).scalar_one_or_none()
    if email is None:
        db.session.rollback()
        return None
    email.message_id = email.message_id or new_message_id()
    email.reply_to = email.reply_to or reply_to_of(email)
    email.status = "sending"
    email.attempts += 1
    email.attempt_started_at = now
    db.session.commit()
    return email


def reply_to_of(email):
    """The token address a questions email queued without one replies to, made
    from this worker's REPLY_ADDRESS; None for other emails or without it.

    The web server fixes an email's Reply-To when it queues it, but the setting
    may be given to the worker alone; the token is in the subject either way.
    """
    if email.template not in reply_tokens.REPLY_TEMPLATES:
        return None
    tag = SUBJECT_TOKEN.search(email.subject or "")
    token = reply_tokens.find(tag.group(1)) if tag else None
    if token is None or token.case_id != email.case_id:
        return None
    return reply_tokens.reply_address(token.token)


def _deliver(connection, email):
    config = current_app.config
    try:
        recipients = recipients_of(email, config)
        message = _message_or_refusal(email, config, recipients)
        connection.send(message, _address(config["MAIL_FROM"]), recipients)
    except NotSent as refusal:
        return _not_sent(email, str(refusal), refusal.permanent)
    except Unsure as broken:
        return _finish(
            email,
            "unknown",
            f"the connection broke while the server took the message: {broken}",
        )
    log.info(
        "email %s (%s) of case %s sent",
        email.id,
        email.template,
        email.case_id,
        extra={"email": email.id, "case_id": email.case_id},
    )
    return _finish(email, "sent", None, sent_at=utcnow())


def _not_sent(email, error, permanent):
    config = current_app.config
    if permanent or email.attempts >= config["MAIL_MAX_ATTEMPTS"]:
        log.error("email %s failed: %s", email.id, error)
        return _finish(email, "failed", error)
    # Capped in seconds before it becomes a timedelta, which a long doubling
    # would overflow.
    seconds = config["MAIL_RETRY_SECONDS"] * 2.0 ** min(email.attempts - 1, 64)
    delay = timedelta(seconds=min(seconds, LONGEST_BACKOFF.total_seconds()))
    log.info("email %s not sent (%s); retry in %s", email.id, error, delay)
    return _finish(email, "queued", error, next_attempt_at=utcnow() + delay)


def _finish(email, status, error, **values):
    """Record an attempt's outcome in its own transaction; return its name. A
    success keeps the last error on record (a refusal before it, or the
    template that had to fall back), for the Outbox to show."""
    db.session.execute(
        update(Email)
        .where(Email.id == email.id, Email.status.in_(("sending", "unknown")))
        .values(status=status, last_error=error or Email.last_error, **values)
    )
    db.session.commit()
    return "retry" if status == "queued" else status


def recipients_of(email, config):
    """The addresses of an email: its recipient, or the addresses of its group."""
    if "@" in email.recipient:
        return [part.strip() for part in email.recipient.split(",") if part.strip()]
    listed = config.get("MAIL_GROUP_ADDRESSES", {}).get(email.recipient, "")
    addresses = [part.strip() for part in listed.split(",") if part.strip()]
    if not addresses:
        raise NotSent(
            f"no address for the group {email.recipient!r}: "
            "set it in MAIL_GROUP_ADDRESSES",
            permanent=True,
        )
    return addresses


def build_message(email, config, recipients):
    """The MIME message of an outbox row: text, and HTML as an alternative."""
    message = EmailMessage()
    # Rows queued before their headers were cleaned may still hold line breaks.
    message["From"] = header_text(config["MAIL_FROM"])
    message["To"] = header_text(", ".join(recipients))
    message["Subject"] = header_text(email.subject)
    message["Date"] = format_datetime(email.created_at)
    message["Message-ID"] = email.message_id
    if email.reply_to:
        message["Reply-To"] = header_text(email.reply_to)
    # Tells out-of-office responders not to answer (RFC 3834).
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(email.body)
    if email.html_body:
        message.add_alternative(email.html_body, subtype="html")
    return message


def _message_or_refusal(email, config, recipients):
    try:
        return build_message(email, config, recipients)
    except Exception as error:  # a row that cannot become a message never will
        log.error("email %s cannot be built", email.id, exc_info=True)
        raise NotSent(
            f"the message cannot be built: {error}", permanent=True
        ) from error


def _address(header_value):
    return parseaddr(header_value)[1]
