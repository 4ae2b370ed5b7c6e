"""Edit the process in the browser: the diagram in bpmn-js's modeler, the priority
table and the forms as text; each save deploys a new version (process owners)."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from marshmallow import Schema, fields, validate

from api.requests import json_body
from casework import deploy, versions
from casework.errors import BadRequest, CaseworkError, NotFound

from .signin import page_user, signed_in
from .versions import EDITABLE, current_file, deployed_message, require_owner

bp = Blueprint("modeling", __name__, url_prefix="/versions")
SAVE_OVER = "Save again to put your edits over it, or reload the page to start anew"


class ModelSave(Schema):
    """What modeler.js sends: the diagram, a note, the version it was opened from."""

    xml = fields.String(required=True)
    note = fields.String(load_default="")
    base = fields.Integer(
        data_key="base_version",
        load_default=None,
        allow_none=True,
        strict=True,
        validate=validate.Range(min=1, max=2**31 - 1),
    )


@bp.get("/model")
@signed_in
def modeler():
    """The current version's diagram in the modeler."""
    require_owner(page_user())
    version = versions.current_version()
    forms = sorted(f.name for f in version.files if f.name.endswith(".json"))
    return render_template(
        "modeler.html", version=version, xml=version.bpmn_text(), forms=forms
    )


@bp.post("/model")
@signed_in
def save_model():
    """Deploy the modeler's diagram as a new version; JSON for modeler.js."""
    user = page_user()
    require_owner(user)
    try:
        body = json_body(ModelSave())
    except CaseworkError as error:
        return _json_error(error)
    if not body["xml"].strip():
        return _json_error(BadRequest("xml must be the diagram's text"))

    name = _diagram_name(versions.current_version())
    xml = body["xml"].encode("utf-8")
    try:
        done = deploy.deploy(user, {name: xml}, body["note"], False, body["base"])
    except CaseworkError as error:
        return _json_error(error)

    version = done.version
    return {"number": version.number, "hash": version.hash}, 201


@bp.route("/files/<name>/edit", methods=["GET", "POST"])
@signed_in
def edit_file(name):
    """The priority table or a form as text; saving deploys it as a new version."""
    user = page_user()
    require_owner(user)
    if not name.endswith(EDITABLE):
        raise NotFound(f"{name} is not edited as text; the diagram has the modeler")
    version, stored = current_file(name)
    if request.method == "GET":
        return _editor(version, name, stored.content)
    # Browsers send a text area's lines ending in CR LF; the stored file has LF.
    text = request.form.get("content", "").replace("\r\n", "\n")
    note = request.form.get("note", "")

    try:
        rerank = deploy.rerank_flag(request.form.get("rerank"))
        base = deploy.base_version_field(request.form.get("base_version"))
        content = text.encode("utf-8")
        done = deploy.deploy(user, {name: content}, note, rerank, base)
    except deploy.Refused as refused:
        return _editor(version, name, text, problems=refused.problems, status=422)
    except deploy.Outdated as outdated:
        message = f"Not saved: {outdated.message}. {SAVE_OVER}"
        return _editor(version, name, text, error=message, status=409)
    except BadRequest as bad:
        return _editor(version, name, text, error=bad.message, status=400)

    flash(deployed_message(done))
    return redirect(url_for("versions.index"))


def _editor(version, name, text, problems=(), error=None, status=200):
    page = render_template(
        "edit_file.html",
        version=version,
        name=name,
        text=text,
        problems=problems,
        error=error,
        note=request.form.get("note", ""),
        rerank=request.form.get("rerank") == "true",
    )
    return page, status


def _diagram_name(version):
    return next(f.name for f in version.files if f.name.endswith(".bpmn"))


def _json_error(error):
    # These answers go to modeler.js, so they keep the API's error shape.
    return error.to_dict(), error.status
