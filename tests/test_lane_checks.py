"""A deploy is refused when a task's lane is unclear or its group cannot be known:
listed in two lanes, drawn in another lane, or an Engineering task reached
before anything chose its engineering group."""

from lxml import etree

from .paths import REPORT
from .steps import assert_error
from .test_deploy import deploy
from .test_migration import BPMN, NS, in_lane


def problems_of(response):
    assert_error(response, 422, "invalid")
    return response.get_json()["error"]["problems"]


def listed_twice(xml, element, lane_name):
    """`element` listed in the lane `lane_name` as well as its own."""
    root = etree.fromstring(xml)
    lane = root.xpath(f"//bpmn:lane[@name='{lane_name}']", namespaces=NS)[0]
    ref = etree.SubElement(lane, f"{{{NS['bpmn']}}}flowNodeRef")
    ref.text = element
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def listed_only(xml, element, lane_name):
    """`element` moved to the list of `lane_name`, its drawing left where it is."""
    root = etree.fromstring(xml)
    ref = root.xpath(f"//bpmn:flowNodeRef[text()='{element}']", namespaces=NS)[0]
    ref.getparent().remove(ref)
    lane = root.xpath(f"//bpmn:lane[@name='{lane_name}']", namespaces=NS)[0]
    lane.append(ref)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def test_a_task_listed_in_two_lanes_is_refused(api, unchanged):
    with unchanged():
        response = deploy(
            api, [("bpmn", "x.bpmn", listed_twice(BPMN, "assess_issue", "Support"))]
        )

    problems = problems_of(response)
    assert problems[0]["element"] == "assess_issue"
    assert "listed in the lanes 'Level One' and 'Support'" in problems[0]["message"]


def test_a_task_drawn_in_another_lane_than_its_own_is_refused(api, unchanged):
    with unchanged():
        response = deploy(
            api, [("bpmn", "x.bpmn", listed_only(BPMN, "assess_issue", "Support"))]
        )

    problems = problems_of(response)
    assert [p["element"] for p in problems] == ["assess_issue"]
    assert (
        "is drawn in the lane 'Level One' but belongs to the lane 'Support'"
        in problems[0]["message"]
    )


def test_a_task_moved_in_list_and_drawing_deploys(api):
    response = deploy(api, [("bpmn", "x.bpmn", in_lane(BPMN, "close_case", "Triage"))])

    assert response.status_code == 201, response.get_json()


def test_an_engineering_task_reached_before_triage_chooses_a_group_is_refused(
    api, unchanged
):
    moved = in_lane(BPMN, "review_setup", "Engineering")

    with unchanged():
        response = deploy(api, [("bpmn", "x.bpmn", moved)])

    problems = problems_of(response)
    assert [p["element"] for p in problems] == ["review_setup"]
    assert "engineering_group" in problems[0]["message"]
    assert "some path reaches it before any step sets that" in problems[0]["message"]


def test_an_engineering_task_no_group_was_chosen_for_is_every_engineers(api, app):
    # A path the deploy check cannot see: Triage's form offers the group but
    # asks for it only when the case needs engineering.
    moved = in_lane(BPMN, "close_case", "Engineering")
    assert deploy(api, [("bpmn", "x.bpmn", moved)]).status_code == 201
    number = api.report(REPORT)
    for element, data in [
        ("assess_issue", {"aggregation_related": True}),
        ("review_setup", {"resolvable_by_setup": False}),
        ("triage_investigate", {"outcome": "resolved", "next_steps": "x"}),
    ]:
        assert api.complete(number, element, data).status_code == 200

    task = api.ready_task(number, "close_case")
    listed = api.get("/api/tasks?task=close_case", "data1").get_json()["items"]
    claimed = api.post(f"/api/tasks/{task['id']}/claim", "conn1")

    assert task["group"] == "Engineering"
    assert [item["case_number"] for item in listed] == [number]
    assert claimed.status_code == 200, claimed.get_json()
    assert api.post(f"/api/tasks/{task['id']}/claim", "support").status_code == 403
