"""Find human tasks whose lane is unclear: listed in two lanes, or drawn in a
lane other than the one that lists them.

The engine gives a task the lane whose flowNodeRef lists it, while people read
the lane from the drawing. When the two disagree, or two lanes list one task,
its work would go to a group the diagram does not show.
"""

from .connections import BPMN, BPMNDI

DC = "http://www.omg.org/spec/DD/20100524/DC"
HUMAN_TASKS = {f"{{{BPMN}}}{tag}" for tag in ("userTask", "manualTask", "task")}


def lane_problems(process_node):
    """(element, message) pairs for each human task of `process_node` listed in
    more than one lane, or drawn outside the lane that lists it."""
    lanes = _leaf_lanes(process_node)
    listed = {}
    for lane in lanes:
        for ref in lane.iterfind(f"{{{BPMN}}}flowNodeRef"):
            listed.setdefault((ref.text or "").strip(), []).append(lane)
    bounds = _bounds(process_node.getroottree())
    problems = []
    for task in process_node.iter(*HUMAN_TASKS):
        element = task.get("id")
        holders = listed.get(element, [])
        if len(holders) > 1:
            names = " and ".join(f"'{_name(lane)}'" for lane in holders)
            problems.append((element, f"is listed in the lanes {names}; keep one"))
        elif len(holders) == 1:
            problems += _drawn_elsewhere(element, holders[0], lanes, bounds)
    return problems


def _drawn_elsewhere(element, lane, lanes, bounds):
    centre = _centre(bounds.get(element))
    box = bounds.get(lane.get("id"))
    if centre is None or box is None or _inside(centre, box):
        return []
    drawn_in = [
        other for other in lanes if _inside(centre, bounds.get(other.get("id")))
    ]
    where = (
        f"is drawn in the lane '{_name(drawn_in[0])}'"
        if drawn_in
        else ("is drawn outside every lane")
    )
    return [
        (
            element,
            f"{where} but belongs to the lane '{_name(lane)}'; move it in the "
            "modeler so that the drawing and the lane agree",
        )
    ]


def _leaf_lanes(process_node):
    """The lanes of the process that hold no lanes of their own."""
    return [
        lane
        for lane in process_node.iter(f"{{{BPMN}}}lane")
        if lane.find(f"{{{BPMN}}}childLaneSet") is None
    ]


def _bounds(document):
    """{element id: (x, y, width, height)} from the diagram's shapes."""
    found = {}
    for shape in document.iter(f"{{{BPMNDI}}}BPMNShape"):
        box = shape.find(f"{{{DC}}}Bounds")
        if box is None:
            continue
        try:
            numbers = tuple(float(box.get(k)) for k in ("x", "y", "width", "height"))
        except (TypeError, ValueError):
            continue
        found[shape.get("bpmnElement")] = numbers
    return found


def _centre(box):
    if box is None:
        return None
    x, y, width, height = box
    return (x + width / 2, y + height / 2)


def _inside(point, box):
    if box is None:
        return False
    x, y, width, height = box
    return x <= point[0] <= x + width and y <= point[1] <= y + height


def _name(lane):
    return lane.get("name") or lane.get("id")
