"""Who may see a case and who may work a task: lanes, engineering groups, firms."""

from models import Case, Task, db
from models.user import CLIENT_GROUP, ENGINEERING_PREFIX

from .errors import Forbidden, NotFound

REPORTING_GROUPS = ("Level One",)
# Engineering-lane tasks go to the group the case data names in this field.
ENGINEERING_LANE = "Engineering"
ENGINEERING_GROUP_FIELD = "engineering_group"


def task_group(lane, data):
    """The group whose members work a task of `lane`, given the case data."""
    if lane == ENGINEERING_LANE:
        group = data.get(ENGINEERING_GROUP_FIELD)
        return f"{ENGINEERING_PREFIX}{group}" if group else ENGINEERING_LANE
    return lane or "Unassigned"


def visible_cases(user, query=None):
    """Restrict a case query to what `user` may see (clients: their firm only)."""
    query = query if query is not None else Case.query
    if user.is_staff:
        return query
    return query.filter(Case.firm == (user.firm or ""))


def can_see(user, case):
    return user.is_staff or (user.is_client and user.firm == case.firm)


def case_for(user, case_number):
    """The case `user` asked for; 404 for unknown cases and other firms' cases."""
    case = Case.query.filter_by(case_number=case_number).one_or_none()
    if case is None or not can_see(user, case):
        raise NotFound(f"no case {case_number}")
    return case


def task_for(user, task_id):
    """The task `user` asked for; 404 where its case is hidden from `user`."""
    task = db.session.get(Task, task_id) if isinstance(task_id, str) else None
    if task is None or not can_see(user, task.case):
        raise NotFound(f"no task {task_id}")
    return task


def may_work(user, task):
    """True when `user` belongs to the task's group (and firm, for client tasks).

    An Engineering task reached before any group was chosen (a diagram whose
    path there sets no engineering_group) is every Engineering group's, so the
    case is never left where no one can take it."""
    if task.group == CLIENT_GROUP:
        return user.in_group(CLIENT_GROUP) and user.firm == task.case.firm
    if task.group == ENGINEERING_LANE:
        return any(group.startswith(ENGINEERING_PREFIX) for group in user.groups)
    return user.in_group(task.group)


def may_read_task(user, task):
    return user.is_manager or may_work(user, task)


def require_work(user, task):
    if not may_work(user, task):
        raise Forbidden(f"{task.name} belongs to the group {task.group}")


def require_read_task(user, task):
    if not may_read_task(user, task):
        raise Forbidden(f"{task.name} belongs to the group {task.group}")


def worklist_groups(user):
    """The groups whose tasks `user` sees in a worklist; None means every group.
    An engineer sees Engineering tasks no group was chosen for (see may_work)."""
    if user.is_manager:
        return None
    groups = list(user.groups)
    if any(group.startswith(ENGINEERING_PREFIX) for group in groups):
        groups.append(ENGINEERING_LANE)
    return groups


def require_reporter(user, firm=None):
    """Clients report for their own firm; Level One reports for any firm."""
    if any(user.in_group(g) for g in REPORTING_GROUPS):
        return
    if user.is_client:
        if firm is not None and firm != user.firm:
            raise Forbidden("clients report issues for their own firm only")
        return
    raise Forbidden("only clients and Level One report issues")
