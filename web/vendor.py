"""Serve bpmn-js's prebuilt browser files from node_modules, as npm installed them."""

from pathlib import Path

from flask import Blueprint, abort, send_from_directory

BPMN_JS_DIST = Path(__file__).resolve().parent.parent / "node_modules/bpmn-js/dist"

bp = Blueprint("vendor", __name__)


@bp.get("/vendor/bpmn-js/<path:name>")
def bpmn_js(name):
    """One file of bpmn-js's dist/ folder; 404 when it (or node_modules) is absent."""
    if not BPMN_JS_DIST.is_dir():
        abort(404)
    return send_from_directory(BPMN_JS_DIST, name)
