"""Making an older version current can re-rank open cases with its table, so a
rollback can undo a re-rank; without asking, open cases keep their priority."""

import pytest

from models import Case, Event

from .steps import assert_error, case_at
from .test_deploy import deploy
from .test_deploy_checks import owner_upload, refused, stored_unchecked, without_rule
from .test_rerank import LOW_FOR_PARTIAL_FEW, rows
from .test_versions_page import signed_in_owner

# 6. Rolling back with a re-rank


def reranked_versions(app, case_number):
    with app.app_context():
        case = Case.query.filter_by(case_number=case_number).one()
        events = Event.query.filter_by(case_id=case.id, kind="reranked")
        return [e.data["version"] for e in events.order_by(Event.id)]


@pytest.mark.parametrize(
    "body",
    [{"json": {"rerank": True}}, {"data": {"rerank": "true"}}],
    ids=["json", "form"],
)
def test_activate_with_rerank_rolls_a_rerank_back(app, api, body):
    partial = case_at(api, "review_setup")
    lowered = deploy(api, [("dmn", "priority.dmn", LOW_FOR_PARTIAL_FEW)])
    assert lowered.status_code == 201
    reranked = api.post("/api/versions/2/activate", "owner", json={"rerank": True})
    assert reranked.get_json()["reranked"] == 1
    assert rows(app, partial) == ("Low", 3, [3])

    response = api.post("/api/versions/1/activate", "owner", **body)

    assert response.status_code == 200, response.get_json()
    answer = response.get_json()
    assert answer["number"] == 1 and answer["current"] and answer["reranked"] == 1
    assert rows(app, partial) == ("High", 1, [1])
    assert reranked_versions(app, partial) == [2, 1]


@pytest.mark.parametrize(
    "body",
    [{}, {"json": {}}, {"json": {"rerank": False}}, {"data": {"rerank": "false"}}],
    ids=["no body", "empty json", "json false", "form false"],
)
def test_activate_without_rerank_keeps_open_cases_priority(app, api, body):
    partial = case_at(api, "review_setup")
    assert (
        deploy(api, [("dmn", "priority.dmn", LOW_FOR_PARTIAL_FEW)]).status_code == 201
    )

    response = api.post("/api/versions/2/activate", "owner", **body)

    assert response.status_code == 200, response.get_json()
    assert response.get_json()["reranked"] == 0
    assert rows(app, partial) == ("High", 1, [1])


@pytest.mark.parametrize(
    "body",
    [
        {"json": {"rerank": "yes"}},
        {"json": {"rerank": 1}},
        {"json": {"rerank": True, "other": 1}},
        {"json": [True]},
        {"data": {"rerank": "maybe"}},
    ],
    ids=["json text", "json number", "unknown key", "not an object", "form word"],
)
def test_activate_refuses_a_malformed_rerank(api, unchanged, body):
    with unchanged():
        response = api.post("/api/versions/1/activate", "owner", **body)
    assert_error(response, 400, "bad_request")


def test_activate_with_rerank_is_for_owners(api, unchanged):
    case_at(api, "review_setup")
    with unchanged():
        response = api.post(
            "/api/versions/1/activate", "manager", json={"rerank": True}
        )
    assert_error(response, 403, "forbidden")


def test_activate_refuses_a_rerank_that_leaves_a_case_without_priority(
    app, api, unchanged
):
    partial = case_at(api, "review_setup")
    stored_unchecked(app, {"priority.dmn": without_rule("rule_partial_few")})
    assert api.post("/api/versions/1/activate", "owner").status_code == 200

    with unchanged():
        response = api.post("/api/versions/2/activate", "owner", json={"rerank": True})

    problems = refused(response)
    assert (
        partial in problems[0][1] and "no rule of the table matches" in problems[0][1]
    )


def test_make_current_with_rerank_on_the_versions_page(app, api):
    partial = case_at(api, "review_setup")
    owner = signed_in_owner(app)
    assert 'name="rerank"' in owner.get("/versions").get_data(as_text=True)
    assert (
        owner_upload(
            owner, [("dmn", "priority.dmn", LOW_FOR_PARTIAL_FEW)], rerank="true"
        ).status_code
        == 302
    )

    response = owner.post("/versions/1/activate", {"rerank": "true"})

    assert response.status_code == 302
    page = owner.get("/versions").get_data(as_text=True)
    assert "Version 1 is now current" in page
    assert "1 open case got a new priority." in page
    assert rows(app, partial) == ("High", 1, [1])


def test_make_current_with_a_refused_rerank_shows_why(app, api, unchanged):
    partial = case_at(api, "review_setup")
    stored_unchecked(app, {"priority.dmn": without_rule("rule_partial_few")})
    owner = signed_in_owner(app)
    assert owner.post("/versions/1/activate").status_code == 302

    with unchanged():
        response = owner.post("/versions/2/activate", {"rerank": "true"})

    assert response.status_code == 422
    assert partial in response.get_data(as_text=True)
