"""The process's priority table outside a running case: check it, decide with it,
and write a re-decided priority into a stored workflow."""

import ast
import copy
import math
import re
from dataclasses import dataclass

from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.dmn.engine.DMNEngine import DMNEngine
from SpiffWorkflow.dmn.specs.model import HitPolicy
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState

from .problem import Problem
from .runtime import ProcessFault, Run, load_workflow, outcome_of
from .scripting import compile_expression, script_engine
from .xmlsafe import UnsafeXml, parse_xml

PRIORITY = "priority"
# DMNEngine reads a "?" outside quotes as the input's value.
_QUESTION_MARK = re.compile(r"(\?)(?=(?:[^'\"]|['\"][^'\"]*['\"])*$)")


def decide_priority(definition, data):
    """The priority `definition`'s priority table gives case `data` (None when no
    rule matches); ProcessFault when the table cannot be evaluated on it."""
    rule_task = _priority_rule_task(definition)
    if rule_task is None:
        raise ProcessFault(
            definition.process_id, "no business rule task of the process sets priority"
        )
    task = _rule_task_run(definition, rule_task)
    task.data = copy.deepcopy(data)
    try:
        result = rule_task.dmnEngine.result(task)
    except SpiffWorkflowException as error:
        raise ProcessFault(rule_task.bpmn_id, _fault_text(error)) from error
    return result.get(PRIORITY)


@dataclass(frozen=True)
class PriorityTable:
    """The facts about the priority table a check of its results needs."""

    table_id: str
    unique: bool
    numbers: tuple
    rule_count: int


@dataclass(frozen=True)
class TableHit:
    """What the priority table makes of one set of case data: the priority it
    gives (None when no rule matches), every rule that matches whatever the hit
    policy, or why it could not be evaluated."""

    priority: object = None
    rules: tuple = ()
    fault: str | None = None


def priority_table(definition):
    """The priority table's facts: its id, whether its hit policy is UNIQUE, and
    the numbers its rules compare with; None when no rule task sets priority."""
    rule_task = _priority_rule_task(definition)
    if rule_task is None:
        return None
    table = rule_task.dmnEngine.decision_table
    numbers = set()
    for rule in table.rules:
        for entry in rule.inputEntries:
            numbers.update(_numbers_in(entry.text or ""))
    unique = table.hit_policy == HitPolicy.UNIQUE.value
    return PriorityTable(table.id, unique, tuple(sorted(numbers)), len(table.rules))


def decide_grid(definition, points):
    """A TableHit for each data dict of `points`, the table run as the process
    runs it; the process must have a priority table."""
    rule_task = _priority_rule_task(definition)
    task = _rule_task_run(definition, rule_task)
    table = copy.copy(rule_task.dmnEngine.decision_table)
    table.hit_policy = HitPolicy.COLLECT.value
    every_rule = DMNEngine(table)
    hits = []
    for data in points:
        task.data = copy.deepcopy(data)
        try:
            result = rule_task.dmnEngine.result(task)
            matched = every_rule.decide(task)
        except SpiffWorkflowException as error:
            hits.append(TableHit(fault=_fault_text(error)))
            continue
        rules = tuple(rule.id for rule in matched)
        hits.append(TableHit(result.get(PRIORITY), rules))
    return hits


def decision_sources(files):
    """(file name, decision id, [its table ids]) for each decision of the .dmn
    files of a bundle that parse; the checks of the bundle report the others."""
    sources = []
    for name in sorted(files):
        if not name.endswith(".dmn"):
            continue
        try:
            root = parse_xml(files[name], name)
        except UnsafeXml:
            continue
        for decision in root.iter("{*}decision"):
            tables = [t.get("id") for t in decision.iter("{*}decisionTable")]
            sources.append((name, decision.get("id"), tables))
    return sources


def duplicate_decisions(files):
    """A problem per decision id that more than one table of a bundle declares:
    the process would run only one of them, whichever was read last."""
    by_id = {}
    for name, decision_id, _tables in decision_sources(files):
        by_id.setdefault(decision_id, []).append(name)
    problems = []
    for decision_id, names in by_id.items():
        if len(names) > 1:
            listed = " and ".join(names)
            problems.append(
                Problem(
                    decision_id,
                    f"{len(names)} tables declare decision {decision_id} "
                    f"({listed}); a version keeps one table per decision",
                )
            )
    return problems


def decision_problems(definition):
    """Problems with the expressions of the decision tables the process calls."""
    problems = []
    for rule_task in _rule_tasks(definition):
        table = rule_task.dmnEngine.decision_table
        for one in table.inputs:
            if one.expression is not None:
                _check(one.expression, one.id, "input expression", problems)
        for rule in table.rules:
            for entry in rule.inputEntries:
                _check_input_entry(entry, rule.row_number, problems)
            for entry in rule.outputEntries:
                if entry.text:
                    what = f"rule {rule.row_number}: output"
                    _check(entry.text, entry.id, what, problems)
                    _check_literal(entry, what, problems)
    return problems


def _check_literal(entry, what, problems):
    """A rule gives a value, not a computation: a computed output escapes every
    check of what the table can give (it could differ for one input alone)."""
    try:
        ast.literal_eval(entry.text.strip())
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        message = f'{what} must be a plain value such as "High", not an expression'
        problems.append(Problem(entry.id, message))


def set_case_data(definition, state, values, key=None):
    """Put `values` into the data of every unfinished task of a stored workflow;
    return the outcome to store (the workflow does not move on)."""
    run = Run()
    workflow = load_workflow(definition, state, run, key)
    for task in workflow.get_tasks(state=TaskState.NOT_FINISHED_MASK):
        task.data.update(copy.deepcopy(values))
    return outcome_of(workflow, run)


def _rule_task_run(definition, rule_task):
    # The table runs as the process runs it: on a task of this version's
    # workflow, with the restricted script engine.
    workflow = BpmnWorkflow(
        definition.spec, definition.subprocess_specs, script_engine=script_engine()
    )
    return Task(workflow, rule_task, state=TaskState.READY)


def _fault_text(error):
    notes = "; ".join(getattr(error, "notes", []) or [])
    message = str(error).split("\n")[0]
    return f"{message} {notes}".strip()


def _numbers_in(text):
    """The finite numbers written in an input entry (a unary minus included)."""
    tested = _QUESTION_MARK.sub("dmninputexpr", text)
    for source in (tested, f"dmninputexpr {tested}"):
        try:
            tree = ast.parse(source.strip(), mode="eval")
        except (SyntaxError, ValueError, RecursionError):
            continue
        return {value for value in _constants(tree) if _finite(value)}
    return set()


def _constants(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and _is_number(node.value):
            yield node.value
        elif (
            isinstance(node, ast.UnaryOp)
            and isinstance(node.op, ast.USub)
            and isinstance(node.operand, ast.Constant)
            and _is_number(node.operand.value)
        ):
            yield -node.operand.value


def _is_number(value):
    return isinstance(value, int | float) and not isinstance(value, bool)


def _finite(value):
    return isinstance(value, int) or math.isfinite(value)


def _rule_tasks(definition):
    for spec in (definition.spec, *definition.subprocess_specs.values()):
        for task_spec in spec.task_specs.values():
            if hasattr(task_spec, "dmnEngine"):
                yield task_spec


def _priority_rule_task(definition):
    for rule_task in _rule_tasks(definition):
        outputs = rule_task.dmnEngine.decision_table.outputs
        if any((o.name or o.label) == PRIORITY for o in outputs):
            return rule_task
    return None


def _check_input_entry(entry, row, problems):
    """Compile an input entry the way DMNEngine builds it from the input."""
    text = entry.text
    if not text or text.strip() == "-":
        return
    what = f"rule {row}: input"
    given = entry.input.expression or entry.input.label or "value"
    tested = _QUESTION_MARK.sub("dmninputexpr", text)
    if "dmninputexpr" in tested:
        _check(tested, entry.id, what, problems)
    elif _parses(tested):
        _check(f"({given}) == ({tested})", entry.id, what, problems)
    else:
        _check(given + tested, entry.id, what, problems)


def _parses(source):
    try:
        ast.parse(source)
    except SyntaxError:
        return False
    return True


def _check(source, element, what, problems):
    try:
        compile_expression(source)
    except SyntaxError as error:
        problems.append(
            Problem(element, f"{what} {source.strip()!r} does not compile: {error}")
        )
