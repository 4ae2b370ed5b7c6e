"""The shipped process passes every check; broken bundles are refused per element."""

import pytest
from lxml import etree

import engine
from app import create_app
from casework.versions import LANES, BaselineInvalid, read_bundle

BPMN = "case_lifecycle.bpmn"
NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
}


@pytest.fixture(scope="module")
def bundle():
    return read_bundle("processes", "forms")


def edited(bundle, old, new, name=BPMN, count=1):
    text = bundle[name].decode()
    assert old in text, f"{old!r} not in {name}"
    return {**bundle, name: text.replace(old, new, count).encode()}


def problems_of(files):
    with pytest.raises(engine.DefinitionInvalid) as refused:
        engine.load_definition(files, LANES)
    return {(p.element, p.message) for p in refused.value.problems}


def test_shipped_process_is_valid(bundle):
    definition = engine.load_definition(bundle, LANES)
    assert definition.process_id == "case_lifecycle"
    assert definition.start_form == "issue_reported.json"
    assert set(definition.lanes) == set(LANES)
    expected = {
        "assess_issue", "resolve_directly", "review_setup", "triage_investigate",
        "evaluate_scope", "research_fix", "answer_questions", "technical_review",
        "verify_fix", "close_case", "review_resolution",
    }  # fmt: skip
    assert set(definition.steps) == expected
    assert definition.steps["technical_review"].properties["differentUserThan"] == (
        "research_fix"
    )


def test_every_element_has_diagram_layout(bundle):
    root = etree.fromstring(bundle[BPMN])
    process = root.find("bpmn:process", NS)
    shapes = {s.get("bpmnElement") for s in root.iterfind(".//bpmndi:BPMNShape", NS)}
    edges = {e.get("bpmnElement") for e in root.iterfind(".//bpmndi:BPMNEdge", NS)}
    flows = {f.get("id") for f in process.iterfind("bpmn:sequenceFlow", NS)}
    nodes = {
        n.get("id")
        for n in process
        if isinstance(n.tag, str)
        and etree.QName(n).localname not in ("sequenceFlow", "laneSet")
        and etree.QName(n).localname != "extensionElements"
    }
    lanes = {lane.get("id") for lane in process.iterfind(".//bpmn:lane", NS)}
    assert nodes <= shapes
    assert lanes <= shapes
    assert flows <= edges
    for edge in root.iterfind(".//bpmndi:BPMNEdge", NS):
        assert (
            len(edge.findall("{http://www.omg.org/spec/DD/20100524/DI}waypoint")) >= 2
        )


def test_form_file_that_is_not_deployed_is_refused(bundle):
    files = edited(bundle, 'value="verify_fix.json"', 'value="missing.json"')
    assert ("verify_fix", "form file missing.json is not deployed") in problems_of(
        files
    )


def test_lane_that_is_not_a_group_is_refused(bundle):
    files = edited(bundle, 'name="Triage"', 'name="Night Shift"')
    problems = problems_of(files)
    assert any(
        element == "triage_investigate" and "Night Shift" in message
        for element, message in problems
    )


def test_unquoted_timer_expression_is_refused(bundle):
    files = edited(bundle, '"P14D"', "P14D")
    problems = problems_of(files)
    assert any(
        element == "no_answer_timer" and "quoted" in message
        for element, message in problems
    )


@pytest.mark.parametrize(
    "script",
    ["import os", "x = ().__class__", "notify(("],
)
def test_script_that_does_not_compile_is_refused(bundle, script):
    old = 'notify("fix_approved", to="Support")'
    files = edited(bundle, old, script)
    problems = problems_of(files)
    assert any(element == "notify_support" for element, _ in problems), problems


def test_condition_that_does_not_compile_is_refused(bundle):
    files = edited(bundle, "fix_effective == True", "fix_effective.__class__")
    problems = problems_of(files)
    assert any("condition does not compile" in message for _, message in problems)


def test_schema_errors_name_the_element(bundle):
    files = edited(
        bundle,
        '<bpmn:userTask id="close_case"',
        '<bpmn:userTask id="close_case" bogus="1"',
    )
    problems = problems_of(files)
    assert any(
        element == "close_case" and "bogus" in message for element, message in problems
    )


def test_form_that_is_not_a_schema_is_refused(bundle):
    files = {**bundle, "close_case.json": b'{"type": "object", "properties": 3}'}
    problems = problems_of(files)
    assert any(element == "close_case.json" for element, _ in problems)


@pytest.mark.parametrize(
    "document",
    [
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x "boom">]><d>&x;</d>',
        b'<!DOCTYPE d SYSTEM "http://127.0.0.1:9/evil.dtd"><d/>',
        b"<definitions><unclosed></definitions>",
        b"<html><body>not bpmn</body></html>",
    ],
)
def test_unsafe_or_foreign_xml_is_refused(bundle, document):
    files = {**bundle, BPMN: document}
    assert any(element == BPMN for element, _ in problems_of(files))


def test_oversized_xml_is_refused(bundle):
    padding = b"<!-- " + b"x" * (3 * 1024 * 1024) + b" -->"
    files = {**bundle, BPMN: bundle[BPMN] + padding}
    assert any("limit" in message for _, message in problems_of(files))


def test_service_refuses_to_start_on_a_broken_process(tmp_path, bundle):
    broken = tmp_path / "processes"
    broken.mkdir()
    (broken / BPMN).write_bytes(edited(bundle, '"P3D"', "P3D")[BPMN])
    (broken / "priority.dmn").write_bytes(bundle["priority.dmn"])
    config = {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite'}",
        "PROCESS_DIR": str(broken),
    }
    with pytest.raises(BaselineInvalid, match="client_reminder_timer.*quoted"):
        create_app(config)


def without_default(bundle, gateway, flow, condition):
    """The bundle with `gateway`'s default flow turned into `condition`."""
    files = edited(bundle, f' default="{flow}"', "")
    tag = f'<bpmn:sequenceFlow id="{flow}" '
    text = files[BPMN].decode()
    start = text.index(tag)
    end = text.index("/>", start)
    flow_xml = (
        text[start:end]
        + '><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">'
        + condition
        + "</bpmn:conditionExpression></bpmn:sequenceFlow>"
    )
    return {**files, BPMN: (text[:start] + flow_xml + text[end + 2 :]).encode()}


def test_gateway_without_default_whose_conditions_can_all_be_false_is_refused(
    bundle,
):
    files = without_default(
        bundle, "triage_outcome", "flow_triage_outcome_to_close_merge", 'outcome == "x"'
    )
    problems = dict(problems_of(files))
    assert "no default flow" in problems["triage_outcome"]
    assert "outcome = " in problems["triage_outcome"]
    # No answer the form allows is "x": that flow would never be taken either.
    assert "is false for every value" in problems["flow_triage_outcome_to_close_merge"]


def test_gateway_without_default_that_covers_every_answer_is_accepted(bundle):
    files = without_default(
        bundle,
        "client_decision",
        "flow_client_decision_to_case_resolved",
        "problem_persists == False",
    )
    definition = engine.load_definition(files, LANES)
    assert definition.process_id == "case_lifecycle"


@pytest.mark.parametrize(
    "condition, covered",
    [("approved != True", True), ("approved == 0", True), ("approved is None", False)],
)
def test_gateway_conditions_are_tried_with_the_forms_values(bundle, condition, covered):
    files = without_default(
        bundle, "review_decision", "flow_review_decision_to_research_merge", condition
    )
    if covered:
        engine.load_definition(files, LANES)
    else:
        problems = dict(problems_of(files))
        assert "approved = False" in problems["review_decision"]
        assert (
            "is false for every value"
            in problems["flow_review_decision_to_research_merge"]
        )


def test_element_no_flow_reaches_is_refused(bundle):
    files = edited(
        bundle,
        "</bpmn:process>",
        '<bpmn:userTask id="stray_task" name="Left over" /></bpmn:process>',
    )
    unreached, unshaped = sorted(problems_of(files), key=lambda p: "layout" in p[1])
    assert unreached[0] == "stray_task"
    assert "no path from the start event reaches this element" in unreached[1]
    assert unshaped == ("stray_task", "has no diagram layout (BPMNShape)")


def test_priority_table_rule_that_does_not_compile_is_refused_at_start(bundle):
    dmn = bundle["priority.dmn"].decode()
    entry = dmn.index("<outputEntry")
    text_start = dmn.index("<text>", entry) + len("<text>")
    text_end = dmn.index("</text>", text_start)
    # Plain Python, so the table parses; the restricted compiler refuses it.
    broken = dmn[:text_start] + '"Critical".__class__.__name__' + dmn[text_end:]
    problems = problems_of({**bundle, "priority.dmn": broken.encode()})
    assert {element for element, _ in problems} == {"rule_catastrophic_priority"}
    assert any("__class__" in message for _, message in problems)


def test_priority_table_output_must_be_a_plain_value(bundle):
    dmn = bundle["priority.dmn"].decode()
    computed = '"Low" if accounts_impacted != 7 else "Urgent"'
    changed = dmn.replace('<text>"Critical"</text>', f"<text>{computed}</text>", 1)
    [(element, message)] = problems_of({**bundle, "priority.dmn": changed.encode()})
    assert element == "rule_catastrophic_priority"
    assert "must be a plain value" in message


def test_gateway_condition_on_a_decided_text_is_refused(bundle):
    files = without_default(
        bundle,
        "setup_resolvable",
        "flow_setup_resolvable_to_triage_investigate",
        'priority == "Low"',
    )
    [(element, message)] = problems_of(files)
    assert element == "setup_resolvable"
    assert "resolvable_by_setup = False" in message
    assert "priority = 'Critical'" in message  # a value the priority table gives


def test_gateway_answers_come_from_the_form_just_before_it(bundle):
    files = without_default(
        bundle,
        "triage_outcome",
        "flow_triage_outcome_to_close_merge",
        'outcome == "resolved"',
    )
    definition = engine.load_definition(files, LANES)
    assert definition.process_id == "case_lifecycle"


def test_condition_reading_data_nothing_before_sets_is_refused(bundle):
    files = edited(bundle, "aggregation_related == True", "aggregation_relatd == True")
    [(element, message)] = problems_of(files)
    assert element == "is_aggregation_related"
    assert "read aggregation_relatd, which no form, script" in message


def test_condition_reading_data_of_a_removed_step_is_refused(bundle):
    root = etree.fromstring(bundle[BPMN])

    def one(path):
        return root.xpath(path, namespaces=NS)[0]

    # Take "Verify fix" out and let its incoming flow go straight on.
    incoming = one("//bpmn:sequenceFlow[@targetRef='verify_fix']")
    outgoing = one("//bpmn:sequenceFlow[@sourceRef='verify_fix']")
    incoming.set("targetRef", outgoing.get("targetRef"))
    target = one(f"//bpmn:*[@id='{outgoing.get('targetRef')}']")
    for node in target.xpath("bpmn:incoming", namespaces=NS):
        if node.text == outgoing.get("id"):
            node.text = incoming.get("id")
    for path in (
        "//bpmn:userTask[@id='verify_fix']",
        f"//bpmn:sequenceFlow[@id='{outgoing.get('id')}']",
        "//bpmn:flowNodeRef[text()='verify_fix']",
        "//bpmndi:BPMNShape[@bpmnElement='verify_fix']",
        f"//bpmndi:BPMNEdge[@bpmnElement='{outgoing.get('id')}']",
    ):
        node = one(path)
        node.getparent().remove(node)
    files = {
        **bundle,
        BPMN: etree.tostring(root, xml_declaration=True, encoding="UTF-8"),
    }

    problems = problems_of(files)

    assert "verification_result" in {element for element, _ in problems}, problems
    assert any("fix_effective" in message for _, message in problems)


def test_a_slow_gateway_condition_does_not_hold_up_the_check(bundle):
    files = without_default(
        bundle,
        "triage_outcome",
        "flow_triage_outcome_to_close_merge",
        "any(i &lt; 0 for i in range(999) for j in range(999) for k in range(999))",
    )
    # The search gives up at its first stopped try instead of waiting on each.
    definition = engine.load_definition(files, LANES)
    assert "triage_outcome" in definition.element_names


@pytest.mark.parametrize(
    "condition",
    ['priority.lower() == "low"', 'priority[0] == "L"', 'priority.startswith("L")'],
)
def test_gateway_conditions_on_a_decided_value_are_tried_with_its_values(
    bundle, condition
):
    files = without_default(
        bundle,
        "setup_resolvable",
        "flow_setup_resolvable_to_triage_investigate",
        condition,
    )
    [(element, message)] = problems_of(files)
    assert element == "setup_resolvable"
    assert "resolvable_by_setup = False" in message


def test_gateway_conditions_covering_every_decided_value_are_accepted(bundle):
    files = edited(
        without_default(
            bundle,
            "setup_resolvable",
            "flow_setup_resolvable_to_triage_investigate",
            'priority in ("Medium", "Low")',
        ),
        "resolvable_by_setup == True",
        'priority in ("Critical", "High")',
    )
    definition = engine.load_definition(files, LANES)
    assert "setup_resolvable" in definition.element_names
