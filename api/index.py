"""What the service offers, at / and /api, for a person finding their way."""

from flask import Blueprint

bp = Blueprint("index", __name__)

CALLS = [
    "POST /api/cases",
    "GET /api/cases",
    "GET /api/cases/<case_number>",
    "GET /api/tasks",
    "GET /api/tasks/<id>",
    "POST /api/tasks/<id>/claim",
    "POST /api/tasks/<id>/unclaim",
    "POST /api/tasks/<id>/complete",
    "GET /api/versions",
    "GET /api/versions/<number>/files/<name>",
]


@bp.get("/")
def index():
    """Name the service and its API calls; every call needs a bearer token."""
    return {
        "service": "casepath",
        "authentication": "Authorization: Bearer <token>",
        "calls": CALLS,
    }
