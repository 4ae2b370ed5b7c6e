"""A new priority table: new cases take it; open cases keep their priority unless
the owner asks to re-rank them, which updates cases, tasks and history at once."""

from pathlib import Path

import pytest

from models import Case, Event, Task

from .paths import REPORT
from .steps import VALID, assert_error, case_at
from .test_deploy import deploy
from .test_versions_page import signed_in_owner

DMN = Path("processes/priority.dmn").read_bytes()
HIGH_FEW = (
    b'<outputEntry id="rule_partial_few_priority">\n          <text>"High"</text>'
)
# Partial failures at fewer than 1000 accounts become Low instead of High.
LOW_FOR_PARTIAL_FEW = DMN.replace(HIGH_FEW, HIGH_FEW.replace(b'"High"', b'"Low"'))
CATASTROPHIC = {**REPORT, "severity": "catastrophic"}


def table(api, content, rerank=None, name="priority.dmn", user="owner"):
    """Deploy a priority table alone, with the rerank field when given."""
    data = {"note": "new table", "dmn": [(_stream(content), name)]}
    if rerank is not None:
        data["rerank"] = rerank
    return api.post(
        "/api/versions", user, data=data, content_type="multipart/form-data"
    )


def _stream(content):
    from io import BytesIO

    return BytesIO(content)


def rows(app, case_number):
    """The case's priority and rank, and the ranks of its ready tasks."""
    with app.app_context():
        case = Case.query.filter_by(case_number=case_number).one()
        ready = Task.query.filter_by(case_id=case.id, state="ready").all()
        return case.priority, case.priority_rank, sorted(t.priority_rank for t in ready)


def reranked_events(app, case_number):
    with app.app_context():
        case = Case.query.filter_by(case_number=case_number).one()
        events = Event.query.filter_by(case_id=case.id, kind="reranked").all()
        return [(e.actor, e.data) for e in events]


def test_the_changed_table_differs_from_the_shipped_one():
    assert LOW_FOR_PARTIAL_FEW != DMN
    assert LOW_FOR_PARTIAL_FEW.count(b'"Low"') == DMN.count(b'"Low"') + 1


def test_new_cases_take_the_new_table_and_open_ones_keep_theirs(app, api):
    open_case = case_at(api, "review_setup")
    assert rows(app, open_case) == ("High", 1, [1])

    response = table(api, LOW_FOR_PARTIAL_FEW)

    assert response.status_code == 201, response.get_json()
    assert response.get_json()["reranked"] == 0
    new_case = case_at(api, "review_setup")
    assert rows(app, new_case) == ("Low", 3, [3])
    assert rows(app, open_case) == ("High", 1, [1])
    assert reranked_events(app, open_case) == []
    assert (
        api.complete(open_case, "review_setup", VALID["review_setup"]).status_code
        == 200
    )
    assert rows(app, open_case) == ("High", 1, [1])


def test_rerank_gives_open_cases_the_new_priority_with_an_event(app, api):
    partial = case_at(api, "review_setup")
    critical = case_at(api, "review_setup", report=CATASTROPHIC)
    not_yet = case_at(api, "assess_issue")
    assert rows(app, not_yet)[0] is None

    response = table(api, LOW_FOR_PARTIAL_FEW, rerank="true")

    assert response.status_code == 201, response.get_json()
    assert response.get_json() == {
        "number": 2,
        "hash": response.get_json()["hash"],
        "reranked": 1,
    }
    assert rows(app, partial) == ("Low", 3, [3])
    assert rows(app, critical) == ("Critical", 0, [0])
    assert rows(app, not_yet)[0] is None
    assert reranked_events(app, partial) == [
        ("owner", {"priority": "Low", "previous_priority": "High", "version": 2})
    ]
    assert reranked_events(app, critical) == []
    assert api.case(partial)["priority"] == "Low"


def test_a_reranked_case_keeps_its_new_priority_as_it_moves_on(app, api):
    partial = case_at(api, "review_setup")
    assert table(api, LOW_FOR_PARTIAL_FEW, rerank="true").status_code == 201

    response = api.complete(partial, "review_setup", VALID["review_setup"])

    assert response.status_code == 200, response.get_json()
    assert response.get_json()["priority"] == "Low"
    assert rows(app, partial) == ("Low", 3, [3])
    assert api.ready_task(partial, "triage_investigate")["priority"] == "Low"


def test_rerank_reaches_cases_on_older_versions(app, api):
    partial = case_at(api, "research_fix")
    assert table(api, DMN.replace(b"Minimal impact", b"Hardly any")).status_code == 201

    response = table(api, LOW_FOR_PARTIAL_FEW, rerank="true")

    assert response.get_json()["reranked"] == 1
    assert rows(app, partial) == ("Low", 3, [3])
    assert api.case(partial)["version"] == 1


@pytest.mark.parametrize("rerank", ["true", "false"])
def test_a_table_that_leaves_reports_without_priority_is_refused(
    api, unchanged, rerank
):
    case_at(api, "review_setup")
    start = DMN.index(b'<rule id="rule_partial_few">')
    end = DMN.index(b"</rule>", start) + len(b"</rule>")
    gap = DMN[:start] + DMN[end:]

    with unchanged():
        response = table(api, gap, rerank=rerank)

    error = assert_error(response, 422, "invalid")
    message = "severity 'partial' with 1 or 999 accounts impacted: no rule"
    assert error["problems"] == [
        {"element": "priority.dmn", "message": f"{message} of the table matches"}
    ]


def test_a_table_only_upload_keeps_the_diagram_and_forms(api):
    before = api.get("/api/versions", "owner").get_json()["items"][0]

    assert table(api, LOW_FOR_PARTIAL_FEW).status_code == 201

    after = api.get("/api/versions", "owner").get_json()["items"][0]
    assert after["number"] == 2 and after["files"] == before["files"]
    for name in before["files"]:
        old = api.get(f"/api/versions/1/files/{name}", "owner").data
        new = api.get(f"/api/versions/2/files/{name}", "owner").data
        assert (old == new) is (name != "priority.dmn"), name


def test_a_table_under_another_name_takes_the_place_of_the_current_one(app, api):
    response = table(api, LOW_FOR_PARTIAL_FEW, name="priority_2026.dmn")

    assert response.status_code == 201, response.get_json()
    files = api.get("/api/versions", "owner").get_json()["items"][0]["files"]
    # It keeps the name of the table it replaces, as the editing pages use it.
    assert "priority.dmn" in files and "priority_2026.dmn" not in files
    assert rows(app, case_at(api, "review_setup"))[0] == "Low"


def test_forms_alone_deploy_without_a_diagram(api):
    form = Path("forms/close_case.json").read_bytes()
    changed = form.replace(b'"title": "Close case"', b'"title": "Close the case"')
    response = deploy(api, [("form", "close_case.json", changed)])
    assert response.status_code == 201, response.get_json()
    stored = api.get("/api/versions/2/files/close_case.json", "owner").data
    assert stored == changed


@pytest.mark.parametrize(
    "content, element",
    [
        (b"not xml at all", "priority.dmn"),
        (
            DMN.replace(b'<decision id="priority"', b'<decision id="urgency"'),
            "prioritize",
        ),
        (
            DMN.replace(b"<text>&gt;= 1000</text>", b"<text>&gt;= = 1000</text>", 1),
            "rule_partial_many_accounts",
        ),
        (
            DMN.replace(b'<text>"Critical"</text>', b"<text>Critical +</text>", 1),
            "rule_catastrophic_priority",
        ),
        (
            DMN.replace(b"<text>severity</text>", b"<text>__import__('os')</text>"),
            "input_severity",
        ),
    ],
    ids=["not xml", "decision renamed", "broken test", "broken output", "unsafe input"],
)
def test_a_broken_table_is_refused_with_problems(api, unchanged, content, element):
    case_at(api, "review_setup")
    with unchanged():
        response = table(api, content, rerank="true")
    error = assert_error(response, 422, "invalid")
    assert element in [p["element"] for p in error["problems"]], error["problems"]


@pytest.mark.parametrize("value", ["yes", "1", "maybe"])
def test_rerank_must_be_true_or_false(api, unchanged, value):
    with unchanged():
        response = table(api, LOW_FOR_PARTIAL_FEW, rerank=value)
    assert_error(response, 400, "bad_request")


def test_only_owners_rerank(api, unchanged):
    case_at(api, "review_setup")
    with unchanged():
        response = table(api, LOW_FOR_PARTIAL_FEW, rerank="true", user="manager")
    assert_error(response, 403, "forbidden")


def test_rerank_from_the_table_editor_page(app, api):
    partial = case_at(api, "review_setup")
    owner = signed_in_owner(app)

    response = owner.post(
        "/versions/files/priority.dmn/edit",
        {"content": LOW_FOR_PARTIAL_FEW.decode(), "note": "Lower", "rerank": "true"},
    )

    assert response.status_code == 302
    page = owner.get("/versions").get_data(as_text=True)
    assert "1 open case got a new priority." in page
    assert rows(app, partial) == ("Low", 3, [3])
