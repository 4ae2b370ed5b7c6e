"""Check the email templates before an email needs them: every file parses, and
each reads only what its emails are given.

A template that does not parse would fail every email of its kind, and one that
reads a name its emails never hold (a typo, a field another version dropped)
would be sent as the plain fallback. Both are found at start-up and when a
version is deployed, naming the file and the step.
"""

from jinja2 import TemplateSyntaxError, meta, nodes

import engine

from .emails import COMPOSED_NAMES, TEMPLATE_DIR, environment
from .versions import BaselineInvalid

SUFFIXES = (".txt", ".html")
# What the service-level notices give their templates (sla_notices.py).
SLA_NAMES = {
    "sla_warning": {"priority", "summary", "target", "group", "time_left"},
    "sla_breached": {"priority", "summary", "target", "group", "time_over"},
}


def refuse_broken_templates():
    """BaselineInvalid, naming each file, when a template cannot be used: the
    service does not start with email it cannot write."""
    problems = template_problems()
    if problems:
        lines = "\n".join(f"  {p.element}: {p.message}" for p in problems)
        raise BaselineInvalid(f"the email templates are not valid:\n{lines}")


def template_problems():
    """A Problem per email template file that does not parse, or (for a notice
    the service sends itself) reads a name its emails are not given."""
    problems = []
    for path in sorted(TEMPLATE_DIR.iterdir()):
        if path.suffix in SUFFIXES:
            problems += _syntax_problems(path)
    for name, given in SLA_NAMES.items():
        problems += _unknown_reads(name, given | COMPOSED_NAMES, f"emails/{name}")
    return problems


def notify_problems(definition):
    """A Problem per step whose email template reads a name that neither the
    process (before or at the step) nor the case gives it."""
    problems = []
    for name, elements in sorted(definition.email_templates.items()):
        for element in elements:
            given = definition.notify_data.get(element, frozenset()) | COMPOSED_NAMES
            problems += _unknown_reads(name, given, element)
    return problems


def reads(name):
    """The names the templates of email `name` read without checking first
    (`x is defined` counts as checking); parse errors read nothing."""
    found = set()
    for suffix in SUFFIXES:
        path = TEMPLATE_DIR / f"{name}{suffix}"
        if not path.is_file():
            continue
        try:
            tree = environment.parse(path.read_text(encoding="utf-8"))
        except (TemplateSyntaxError, UnicodeDecodeError):
            continue
        found |= meta.find_undeclared_variables(tree) - _tested_for_definition(tree)
    return found


def _syntax_problems(path):
    try:
        environment.parse(path.read_text(encoding="utf-8"), filename=path.name)
    except UnicodeDecodeError:
        return [engine.Problem(f"emails/{path.name}", "is not UTF-8 text")]
    except TemplateSyntaxError as error:
        message = f"line {error.lineno}: {error.message}"
        return [engine.Problem(f"emails/{path.name}", message)]
    return []


def _unknown_reads(name, given, element):
    unknown = sorted(reads(name) - set(given) - set(environment.globals))
    if not unknown:
        return []
    message = (
        f"email template {name} reads {', '.join(unknown)}, which its emails are "
        "not given here; correct the template or set them before this step"
    )
    return [engine.Problem(element, message)]


def _tested_for_definition(tree):
    """Names the template asks `is defined` (or `is undefined`) about."""
    return {
        test.node.name
        for test in tree.find_all(nodes.Test)
        if test.name in ("defined", "undefined") and isinstance(test.node, nodes.Name)
    }
