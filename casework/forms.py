"""Validate submitted task data against the task's JSON Schema, field by field."""

import re

from jsonschema import Draft202012Validator, FormatChecker

from .errors import Invalid

FORM_LEVEL = "_form"
# Control characters other than tab and line breaks: invisible, and some break
# email headers or the database (NUL) later on.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")
FORMAT_WORDS = {"email": "email address"}


def validate_form(schema, data):
    """Return `data`, its text trimmed, if it satisfies `schema`; else raise Invalid.

    Invalid carries the messages per field.
    """
    data = {name: _trimmed(value) for name, value in data.items()}
    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    fields = {
        name: ["Text may not contain control characters."]
        for name, value in data.items()
        if isinstance(value, str) and CONTROL.search(value)
    }
    for error in validator.iter_errors(data):
        for field, message in _describe(error, schema):
            fields.setdefault(field, [])
            if message not in fields[field]:
                fields[field].append(message)
    if fields:
        raise Invalid("the form has errors; see fields", fields=fields)
    return data


def _trimmed(value):
    return value.strip() if isinstance(value, str) else value


def prefill(schema, data):
    """The values of `data` the form shows, keeping only those the form accepts."""
    properties = schema.get("properties", {})
    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    values = {}
    for name, field_schema in properties.items():
        if name in data and data[name] is not None:
            if not list(validator.evolve(schema=field_schema).iter_errors(data[name])):
                values[name] = data[name]
    return values


def _describe(error, schema):
    if error.validator == "required" and isinstance(error.instance, dict):
        missing = [name for name in error.validator_value if name not in error.instance]
        return [(name, "This field is required.") for name in missing]
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        known = set(schema.get("properties", {}))
        return [
            (name, "This form has no such field.")
            for name in error.instance
            if name not in known
        ]
    field = str(error.absolute_path[0]) if error.absolute_path else FORM_LEVEL
    return [(field, _message(error))]


def _message(error):
    value = error.validator_value
    if error.validator == "type":
        return f"Must be {_article(value)}."
    if error.validator == "enum":
        return "Must be one of: " + ", ".join(str(choice) for choice in value) + "."
    if error.validator == "maxLength":
        return f"At most {value} characters."
    if error.validator == "minLength":
        return (
            "This field is required." if value == 1 else f"At least {value} characters."
        )
    if error.validator == "minimum":
        return f"Must be at least {value}."
    if error.validator == "maximum":
        return f"Must be at most {value}."
    if error.validator == "format":
        return f"Must be a valid {FORMAT_WORDS.get(value, value)}."
    if error.validator == "pattern":
        # An email field's pattern and format refuse the same address: one
        # message, so the form does not say it twice in other words.
        if error.schema.get("format") == "email":
            return f"Must be a valid {FORMAT_WORDS['email']}."
        return "Is not in the expected form."
    if error.validator == "const":
        return f"Must be {value!r}."
    return error.message


def _article(json_type):
    names = {
        "boolean": "true or false",
        "integer": "a whole number",
        "number": "a number",
        "string": "text",
        "object": "an object",
        "array": "a list",
    }
    if isinstance(json_type, list):
        return " or ".join(names.get(t, t) for t in json_type)
    return names.get(json_type, json_type)
