"""Figures for managers: activity statistics, the ranked backlog, case figures."""

from flask import Blueprint

from casework import figures as case_figures
from casework import process_map, sla_stats, stats

from .auth import current_user
from .requests import query_args
from .schemas import BacklogQuery, FiguresQuery, SlaQuery

bp = Blueprint("stats", __name__, url_prefix="/stats")
BACKLOG_QUERY = BacklogQuery()
FIGURES_QUERY = FiguresQuery()
SLA_QUERY = SlaQuery()


@bp.before_request
def managers_only():
    """Who may read the figures is decided before what they asked is read, so a
    non-manager hears 403 whatever the query string holds."""
    stats.require_manager(current_user())


@bp.get("/activities")
def activities():
    """Per element: open, overdue, passed and median time there."""
    items = stats.activities(current_user())
    return {"items": items, "total": len(items)}


@bp.get("/activities/<element>/cases")
def cases_at(element):
    """The open cases waiting at one activity, with waiting time and overdue flag."""
    return process_map.cases_at(current_user(), element)


@bp.get("/backlog")
def backlog():
    """Open cases in rank order, with the reasons for each place."""
    args = query_args(BACKLOG_QUERY)
    items = stats.backlog(current_user(), **args)
    return {"items": items, "total": len(items)}


@bp.get("/figures")
def figures():
    """Cases by priority and path, time per stage and path, reopens, groups."""
    args = query_args(FIGURES_QUERY)
    since = case_figures.since_date(args.get("since"))

    return case_figures.figures(current_user(), since)


@bp.get("/sla")
def service_levels():
    """Response and resolution clocks by state, per priority, group and week."""
    args = query_args(SLA_QUERY)
    since = case_figures.since_date(args.get("since"))

    return sla_stats.sla_figures(current_user(), since)
