"""Find flow elements the engine would skip or the diagram would not show.

The engine reads a process by following its flows from the start event, so an
element left unconnected in the modeler would be skipped without a word, along
with every check on it (its form, its lane, its scripts).

The process map, the case page and the modeler draw a version from its diagram
layout, so every flow element and every sequence flow needs one. A flow
without an edge is not optional either: bpmn-js would not draw it, and the
engine would follow a path that nobody can see, select or delete in the
modeler.
"""

from .problem import Problem

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
FLOW_NODES = {
    f"{{{BPMN}}}{tag}"
    for tag in (
        "task userTask manualTask scriptTask serviceTask sendTask receiveTask "
        "businessRuleTask callActivity subProcess transaction startEvent endEvent "
        "intermediateCatchEvent intermediateThrowEvent boundaryEvent "
        "exclusiveGateway inclusiveGateway parallelGateway eventBasedGateway "
        "complexGateway"
    ).split()
}


def unreached_problems(process_node, specs):
    """A Problem per flow element of `process_node` that none of `specs` holds."""
    reached = {
        getattr(task_spec, "bpmn_id", None)
        for spec in specs
        for task_spec in spec.task_specs.values()
    }
    return [
        Problem(
            node.get("id"),
            "no path from the start event reaches this element; connect it or "
            "delete it",
        )
        for node in process_node.iter(*FLOW_NODES)
        if node.get("id") not in reached
    ]


def layout_problems(process_node):
    """A Problem per flow element or sequence flow of `process_node` that the
    document's diagram does not draw (no BPMNShape, no BPMNEdge)."""
    document = process_node.getroottree()
    shapes = _drawn(document, "BPMNShape")
    edges = _drawn(document, "BPMNEdge")
    missing = [
        Problem(node.get("id"), "has no diagram layout (BPMNShape)")
        for node in process_node.iter(*FLOW_NODES)
        if node.get("id") not in shapes
    ]
    missing += [
        Problem(flow.get("id"), "has no diagram layout (BPMNEdge)")
        for flow in process_node.iter(f"{{{BPMN}}}sequenceFlow")
        if flow.get("id") not in edges
    ]
    return missing


def _drawn(document, kind):
    return {one.get("bpmnElement") for one in document.iter(f"{{{BPMNDI}}}{kind}")}


def default_flow_conditions(process_node):
    """A Problem per gateway's default flow that also holds a condition: the
    engine never reads it (the default is taken when no other condition holds),
    so whoever wrote it is misled."""
    flows = {
        flow.get("id"): flow for flow in process_node.iter(f"{{{BPMN}}}sequenceFlow")
    }
    problems = []
    for node in process_node.iter(*FLOW_NODES):
        flow = flows.get(node.get("default") or "")
        if flow is not None and flow.find(f"{{{BPMN}}}conditionExpression") is not None:
            problems.append(
                Problem(
                    flow.get("id"),
                    f"is the default flow of {node.get('id')} and also has a "
                    "condition, which is never read: remove the condition, or "
                    "unmark the default",
                )
            )
    return problems
