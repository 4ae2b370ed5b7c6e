"""Cases: report an issue, list cases, read one case with its tasks and history."""

from flask import Blueprint

from casework import feedback, migration, queries, reporting, sla

from .auth import current_user
from .requests import json_body, query_args
from .schemas import (
    CaseOut,
    CaseQuery,
    HistoryOut,
    MigrateBody,
    PlusOneBody,
    PlusOneOut,
    ReportBody,
    SlaOut,
    TaskOut,
)

bp = Blueprint("cases", __name__, url_prefix="/cases")


@bp.post("")
def report():
    """Report an issue; the case starts on the current process version."""
    report = json_body(ReportBody())

    case_number = reporting.report_case(current_user(), report)

    detail = queries.case_detail(current_user(), case_number)
    return _detail(detail), 201


@bp.get("")
def index():
    """Cases the caller may see, newest first."""
    args = query_args(CaseQuery())

    page = queries.list_cases(current_user(), **args)

    page["items"] = CaseOut(many=True).dump(page["items"])
    return page


@bp.get("/<case_number>")
def show(case_number):
    """One case with its current tasks and history."""
    detail = queries.case_detail(current_user(), case_number)
    return _detail(detail)


@bp.post("/<case_number>/migrate")
def migrate(case_number):
    """Preview (dry_run) or make the move of an open case to a newer version."""
    body = json_body(MigrateBody())

    result = migration.migrate(current_user(), case_number, **body)

    return result


@bp.post("/<case_number>/plus-ones")
def plus_one(case_number):
    """Record that another firm has the case's problem too (staff)."""
    body = json_body(PlusOneBody())

    plus_one = feedback.add_plus_one(current_user(), case_number, body["firm"])

    firms = feedback.plus_ones(plus_one.case)
    return {"case_number": case_number, "items": PlusOneOut(many=True).dump(firms)}, 201


def _detail(detail):
    body = CaseOut().dump(detail["case"])
    body["current_tasks"] = TaskOut(many=True).dump(detail["current_tasks"])
    body["history"] = HistoryOut(many=True).dump(detail["history"])
    if current_user().is_staff:
        body["sla"] = SlaOut().dump(sla.for_case(detail["case"]))
    return body
