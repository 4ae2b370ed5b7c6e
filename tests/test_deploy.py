"""Process owners deploy versions: checked, stored, current for new cases only."""

from pathlib import Path

import pytest

from .conftest import SHARED
from .steps import assert_error

BPMN = Path("processes/case_lifecycle.bpmn").read_bytes()
CORPUS = sorted((SHARED / "bpmn-corpus").rglob("*.bpmn"))


def deploy(api, files, user="owner", note="test"):
    data = {"note": note}
    for field, name, content in files:
        data.setdefault(field, []).append((_stream(content), name))
    return api.post(
        "/api/versions", user, data=data, content_type="multipart/form-data"
    )


def _stream(content):
    from io import BytesIO

    return BytesIO(content)


def test_owner_deploys_a_changed_diagram_as_the_next_current_version(api):
    changed = BPMN.replace(b'name="Assess issue"', b'name="Assess the issue"')
    response = deploy(api, [("bpmn", "case_lifecycle.bpmn", changed)])
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["number"] == 2
    listed = api.get("/api/versions", "owner").get_json()["items"]
    assert [(v["number"], v["current"]) for v in listed] == [(2, True), (1, False)]
    assert "priority.dmn" in listed[0]["files"]


def test_running_cases_stay_on_their_version_and_new_ones_take_the_new(api):
    from .paths import REPORT

    old = api.report(REPORT)
    changed = BPMN.replace(b'name="Assess issue"', b'name="Assess the issue"')
    assert deploy(api, [("bpmn", "case_lifecycle.bpmn", changed)]).status_code == 201
    new = api.report(REPORT)
    assert api.case(old)["version"] == 1
    assert api.case(new)["version"] == 2
    assert api.ready_task(old, "assess_issue")["name"] == "Assess issue"
    assert api.ready_task(new, "assess_issue")["name"] == "Assess the issue"


def test_refused_deploy_names_the_element_and_changes_nothing(api, unchanged):
    broken = BPMN.replace(b'"P14D"', b"P14D")
    with unchanged():
        response = deploy(api, [("bpmn", "case_lifecycle.bpmn", broken)])
    error = assert_error(response, 422, "invalid")
    assert {"element": "no_answer_timer"}.items() <= error["problems"][0].items()


@pytest.mark.parametrize("user", ["manager", "support"])
def test_only_owners_deploy(api, unchanged, user):
    with unchanged():
        response = deploy(api, [("bpmn", "case_lifecycle.bpmn", BPMN)], user=user)
    assert_error(response, 403, "forbidden")


@pytest.mark.parametrize(
    "files",
    [
        [],
        [("bpmn", "../case_lifecycle.bpmn", BPMN)],
        [("bpmn", "a.bpmn", BPMN), ("bpmn", "b.bpmn", BPMN)],
        [("bpmn", "case_lifecycle.xml", BPMN)],
        [("bpmn", "case_lifecycle.bpmn", BPMN), ("other", "x.bpmn", BPMN)],
    ],
    ids=["nothing", "path", "two diagrams", "wrong suffix", "unknown field"],
)
def test_malformed_uploads_are_refused(api, unchanged, files):
    with unchanged():
        response = deploy(api, files)
    assert_error(response, 400, "bad_request")


@pytest.mark.parametrize(
    "content",
    [
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x "boom">]><d>&x;</d>',
        b"<html><body>not a process</body></html>",
        b"not xml at all",
    ],
    ids=["entities", "not bpmn", "not xml"],
)
def test_unsafe_or_foreign_files_are_refused(api, unchanged, content):
    with unchanged():
        response = deploy(api, [("bpmn", "case_lifecycle.bpmn", content)])
    assert_error(response, 422, "invalid")


def test_owner_rolls_the_current_version_back(api):
    changed = BPMN.replace(b'name="Assess issue"', b'name="Assess the issue"')
    assert deploy(api, [("bpmn", "case_lifecycle.bpmn", changed)]).status_code == 201
    response = api.post("/api/versions/1/activate", "owner")
    assert response.status_code == 200 and response.get_json()["current"]
    assert_error(api.post("/api/versions/9/activate", "owner"), 404, "not_found")
    assert_error(api.post("/api/versions/1/activate", "manager"), 403, "forbidden")


@pytest.mark.skipif(not CORPUS, reason=f"no BPMN corpus under {SHARED}")
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_corpus_file_is_deployed_or_refused_with_reasons(api, path):
    response = deploy(api, [("bpmn", "corpus.bpmn", path.read_bytes())])
    assert response.status_code in (201, 422), response.get_data(as_text=True)[:300]
    if response.status_code == 422:
        problems = response.get_json()["error"]["problems"]
        assert problems and all(p["element"] and p["message"] for p in problems)
        assert not any(" at 0x" in p["message"] for p in problems), problems
