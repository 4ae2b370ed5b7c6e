"""Re-rank open cases: decide their priority again with a new version's table."""

import logging

import engine
from models import Case

from . import versions
from .sync import apply_outcome, record, warm_key

log = logging.getLogger("casepath.versions")


class CannotRerank(Exception):
    """The new table cannot decide the priority of some open cases."""

    def __init__(self, problems):
        super().__init__("; ".join(f"{p.element}: {p.message}" for p in problems))
        self.problems = problems


def rerank_open_cases(definition, version_number, actor):
    """Give every open case that has a priority the one `definition`'s table
    decides on its data; update the case, its open tasks and its workflow, record
    an event per changed case, and return how many changed."""
    problems, changed = [], []
    for case in _prioritized_open_cases():
        own = versions.definition_for(case)
        data = engine.read_case(own, case.workflow, key=warm_key(case)).data
        try:
            priority = engine.decide_priority(definition, data)
        except engine.ProcessFault as fault:
            message = f"case {case.case_number}: {fault.message}"
            problems.append(engine.Problem(fault.element, message))
            continue
        if not isinstance(priority, str) or not priority:
            problems.append(_undecided(case, priority))
            continue
        if priority != case.priority:
            changed.append((case, own, priority))
    if problems:
        raise CannotRerank(problems)
    for case, own, priority in changed:
        _rerank(case, own, priority, version_number, actor)
    return len(changed)


def _prioritized_open_cases():
    # A case not yet past its priority decision gets one from its own version
    # when it gets there, so only cases that have a priority are re-decided.
    query = Case.query.filter(Case.status == "open", Case.priority.isnot(None))
    return query.order_by(Case.id).all()


def _rerank(case, own, priority, version_number, actor):
    previous = case.priority
    # The priority goes into the workflow's data too, or the case's next step
    # would bring the old one back.
    outcome = engine.set_case_data(
        own, case.workflow, {"priority": priority}, key=warm_key(case)
    )
    apply_outcome(case, outcome)
    case.set_priority(priority)
    for task in case.tasks.filter_by(state="ready"):
        task.priority_rank = case.priority_rank
    record(
        case,
        "reranked",
        actor=actor,
        data={
            "priority": priority,
            "previous_priority": previous,
            "version": version_number,
        },
    )
    log.info(
        "case %s re-ranked from %s to %s",
        case.case_number,
        previous,
        priority,
        extra={"case_number": case.case_number, "version": version_number},
    )


def _undecided(case, priority):
    facts = f"severity {case.severity}, {case.accounts_impacted} accounts"
    if priority is None:
        message = f"case {case.case_number} ({facts}): no rule of the table matches"
    else:
        message = f"case {case.case_number} ({facts}): priority {priority!r} is not one"
    return engine.Problem("priority", message)
