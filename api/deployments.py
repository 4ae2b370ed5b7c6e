"""Deploy and activate process versions (process owners)."""

from flask import Blueprint, request

from casework import deploy

from .auth import current_user
from .schemas import VersionOut

bp = Blueprint("deployments", __name__, url_prefix="/versions")


@bp.post("")
def create():
    """Deploy a version from multipart files (a bpmn, a dmn, any number of form;
    at least one), over the current version's; `rerank=true` re-ranks open cases."""
    parts = [(f, u.filename, u.read()) for f, u in request.files.items(multi=True)]
    uploads = deploy.collect_uploads(parts)
    note = request.form.get("note", "")
    rerank = deploy.rerank_flag(request.form.get("rerank"))

    done = deploy.deploy(current_user(), uploads, note, rerank=rerank)

    version = done.version
    return {
        "number": version.number,
        "hash": version.hash,
        "reranked": done.reranked,
    }, 201


@bp.post("/<int:number>/activate")
def activate(number):
    """Make a version the one new cases start on."""
    version = deploy.activate(current_user(), number)
    return VersionOut().dump(version)
