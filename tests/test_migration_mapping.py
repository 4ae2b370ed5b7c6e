"""A case moves only onto elements it really is at: same id, same kind, reached
the same way; otherwise the preview says why and the move is refused."""

from models import Timer

from .steps import FIXED_BY_SUPPORT, assert_error, case_at
from .test_migration import BPMN, deployed, finish, migrate

# A non-interrupting reminder on review_setup, drawn on its lower edge.
SETUP_NUDGE = b"""
    <bpmn:boundaryEvent id="setup_nudge_timer" name="A day in review"
        cancelActivity="false" attachedToRef="review_setup">
      <bpmn:timerEventDefinition id="setup_nudge_timer_definition">
        <bpmn:timeDuration xsi:type="bpmn:tFormalExpression">"P1D"</bpmn:timeDuration>
      </bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
"""
SETUP_NUDGE_SHAPE = b"""
      <bpmndi:BPMNShape id="setup_nudge_timer_di" bpmnElement="setup_nudge_timer">
        <dc:Bounds x="962" y="662" width="36" height="36" />
      </bpmndi:BPMNShape>
"""


def with_setup_nudge(xml):
    xml = xml.replace(
        b"    </bpmn:userTask>\n", b"    </bpmn:userTask>\n" + SETUP_NUDGE, 1
    )
    shape = b'      <bpmndi:BPMNShape id="review_setup_di"'
    return xml.replace(shape, SETUP_NUDGE_SHAPE.lstrip(b"\n") + shape, 1)


def test_a_passed_step_under_a_new_id_is_not_taken_for_the_old_one(api, unchanged):
    number = case_at(api, "review_setup")
    version = deployed(api, BPMN.replace(b"log_case", b"log_escalation"))

    preview = migrate(api, number, version, dry_run=True).get_json()
    with unchanged():
        response = migrate(api, number, version)

    assert preview["movable"] is False
    assert [p["element"] for p in preview["problems"]] == ["log_case"]
    assert "has passed log_case" in preview["problems"][0]["message"]
    assert_error(response, 422, "not_movable")


def test_a_step_of_another_kind_under_the_same_id_cannot_take_the_case(api, unchanged):
    number = case_at(api, "review_setup")
    manual = BPMN.replace(
        b'<bpmn:userTask id="review_setup"', b'<bpmn:manualTask id="review_setup"'
    )
    start = manual.index(b'<bpmn:manualTask id="review_setup"')
    end = manual.index(b"</bpmn:userTask>", start)
    manual = manual[:end] + b"</bpmn:manualTask>" + manual[end + 16 :]
    version = deployed(api, manual)

    preview = migrate(api, number, version, dry_run=True).get_json()
    with unchanged():
        migrate(api, number, version)

    assert preview["movable"] is False
    message = preview["problems"][0]["message"]
    assert "waits at review_setup" in message
    assert "user task" in message and "manual task" in message


def test_a_case_waiting_where_a_boundary_timer_was_added_waits_to_move(
    api, app, unchanged
):
    waiting = case_at(api, "review_setup")
    earlier = case_at(api, "assess_issue")
    version = deployed(api, with_setup_nudge(BPMN))

    refused = migrate(api, waiting, version, dry_run=True).get_json()
    with unchanged():
        assert_error(migrate(api, waiting, version), 422, "not_movable")
    moved = migrate(api, earlier, version)

    assert refused["movable"] is False
    assert refused["problems"][0]["element"] == "review_setup"
    assert "reaches another way" in refused["problems"][0]["message"]
    assert moved.status_code == 200, moved.get_json()
    finish(api, earlier, FIXED_BY_SUPPORT[:1])
    with app.app_context():
        timers = {t.element for t in Timer.query.filter_by(state="waiting")}
    assert "setup_nudge_timer" in timers


# A third timer on answer_questions, which has two already.
THIRD_TIMER = b"""
    <bpmn:boundaryEvent id="week_without_answer_timer" name="A week"
        cancelActivity="false" attachedToRef="answer_questions">
      <bpmn:timerEventDefinition id="week_without_answer_timer_definition">
        <bpmn:timeDuration xsi:type="bpmn:tFormalExpression">"P7D"</bpmn:timeDuration>
      </bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
"""
THIRD_TIMER_SHAPE = b"""
      <bpmndi:BPMNShape id="week_without_answer_timer_di"
          bpmnElement="week_without_answer_timer">
        <dc:Bounds x="0" y="0" width="36" height="36" />
      </bpmndi:BPMNShape>
"""


def with_third_timer(xml):
    anchor = b'    <bpmn:boundaryEvent id="client_reminder_timer"'
    xml = xml.replace(anchor, THIRD_TIMER.lstrip(b"\n") + anchor, 1)
    shape = b'      <bpmndi:BPMNShape id="client_reminder_timer_di"'
    return xml.replace(shape, THIRD_TIMER_SHAPE.lstrip(b"\n") + shape, 1)


def test_a_case_waiting_where_another_timer_was_added_waits_to_move(
    api, app, unchanged
):
    waiting = case_at(api, "answer_questions")
    version = deployed(api, with_third_timer(BPMN))

    refused = migrate(api, waiting, version, dry_run=True).get_json()
    with unchanged():
        assert_error(migrate(api, waiting, version), 422, "not_movable")

    assert refused["movable"] is False
    assert refused["problems"][0]["element"] == "answer_questions"


def test_the_case_page_says_a_move_in_words(api, app):
    from .test_migration import RENAMED
    from .test_pages import Browser

    number = case_at(api, "answer_questions")
    version = deployed(api, RENAMED)
    assert migrate(api, number, version).status_code == 200
    browser = Browser(app)
    browser.sign_in("manager")

    page = browser.get(f"/cases/{number}").get_data(as_text=True)

    assert f"Moved from version 1 to version {version}" in page
    assert "client_reminder_timer: the timer keeps its due time" in page
    assert "[&#39;" not in page and "['" not in page
