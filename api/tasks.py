"""Tasks: the worklist, one task with its form, claim, unclaim and complete."""

from flask import Blueprint

from casework import queries
from casework import tasks as work

from .auth import current_user
from .requests import json_body, query_args
from .schemas import CompleteBody, TaskOut, TaskQuery

bp = Blueprint("tasks", __name__, url_prefix="/tasks")
TASK_OUT, TASKS_OUT = TaskOut(), TaskOut(many=True)
TASK_QUERY, COMPLETE_BODY = TaskQuery(), CompleteBody()


@bp.get("")
def index():
    """The caller's worklist, most urgent first."""
    args = query_args(TASK_QUERY)

    page = queries.list_tasks(current_user(), **args)

    page["items"] = TASKS_OUT.dump(page["items"])
    return page


@bp.get("/<task_id>")
def show(task_id):
    """A task with its form (JSON Schema), prefilled data and instructions."""
    opened = work.open_task(current_user(), task_id)

    body = TASK_OUT.dump(opened["task"])
    body.update(form=opened["form"], data=opened["data"], context=opened["context"])
    body["instructions"] = opened["instructions"]
    return body


@bp.post("/<task_id>/claim")
def claim(task_id):
    """Take the task: it becomes the caller's."""
    task = work.claim(current_user(), task_id)
    return TASK_OUT.dump(task)


@bp.post("/<task_id>/unclaim")
def unclaim(task_id):
    """Hand the task back to its group."""
    task = work.unclaim(current_user(), task_id)
    return TASK_OUT.dump(task)


@bp.post("/<task_id>/complete")
def complete(task_id):
    """Complete the task with its form data; answer with the case's next tasks."""
    body = json_body(COMPLETE_BODY)

    case, next_tasks = work.complete(current_user(), task_id, body["data"])

    return {
        "case_number": case.case_number,
        "status": case.status,
        "priority": case.priority,
        "resolution_path": case.resolution_path,
        "next_tasks": TASKS_OUT.dump(next_tasks),
    }
