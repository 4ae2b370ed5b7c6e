"""The managers' process map: open cases and time spent per activity of the
current diagram, and the cases waiting at one activity, checked against cases
driven to known stages."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from lxml import html

from casework.process_map import duration_words

from .paths import OTHER_REPORT, REPORT
from .steps import assert_error, case_at, claim
from .test_deploy import BPMN, deploy
from .test_pages import Browser

CRITICAL = {**REPORT, "severity": "catastrophic"}
START = datetime(2024, 5, 6, 9, 0, tzinfo=UTC)


@pytest.fixture
def manager(app):
    """A browser session of the manager."""
    browser = Browser(app)
    browser.sign_in("manager")
    return browser


def map_data(browser):
    response = browser.get("/manage/map/data")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_json()


def by_element(data):
    return {activity["element"]: activity for activity in data["activities"]}


def cases_at(api, element, user="manager"):
    return api.get(f"/api/stats/activities/{element}/cases", user)


def page(browser, path):
    response = browser.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return html.fromstring(response.get_data(as_text=True))


def table_counts(document):
    """{element: (open, overdue, passed)} from the page's table of activities."""
    counts = {}
    for row in document.xpath("//table[@data-activities]/tbody/tr"):
        cells = [
            int(row.xpath(f"td/@data-{name}")[0])
            for name in ("open", "overdue", "passed")
        ]
        counts[row.get("data-element")] = tuple(cells)
    return counts


def listed_cases(document):
    return [row.get("data-case") for row in document.xpath("//tr[@data-case]")]


def test_map_counts_the_open_cases_at_each_activity(api, manager):
    at_review = [case_at(api, "review_setup"), case_at(api, "review_setup")]
    case_at(api, "evaluate_scope")
    case_at(api, "assess_issue")

    data = map_data(manager)

    figures = by_element(data)
    assert data["version"] == 1
    assert 'id="review_setup"' in data["xml"]
    assert figures["review_setup"]["open"] == len(at_review)
    assert figures["evaluate_scope"]["open"] == 1
    assert figures["assess_issue"]["open"] == 1
    assert figures["assess_issue"]["passed"] == 3
    assert figures["triage_investigate"]["passed"] == 1
    assert figures["research_fix"] == {
        **figures["research_fix"],
        "open": 0,
        "passed": 0,
        "median": None,
        "heat": 0,
    }
    assert all(activity["in_diagram"] for activity in data["activities"])
    assert figures["review_setup"]["lane"] == "Support"


def test_every_user_task_of_the_diagram_is_on_the_map(manager):
    elements = [activity["element"] for activity in map_data(manager)["activities"]]

    assert elements[0] == "assess_issue"
    assert {"review_resolution", "answer_questions", "verify_fix"} <= set(elements)
    assert "prioritize" not in elements  # a decision table, no one's task


def test_cases_at_an_activity_in_backlog_order_with_claims(api):
    high = case_at(api, "review_setup")
    critical = case_at(api, "review_setup", CRITICAL)
    elsewhere = case_at(api, "evaluate_scope", OTHER_REPORT)
    assert (
        claim(api, api.ready_task(high, "review_setup"), "support").status_code == 200
    )

    response = cases_at(api, "review_setup")

    assert response.status_code == 200
    body = response.get_json()
    rows = body["items"]
    assert [row["case_number"] for row in rows] == [critical, high]
    assert elsewhere not in {row["case_number"] for row in rows}
    assert (body["name"], body["total"], body["overdue"]) == (
        "Review account setup",
        2,
        0,
    )
    assert [row["priority"] for row in rows] == ["Critical", "High"]
    assert [row["assignee"] for row in rows] == [None, "support"]
    assert {row["firm"] for row in rows} == {REPORT["firm"]}
    assert all(row["group"] == "Support" and row["waiting_hours"] < 1 for row in rows)
    assert not any(row["overdue"] for row in rows)


# Monday 9:00 in London, where the default business calendar works 9:00-17:00.
MONDAY_OPENING = datetime(2024, 5, 6, 8, 0, tzinfo=UTC)


def test_overdue_means_the_cases_resolution_target_has_passed(api, manager):
    with time_machine.travel(MONDAY_OPENING, tick=False) as traveller:
        high = case_at(api, "review_setup")  # High: resolve in 24 business hours
        critical = case_at(api, "review_setup", CRITICAL)  # Critical: 8
        traveller.move_to(MONDAY_OPENING + timedelta(hours=5))
        manager.sign_in("manager")  # a session signed in the future is refused
        early = by_element(map_data(manager))
        traveller.move_to(MONDAY_OPENING + timedelta(hours=8, minutes=30))
        body = cases_at(api, "review_setup").get_json()
        figures = by_element(map_data(manager))
        traveller.move_to(MONDAY_OPENING + timedelta(days=3, hours=1))  # Thursday
        manager.sign_in("manager")
        later = by_element(map_data(manager))

    assert early["review_setup"]["overdue"] == 0
    overdue = {row["case_number"]: row["overdue"] for row in body["items"]}
    assert overdue == {critical: True, high: False}
    assert body["overdue"] == 1
    assert [row["waiting"] for row in body["items"]] == ["8.5 hours", "8.5 hours"]
    assert (figures["review_setup"]["open"], figures["review_setup"]["overdue"]) == (
        2,
        1,
    )
    assert later["review_setup"]["overdue"] == 2


def test_history_colours_activities_by_their_median_time(api, manager):
    with time_machine.travel(START, tick=False) as traveller:
        number = api.report(REPORT)
        traveller.move_to(START + timedelta(hours=1))
        api.complete(number, "assess_issue", {"aggregation_related": True})
        traveller.move_to(START + timedelta(hours=5))
        api.complete(number, "review_setup", {"resolvable_by_setup": False})
        manager.sign_in("manager")  # a session signed in the future is refused
        data = map_data(manager)

    figures = by_element(data)
    assert figures["assess_issue"]["median_seconds"] == 3600
    assert figures["review_setup"]["median"] == "4 hours"
    assert figures["review_setup"]["heat"] == 5  # the longest median
    assert figures["assess_issue"]["heat"] == 2  # a quarter of it
    assert figures["triage_investigate"]["heat"] == 0  # not completed yet
    labels = [step["label"] for step in data["heat_scale"]]
    assert labels == [
        "up to 48 minutes",
        "up to 1.6 hours",
        "up to 2.4 hours",
        "up to 3.2 hours",
        "up to 4 hours",
    ]


def test_page_lists_activities_and_an_activitys_cases_without_javascript(api, manager):
    at_review = {case_at(api, "review_setup"), case_at(api, "review_setup")}
    scoped = case_at(api, "evaluate_scope")

    document = page(manager, "/manage/map")
    chosen = page(manager, "/manage/map?element=review_setup")

    counts = table_counts(document)
    assert counts["review_setup"] == (2, 0, 1)  # the third case passed it
    assert counts["evaluate_scope"] == (1, 0, 0)
    assert counts["assess_issue"] == (0, 0, 3)
    links = document.xpath('//tr[@data-element="review_setup"]//a')
    assert links[0].get("href") == "/manage/map?element=review_setup#cases"
    assert listed_cases(document) == []
    assert set(listed_cases(chosen)) == at_review
    assert scoped not in listed_cases(chosen)
    for number in at_review:
        row = chosen.xpath(f'//tr[@data-case="{number}"]')[0]
        assert row.xpath(".//a")[0].get("href") == f"/cases/{number}"
        assert "unclaimed" in row.text_content()
    heading = chosen.xpath('//*[@id="cases"]/h2')[0].text_content()
    assert heading == "Open cases at Review account setup"


def test_the_list_alone_is_served_for_the_diagram(api, manager):
    number = case_at(api, "evaluate_scope")

    response = manager.get("/manage/map/activities/evaluate_scope")

    assert response.status_code == 200
    fragment = html.fromstring(response.get_data(as_text=True))
    assert listed_cases(fragment) == [number]
    assert "<html" not in response.get_data(as_text=True)


def test_an_element_without_a_task_lists_no_cases(api, manager):
    case_at(api, "review_setup")

    body = cases_at(api, "prioritize").get_json()

    assert (body["total"], body["items"], body["in_diagram"]) == (0, [], True)
    assert "No open case waits here." in manager.get(
        "/manage/map?element=prioritize"
    ).get_data(as_text=True)


def test_unknown_elements_are_not_found(api, manager, unchanged):
    with unchanged():
        assert_error(cases_at(api, "no_such_step"), 404, "not_found")
        assert manager.get("/manage/map?element=no_such_step").status_code == 404
        assert manager.get("/manage/map/activities/no_such_step").status_code == 404


@pytest.mark.parametrize("user", ["support", "levelone", "client"])
def test_the_map_is_for_managers(api, app, user, unchanged):
    case_at(api, "review_setup")
    if user == "client":
        user = api.client_of(REPORT["firm"])
    browser = Browser(app)
    browser.sign_in(user)

    with unchanged():
        assert_error(cases_at(api, "review_setup", user), 403, "forbidden")
        for path in (
            "/manage/map",
            "/manage/map?element=review_setup",
            "/manage/map/data",
            "/manage/map/activities/review_setup",
        ):
            assert browser.get(path).status_code == 403, path
    assert "Process map" not in browser.get("/").get_data(as_text=True)


def test_owners_see_the_map_and_its_link(app, api):
    case_at(api, "review_setup")
    owner = Browser(app)
    with app.app_context():
        from cli.users import add_user
        from models import db

        add_user("owner2", [], owner=True, password="owner-password")
        db.session.commit()
    owner.sign_in("owner2", "owner-password")

    start = owner.get("/worklist").get_data(as_text=True)

    assert 'href="/manage/map">Process map</a>' in start
    assert table_counts(page(owner, "/manage/map"))["review_setup"] == (1, 0, 0)
    assert cases_at(api, "review_setup", "owner").get_json()["total"] == 1


def test_cases_on_an_older_version_are_listed_with_a_note(api, manager):
    old = case_at(api, "assess_issue")
    renamed = BPMN.replace(b"assess_issue", b"assess_report").replace(
        b'value="assess_report.json"', b'value="assess_issue.json"'
    )
    response = deploy(api, [("bpmn", "case_lifecycle.bpmn", renamed)])
    assert response.status_code == 201, response.get_json()

    figures = by_element(map_data(manager))
    body = cases_at(api, "assess_issue").get_json()
    document = page(manager, "/manage/map")
    chosen = page(manager, "/manage/map?element=assess_issue")

    assert figures["assess_issue"]["in_diagram"] is False
    assert figures["assess_issue"]["open"] == 1
    assert figures["assess_report"]["in_diagram"] is True
    assert figures["assess_report"]["open"] == 0
    assert [row["case_number"] for row in body["items"]] == [old]
    assert (body["in_diagram"], body["items"][0]["version"]) == (False, 1)
    note = document.xpath('//tr[@data-element="assess_issue"]//span')[0]
    assert "not in version 2's diagram" in note.text_content()
    assert document.xpath("//*[@data-elsewhere]/@data-elsewhere")[0] == "1"
    assert listed_cases(chosen) == [old]
    assert "these cases run on older versions" in chosen.text_content()


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (0.4, "under a second"),
        (1, "1 second"),
        (45, "45 seconds"),
        (90, "1.5 minutes"),
        (3600, "1 hour"),
        (12_600, "3.5 hours"),
        (2 * 86400, "2 days"),
        (15 * 86400, "15 days"),
    ],
)
def test_durations_read_as_people_say_them(seconds, words):
    assert duration_words(seconds) == words


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(59.7, "1 minute"), (3599, "1 hour"), (86_399, "1 day"), (3000, "50 minutes")],
)
def test_durations_just_under_a_unit_read_as_that_unit(seconds, words):
    assert duration_words(seconds) == words
