"""Deploy a new process version from uploaded files, or refuse it naming why."""

import logging
import re
from dataclasses import dataclass

import engine
from engine.decisions import decision_sources, duplicate_decisions
from models import ProcessVersion

from . import email_checks, versions
from .deploy_checks import refuse_nul_note, report_form_problems, utf8_uploads
from .errors import BadRequest, CaseworkError, Conflict, Forbidden
from .priority_grid import priority_problems
from .rerank import CannotRerank, rerank_open_cases
from .transaction import atomic

log = logging.getLogger("casepath.versions")
FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,120}")
MAX_NOTE = 2000
KINDS = {"bpmn": ".bpmn", "dmn": ".dmn", "form": ".json"}
FLAGS = {"true": True, "false": False, "": False}


class Refused(CaseworkError):
    """A bundle that fails its checks: 422 with the problems per element."""

    status, code = 422, "invalid"

    def __init__(self, problems, message="the version was refused; see problems"):
        super().__init__(message)
        self.problems = problems

    def to_dict(self):
        body = super().to_dict()
        body["error"]["problems"] = [
            {"element": p.element, "message": p.message} for p in self.problems
        ]
        return body


class Outdated(Conflict):
    """The edits were made on a version that is no longer current: saving them
    would silently undo what was deployed since."""

    code = "outdated"

    def __init__(self, base, current):
        note = f": {current.note}" if current.note else ""
        super().__init__(
            f"version {current.number} (deployed by {current.author}{note}) is "
            f"current now, not version {base} that you opened; saving now would "
            "undo what differs"
        )
        self.current = current


@dataclass
class Deployment:
    """A stored version and how many open cases it re-ranked."""

    version: ProcessVersion
    reranked: int = 0


def collect_uploads(parts):
    """{name: bytes} from (field, file name, content) parts, refusing unknown
    fields, wrong suffixes, repeated names, two diagrams and no file at all."""
    uploads, diagrams = {}, 0
    for field, name, content in parts:
        if field not in KINDS:
            raise BadRequest(f"unknown file field {field!r}; send bpmn, dmn or form")
        if not (name or "").endswith(KINDS[field]):
            raise BadRequest(f"the {field} file must end in {KINDS[field]}")
        if name in uploads:
            raise BadRequest(f"two files are named {name}")
        diagrams += field == "bpmn"
        uploads[name] = content
    if diagrams > 1:
        raise BadRequest("send at most one diagram in the file field bpmn")
    if not uploads:
        raise BadRequest("send at least one file: bpmn, dmn or form")
    return uploads


def base_version_field(value):
    """The `base_version` field as a version number, or None when not sent."""
    value = (value or "").strip()
    if not value:
        return None
    if not value.isascii() or not value.isdigit() or not 0 < int(value) < 2**31:
        raise BadRequest("base_version must be a version number")
    return int(value)


def rerank_flag(value):
    """The `rerank` field as a bool: "true", or "false" or nothing."""
    flag = FLAGS.get((value or "").strip().lower())
    if flag is None:
        raise BadRequest("rerank must be true or false")
    return flag


def deploy(user, uploads, note="", rerank=False, base_version=None):
    """Store `uploads` ({name: bytes}) over the current version's files as the
    next version and make it current; with `rerank`, re-decide open cases'
    priority with it. With `base_version`, refuse (Outdated) unless that is
    still the current version. Return the Deployment."""
    return atomic(lambda: _deploy(user, uploads, note, rerank, base_version))


def _deploy(user, uploads, note, rerank, base_version):
    _require_owner(user)
    current = versions.current_version()
    if base_version is not None and base_version != current.number:
        versions.numbered(base_version)  # 404 for a version that never was
        raise Outdated(base_version, current)
    _check_names(uploads)
    uploads, problems = utf8_uploads(uploads)
    if problems:
        raise Refused(problems)
    refuse_nul_note(note)
    if len(note) > MAX_NOTE:
        raise BadRequest(f"the note is over {MAX_NOTE} characters")
    files = _over_current(uploads)
    definition = _checked(files)
    same = ProcessVersion.query.filter_by(hash=definition.hash).first()
    if same is not None:
        raise BadRequest(f"these files are version {same.number} already")
    version = versions.store_version(files, definition, author=user.name, note=note)
    reranked = _rerank(definition, version, user) if rerank else 0
    log.info(
        "version %s deployed by %s",
        version.number,
        user.name,
        extra={"hash": definition.hash, "reranked": reranked},
    )
    return Deployment(version, reranked)


def _checked(files):
    """The definition of `files` once every check passed, else Refused."""
    try:
        return check_files(files)
    except engine.DefinitionInvalid as invalid:
        raise Refused(invalid.problems) from invalid


def check_files(files, emails=True):
    """Every check a version must pass, the shipped one at start-up included:
    the definition of `files`, else engine.DefinitionInvalid with the problems.
    Without `emails`, the email templates (files of the service, not of the
    version) are left to the caller."""
    # Two tables of one decision parse, the last one read silently winning.
    problems = duplicate_decisions(files)
    try:
        definition = versions.check_bundle(files)
    except engine.DefinitionInvalid as invalid:
        raise engine.DefinitionInvalid(problems + invalid.problems) from invalid
    if definition.start_form is None:
        element = definition.start_element or definition.process_id
        problem = engine.Problem(element, "the start event needs a report form")
        raise engine.DefinitionInvalid([*problems, problem])
    problems += report_form_problems(definition)
    problems += priority_problems(definition, files)
    if emails and not problems:
        # Emails read the report's fields: checked once the report form is
        # right, so that one missing field is not also blamed on every email.
        problems += email_checks.notify_problems(definition)
    if problems:
        raise engine.DefinitionInvalid(problems)
    return definition


def _rerank(definition, version, user):
    try:
        return rerank_open_cases(definition, version.number, user)
    except CannotRerank as cannot:
        raise Refused(cannot.problems) from cannot


def activate(user, number, rerank=False):
    """Make version `number` the one new cases start on (also to roll back); with
    `rerank`, re-decide open cases' priority with its table. Return the Deployment."""
    return atomic(lambda: _activate(user, number, rerank))


def _activate(user, number, rerank):
    _require_owner(user)
    version = versions.numbered(number)
    ProcessVersion.query.filter_by(is_current=True).update({"is_current": False})
    version.is_current = True
    reranked = 0
    if rerank:
        reranked = _rerank(versions.definition_of(version), version, user)
    log.info(
        "version %s made current by %s",
        version.number,
        user.name,
        extra={"reranked": reranked},
    )
    return Deployment(version, reranked)


def _require_owner(user):
    if not user.is_owner:
        raise Forbidden("only process owners deploy versions")


def _check_names(uploads):
    if not uploads:
        raise BadRequest("send at least one file: bpmn, dmn or form")
    if sum(name.endswith(".bpmn") for name in uploads) > 1:
        raise BadRequest("send at most one diagram")
    for name in uploads:
        if not FILE_NAME.fullmatch(name) or ".." in name:
            raise BadRequest(f"{name!r} is not a plain file name")


def _over_current(uploads):
    """The current version's files with the uploads put over them.

    A new diagram replaces the current one whatever its name; so does a
    decision table when the version has exactly one and one is sent, or when it
    declares a decision the current table does. A file replacing the one file of
    its kind keeps that file's name, so the same content is the same version and
    the pages that edit it by name keep finding it.
    """
    current = versions.current_version().bundle()
    uploads = dict(uploads)
    for suffix in (".bpmn", ".dmn"):
        sent = [name for name in uploads if name.endswith(suffix)]
        held = [name for name in current if name.endswith(suffix)]
        if sent and (suffix == ".bpmn" or (len(sent) == 1 and len(held) == 1)):
            current = {n: c for n, c in current.items() if not n.endswith(suffix)}
            if len(sent) == 1 and len(held) == 1:
                uploads[held[0]] = uploads.pop(sent[0])
    # A table sent for a decision also replaces the table held for it.
    sent_decisions = {decision for _, decision, _ in decision_sources(uploads)}
    replaced = {n for n, d, _ in decision_sources(current) if d in sent_decisions}
    current = {n: c for n, c in current.items() if n not in replaced}
    return {**current, **uploads}
