"""Service-level clocks of cases driven on a clock the tests set: business time
used and left, pauses while the client has the case, at-risk and breached
states, and who sees them."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from casework.business_hours import BusinessCalendar
from casework.sla_clock import measure

from .paths import REPORT
from .steps import FIXED_BY_SUPPORT, VALID, engineering_route
from .test_pages import Browser

HOUR = 3600
MONDAY_9 = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)  # London is on GMT in early March
CRITICAL = {**REPORT, "severity": "catastrophic"}
CALENDAR = BusinessCalendar(zone=ZoneInfo("Europe/London"))
TO_QUESTIONS = engineering_route("Data")[:5]  # up to research_fix asking questions
ANSWERED = ("answer_questions", VALID["answer_questions"])


def at(hour, minute=0, day=4):
    return datetime(2024, 3, day, hour, minute, tzinfo=UTC)


def sla_of(api, number, user="manager"):
    response = api.get(f"/api/cases/{number}", user)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["sla"]


def iso(moment):
    return moment.isoformat()


@pytest.fixture
def clock():
    """The test's clock, stopped at Monday 09:00 until a test moves it."""
    with time_machine.travel(MONDAY_9, tick=False) as traveller:
        yield traveller


def complete_at(api, clock, moment, number, element, data):
    clock.move_to(moment)
    response = api.complete(number, element, data)
    assert response.status_code == 200, (element, response.get_json())


def test_response_clock_runs_until_the_first_staff_task_is_done(api, clock):
    number = api.report(REPORT)  # partial, 41 accounts: High

    clock.move_to(at(12))
    running = sla_of(api, number)
    clock.move_to(at(12, 15))
    at_risk = sla_of(api, number)
    complete_at(api, clock, at(12, 30), number, "assess_issue", VALID["assess_issue"])
    clock.move_to(at(14))
    after = sla_of(api, number)

    # Before the priority step the report's priority is provisional.
    assert (running["priority"], running["provisional_priority"]) == ("High", True)
    assert running["response"]["used_seconds"] == 3 * HOUR
    assert running["response"]["left_seconds"] == 1 * HOUR
    assert running["response"]["state"] == "running"
    assert running["response"]["due_at"] == iso(at(13))
    # 45 minutes left of 4 hours is under a fifth.
    assert at_risk["response"]["state"] == at_risk["state"] == "at_risk"
    assert (after["priority"], after["provisional_priority"]) == ("High", False)
    assert after["response"]["state"] == "met"
    assert after["response"]["used_seconds"] == 3.5 * HOUR
    assert after["response"]["stopped_at"] == iso(at(12, 30))
    assert after["resolution"]["used_seconds"] == 5 * HOUR
    assert after["resolution"]["state"] == "running"


def test_nights_and_weekends_do_not_count(api, clock):
    clock.move_to(datetime(2024, 3, 8, 16, tzinfo=UTC))  # Friday 16:00
    number = api.report(REPORT)

    clock.move_to(datetime(2024, 3, 11, 10, 30, tzinfo=UTC))  # Monday 10:30
    sla = sla_of(api, number)

    assert sla["response"]["used_seconds"] == 2.5 * HOUR
    assert sla["response"]["due_at"] == iso(datetime(2024, 3, 11, 12, tzinfo=UTC))


def test_a_passed_target_is_breached_from_the_moment_it_passed(api, clock):
    number = api.report(CRITICAL)

    clock.move_to(at(10, 30))
    sla = sla_of(api, number)

    assert sla["priority"] == "Critical"
    assert sla["state"] == "breached"
    assert sla["response"]["state"] == "breached"
    assert sla["response"]["breached_at"] == iso(at(10))
    assert sla["response"]["left_seconds"] == -0.5 * HOUR
    assert sla["response"]["due_at"] is None
    assert sla["resolution"]["state"] == "running"


def test_clocks_pause_while_the_client_answers_questions(api, clock):
    number = api.report(REPORT)
    for step, (element, data) in enumerate(TO_QUESTIONS, start=1):
        moment = MONDAY_9 + timedelta(minutes=30 * step)
        complete_at(api, clock, moment, number, element, data)
    asked = sla_of(api, number)["resolution"]  # Monday 11:30

    clock.move_to(at(11, 30, day=7))  # three days later, Thursday
    waiting = sla_of(api, number)
    complete_at(api, clock, at(11, 30, day=7), number, *ANSWERED)
    clock.move_to(at(12, 30, day=7))
    resumed = sla_of(api, number)["resolution"]

    assert asked["used_seconds"] == 2.5 * HOUR
    assert waiting["resolution"]["used_seconds"] == 2.5 * HOUR
    assert waiting["resolution"]["state"] == waiting["state"] == "paused"
    assert waiting["resolution"]["due_at"] is None
    assert waiting["response"]["state"] == "met"
    assert resumed["used_seconds"] == 3.5 * HOUR
    assert resumed["state"] == "running"
    # 20.5 hours left from Thursday 12:30: Thursday, Friday, then all of Monday.
    assert resumed["due_at"] == iso(at(17, day=11))


def test_resolution_stops_at_the_resolution_without_the_clients_review(api, clock):
    number = api.report(REPORT)
    assess, setup, review = FIXED_BY_SUPPORT

    complete_at(api, clock, at(10), number, *assess)
    complete_at(api, clock, at(12), number, *setup)
    complete_at(api, clock, at(12, day=6), number, *review)  # Wednesday
    clock.move_to(at(9, day=11))
    sla = sla_of(api, number)

    assert sla["resolution"]["state"] == "met"
    assert sla["resolution"]["used_seconds"] == 3 * HOUR
    assert sla["resolution"]["stopped_at"] == iso(at(12, day=6))
    assert sla["state"] == "met"


def test_a_case_level_one_closes_keeps_its_provisional_priority(api, clock):
    number = api.report({**REPORT, "severity": "minor"})  # Low by the table

    complete_at(
        api, clock, at(11), number, "assess_issue", {"aggregation_related": False}
    )
    sla = sla_of(api, number)

    assert (sla["priority"], sla["provisional_priority"]) == ("Low", True)
    assert sla["response"]["state"] == "met"
    assert sla["resolution"]["state"] == "running"


def test_clients_never_see_service_levels(api, clock):
    number = api.report(REPORT)
    client = api.client_of(REPORT["firm"])
    browser = Browser(api.app)
    browser.sign_in(client)

    body = api.get(f"/api/cases/{number}", client).get_json()
    page = browser.get(f"/cases/{number}").get_data(as_text=True)

    assert body["case_number"] == number
    assert "sla" not in body
    assert "Service level" not in page and "data-sla" not in page


def test_staff_see_service_levels_on_the_case_page_and_worklist(api, clock):
    number = api.report(CRITICAL)
    browser = Browser(api.app)
    browser.sign_in("levelone")

    clock.move_to(at(10, 15))
    case_page = browser.get(f"/cases/{number}").get_data(as_text=True)
    worklist = browser.get("/worklist").get_data(as_text=True)

    assert 'data-sla-clock="response" data-sla-state="breached"' in case_page
    assert 'data-sla-clock="resolution" data-sla-state="running"' in case_page
    assert "1 h 15 min" in case_page  # used, in business time
    assert "against the Critical targets" in case_page
    assert 'data-sla-state="breached">response breached' in worklist
    assert "15 minutes ago" in worklist


def test_a_running_clock_with_all_its_time_used_is_breached_at_closing():
    # Reported on Monday evening: a day's target is used up on Tuesday at 17:00.
    evening, tuesday_night = at(18, 30), at(19, day=5)

    running = measure(
        CALENDAR, "resolution", 8 * HOUR, evening, None, [], tuesday_night
    )
    stopped = measure(
        CALENDAR, "resolution", 8 * HOUR, evening, at(17, day=5), [], tuesday_night
    )

    assert running.state == "breached"
    assert running.breached_at == at(17, day=5)
    assert running.due_at is None
    assert stopped.state == "met"
    assert stopped.breached_at is None


def test_overlapping_and_open_pauses_count_once():
    pauses = [(at(10), at(12)), (at(11), at(13)), (at(15), None)]

    clock = measure(CALENDAR, "resolution", 8 * HOUR, at(9), None, pauses, at(16))

    # 09:00-10:00 and 13:00-15:00 ran; a pause holds the clock now.
    assert clock.used_seconds == 3 * HOUR
    assert clock.state == "paused"
    assert clock.due_at is None
