"""marshmallow schemas at the API boundary: what requests carry, responses say."""

from marshmallow import Schema, ValidationError, fields, validate

from casework.sla_view import worst_state
from casework.stats import BACKLOG_STATUSES

PRIORITIES = ["Critical", "High", "Medium", "Low"]
STATUSES = ["open", "resolved"]


class JsonFlag(fields.Boolean):
    """JSON true or false, not a number or text that looks like one."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise ValidationError("Must be true or false.")
        return value


class PageQuery(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=200))


class CaseQuery(PageQuery):
    status = fields.String(validate=validate.OneOf(STATUSES))
    priority = fields.String(validate=validate.OneOf(PRIORITIES))
    firm = fields.String(validate=validate.Length(max=200))


class TaskQuery(PageQuery):
    case = fields.String(validate=validate.Length(max=20))
    task = fields.String(validate=validate.Length(max=100))
    group = fields.String(validate=validate.Length(max=100))
    mine = fields.Boolean(load_default=False)
    unclaimed = fields.Boolean(load_default=False)
    sort = fields.String(
        load_default="rank", validate=validate.OneOf(["rank", "oldest", "newest"])
    )
    state = fields.String(
        load_default="ready",
        validate=validate.OneOf(["ready", "completed", "cancelled"]),
    )


class BacklogQuery(Schema):
    priority = fields.String(validate=validate.OneOf(PRIORITIES))
    lane = fields.String(validate=validate.Length(max=60))
    group = fields.String(validate=validate.Length(max=100))
    firm = fields.String(validate=validate.Length(max=200))
    status = fields.String(validate=validate.OneOf(list(BACKLOG_STATUSES)))


class FiguresQuery(Schema):
    """`since` is read by casework.figures.since_date, for the page and the API."""

    since = fields.String()


class ReportBody(Schema):
    """A report is an object of form fields; the report form checks the fields."""

    class Meta:
        unknown = "include"


class MigrateBody(Schema):
    to_version = fields.Integer(
        required=True, strict=True, validate=validate.Range(min=1, max=2**31 - 1)
    )
    # Only JSON true or false: a word such as "no" must not move a case for real.
    dry_run = JsonFlag(load_default=False)


class PlusOneBody(Schema):
    firm = fields.String(required=True)


class PlusOneOut(Schema):
    firm = fields.String()
    recorded_by = fields.String()
    created_at = fields.DateTime()


class CompleteBody(Schema):
    data = fields.Dict(keys=fields.String(), required=True)


class TaskOut(Schema):
    id = fields.String()
    case_number = fields.Function(lambda task: task.case.case_number)
    task = fields.String(attribute="element")
    name = fields.String()
    lane = fields.String()
    group = fields.String()
    state = fields.String()
    assignee = fields.Function(
        lambda task: task.assignee.name if task.assignee else None
    )
    priority = fields.Function(lambda task: task.case.priority)
    # What the worklist sorts by: before the priority step, the report's.
    ranked_priority = fields.String()
    firm = fields.Function(lambda task: task.case.firm)
    summary = fields.Function(lambda task: task.case.summary)
    created_at = fields.DateTime()


class CaseOut(Schema):
    case_number = fields.String()
    status = fields.String()
    priority = fields.String()
    firm = fields.String()
    contact_name = fields.String()
    contact_email = fields.String()
    summary = fields.String()
    description = fields.String()
    institution = fields.String()
    severity = fields.String()
    accounts_impacted = fields.Integer()
    resolution_path = fields.String()
    reopen_count = fields.Integer()
    plus_ones = fields.Function(lambda case: len(case.plus_ones))
    version = fields.Function(lambda case: case.version.number)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    resolved_at = fields.DateTime()


class ClockOut(Schema):
    """One service-level clock; seconds are business seconds."""

    state = fields.String()
    target_seconds = fields.Float()
    used_seconds = fields.Function(lambda clock: round(clock.used_seconds, 1))
    left_seconds = fields.Function(lambda clock: round(clock.left_seconds, 1))
    started_at = fields.DateTime()
    stopped_at = fields.DateTime()
    due_at = fields.DateTime()
    breached_at = fields.DateTime()


class SlaOut(Schema):
    """A case's service levels (casework.sla.CaseLevels), for staff."""

    priority = fields.String()
    provisional_priority = fields.Boolean(attribute="provisional")
    group = fields.String()
    state = fields.Function(worst_state)
    response = fields.Nested(ClockOut, attribute="clocks.response")
    resolution = fields.Nested(ClockOut, attribute="clocks.resolution")


class SlaQuery(Schema):
    """`since` is read by casework.figures.since_date, as for the figures."""

    since = fields.String()


class HistoryOut(Schema):
    at = fields.DateTime()
    kind = fields.String()
    element = fields.String()
    name = fields.String()
    actor = fields.String()
    data = fields.Dict()


class VersionOut(Schema):
    number = fields.Integer()
    hash = fields.String()
    author = fields.String()
    created_at = fields.DateTime()
    note = fields.String()
    current = fields.Boolean(attribute="is_current")
    process_id = fields.String()
    files = fields.Function(lambda version: [f.name for f in version.files])
