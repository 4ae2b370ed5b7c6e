"""Check the email templates before an email needs them: every file parses, and
each reads only what its emails are given on every path to them.

A template that does not parse, or that reads a name its emails may lack (a
typo, a field only some paths set, one another version dropped), sends its
emails as the plain fallback. A deploy is refused naming the step; at start
each template that does not parse is named in the log, and the service starts
all the same: the mail pipe and the worker must go on taking replies and
firing timers while somebody fixes a file.
"""

import logging

from jinja2 import TemplateSyntaxError, meta, nodes

import engine

from . import versions
from .emails import COMPOSED_NAMES, TEMPLATE_DIR, environment

log = logging.getLogger("casepath.email")

SUFFIXES = (".txt", ".html")
# What the service-level notices give their templates (sla_notices.py).
SLA_NAMES = {
    "sla_warning": {"priority", "summary", "target", "group", "time_left"},
    "sla_breached": {"priority", "summary", "target", "group", "time_over"},
}


def warn_of_email_problems():
    """Log every template that cannot be used, naming its file and line, and
    every step of the current version whose template reads what it lacks."""
    definition = versions.definition_of(versions.current_version())
    for problem in template_problems() + notify_problems(definition):
        log.error(
            "email %s: %s; such emails go as the plain fallback",
            problem.element,
            problem.message,
        )


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
    """A Problem per step whose email template does not parse, or reads a name
    that the process does not set on every path to the step, nor the case."""
    problems = []
    for name, elements in sorted(definition.email_templates.items()):
        broken = [
            problem
            for suffix in SUFFIXES
            if (TEMPLATE_DIR / f"{name}{suffix}").is_file()
            for problem in _syntax_problems(TEMPLATE_DIR / f"{name}{suffix}")
        ]
        for element in elements:
            problems += [
                engine.Problem(
                    element,
                    f"email template {problem.element} does not parse: "
                    f"{problem.message}",
                )
                for problem in broken
            ]
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
        found |= meta.find_undeclared_variables(tree) & _unguarded(tree)
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
        "not given on every path here; correct the template, guard them with "
        "`is defined`, or set them on every path before this step"
    )
    return [engine.Problem(element, message)]


def _unguarded(node, guarded=frozenset()):
    """Names read outside every `{% if x is defined %}` (or `... if x is defined
    else ...`) that guards them."""
    if isinstance(node, nodes.If | nodes.CondExpr):
        tested = guarded | _tested(node.test)
        found = _unguarded(node.test, tested)
        body = node.body if isinstance(node, nodes.If) else [node.expr1]
        for child in body:
            found |= _unguarded(child, tested)
        rest = (node.elif_ + node.else_) if isinstance(node, nodes.If) else []
        if isinstance(node, nodes.CondExpr) and node.expr2 is not None:
            rest = [node.expr2]
        for child in rest:
            found |= _unguarded(child, guarded)
        return found
    if isinstance(node, nodes.Name):
        return set() if node.name in guarded or node.ctx != "load" else {node.name}
    found = set()
    for child in node.iter_child_nodes():
        found |= _unguarded(child, guarded)
    return found


def _tested(test):
    """Names a condition asks `is defined` about."""
    return {
        found.node.name
        for found in (test, *test.find_all(nodes.Test))
        if isinstance(found, nodes.Test)
        and found.name == "defined"
        and isinstance(found.node, nodes.Name)
    }
