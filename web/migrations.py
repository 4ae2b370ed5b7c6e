"""The owners' page to move open cases onto a newer version, after a preview."""

import re

from flask import Blueprint, flash, redirect, render_template, request, url_for

from casework import migration
from casework.errors import BadRequest, CaseworkError, Forbidden

from .signin import page_user, signed_in

bp = Blueprint("migrations", __name__)
CASE_NUMBER = re.compile(r"CP-\d{6,}")


@bp.get("/versions/<int:number>/migrate")
@signed_in
def preview(number):
    """Open cases on other versions: which can move to `number`, and why not."""
    rows = migration.preview(page_user(), number)
    return render_template("migrate.html", number=number, rows=rows)


@bp.post("/versions/<int:number>/migrate")
@signed_in
def move(number):
    """Move the chosen cases, each on its own; say which moved and which did not."""
    if not page_user().is_owner:
        raise Forbidden("only process owners move cases between versions")
    chosen = request.form.getlist("case")
    if not chosen or not all(CASE_NUMBER.fullmatch(c) for c in chosen):
        raise BadRequest("choose the cases to move from the list")

    moved, stayed = [], []
    for case_number in dict.fromkeys(chosen):
        try:
            migration.migrate(page_user(), case_number, number)
            moved.append(case_number)
        except CaseworkError as refused:
            stayed.append(f"{case_number} ({refused.message})")

    if moved:
        flash(f"Moved to version {number}: {', '.join(moved)}.")
    if stayed:
        flash(f"Not moved: {'; '.join(stayed)}.")
    return redirect(url_for("migrations.preview", number=number))
