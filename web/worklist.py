"""The staff worklist: my tasks, my groups' tasks, unclaimed tasks, by priority."""

from flask import Blueprint, abort, render_template, request

from casework import queries, sla, sla_view
from casework import tasks as work
from casework.errors import BadRequest
from models import utcnow

from .signin import page_user, signed_in

bp = Blueprint("worklist", __name__)
VIEWS = {
    "groups": {"label": "My groups' tasks"},
    "mine": {"label": "My tasks", "mine": True},
    "unclaimed": {"label": "Unclaimed", "unclaimed": True},
}
MAX_PAGE = 100_000
SORTS = {
    "rank": "Priority, then age",
    "oldest": "Oldest first",
    "newest": "Newest first",
}


@bp.get("/worklist")
@signed_in
def index():
    """Ready tasks of the signed-in person's groups, most urgent first."""
    user = page_user()
    if not user.is_staff:
        abort(403)
    view = request.args.get("view", "groups")
    sort = request.args.get("sort", "rank")
    page = request.args.get("page", "1")
    if view not in VIEWS or sort not in SORTS or not page.isdigit():
        raise BadRequest("unknown view, sort or page")
    if not 1 <= int(page) <= MAX_PAGE:
        raise BadRequest("unknown view, sort or page")

    options = {k: v for k, v in VIEWS[view].items() if k != "label"}
    listing = queries.list_tasks(
        user, sort=sort, page=int(page), per_page=25, **options
    )

    due = queries.next_due({task.case_id for task in listing["items"]})
    levels = sla.for_case_ids({task.case_id for task in listing["items"]})
    service = {case_id: sla_view.badge(one) for case_id, one in levels.items()}
    claimable = {t.id for t in listing["items"] if work.may_complete(user, t)}
    return render_template(
        "worklist.html",
        listing=listing,
        due=due,
        service=service,
        claimable=claimable,
        now=utcnow(),
        view=view,
        views=VIEWS,
        sort=sort,
        sorts=SORTS,
    )
