"""Write what the engine did into the case's rows: tasks, timers, events, emails."""

from dataclasses import dataclass
from datetime import datetime

from models import Event, Task, Timer, db, utcnow

from . import emails
from .access import task_group
from .provisional import rank_by_report

TIMER_KIND = "BoundaryEvent"


def record(case, kind, actor=None, element=None, task_id=None, data=None):
    """Add one audit event to the case's history."""
    db.session.add(
        Event(
            case_id=case.id,
            kind=kind,
            element=element,
            task_id=task_id,
            actor_id=getattr(actor, "id", None),
            actor=getattr(actor, "name", None) or "casepath",
            data=data or {},
        )
    )


def warm_key(case):
    """What names a case's stored workflow: database, case and lock counter."""
    return (db.engine.url.render_as_string(), case.id, case.lock)


@dataclass
class Applied:
    """What storing an outcome changed: the ready task rows and the timers fired."""

    ready: list
    fired: list


def apply_outcome(case, outcome):
    """Store the workflow and bring every row of the case in line with `outcome`."""
    db.session.info.setdefault("outcomes", []).append((case, outcome))
    now = utcnow()
    case.workflow = outcome.state
    case.serializer_version = outcome.serializer_version
    case.updated_at = now
    _update_case_fields(case, outcome.data)
    ready = _sync_tasks(case, outcome, now)
    fired = _sync_timers(case, outcome, now)
    for step in outcome.steps:
        kind = "timer_fired" if step.kind == TIMER_KIND else "step"
        if step.element == "reopen_case":
            kind = "reopened"
        record(case, kind, element=step.element, data={"name": step.name})
    for notice in outcome.notices:
        email = emails.queue(case, notice)
        db.session.add(email)
        record(
            case,
            "email_queued",
            element=notice.element,
            data={"template": notice.template, "to": email.recipient},
        )
    if outcome.finished and case.status != "resolved":
        case.status = "resolved"
        case.resolved_at = now
        case.resolution_path = outcome.data.get("resolution_path")
        record(case, "resolved", data={"resolution_path": case.resolution_path})
    return Applied(ready=ready, fired=fired)


def _update_case_fields(case, data):
    rank = case.priority_rank
    if data.get("priority") and data["priority"] != case.priority:
        case.set_priority(data["priority"])
    for name in ("severity", "accounts_impacted"):
        if data.get(name) is not None and getattr(case, name) != data[name]:
            setattr(case, name, data[name])
    if isinstance(data.get("reopen_count"), int):
        case.reopen_count = data["reopen_count"]
    rank_by_report(case)
    if case.priority_rank != rank:
        Task.query.filter_by(case_id=case.id, state="ready").update(
            {"priority_rank": case.priority_rank}
        )


def _sync_tasks(case, outcome, now):
    open_rows = {
        row.id: row for row in Task.query.filter_by(case_id=case.id, state="ready")
    }
    ready_ids = {task.id for task in outcome.ready}
    for task_id, row in open_rows.items():
        if task_id not in ready_ids:
            row.state = "cancelled"
            row.ended_at = now
    ready = []
    for task in outcome.ready:
        row = open_rows.get(task.id)
        if row is None:
            row = Task(
                id=task.id,
                case_id=case.id,
                element=task.element,
                name=task.name,
                lane=task.lane,
                group=task_group(task.lane, task.data),
                priority_rank=case.priority_rank,
                case_created_at=case.created_at,
                created_at=now,
            )
            row.case = case
            db.session.add(row)
        ready.append(row)
    return ready


def _sync_timers(case, outcome, now):
    waiting = {
        row.task_id: row
        for row in Timer.query.filter_by(case_id=case.id, state="waiting")
    }
    pending = {timer.task_id: timer for timer in outcome.timers}
    fired_elements = {s.element for s in outcome.steps if s.kind == TIMER_KIND}
    fired = []
    for task_id, row in waiting.items():
        if task_id not in pending:
            row.state = "fired" if row.element in fired_elements else "cancelled"
            row.ended_at = now
            if row.state == "fired":
                fired.append(row.element)
    for task_id, timer in pending.items():
        if task_id not in waiting:
            db.session.add(
                Timer(
                    case_id=case.id,
                    task_id=task_id,
                    element=timer.element,
                    due_at=datetime.fromisoformat(timer.due_at),
                )
            )
    return fired
