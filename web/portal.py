"""The client portal: report an issue, follow my firm's cases, answer and confirm."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from casework import queries, reporting, versions
from casework.access import require_reporter
from casework.errors import Invalid
from casework.progress import plain_statuses

from .formrender import fields_for, parse_submission
from .signin import page_user, signed_in

bp = Blueprint("portal", __name__, url_prefix="/portal")


@bp.get("")
@signed_in
def index():
    """My firm's cases in plain words, and the tasks waiting for me."""
    user = page_user()
    if user.is_staff:
        abort(403)
    cases = queries.list_cases(user, per_page=100)["items"]
    waiting = queries.list_tasks(user, per_page=100)["items"]
    statuses = plain_statuses(cases)
    return render_template(
        "portal.html", cases=cases, waiting=waiting, statuses=statuses
    )


@bp.route("/report", methods=["GET", "POST"])
@signed_in
def report():
    """The report form; on success the case number, at once."""
    user = page_user()
    require_reporter(user)
    schema = _report_form()
    if request.method == "GET":
        return _report_page(schema, {"firm": user.firm} if user.firm else {}, {})

    data = parse_submission(schema, request.form)
    try:
        number = reporting.report_case(user, data)
    except Invalid as invalid:
        return _report_page(schema, data, invalid.fields or {}, status=422)
    flash(f"Thank you. Your case number is {number}.")
    return redirect(url_for("cases.show", case_number=number))


def _report_form():
    definition = versions.definition_of(versions.current_version())
    return definition.forms[definition.start_form]


def _report_page(schema, values, errors, status=200):
    fields = fields_for(schema, values, errors)
    if page_user().is_client:
        fields = [f for f in fields if f.name != "firm"]
    return (
        render_template(
            "report.html",
            form=schema,
            fields=fields,
        ),
        status,
    )
