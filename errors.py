"""One error shape for every failure: `{"error": {"code", "message", "fields"?}}`.

API calls get it as JSON; pages get the same code and message as an HTML page.
"""

import logging

from flask import jsonify, make_response, render_template, request
from werkzeug.exceptions import HTTPException

from casework.errors import BadRequest, CaseworkError
from models import db

log = logging.getLogger("casepath")
TITLES = {
    400: "That request could not be read",
    401: "Please sign in",
    403: "Not yours to do",
    404: "Not found",
    409: "Someone got there first",
    413: "Too large",
    422: "Please check the form",
}


def init_app(app):
    """Answer every error of `app` in one shape, after rolling back the transaction."""
    app.register_error_handler(CaseworkError, _casework_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(RecursionError, _recursion_error)
    app.register_error_handler(Exception, _unexpected_error)


def _casework_error(error):
    return _respond(error.status, error.to_dict())


def _http_error(error):
    code = (error.name or "error").lower().replace(" ", "_")
    body = {"error": {"code": code, "message": error.description or error.name}}
    headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
    return _respond(error.code, body, headers)


def _recursion_error(error):
    # The JSON parsers recurse once per level of nesting, so a body such as
    # '[' * 100000 exhausts the stack wherever a view reads it.
    if _raised_reading_json(error):
        return _casework_error(BadRequest("the body is nested too deeply"))
    return _unexpected_error(error)


def _raised_reading_json(error):
    trace = error.__traceback__
    while trace is not None:
        frame = trace.tb_frame
        module = frame.f_globals.get("__name__", "")
        if (
            module == "json"
            or module.startswith("json.")
            or frame.f_code.co_name == "get_json"
        ):
            return True
        trace = trace.tb_next
    return False


def _unexpected_error(error):
    log.error("unexpected error", exc_info=error)
    body = {"error": {"code": "internal", "message": "an unexpected error happened"}}
    return _respond(500, body)


def _respond(status, body, headers=()):
    db.session.rollback()
    if request.path.startswith("/api"):
        response = jsonify(body)
    else:
        title = TITLES.get(status, "Something went wrong")
        page = render_template("error.html", status=status, title=title, **body)
        response = make_response(page)
    response.status_code = status
    for name, value in headers:
        response.headers[name] = value
    return response
