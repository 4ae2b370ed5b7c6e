"""The history overlay counts cases, not visits, and times a case's whole stay;
fresh data gets one colour; an activity's case list says each service level."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from .paths import REPORT
from .steps import FIX, QUESTIONS, VALID, case_at
from .test_pages import Browser
from .test_process_map import cases_at, map_data

MONDAY_NINE = datetime(2024, 5, 6, 8, 0, tzinfo=UTC)  # 9:00 in London


@pytest.fixture
def manager(app):
    browser = Browser(app)
    browser.sign_in("manager")
    return browser


def test_a_case_sent_back_counts_once_with_its_whole_time_there(api):
    with time_machine.travel(MONDAY_NINE, tick=False) as traveller:
        twice = case_at(api, "research_fix")
        traveller.shift(timedelta(hours=1))
        assert api.complete(twice, "research_fix", QUESTIONS).status_code == 200
        answers = VALID["answer_questions"]
        assert api.complete(twice, "answer_questions", answers).status_code == 200
        traveller.shift(timedelta(hours=2))
        assert api.complete(twice, "research_fix", FIX).status_code == 200
        once = case_at(api, "research_fix")
        traveller.shift(timedelta(hours=5))
        assert api.complete(once, "research_fix", FIX).status_code == 200

        items = api.get("/api/stats/activities", "manager").get_json()["items"]

    research = next(item for item in items if item["element"] == "research_fix")

    assert (research["passed"], research["completions"]) == (2, 3)
    # Three hours for the case sent back, five for the other: the median is 4 h.
    assert research["median_seconds"] == 4 * 3600


def test_fresh_data_gets_a_single_colour_step(api, manager):
    case_at(api, "review_setup")

    data = map_data(manager)

    assert [step["level"] for step in data["heat_scale"]] == [1]
    assert data["heat_scale"][0]["label"] == "up to under a second"
    assert {a["heat"] for a in data["activities"] if a["passed"]} == {1}


def test_an_activitys_case_list_says_each_cases_service_level(api):
    with time_machine.travel(MONDAY_NINE, tick=False) as traveller:
        critical = case_at(api, "review_setup", {**REPORT, "severity": "catastrophic"})
        traveller.shift(timedelta(hours=7))  # 1 h of its 8 business hours left
        rows = cases_at(api, "review_setup").get_json()["items"]

    [row] = [r for r in rows if r["case_number"] == critical]
    assert row["service_level"] == "at_risk"
    assert row["service_level_words"] == "resolution at risk: due in 1 h"
    assert row["overdue"] is False
