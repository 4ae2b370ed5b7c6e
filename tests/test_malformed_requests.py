"""Malformed bodies and query parameters get 400, oversized ones 413; none saves."""

import json

import pytest

from .paths import FIRM, REPORT
from .steps import TOO_LARGE, assert_error, complete, post_task

# --- bodies that are not what the endpoint reads: 400 ---


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
        response = post_task(api, assess_task, "complete", "levelone", **body)
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
        response = post_task(api, assess_task, "complete", "levelone", json=body)
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
        response = post_task(
            api,
            assess_task,
            "complete",
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
    padded = {"aggregation_related": True, "assessment_notes": "x" * TOO_LARGE}
    with unchanged():
        response = complete(api, assess_task, "levelone", padded)
    assert_error(response, 413, "request_entity_too_large")
    assert (
        api.ready_task(assess_task["case_number"], "assess_issue")["id"]
        == (assess_task["id"])
    )


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


@pytest.mark.parametrize("text", ["a\u0000b", "\u0000"], ids=["inside", "alone"])
def test_report_text_with_a_nul_character_is_malformed(api, unchanged, reporter, text):
    with unchanged():
        response = api.post("/api/cases", reporter, json={**REPORT, "summary": text})
    assert_error(response, 400, "bad_request")


def test_task_text_with_a_nul_character_is_malformed(api, unchanged, assess_task):
    data = {"aggregation_related": True, "assessment_notes": "x\u0000"}
    with unchanged():
        response = complete(api, assess_task, "levelone", data)
    assert_error(response, 400, "bad_request")


@pytest.mark.parametrize(
    "path",
    [
        "/api/cases/%00",
        "/api/cases/CP-000001%00",
        "/api/tasks/%00",
        "/api/tasks?case=%00",
        "/api/tasks?group=a%00b",
        "/api/cases?firm=%00",
    ],
)
def test_address_with_a_nul_character_is_malformed(api, assess_task, path):
    assert_error(api.get(path, "manager"), 400, "bad_request")


@pytest.mark.parametrize("number", ["2147483648", "99999999999999999999999"])
def test_version_number_beyond_any_stored_is_not_found(api, number):
    response = api.get(f"/api/versions/{number}/files/priority.dmn", "manager")
    assert_error(response, 404, "not_found")


def test_versions_are_for_managers_and_owners(api):
    assert api.get("/api/versions", "manager").status_code == 200
    assert api.get("/api/versions", "owner").status_code == 200
    assert_error(api.get("/api/versions", "support"), 403, "forbidden")


def test_wrong_method_names_the_allowed_ones(api, assess_task):
    response = api.call("DELETE", f"/api/tasks/{assess_task['id']}/complete", "support")
    assert_error(response, 405, "method_not_allowed")
    assert "POST" in response.headers["Allow"]
