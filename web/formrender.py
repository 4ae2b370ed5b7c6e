"""Turn a task's JSON Schema (with its "ui" hints) into fields, and posts into data."""

from dataclasses import dataclass, field

TEXTAREA_OVER = 300


@dataclass
class Field:
    """One form field as a template draws it."""

    name: str
    label: str
    help: str
    kind: str  # text, email, textarea, number, boolean, choice
    widget: str  # input, textarea, radio, select, checkbox
    required: bool
    value: object = None
    errors: list = field(default_factory=list)
    choices: list = field(default_factory=list)
    show_if: dict | None = None
    minimum: int | None = None
    maximum: int | None = None
    max_length: int | None = None

    @property
    def text_value(self):
        """The value as the browser shows it in a text box or matches a choice."""
        if self.value is None:
            return ""
        if isinstance(self.value, bool):
            return "true" if self.value else "false"
        return str(self.value)


def fields_for(schema, values=None, errors=None):
    """The fields of `schema` in display order, filled with `values` and `errors`."""
    values, errors = values or {}, errors or {}
    ui = schema.get("ui", {})
    properties = schema.get("properties", {})
    order = [n for n in ui.get("order", []) if n in properties]
    order += [n for n in properties if n not in order]
    required = set(schema.get("required", []))
    return [
        _field(name, properties[name], ui, name in required, values, errors)
        for name in order
    ]


def _field(name, spec, ui, required, values, errors):
    kind, choices = _kind_and_choices(name, spec, ui)
    widget = ui.get("widgets", {}).get(name) or _default_widget(kind, spec, choices)
    return Field(
        name=name,
        label=spec.get("title", name.replace("_", " ").capitalize()),
        help=spec.get("description", ""),
        kind=kind,
        widget=widget,
        required=required,
        value=values.get(name),
        errors=list(errors.get(name, [])),
        choices=choices,
        show_if=_condition(ui.get("show_if", {}).get(name), ui),
        minimum=spec.get("minimum"),
        maximum=spec.get("maximum"),
        max_length=spec.get("maxLength"),
    )


def _condition(condition, ui):
    """The show_if condition with the words of the answer it waits for."""
    if not condition:
        return None
    equals = condition.get("equals")
    key = ("true" if equals else "false") if isinstance(equals, bool) else str(equals)
    labels = ui.get("labels", {}).get(condition.get("field"), {})
    words = labels.get(key, key.replace("_", " "))
    return {**condition, "words": words.split(" — ")[0]}


def _kind_and_choices(name, spec, ui):
    labels = ui.get("labels", {}).get(name, {})
    json_type = spec.get("type")
    if json_type == "boolean":
        choices = [
            ("true", labels.get("true", "Yes")),
            ("false", labels.get("false", "No")),
        ]
        return "boolean", choices
    if "enum" in spec:
        return "choice", [(str(v), labels.get(str(v), str(v))) for v in spec["enum"]]
    if json_type == "integer" and labels:
        low, high = spec.get("minimum", 1), spec.get("maximum", 5)
        return "choice", [
            (str(v), labels.get(str(v), str(v))) for v in range(low, high + 1)
        ]
    if json_type in ("integer", "number"):
        return "number", []
    if spec.get("format") == "email":
        return "email", []
    return "text", []


def _default_widget(kind, spec, choices):
    if kind in ("boolean", "choice"):
        return "radio" if len(choices) <= 4 else "select"
    if kind == "text" and (spec.get("maxLength") or 0) > TEXTAREA_OVER:
        return "textarea"
    return "input"


def parse_submission(schema, form):
    """JSON-typed data from a posted HTML form: empty fields are left out.

    Text that is not a number or a yes/no stays as text, so the form's own
    checks name the field and the problem.
    """
    data = {}
    for name, spec in schema.get("properties", {}).items():
        raw = form.get(name)
        if raw is None or raw.strip() == "":
            continue
        data[name] = _typed(raw, spec)
    conditions = schema.get("ui", {}).get("show_if", {})
    return {
        name: value
        for name, value in data.items()
        if name not in conditions or _holds(conditions[name], data)
    }


def _holds(condition, data):
    """Whether a field's show_if condition holds for the answers given."""
    return data.get(condition.get("field")) == condition.get("equals")


def _typed(raw, spec):
    json_type = spec.get("type")
    text = raw.strip()
    if json_type == "boolean":
        return {"true": True, "false": False}.get(text, text)
    if json_type == "integer":
        return int(text) if text.lstrip("-").isdigit() else text
    if json_type == "number":
        try:
            return float(text)
        except ValueError:
            return text
    return raw.replace("\r\n", "\n")
