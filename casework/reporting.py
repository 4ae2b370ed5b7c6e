"""Report an issue: validate the report and start the case on the current version."""

import logging

import engine
from models import Case, db, utcnow

from . import versions
from .access import require_reporter
from .engine_errors import engine_errors
from .errors import Invalid
from .forms import validate_form
from .sync import apply_outcome, record
from .transaction import atomic

log = logging.getLogger("casepath.casework")


def case_number_for(case_id):
    """The number clients quote: CP- and six or more digits."""
    return f"CP-{case_id:06d}"


def report_case(user, report):
    """Start a case from `report` by `user`; return its case number."""
    return atomic(lambda: _report(user, report))


def _report(user, report):
    report = dict(report)
    if user.is_client and not report.get("firm"):
        report["firm"] = user.firm
    version = versions.current_version()
    definition = versions.definition_of(version)
    schema = definition.forms.get(definition.start_form)
    if schema is None:
        raise Invalid("the current process has no report form")
    require_reporter(user)
    data = validate_form(schema, report)
    require_reporter(user, data["firm"])

    case = Case(
        firm=data["firm"],
        contact_name=data["contact_name"],
        contact_email=data["contact_email"],
        summary=data["summary"],
        description=data.get("description", ""),
        institution=data.get("institution"),
        severity=data["severity"],
        accounts_impacted=data["accounts_impacted"],
        version_id=version.id,
        reported_by_id=user.id,
        created_at=utcnow(),
    )
    db.session.add(case)
    db.session.flush()
    case.case_number = case_number_for(case.id)
    record(case, "reported", actor=user, element=definition.start_element, data=data)
    start_data = {**data, "case_number": case.case_number}
    with engine_errors():
        outcome = engine.start_case(definition, start_data)
    apply_outcome(case, outcome)
    log.info("case %s reported", case.case_number, extra={"case": case.case_number})
    return case.case_number
