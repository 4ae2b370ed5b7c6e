"""A case moves only onto elements it really is at: same id, same kind, reached
the same way; otherwise the preview says why and the move is refused."""

from models import Timer

from .steps import FIXED_BY_SUPPORT, assert_error, case_at
from .test_migration import BPMN, deployed, finish, migrate


def with_timer(xml, timer, task, duration, x, y):
    """The diagram with a non-interrupting timer `timer` on `task`, drawn at x, y."""
    event = (
        f'<bpmn:boundaryEvent id="{timer}" cancelActivity="false" '
        f'attachedToRef="{task}"><bpmn:timerEventDefinition id="{timer}_definition">'
        f'<bpmn:timeDuration xsi:type="bpmn:tFormalExpression">"{duration}"'
        "</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>\n"
    ).encode()
    shape = (
        f'<bpmndi:BPMNShape id="{timer}_di" bpmnElement="{timer}">'
        f'<dc:Bounds x="{x}" y="{y}" width="36" height="36" /></bpmndi:BPMNShape>\n'
    ).encode()
    flows = b"    <bpmn:sequenceFlow "
    drawing = b"      <bpmndi:BPMNShape "
    xml = xml.replace(flows, event + flows, 1)
    return xml.replace(drawing, shape + drawing, 1)


def with_setup_nudge(xml):
    # A day in review, on review_setup's lower edge.
    return with_timer(xml, "setup_nudge_timer", "review_setup", "P1D", 962, 662)


def with_third_timer(xml):
    # A week without an answer, beside the two timers answer_questions has.
    return with_timer(xml, "week_without_answer_timer", "answer_questions", "P7D", 0, 0)


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
