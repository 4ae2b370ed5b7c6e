"""Bearer-token authentication for the JSON API."""

from flask import g, request

from casework.errors import Unauthorized
from models import User
from models.user import token_digest


def authenticate():
    """Resolve `Authorization: Bearer <token>` to the user, or refuse with 401."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("send Authorization: Bearer <token>")
    user = User.query.filter_by(token_hash=token_digest(token.strip())).one_or_none()
    if user is None:
        raise Unauthorized("the token is not valid")
    g.user = user


def current_user():
    return g.user
