"""Reply tokens: what lets an emailed answer find the questions it answers.

A questions email (and its reminder) carries a random token in its Reply-To
address (`cases+<token>@...`) and in its subject (`[CP-000123 #<token>]`).
The token names one waiting `answer_questions` task, so a reply answers that
round of questions and no other; the sender's address alone never does.
"""

import re
import secrets

from flask import current_app

from models import Task, db
from models.email import ReplyToken

REPLY_TASK = "answer_questions"
REPLY_TEMPLATES = frozenset({"client_questions", "client_reminder"})
TOKEN_PATTERN = re.compile(r"[0-9a-f]{24}")
TOKEN_BYTES = 12


def token_for(case):
    """The token of the case's waiting questions, made on first use; None when
    no `answer_questions` task waits."""
    task = (
        Task.query.filter_by(case_id=case.id, element=REPLY_TASK, state="ready")
        .order_by(Task.created_at.desc())
        .first()
    )
    if task is None:
        return None
    row = ReplyToken.query.filter_by(task_id=task.id).one_or_none()
    if row is None:
        row = ReplyToken(
            token=secrets.token_hex(TOKEN_BYTES), case_id=case.id, task_id=task.id
        )
        db.session.add(row)
    return row.token


def reply_address(token):
    """`cases+<token>@domain` from REPLY_ADDRESS, or None when it is not set."""
    configured = current_app.config.get("REPLY_ADDRESS") or ""
    local, at, domain = configured.rpartition("@")
    if not token or not at or not local:
        return None
    return f"{local}+{token}@{domain}"


def subject_tag(case_number, token):
    """The tag a reply's subject keeps: `[CP-000123 #<token>]`."""
    return f"[{case_number} #{token}]"


def find(token):
    """The stored token row, or None for a value never issued."""
    if not token or not TOKEN_PATTERN.fullmatch(token):
        return None
    return db.session.get(ReplyToken, token)
