"""The task page: instructions, the case so far, and the task's form."""

from flask import Blueprint, flash, redirect, render_template, request, url_for

from casework import queries
from casework import tasks as work
from casework.access import may_work
from casework.errors import Invalid

from .formrender import fields_for, parse_submission
from .paths import local_path
from .signin import page_user, signed_in

bp = Blueprint("tasks", __name__)


@bp.get("/tasks/<task_id>")
@signed_in
def show(task_id):
    """The form of a task, prefilled, beside what the person needs to know."""
    opened = work.open_task(page_user(), task_id)
    return _page(opened, opened["data"], {})


@bp.post("/tasks/<task_id>")
@signed_in
def submit(task_id):
    """Complete the task; go on to this person's next task or back to the list."""
    user = page_user()
    task, form = work.task_form(user, task_id)
    data = parse_submission(form, request.form)

    try:
        case, next_tasks = work.complete(user, task_id, data)
    except Invalid as invalid:
        opened = work.open_task(user, task_id)
        return _page(opened, data, invalid.fields or {}, status=422)

    flash(f"{task.name} done for case {case.case_number}.")
    mine = [t for t in next_tasks if work.may_complete(user, t)]
    if mine:
        return redirect(url_for("tasks.show", task_id=mine[0].id))
    if user.is_staff:
        return redirect(url_for("worklist.index"))
    return redirect(url_for("cases.show", case_number=case.case_number))


@bp.post("/tasks/<task_id>/claim")
@signed_in
def claim(task_id):
    """Take the task, then come back to where the button was."""
    task = work.claim(page_user(), task_id)
    flash(f"You claimed {task.name} of case {task.case.case_number}.")
    return redirect(_back(task_id))


@bp.post("/tasks/<task_id>/unclaim")
@signed_in
def unclaim(task_id):
    """Hand the task back to its group."""
    task = work.unclaim(page_user(), task_id)
    flash(f"{task.name} of case {task.case.case_number} is back with {task.group}.")
    return redirect(_back(task_id))


def _page(opened, values, errors, status=200):
    task = opened["task"]
    detail = queries.case_detail(page_user(), task.case.case_number)
    fields = fields_for(opened["form"], values, errors)
    form_errors = errors.get("_form", [])
    return (
        render_template(
            "task.html",
            task=task,
            case=detail["case"],
            history=detail["history"],
            context=opened["context"],
            instructions=opened["instructions"],
            form=opened["form"],
            fields=fields,
            form_errors=form_errors,
            may_work=work.may_complete(page_user(), task),
            barred=may_work(page_user(), task)
            and not work.may_complete(page_user(), task),
        ),
        status,
    )


def _back(task_id):
    return local_path(request.form.get("back")) or url_for(
        "tasks.show", task_id=task_id
    )
