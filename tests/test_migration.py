"""Process owners move open cases to a newer version where the engine can map them."""

from pathlib import Path

import pytest
from lxml import etree

from models import Timer

from .paths import REPORT
from .steps import FIXED_BY_SUPPORT, VALID, assert_error, case_at, claim
from .test_deploy import deploy

BPMN = Path("processes/case_lifecycle.bpmn").read_bytes()
NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
}
RENAMED = BPMN.replace(
    b'name="Review account setup"', b'name="Review the account setup"'
)


def without_log_case(xml):
    """The diagram with the log_case script cut out: assessment goes on to priority."""
    root = etree.fromstring(xml)

    def one(path):
        return root.xpath(path, namespaces=NS)[0]

    for path in (
        "//bpmn:scriptTask[@id='log_case']",
        "//bpmn:sequenceFlow[@id='flow_log_case_to_prioritize']",
        "//bpmn:flowNodeRef[text()='log_case']",
        "//bpmndi:BPMNShape[@bpmnElement='log_case']",
        "//bpmndi:BPMNEdge[@bpmnElement='flow_log_case_to_prioritize']",
    ):
        node = one(path)
        node.getparent().remove(node)
    one("//bpmn:sequenceFlow[@id='flow_is_aggregation_related_to_log_case']").set(
        "targetRef", "prioritize"
    )
    one(
        "//bpmn:*[@id='prioritize']/bpmn:incoming"
    ).text = "flow_is_aggregation_related_to_log_case"
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def deployed(api, xml):
    response = deploy(api, [("bpmn", "case_lifecycle.bpmn", xml)])
    assert response.status_code == 201, response.get_json()
    return response.get_json()["number"]


def migrate(api, case_number, to_version, dry_run=False, user="owner"):
    body = {"to_version": to_version, "dry_run": dry_run}
    return api.post(f"/api/cases/{case_number}/migrate", user, json=body)


def finish(api, case_number, route):
    for element, data in route:
        response = api.complete(case_number, element, data)
        assert response.status_code == 200, (element, response.get_json())


def history_elements(api, case_number):
    return [event["element"] for event in api.case(case_number)["history"]]


def test_preview_says_a_compatible_case_can_move_and_changes_nothing(api, unchanged):
    number = case_at(api, "review_setup")
    version = deployed(api, RENAMED)

    with unchanged():
        response = migrate(api, number, version, dry_run=True)

    assert response.status_code == 200, response.get_json()
    preview = response.get_json()
    assert preview["movable"] is True
    assert preview["migrated"] is False
    assert (preview["from_version"], preview["to_version"]) == (1, 2)
    assert preview["problems"] == []
    assert (
        "review_setup: set up again as the new version defines it"
        in (preview["changes"])
    )


def test_a_moved_case_keeps_its_task_and_finishes_on_the_new_version(api):
    number = case_at(api, "review_setup")
    before = api.ready_task(number, "review_setup")
    version = deployed(api, RENAMED)

    response = migrate(api, number, version)

    assert response.status_code == 200, response.get_json()
    assert response.get_json()["migrated"] is True
    assert api.case(number)["version"] == version
    task = api.ready_task(number, "review_setup")
    assert task["id"] == before["id"]
    assert task["name"] == "Review the account setup"
    assert api.case(number)["history"][-1]["kind"] == "migrated"
    finish(api, number, FIXED_BY_SUPPORT[1:])
    detail = api.case(number)
    assert (detail["status"], detail["version"]) == ("resolved", version)


def test_a_waiting_timer_keeps_its_due_time_across_the_move(api, app):
    number = case_at(api, "answer_questions")
    with app.app_context():
        due_before = {
            t.element: t.due_at for t in Timer.query.filter_by(state="waiting")
        }
    version = deployed(api, RENAMED)

    preview = migrate(api, number, version, dry_run=True).get_json()
    response = migrate(api, number, version)

    assert response.status_code == 200, response.get_json()
    assert "client_reminder_timer: the timer keeps its due time" in preview["changes"]
    with app.app_context():
        due_after = {
            t.element: t.due_at for t in Timer.query.filter_by(state="waiting")
        }
    assert due_after == due_before
    assert set(due_after) == {"client_reminder_timer", "no_answer_timer"}
    answered = api.complete(number, "answer_questions", VALID["answer_questions"])
    assert answered.status_code == 200, answered.get_json()
    assert api.ready_task(number, "research_fix")


def test_old_cases_finish_on_the_old_version_and_new_ones_take_the_new_path(api):
    old = case_at(api, "review_setup")
    version = deployed(api, without_log_case(BPMN))
    new = api.report(REPORT)

    finish(api, old, FIXED_BY_SUPPORT[1:])
    finish(api, new, FIXED_BY_SUPPORT)

    assert [api.case(n)["status"] for n in (old, new)] == ["resolved", "resolved"]
    assert api.case(old)["version"] == 1
    assert api.case(new)["version"] == version
    assert "log_case" in history_elements(api, old)
    assert "log_case" not in history_elements(api, new)
    assert "prioritize" in history_elements(api, new)


def test_a_case_that_passed_a_removed_step_cannot_move(api, unchanged):
    number = case_at(api, "review_setup")
    version = deployed(api, without_log_case(BPMN))

    preview = migrate(api, number, version, dry_run=True).get_json()
    with unchanged():
        response = migrate(api, number, version)

    assert preview["movable"] is False
    assert preview["problems"][0]["element"] == "log_case"
    assert "has passed log_case" in preview["problems"][0]["message"]
    error = assert_error(response, 422, "not_movable")
    assert error["problems"] == preview["problems"]
    assert api.case(number)["version"] == 1


def test_cases_move_forward_only(api, unchanged):
    version = deployed(api, RENAMED)
    number = api.report(REPORT)
    assert api.case(number)["version"] == version

    with unchanged():
        response = migrate(api, number, 1)

    error = assert_error(response, 422, "not_movable")
    assert "cases move forward only" in error["problems"][0]["message"]


@pytest.mark.parametrize(
    "body, status, code",
    [
        ({}, 400, "bad_request"),
        ({"to_version": "2"}, 400, "bad_request"),
        ({"to_version": 0}, 400, "bad_request"),
        ({"to_version": 99}, 404, "not_found"),
        ({"to_version": 1}, 422, "invalid"),
        ({"to_version": 2, "dry_run": "no"}, 400, "bad_request"),
        ({"to_version": 2, "dry_run": 0}, 400, "bad_request"),
    ],
    ids=[
        "no version",
        "string",
        "zero",
        "unknown",
        "same version",
        "dry run as a word",
        "dry run as a number",
    ],
)
def test_bad_migration_requests_are_refused(api, unchanged, body, status, code):
    number = case_at(api, "review_setup")
    deployed(api, RENAMED)

    with unchanged():
        response = api.post(f"/api/cases/{number}/migrate", "owner", json=body)

    assert_error(response, status, code)


@pytest.mark.parametrize("user", ["manager", "support"])
def test_only_owners_move_cases(api, unchanged, user):
    number = case_at(api, "review_setup")
    version = deployed(api, RENAMED)

    with unchanged():
        response = migrate(api, number, version, user=user)

    assert_error(response, 403, "forbidden")


def test_unknown_and_finished_cases_do_not_move(api, unchanged):
    finished = api.report(REPORT)
    finish(api, finished, FIXED_BY_SUPPORT)
    version = deployed(api, RENAMED)

    with unchanged():
        unknown = migrate(api, "CP-999999", version)
        resolved = migrate(api, finished, version)

    assert_error(unknown, 404, "not_found")
    assert "only open cases move" in assert_error(resolved, 409, "conflict")["message"]


def test_preview_lists_every_open_case_with_whether_it_can_move(api):
    passed_log_case = case_at(api, "review_setup")
    deployed(api, without_log_case(BPMN))
    on_two = api.report(REPORT)
    version = deployed(api, without_log_case(RENAMED))

    response = api.get(f"/api/versions/{version}/migrations", "owner")

    assert response.status_code == 200, response.get_json()
    rows = {row["case_number"]: row for row in response.get_json()["items"]}
    assert set(rows) == {passed_log_case, on_two}
    assert rows[passed_log_case]["movable"] is False
    assert rows[passed_log_case]["problems"][0]["element"] == "log_case"
    assert rows[on_two]["movable"] is True
    assert rows[on_two]["from_version"] == 2


def test_owner_moves_the_chosen_cases_from_the_page(api, app):
    from .test_pages import Browser

    movable = case_at(api, "review_setup")
    version = deployed(api, RENAMED)
    page = Browser(app)
    page.sign_in("owner")

    versions_page = page.get("/versions").get_data(as_text=True)
    listed = page.get(f"/versions/{version}/migrate").get_data(as_text=True)
    response = page.post(f"/versions/{version}/migrate", {"case": [movable]})

    assert f'href="/versions/{version}/migrate"' in versions_page
    assert 'href="/versions/1/migrate"' not in versions_page
    assert f'data-case="{movable}" data-movable="yes"' in listed
    assert response.status_code == 302
    assert api.case(movable)["version"] == version
    after = page.get(f"/versions/{version}/migrate").get_data(as_text=True)
    assert f"Moved to version {version}: {movable}." in after
    assert "Every open case runs on version" in after


@pytest.mark.parametrize("chosen", [[], ["not-a-case"]], ids=["none", "garbage"])
def test_page_refuses_a_move_without_proper_case_numbers(api, app, unchanged, chosen):
    from .test_pages import Browser

    case_at(api, "review_setup")
    version = deployed(api, RENAMED)
    page = Browser(app)
    page.sign_in("owner")

    with unchanged():
        response = page.post(f"/versions/{version}/migrate", {"case": chosen})

    assert response.status_code == 400


def test_managers_may_not_move_cases_from_the_page(api, app):
    from .test_pages import Browser

    version = deployed(api, RENAMED)
    page = Browser(app)
    page.sign_in("manager")

    assert page.get(f"/versions/{version}/migrate").status_code == 403


@pytest.mark.parametrize(
    "method, path",
    [
        ("post", "/api/versions/{big}/activate"),
        ("get", "/api/versions/{big}/migrations"),
    ],
)
def test_version_numbers_beyond_the_database_are_not_found(
    api, unchanged, method, path
):
    with unchanged():
        response = getattr(api, method)(path.format(big=10**20), "owner")

    assert_error(response, 404, "not_found")


def test_migration_page_of_a_version_beyond_the_database_is_not_found(app):
    from .test_pages import Browser

    page = Browser(app)
    page.sign_in("owner")

    assert page.get(f"/versions/{10**20}/migrate").status_code == 404


def in_lane(xml, element, lane_name):
    """The diagram with `element` moved into the lane named `lane_name`, in the
    lane's list and in the drawing (to the middle of the lane's height)."""
    root = etree.fromstring(xml)
    ref = root.xpath(f"//bpmn:flowNodeRef[text()='{element}']", namespaces=NS)[0]
    ref.getparent().remove(ref)
    lane = root.xpath(f"//bpmn:lane[@name='{lane_name}']", namespaces=NS)[0]
    lane.append(ref)
    lane_box = _bounds(root, lane.get("id"))
    box = _bounds(root, element)
    middle = float(lane_box.get("y")) + float(lane_box.get("height")) / 2
    box.set("y", str(middle - float(box.get("height")) / 2))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _bounds(root, element):
    path = f"//bpmndi:BPMNShape[@bpmnElement='{element}']/dc:Bounds"
    namespaces = {**NS, "dc": "http://www.omg.org/spec/DD/20100524/DC"}
    return root.xpath(path, namespaces=namespaces)[0]


def test_a_task_moved_to_another_lane_releases_a_claim_there_no_one_holds(api):
    number = case_at(api, "review_setup")
    task = api.ready_task(number, "review_setup")
    assert claim(api, task, "support").status_code == 200
    version = deployed(api, in_lane(BPMN, "review_setup", "Triage"))

    preview = migrate(api, number, version, dry_run=True).get_json()
    moved = migrate(api, number, version)

    assert (
        "review_setup: moves from Support to Triage; support's claim is released "
        "unless they work there"
    ) in preview["changes"]
    assert moved.status_code == 200, moved.get_json()
    assert moved.get_json()["changes"] == preview["changes"]
    after = api.ready_task(number, "review_setup")
    assert (after["group"], after["assignee"]) == ("Triage", None)
    assert claim(api, after, "triage").status_code == 200
    released = [e for e in api.case(number)["history"] if e["kind"] == "unclaimed"]
    assert released[-1]["data"]["was"] == "support"


def test_managers_post_to_the_migration_page_is_forbidden(api, app, unchanged):
    from .test_pages import Browser

    number = case_at(api, "review_setup")
    version = deployed(api, RENAMED)
    page = Browser(app)
    page.sign_in("manager")
    token_page = "/worklist"

    with unchanged():
        response = page.post(
            f"/versions/{version}/migrate", {"case": [number]}, token_from=token_page
        )

    assert response.status_code == 403
