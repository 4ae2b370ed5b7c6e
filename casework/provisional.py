"""The priority a case ranks by before its priority step has decided one.

The priority step comes after Level One's assessment, and a case Level One
resolves never gets there. Until then a case is ranked (in the backlog, the
worklists and by its service-level targets) by the priority its own version's
table gives its reported severity and accounts impacted; when the table cannot
decide, by Medium.
"""

from flask import current_app

import engine
from models import Case, Task, db
from models.case import PRIORITY_RANK

from . import versions

FALLBACK_PRIORITY = "Medium"
UNRANKED = len(PRIORITY_RANK)  # the rank of a case without any priority


def priority_of(case):
    """(priority the case ranks by, whether it is provisional)."""
    if case.priority in PRIORITY_RANK:
        return case.priority, False
    decided = _table_priority(case)
    return (decided if decided in PRIORITY_RANK else FALLBACK_PRIORITY), True


def rank_by_report(case):
    """Give a case without a priority the rank its report implies, so worklists
    sort it where the backlog does; a decided priority sets its own rank."""
    if case.priority is None:
        case.priority_rank = PRIORITY_RANK[priority_of(case)[0]]


def rank_unranked_cases():
    """Rank the open cases stored before ranking by report was kept (their rank
    says 'no priority'), and their ready tasks with them; return how many."""
    cases = Case.query.filter(
        Case.status == "open", Case.priority.is_(None), Case.priority_rank == UNRANKED
    ).all()
    for case in cases:
        rank_by_report(case)
        Task.query.filter_by(case_id=case.id, state="ready").update(
            {"priority_rank": case.priority_rank}
        )
    db.session.commit()
    return len(cases)


def _table_priority(case):
    """What the case's own priority table says of its report, remembered per
    version, severity and accounts impacted: tables do not change in place."""
    memory = current_app.extensions.setdefault("casepath.report_priorities", {})
    key = (case.version_id, case.severity, case.accounts_impacted)
    if key not in memory:
        if len(memory) > 10_000:
            memory.clear()
        data = {"severity": case.severity, "accounts_impacted": case.accounts_impacted}
        try:
            memory[key] = engine.decide_priority(versions.definition_for(case), data)
        except engine.ProcessFault:
            memory[key] = None
    return memory[key]
