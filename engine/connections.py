"""Find flow elements no path from the start event reaches.

The engine reads a process by following its flows from the start event, so an
element left unconnected in the modeler would be skipped without a word, along
with every check on it (its form, its lane, its scripts).
"""

from .problem import Problem

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
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
