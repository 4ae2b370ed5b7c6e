"""The outbox page: every email the process queued, how its delivery went, and
the two things a person decides (mark sent, queue again); managers and owners."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from casework import outbox
from casework.errors import Conflict
from models.email import STATUSES

from .signin import page_user, signed_in

bp = Blueprint("outbox", __name__, url_prefix="/outbox")
PER_PAGE = 50
MAX_PAGE = 100_000  # as the API's page numbers


def _require_manager():
    user = page_user()
    if not (user.is_manager or user.is_owner):
        abort(403)
    return user


@bp.get("")
@signed_in
def index():
    """The emails, newest first, filterable by delivery status."""
    _require_manager()
    status = request.args.get("status") or None
    page = request.args.get("page", "1")
    if status not in (None, *STATUSES) or not page.isascii() or not page.isdigit():
        abort(400)
    page = int(page)
    if not 1 <= page <= MAX_PAGE:
        abort(400)

    rows, total = outbox.emails(status, page, PER_PAGE)

    return render_template(
        "outbox.html",
        rows=rows,
        total=total,
        status=status,
        page=page,
        pages=max(1, -(-total // PER_PAGE)),
        counts=outbox.counts(),
    )


@bp.get("/<int:email_id>")
@signed_in
def show(email_id):
    """One email: its headers, text, HTML (sandboxed) and delivery record."""
    _require_manager()
    email = outbox.email(email_id)
    return render_template(
        "outbox_email.html",
        email=email,
        may_requeue=email.status in outbox.REQUEUED_FROM,
        may_mark_sent=email.status in outbox.MARKED_SENT_FROM,
    )


@bp.post("/<int:email_id>/requeue")
@signed_in
def requeue(email_id):
    """Queue a kept, failed or unknown email again (same Message-ID)."""
    user = _require_manager()
    _settle(
        lambda: outbox.requeue(user, email_id), "Queued again; the worker sends it."
    )
    return redirect(url_for("outbox.show", email_id=email_id))


@bp.post("/<int:email_id>/mark-sent")
@signed_in
def mark_sent(email_id):
    """Record that an email whose delivery was unknown did arrive."""
    user = _require_manager()
    _settle(lambda: outbox.mark_sent(user, email_id), "Marked as sent.")
    return redirect(url_for("outbox.show", email_id=email_id))


def _settle(action, done):
    try:
        action()
    except Conflict as conflict:
        flash(conflict.message)
        return
    flash(done)
