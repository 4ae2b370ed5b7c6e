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
        json.dumps(body, ensure_ascii=False).encode("utf-8")
    except (ValueError, RecursionError):
        raise BadRequest("the body is not valid JSON in UTF-8") from None
    if not isinstance(body, dict):
        raise BadRequest("the body must be a JSON object")
    return _load(schema, body)


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
