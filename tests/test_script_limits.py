"""Deployed process code cannot hang or crash the service: time limits, refusals."""

import json
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from lxml import etree

from casework.emails import TEMPLATE_DIR
from casework.versions import LANES, read_bundle
from engine import DefinitionInvalid, budget, load_definition, timer_values
from engine.scripting import RestrictedEnvironment
from models import utcnow

from .steps import VALID, assert_error, case_at
from .test_deploy import BPMN, deploy

DMN = Path("processes/priority.dmn").read_bytes()
LOOP = b"while True:\n    pass"
# Every step is quick; together they run for minutes (999 ** 3 sums).
SLOW = b"sum(1 for a in range(999) for b in range(999) for c in range(999)) &gt; 0"
NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
}


@pytest.fixture(scope="module")
def bundle_definition():
    return load_definition(read_bundle("processes", "forms"), LANES)


@pytest.fixture(autouse=True)
def short_limit(monkeypatch):
    """A limit of a fifth of a second, so a runaway test stops quickly."""
    monkeypatch.setattr(budget, "TIME_LIMIT_SECONDS", 0.2)


def replaced(old, new, xml=BPMN):
    assert old in xml, old
    return xml.replace(old, new, 1)


def deployed(api, bpmn, *extra):
    response = deploy(api, [("bpmn", "case_lifecycle.bpmn", bpmn), *extra])
    assert response.status_code == 201, response.get_json()


def refused(api, unchanged, bpmn=BPMN, *extra):
    """The problems of a refused deploy, as {(element, message)}."""
    with unchanged():
        response = deploy(api, [("bpmn", "case_lifecycle.bpmn", bpmn), *extra])
    error = assert_error(response, 422, "invalid")
    return {(p["element"], p["message"]) for p in error["problems"]}


def assess(api, number):
    return api.complete(number, "assess_issue", VALID["assess_issue"])


# --- the time limit -------------------------------------------------------


def test_looping_script_fails_its_step_and_saves_nothing(api, unchanged):
    deployed(
        api,
        replaced(
            b'reopen_count = 0\nnotify("case_logged"', LOOP + b'\nnotify("case_logged"'
        ),
    )
    number = case_at(api, "assess_issue")

    with unchanged():
        response = assess(api, number)

    error = assert_error(response, 422, "process_error")
    assert error["message"] == "the process failed at log_case: script ran too long"
    assert api.case(number)["current_tasks"][0]["task"] == "assess_issue"


def test_slow_condition_fails_its_gateway_and_saves_nothing(api, unchanged):
    deployed(
        api,
        replaced(
            b"aggregation_related == True", b"aggregation_related == True and " + SLOW
        ),
    )
    number = case_at(api, "assess_issue")

    with unchanged():
        response = assess(api, number)

    error = assert_error(response, 422, "process_error")
    assert error["message"] == (
        "the process failed at is_aggregation_related: expression ran too long"
    )


def test_worker_parks_a_timer_whose_script_loops_and_goes_on(app, api):
    deployed(api, replaced(b'notify("client_reminder", to=contact_email)', LOOP))
    number = case_at(api, "answer_questions")

    with time_machine.travel(utcnow() + timedelta(days=3, minutes=1)):
        result = app.test_cli_runner().invoke(args=["worker", "--once"])

    assert result.exit_code == 0, result.output
    assert api.case(number)["current_tasks"][0]["task"] == "answer_questions"
    [failure] = [e for e in api.case(number)["history"] if e["kind"] == "timer_failed"]
    assert failure["element"] == "client_reminder_timer"
    assert "remind_client: script ran too long" in failure["data"]["error"]


def test_trace_is_removed_after_each_run():
    before = sys.gettrace()
    environment = RestrictedEnvironment()
    assert environment.evaluate("1 + 1", {}) == 2
    with pytest.raises(budget.ScriptTimeout, match="script ran too long"):
        environment.execute("while True:\n    pass", {})
    assert sys.gettrace() is before


# --- refused at deploy ------------------------------------------------------


@pytest.mark.parametrize(
    "script, reason",
    [
        (b"x = 9 ** 9 ** 9", "**"),
        (b"x = 2 ** 65", "**"),
        (b"x = 2 ** reopen_count", "**"),
        (b"x = 2\nx **= reopen_count", "**"),
        (b"x = (((10 ** 64) ** 64) ** 64) ** 64", "**"),
        (b"x = 10 ** 64\ny = x ** 64", "**"),
        (b"import math\nx = math.factorial(10 ** 8)", "factorial"),
        (b"x = pow(9, 99999)", "pow()"),
        (b"try:\n    x = 1\nexcept:\n    x = 2", "try statements"),
        (b"x = ValueError.mro()", "mro"),
    ],
)
def test_code_no_time_limit_can_stop_is_refused(api, unchanged, script, reason):
    old = b'notify("fix_approved", to="Support")'
    problems = refused(api, unchanged, replaced(old, script))
    [(element, message)] = problems
    assert element == "notify_support"
    assert message.startswith("script does not compile") and reason in message


def test_small_powers_are_accepted(api):
    old = b'notify("fix_approved", to="Support")'
    deployed(api, replaced(old, old + b"\nsquare = 3 ** 2\nroot = 2 ** -0.5"))


def test_huge_power_in_the_priority_table_is_refused(api, unchanged):
    dmn = DMN.replace(b"<text>-</text>", b"<text>9**9**9 &gt; 1</text>", 1)
    problems = refused(api, unchanged, BPMN, ("dmn", "priority.dmn", dmn))
    assert any(
        element == "rule_catastrophic_accounts" and "**" in message
        for element, message in problems
    ), problems


@pytest.mark.parametrize(
    "script, message",
    [
        (
            b'notify("no_such_template", to="Support")',
            "no email template no_such_template in emails/",
        ),
        (
            b'notify("../emails/fix_approved", to="Support")',
            "no email template ../emails/fix_approved in emails/",
        ),
        (
            b'name = "fix_approved"\nnotify(name, to="Support")',
            "notify needs the template name as a quoted string",
        ),
        (
            b'send = notify\nsend("fix_approved", to="Support")',
            "notify may only be called",
        ),
    ],
)
def test_notify_with_unknown_template_is_refused(api, unchanged, script, message):
    old = b'notify("fix_approved", to="Support")'
    [(element, said)] = refused(api, unchanged, replaced(old, script))
    assert element == "notify_support"
    assert message in said


def test_timer_longer_than_ten_years_is_refused(api, unchanged):
    [problem] = refused(api, unchanged, replaced(b'"P3D"', b'"P99999999D"'))
    assert problem == (
        "client_reminder_timer",
        "timer value 'P99999999D' is longer than ten years",
    )


def test_timer_beyond_the_calendar_fails_the_step_not_the_service(
    api, unchanged, monkeypatch
):
    # As a version stored before the ten-year check would.
    monkeypatch.setattr(timer_values, "MAX_TIMER_DAYS", 10**9)
    deployed(api, replaced(b'"P3D"', b'"P99999999D"'))
    number = case_at(api, "research_fix")

    with unchanged():
        response = api.complete(
            number,
            "research_fix",
            {"outcome": "needs_client_info", "questions": "Which?"},
        )

    error = assert_error(response, 422, "process_error")
    assert error["message"].startswith(
        "the process failed at client_reminder_timer: the timer cannot be set"
    )


@pytest.mark.parametrize(
    "value, refused",
    [("R3/PT1H", False), ("R/P10Y", False), ("R3/P11Y", True), ("R/P999999999Y", True)],
)
def test_cycle_longer_than_ten_years_is_refused_before_it_is_computed(value, refused):
    # SpiffWorkflow would count P999999999Y's months one by one, for hours.
    duration = b'<bpmn:timeDuration xsi:type="bpmn:tFormalExpression">"P3D"'
    cycle = f'<bpmn:timeCycle xsi:type="bpmn:tFormalExpression">"{value}"'.encode()
    bpmn = replaced(duration, cycle).replace(
        b'"</bpmn:timeDuration>', b'"</bpmn:timeCycle>', 1
    )
    files = {**read_bundle("processes", "forms"), "case_lifecycle.bpmn": bpmn}
    if not refused:
        load_definition(files, LANES)
        return
    with pytest.raises(DefinitionInvalid) as invalid:
        load_definition(files, LANES)
    [problem] = invalid.value.problems
    assert problem.element == "client_reminder_timer"
    assert problem.message == f"timer value {value!r} is longer than ten years"


def test_shipped_definition_knows_the_templates_its_scripts_send(bundle_definition):
    templates = bundle_definition.email_templates
    assert templates["fix_approved"] == ["notify_support"]
    assert templates["case_logged"] == ["log_case"]
    assert set(templates) <= {path.stem for path in TEMPLATE_DIR.glob("*.txt")}


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (
            json.dumps({"type": "object", "x": json.loads("[" * 40 + "]" * 40)}),
            "nested deeper than 32 levels",
        ),
    ],
    ids=["beyond-the-parser", "beyond-the-limit"],
)
def test_deeply_nested_form_is_refused_as_that_file(api, unchanged, content, reason):
    content = content.encode() if isinstance(content, str) else content
    problems = refused(api, unchanged, BPMN, ("form", "close_case.json", content))
    assert any(
        element == "close_case.json" and reason in message
        for element, message in problems
    ), problems


def without(xml, path):
    root = etree.fromstring(xml)
    for node in root.xpath(path, namespaces=NS):
        node.getparent().remove(node)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def test_element_without_a_shape_is_refused(api, unchanged):
    bpmn = without(BPMN, "//bpmndi:BPMNShape[@bpmnElement='log_case']")
    problems = refused(api, unchanged, bpmn)
    assert problems == {("log_case", "has no diagram layout (BPMNShape)")}


def test_flow_without_an_edge_is_refused(api, unchanged):
    bpmn = without(
        BPMN, "//bpmndi:BPMNEdge[@bpmnElement='flow_log_case_to_prioritize']"
    )
    problems = refused(api, unchanged, bpmn)
    assert problems == {
        ("flow_log_case_to_prioritize", "has no diagram layout (BPMNEdge)")
    }


def test_diagram_without_layout_names_every_element(api, unchanged):
    problems = refused(api, unchanged, without(BPMN, "//bpmndi:BPMNDiagram"))
    root = etree.fromstring(BPMN)
    tasks = {node.get("id") for node in root.xpath("//bpmn:userTask", namespaces=NS)}
    unshaped = {e for e, m in problems if m == "has no diagram layout (BPMNShape)"}
    assert tasks <= unshaped
    assert "issue_reported" in unshaped


# --- request bodies --------------------------------------------------------


def test_modeler_body_nested_too_deeply_is_a_bad_request(app, unchanged):
    from .test_versions_page import signed_in_owner

    owner = signed_in_owner(app)
    body = '{"xml": ' + "[" * 100_000 + "]" * 100_000 + "}"
    with unchanged():
        response = owner.client.post(
            "/versions/model",
            data=body,
            content_type="application/json",
            headers={"X-CSRFToken": owner.token()},
        )
    assert response.status_code == 400
    assert "the body is nested too deeply" in response.get_data(as_text=True).lower()


@pytest.mark.parametrize("depth", [40, 500, 100_000])
def test_api_body_nested_too_deeply_is_a_bad_request(api, unchanged, depth):
    number = case_at(api, "assess_issue")
    task = api.ready_task(number, "assess_issue")
    body = '{"data": {"assessment_notes": ' + "[" * depth + "]" * depth + "}}"
    with unchanged():
        response = api.post(
            f"/api/tasks/{task['id']}/complete",
            "levelone",
            data=body,
            content_type="application/json",
        )
    error = assert_error(response, 400, "bad_request")
    assert error["message"] == "the body is nested too deeply"
