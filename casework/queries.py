"""Read cases and worklists from the tables, never from stored workflows."""

from models import Case, Event, Task, Timer, db

from . import versions
from .access import case_for, may_work, visible_cases, worklist_groups

LISTED_CASE_COLUMNS = (
    Case.case_number,
    Case.firm,
    Case.priority,
    Case.summary,
    Case.created_at,
)
TASK_ORDERS = {
    "rank": (Task.priority_rank, Task.case_created_at, Task.case_id),
    "oldest": (Task.created_at, Task.id),
    "newest": (Task.created_at.desc(), Task.id),
}
CLIENT_EVENT_KINDS = {"reported", "resolved", "reopened"}
CLIENT_LANE = "Client"


def page_of(query, page, per_page, count=None):
    """One page of `query` in the envelope every list call returns."""
    total = query.order_by(None).count() if count is None else count
    items = query.limit(per_page).offset((page - 1) * per_page).all()
    return {"items": items, "total": total, "page": page, "per_page": per_page}


def list_cases(user, status=None, priority=None, firm=None, page=1, per_page=20):
    """Cases `user` may see, newest first, filtered."""
    query = visible_cases(user)
    if status:
        query = query.filter(Case.status == status)
    if priority:
        query = query.filter(Case.priority == priority)
    if firm:
        query = query.filter(Case.firm == firm)
    query = query.order_by(Case.created_at.desc(), Case.id.desc())
    return page_of(query, page, per_page)


def list_tasks(
    user,
    case=None,
    task=None,
    group=None,
    mine=False,
    unclaimed=False,
    state="ready",
    sort="rank",
    page=1,
    per_page=20,
):
    """The worklist: tasks of `user`'s groups (or all, for managers), sorted."""
    on_tasks, on_cases = [], []
    if state:
        on_tasks.append(Task.state == state)
    groups = worklist_groups(user)
    if mine:
        # Whatever is claimed by the user is theirs to see; leaving the group
        # test out lets the assignee index answer alone.
        on_tasks.append(Task.assignee_id == user.id)
    elif groups is not None:
        on_tasks.append(Task.group.in_(groups))
    if user.is_client and not user.is_staff:
        on_cases.append(Case.firm == (user.firm or ""))
    if group:
        on_tasks.append(Task.group == group)
    if task:
        on_tasks.append(Task.element == task)
    if unclaimed:
        on_tasks.append(Task.assignee_id.is_(None))
    if case:
        on_cases.append(Case.case_number == case)

    counted = db.select(db.func.count()).select_from(Task).where(*on_tasks)
    if on_cases:
        counted = counted.join(Case, Task.case_id == Case.id).where(*on_cases)
    query = (
        Task.query.join(Case, Task.case_id == Case.id)
        .options(
            db.contains_eager(Task.case).load_only(*LISTED_CASE_COLUMNS),
            db.joinedload(Task.assignee),
        )
        .filter(*on_tasks, *on_cases)
        .order_by(*TASK_ORDERS[sort])
    )
    return page_of(query, page, per_page, count=db.session.scalar(counted))


def current_tasks(user, case):
    """The ready tasks of `case` (for a client: only those the client works)."""
    tasks = (
        Task.query.filter_by(case_id=case.id, state="ready")
        .options(db.joinedload(Task.assignee))
        .order_by(Task.created_at)
        .all()
    )
    return tasks if user.is_staff else [t for t in tasks if may_work(user, t)]


def case_detail(user, case_number):
    """A case with its current tasks and history, as `user` may see it."""
    case = case_for(user, case_number)
    definition = versions.definition_for(case)
    current = current_tasks(user, case)
    events = Event.query.filter_by(case_id=case.id).order_by(Event.id).all()
    if not user.is_staff:
        events = [e for e in events if _client_may_see(e, definition, case)]
    return {
        "case": case,
        "current_tasks": current,
        "history": [_history_entry(e, definition, user) for e in events],
    }


def _client_may_see(event, definition, case):
    if event.kind in CLIENT_EVENT_KINDS:
        return True
    step = definition.steps.get(event.element or "")
    if event.kind == "task_completed":
        return step is not None and step.lane == CLIENT_LANE
    if event.kind == "email_queued":
        return event.data.get("to") == case.contact_email
    return False


def _history_entry(event, definition, user):
    entry = {
        "at": event.at,
        "kind": event.kind,
        "element": event.element,
        "name": definition.element_names.get(event.element or "", event.element),
        "actor": event.actor,
        "data": event.data,
    }
    if not user.is_staff and event.kind == "email_queued":
        entry["actor"] = "casepath"
    return entry


def next_due(case_ids):
    """{case id: the earliest time one of its timers is due} for `case_ids`."""
    if not case_ids:
        return {}
    rows = (
        db.session.query(Timer.case_id, db.func.min(Timer.due_at))
        .filter(Timer.case_id.in_(case_ids), Timer.state == "waiting")
        .group_by(Timer.case_id)
    )
    return dict(rows.all())
