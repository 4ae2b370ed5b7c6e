"""Managers' figures: counts, times per stage and path, reopens and groups, checked
against cases driven to known stages on a clock the tests set."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from casework.figures import spread

from .paths import OTHER_REPORT, REPORT
from .steps import FIXED_BY_SUPPORT, VALID, assert_error, case_at

HOUR = 3600
START = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)
SETUP_FIX = FIXED_BY_SUPPORT[1][1]
CONFIRMED = VALID["review_resolution"]
PERSISTS = {"problem_persists": True, "feedback": "Still stale."}
LEVEL_ONE = [
    ("assess_issue", {"aggregation_related": False}),
    ("resolve_directly", {"resolution_notes": "Resent the reset email."}),
]
TRIAGE = [
    ("assess_issue", VALID["assess_issue"]),
    ("review_setup", VALID["review_setup"]),
    (
        "triage_investigate",
        {
            "outcome": "resolved",
            "category": "data_translation",
            "findings": "A translation rule was missing.",
            "next_steps": "Transactions are translated again tonight.",
        },
    ),
    ("close_case", {"resolution_summary": "Added the rule."}),
    ("review_resolution", CONFIRMED),
]
REOPENED_THEN_FIXED = [
    ("assess_issue", VALID["assess_issue"]),
    ("review_setup", SETUP_FIX),
    ("review_resolution", PERSISTS),
    ("review_setup", SETUP_FIX),
    ("review_resolution", CONFIRMED),
]


def as_case(report, steps):
    """The shape `Api.drive` takes: a report and its decisions in order."""
    return {
        "report": report,
        "decisions": [{"task": task, "data": data} for task, data in steps],
    }


def figures(api, query="", user="manager"):
    response = api.get(f"/api/stats/figures{query}", user)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def keyed(rows, key):
    return {row[key]: row for row in rows}


def drive_timed(api, traveller, report, steps):
    """Report a case, then complete each (hours, task, data) that many hours
    after the one before it; return the case number."""
    number = api.report(report)
    for hours, task, data in steps:
        traveller.shift(timedelta(hours=hours))
        response = api.complete(number, task, data)
        assert response.status_code == 200, (task, response.get_json())
    return number


def support_fix(assess_hours, setup_hours, review_hours):
    return [
        (assess_hours, "assess_issue", VALID["assess_issue"]),
        (setup_hours, "review_setup", SETUP_FIX),
        (review_hours, "review_resolution", CONFIRMED),
    ]


def drive_timed_cases(api):
    """Four cases fixed by Support, Level One taking 1, 2, 3 and 10 hours to
    assess them; Support 1 hour each; the client 2 hours each."""
    with time_machine.travel(START, tick=False) as traveller:
        for assess_hours in (1, 2, 3, 10):
            drive_timed(api, traveller, REPORT, support_fix(assess_hours, 1, 2))


@pytest.fixture
def timed_cases(api):
    drive_timed_cases(api)


@pytest.mark.parametrize(
    "seconds, median, p90",
    [
        ([], None, None),
        ([7], 7, 7),
        ([5, 1, 3], 3, 5),
        (list(range(1, 11)), 5.5, 9),  # the 9th of 10
        (list(range(1, 21)), 10.5, 18),  # the 18th of 20
        (list(range(1, 12)), 6, 10),  # ceil(9.9): the 10th of 11
    ],
)
def test_spread_is_the_median_and_the_nearest_rank_p90(seconds, median, p90):
    assert spread(seconds) == {
        "count": len(seconds),
        "median_seconds": median,
        "p90_seconds": p90,
    }


def test_counts_by_priority_and_resolution_path(api):
    api.drive(as_case(REPORT, FIXED_BY_SUPPORT))  # High
    api.drive(as_case({**REPORT, "severity": "minor"}, LEVEL_ONE))  # no priority
    api.drive(as_case({**REPORT, "severity": "limited"}, TRIAGE))  # Medium
    case_at(api, "review_setup", {**REPORT, "severity": "catastrophic"})
    case_at(api, "evaluate_scope", {**REPORT, "severity": "catastrophic"})
    case_at(api, "assess_issue")  # priority comes after the assessment

    body = figures(api)

    assert body["cases"] == 6
    assert body["by_priority"] == [
        {"priority": "Critical", "cases": 2},
        {"priority": "High", "cases": 1},
        {"priority": "Medium", "cases": 1},
        {"priority": "Low", "cases": 0},
        {"priority": None, "cases": 2},
    ]
    assert body["by_resolution_path"] == [
        {"resolution_path": "open", "cases": 3},
        {"resolution_path": "level_one", "cases": 1},
        {"resolution_path": "support", "cases": 1},
        {"resolution_path": "triage", "cases": 1},
        {"resolution_path": "engineering", "cases": 0},
    ]


def test_time_per_stage_has_exact_median_and_nearest_rank_p90(api, timed_cases):
    stages = keyed(figures(api)["stages"], "element")

    assert set(stages) == {"assess_issue", "review_setup", "review_resolution"}
    assess = stages["assess_issue"]
    assert assess["lane"] == "Level One"
    assert assess["count"] == 4
    assert assess["median_seconds"] == 2.5 * HOUR  # between 2 h and 3 h
    assert assess["p90_seconds"] == 10 * HOUR  # the 4th of 4 (ceil(3.6))
    assert stages["review_setup"]["median_seconds"] == 1 * HOUR
    assert stages["review_resolution"]["p90_seconds"] == 2 * HOUR


def test_time_per_lane_lists_every_lane_and_null_for_none_passed(api, timed_cases):
    lanes = keyed(figures(api)["lanes"], "lane")

    assert lanes["Level One"]["median_seconds"] == 2.5 * HOUR
    assert lanes["Support"] == {
        "lane": "Support",
        "count": 4,
        "median_seconds": 1 * HOUR,
        "p90_seconds": 1 * HOUR,
    }
    assert lanes["Client"]["count"] == 4
    for lane in ("Triage", "Engineering"):
        assert lanes[lane] == {
            "lane": lane,
            "count": 0,
            "median_seconds": None,
            "p90_seconds": None,
        }


def test_time_per_resolution_path_runs_from_report_to_close(api, timed_cases):
    paths = keyed(figures(api)["resolution_times"], "resolution_path")

    # Each case took its assessment hours plus 1 + 2: 4, 5, 6 and 13 hours.
    assert paths["support"]["count"] == 4
    assert paths["support"]["median_seconds"] == 5.5 * HOUR
    assert paths["support"]["p90_seconds"] == 13 * HOUR
    assert paths["engineering"]["median_seconds"] is None
    assert paths["level_one"]["count"] == 0


def test_reopen_rate_counts_cases_the_client_decided_on_or_that_finished(api):
    api.drive(as_case(REPORT, FIXED_BY_SUPPORT))
    api.drive(as_case(REPORT, REOPENED_THEN_FIXED))
    reopened_open = case_at(api, "review_resolution")
    assert api.complete(reopened_open, "review_resolution", PERSISTS).status_code == 200
    case_at(api, "review_resolution")  # the client has not decided yet
    case_at(api, "review_setup")
    closed_by_level_one = api.report(REPORT)
    done = api.complete(
        closed_by_level_one,
        "assess_issue",
        {"aggregation_related": False},
    )
    assert done.status_code == 200
    resolved = api.complete(
        closed_by_level_one, "resolve_directly", {"resolution_notes": "Explained."}
    )
    assert resolved.status_code == 200

    reopens = figures(api)["reopens"]

    assert reopens["cases"] == 3
    assert reopens["reopened"] == 2
    assert reopens["rate"] == pytest.approx(2 / 3)
    assert "review_resolution" in reopens["denominator"]


def test_reopen_rate_is_null_before_any_client_decision(api):
    case_at(api, "review_setup")

    reopens = figures(api)["reopens"]

    assert (reopens["cases"], reopens["reopened"], reopens["rate"]) == (0, 0, None)


def test_cases_per_group_open_now_and_handled(api):
    case_at(api, "review_setup")
    case_at(api, "review_setup")
    case_at(api, "evaluate_scope", group="Data")
    case_at(api, "answer_questions", group="Exports")
    api.drive(as_case(REPORT, FIXED_BY_SUPPORT))

    groups = keyed(figures(api)["groups"], "group")

    assert groups["Level One"] == {
        "group": "Level One",
        "open_cases": 0,
        "cases_handled": 5,
    }
    assert groups["Support"]["open_cases"] == 2
    assert groups["Support"]["cases_handled"] == 3
    assert groups["Engineering Data"]["open_cases"] == 1
    assert groups["Engineering Exports"] == {
        "group": "Engineering Exports",
        "open_cases": 0,
        "cases_handled": 1,
    }
    assert groups["Client"] == {"group": "Client", "open_cases": 1, "cases_handled": 1}
    assert list(groups)[0] == "Level One"


def test_since_keeps_cases_reported_on_or_after_that_day(api):
    with time_machine.travel(datetime(2024, 3, 4, 23, 59, tzinfo=UTC), tick=False):
        case_at(api, "review_setup", {**REPORT, "severity": "catastrophic"})
    with time_machine.travel(datetime(2024, 3, 5, tzinfo=UTC), tick=False):
        api.drive(as_case(OTHER_REPORT, FIXED_BY_SUPPORT))

    on_the_day = figures(api, "?since=2024-03-05")
    later = figures(api, "?since=2024-03-06")

    assert figures(api, "?since=2024-03-04")["cases"] == 2
    assert on_the_day["since"] == "2024-03-05"
    assert on_the_day["cases"] == 1
    assert keyed(on_the_day["by_priority"], "priority")["Critical"]["cases"] == 0
    assert keyed(on_the_day["by_priority"], "priority")["High"]["cases"] == 1
    assert on_the_day["reopens"]["cases"] == 1
    assert later["cases"] == 0
    assert later["stages"] == [] and later["groups"] == []
    assert all(row["median_seconds"] is None for row in later["resolution_times"])


@pytest.mark.parametrize(
    "query",
    [
        "?since=yesterday",
        "?since=2024-13-01",
        "?since=2024-3-5",
        "?since=2024-03-05T00:00",
        "?since=20240305",
    ],
)
def test_a_bad_since_is_refused(api, unchanged, query):
    with unchanged():
        response = api.get(f"/api/stats/figures{query}", "manager")
    error = assert_error(response, 400, "bad_request", fields={"since": None})
    assert "YYYY-MM-DD" in error["message"]


def test_an_unknown_parameter_is_refused(api):
    response = api.get("/api/stats/figures?from=2024-03-05", "manager")
    assert_error(response, 400, "bad_request", fields={"from": None})


def test_figures_are_for_managers_and_owners(api):
    assert figures(api, user="owner")["cases"] == 0
    assert_error(api.get("/api/stats/figures", "support"), 403, "forbidden")
    client = api.client_of(REPORT["firm"])
    assert_error(api.get("/api/stats/figures", client), 403, "forbidden")
