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

# What a case keeps of a report, by JSON type: the report form must require
# these, and a deploy whose form does not is refused (see deploy_checks).
REPORT_FIELDS = {
    "firm": "string",
    "contact_name": "string",
    "contact_email": "string",
    "summary": "string",
    "severity": "string",
    "accounts_impacted": "integer",
}
OPTIONAL_FIELDS = {"description": "string", "institution": "string"}
MAX_INTEGER = 2**31 - 1  # integer columns are 32-bit in the database


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
    _require_case_fields(data)
    require_reporter(user, data["firm"])

    case = Case(
        firm=data["firm"],
        contact_name=data["contact_name"],
        contact_email=data["contact_email"],
        summary=data["summary"],
        description=data.get("description") or "",
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


def column_limit(field):
    """The most characters the case's column for `field` holds (None: no limit)."""
    return getattr(Case.__table__.c[field].type, "length", None)


def _require_case_fields(data):
    """Refuse a report the case cannot keep, whatever the version's form allows:
    a form deployed before the checks may lack a field or give it another type."""
    fields = {}
    for field, json_type in (REPORT_FIELDS | OPTIONAL_FIELDS).items():
        value = data.get(field)
        if value is None:
            if field in REPORT_FIELDS:
                fields[field] = ["This field is required."]
            continue
        message = _unfit(field, json_type, value)
        if message:
            fields[field] = [message]
    if fields:
        raise Invalid("the report cannot be kept as a case; see fields", fields=fields)


def _unfit(field, json_type, value):
    if json_type == "integer":
        if not isinstance(value, int) or isinstance(value, bool):
            return "Must be a whole number."
        if not -MAX_INTEGER <= value <= MAX_INTEGER:
            return f"Must be between {-MAX_INTEGER} and {MAX_INTEGER}."
        return None
    if not isinstance(value, str):
        return "Must be text."
    limit = column_limit(field)
    if limit is not None and len(value) > limit:
        return f"At most {limit} characters."
    return None
