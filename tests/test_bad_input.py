"""Bad input is refused with the right status and one error shape, and saves nothing."""

import json
import uuid

import pytest

from .conftest import token_of
from .paths import FIRM, OTHER_FIRM, REPORT

TOO_LARGE = 4 * 1024 * 1024 + 1


# The decisions that take a case to each task, in the order the process asks them.
ROUTE = [
    ("assess_issue", {"aggregation_related": True}),
    ("review_setup", {"resolvable_by_setup": False}),
    (
        "triage_investigate",
        {"outcome": "needs_engineering", "engineering_group": "Data"},
    ),
    ("evaluate_scope", {"scope": "small"}),
    ("research_fix", {"outcome": "needs_client_info", "questions": "Which?"}),
]
GOOD = {
    "assess_issue": {"aggregation_related": True},
    "review_setup": {"resolvable_by_setup": False},
    "triage_investigate": {"outcome": "needs_engineering", "engineering_group": "Data"},
    "research_fix": {"outcome": "needs_client_info", "questions": "Which accounts?"},
}


def without(mapping, name):
    return {key: value for key, value in mapping.items() if key != name}


def assert_error(response, status, code, fields=None):
    """The response is the one error shape with `status`, `code` and `fields`."""
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.is_json, response.content_type
    body = response.get_json()
    assert list(body) == ["error"]
    error = body["error"]
    assert set(error) <= {"code", "message", "fields"}
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    if fields is None:
        return error
    assert set(error["fields"]) == set(fields), error["fields"]
    for name, messages in error["fields"].items():
        assert messages and all(isinstance(m, str) and m for m in messages), name
    for name, message in fields.items():
        if message is not None:
            assert message in error["fields"][name], error["fields"][name]
    return error


def case_at(api, element, report=REPORT):
    """Report a case and take it to its ready task `element`; return that task."""
    number = api.report(report)
    for task, data in ROUTE:
        if task == element:
            break
        response = api.complete(number, task, data)
        assert response.status_code == 200, response.get_json()
    return api.ready_task(number, element)


@pytest.fixture
def reporter(api):
    return api.client_of(FIRM)


@pytest.fixture
def assess_task(api):
    return case_at(api, "assess_issue")


def complete(api, task, user, **kwargs):
    return api.post(f"/api/tasks/{task['id']}/complete", user, **kwargs)


# --- form data refused with 422, on the report and on a task's completion ---

REPORT_INVALID = [
    pytest.param(
        without(REPORT, "summary"),
        {"summary": "This field is required."},
        id="missing-summary",
    ),
    pytest.param(
        without(REPORT, "accounts_impacted"),
        {"accounts_impacted": "This field is required."},
        id="missing-accounts_impacted",
    ),
    pytest.param(
        without(without(REPORT, "severity"), "contact_email"),
        {
            "severity": "This field is required.",
            "contact_email": "This field is required.",
        },
        id="missing-two-fields",
    ),
    pytest.param(
        {**REPORT, "accounts_impacted": "many"},
        {"accounts_impacted": "Must be a whole number."},
        id="accounts_impacted-text",
    ),
    pytest.param(
        {**REPORT, "accounts_impacted": 2.5},
        {"accounts_impacted": "Must be a whole number."},
        id="accounts_impacted-fraction",
    ),
    pytest.param(
        {**REPORT, "accounts_impacted": True},
        {"accounts_impacted": "Must be a whole number."},
        id="accounts_impacted-boolean",
    ),
    pytest.param(
        {**REPORT, "accounts_impacted": 0},
        {"accounts_impacted": "Must be at least 1."},
        id="accounts_impacted-zero",
    ),
    pytest.param(
        {**REPORT, "summary": 42}, {"summary": "Must be text."}, id="summary-number"
    ),
    pytest.param(
        {**REPORT, "severity": "apocalyptic"}, {"severity": None}, id="severity-unknown"
    ),
    pytest.param(
        {**REPORT, "severity": "Partial"}, {"severity": None}, id="severity-wrong-case"
    ),
    pytest.param(
        {**REPORT, "summary": "x" * 201},
        {"summary": "At most 200 characters."},
        id="summary-too-long",
    ),
    pytest.param(
        {**REPORT, "description": "x" * 5001},
        {"description": "At most 5000 characters."},
        id="description-too-long",
    ),
    pytest.param(
        {**REPORT, "summary": ""},
        {"summary": "This field is required."},
        id="summary-empty",
    ),
    pytest.param(
        {**REPORT, "contact_email": "dana at northbridge"},
        {"contact_email": "Must be a valid email."},
        id="email-malformed",
    ),
    pytest.param(
        {**REPORT, "priority": "Critical"},
        {"priority": "This form has no such field."},
        id="field-not-on-form",
    ),
    pytest.param(
        {**REPORT, "case_number": "CP-999999"},
        {"case_number": "This form has no such field."},
        id="case_number-not-on-form",
    ),
]


@pytest.mark.parametrize("report, fields", REPORT_INVALID)
def test_invalid_report_is_refused_with_field_errors(
    api, unchanged, reporter, report, fields
):
    with unchanged():
        response = api.post("/api/cases", reporter, json=report)
    assert_error(response, 422, "invalid", fields)


def test_severity_error_lists_the_choices(api, unchanged, reporter):
    with unchanged():
        response = api.post("/api/cases", reporter, json={**REPORT, "severity": "bad"})
    error = assert_error(response, 422, "invalid", {"severity": None})
    assert error["fields"]["severity"] == [
        "Must be one of: catastrophic, partial, limited, minor."
    ]


def test_level_one_report_with_a_firm_that_is_not_text_is_invalid(api, unchanged):
    with unchanged():
        response = api.post("/api/cases", "levelone", json={**REPORT, "firm": 7})
    assert_error(response, 422, "invalid", {"firm": "Must be text."})


def test_level_one_report_without_a_firm_is_invalid(api, unchanged):
    with unchanged():
        response = api.post("/api/cases", "levelone", json=without(REPORT, "firm"))
    assert_error(response, 422, "invalid", {"firm": "This field is required."})


ASSESS_INVALID = [
    pytest.param(
        {}, {"aggregation_related": "This field is required."}, id="missing-required"
    ),
    pytest.param(
        {"assessment_notes": "checked"},
        {"aggregation_related": "This field is required."},
        id="missing-required-with-optional",
    ),
    pytest.param(
        {"aggregation_related": "yes"},
        {"aggregation_related": "Must be true or false."},
        id="boolean-as-text",
    ),
    pytest.param(
        {"aggregation_related": 1},
        {"aggregation_related": "Must be true or false."},
        id="boolean-as-number",
    ),
    pytest.param(
        {"aggregation_related": True, "accounts_impacted": "many"},
        {"accounts_impacted": "Must be a whole number."},
        id="integer-as-text",
    ),
    pytest.param(
        {"aggregation_related": True, "severity": "apocalyptic"},
        {"severity": None},
        id="enum-unknown",
    ),
    pytest.param(
        {"aggregation_related": True, "assessment_notes": "x" * 5001},
        {"assessment_notes": "At most 5000 characters."},
        id="text-too-long",
    ),
    pytest.param(
        {"aggregation_related": True, "priority": "Critical"},
        {"priority": "This form has no such field."},
        id="field-not-on-form",
    ),
    pytest.param(
        {"aggregation_related": True, "resolution_path": "support"},
        {"resolution_path": "This form has no such field."},
        id="process-variable-not-on-form",
    ),
    pytest.param(
        {"aggregation_related": "yes", "accounts_impacted": 0},
        {
            "aggregation_related": "Must be true or false.",
            "accounts_impacted": "Must be at least 1.",
        },
        id="two-fields-wrong",
    ),
]


@pytest.mark.parametrize("data, fields", ASSESS_INVALID)
def test_invalid_task_data_is_refused_with_field_errors(
    api, unchanged, assess_task, data, fields
):
    with unchanged():
        response = complete(api, assess_task, "levelone", json={"data": data})
    assert_error(response, 422, "invalid", fields)


CONDITIONAL = [
    pytest.param(
        "research_fix",
        {"outcome": "needs_client_info"},
        {"questions": "This field is required."},
        id="research_fix-questions",
    ),
    pytest.param(
        "research_fix",
        {"outcome": "needs_client_info", "questions": ""},
        {"questions": "This field is required."},
        id="research_fix-empty-questions",
    ),
    pytest.param(
        "research_fix",
        {"outcome": "fix_submitted", "root_cause": "cache"},
        {"fix_description": "This field is required."},
        id="research_fix-fix_description",
    ),
    pytest.param(
        "research_fix",
        {"outcome": "fix_submitted"},
        {
            "root_cause": "This field is required.",
            "fix_description": "This field is required.",
        },
        id="research_fix-root_cause-and-fix",
    ),
    pytest.param(
        "research_fix",
        {"outcome": "escalated"},
        {"outcome": None},
        id="research_fix-unknown-outcome",
    ),
    pytest.param(
        "triage_investigate",
        {"outcome": "needs_engineering"},
        {"engineering_group": "This field is required."},
        id="triage-engineering_group",
    ),
    pytest.param(
        "triage_investigate",
        {"outcome": "needs_engineering", "engineering_group": "Billing"},
        {"engineering_group": None},
        id="triage-unknown-group",
    ),
    pytest.param(
        "triage_investigate",
        {"outcome": "resolved"},
        {"next_steps": "This field is required."},
        id="triage-next_steps",
    ),
    pytest.param(
        "review_setup",
        {"resolvable_by_setup": True},
        {
            "setup_change": "This field is required.",
            "next_steps": "This field is required.",
        },
        id="review_setup-setup_change",
    ),
]


@pytest.mark.parametrize("element, data, fields", CONDITIONAL)
def test_conditionally_required_field_is_named_when_missing(
    api, unchanged, element, data, fields
):
    task = case_at(api, element)
    worker = api.worker_for(task, task["case_number"])
    with unchanged():
        response = complete(api, task, worker, json={"data": data})
    assert_error(response, 422, "invalid", fields)


# --- malformed requests: 400 ---


def deeply_nested(depth=100_000):
    return "[" * depth + "]" * depth


NOT_AN_OBJECT = [
    pytest.param(
        {"data": "not json", "content_type": "application/json"}, id="not-json"
    ),
    pytest.param(
        {"data": '{"summary": "cut', "content_type": "application/json"},
        id="truncated-json",
    ),
    pytest.param({"data": "", "content_type": "application/json"}, id="empty-body"),
    pytest.param({"data": "null", "content_type": "application/json"}, id="json-null"),
    pytest.param({"json": [1, 2]}, id="json-list"),
    pytest.param({"json": "a report"}, id="json-string"),
    pytest.param({"json": 3}, id="json-number"),
    pytest.param(
        {"data": deeply_nested(), "content_type": "application/json"},
        id="json-nested-too-deeply",
    ),
    pytest.param(
        {"data": b'{"data": "\xff"}', "content_type": "application/json"}, id="not-utf8"
    ),
    pytest.param(
        {"data": '{"data": "\\ud800"}', "content_type": "application/json"},
        id="lone-surrogate",
    ),
    pytest.param(
        {"data": '{"data": {}}', "content_type": "text/plain"}, id="not-declared-json"
    ),
]


@pytest.mark.parametrize("body", NOT_AN_OBJECT)
def test_report_body_that_is_not_a_json_object_is_malformed(
    api, unchanged, reporter, body
):
    with unchanged():
        response = api.post("/api/cases", reporter, **body)
    assert_error(response, 400, "bad_request")


@pytest.mark.parametrize("body", NOT_AN_OBJECT)
def test_complete_body_that_is_not_a_json_object_is_malformed(
    api, unchanged, assess_task, body
):
    with unchanged():
        response = complete(api, assess_task, "levelone", **body)
    assert_error(response, 400, "bad_request")


@pytest.mark.parametrize(
    "body, field",
    [
        pytest.param({}, "data", id="no-data"),
        pytest.param({"aggregation_related": True}, "data", id="form-without-data"),
        pytest.param({"data": None}, "data", id="data-null"),
        pytest.param({"data": "aggregation_related"}, "data", id="data-text"),
        pytest.param({"data": [{"aggregation_related": True}]}, "data", id="data-list"),
        pytest.param(
            {"data": {"aggregation_related": True}, "force": True},
            "force",
            id="unknown-envelope-field",
        ),
    ],
)
def test_complete_without_a_data_object_is_malformed(
    api, unchanged, assess_task, body, field
):
    with unchanged():
        response = complete(api, assess_task, "levelone", json=body)
    error = assert_error(response, 400, "bad_request")
    assert field in error["fields"]


@pytest.mark.parametrize("field", ["summary", "contact_name", "institution"])
def test_report_text_with_a_lone_surrogate_is_malformed(
    api, unchanged, reporter, field
):
    body = json.dumps({**REPORT, field: "Custodian \ud800 feed"})
    with unchanged():
        response = api.post(
            "/api/cases", reporter, data=body, content_type="application/json"
        )
    assert_error(response, 400, "bad_request")


def test_task_text_with_a_lone_surrogate_is_malformed(api, unchanged, assess_task):
    data = {"aggregation_related": True, "assessment_notes": "odd \udfff"}
    with unchanged():
        response = complete(
            api,
            assess_task,
            "levelone",
            data=json.dumps({"data": data}),
            content_type="application/json",
        )
    assert_error(response, 400, "bad_request")


# --- the size limit: 413 in the same error shape ---


def test_report_over_the_size_limit_is_refused(api, unchanged, reporter):
    padded = {**REPORT, "description": "x" * TOO_LARGE}
    with unchanged():
        response = api.post("/api/cases", reporter, json=padded)
    assert_error(response, 413, "request_entity_too_large")


def test_completion_over_the_size_limit_is_refused(api, unchanged, assess_task):
    padded = {
        "data": {"aggregation_related": True, "assessment_notes": "x" * TOO_LARGE}
    }
    with unchanged():
        response = complete(api, assess_task, "levelone", json=padded)
    assert_error(response, 413, "request_entity_too_large")
    assert (
        api.ready_task(assess_task["case_number"], "assess_issue")["id"]
        == (assess_task["id"])
    )


# --- unknown things: 404 ---


@pytest.mark.parametrize(
    "method, action, body",
    [
        ("GET", "", None),
        ("POST", "/claim", None),
        ("POST", "/unclaim", None),
        ("POST", "/complete", {"data": {"aggregation_related": True}}),
    ],
)
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
    body = REPORT if path == "/api/cases" else {"data": {"aggregation_related": True}}
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
        response = complete(
            api, assess_task, user, json={"data": {"aggregation_related": True}}
        )
    assert_error(response, 403, "forbidden")


def test_user_outside_the_lane_is_refused_even_with_invalid_data(
    api, unchanged, assess_task
):
    with unchanged():
        response = complete(api, assess_task, "support", json={"data": {}})
    assert_error(response, 403, "forbidden")


def test_client_cannot_report_for_another_firm(api, unchanged, reporter):
    with unchanged():
        response = api.post("/api/cases", reporter, json={**REPORT, "firm": OTHER_FIRM})
    assert_error(response, 403, "forbidden")
    assert api.get("/api/cases", "manager").get_json()["total"] == 0


@pytest.fixture
def other_firms_client_task(api):
    """A ready client task (review_resolution) of a case of FIRM."""
    number = api.report(REPORT)
    for task, data in [
        ("assess_issue", {"aggregation_related": True}),
        (
            "review_setup",
            {
                "resolvable_by_setup": True,
                "setup_change": "Re-linked.",
                "next_steps": "Check tomorrow.",
            },
        ),
    ]:
        assert api.complete(number, task, data).status_code == 200
    return api.ready_task(number, "review_resolution")


@pytest.mark.parametrize(
    "method, action, body",
    [
        ("GET", "", None),
        ("POST", "/claim", None),
        ("POST", "/unclaim", None),
        ("POST", "/complete", {"data": {"problem_persists": False}}),
    ],
)
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
    done = complete(
        api, assess_task, "levelone", json={"data": {"aggregation_related": True}}
    )
    assert done.status_code == 200
    with unchanged():
        again = complete(
            api, assess_task, "levelone", json={"data": {"aggregation_related": False}}
        )
        claim = api.post(f"/api/tasks/{assess_task['id']}/claim", "levelone")
        unclaim = api.post(f"/api/tasks/{assess_task['id']}/unclaim", "levelone")
    assert_error(again, 409, "conflict")
    assert_error(claim, 409, "conflict")
    assert_error(unclaim, 409, "conflict")
    assert [
        t["task"] for t in api.case(assess_task["case_number"])["current_tasks"]
    ] == ["review_setup"]


@pytest.fixture
def claimed_review_setup(api):
    """review_setup of a new case, claimed by `support`."""
    task = case_at(api, "review_setup")
    assert api.post(f"/api/tasks/{task['id']}/claim", "support").status_code == 200
    return task


def test_claiming_a_task_someone_else_claimed_is_a_conflict(
    api, unchanged, claimed_review_setup
):
    with unchanged():
        response = api.post(
            f"/api/tasks/{claimed_review_setup['id']}/claim", "support2"
        )
    assert_error(response, 409, "conflict")
    assert (
        api.get(f"/api/tasks/{claimed_review_setup['id']}", "support").get_json()[
            "assignee"
        ]
        == "support"
    )


def test_completing_a_task_someone_else_claimed_is_forbidden(
    api, unchanged, claimed_review_setup
):
    with unchanged():
        response = complete(
            api, claimed_review_setup, "support2", json={"data": GOOD["review_setup"]}
        )
    assert_error(response, 403, "forbidden")


# --- query parameters: 400 ---


@pytest.mark.parametrize(
    "path, query, field",
    [
        ("/api/cases", "per_page=0", "per_page"),
        ("/api/cases", "per_page=1000", "per_page"),
        ("/api/cases", "per_page=ten", "per_page"),
        ("/api/cases", "page=-1", "page"),
        ("/api/cases", "page=0", "page"),
        ("/api/cases", "page=1.5", "page"),
        ("/api/cases", "status=bogus", "status"),
        ("/api/cases", "priority=bogus", "priority"),
        ("/api/cases", "priority=critical", "priority"),
        ("/api/tasks", "per_page=0", "per_page"),
        ("/api/tasks", "per_page=1000", "per_page"),
        ("/api/tasks", "page=-1", "page"),
        ("/api/tasks", "state=bogus", "state"),
        ("/api/tasks", "mine=perhaps", "mine"),
    ],
)
@pytest.mark.parametrize("user", ["manager", "client"])
def test_bad_query_parameter_is_malformed(
    api, unchanged, assess_task, path, query, field, user
):
    user = api.client_of(FIRM) if user == "client" else user
    with unchanged():
        response = api.get(f"{path}?{query}", user)
    error = assert_error(response, 400, "bad_request")
    assert list(error["fields"]) == [field]


@pytest.mark.parametrize("path", ["/api/cases", "/api/tasks"])
def test_query_parameters_at_their_limits_are_accepted(api, assess_task, path):
    response = api.get(f"{path}?page=1&per_page=200", "manager")

    assert response.status_code == 200
    body = response.get_json()
    assert (body["page"], body["per_page"], body["total"]) == (1, 200, 1)


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
        complete(
            api, assess_task, "levelone", json={"data": {"aggregation_related": "yes"}}
        ),
        complete(
            api, assess_task, "support", json={"data": {"aggregation_related": True}}
        ),
        complete(
            api, assess_task, "levelone", data="{", content_type="application/json"
        ),
        complete(api, assess_task, "levelone", json={"aggregation_related": True}),
    ]
    assert [r.status_code for r in refused] == [422, 403, 400, 400]

    response = complete(
        api, assess_task, "levelone", json={"data": {"aggregation_related": True}}
    )

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
    task = case_at(api, "triage_investigate")
    with unchanged():
        refused = complete(
            api, task, "triage", json={"data": {"outcome": "needs_engineering"}}
        )
    assert refused.status_code == 422

    response = complete(api, task, "triage", json={"data": GOOD["triage_investigate"]})

    assert response.status_code == 200, response.get_json()
    assert [(t["task"], t["group"]) for t in response.get_json()["next_tasks"]] == [
        ("evaluate_scope", "Engineering Data")
    ]
