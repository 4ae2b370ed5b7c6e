"""What data a step can rely on: gateway conditions that read data nothing
before the gateway sets, and the names set on every path into a step.

A condition that reads a name no earlier step provides fails every case that
reaches it. Before a gateway, data comes from the forms of the steps on the
paths into it (the report included), the names its scripts assign and the
outputs of its decision tables. The check is generous: a name set anywhere
upstream counts, even on a path a case may not take.
"""

import ast

from SpiffWorkflow.bpmn.specs.mixins.exclusive_gateway import ExclusiveGateway
from SpiffWorkflow.bpmn.specs.mixins.inclusive_gateway import InclusiveGateway

from .problem import Problem
from .scripting import ALLOWED_MODULES, BASE_GLOBALS

KNOWN = {"True", "False", "None", *ALLOWED_MODULES, *BASE_GLOBALS["__builtins__"]}
SCRIPT_HOOKS = ("script", "prescript", "postscript")


def unset_reads(spec, form_of, forms):
    """A Problem per gateway condition of `spec` reading a name set nowhere before."""
    problems = []
    for gateway in spec.task_specs.values():
        if not isinstance(gateway, ExclusiveGateway | InclusiveGateway):
            continue
        read = set()
        for condition, _target in gateway.cond_task_specs:
            text = getattr(condition, "args", [None])[0]
            if isinstance(text, str):
                read |= _free_names(text)
        missing = sorted(read - KNOWN - _set_before(gateway, form_of, forms))
        if missing:
            problems.append(
                Problem(
                    gateway.bpmn_id,
                    f"its conditions read {', '.join(missing)}, which no form, "
                    "script or decision table before this gateway sets",
                )
            )
    return problems


def surely_set(spec, form_of, forms):
    """{task spec name: the names every path from the start sets before it}.

    Unlike the gateway check this is strict: a name counts only when each way
    into the step passes something that sets it (a form field, a script, a
    decision table), so a step reached before any of them misses it.
    """
    arriving = {spec.start.name: frozenset()}
    waiting = [spec.start]
    while waiting:
        step = waiting.pop()
        leaving = arriving[step.name] | names_set_by(step, form_of, forms)
        for after in step.outputs:
            known = arriving.get(after.name)
            narrowed = leaving if known is None else known & leaving
            if narrowed != known:
                arriving[after.name] = narrowed
                waiting.append(after)
    return arriving


def _set_before(gateway, form_of, forms):
    """Every name the steps upstream of `gateway` may set."""
    names, seen, waiting = set(), set(), list(gateway.inputs)
    while waiting:
        spec = waiting.pop()
        if spec.name in seen:
            continue
        seen.add(spec.name)
        waiting.extend(spec.inputs)
        names |= names_set_by(spec, form_of, forms)
    return names


def names_set_by(spec, form_of, forms):
    """The names a step may set: its form's fields, what its scripts assign and
    its decision table's outputs."""
    schema = forms.get(form_of.get(getattr(spec, "bpmn_id", None)), {})
    names = set(schema.get("properties") or {})
    for hook in SCRIPT_HOOKS:
        code = getattr(spec, hook, None)
        if isinstance(code, str):
            names |= _assigned(code)
    table = getattr(getattr(spec, "dmnEngine", None), "decision_table", None)
    if table is not None:
        names |= {output.name for output in table.outputs if output.name}
    return frozenset(names)


def _free_names(expression):
    """Names an expression reads that it does not bind itself."""
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except SyntaxError:
        return set()  # the compile check reports it
    loads, stores = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (stores if isinstance(node.ctx, ast.Store) else loads).add(node.id)
        elif isinstance(node, ast.arg):
            stores.add(node.arg)
    return loads - stores


def _assigned(script):
    """Names a script assigns (or imports, or defines)."""
    try:
        tree = ast.parse(script)
    except SyntaxError:
        return set()
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.alias):
            names.add((node.asname or node.name).split(".")[0])
    return names
