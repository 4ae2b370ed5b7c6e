"""Edits made on a version that is no longer current are not saved over what was
deployed since without the owner saying so; a file keeps the name it replaces."""

import json
from io import BytesIO

import pytest

from .steps import assert_error
from .test_deploy import deploy
from .test_versions_page import BPMN, RENAMED, current_number, signed_in_owner, text

RETITLED = BPMN.replace(b'name="Close case"', b'name="Close the case"')


def save_model(session, xml, base_version, note=""):
    body = {"xml": xml, "note": note, "base_version": base_version}
    headers = {"X-CSRFToken": session.token()}
    return session.client.post("/versions/model", json=body, headers=headers)


@pytest.fixture
def owner(app):
    return signed_in_owner(app)


def test_modeler_save_on_an_outdated_version_is_refused_then_saved_on_request(
    api, owner, unchanged
):
    assert deploy(api, [("bpmn", "case_lifecycle.bpmn", RENAMED)]).status_code == 201

    with unchanged():
        refused = save_model(owner, RETITLED.decode(), base_version=1)
    again = save_model(owner, RETITLED.decode(), base_version=None)

    error = assert_error(refused, 409, "outdated")
    assert "version 2 (deployed by owner: test) is current now" in error["message"]
    assert "not version 1 that you opened" in error["message"]
    assert again.status_code == 201, again.get_json()
    assert current_number(api) == 3


def test_a_base_version_that_never_was_is_not_found(api, owner, unchanged):
    assert deploy(api, [("bpmn", "case_lifecycle.bpmn", RENAMED)]).status_code == 201

    with unchanged():
        response = save_model(owner, RETITLED.decode(), base_version=9999)

    assert_error(response, 404, "not_found")


def test_modeler_save_on_the_current_version_goes_through(api, owner):
    response = save_model(owner, RETITLED.decode(), base_version=1)

    assert response.status_code == 201, response.get_json()


@pytest.mark.parametrize("base", ["1", 0, True, "\ud800"])
def test_modeler_save_refuses_malformed_bodies_with_400(owner, unchanged, base):
    with unchanged():
        response = save_model(owner, RETITLED.decode(), base_version=base)

    assert_error(response, 400, "bad_request")


def test_modeler_save_with_a_lone_surrogate_in_the_diagram_is_a_400(owner, unchanged):
    body = json.dumps({"xml": "<x>\ud800</x>", "note": "\ud800"})
    headers = {"X-CSRFToken": owner.token(), "Content-Type": "application/json"}

    with unchanged():
        response = owner.client.post("/versions/model", data=body, headers=headers)

    assert_error(response, 400, "bad_request")


def test_text_edit_on_an_outdated_version_keeps_the_text_and_says_why(
    api, owner, unchanged
):
    page = text(owner.get("/versions/files/close_case.json/edit"))
    assert 'name="base_version" value="1"' in page
    assert deploy(api, [("bpmn", "case_lifecycle.bpmn", RENAMED)]).status_code == 201
    edited = json.loads(
        owner.get("/versions/1/files/close_case.json").get_data(as_text=True)
    )
    edited["title"] = "Close the case"
    content = json.dumps(edited, indent=2)

    form = {"content": content, "note": "", "base_version": "1"}
    with unchanged():
        refused = owner.post("/versions/files/close_case.json/edit", form)
    form["base_version"] = "2"
    saved = owner.post("/versions/files/close_case.json/edit", form)

    assert refused.status_code == 409
    page = text(refused)
    assert "not version 1 that you opened" in page
    assert "Close the case" in page
    assert 'name="base_version" value="2"' in page
    assert saved.status_code == 302
    assert current_number(api) == 3


def test_api_deploy_with_an_outdated_base_version_is_refused(api, unchanged):
    assert deploy(api, [("bpmn", "case_lifecycle.bpmn", RENAMED)]).status_code == 201
    data = {"note": "late", "base_version": "1"}
    data["bpmn"] = [(BytesIO(RETITLED), "case_lifecycle.bpmn")]

    with unchanged():
        response = api.post(
            "/api/versions", "owner", data=data, content_type="multipart/form-data"
        )

    assert_error(response, 409, "outdated")


def test_the_same_diagram_under_another_name_is_the_same_version(api, unchanged):
    with unchanged():
        response = deploy(api, [("bpmn", "renamed.bpmn", BPMN)])

    error = assert_error(response, 400, "bad_request")
    assert error["message"] == "these files are version 1 already"
