"""Rules on diagram code that RestrictedPython does not enforce, read from its source.

The time limit (budget.py) stops code between two lines. These rules refuse,
before anything runs, what it could not stop (one enormous power), what would
outlive it (catching the error that stops a script, reaching BaseException
through `mro`), and a `notify` whose email template cannot be known at deploy.
"""

import ast

# 10**64 is computed at once; 9**9**9, or (10**64)**64 raised again, is a single
# C call that holds the whole server for minutes, and no trace function can
# interrupt it. So a power takes two plain numbers, the exponent a small one.
MAX_EXPONENT = 64
# math functions whose one call on a big number runs for minutes in C.
SLOW_MATH = {"factorial", "comb", "perm", "prod"}
NOTIFY = "notify"


def refusals(tree):
    """Why the parsed script or expression `tree` may not run, one reason each."""
    # notify is a host function: called by name, so its template can be read here.
    calls = {id(node.func) for node in ast.walk(tree) if _is_notify_call(node)}
    reasons = []
    for node in ast.walk(tree):
        reason = _refusal(node)
        if isinstance(node, ast.Name) and node.id == NOTIFY and id(node) not in calls:
            reason = 'notify may only be called, as notify("template", to=...)'
        if reason and reason not in reasons:
            reasons.append(reason)
    return reasons


def notify_templates(tree):
    """The template names `tree` passes to notify (quoted strings, by the rules)."""
    names = []
    for node in ast.walk(tree):
        if _is_notify_call(node):
            template = _template_argument(node)
            if isinstance(template, ast.Constant) and isinstance(template.value, str):
                names.append(template.value)
    return names


def _refusal(node):
    if isinstance(node, ast.AugAssign) and isinstance(node.op, ast.Pow):
        return "**= is not allowed: write the power of two numbers with **"
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
        # A base that is itself a power, or a variable holding one, makes a
        # number too large to compute in one uninterruptible step.
        if not (_plain_number(node.left) and _small_number(node.right)):
            return (
                "** takes only a plain number as its base and a number of at most "
                f"{MAX_EXPONENT} as its exponent (a larger power cannot be "
                "interrupted)"
            )
    if isinstance(node, ast.Name) and node.id == "pow":
        return f"pow() is not available; use ** with an exponent up to {MAX_EXPONENT}"
    if isinstance(node, ast.Try | ast.TryStar):
        return (
            "try statements are not allowed: the error that stops a script "
            "running too long must reach the engine"
        )
    if isinstance(node, ast.Attribute) and node.attr == "mro":
        return "the attribute mro is not allowed"
    if isinstance(node, ast.Attribute) and node.attr in SLOW_MATH:
        return f"math.{node.attr} is not available (one call may run for minutes)"
    return _notify_refusal(node)


def _notify_refusal(node):
    if _is_notify_call(node):
        template = _template_argument(node)
        if not (isinstance(template, ast.Constant) and isinstance(template.value, str)):
            return "notify needs the template name as a quoted string"
    return None


def _plain_number(node):
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        node = node.operand
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, int | float)
        and not isinstance(node.value, bool)
    )


def _small_number(node):
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        node = node.operand
    return (
        isinstance(node, ast.Constant)
        and type(node.value) in (int, float)
        and abs(node.value) <= MAX_EXPONENT
    )


def _is_notify_call(node):
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == NOTIFY
    )


def _template_argument(call):
    if call.args and not isinstance(call.args[0], ast.Starred):
        return call.args[0]
    for keyword in call.keywords:
        if keyword.arg == "template":
            return keyword.value
    return None
