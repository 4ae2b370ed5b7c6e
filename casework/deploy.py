"""Deploy a new process version from uploaded files, or refuse it naming why."""

import logging
import re

import engine
from models import ProcessVersion

from . import versions
from .errors import BadRequest, CaseworkError, Forbidden, NotFound
from .transaction import atomic

log = logging.getLogger("casepath.versions")
FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,120}")
MAX_NOTE = 2000


class Refused(CaseworkError):
    """A bundle that fails its checks: 422 with the problems per element."""

    status, code = 422, "invalid"

    def __init__(self, problems):
        super().__init__("the version was refused; see problems")
        self.problems = problems

    def to_dict(self):
        body = super().to_dict()
        body["error"]["problems"] = [
            {"element": p.element, "message": p.message} for p in self.problems
        ]
        return body


def deploy(user, uploads, note=""):
    """Store `uploads` ({name: bytes}) over the current version's files as the
    next version and make it current; return it."""
    return atomic(lambda: _deploy(user, uploads, note))


def _deploy(user, uploads, note):
    _require_owner(user)
    _check_names(uploads)
    if len(note) > MAX_NOTE:
        raise BadRequest(f"the note is over {MAX_NOTE} characters")
    files = _over_current(uploads)
    try:
        definition = versions.check_bundle(files)
    except engine.DefinitionInvalid as invalid:
        raise Refused(invalid.problems) from invalid
    if definition.start_form is None:
        element = definition.start_element or definition.process_id
        problem = engine.Problem(element, "the start event needs a report form")
        raise Refused([problem])
    same = ProcessVersion.query.filter_by(hash=definition.hash).first()
    if same is not None:
        raise BadRequest(f"these files are version {same.number} already")
    version = versions.store_version(files, definition, author=user.name, note=note)
    log.info("version deployed by %s", user.name, extra={"hash": definition.hash})
    return version


def activate(user, number):
    """Make version `number` the one new cases start on (also to roll back)."""
    return atomic(lambda: _activate(user, number))


def _activate(user, number):
    _require_owner(user)
    version = ProcessVersion.query.filter_by(number=number).one_or_none()
    if version is None:
        raise NotFound(f"no version {number}")
    ProcessVersion.query.filter_by(is_current=True).update({"is_current": False})
    version.is_current = True
    return version


def _require_owner(user):
    if not user.is_owner:
        raise Forbidden("only process owners deploy versions")


def _check_names(uploads):
    if not any(name.endswith(".bpmn") for name in uploads):
        raise BadRequest("send the diagram as the file field bpmn")
    for name in uploads:
        if not FILE_NAME.fullmatch(name) or ".." in name:
            raise BadRequest(f"{name!r} is not a plain file name")


def _over_current(uploads):
    """The current version's files with the uploads put over them."""
    current = versions.current_version().bundle()
    if any(name.endswith(".bpmn") for name in uploads):
        current = {n: c for n, c in current.items() if not n.endswith(".bpmn")}
    return {**current, **uploads}
