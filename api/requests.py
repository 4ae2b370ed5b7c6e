"""Read a request's JSON body and query string through a marshmallow schema."""

import json

from flask import request
from marshmallow import ValidationError

from casework.errors import BadRequest

# Bodies here nest a few levels (a form's data in {"data": ...}); every reader
# after the parser (schemas, copies, the engine) recurses per level, so a body
# nested hundreds deep would exhaust the stack somewhere past this check.
MAX_BODY_DEPTH = 32
NESTED_TOO_DEEPLY = "the body is nested too deeply"


def json_body(schema):
    """The request's JSON object loaded by `schema`; 400 when malformed."""
    if not request.is_json:
        raise BadRequest("send the body as application/json")
    try:
        body = json.loads(request.get_data(cache=False) or b"null")
        text = json.dumps(body, ensure_ascii=False)
        text.encode("utf-8")
    except RecursionError:
        raise BadRequest(NESTED_TOO_DEEPLY) from None
    except ValueError:
        raise BadRequest("the body is not valid JSON text") from None
    if not isinstance(body, dict):
        raise BadRequest("the body must be a JSON object")
    _refuse_nesting_and_nul(body)
    return _load(schema, body)


def refuse_nul_in_url():
    """Refuse a path or query string with a NUL character, which no database keeps."""
    if "\x00" in request.path:
        raise BadRequest("the address may not contain NUL characters")
    if any("\x00" in value for value in request.args.values()):
        raise BadRequest("the address may not contain NUL characters")


def _refuse_nesting_and_nul(body):
    """BadRequest when `body` nests too deeply or holds a NUL (read iteratively)."""
    pending = [(body, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, str) and "\x00" in value:
            raise BadRequest("text may not contain NUL characters")
        if isinstance(value, dict | list) and depth > MAX_BODY_DEPTH:
            raise BadRequest(NESTED_TOO_DEEPLY)
        if isinstance(value, dict):
            pending.extend((part, depth + 1) for item in value.items() for part in item)
        elif isinstance(value, list):
            pending.extend((item, depth + 1) for item in value)


def query_args(schema):
    """The query string loaded by `schema`; 400 when a parameter is malformed or
    given twice. An empty parameter (`?firm=`, as a form's "All" sends it)
    counts as not given."""
    repeated = sorted(
        {name for name in request.args if len(request.args.getlist(name)) > 1}
    )
    if repeated:
        fields = {name: ["Give this parameter once."] for name in repeated}
        raise BadRequest("the request is malformed; see fields", fields=fields)
    values = {name: value for name, value in request.args.items() if value != ""}
    return _load(schema, values)


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
