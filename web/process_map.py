"""The managers' process map: open cases and time spent per activity, on the
current version's diagram, with the cases waiting at a chosen activity."""

from flask import Blueprint, abort, render_template, request

from casework import process_map

from .signin import page_user, signed_in

bp = Blueprint("process_map", __name__, url_prefix="/manage/map")


@bp.get("")
@signed_in
def show():
    """The diagram, a table of activities and, with ?element=, its open cases."""
    user = _manager()
    element = request.args.get("element") or None

    figures = process_map.process_map(user)
    chosen = process_map.cases_at(user, element) if element else None

    return render_template("process_map.html", figures=figures, chosen=chosen)


@bp.get("/data")
@signed_in
def data():
    """The diagram's XML and the figures per activity, for process-map.js."""
    return process_map.process_map(_manager())


@bp.get("/activities/<element>")
@signed_in
def cases(element):
    """The list of open cases at one activity, as the page shows it."""
    chosen = process_map.cases_at(_manager(), element)
    return render_template("_map_cases.html", chosen=chosen)


def _manager():
    user = page_user()
    if not (user.is_manager or user.is_owner):
        abort(403)
    return user
