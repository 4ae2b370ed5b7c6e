"""HTML pages for staff, clients and managers, on the same rules as the API."""

from pathlib import Path

from flask import Blueprint
from flask_wtf.csrf import CSRFProtect

from . import (
    cases,
    manage,
    migrations,
    modeling,
    outbox,
    portal,
    process_map,
    signin,
    tasks,
    vendor,
    versions,
    worklist,
)
from .filters import register_filters
from .nul_guard import refuse_nul_characters
from .signin import signed_in_user

csrf = CSRFProtect()
assets = Blueprint(
    "assets", __name__, static_folder="static", static_url_path="/static"
)


def init_app(app, api_blueprint):
    """Register the pages, their session rules and CSRF protection on `app`."""
    csrf.init_app(app)
    app.before_request(refuse_nul_characters)
    for name, blueprint in app.blueprints.items():
        if name == api_blueprint.name or name.startswith(f"{api_blueprint.name}."):
            csrf.exempt(blueprint)  # bearer tokens, no cookies: nothing to forge
    app.jinja_loader.searchpath.append(str(_here() / "templates"))
    register_filters(app)
    app.context_processor(lambda: {"me": signed_in_user()})
    app.register_blueprint(assets)
    for module in (
        signin,
        worklist,
        tasks,
        cases,
        portal,
        manage,
        migrations,
        process_map,
        versions,
        modeling,
        outbox,
        vendor,
    ):
        app.register_blueprint(module.bp)


def _here():
    return Path(__file__).resolve().parent
