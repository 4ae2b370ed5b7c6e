"""Pages for managers: the ranked backlog (with its reasons, and as CSV), figures."""

import csv
import io

from flask import Blueprint, Response, abort, render_template, request

from casework import figures as case_figures
from casework import sla_stats, stats
from casework.errors import BadRequest

from . import charts
from .signin import page_user, signed_in

bp = Blueprint("manage", __name__, url_prefix="/manage")
FILTERS = ("priority", "lane", "group", "firm", "status")
PRIORITIES = ("Critical", "High", "Medium", "Low")
CSV_COLUMNS = (
    "rank",
    "case_number",
    "priority",
    "ranked_priority",
    "firm",
    "summary",
    "lanes",
    "groups",
    "current_tasks",
    "statuses",
    "service_level",
    "age_days",
    "group_load",
    "reopen_count",
    "plus_ones",
    "reasons",
)
# A spreadsheet reads a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@bp.get("/backlog")
@signed_in
def backlog():
    """Open cases in rank order with the reasons, filterable, or as CSV."""
    user = page_user()
    if not (user.is_manager or user.is_owner):
        abort(403)
    chosen = {name: request.args.get(name) or None for name in FILTERS}
    if chosen["status"] not in (None, *stats.BACKLOG_STATUSES):
        raise BadRequest(f"status must be one of {', '.join(stats.BACKLOG_STATUSES)}")

    everything = stats.backlog(user)
    rows = stats.backlog(user, **chosen)

    if request.args.get("format") == "csv":
        return _csv(rows)
    options = _options(everything)
    return render_template(
        "backlog.html",
        rows=rows,
        chosen=chosen,
        options=options,
        statuses=stats.BACKLOG_STATUSES,
    )


@bp.get("/figures")
@signed_in
def figures():
    """Cases by priority and path, times, reopens, groups and service levels."""
    user = page_user()
    if not (user.is_manager or user.is_owner):
        abort(403)
    since = case_figures.since_date(request.args.get("since"))

    numbers = case_figures.figures(user, since)
    service_levels = sla_stats.sla_figures(user, since)

    return render_template(
        "figures.html", figures=numbers, service_levels=service_levels, charts=charts
    )


def _options(rows):
    """The values each filter can take in the whole backlog."""
    return {
        "priority": [
            p for p in PRIORITIES if any(r["ranked_priority"] == p for r in rows)
        ],
        "lane": sorted({lane for r in rows for lane in r["lanes"]}),
        "group": sorted({group for r in rows for group in r["groups"]}),
        "firm": sorted({r["firm"] for r in rows}),
        "status": list(stats.BACKLOG_STATUSES),
    }


def _cell(value):
    """A CSV cell that a spreadsheet shows as text, never runs as a formula."""
    if isinstance(value, list):
        value = "; ".join(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv(rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow(_cell(row[column]) for column in CSV_COLUMNS)
    headers = {"Content-Disposition": "attachment; filename=backlog.csv"}
    return Response(out.getvalue(), mimetype="text/csv", headers=headers)
