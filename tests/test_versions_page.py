"""The versions page: owners list, download, make current and deploy versions in
the browser; managers read; a refused deploy shows its problems and saves nothing."""

import re
from io import BytesIO
from pathlib import Path

import pytest

from models import ProcessVersion, User, db

from .conftest import PASSWORD
from .paths import REPORT
from .test_deploy import deploy as api_deploy

BPMN = Path("processes/case_lifecycle.bpmn").read_bytes()
DMN = Path("processes/priority.dmn").read_bytes()
CLOSE_FORM = Path("forms/close_case.json").read_bytes()
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
RENAMED = BPMN.replace(b'name="Assess issue"', b'name="Assess the issue"')
BROKEN = BPMN.replace(b'"P14D"', b"P14D")


class Session:
    """A browser session: signs in through the form, posts with its CSRF token."""

    def __init__(self, app, name):
        self.client = app.test_client()
        response = self.post("/sign-in", {"name": name, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)[:300]

    def token(self, path="/sign-in"):
        page = self.client.get(path).get_data(as_text=True)
        return CSRF.search(page).group(1)

    def get(self, path):
        return self.client.get(path)

    def post(self, path, data=None, token=True, **kwargs):
        data = dict(data or {})
        if token:
            data["csrf_token"] = self.token()
        return self.client.post(path, data=data, **kwargs)

    def upload(self, files, note="", rerank=False):
        data = {"note": note, "csrf_token": self.token()}
        if rerank:
            data["rerank"] = "true"
        for field, name, content in files:
            data.setdefault(field, []).append((BytesIO(content), name))
        return self.client.post(
            "/versions", data=data, content_type="multipart/form-data"
        )


def signed_in_owner(app):
    """A session of the process owner, who gets the test password first."""
    with app.app_context():
        User.query.filter_by(name="owner").one().set_password(PASSWORD)
        db.session.commit()
    return Session(app, "owner")


@pytest.fixture
def owner(app):
    return signed_in_owner(app)


@pytest.fixture
def manager(app):
    return Session(app, "manager")


def text(response):
    return response.get_data(as_text=True)


def versions(api):
    return api.get("/api/versions", "owner").get_json()["items"]


def current_number(api):
    return next(v["number"] for v in versions(api) if v["current"])


def test_owner_sees_every_version_with_hash_author_note_and_the_current_mark(
    api, owner
):
    assert (
        api_deploy(api, [("bpmn", "x.bpmn", RENAMED)], note="Clearer names").status_code
        == 201
    )
    first, second = sorted(versions(api), key=lambda v: v["number"])

    page = text(owner.get("/versions"))

    rows = re.findall(r'<tr data-version="(\d+)"( data-current)?>', page)
    assert rows == [("2", " data-current"), ("1", "")]
    assert second["hash"][:12] in page and first["hash"][:12] in page
    assert "Clearer names" in page
    assert "owner<span" in page  # the author of version 2
    assert 'href="/versions/1/files/priority.dmn"' in page
    # A diagram sent under another name takes the name of the one it replaces.
    assert 'href="/versions/2/files/case_lifecycle.bpmn"' in page
    assert page.count("Make current</button>") == 1
    assert 'aria-label="Make version 1 current"' in page


def test_manager_reads_the_versions_without_actions(manager):
    page = text(manager.get("/versions"))

    assert 'data-version="1"' in page
    assert "Make current" not in page
    assert 'action="/versions#deploy"' not in page
    assert "/versions/model" not in page


@pytest.mark.parametrize("name", ["support", "levelone"])
def test_staff_without_the_role_may_not_see_versions(app, name):
    response = Session(app, name).get("/versions")
    assert response.status_code == 403


def test_signed_out_browser_is_sent_to_sign_in(app):
    response = app.test_client().get("/versions/1/files/priority.dmn")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


def test_owner_downloads_a_file_of_a_version(owner):
    response = owner.get("/versions/1/files/priority.dmn")

    assert response.status_code == 200
    assert response.data == DMN
    assert response.mimetype == "application/xml"
    disposition = response.headers["Content-Disposition"]
    assert disposition == 'attachment; filename="priority.dmn"'
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert owner.get("/versions/1/files/close_case.json").data == CLOSE_FORM
    assert owner.get("/versions/1/files/nothing.json").status_code == 404
    assert owner.get("/versions/7/files/priority.dmn").status_code == 404


def test_manager_downloads_files_too(manager):
    assert manager.get("/versions/1/files/case_lifecycle.bpmn").data == BPMN


def test_owner_rolls_back_with_make_current(api, owner):
    assert (
        api_deploy(api, [("bpmn", "case_lifecycle.bpmn", RENAMED)]).status_code == 201
    )
    assert (
        api.ready_task(api.report(REPORT), "assess_issue")["name"] == "Assess the issue"
    )

    response = owner.post("/versions/1/activate")

    assert response.status_code == 302 and response.headers["Location"] == "/versions"
    assert "Version 1 is now current" in text(owner.get("/versions"))
    assert current_number(api) == 1
    assert api.ready_task(api.report(REPORT), "assess_issue")["name"] == "Assess issue"
    assert owner.post("/versions/2/activate").status_code == 302
    assert current_number(api) == 2


def test_make_current_of_an_unknown_version_is_not_found(owner, unchanged):
    with unchanged():
        assert owner.post("/versions/9/activate").status_code == 404
        assert owner.post(f"/versions/{2**40}/activate").status_code == 404


def test_actions_need_the_csrf_token(api, owner, unchanged):
    assert (
        api_deploy(api, [("bpmn", "case_lifecycle.bpmn", RENAMED)]).status_code == 201
    )
    with unchanged():
        assert owner.post("/versions/1/activate", token=False).status_code == 400
        files = {"dmn": (BytesIO(DMN.replace(b"High", b"Low")), "priority.dmn")}
        response = owner.client.post(
            "/versions", data=files, content_type="multipart/form-data"
        )
        assert response.status_code == 400
    assert current_number(api) == 2


def test_managers_may_not_act(api, app, manager, unchanged):
    assert (
        api_deploy(api, [("bpmn", "case_lifecycle.bpmn", RENAMED)]).status_code == 201
    )
    with unchanged():
        assert manager.post("/versions/1/activate").status_code == 403
        form = CLOSE_FORM.replace(b"Close case", b"Close")
        data = {
            "csrf_token": manager.token(),
            "form": (BytesIO(form), "close_case.json"),
        }
        response = manager.client.post(
            "/versions", data=data, content_type="multipart/form-data"
        )
        assert response.status_code == 403
        assert manager.get("/versions/model").status_code == 403
        assert manager.get("/versions/files/priority.dmn/edit").status_code == 403


def test_owner_deploys_just_a_form_through_the_page(api, owner):
    form = CLOSE_FORM.replace(b'"title": "Close case"', b'"title": "Close the case"')
    assert form != CLOSE_FORM

    response = owner.upload(
        [("form", "close_case.json", form)], note="Close form title"
    )

    assert response.status_code == 302
    assert "Version 2 is deployed and current" in text(owner.get("/versions"))
    latest = versions(api)[0]
    assert latest["number"] == 2 and latest["note"] == "Close form title"
    assert owner.get("/versions/2/files/close_case.json").data == form
    assert owner.get("/versions/2/files/case_lifecycle.bpmn").data == BPMN
    assert owner.get("/versions/2/files/priority.dmn").data == DMN


def test_refused_upload_lists_the_problems_and_changes_nothing(owner, unchanged):
    with unchanged():
        response = owner.upload(
            [("bpmn", "case_lifecycle.bpmn", BROKEN)], note="broken timer"
        )

    assert response.status_code == 422
    page = text(response)
    assert "The version was refused. Nothing was deployed." in page
    assert '<li data-element="no_answer_timer"><code>no_answer_timer</code>' in page
    assert "broken timer" in page  # the note is kept for the next try


@pytest.mark.parametrize(
    "files, message",
    [
        ([], "Send at least one file"),
        ([("bpmn", "case_lifecycle.xml", BPMN)], "The bpmn file must end in .bpmn"),
        ([("form", "../close_case.json", CLOSE_FORM)], "is not a plain file name"),
        ([("bpmn", "case_lifecycle.bpmn", BPMN)], "files are version 1 already"),
    ],
    ids=["nothing", "wrong suffix", "path", "same as current"],
)
def test_unusable_upload_is_explained_on_the_page(owner, unchanged, files, message):
    with unchanged():
        response = owner.upload(files)
    assert response.status_code == 400
    assert message in text(response)


def test_owner_edits_the_priority_table_as_text(api, owner):
    page = text(owner.get("/versions/files/priority.dmn/edit"))
    assert "rule_partial_few_priority" in page and "Save as new version" in page
    changed = DMN.decode().replace("Minimal impact", "Hardly any impact")

    response = owner.post(
        "/versions/files/priority.dmn/edit",
        {"content": changed.replace("\n", "\r\n"), "note": "Wording"},
    )

    assert response.status_code == 302
    assert versions(api)[0]["note"] == "Wording"
    assert owner.get("/versions/2/files/priority.dmn").data == changed.encode()


def test_refused_edit_keeps_the_text_and_changes_nothing(owner, unchanged):
    broken = CLOSE_FORM.decode().replace('"type": "object"', '"type": "list"', 1)
    with unchanged():
        response = owner.post(
            "/versions/files/close_case.json/edit",
            {"content": broken, "note": "try"},
        )
    assert response.status_code == 422
    page = text(response)
    assert '<li data-element="close_case.json">' in page
    assert "&#34;type&#34;: &#34;list&#34;" in page


@pytest.mark.parametrize("name", ["case_lifecycle.bpmn", "missing.json", "x.txt"])
def test_only_the_tables_and_forms_of_the_current_version_are_edited_as_text(
    owner, name
):
    assert owner.get(f"/versions/files/{name}/edit").status_code == 404


def test_modeler_page_holds_the_current_diagram(owner):
    page = text(owner.get("/versions/model"))
    assert 'id="modeler-diagram"' in page
    assert "bpmn-modeler.production.min.js" in page
    assert "issue_reported" in page and "\\u003cbpmn:process" in page


def save_model(session, xml, note="", token=True):
    headers = {"X-CSRFToken": session.token()} if token else {}
    return session.client.post(
        "/versions/model", json={"xml": xml, "note": note}, headers=headers
    )


def test_modeler_saves_a_diagram_as_the_next_version(api, owner):
    response = save_model(owner, RENAMED.decode(), "Renamed assessment")

    assert response.status_code == 201, response.get_json()
    assert response.get_json()["number"] == 2
    assert current_number(api) == 2
    stored = owner.get("/versions/2/files/case_lifecycle.bpmn").data
    assert b'name="Assess the issue"' in stored


def test_modeler_refusal_answers_problems_and_changes_nothing(owner, unchanged):
    with unchanged():
        response = save_model(owner, BROKEN.decode())
        assert save_model(owner, RENAMED.decode(), token=False).status_code == 400
        assert save_model(owner, "").status_code == 400
    assert response.status_code == 422
    problems = response.get_json()["error"]["problems"]
    assert problems[0]["element"] == "no_answer_timer"


def test_version_numbers_stay_in_order_after_a_rollback(app, api, owner):
    assert (
        api_deploy(api, [("bpmn", "case_lifecycle.bpmn", RENAMED)]).status_code == 201
    )
    assert owner.post("/versions/1/activate").status_code == 302
    response = save_model(owner, BPMN.decode().replace("Close case", "Close the case"))
    assert response.status_code == 201 and response.get_json()["number"] == 3
    with app.app_context():
        numbers = [v.number for v in ProcessVersion.query.filter_by(is_current=True)]
    assert numbers == [3]
