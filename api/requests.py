"""Read a request's JSON body and query string through a marshmallow schema."""

import json

from flask import request
from marshmallow import ValidationError

from casework.errors import BadRequest


def json_body(schema):
    """The request's JSON object loaded by `schema`; 400 when malformed."""
    if not request.is_json:
        raise BadRequest("send the body as application/json")
    try:
        body = json.loads(request.get_data(cache=False) or b"null")
        text = json.dumps(body, ensure_ascii=False)
        text.encode("utf-8")
    except (ValueError, RecursionError):
        raise BadRequest("the body is not valid JSON text") from None
    if not isinstance(body, dict):
        raise BadRequest("the body must be a JSON object")
    if _holds_nul(body):
        raise BadRequest("text may not contain NUL characters")
    return _load(schema, body)


def refuse_nul_in_url():
    """Refuse a path or query string with a NUL character, which no database keeps."""
    if "\x00" in request.path:
        raise BadRequest("the address may not contain NUL characters")
    if any("\x00" in value for value in request.args.values()):
        raise BadRequest("the address may not contain NUL characters")


def _holds_nul(value):
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False


def query_args(schema):
    """The query string loaded by `schema`; 400 when a parameter is malformed."""
    return _load(schema, request.args.to_dict())


def _load(schema, values):
    try:
        return schema.load(values)
    except ValidationError as error:
        fields = {name: _as_list(messages) for name, messages in error.messages.items()}
        raise BadRequest(
            "the request is malformed; see fields", fields=fields
        ) from error


def _as_list(messages):
    return messages if isinstance(messages, list) else [str(messages)]
