"""The process's priority table outside a running case: check it, decide with it,
and write a re-decided priority into a stored workflow."""

import ast
import copy
import re

from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState

from .problem import Problem
from .runtime import ProcessFault, Run, load_workflow, outcome_of
from .scripting import compile_expression, script_engine

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
    # The table runs as the process runs it: on a task of this version's
    # workflow, with the restricted script engine.
    workflow = BpmnWorkflow(
        definition.spec, definition.subprocess_specs, script_engine=script_engine()
    )
    task = Task(workflow, rule_task, state=TaskState.READY)
    task.data = copy.deepcopy(data)
    try:
        result = rule_task.dmnEngine.result(task)
    except SpiffWorkflowException as error:
        notes = "; ".join(getattr(error, "notes", []) or [])
        message = str(error).split("\n")[0]
        raise ProcessFault(rule_task.bpmn_id, f"{message} {notes}".strip()) from error
    return result.get(PRIORITY)


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
    return problems


def set_case_data(definition, state, values, key=None):
    """Put `values` into the data of every unfinished task of a stored workflow;
    return the outcome to store (the workflow does not move on)."""
    run = Run()
    workflow = load_workflow(definition, state, run, key)
    for task in workflow.get_tasks(state=TaskState.NOT_FINISHED_MASK):
        task.data.update(copy.deepcopy(values))
    return outcome_of(workflow, run)


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
