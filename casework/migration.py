"""Move open cases to a newer process version: preview which can and why not."""

import logging
from datetime import datetime

import engine
from models import Case, Task, Timer, db

from . import versions
from .access import task_group
from .deploy import Refused
from .engine_errors import engine_errors
from .errors import Conflict, Forbidden, Invalid, NotFound
from .sync import apply_outcome, record
from .transaction import atomic

log = logging.getLogger("casepath.versions")


class NotMovable(Refused):
    """A case the engine cannot map onto the version: 422 with the reasons."""

    code = "not_movable"

    def __init__(self, case_number, number, reasons):
        super().__init__(reasons)
        self.message = f"case {case_number} cannot move to version {number}"


def migrate(user, case_number, to_version, dry_run=False):
    """What moving one case would do, or (unless `dry_run`) the move itself."""
    if dry_run:
        return _preview_one(user, case_number, to_version)
    return atomic(lambda: _move(user, case_number, to_version))


def preview(user, to_version):
    """Every open case on another version, with whether it can move and why."""
    _require_owner(user)
    target = versions.numbered(to_version)
    cases = (
        Case.query.filter(Case.status == "open", Case.version_id != target.id)
        .order_by(Case.id)
        .all()
    )
    rows = [_plan_row(case, target) for case in cases]
    db.session.rollback()
    return rows


def _preview_one(user, case_number, to_version):
    _require_owner(user)
    case, target = _case_and_target(case_number, to_version)
    row = _plan_row(case, target)
    db.session.rollback()
    return row


def _move(user, case_number, to_version):
    _require_owner(user)
    case, target = _case_and_target(case_number, to_version)
    if target.number < versions.version_of(case).number:
        raise _older(case, target)
    old, new = versions.definition_for(case), versions.definition_of(target)
    with engine_errors():
        try:
            outcome, plan = engine.migrate_case(old, new, case.workflow)
        except engine.MigrationRefused as refused:
            raise NotMovable(case_number, target.number, refused.reasons) from refused
    from_number = versions.version_of(case).number
    plan.changes.extend(_lane_changes(case, new))
    case.version_id = target.id
    apply_outcome(case, outcome)
    _refresh_rows(case, outcome, user)
    record(
        case,
        "migrated",
        actor=user,
        data={"from": from_number, "to": target.number, "changes": plan.changes},
    )
    log.info(
        "case %s moved from version %s to %s",
        case.case_number,
        from_number,
        target.number,
        extra={"case": case.case_number},
    )
    return _row(case, from_number, target, plan, migrated=True)


def _plan_row(case, target):
    """The preview of one case: movable, the reasons against, the changes."""
    from_number = versions.version_of(case).number
    if target.number < from_number:
        refused = _older(case, target)
        plan = engine.MigrationPlan(False, refused.problems)
    else:
        with engine_errors():
            plan = engine.plan_migration(
                versions.definition_for(case),
                versions.definition_of(target),
                case.workflow,
            )
    if plan.movable:
        plan.changes.extend(_lane_changes(case, versions.definition_of(target)))
    return _row(case, from_number, target, plan, migrated=False)


def _lane_changes(case, new):
    """Lines on open tasks that would move to another lane, and claims released."""
    lines = []
    for row in Task.query.filter_by(case_id=case.id, state="ready"):
        step = new.steps.get(row.element)
        if step is None or step.lane == row.lane:
            continue
        line = f"{row.element}: moves from {row.lane} to {step.lane}"
        if row.assignee is not None:
            line += f"; {row.assignee.name}'s claim is released unless they work there"
        lines.append(line)
    return lines


def _row(case, from_number, target, plan, migrated):
    return {
        "case_number": case.case_number,
        "from_version": from_number,
        "to_version": target.number,
        "movable": plan.movable,
        "problems": [
            {"element": p.element, "message": p.message} for p in plan.reasons
        ],
        "changes": plan.changes,
        "migrated": migrated,
    }


def _refresh_rows(case, outcome, user):
    """Bring the open task and timer rows in line with the steps of the new version;
    a claim on a task that moved to a group its assignee is not in is released."""
    ready = {task.id: task for task in outcome.ready}
    for row in Task.query.filter_by(case_id=case.id, state="ready"):
        task = ready.get(row.id)
        if task is None:
            continue
        row.element, row.name = task.element, task.name
        if row.lane == task.lane:
            continue
        row.lane, row.group = task.lane, task_group(task.lane, task.data)
        if row.assignee is not None and not row.assignee.in_group(row.group):
            record(
                case,
                "unclaimed",
                actor=user,
                element=row.element,
                task_id=row.id,
                data={"was": row.assignee.name, "why": f"moved to {row.group}"},
            )
            row.assignee_id = None
    due = {timer.task_id: timer.due_at for timer in outcome.timers}
    for row in Timer.query.filter_by(case_id=case.id, state="waiting"):
        if row.task_id in due:
            row.due_at = datetime.fromisoformat(due[row.task_id])


def _case_and_target(case_number, to_version):
    case = Case.query.filter_by(case_number=case_number).one_or_none()
    if case is None:
        raise NotFound(f"no case {case_number}")
    if case.status != "open":
        raise Conflict(f"case {case_number} is {case.status}; only open cases move")
    target = versions.numbered(to_version)
    if target.id == case.version_id:
        raise Invalid(f"case {case_number} runs on version {target.number} already")
    return case, target


def _older(case, target):
    current = versions.version_of(case).number
    problem = engine.Problem(
        case.case_number,
        f"version {target.number} is older than the case's version {current}; "
        "cases move forward only",
    )
    return NotMovable(case.case_number, target.number, [problem])


def _require_owner(user):
    if not user.is_owner:
        raise Forbidden("only process owners move cases between versions")
