"""Where a case stands, for the diagram's marks and in a client's words."""

from models import Event, Task

PASSED_KINDS = ("reported", "task_completed", "step", "timer_fired", "reopened")
CLIENT_WORDS = {
    "answer_questions": "Waiting for you: our engineers have questions",
    "review_resolution": "Waiting for you: please confirm the fix",
}
LANE_WORDS = {
    "Level One": "Being assessed by Level One",
    "Support": "With Support",
    "Triage": "With Triage",
    "Engineering": "With Engineering",
}


def passed_elements(case):
    """Ids of the elements the case has passed through, oldest first."""
    rows = (
        Event.query.with_entities(Event.element)
        .filter(Event.case_id == case.id, Event.kind.in_(PASSED_KINDS))
        .filter(Event.element.isnot(None))
        .order_by(Event.id)
    )
    seen = []
    for (element,) in rows:
        if element not in seen:
            seen.append(element)
    return seen


def plain_statuses(cases):
    """{case id: where the case is, in a client's words} for `cases`."""
    ready = Task.query.filter(
        Task.case_id.in_([case.id for case in cases]), Task.state == "ready"
    ).all()
    return {
        case.id: plain_status(case, [t for t in ready if t.case_id == case.id])
        for case in cases
    }


def plain_status(case, current_tasks):
    """How a client would say where the case is, from all its ready tasks."""
    if case.status == "resolved":
        return "Resolved"
    for task in current_tasks:
        if task.element in CLIENT_WORDS:
            return CLIENT_WORDS[task.element]
    for task in current_tasks:
        if task.lane in LANE_WORDS:
            return LANE_WORDS[task.lane]
    return "In progress"
