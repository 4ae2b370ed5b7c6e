"""Render the emails a process asks for into outbox rows."""

from pathlib import Path

from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateNotFound,
    UndefinedError,
    select_autoescape,
)

from models import Email

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "emails"
_environment = Environment(
    loader=FileSystemLoader(TEMPLATE_DIR),
    autoescape=select_autoescape(enabled_extensions=("html",)),
    undefined=StrictUndefined,
    keep_trailing_newline=True,
)


def render(template, context):
    """(subject, body) of `template`.txt, whose first line is `Subject: ...`."""
    try:
        text = _environment.get_template(f"{template}.txt").render(**context)
    except (TemplateNotFound, UndefinedError):
        return _fallback(template, context)
    first, _, body = text.partition("\n")
    subject = first.removeprefix("Subject:").strip()
    return subject, body.lstrip("\n")


def _fallback(template, context):
    number = context.get("case_number", "")
    subject = f"Case {number}: {template.replace('_', ' ')}"
    return subject, f"{subject}\n\n{context.get('summary', '')}\n"


def queue(case, notice):
    """An outbox row for one notice of the engine, not yet added to the session."""
    context = {**notice.data, "case_number": case.case_number, "firm": case.firm}
    subject, body = render(notice.template, context)
    return Email(
        case_id=case.id,
        template=notice.template,
        recipient=notice.to or case.contact_email,
        subject=subject[:300],
        body=body,
    )
