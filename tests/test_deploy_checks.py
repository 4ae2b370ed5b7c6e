"""Deploys that pass their checks do not break cases: the report form gives what a
case keeps, files are UTF-8 text without NUL, and two deploys at once both
answer. (The priority table's checks and rolling back with a re-rank have
modules of their own.)"""

import json
import threading
from io import BytesIO
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError

from casework import versions
from casework.errors import Conflict
from casework.transaction import atomic
from models import Case, ProcessVersion, db

from .conftest import token_of
from .paths import REPORT
from .steps import assert_error
from .test_deploy import deploy
from .test_versions_page import signed_in_owner

BPMN = Path("processes/case_lifecycle.bpmn").read_bytes()
DMN = Path("processes/priority.dmn").read_bytes()
REPORT_FORM = json.loads(Path("forms/issue_reported.json").read_text())
CLOSE_FORM = Path("forms/close_case.json").read_bytes()


def form_bytes(schema):
    return json.dumps(schema, indent=2).encode()


def report_form(**changes):
    """The report form with properties replaced (None removes one) and, when
    given, another `required` list."""
    schema = json.loads(json.dumps(REPORT_FORM))
    required = changes.pop("required", None)
    for name, spec in changes.items():
        if spec is None:
            schema["properties"].pop(name)
            schema["ui"]["order"].remove(name)
        else:
            schema["properties"][name] = spec
    if required is not None:
        schema["required"] = required
    return schema


def without_rule(rule_id, dmn=DMN):
    start = dmn.index(f'<rule id="{rule_id}">'.encode())
    end = dmn.index(b"</rule>", start) + len(b"</rule>")
    return dmn[:start] + dmn[end:]


def refused(response, status=422, code="invalid"):
    """The problems of a refused deploy, as (element, message) pairs."""
    error = assert_error(response, status, code)
    return [(p["element"], p["message"]) for p in error.get("problems", [])]


def stored_unchecked(app, changes):
    """Store the current files with `changes` as the next, current version without
    the deploy checks, as an earlier release may have deployed it."""
    with app.app_context():
        files = {**versions.current_version().bundle(), **changes}
        definition = versions.check_bundle(files)
        version = versions.store_version(files, definition, "owner", "unchecked")
        db.session.commit()
        return version.number


# 1. The report form


@pytest.mark.parametrize(
    "schema, missing",
    [
        ({"type": "object", "properties": {}}, list(REPORT_FORM["required"][:4])),
        (report_form(firm=None), ["firm"]),
        (report_form(required=["firm", "summary"]), ["contact_name", "severity"]),
    ],
    ids=["no properties", "no firm", "too little required"],
)
def test_a_report_form_without_the_case_fields_is_refused(
    api, unchanged, schema, missing
):
    with unchanged():
        response = deploy(api, [("form", "issue_reported.json", form_bytes(schema))])

    problems = refused(response)
    assert {element for element, _ in problems} == {"issue_reported.json"}
    for field in missing:
        assert any(f"have {field} (" in message for _, message in problems), field


@pytest.mark.parametrize(
    "field, spec, words",
    [
        ("accounts_impacted", {"type": "string"}, '"type": "integer"'),
        ("accounts_impacted", {"type": "number"}, '"type": "integer"'),
        ("firm", {"type": ["string", "null"]}, '"type": "string"'),
        ("summary", {"type": "string", "maxLength": 5000}, "at most 200"),
        ("accounts_impacted", {"type": "integer", "maximum": 10**12}, "at most"),
        ("severity", {"type": "string", "enum": ["x" * 30]}, "over 20 characters"),
    ],
    ids=["count as text", "count as number", "nullable", "too long", "too big", "enum"],
)
def test_a_report_field_of_a_type_a_case_cannot_keep_is_refused(
    api, unchanged, field, spec, words
):
    schema = report_form(**{field: spec})

    with unchanged():
        response = deploy(api, [("form", "issue_reported.json", form_bytes(schema))])

    problems = refused(response)
    assert problems[0][0] == "issue_reported.json"
    assert field in problems[0][1] and words in problems[0][1], problems


def test_a_version_deployed_without_the_checks_answers_reports_with_422(app, api):
    required = [name for name in REPORT_FORM["required"] if name != "firm"]
    no_firm = report_form(firm=None, required=required)
    stored_unchecked(app, {"issue_reported.json": form_bytes(no_firm)})
    without_firm = {k: v for k, v in REPORT.items() if k != "firm"}

    response = api.post("/api/cases", "levelone", json=without_firm)

    error = assert_error(response, 422, "invalid")
    assert error["fields"] == {"firm": ["This field is required."]}
    with app.app_context():
        assert Case.query.count() == 0


def test_an_unchecked_form_with_a_count_as_text_answers_422(app, api):
    loose = report_form(accounts_impacted={"type": "string", "maxLength": 20})
    stored_unchecked(app, {"issue_reported.json": form_bytes(loose)})

    response = api.post(
        "/api/cases", "levelone", json={**REPORT, "accounts_impacted": "many"}
    )

    error = assert_error(response, 422, "invalid")
    assert error["fields"] == {"accounts_impacted": ["Must be a whole number."]}


# 2. UTF-8 text


def _recoded(text, encoding, declared):
    return text.replace('encoding="UTF-8"', f'encoding="{declared}"').encode(encoding)


ACCENTED = BPMN.decode().replace('name="Assess issue"', 'name="Évaluer le cas"')


@pytest.mark.parametrize(
    "field, name, content",
    [
        ("bpmn", "case_lifecycle.bpmn", _recoded(BPMN.decode(), "utf-16", "UTF-16")),
        ("bpmn", "case_lifecycle.bpmn", _recoded(ACCENTED, "latin-1", "ISO-8859-1")),
        ("bpmn", "case_lifecycle.bpmn", _recoded(BPMN.decode(), "utf-8", "ISO-8859-1")),
        ("dmn", "priority.dmn", _recoded(DMN.decode(), "utf-16-le", "UTF-16")),
        ("form", "close_case.json", CLOSE_FORM.decode().encode("utf-16")),
        ("form", "close_case.json", CLOSE_FORM.replace(b"Close", b"Cl\xf4ture")),
    ],
    ids=[
        "utf-16 diagram",
        "latin-1 diagram",
        "utf-8 declared latin-1",
        "utf-16 table",
        "utf-16 form",
        "latin-1 form",
    ],
)
def test_a_file_that_is_not_utf8_is_refused_naming_it(
    api, unchanged, field, name, content
):
    with unchanged():
        response = deploy(api, [(field, name, content)])

    problems = refused(response)
    assert [element for element, _ in problems] == [name]
    assert "UTF-8" in problems[0][1]


def test_the_versions_page_refuses_a_file_that_is_not_utf8(app, unchanged):
    owner = signed_in_owner(app)
    content = CLOSE_FORM.decode().encode("utf-16")

    with unchanged():
        response = owner_upload(owner, [("form", "close_case.json", content)])

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'data-element="close_case.json"' in page and "UTF-8" in page


def owner_upload(owner, files, note="", rerank=None):
    data = {"note": note, "csrf_token": owner.token()}
    if rerank is not None:
        data["rerank"] = rerank
    for field, name, content in files:
        data.setdefault(field, []).append((BytesIO(content), name))
    return owner.client.post("/versions", data=data, content_type="multipart/form-data")


def test_a_utf8_byte_order_mark_is_dropped(api):
    changed = CLOSE_FORM.replace(b'"title": "Close case"', b'"title": "Close it"')

    response = deploy(api, [("form", "close_case.json", b"\xef\xbb\xbf" + changed)])

    assert response.status_code == 201, response.get_json()
    assert api.get("/api/versions/2/files/close_case.json", "owner").data == changed


# 3. Two deploys at the same moment


def deploy_together(app, monkeypatch, uploads):
    """Post one deploy per file list from as many threads, all reading the
    current version before any stores; return [(status, body)] in order given."""
    barrier = threading.Barrier(len(uploads))
    real = versions.store_version
    waited = threading.local()

    def store(*args, **kwargs):
        if not getattr(waited, "done", False):
            waited.done = True
            barrier.wait(timeout=30)
        return real(*args, **kwargs)

    monkeypatch.setattr(versions, "store_version", store)
    results = [None] * len(uploads)

    def post(index, files):
        data = {"note": f"deploy {index}"}
        for field, name, content in files:
            data.setdefault(field, []).append((BytesIO(content), name))
        response = app.test_client().post(
            "/api/versions",
            data=data,
            content_type="multipart/form-data",
            headers={"Authorization": f"Bearer {token_of('owner')}"},
        )
        results[index] = (response.status_code, response.get_json())

    threads = [
        threading.Thread(target=post, args=(i, files))
        for i, files in enumerate(uploads)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


RENAMED = [("bpmn", "x.bpmn", BPMN.replace(b'name="Assess issue"', b'name="Assess"'))]
RETITLED = [
    ("form", "close_case.json", CLOSE_FORM.replace(b"Close case", b"Close the case"))
]


def _assert_double_click_answers_once(app, results):
    statuses = sorted(status for status, _ in results)
    assert statuses == [201, 400], results
    refusal = next(body for status, body in results if status == 400)
    assert refusal["error"]["message"] == "these files are version 2 already"
    with app.app_context():
        numbers = [v.number for v in ProcessVersion.query.order_by("number")]
        assert numbers == [1, 2]


def test_a_double_clicked_deploy_stores_one_version_on_sqlite(app, monkeypatch):
    results = deploy_together(app, monkeypatch, [RENAMED, RENAMED])

    _assert_double_click_answers_once(app, results)


def test_two_different_deploys_at_once_both_land_on_sqlite(app, api, monkeypatch):
    results = deploy_together(app, monkeypatch, [RENAMED, RETITLED])

    assert sorted(status for status, _ in results) == [201, 201], results
    assert sorted(body["number"] for _, body in results) == [2, 3]
    # The later deploy went over the earlier one: version 3 has both changes.
    newest = api.get("/api/versions", "owner").get_json()["items"][0]
    assert newest["number"] == 3
    diagram = api.get("/api/versions/3/files/case_lifecycle.bpmn", "owner").data
    form = api.get("/api/versions/3/files/close_case.json", "owner").data
    assert b'name="Assess"' in diagram and b"Close the case" in form


def test_a_double_clicked_deploy_stores_one_version_on_postgresql(pg_app, monkeypatch):
    results = deploy_together(pg_app, monkeypatch, [RENAMED, RENAMED])

    _assert_double_click_answers_once(pg_app, results)


def test_an_insert_that_keeps_failing_is_a_conflict(app):
    attempts = []

    def clash():
        attempts.append(1)
        taken = ProcessVersion.query.filter_by(number=1).one()
        db.session.add(
            ProcessVersion(
                number=1, hash=taken.hash, process_id="p", author="owner", note=""
            )
        )
        db.session.flush()

    with app.app_context():
        with pytest.raises(Conflict):
            atomic(clash)
        assert len(attempts) == 3
        assert ProcessVersion.query.count() == 1


def test_integrity_errors_are_retried_not_raised(app):
    calls = []

    def once_then_fine():
        calls.append(1)
        if len(calls) == 1:
            raise IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed"))
        return "done"

    with app.app_context():
        assert atomic(once_then_fine) == "done"
    assert len(calls) == 2


# 5. NUL characters


def test_a_note_with_nul_is_refused(api, unchanged):
    with unchanged():
        response = deploy(api, RENAMED, note="a\x00b")

    error = assert_error(response, 400, "bad_request")
    assert "NUL" in error["message"]


def test_a_file_with_nul_is_refused_naming_it(api, unchanged):
    content = CLOSE_FORM.replace(b'"Close case"', b'"Close\x00case"')

    with unchanged():
        problems = refused(deploy(api, [("form", "close_case.json", content)]))

    assert problems == [
        (
            "close_case.json",
            "holds NUL characters, so it is not UTF-8 text; save it as UTF-8",
        )
    ]


def test_the_modeler_refuses_a_note_with_nul(app, unchanged):
    owner = signed_in_owner(app)
    changed = BPMN.replace(b'name="Assess issue"', b'name="Assess"').decode()

    with unchanged():
        response = owner.client.post(
            "/versions/model",
            json={"xml": changed, "note": "nul\x00here"},
            headers={"X-CSRFToken": owner.token("/versions/model")},
        )

    assert response.status_code == 400, response.get_data(as_text=True)[:300]
    assert "NUL" in response.get_json()["error"]["message"]
