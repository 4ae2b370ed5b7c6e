"""Read cases and worklists from the tables, never from stored workflows."""

from models import Case, Event, Task, User, db

from . import versions
from .access import case_for, may_work, visible_cases, worklist_groups
from .errors import BadRequest

CLIENT_EVENT_KINDS = {"reported", "resolved", "reopened"}
CLIENT_LANE = "Client"


def page_of(query, page, per_page):
    """One page of `query` in the envelope every list call returns."""
    total = query.order_by(None).count()
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
    state="ready",
    page=1,
    per_page=20,
):
    """The worklist: tasks of `user`'s groups (or all, for managers), by rank."""
    query = Task.query.join(Case, Task.case_id == Case.id)
    if state:
        query = query.filter(Task.state == state)
    groups = worklist_groups(user)
    if groups is not None:
        query = query.filter(Task.group.in_(groups))
        if user.is_client:
            query = query.filter(Case.firm == (user.firm or ""))
    if group:
        query = query.filter(Task.group == group)
    if case:
        query = query.filter(Case.case_number == case)
    if task:
        query = query.filter(Task.element == task)
    if mine:
        query = query.filter(Task.assignee_id == user.id)
    query = query.order_by(Case.priority_rank, Case.created_at, Task.created_at)
    return page_of(query, page, per_page)


def case_detail(user, case_number):
    """A case with its current tasks and history, as `user` may see it."""
    case = case_for(user, case_number)
    definition = versions.definition_of(case.version)
    current = Task.query.filter_by(case_id=case.id, state="ready").all()
    events = Event.query.filter_by(case_id=case.id).order_by(Event.id).all()
    if not user.is_staff:
        current = [t for t in current if may_work(user, t)]
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


def user_named(name):
    user = User.query.filter_by(name=name).one_or_none()
    if user is None:
        raise BadRequest(f"no user {name}")
    return user


def assignee_names(tasks):
    """{user id: name} for the assignees of `tasks`, in one query."""
    ids = {t.assignee_id for t in tasks if t.assignee_id}
    if not ids:
        return {}
    return dict(db.session.query(User.id, User.name).filter(User.id.in_(ids)).all())
