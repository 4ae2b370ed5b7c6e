"""Work a task: open it, claim it, hand it back, complete it with its form."""

import logging

import engine
from models import Event, utcnow

from . import versions
from .access import may_work, require_read_task, require_work, task_for
from .engine_errors import engine_errors
from .errors import Conflict, Forbidden, Invalid
from .forms import prefill, validate_form
from .sync import apply_outcome, record, warm_key
from .transaction import atomic

log = logging.getLogger("casepath.casework")
SEPARATION_PROPERTY = "differentUserThan"
SHOWN_PROPERTY = "showFields"


def task_form(user, task_id):
    """A task `user` may read and its form (JSON Schema), without reading the
    workflow: enough to take a submission."""
    task = task_for(user, task_id)
    require_read_task(user, task)
    definition = versions.definition_for(task.case)
    step = definition.steps.get(task.element)
    schema = definition.forms.get(step.form) if step else None
    return task, schema or {}


def open_task(user, task_id):
    """A task with its form, prefilled values, the facts it shows and instructions."""
    task, schema = task_form(user, task_id)
    definition = versions.definition_for(task.case)
    step = definition.steps.get(task.element)
    values, context = {}, {}
    if task.state == "ready" and step is not None and schema:
        outcome = engine.read_case(definition, task.case.workflow, warm_key(task.case))
        current = next((t for t in outcome.ready if t.id == task.id), None)
        data = current.data if current else {}
        values = prefill(schema, _without_last_answers(task, data))
        context = {
            name: data[name]
            for name in _shown_fields(step)
            if data.get(name) not in (None, "")
        }
    return {
        "task": task,
        "form": schema,
        "data": values,
        "context": context,
        "instructions": step.instructions if step else "",
    }


def _without_last_answers(task, data):
    """Task data less what the last round of this same task answered.

    A task met again (a reopened case, a second research round) starts from
    a clean form rather than from the answers that led back to it.
    """
    last = (
        Event.query.filter_by(
            case_id=task.case_id, kind="task_completed", element=task.element
        )
        .order_by(Event.id.desc())
        .first()
    )
    answered = set(last.data) if last is not None else set()
    return {name: value for name, value in data.items() if name not in answered}


def _shown_fields(step):
    listed = step.properties.get(SHOWN_PROPERTY, "")
    return [name.strip() for name in listed.split(",") if name.strip()]


def claim(user, task_id):
    """Make `user` the assignee of an unclaimed ready task."""
    return atomic(lambda: _claim(user, task_id))


def _claim(user, task_id):
    task = task_for(user, task_id)
    require_work(user, task)
    if task.assignee_id == user.id and task.state == "ready":
        return task
    step = versions.definition_for(task.case).steps.get(task.element)
    if step is not None:
        _require_separation(task.case, step, user)
    if task.state != "ready":
        raise Conflict(f"{_named(task)} is no longer ready")
    if task.assignee_id is not None:
        raise Conflict(f"{_named(task)} is already claimed by {task.assignee.name}")
    task.assignee_id = user.id
    record(task.case, "claimed", actor=user, element=task.element, task_id=task.id)
    return task


def unclaim(user, task_id):
    """Give a claimed task back to its group (its assignee or a manager)."""
    return atomic(lambda: _unclaim(user, task_id))


def _unclaim(user, task_id):
    task = task_for(user, task_id)
    require_read_task(user, task)
    if task.state != "ready":
        raise Conflict(f"{_named(task)} is no longer ready")
    if task.assignee_id is None:
        return task
    if task.assignee_id != user.id and not user.is_manager:
        raise Forbidden(f"{_named(task)} is claimed by {task.assignee.name}")
    task.assignee_id = None
    record(task.case, "unclaimed", actor=user, element=task.element, task_id=task.id)
    return task


def complete(user, task_id, data):
    """Complete a ready task with form `data`; return the case and its next tasks."""
    return atomic(lambda: _complete(user, task_id, data))


def _complete(user, task_id, data):
    task = task_for(user, task_id)
    require_work(user, task)
    if task.state != "ready":
        raise Conflict(f"{_named(task)} is no longer ready (it is {task.state})")
    if task.assignee_id not in (None, user.id):
        raise Forbidden(f"{_named(task)} is claimed by {task.assignee.name}")
    case = task.case
    definition = versions.definition_for(case)
    step = definition.steps.get(task.element)
    if step is None or step.form not in definition.forms:
        raise Invalid(f"task {task.element} has no form in this version")
    _require_separation(case, step, user)
    values = validate_form(definition.forms[step.form], data)

    with engine_errors():
        outcome = engine.complete_task(
            definition, case.workflow, task.id, values, warm_key(case)
        )
    now = utcnow()
    task.state, task.ended_at = "completed", now
    task.completed_by_id = user.id
    task.assignee_id = task.assignee_id or user.id
    record(
        case,
        "task_completed",
        actor=user,
        element=task.element,
        task_id=task.id,
        data=values,
    )
    applied = apply_outcome(case, outcome)
    log.info(
        "task %s of case %s completed",
        task.element,
        case.case_number,
        extra={"case": case.case_number, "task": task.id},
    )
    return case, [t for t in applied.ready if user.is_staff or may_work(user, t)]


def _require_separation(case, step, user):
    other = step.properties.get(SEPARATION_PROPERTY)
    if other and _last_completer(case.id, other) == user.id:
        name = versions.definition_for(case).element_names.get(other, other)
        raise Forbidden(
            f"{step.name} must be done by someone other than who did {name}"
        )


def _last_completer(case_id, element):
    last = (
        Event.query.filter_by(case_id=case_id, kind="task_completed", element=element)
        .order_by(Event.id.desc())
        .first()
    )
    return last.actor_id if last is not None else None


def may_complete(user, task):
    """True when `user` may claim and complete `task`: its group, and not barred
    by a separation rule (the fixer never reviews their own fix)."""
    if not may_work(user, task):
        return False
    step = versions.definition_for(task.case).steps.get(task.element)
    other = step.properties.get(SEPARATION_PROPERTY) if step else None
    return not (other and _last_completer(task.case_id, other) == user.id)


def _named(task):
    return f"{task.name} of {task.case.case_number}"
