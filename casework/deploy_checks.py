"""What a deploy checks beyond the engine: uploaded files are UTF-8 text that the
database keeps as sent, and the report form asks for what every case keeps."""

import re

import engine

from .errors import BadRequest
from .reporting import MAX_INTEGER, REPORT_FIELDS, column_limit

BOM = b"\xef\xbb\xbf"
XML_ENCODING = re.compile(rb"""\A\s*<\?xml\s[^>]*?encoding\s*=\s*["']([^"']*)["']""")
UTF8_NAMES = {"utf-8", "utf8"}
TYPE_WORDS = {"string": "text", "integer": "a whole number"}


def utf8_uploads(uploads):
    """`uploads` without a leading UTF-8 byte order mark, and a problem per file
    that is not UTF-8 text (NUL characters included: no database keeps them in
    text, and they mark UTF-16) or whose XML declaration names another encoding."""
    files, problems = {}, []
    for name, content in uploads.items():
        if content.startswith(BOM):
            content = content[len(BOM) :]
        try:
            content.decode("utf-8")
        except UnicodeDecodeError as error:
            message = (
                f"is not UTF-8 text (byte {error.start} cannot be read); "
                "save it as UTF-8"
            )
            problems.append(engine.Problem(name, message))
            continue
        if b"\x00" in content:
            message = "holds NUL characters, so it is not UTF-8 text; save it as UTF-8"
            problems.append(engine.Problem(name, message))
            continue
        declared = XML_ENCODING.match(content)
        encoding = declared.group(1).decode("ascii", "replace") if declared else None
        if encoding is not None and encoding.lower() not in UTF8_NAMES:
            message = (
                f'declares encoding="{encoding}"; save it as UTF-8 and declare '
                'encoding="UTF-8"'
            )
            problems.append(engine.Problem(name, message))
        files[name] = content
    return files, problems


def refuse_nul_note(note):
    """BadRequest when the note holds a NUL character, which databases do not
    keep in text."""
    if "\x00" in note:
        raise BadRequest("the note may not contain NUL characters")


def report_form_problems(definition):
    """A problem, naming the form file, per field every case keeps that the
    report form does not require with a type the case can keep."""
    name = definition.start_form
    schema = definition.forms.get(name)
    if schema is None:
        return []
    properties = schema.get("properties")
    properties = properties if isinstance(properties, dict) else {}
    required = set(schema.get("required") or ())
    problems = []
    for field, json_type in REPORT_FIELDS.items():
        message = _field_problem(field, json_type, properties.get(field), required)
        if message:
            problems.append(engine.Problem(name, message))
    return problems


def _field_problem(field, json_type, spec, required):
    if not isinstance(spec, dict) or field not in required:
        return (
            f"the report form must have {field} ({TYPE_WORDS[json_type]}) among its "
            "required properties: every case keeps it"
        )
    declared = spec.get("type")
    if (declared if isinstance(declared, list) else [declared]) != [json_type]:
        return f'{field} must have "type": "{json_type}", not {declared!r}'
    if json_type == "integer":
        return _integer_problem(field, spec)
    return _text_problem(field, spec)


def _integer_problem(field, spec):
    maximum = spec.get("maximum")
    if isinstance(maximum, int | float) and maximum > MAX_INTEGER:
        return f"{field} allows up to {maximum}; a case keeps at most {MAX_INTEGER}"
    return None


def _text_problem(field, spec):
    limit = column_limit(field)
    if limit is None:
        return None
    longest = spec.get("maxLength")
    if isinstance(longest, int) and longest > limit:
        return f"{field} allows {longest} characters; a case keeps at most {limit}"
    choices = spec.get("enum")
    if isinstance(choices, list):
        too_long = [c for c in choices if isinstance(c, str) and len(c) > limit]
        if too_long:
            return f"{field} choice {too_long[0]!r} is over {limit} characters"
    return None
