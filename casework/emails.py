"""Render the emails a process asks for into outbox rows, as text and HTML.

Each kind of email is two editable files in `emails/`: `<name>.txt`, whose
first lines are headers (`Subject: ...`, optionally `Reply-To: ...`) followed
by the plain-text body, and `<name>.html`, the HTML body (autoescaped). An
email without an HTML file goes as plain text only.
"""

import logging
import re
from dataclasses import dataclass
from datetime import timedelta
from email.utils import make_msgid, parseaddr
from pathlib import Path

from flask import current_app
from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    select_autoescape,
)

from models import Email

from . import reply_tokens

log = logging.getLogger("casepath.email")
TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "emails"
HEADER = re.compile(r"(subject|reply-to):[ \t]*(.*)", re.IGNORECASE)
SUBJECT_LIMIT = 300
# What every email's template gets besides its data (see compose).
COMPOSED_NAMES = frozenset({"case_number", "firm", "reply_token", "reply_address"})
# What the plain fallback keeps of an email whose template failed: what the
# client must read to act on it. Nothing internal (Triage's findings, say).
FALLBACK_FIELDS = {
    "questions": "Our questions",
    "resolution_notes": "What we did",
    "setup_change": "What we did",
    "resolution_summary": "What we did",
    "next_steps": "Next steps",
}


def duration(value):
    """A span as people say it: `2 days 3 h`, `45 min` (timedelta or seconds)."""
    seconds = value.total_seconds() if isinstance(value, timedelta) else float(value)
    minutes = int(abs(seconds) // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [f"{days} day{'s' if days != 1 else ''}"] if days else []
    if hours:
        parts.append(f"{hours} h")
    if minutes and not days:
        parts.append(f"{minutes} min")
    return " ".join(parts) or "less than a minute"


environment = Environment(
    loader=FileSystemLoader(TEMPLATE_DIR),
    autoescape=select_autoescape(enabled_extensions=("html",)),
    undefined=StrictUndefined,
    keep_trailing_newline=True,
)
environment.filters["duration"] = duration


@dataclass
class Rendered:
    """One email as its templates made it."""

    subject: str
    text: str
    html: str | None = None
    reply_to: str | None = None
    problem: str | None = None  # why a template could not be used


def render(template, context):
    """The email `template` makes of `context`: subject, text, HTML, Reply-To.

    A template that fails (a syntax error, a name the context lacks) never
    stops the step that sends it: the email goes as a plain fallback that keeps
    what the reader needs, and says in `problem` what went wrong.
    """
    try:
        text = environment.get_template(f"{template}.txt").render(**context)
    except TemplateError as error:
        log.warning("email template %s could not be rendered", template, exc_info=True)
        return _fallback(template, context, f"{template}.txt: {_said(error)}")
    headers, body = _split_headers(text)
    html, problem = _render_html(template, context)
    return Rendered(
        subject=headers.get("subject", template.replace("_", " ")),
        text=body,
        html=html,
        reply_to=headers.get("reply-to") or None,
        problem=problem,
    )


def _split_headers(text):
    """({name: value}, body) of a rendered text template."""
    headers = {}
    lines = text.split("\n")
    while lines and (match := HEADER.fullmatch(lines[0].strip())):
        headers[match.group(1).lower()] = match.group(2).strip()
        lines.pop(0)
    return headers, "\n".join(lines).lstrip("\n")


def _render_html(template, context):
    """(HTML, problem): no HTML when the file is missing or fails."""
    try:
        return environment.get_template(f"{template}.html").render(**context), None
    except TemplateNotFound:
        return None, None
    except TemplateError as error:
        log.warning("HTML of email %s could not be rendered", template, exc_info=True)
        return None, f"{template}.html: {_said(error)}; sent as text only"


def _said(error):
    line = getattr(error, "lineno", None)
    return f"line {line}: {error.message}" if line else str(error.message or error)


def _fallback(template, context, problem):
    number = context.get("case_number", "")
    subject = f"Case {number}: {template.replace('_', ' ')}"
    token = context.get("reply_token")
    if token:
        subject += f" [{number} #{token}]"
    lines = [subject, "", str(context.get("summary", ""))]
    for field, label in FALLBACK_FIELDS.items():
        if context.get(field):
            lines += ["", f"{label}:", str(context[field])]
    return Rendered(
        subject,
        "\n".join(lines) + "\n",
        reply_to=context.get("reply_address"),
        problem=f"{problem}; sent as a plain fallback",
    )


def queue(case, notice):
    """An outbox row for one notice of the engine, not yet added to the session."""
    return compose(case, notice.template, notice.to or case.contact_email, notice.data)


def compose(case, template, recipient, data):
    """An outbox row of `template` for `case` to `recipient` (an address or a
    group name), with `data` as the template's context; not yet added."""
    context = {
        **data,
        "case_number": case.case_number,
        "firm": case.firm,
        "reply_token": None,
        "reply_address": None,
    }
    if template in reply_tokens.REPLY_TEMPLATES:
        token = reply_tokens.token_for(case)
        context["reply_token"] = token
        context["reply_address"] = reply_tokens.reply_address(token)
    rendered = render(template, context)
    return Email(
        case_id=case.id,
        template=template,
        recipient=recipient,
        subject=header_text(rendered.subject)[:SUBJECT_LIMIT],
        body=rendered.text,
        html_body=rendered.html,
        reply_to=header_text(rendered.reply_to or "") or None,
        message_id=new_message_id(),
        last_error=rendered.problem,
    )


def header_text(value):
    """`value` on one line: each line break, as str.splitlines finds them (also
    U+2028 and U+0085), becomes a space. A header holding one is refused when the
    message is built, and could otherwise start a header of its own."""
    return " ".join(filter(None, (line.strip() for line in value.splitlines())))


def new_message_id():
    """A Message-ID no other email has; it stays with its outbox row for good."""
    sender = current_app.config.get("MAIL_FROM") or ""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    return make_msgid(idstring="casepath", domain=domain)
