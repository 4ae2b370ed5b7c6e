"""Refuse a page request whose address or form holds a NUL character.

No database keeps a NUL in text (PostgreSQL refuses the query outright), so a
page asked for one answers 400 before any view looks it up. The API has a
guard of its own, answering in its own words.
"""

from flask import request

from casework.errors import BadRequest

NUL = "\x00"
# Task and report forms are checked field by field (casework/forms.py): a NUL
# in one of their values shows the form again, the input kept, with a message
# beside the field, which serves the person better than an error page.
CHECKED_FIELD_BY_FIELD = frozenset({"tasks.submit", "portal.report"})


def refuse_nul_characters():
    """400 when the path, query string or a form field of a page holds a NUL."""
    if request.path.startswith("/api/"):
        return
    if NUL in request.path or _holds_nul(request.args):
        raise BadRequest("the address may not contain NUL characters")
    if request.method == "GET":
        return
    values = request.endpoint not in CHECKED_FIELD_BY_FIELD
    if _holds_nul(request.form, values):
        raise BadRequest("the form may not contain NUL characters")


def _holds_nul(fields, values=True):
    return any(
        NUL in name or (values and NUL in value)
        for name, value in fields.items(multi=True)
    )
