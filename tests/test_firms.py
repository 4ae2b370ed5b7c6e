"""Firms decide what a client sees and works, and for which firm a case is reported."""

import json

import pytest

from cli.users import add_user
from models import db

from .conftest import token_of
from .paths import FIRM, OTHER_FIRM, OTHER_REPORT, REPORT
from .steps import (
    FINDINGS,
    QUESTIONS,
    VALID,
    assert_error,
    at_task,
    case_at,
    claim,
    complete,
    get_task,
    task_ids,
    worklist,
)

# --- clients: only the case's firm ---


@pytest.mark.parametrize("element", ["answer_questions", "review_resolution"])
def test_client_tasks_go_only_to_clients_of_the_cases_firm(api, unchanged, element):
    task = at_task(api, element)
    own = api.client_of(FIRM)
    stranger = api.client_of(OTHER_FIRM)

    assert task["group"] == "Client"
    assert task["id"] in task_ids(api, own)
    assert task["id"] not in task_ids(api, stranger)
    assert task["id"] in [
        t["id"] for t in api.case(task["case_number"], own)["current_tasks"]
    ]
    with unchanged():
        assert_error(get_task(api, task, stranger), 404, "not_found")
        assert_error(claim(api, task, stranger), 404, "not_found")
        assert_error(complete(api, task, stranger), 404, "not_found")
        for staff in ("levelone", "support", "triage", "data1", "manager"):
            assert_error(complete(api, task, staff), 403, "forbidden")
            assert task["id"] not in task_ids(api, staff) or staff == "manager"
    response = complete(api, task, own)
    assert response.status_code == 200, response.get_json()


def test_any_client_of_the_cases_firm_may_answer_its_questions(app, api):
    task = at_task(api, "answer_questions")
    with app.app_context():
        add_user("colleague", ["Client"], firm=FIRM, token=token_of("colleague"))
        db.session.commit()

    response = complete(api, task, "colleague")

    assert response.status_code == 200, response.get_json()
    answered = api.completions(task["case_number"], "answer_questions")
    assert [e["actor"] for e in answered] == ["colleague"]


def test_client_cannot_see_other_firms_case(api, unchanged):
    number = api.report(REPORT)
    stranger = api.client_of(OTHER_FIRM)
    missing = "CP-999999"

    with unchanged():
        hidden = api.get(f"/api/cases/{number}", stranger)
        unknown = api.get(f"/api/cases/{missing}", stranger)

    assert_error(hidden, 404, "not_found")
    assert_error(unknown, 404, "not_found")
    assert hidden.content_type == unknown.content_type
    assert (
        json.loads(hidden.get_data(as_text=True).replace(number, missing))
        == unknown.get_json()
    )
    assert api.get(f"/api/cases/{number}", api.client_of(FIRM)).status_code == 200


def test_client_cannot_see_other_firms_task(api, unchanged):
    task = at_task(api, "review_resolution")
    stranger = api.client_of(OTHER_FIRM)
    made_up = task["id"][:-4] + "0000"

    with unchanged():
        hidden = get_task(api, task, stranger)
        unknown = api.get(f"/api/tasks/{made_up}", stranger)

    assert_error(hidden, 404, "not_found")
    assert (
        json.loads(hidden.get_data(as_text=True).replace(task["id"], made_up))
        == unknown.get_json()
    )


def test_client_lists_only_its_firms_cases(api):
    mine = {api.report(REPORT), api.report({**REPORT, "summary": "Second"})}
    theirs = api.report(OTHER_REPORT)
    client = api.client_of(FIRM)

    listed = api.get("/api/cases?per_page=200", client).get_json()
    filtered = api.get(f"/api/cases?firm={OTHER_FIRM}", client).get_json()
    everything = api.get("/api/cases?per_page=200", "manager").get_json()

    assert {c["case_number"] for c in listed["items"]} == mine
    assert listed["total"] == 2
    assert {c["firm"] for c in listed["items"]} == {FIRM}
    assert (filtered["items"], filtered["total"]) == ([], 0)
    assert theirs in {c["case_number"] for c in everything["items"]}
    assert everything["total"] == 3
    other = api.get("/api/cases", api.client_of(OTHER_FIRM)).get_json()
    assert [c["case_number"] for c in other["items"]] == [theirs]


def test_client_worklist_shows_only_its_firms_client_tasks(api):
    mine = at_task(api, "review_resolution")
    theirs = at_task(api, "review_resolution", OTHER_REPORT)
    at_task(api, "assess_issue")  # a staff task of the same firm
    client = api.client_of(FIRM)

    listed = worklist(api, client)

    assert [(t["id"], t["firm"], t["group"]) for t in listed] == [
        (mine["id"], FIRM, "Client")
    ]
    assert worklist(api, client, f"&case={theirs['case_number']}") == []
    assert worklist(api, client, "&group=Level%20One") == []
    assert worklist(api, client, "&state=completed") == []
    other = worklist(api, api.client_of(OTHER_FIRM))
    assert [t["id"] for t in other] == [theirs["id"]]


def test_client_view_of_history_leaves_out_internal_tasks_data(api, unchanged):
    number = case_at(api, "answer_questions")
    client = api.client_of(FIRM)
    triage = worklist(
        api, "manager", f"&case={number}&task=triage_investigate&state=completed"
    )[0]

    staff_view = api.case(number, "manager")
    client_view = api.case(number, client)

    staff_elements = {e["element"] for e in staff_view["history"]}
    assert {"triage_investigate", "research_fix"} <= staff_elements
    assert FINDINGS in json.dumps(staff_view)
    assert FINDINGS not in json.dumps(client_view)
    assert QUESTIONS["questions"] not in json.dumps(client_view)
    client_kinds = {e["kind"] for e in client_view["history"]}
    assert "reported" in client_kinds
    assert "task_completed" not in client_kinds
    assert "step" not in client_kinds and "claimed" not in client_kinds
    with unchanged():
        assert_error(get_task(api, triage, client), 403, "forbidden")
    answer = api.ready_task(number, "answer_questions")
    opened = get_task(api, answer, client).get_json()
    assert set(opened["data"]) <= {"answers"}
    assert FINDINGS not in json.dumps(opened)

    assert complete(api, answer, client).status_code == 200
    after = api.case(number, client)
    completed = [e for e in after["history"] if e["kind"] == "task_completed"]
    assert [(e["element"], e["data"]) for e in completed] == [
        ("answer_questions", VALID["answer_questions"])
    ]
    assert FINDINGS not in json.dumps(after)


# --- reporting ---


@pytest.mark.parametrize("firm", [FIRM, OTHER_FIRM, "A firm with no users yet"])
def test_level_one_can_report_for_any_firm(api, firm):
    response = api.post("/api/cases", "levelone", json={**REPORT, "firm": firm})

    assert response.status_code == 201, response.get_json()
    number = response.get_json()["case_number"]
    assert response.get_json()["firm"] == firm
    assert api.get(f"/api/cases/{number}", api.client_of(firm)).status_code == 200
    outsider = OTHER_FIRM if firm != OTHER_FIRM else FIRM
    assert_error(
        api.get(f"/api/cases/{number}", api.client_of(outsider)), 404, "not_found"
    )


def test_client_report_without_a_firm_gets_its_own_firm(api):
    client = api.client_of(OTHER_FIRM)
    report = {k: v for k, v in OTHER_REPORT.items() if k != "firm"}

    response = api.post("/api/cases", client, json=report)

    assert response.status_code == 201, response.get_json()
    number = response.get_json()["case_number"]
    assert response.get_json()["firm"] == OTHER_FIRM
    assert api.case(number)["firm"] == OTHER_FIRM
    assert_error(api.get(f"/api/cases/{number}", api.client_of(FIRM)), 404, "not_found")


def test_client_cannot_report_for_another_firm(api, unchanged):
    client = api.client_of(FIRM)
    with unchanged():
        response = api.post("/api/cases", client, json=OTHER_REPORT)
    assert_error(response, 403, "forbidden")


@pytest.mark.parametrize("user", ["support", "triage", "data1", "manager"])
def test_only_clients_and_level_one_report_issues(api, unchanged, user):
    with unchanged():
        response = api.post("/api/cases", user, json=REPORT)
    assert_error(response, 403, "forbidden")
