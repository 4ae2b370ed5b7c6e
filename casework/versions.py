"""Deployed process versions and the parsed definitions behind them."""

import logging
import re
from pathlib import Path

from flask import current_app
from sqlalchemy.exc import IntegrityError

import engine
from models import ProcessVersion, VersionFile, db

from .access import ENGINEERING_GROUP_FIELD, ENGINEERING_LANE
from .emails import TEMPLATE_DIR
from .errors import NotFound

log = logging.getLogger("casepath.versions")

MAX_VERSION = 2**31 - 1  # version numbers are 32-bit integers in the database
TEMPLATE_NAME = re.compile(r"[A-Za-z0-9_-]+")
LANES = ("Client", "Level One", "Support", "Triage", "Engineering")
_definitions = {}


class BaselineInvalid(RuntimeError):
    """The process files shipped with the service do not pass the checks."""


def read_bundle(process_dir, forms_dir):
    """A bundle on disk: *.bpmn and *.dmn of one folder, forms of another."""
    files = {}
    for pattern, folder in (("*.bpmn", process_dir), ("*.dmn", process_dir)):
        for path in sorted(Path(folder).glob(pattern)):
            files[path.name] = path.read_bytes()
    for path in sorted(Path(forms_dir).glob("*.json")):
        files[path.name] = path.read_bytes()
    return files


def check_bundle(files):
    """The parsed definition of `files`, or engine.DefinitionInvalid; every email
    its scripts notify with must have a template in emails/."""
    definition = engine.load_definition(files, LANES)
    problems = [
        engine.Problem(element, f"no email template {name} in emails/")
        for name, elements in sorted(definition.email_templates.items())
        if not _has_template(name)
        for element in elements
    ]
    problems += [
        engine.Problem(
            element,
            f"an {ENGINEERING_LANE} task goes to the group in "
            f"{ENGINEERING_GROUP_FIELD}, but some path reaches it before any "
            "step sets that (in the shipped process, Triage's form does)",
        )
        for element, step in sorted(definition.steps.items())
        if step.lane == ENGINEERING_LANE
        and ENGINEERING_GROUP_FIELD not in step.arrives_with
    ]
    if problems:
        raise engine.DefinitionInvalid(problems)
    return definition


def _has_template(name):
    return (
        bool(TEMPLATE_NAME.fullmatch(name)) and (TEMPLATE_DIR / f"{name}.txt").is_file()
    )


def definition_of(version):
    """The parsed definition of a stored version, parsed once per process."""
    definition = _definitions.get(version.hash)
    if definition is None:
        # Not check_bundle: a stored version stays readable, its cases workable,
        # even if an email template it uses has been removed since.
        definition = engine.load_definition(version.bundle(), LANES)
        _definitions[version.hash] = definition
    return definition


def definition_for(case):
    """The parsed definition of the version `case` runs on, without loading files."""
    by_version = current_app.extensions.setdefault("casepath.definitions", {})
    definition = by_version.get(case.version_id)
    if definition is None:
        definition = definition_of(db.session.get(ProcessVersion, case.version_id))
        by_version[case.version_id] = definition
    return definition


def version_of(case):
    """The stored version a case runs on."""
    return db.session.get(ProcessVersion, case.version_id)


def numbered(number):
    """Version `number`, or NotFound."""
    found = None
    if 0 < number <= MAX_VERSION:
        found = ProcessVersion.query.filter_by(number=number).one_or_none()
    if found is None:
        raise NotFound(f"no version {number}")
    return found


def version_file(number, name):
    """One stored file of version `number`, or NotFound."""
    found = None
    if number <= MAX_VERSION:
        found = (
            VersionFile.query.join(ProcessVersion)
            .filter(ProcessVersion.number == number, VersionFile.name == name)
            .one_or_none()
        )
    if found is None:
        raise NotFound(f"version {number} has no file {name}")
    return found


def current_version():
    """The version new cases start on."""
    version = ProcessVersion.query.filter_by(is_current=True).one_or_none()
    if version is None:
        raise NotFound("no process version is deployed")
    return version


def store_version(files, definition, author, note, make_current=True):
    """Save a checked bundle as the next version number; return it (not committed)."""
    last = db.session.query(db.func.max(ProcessVersion.number)).scalar() or 0
    version = ProcessVersion(
        number=last + 1,
        hash=definition.hash,
        process_id=definition.process_id,
        author=author,
        note=note,
    )
    for name, content in sorted(files.items()):
        text = content.decode("utf-8") if isinstance(content, bytes) else content
        version.files.append(VersionFile(name=name, content=text))
    db.session.add(version)
    if make_current:
        ProcessVersion.query.filter_by(is_current=True).update({"is_current": False})
        version.is_current = True
    _definitions[definition.hash] = definition
    return version


def deploy_baseline(process_dir, forms_dir, check=check_bundle):
    """Check the shipped bundle with `check` (files -> definition, or
    engine.DefinitionInvalid) and store it as a version unless it already is one."""
    files = read_bundle(process_dir, forms_dir)
    try:
        definition = _definitions.get(engine.bundle_hash(files)) or check(files)
    except engine.DefinitionInvalid as error:
        lines = "\n".join(f"  {p.element}: {p.message}" for p in error.problems)
        message = f"the process in {process_dir} is not valid:\n{lines}"
        raise BaselineInvalid(message) from error
    if ProcessVersion.query.filter_by(hash=definition.hash).first() is None:
        has_current = ProcessVersion.query.filter_by(is_current=True).count() > 0
        version = store_version(
            files,
            definition,
            author="casepath",
            note=f"deployed from {Path(process_dir).name}/ at start-up",
            make_current=True,
        )
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()  # another process starting now stored it first
            return definition
        log.info(
            "version %s deployed at start-up",
            version.number,
            extra={"replaced_current": has_current},
        )
    return definition
