"""Answer a case's questions with the client's emailed reply.

A reply counts only through the token of the questions email it answers (in
the `cases+<token>@...` address or the `[CP-000123 #<token>]` subject tag);
who sent it never decides which case it answers. The answer is given as the
case's contact, through the same task rules as the portal.
"""

import logging
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import update
from sqlalchemy.exc import SQLAlchemyError

from models import Task, db, utcnow
from models.email import ReplyToken
from models.user import CLIENT_GROUP

from . import inbound, reply_tokens, tasks
from .errors import Conflict, Forbidden, Invalid

log = logging.getLogger("casepath.email")
ANSWER_FIELD = "answers"

# Exit statuses of `flask mail receive`, as mail servers read them (sysexits.h).
DATA_ERROR = 65  # no token in the message, or an answer the form refuses
NO_INPUT = 66  # nothing written above the quoted questions
NO_USER = 67  # a token nobody issued
UNAVAILABLE = 69  # the questions were answered already, or the case moved on
NO_PERMISSION = 77  # the task is claimed by someone in the portal
TRY_LATER = 75  # the database is busy or the case changed at that moment


class ReplyRefused(Exception):
    """A reply that answers nothing; `status` is the exit status to report."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class Answered:
    """What a reply did: the case it answered, and whether it was only ignored."""

    case_number: str | None
    sender: str
    ignored: str | None = None


@dataclass
class EmailContact:
    """The case's client contact, answering by email rather than signed in."""

    name: str
    firm: str
    id: None = None
    groups: list = field(default_factory=lambda: [CLIENT_GROUP])
    is_manager: bool = False
    is_owner: bool = False
    is_staff: bool = False
    is_client: bool = True

    def in_group(self, group):
        return group in self.groups


def receive(raw):
    """Answer the questions `raw` (an RFC 822 message) replies to, or refuse."""
    try:
        return _receive(raw)
    except RecursionError:
        # The parser descends once per nested part; thousands of them are no
        # reply a person wrote.
        raise ReplyRefused(DATA_ERROR, "the message nests too many parts") from None


def _receive(raw):
    message = inbound.parse(raw)
    sender = inbound.sender_of(message)
    if inbound.is_automatic(message):
        return Answered(None, sender, ignored="an automatic reply, not an answer")
    token = _token_row(message)
    task = db.session.get(Task, token.task_id)
    number = token.case.case_number
    if task is None or task.state != "ready":
        raise ReplyRefused(
            UNAVAILABLE, f"the questions of case {number} are no longer waiting"
        )
    text = inbound.reply_text(message)
    if not text:
        raise ReplyRefused(NO_INPUT, "the reply has no text above the quoted message")
    _answer(task, token, sender, text)
    log.info(
        "questions of case %s answered by email",
        number,
        extra={"case": number, "task": task.id},
    )
    return Answered(number, sender)


def _token_row(message):
    configured = current_app.config.get("REPLY_ADDRESS")
    tagged_case, tagged = inbound.subject_token(message)
    value = inbound.address_token(message, configured) or tagged
    if not value:
        raise ReplyRefused(
            DATA_ERROR,
            "no reply token: neither the address nor the subject "
            "([CP-000123 #token]) names the questions answered",
        )
    row = reply_tokens.find(value)
    if row is None or (value == tagged and tagged_case != row.case.case_number):
        raise ReplyRefused(NO_USER, f"unknown reply token {value!r}")
    return row


def _answer(task, token, sender, text):
    case = task.case
    who = f"{case.contact_name} (email from {sender or 'unknown sender'})"
    contact = EmailContact(name=who[:120], firm=case.firm)
    try:
        tasks.complete(contact, task.id, {ANSWER_FIELD: text})
    except Invalid as refused:
        detail = "; ".join(f"{k}: {v}" for k, v in (refused.fields or {}).items())
        raise ReplyRefused(DATA_ERROR, detail or refused.message) from refused
    except Forbidden as refused:
        raise ReplyRefused(NO_PERMISSION, refused.message) from refused
    except Conflict as busy:
        if db.session.get(Task, task.id).state != "ready":
            raise ReplyRefused(UNAVAILABLE, busy.message) from busy
        raise ReplyRefused(TRY_LATER, busy.message) from busy
    except SQLAlchemyError as error:
        db.session.rollback()
        raise ReplyRefused(
            TRY_LATER, f"the database is unavailable: {error}"
        ) from error
    db.session.execute(
        update(ReplyToken)
        .where(ReplyToken.token == token.token)
        .values(used_at=utcnow())
    )
    db.session.commit()
