"""Unknown, unauthenticated, forbidden and conflicting calls are refused; none saves."""

import uuid

import pytest

from .conftest import token_of
from .paths import FIRM, OTHER_FIRM, REPORT
from .steps import (
    TOO_LARGE,
    VALID,
    assert_error,
    assignee,
    at_task,
    claim,
    complete,
    post_task,
    unclaim,
    without,
)


def task_calls(element):
    """Each call on a task of `element`: read, claim, unclaim and a valid completion."""
    return [
        ("GET", "", None),
        ("POST", "/claim", None),
        ("POST", "/unclaim", None),
        ("POST", "/complete", {"data": VALID[element]}),
    ]


# --- unknown things: 404 ---


@pytest.mark.parametrize("method, action, body", task_calls("assess_issue"))
@pytest.mark.parametrize("task_id", [str(uuid.uuid4()), "not-a-task-id"])
def test_unknown_task_is_not_found(
    api, unchanged, assess_task, method, action, body, task_id
):
    with unchanged():
        response = api.call(
            method, f"/api/tasks/{task_id}{action}", "levelone", json=body
        )
    error = assert_error(response, 404, "not_found")
    assert "fields" not in error


def test_unknown_case_is_not_found(api, unchanged, reporter):
    api.report(REPORT)
    with unchanged():
        response = api.get("/api/cases/CP-999999", "manager")
    assert_error(response, 404, "not_found")


# --- authentication: 401 ---

BAD_CREDENTIALS = [
    pytest.param({}, id="no-header"),
    pytest.param({"Authorization": "Bearer not-a-token-of-anyone"}, id="bad-token"),
    pytest.param({"Authorization": "Bearer "}, id="empty-token"),
    pytest.param({"Authorization": token_of("levelone")}, id="no-scheme"),
    pytest.param({"Authorization": "Basic bGV2ZWxvbmU6cHc="}, id="basic-auth"),
    pytest.param({"Authorization": "Token " + token_of("levelone")}, id="wrong-scheme"),
]


ENDPOINTS = [
    ("POST", "/api/cases"),
    ("GET", "/api/cases"),
    ("GET", "/api/cases/{case}"),
    ("GET", "/api/tasks"),
    ("GET", "/api/tasks/{task}"),
    ("POST", "/api/tasks/{task}/claim"),
    ("POST", "/api/tasks/{task}/unclaim"),
    ("POST", "/api/tasks/{task}/complete"),
]


def call_without_token(api, task, method, path, headers):
    path = path.format(case=task["case_number"], task=task["id"])
    body = REPORT if path == "/api/cases" else {"data": VALID["assess_issue"]}
    return api.client.open(
        path, method=method, headers=headers, json=body if method == "POST" else None
    )


@pytest.mark.parametrize("headers", BAD_CREDENTIALS)
def test_completion_without_a_valid_token_is_unauthorized(
    api, unchanged, assess_task, headers
):
    path = "/api/tasks/{task}/complete"
    with unchanged():
        response = call_without_token(api, assess_task, "POST", path, headers)
    assert_error(response, 401, "unauthorized")


@pytest.mark.parametrize("headers", BAD_CREDENTIALS[:2])
@pytest.mark.parametrize("method, path", ENDPOINTS)
def test_every_call_without_a_valid_token_is_unauthorized(
    api, unchanged, assess_task, headers, method, path
):
    with unchanged():
        response = call_without_token(api, assess_task, method, path, headers)
    assert_error(response, 401, "unauthorized")


def test_a_known_token_after_a_refused_one_is_accepted(api, assess_task):
    bad = {"Authorization": "Bearer not-a-token-of-anyone"}
    assert api.client.get("/api/tasks", headers=bad).status_code == 401

    response = api.get("/api/tasks", "levelone")

    assert response.status_code == 200
    assert [t["id"] for t in response.get_json()["items"]] == [assess_task["id"]]


# --- not allowed: 403; another firm's things: 404 ---


@pytest.mark.parametrize("user", ["support", "triage", "data1", "manager"])
def test_user_outside_the_lane_cannot_complete_assess_issue(
    api, unchanged, assess_task, user
):
    with unchanged():
        response = complete(api, assess_task, user)
    assert_error(response, 403, "forbidden")


def test_user_outside_the_lane_is_refused_even_with_invalid_data(
    api, unchanged, assess_task
):
    with unchanged():
        response = complete(api, assess_task, "support", {})
    assert_error(response, 403, "forbidden")


def test_client_cannot_report_for_another_firm(api, unchanged, reporter):
    with unchanged():
        response = api.post("/api/cases", reporter, json={**REPORT, "firm": OTHER_FIRM})
    assert_error(response, 403, "forbidden")
    assert api.get("/api/cases", "manager").get_json()["total"] == 0


@pytest.fixture
def other_firms_client_task(api):
    """A ready client task (review_resolution) of a case of FIRM."""
    return at_task(api, "review_resolution")


@pytest.mark.parametrize("method, action, body", task_calls("review_resolution"))
def test_client_of_another_firm_gets_not_found_for_a_task(
    api, unchanged, other_firms_client_task, method, action, body
):
    stranger = api.client_of(OTHER_FIRM)
    task_id = other_firms_client_task["id"]
    with unchanged():
        response = api.call(
            method, f"/api/tasks/{task_id}{action}", stranger, json=body
        )
    error = assert_error(response, 404, "not_found")
    unknown = api.call(
        method, f"/api/tasks/{task_id[::-1]}{action}", stranger, json=body
    ).get_json()["error"]
    assert error["message"] == unknown["message"].replace(task_id[::-1], task_id)


def test_client_of_another_firm_gets_not_found_for_a_case(
    api, unchanged, other_firms_client_task
):
    stranger = api.client_of(OTHER_FIRM)
    with unchanged():
        response = api.get(
            f"/api/cases/{other_firms_client_task['case_number']}", stranger
        )
    assert_error(response, 404, "not_found")


# --- task state: 409 and claims ---


def test_completing_a_completed_task_is_a_conflict(api, unchanged, assess_task):
    done = complete(api, assess_task, "levelone", {"aggregation_related": True})
    assert done.status_code == 200
    with unchanged():
        again = complete(api, assess_task, "levelone", {"aggregation_related": False})
        claiming = claim(api, assess_task, "levelone")
        unclaiming = unclaim(api, assess_task, "levelone")
    assert_error(again, 409, "conflict")
    assert_error(claiming, 409, "conflict")
    assert_error(unclaiming, 409, "conflict")
    assert [
        t["task"] for t in api.case(assess_task["case_number"])["current_tasks"]
    ] == ["review_setup"]


def test_claiming_a_task_someone_else_claimed_is_a_conflict(api, unchanged, claimed):
    with unchanged():
        response = claim(api, claimed, "support2")
    assert_error(response, 409, "conflict")
    assert assignee(api, claimed) == "support"


def test_completing_a_task_someone_else_claimed_is_forbidden(api, unchanged, claimed):
    with unchanged():
        response = complete(api, claimed, "support2", VALID["review_setup"])
    assert_error(response, 403, "forbidden")


# --- a refused request leaves no half-state behind ---


def test_good_report_after_refused_reports_starts_exactly_one_case(api, reporter):
    refused = [
        api.post("/api/cases", reporter, json=without(REPORT, "summary")),
        api.post("/api/cases", reporter, json={**REPORT, "firm": OTHER_FIRM}),
        api.post(
            "/api/cases", reporter, data="not json", content_type="application/json"
        ),
        api.post(
            "/api/cases", reporter, json={**REPORT, "description": "x" * TOO_LARGE}
        ),
    ]
    assert [r.status_code for r in refused] == [422, 403, 400, 413]

    response = api.post("/api/cases", reporter, json=REPORT)

    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert created["case_number"] == "CP-000001"
    assert created["firm"] == FIRM and created["summary"] == REPORT["summary"]
    assert created["current_tasks"] == []  # assess_issue is Level One's
    staff_view = api.case(created["case_number"])
    assert [t["task"] for t in staff_view["current_tasks"]] == ["assess_issue"]
    listed = api.get("/api/cases", "manager").get_json()
    assert listed["total"] == 1
    kinds = [e["kind"] for e in staff_view["history"]]
    assert kinds.count("reported") == 1


def test_good_completion_after_refused_completions_moves_the_case_once(
    api, assess_task
):
    refused = [
        complete(api, assess_task, "levelone", {"aggregation_related": "yes"}),
        complete(api, assess_task, "support", {"aggregation_related": True}),
        post_task(
            api,
            assess_task,
            "complete",
            "levelone",
            data="{",
            content_type="application/json",
        ),
        post_task(
            api, assess_task, "complete", "levelone", json={"aggregation_related": True}
        ),
    ]
    assert [r.status_code for r in refused] == [422, 403, 400, 400]

    response = complete(api, assess_task, "levelone", {"aggregation_related": True})

    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert [t["task"] for t in body["next_tasks"]] == ["review_setup"]
    assert body["priority"] == "High"
    history = api.case(assess_task["case_number"])["history"]
    completed = [e for e in history if e["kind"] == "task_completed"]
    assert [(e["element"], e["actor"], e["data"]) for e in completed] == [
        ("assess_issue", "levelone", {"aggregation_related": True})
    ]


def test_good_completion_after_a_refused_conditional_form_routes_as_chosen(
    api, unchanged
):
    task = at_task(api, "triage_investigate")
    with unchanged():
        refused = complete(api, task, "triage", {"outcome": "needs_engineering"})
    assert refused.status_code == 422

    response = complete(api, task, "triage", VALID["triage_investigate"])

    assert response.status_code == 200, response.get_json()
    assert [(t["task"], t["group"]) for t in response.get_json()["next_tasks"]] == [
        ("evaluate_scope", "Engineering Data")
    ]
