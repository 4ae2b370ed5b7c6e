"""Every shared sample case and every demo case runs down its path over the API."""

import json
from pathlib import Path

import pytest

from models import Case, Email, Timer

from .conftest import sample_cases
from .paths import PATH_RESOLUTION, expected_emails, expected_priority

DEMO = json.loads((Path(__file__).resolve().parents[1] / "demo/cases.json").read_text())


def outbox(app, number):
    with app.app_context():
        case = Case.query.filter_by(case_number=number).one()
        return [e.template for e in Email.query.filter_by(case_id=case.id)]


def check_history(detail, case):
    kinds = [entry["kind"] for entry in detail["history"]]
    assert kinds[0] == "reported"
    completed = [
        e["element"] for e in detail["history"] if e["kind"] == "task_completed"
    ]
    assert completed == [d["task"] for d in case["decisions"]]
    for entry, decision in zip(
        [e for e in detail["history"] if e["kind"] == "task_completed"],
        case["decisions"],
        strict=True,
    ):
        assert entry["data"] == decision["data"]
        assert entry["actor"]


def check_finished(app, api, number, case):
    detail = api.case(number)
    report = case["report"]
    assert detail["status"] == "resolved"
    assert detail["current_tasks"] == []
    assert detail["resolution_path"] == PATH_RESOLUTION[case["path"]]
    if case["path"] != "level_one":
        expected = expected_priority(report["severity"], report["accounts_impacted"])
        assert detail["priority"] == expected
    assert detail["history"][-1]["kind"] == "resolved"
    check_history(detail, case)
    assert outbox(app, number) == expected_emails(case["decisions"])
    with app.app_context():
        case_row = Case.query.filter_by(case_number=number).one()
        assert Timer.query.filter_by(case_id=case_row.id, state="waiting").count() == 0
    return detail


def finished_cases(cases):
    return [c for c in cases if c["path"] in PATH_RESOLUTION]


@pytest.mark.parametrize("index", range(16))
def test_sample_case_runs_down_its_path(app, api, index):
    cases = sample_cases()
    if index >= len(cases):
        pytest.skip("fewer sample cases")
    case = cases[index]
    number = api.drive(case)
    if case["path"] in PATH_RESOLUTION:
        detail = check_finished(app, api, number, case)
        if case["path"] == "support_reopen":
            assert detail["reopen_count"] == 1
            assert "reopened" in [e["kind"] for e in detail["history"]]
    else:
        detail = api.case(number)
        assert detail["status"] == "open"
        assert [t["task"] for t in detail["current_tasks"]] == ["answer_questions"]
        check_history(detail, case)


@pytest.mark.parametrize(
    "case", finished_cases(DEMO), ids=lambda c: c["report"]["summary"]
)
def test_finished_demo_case_runs_down_its_path(app, api, case):
    number = api.drive(case)
    check_finished(app, api, number, case)


@pytest.mark.parametrize(
    "case",
    [c for c in DEMO if c["path"] not in PATH_RESOLUTION],
    ids=lambda c: c["report"]["summary"],
)
def test_open_demo_case_waits_where_it_should(app, api, case):
    number = api.drive(case)
    detail = api.case(number)
    assert detail["status"] == "open"
    assert [t["task"] for t in detail["current_tasks"]] == [case["stage"]]
    check_history(detail, case)


def test_every_api_response_reports_its_server_time(api):
    response = api.get("/api/tasks", "support")
    assert response.headers["Server-Timing"].startswith("app;dur=")
    assert float(response.headers["Server-Timing"].split("dur=")[1]) >= 0
