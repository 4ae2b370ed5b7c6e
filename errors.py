"""One error shape for every failure: `{"error": {"code", "message", "fields"?}}`."""

import logging

from flask import jsonify
from werkzeug.exceptions import HTTPException

from casework.errors import CaseworkError
from models import db

log = logging.getLogger("casepath")


def init_app(app):
    """Answer every error of `app` as JSON, after rolling back the transaction."""
    app.register_error_handler(CaseworkError, _casework_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)


def _casework_error(error):
    db.session.rollback()
    return jsonify(error.to_dict()), error.status


def _http_error(error):
    db.session.rollback()
    code = (error.name or "error").lower().replace(" ", "_")
    body = {"error": {"code": code, "message": error.description or error.name}}
    response = jsonify(body)
    response.status_code = error.code
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def _unexpected_error(error):
    db.session.rollback()
    log.error("unexpected error", exc_info=error)
    body = {"error": {"code": "internal", "message": "an unexpected error happened"}}
    return jsonify(body), 500
