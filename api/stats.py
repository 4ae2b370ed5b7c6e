"""Figures for managers: activity statistics and the ranked backlog."""

from flask import Blueprint

from casework import stats

from .auth import current_user
from .requests import query_args
from .schemas import BacklogQuery

bp = Blueprint("stats", __name__, url_prefix="/stats")
BACKLOG_QUERY = BacklogQuery()


@bp.get("/activities")
def activities():
    """Per element: open, overdue, passed and median time there."""
    items = stats.activities(current_user())
    return {"items": items, "total": len(items)}


@bp.get("/backlog")
def backlog():
    """Open cases in rank order, with the reasons for each place."""
    args = query_args(BACKLOG_QUERY)
    items = stats.backlog(current_user(), **args)
    return {"items": items, "total": len(items)}
