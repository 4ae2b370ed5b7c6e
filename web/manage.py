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
    "response",
    "resolution",
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
    if chosen["priority"] not in (None, *PRIORITIES):
        raise BadRequest(f"priority must be one of {', '.join(PRIORITIES)}")

    everything = stats.backlog(user)
    rows = stats.backlog(user, **chosen)

    if request.args.get("format") == "csv":
        return _csv(rows)
    options = _options(everything, chosen)
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


def _options(rows, chosen):
    """The values each filter can take in the whole backlog, and the one chosen
    even where no open case has it (a bookmarked firm, say), so the page shows
    the filter that is applied."""
    options = {
        "priority": [
            p for p in PRIORITIES if any(r["ranked_priority"] == p for r in rows)
        ],
        "lane": sorted({lane for r in rows for lane in r["lanes"]}),
        "group": sorted({group for r in rows for group in r["groups"]}),
        "firm": sorted({r["firm"] for r in rows}),
        "status": list(stats.BACKLOG_STATUSES),
    }
    for name, value in chosen.items():
        if value is not None and value not in options[name]:
            options[name].append(value)
    return options


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
        cells = {**row, **row["clocks"]}
        writer.writerow(_cell(cells[column]) for column in CSV_COLUMNS)
    headers = {"Content-Disposition": "attachment; filename=backlog.csv"}
    # The byte order mark tells spreadsheets the file is UTF-8, so firm names
    # such as "Société Générale" arrive as written.
    body = "\ufeff" + out.getvalue()
    return Response(body, mimetype="text/csv", headers=headers)
