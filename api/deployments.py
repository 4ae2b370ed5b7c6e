"""Deploy and activate process versions (process owners)."""

from flask import Blueprint, request
from marshmallow import Schema

from casework import deploy

from .auth import current_user
from .requests import json_body
from .schemas import JsonFlag, VersionOut

bp = Blueprint("deployments", __name__, url_prefix="/versions")


class ActivateBody(Schema):
    rerank = JsonFlag(load_default=False)


@bp.post("")
def create():
    """Deploy a version from multipart files (a bpmn, a dmn, any number of form;
    at least one), over the current version's; `rerank=true` re-ranks open cases;
    `base_version` refuses the deploy (409) once another version is current."""
    parts = [(f, u.filename, u.read()) for f, u in request.files.items(multi=True)]
    uploads = deploy.collect_uploads(parts)
    note = request.form.get("note", "")
    rerank = deploy.rerank_flag(request.form.get("rerank"))
    base = deploy.base_version_field(request.form.get("base_version"))

    done = deploy.deploy(current_user(), uploads, note, rerank, base)

    version = done.version
    return {
        "number": version.number,
        "hash": version.hash,
        "reranked": done.reranked,
    }, 201


@bp.post("/<int:number>/activate")
def activate(number):
    """Make a version the one new cases start on; `rerank` (a form field, or JSON
    `{"rerank": true}`) also re-decides open cases' priority with its table."""
    rerank = _rerank_asked()

    done = deploy.activate(current_user(), number, rerank=rerank)

    return {**VersionOut().dump(done.version), "reranked": done.reranked}


def _rerank_asked():
    # The call without a body, as before re-ranking came, stays valid.
    if request.is_json:
        if not request.get_data(cache=True).strip():
            return False
        return json_body(ActivateBody())["rerank"]
    return deploy.rerank_flag(request.form.get("rerank"))
