"""The case page: where a case stands, its diagram, timeline and comments."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from casework import feedback, queries, sla, sla_view, versions
from casework.comments import add_comment, comments_on
from casework.errors import Conflict, Invalid
from casework.progress import passed_elements, plain_statuses
from casework.sla_config import service_levels

from .signin import page_user, signed_in

bp = Blueprint("cases", __name__)


@bp.get("/cases/<case_number>")
@signed_in
def show(case_number):
    """Case number, priority, status, path, diagram, timeline and comments."""
    return _page(case_number)


@bp.get("/cases/<case_number>/diagram")
@signed_in
def diagram(case_number):
    """The case's own process version, with what it passed and where it waits."""
    user = page_user()
    detail = queries.case_detail(user, case_number)
    if not user.is_staff:
        abort(403)
    case = detail["case"]
    version = versions.version_of(case)
    return {
        "xml": version.bpmn_text(),
        "version": version.number,
        "completed": passed_elements(case),
        "current": [task.element for task in detail["current_tasks"]],
    }


@bp.post("/cases/<case_number>/comments")
@signed_in
def comment(case_number):
    """Add a comment, for staff or also for the client."""
    try:
        add_comment(
            page_user(),
            case_number,
            request.form.get("body", ""),
            request.form.get("for_client") == "yes",
        )
    except Invalid as invalid:
        return _page(case_number, comment_errors=invalid.fields, status=422)
    flash("Comment added.")
    return redirect(url_for("cases.show", case_number=case_number) + "#comments")


@bp.post("/cases/<case_number>/plus-ones")
@signed_in
def plus_one(case_number):
    """Record a +1 from another firm (staff)."""
    try:
        feedback.add_plus_one(page_user(), case_number, request.form.get("firm", ""))
    except Invalid as invalid:
        return _page(case_number, plus_one_errors=invalid.fields, status=422)
    except Conflict as conflict:
        errors = {"firm": [conflict.message[:1].upper() + conflict.message[1:] + "."]}
        return _page(case_number, plus_one_errors=errors, status=409)
    flash("+1 recorded.")
    return redirect(url_for("cases.show", case_number=case_number) + "#plus-ones")


def _page(case_number, comment_errors=None, plus_one_errors=None, status=200):
    user = page_user()
    detail = queries.case_detail(user, case_number)
    case = detail["case"]
    staff_only = {}
    if user.is_staff:
        staff_only = {
            "plus_ones": feedback.plus_ones(case),
            "other_firms": sorted(feedback.known_firms() - {case.firm}),
            "service_level": sla_view.for_page(
                sla.for_case(case), service_levels().calendar.day_seconds
            ),
        }
    return (
        render_template(
            "case.html",
            case=case,
            current_tasks=detail["current_tasks"],
            history=detail["history"],
            comments=comments_on(user, case),
            comment_errors=comment_errors or {},
            plus_one_errors=plus_one_errors or {},
            **staff_only,
            plain_status=plain_statuses([case])[case.id],
        ),
        status,
    )
