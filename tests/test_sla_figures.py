"""Service levels for managers: the backlog order they change and the figures by
priority, group and week, checked against cases driven to known stages."""

from datetime import UTC, datetime

import pytest
import time_machine

from .paths import REPORT
from .steps import FIXED_BY_SUPPORT, VALID, assert_error, engineering_route
from .test_pages import Browser

PERSISTS = {"problem_persists": True, "feedback": "Still stale."}
NOTHING = {"met": 0, "running": 0, "paused": 0, "at_risk": 0, "breached": 0}


def at(hour, minute=0, day=4):
    return datetime(2024, 3, day, hour, minute, tzinfo=UTC)


def counts(**states):
    return {**NOTHING, **states}


def backlog(api):
    response = api.get("/api/stats/backlog", "manager")
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


def complete(api, number, element, data):
    response = api.complete(number, element, data)
    assert response.status_code == 200, (element, response.get_json())


@pytest.fixture
def two_high_cases(api):
    """Two High cases, both assessed on Monday at 09:30: the older, reported at
    09:00, waited for the client from Monday 10:00 until its reopening on
    Tuesday at 10:00; the newer, reported at 09:05, has run all along."""
    assess, setup, _review = FIXED_BY_SUPPORT
    with time_machine.travel(at(9), tick=False) as clock:
        older = api.report(REPORT)
        clock.move_to(at(9, 5))
        newer = api.report(REPORT)
        clock.move_to(at(9, 30))
        complete(api, older, *assess)
        complete(api, newer, *assess)
        clock.move_to(at(10))
        complete(api, older, *setup)
        clock.move_to(at(10, day=5))
        complete(api, older, "review_resolution", PERSISTS)
        yield clock, older, newer


def test_a_case_whose_target_nears_or_passes_rises_above_older_ones(
    api, two_high_cases
):
    clock, older, newer = two_high_cases

    clock.move_to(at(12, day=5))
    calm = backlog(api)
    # Wednesday 12:30: the newer has used 19 h 25 min of its 24 h.
    clock.move_to(at(12, 30, day=6))
    at_risk = backlog(api)
    # Thursday 09:30: the newer passed its target at 09:05.
    clock.move_to(at(9, 30, day=7))
    breached = backlog(api)

    assert [row["case_number"] for row in calm] == [older, newer]
    assert [row["service_level"] for row in calm] == ["running", "running"]
    assert [row["case_number"] for row in at_risk] == [newer, older]
    # Due Thursday 09:05, 20 h 35 min of wall time away: "in 21 h".
    assert "resolution target at risk: due in 21 h" in at_risk[0]["reasons"]
    assert [row["case_number"] for row in breached] == [newer, older]
    assert [row["service_level"] for row in breached] == ["breached", "running"]
    assert "resolution target breached 25 min ago" in breached[0]["reasons"]
    assert not any("target" in reason for reason in breached[1]["reasons"])


def test_a_breached_case_does_not_pass_a_higher_priority(api, two_high_cases):
    clock, _older, newer = two_high_cases
    critical = api.report({**REPORT, "severity": "catastrophic"})
    complete(api, critical, "assess_issue", VALID["assess_issue"])

    clock.move_to(at(9, 30, day=7))
    order = [row["case_number"] for row in backlog(api)]

    assert order.index(critical) < order.index(newer)


def test_the_backlog_page_shows_each_cases_service_level(app, api, two_high_cases):
    clock, older, newer = two_high_cases
    clock.move_to(at(9, 30, day=7))
    browser = Browser(app)
    browser.sign_in("manager")

    page = browser.get("/manage/backlog").get_data(as_text=True)
    csv_lines = browser.get("/manage/backlog?format=csv").get_data(as_text=True)[1:]

    assert 'data-sla-state="breached">breached</span>' in page
    assert 'data-sla-state="running">on track</span>' in page
    header, first, second = csv_lines.strip().splitlines()
    column = header.split(",").index("service_level")
    assert first.split(",")[column] == "breached" and newer in first
    assert second.split(",")[column] == "running" and older in second


@pytest.fixture
def known_stages(api):
    """At Monday 12:00: a High case Support fixed (response and resolution met),
    a Critical case still waiting for Level One (response breached), a High case
    waiting for the client's answers (resolution paused), and a Low case of the
    week before, never assessed (response breached)."""
    with time_machine.travel(datetime(2024, 2, 26, 9, tzinfo=UTC), tick=False) as clock:
        cases = {"old": api.report({**REPORT, "severity": "minor"})}
        clock.move_to(at(9))
        cases["fixed"] = api.report(REPORT)
        cases["critical"] = api.report({**REPORT, "severity": "catastrophic"})
        cases["asking"] = api.report(REPORT)
        assess, setup, review = FIXED_BY_SUPPORT
        clock.move_to(at(10))
        complete(api, cases["fixed"], *assess)
        complete(api, cases["asking"], *assess)
        clock.move_to(at(10, 30))
        complete(api, cases["fixed"], *setup)
        for minute, (element, data) in enumerate(engineering_route("Data")[1:5]):
            clock.move_to(at(10, 31 + minute))
            complete(api, cases["asking"], element, data)
        clock.move_to(at(11, 30))
        complete(api, cases["fixed"], *review)
        clock.move_to(at(12))
        yield cases


def sla_figures(api, query=""):
    response = api.get(f"/api/stats/sla{query}", "manager")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_figures_count_each_clock_by_priority_group_and_week(api, known_stages):
    body = sla_figures(api)

    assert body["cases"] == 4
    by_priority = {row.pop("priority"): row for row in body["by_priority"]}
    assert by_priority == {
        "Critical": {"response": counts(breached=1), "resolution": counts(running=1)},
        "High": {
            "response": counts(met=2),
            "resolution": counts(met=1, paused=1),
        },
        "Medium": {"response": counts(), "resolution": counts()},
        "Low": {"response": counts(breached=1), "resolution": counts(running=1)},
    }
    by_group = {row.pop("group"): row for row in body["by_group"]}
    assert by_group == {
        "Engineering Data": {
            "response": counts(met=1),
            "resolution": counts(paused=1),
        },
        "Level One": {
            "response": counts(breached=2),
            "resolution": counts(running=2),
        },
        "Support": {"response": counts(met=1), "resolution": counts(met=1)},
    }
    assert [(row["week"], row["response"]) for row in body["by_week"]] == [
        ("2024-W09", counts(breached=1)),
        ("2024-W10", counts(met=2, breached=1)),
    ]
    assert body["targets"][0] == {
        "priority": "Critical",
        "response": 3600,
        "resolution": 8 * 3600,
    }


def test_figures_since_a_date_leave_earlier_reports_out(api, known_stages):
    body = sla_figures(api, "?since=2024-03-04")

    assert body["since"] == "2024-03-04"
    assert body["cases"] == 3
    assert [row["week"] for row in body["by_week"]] == ["2024-W10"]
    low = next(row for row in body["by_priority"] if row["priority"] == "Low")
    assert low["response"] == counts()


@pytest.mark.parametrize("since", ["04/03/2024", "2024-3-4", "2024-02-30", "soon"])
def test_a_bad_since_is_refused(api, since, unchanged):
    with unchanged():
        response = api.get(f"/api/stats/sla?since={since}", "manager")

    assert_error(response, 400, "bad_request", fields={"since": None})


@pytest.mark.parametrize("user", ["support", "levelone"])
def test_figures_are_for_managers(api, user):
    assert_error(api.get("/api/stats/sla", user), 403, "forbidden")


def test_clients_get_no_figures(api):
    client = api.client_of(REPORT["firm"])

    assert_error(api.get("/api/stats/sla", client), 403, "forbidden")
