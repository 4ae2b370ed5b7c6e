"""Parse and check a process bundle (BPMN, DMN, forms) into a runnable definition."""

import hashlib
import json
import re
from dataclasses import dataclass, field, replace

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser

from .connections import default_flow_conditions, layout_problems, unreached_problems
from .data_flow import names_set_by, surely_set, unset_reads
from .decisions import decision_problems
from .gateways import check_gateways, failing_conditions
from .lanes import lane_problems
from .problem import Problem
from .schemas import check_bpmn_schema, check_dmn_schema
from .scripting import ScriptRefused, compile_expression, compile_script, templates_of
from .timer_values import timer_problems
from .wording import reworded
from .xmlsafe import UnsafeXml, parse_xml

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
PREFERRED_PROCESS = "case_lifecycle"
MAX_FORM_BYTES = 256 * 1024
# Real forms nest a few levels; jsonschema walks a schema recursively, so a
# deeper one could exhaust the stack while being checked or used.
MAX_FORM_DEPTH = 32


class DefinitionInvalid(Exception):
    """A bundle failed its checks; `problems` says where and why."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("; ".join(f"{p.element}: {p.message}" for p in self.problems))


@dataclass(frozen=True)
class HumanStep:
    """What the host needs to know about a user task without running it."""

    element: str
    name: str
    lane: str | None
    form: str | None
    instructions: str
    properties: dict
    # The names every path into the step sets before it (form fields, script
    # assignments, decision outputs), the report's included.
    arrives_with: frozenset = frozenset()


@dataclass
class ProcessDefinition:
    """A parsed, checked bundle: the spec to run plus its forms and task facts."""

    process_id: str
    spec: object
    subprocess_specs: dict
    forms: dict
    steps: dict
    start_form: str | None
    start_element: str | None
    element_names: dict
    hash: str
    lanes: list = field(default_factory=list)
    # {template name: elements whose scripts notify with it}, for the host to
    # check against the emails it has.
    email_templates: dict = field(default_factory=dict)
    # {element that notifies: names its email's data holds on every path there},
    # for the host to check what its templates read.
    notify_data: dict = field(default_factory=dict)


def bundle_hash(files):
    """A stable digest of a bundle's file names and contents."""
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + _as_bytes(files[name]) + b"\0")
    return digest.hexdigest()


def _as_bytes(content):
    return content.encode("utf-8") if isinstance(content, str) else content


def load_definition(files, known_lanes):
    """Parse and check `files` ({name: bytes}); raise DefinitionInvalid if unfit."""
    problems = []
    bpmn_names = [name for name in files if name.endswith(".bpmn")]
    dmn_names = [name for name in files if name.endswith(".dmn")]
    form_names = [name for name in files if name.endswith(".json")]
    unknown = set(files) - set(bpmn_names) - set(dmn_names) - set(form_names)
    problems += [Problem(name, "not a .bpmn, .dmn or .json file") for name in unknown]
    if len(bpmn_names) != 1:
        problems.append(Problem("bundle", "a version needs exactly one .bpmn file"))
        raise DefinitionInvalid(problems)

    forms = _load_forms(files, form_names, problems)
    parser = SpiffBpmnParser()
    _add_bpmn(parser, bpmn_names[0], files[bpmn_names[0]], problems)
    for name in dmn_names:
        _add_dmn(parser, name, files[name], problems)
    if problems:
        raise DefinitionInvalid(problems)

    process_id = _choose_process(parser, problems)
    if process_id is None:
        raise DefinitionInvalid(problems)
    try:
        spec = parser.get_spec(process_id)
        subprocess_specs = parser.get_subprocess_specs(process_id)
    except (ValidationException, SpiffWorkflowException, KeyError) as error:
        raise DefinitionInvalid([_problem_from(error, process_id)]) from error

    all_specs = [spec, *subprocess_specs.values()]
    process_node = parser.get_process_parser(process_id).node
    problems += unreached_problems(process_node, all_specs)
    problems += layout_problems(process_node)
    problems += default_flow_conditions(process_node)
    problems += [Problem(element, why) for element, why in lane_problems(process_node)]
    steps, start = _human_steps(all_specs, forms, known_lanes, problems)
    templates = {}
    flows = flow_ids(process_node)
    for one in all_specs:
        _check_code(one, problems, templates, flows)
    if not problems:
        for one in all_specs:
            check_gateways(one, _form_of(steps, start), forms, problems)
            problems += failing_conditions(one, _form_of(steps, start), forms, flows)
            problems += unset_reads(one, _form_of(steps, start), forms)
    if problems:
        raise DefinitionInvalid(problems)
    form_of = _form_of(steps, start)
    arriving = {}
    for one in all_specs:
        arriving.update(surely_set(one, form_of, forms))
    steps = {
        element: replace(step, arrives_with=arriving.get(element, frozenset()))
        for element, step in steps.items()
    }
    notifying = {element for elements in templates.values() for element in elements}
    notify_data = {
        element: arriving.get(task_spec.name, frozenset())
        | names_set_by(task_spec, form_of, forms)
        for one in all_specs
        for task_spec in one.task_specs.values()
        if (element := getattr(task_spec, "bpmn_id", None)) in notifying
    }
    definition = ProcessDefinition(
        process_id=process_id,
        spec=spec,
        subprocess_specs=subprocess_specs,
        forms=forms,
        steps=steps,
        start_form=start[1],
        start_element=start[0],
        element_names=_element_names(all_specs),
        hash=bundle_hash(files),
        lanes=sorted({s.lane for s in steps.values() if s.lane}),
        email_templates={name: sorted(set(e)) for name, e in templates.items()},
        notify_data=notify_data,
    )
    # Tables are checked on the built definition: their expressions are read
    # the way the process's decision engine reads them.
    problems = decision_problems(definition)
    if problems:
        raise DefinitionInvalid(problems)
    return definition


def _load_forms(files, names, problems):
    forms = {}
    for name in names:
        content = _as_bytes(files[name])
        if len(content) > MAX_FORM_BYTES:
            problems.append(Problem(name, f"form is over {MAX_FORM_BYTES} bytes"))
            continue
        try:
            schema = json.loads(content)
            if _nests_deeper(schema, MAX_FORM_DEPTH):
                raise ValueError(f"nested deeper than {MAX_FORM_DEPTH} levels")
            Draft202012Validator.check_schema(schema)
        except RecursionError:
            problems.append(Problem(name, "not a valid JSON Schema: nested too deeply"))
            continue
        except (ValueError, SchemaError) as error:
            message = getattr(error, "message", None) or str(error)
            problems.append(Problem(name, f"not a valid JSON Schema: {message}"))
            continue
        if schema.get("type") != "object":
            problems.append(Problem(name, 'a form schema must have "type": "object"'))
            continue
        forms[name] = schema
    return forms


def _nests_deeper(value, limit):
    """Whether JSON `value` nests deeper than `limit`, found without recursion."""
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict | list):
            if depth > limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            pending.extend((child, depth + 1) for child in children)
    return False


def _add_bpmn(parser, name, content, problems):
    _add_document(
        name, content, check_bpmn_schema, parser.add_bpmn_xml, "a process", problems
    )


def _add_dmn(parser, name, content, problems):
    _add_document(
        name, content, check_dmn_schema, parser.add_dmn_xml, "a decision", problems
    )


def _add_document(name, content, check_schema, add, what, problems):
    """Parse safely, check against the XML schema, then hand the tree to `add`."""
    try:
        root = parse_xml(content, name)
    except UnsafeXml as error:
        problems.append(Problem(name, str(error)))
        return
    schema_problems = check_schema(root, name)
    if schema_problems:
        problems.extend(schema_problems)
        return
    try:
        add(root, filename=name)
    except (ValidationException, SpiffWorkflowException) as error:
        problems.append(_problem_from(error, name))
    except (KeyError, ValueError, TypeError, AttributeError, IndexError) as error:
        problems.append(Problem(name, f"cannot be read as {what}: {error}"))


def _choose_process(parser, problems):
    executable = parser.get_process_ids()
    if PREFERRED_PROCESS in executable:
        return PREFERRED_PROCESS
    if len(executable) == 1:
        return executable[0]
    if not executable:
        problems.append(Problem("bundle", "no process is marked isExecutable"))
    else:
        listed = ", ".join(sorted(executable))
        problems.append(
            Problem("bundle", f"several executable processes ({listed}); keep one")
        )
    return None


# The engine's messages may show an XML node as Python prints it.
_LXML_NODE = re.compile(r"<Element \{[^}]*\}(\w+) at 0x[0-9a-f]+>")


def _problem_from(error, fallback):
    element = getattr(error, "id", "") or getattr(error, "file_name", "") or fallback
    said = error.args[0] if error.args else str(error)
    message = reworded(_LXML_NODE.sub(r"<\1>", str(said)).strip())
    line = getattr(error, "line_number", "")
    if line:
        message = f"{message} (line {line})"
    return Problem(element, message)


def _human_steps(specs, forms, known_lanes, problems):
    steps, start = {}, (None, None)
    for spec in specs:
        for task_spec in spec.task_specs.values():
            element = getattr(task_spec, "bpmn_id", None)
            if element is None:
                continue
            kind = type(task_spec).__name__
            properties = dict(task_spec.extensions.get("properties", {}))
            form = properties.get("formJsonSchemaFilename")
            if form is not None and form not in forms:
                problems.append(Problem(element, f"form file {form} is not deployed"))
            if kind == "StartEvent" and spec is specs[0]:
                start = (element, form)
            if not task_spec.manual:
                continue
            lane = task_spec.lane
            if lane is None:
                problems.append(Problem(element, "a user task must sit in a lane"))
            elif lane not in known_lanes:
                problems.append(
                    Problem(element, f"lane '{lane}' is not a group of this service")
                )
            if form is None:
                problems.append(Problem(element, "user task has no form"))
            steps[element] = HumanStep(
                element=element,
                name=task_spec.bpmn_name or element,
                lane=lane,
                form=form,
                instructions=task_spec.extensions.get("instructionsForEndUser") or "",
                properties=properties,
            )
    return steps, start


def _check_code(spec, problems, templates, flows):
    """Compile each script and condition of `spec` and check its timers; note in
    `templates` the email templates the scripts notify with. A condition's
    problem names its sequence flow (`flows`: {(source, target): flow id})."""
    for task_spec in spec.task_specs.values():
        element = getattr(task_spec, "bpmn_id", None) or task_spec.name
        for hook in ("script", "prescript", "postscript"):
            code = getattr(task_spec, hook, None)
            if code and _compiles(compile_script, code, element, hook, problems):
                for name in templates_of(code):
                    templates.setdefault(name, []).append(element)
        for condition, target in getattr(task_spec, "cond_task_specs", []):
            expression = getattr(condition, "args", [None])[0]
            flow = flows.get((element, target), element)
            if isinstance(expression, str) and _compiles(
                compile_expression, expression, flow, "condition", problems
            ):
                for name in templates_of(expression, expression=True):
                    templates.setdefault(name, []).append(element)
        definition = getattr(task_spec, "event_definition", None)
        if isinstance(definition, TimerEventDefinition):
            problems += timer_problems(definition, element)


def flow_ids(process_node):
    """{(source id, target id): sequence flow id} of the flows in `process_node`."""
    flows = {}
    for flow in process_node.iter(f"{{{BPMN_NS}}}sequenceFlow"):
        flows.setdefault((flow.get("sourceRef"), flow.get("targetRef")), flow.get("id"))
    return flows


def _compiles(compile_function, source, element, what, problems):
    try:
        compile_function(source)
    except (ScriptRefused, SyntaxError) as error:
        problems.append(Problem(element, f"{what} does not compile: {error}"))
        return False
    return True


def _form_of(steps, start):
    """{element: form file} of every step with a form, the start event included."""
    forms = {element: step.form for element, step in steps.items() if step.form}
    if start[0] and start[1]:
        forms[start[0]] = start[1]
    return forms


def _element_names(specs):
    names = {}
    for spec in specs:
        for task_spec in spec.task_specs.values():
            element = getattr(task_spec, "bpmn_id", None)
            if element:
                names[element] = task_spec.bpmn_name or element
    return names
