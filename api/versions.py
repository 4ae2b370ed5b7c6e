"""Process versions: list them and read their files."""

from flask import Blueprint, Response

from casework import migration, versions
from casework.errors import Forbidden, NotFound
from models import ProcessVersion

from .auth import current_user
from .schemas import VersionOut

bp = Blueprint("versions", __name__, url_prefix="/versions")
MEDIA_TYPES = {".bpmn": "application/xml", ".dmn": "application/xml"}


@bp.get("")
def index():
    """Every deployed version, newest first."""
    _require_manager_or_owner()
    versions = ProcessVersion.query.order_by(ProcessVersion.number.desc()).all()
    return {"items": VersionOut(many=True).dump(versions), "total": len(versions)}


@bp.get("/<int:number>/files/<name>")
def file(number, name):
    """One file of a version, as deployed."""
    _require_manager_or_owner()
    found = versions.version_file(number, name)
    suffix = name[name.rfind(".") :]
    return Response(found.content, mimetype=MEDIA_TYPES.get(suffix, "application/json"))


@bp.get("/<int:number>/migrations")
def migrations(number):
    """Open cases on other versions: whether each can move to `number`, and why."""
    if number > versions.MAX_VERSION:
        raise NotFound(f"no version {number}")
    rows = migration.preview(current_user(), number)
    return {"items": rows, "total": len(rows)}


def _require_manager_or_owner():
    user = current_user()
    if not (user.is_manager or user.is_owner):
        raise Forbidden("process versions are for managers and process owners")
