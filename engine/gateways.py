"""Find exclusive gateways without a default flow whose conditions can all be false.

Such a gateway stops a case with an error the moment no condition holds. The
check looks for values that make every condition false. Each variable a
condition reads takes the choices allowed by the form of the nearest task
before the gateway that asks for it (enum, boolean), or the values the
process's decision tables give it; a variable neither closes takes the
constants the conditions compare it with, their neighbours and a value unlike
any of them, or else yes, no, some text and zero. A gateway is refused
with the values found. Where no such values turn up among these candidates
the gateway passes; the search is a counterexample hunt, not a proof, and
stops at `MAX_COMBINATIONS`.
"""

import ast
import itertools
import math

from SpiffWorkflow.bpmn.specs.mixins.exclusive_gateway import ExclusiveGateway

from .budget import ScriptTimeout, run_limited
from .problem import Problem
from .scripting import BASE_GLOBALS, ScriptRefused, compile_expression

MAX_COMBINATIONS = 10_000
NOT_NAMES = {"True", "False", "None"}
# A text unlike any the conditions name, standing for "any other answer".
OTHER_TEXT = "(any other text)"
# Values to try for a variable nothing tells more about: yes/no, text, a count.
UNKNOWN = (True, False, "", OTHER_TEXT, 0)


def check_gateways(spec, form_of, forms, problems):
    """Add a Problem for each exclusive gateway of `spec` that can leave no way out.

    `form_of` maps elements to their form files, `forms` form files to schemas.
    """
    for task_spec in spec.task_specs.values():
        if not isinstance(task_spec, ExclusiveGateway):
            continue
        if task_spec.default_task_spec is not None:
            continue
        expressions = _expressions(task_spec)
        if expressions is None:
            continue
        nearest = [forms.get(name) for name in _forms_before(task_spec, form_of)]
        closed = [f for f in nearest if f is not None] + _decision_outputs(spec)
        values = _all_false(expressions, closed)
        if values is not None:
            problems.append(
                Problem(
                    task_spec.bpmn_id,
                    "this gateway has no default flow, and its conditions are all "
                    f"false when {_describe(values)}; add a default flow or a "
                    "condition for that case",
                )
            )


def failing_conditions(spec, form_of, forms, flows):
    """A Problem per condition of an exclusive gateway of `spec` that fails with
    an error for every value tried (each case reaching it would stop there), or
    that is false for every value the forms and tables allow (its flow is never
    taken: `approved == "True"` for a yes/no answer).

    Values are tried as in check_gateways; a try that runs too long ends the
    search for that condition without a verdict, and "never true" is said only
    when every combination was tried. `flows` maps (gateway, target) to the id
    of the sequence flow holding the condition.
    """
    problems = []
    for gateway in spec.task_specs.values():
        if not isinstance(gateway, ExclusiveGateway):
            continue
        nearest = [forms.get(name) for name in _forms_before(gateway, form_of)]
        closed = [f for f in nearest if f is not None] + _decision_outputs(spec)
        for condition, target in gateway.cond_task_specs:
            text = getattr(condition, "args", [None])[0]
            verdict = _verdict(text, closed) if isinstance(text, str) else None
            if verdict is None:
                continue
            flow = flows.get((gateway.bpmn_id, target), gateway.bpmn_id)
            if isinstance(verdict, Exception):
                message = (
                    f"the condition leaving {gateway.bpmn_id} fails for every "
                    f"value tried ({type(verdict).__name__}: {verdict}), so each "
                    "case reaching the gateway would stop there"
                )
            else:
                message = (
                    f"the condition leaving {gateway.bpmn_id} is false for every "
                    f"value the forms allow ({verdict}), so no case takes this flow"
                )
            problems.append(Problem(flow, message))
    return problems


def _verdict(expression, forms):
    """The first error when `expression` raises one for every value tried; the
    values tried, in words, when it is false for every one of them and they
    were all there are; else None."""
    try:
        code = compile_expression(expression)
        tree = ast.parse(expression.strip(), mode="eval")
    except (ScriptRefused, SyntaxError):
        return None  # reported by the compile check already
    candidates = _candidates([tree], forms)
    names = sorted(candidates)
    count = math.prod(len(candidates[n]) for n in names)
    first, false = None, 0
    tries = itertools.product(*(candidates[n] for n in names))
    for combination in itertools.islice(tries, MAX_COMBINATIONS):
        values = dict(zip(names, combination, strict=True))
        try:
            held = run_limited(code, {**BASE_GLOBALS, **values}, "condition")
        except ScriptTimeout:
            return None
        except Exception as error:  # what a case would meet: any error stops it
            first = first or error
            continue
        if held:
            return None
        false += 1
    if false == 0:
        return first
    if first is None and names and count <= MAX_COMBINATIONS:
        return "; ".join(
            f"{name}: {', '.join(repr(v) for v in candidates[name])}" for name in names
        )
    return None


def _forms_before(gateway, form_of):
    """Form files of the nearest tasks with a form on every path into `gateway`."""
    found, seen, waiting = [], set(), list(gateway.inputs)
    while waiting:
        spec = waiting.pop()
        if spec.name in seen:
            continue
        seen.add(spec.name)
        form = form_of.get(getattr(spec, "bpmn_id", None))
        if form is not None:
            found.append(form)
        else:
            waiting.extend(spec.inputs)
    return sorted(set(found))


def _decision_outputs(spec):
    """The outputs of the decision tables of `spec`, as closed form-like fields:
    {"properties": {output name: {"enum": [every literal the rules give]}}}."""
    fields = {}
    for task_spec in spec.task_specs.values():
        table = getattr(getattr(task_spec, "dmnEngine", None), "decision_table", None)
        if table is None:
            continue
        for rule in table.rules:
            for entry in rule.outputEntries:
                name = getattr(entry.output, "name", None)
                value = _literal(entry.text)
                if name and value is not None:
                    fields.setdefault(name, {"enum": []})["enum"].append(value)
    return [{"properties": fields}] if fields else []


def _literal(text):
    try:
        value = ast.literal_eval((text or "").strip())
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None
    return value if _hashable(value) and value is not None else None


def _expressions(task_spec):
    """The gateway's condition texts, or None when one is not a plain expression."""
    texts = [getattr(c, "args", [None])[0] for c, _ in task_spec.cond_task_specs]
    if not texts or not all(isinstance(text, str) for text in texts):
        return None
    return texts


def _all_false(expressions, forms):
    """Values of the variables under which no expression holds, or None."""
    try:
        compiled = [compile_expression(text) for text in expressions]
        trees = [ast.parse(text.strip(), mode="eval") for text in expressions]
    except (ScriptRefused, SyntaxError):
        return None  # reported by the compile check already
    candidates = _candidates(trees, forms)
    names = sorted(candidates)
    count = 1
    for name in names:
        count *= len(candidates[name])
    if count > MAX_COMBINATIONS:
        return None
    for combination in itertools.product(*(candidates[n] for n in names)):
        values = dict(zip(names, combination, strict=True))
        try:
            if _none_holds(compiled, values):
                return values
        except ScriptTimeout:
            return None  # one slow try means every try would be: give up
    return None


def _none_holds(compiled, values):
    for code in compiled:
        try:
            if run_limited(code, {**BASE_GLOBALS, **values}, "condition"):
                return False
        except ScriptTimeout:
            raise
        except Exception:  # a condition that fails is not "false"; the run says so
            return False
    return True


def _candidates(trees, forms):
    """Each variable the conditions read, with the values worth trying."""
    names = {
        node.id
        for tree in trees
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and node.id not in NOT_NAMES
    }
    names -= set(BASE_GLOBALS["__builtins__"])
    choices = {name: _form_choices(name, forms) for name in names}
    for tree in trees:
        for name, constant in _compared_constants(tree):
            if name in choices and not choices[name]["closed"]:
                choices[name]["values"].extend(_around(constant))
    return {
        name: list(dict.fromkeys(choice["values"])) or list(UNKNOWN)
        for name, choice in choices.items()
    }


def _form_choices(name, forms):
    """The values a form field of that name allows; closed when they are all."""
    values, closed = [], False
    for schema in forms:
        field = (schema.get("properties") or {}).get(name)
        if not isinstance(field, dict):
            continue
        if isinstance(field.get("enum"), list):
            values.extend(v for v in field["enum"] if _hashable(v))
            closed = True
        elif field.get("type") == "boolean":
            values.extend([True, False])
            closed = True
    return {"values": values, "closed": closed}


def _compared_constants(tree):
    """(name, constant) for every comparison of a variable with a literal, or
    with a tuple, list or set of literals (`x in ("a", "b")`)."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Compare):
            continue
        operands = [node.left, *node.comparators]
        names = [o.id for o in operands if isinstance(o, ast.Name)]
        constants = []
        for operand in operands:
            if isinstance(operand, ast.Constant):
                constants.append(operand.value)
            elif isinstance(operand, ast.Tuple | ast.List | ast.Set):
                constants += [
                    e.value for e in operand.elts if isinstance(e, ast.Constant)
                ]
        for name in names:
            for constant in constants:
                yield name, constant


def _around(constant):
    if isinstance(constant, str):
        return [constant, OTHER_TEXT]
    if isinstance(constant, bool) or not isinstance(constant, int | float):
        return [constant] if _hashable(constant) else []
    return [constant - 1, constant, constant + 1]


def _hashable(value):
    return isinstance(value, str | int | float | bool) or value is None


def _describe(values):
    return ", ".join(f"{name} = {value!r}" for name, value in values.items()) or (
        "nothing is set"
    )
