"""Deploy and activate process versions (process owners)."""

from flask import Blueprint, request

from casework import deploy
from casework.errors import BadRequest

from .auth import current_user
from .schemas import VersionOut

bp = Blueprint("deployments", __name__, url_prefix="/versions")
KINDS = {"bpmn": ".bpmn", "dmn": ".dmn", "form": ".json"}


@bp.post("")
def create():
    """Deploy a version from multipart files: bpmn, dmn and any number of form."""
    uploads = _uploads()
    note = request.form.get("note", "")

    version = deploy.deploy(current_user(), uploads, note)

    return {"number": version.number, "hash": version.hash}, 201


@bp.post("/<int:number>/activate")
def activate(number):
    """Make a version the one new cases start on."""
    version = deploy.activate(current_user(), number)
    return VersionOut().dump(version)


def _uploads():
    unknown = set(request.files) - set(KINDS)
    if unknown:
        raise BadRequest(f"unknown file fields: {', '.join(sorted(unknown))}")
    if len(request.files.getlist("bpmn")) != 1:
        raise BadRequest("send exactly one diagram in the file field bpmn")
    uploads = {}
    for kind, suffix in KINDS.items():
        for upload in request.files.getlist(kind):
            name = upload.filename or ""
            if not name.endswith(suffix):
                raise BadRequest(f"the {kind} file must end in {suffix}")
            uploads[name] = upload.read()
    return uploads
