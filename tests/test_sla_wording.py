"""Service levels in words: a target breached or due within the minute reads
"just now" / "due now", longer spans in minutes, hours and days."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from casework import sla, sla_view
from web.filters import due_state

from .paths import REPORT
from .test_pages import Browser

CRITICAL = {**REPORT, "severity": "catastrophic"}


def at(hour, minute=0, second=0):
    return datetime(2024, 3, 4, hour, minute, second, tzinfo=UTC)


@pytest.mark.parametrize(
    "seconds, said",
    [
        (0, "just now"),
        (59, "just now"),
        (60, "1 min ago"),
        (25 * 60, "25 min ago"),
        (3 * 3600 + 10, "3 h ago"),
        (3 * 86400, "3 days ago"),
    ],
)
def test_ago_says_just_now_within_the_minute(seconds, said):
    assert sla_view.ago(seconds) == said


@pytest.mark.parametrize(
    "seconds, said",
    [(0, "now"), (59.9, "now"), (60, "in 1 min"), (20 * 3600, "in 20 h")],
)
def test_due_in_says_now_within_the_minute(seconds, said):
    assert sla_view.due_in(seconds) == said


@pytest.mark.parametrize(
    "later, said",
    [
        (timedelta(seconds=30), "due now"),
        (timedelta(minutes=5), "due in 5 min"),
        (timedelta(hours=2, minutes=5), "due in 2 h"),
        (timedelta(days=4, hours=23), "due in 5 days"),
        (timedelta(0), "overdue"),
    ],
)
def test_due_state_filter_says_due_now_within_the_minute(later, said):
    now = at(9)

    assert due_state(now + later, now) == said


def reasons(api, number):
    response = api.get("/api/stats/backlog", "manager")
    assert response.status_code == 200, response.get_json()
    row = next(r for r in response.get_json()["items"] if r["case_number"] == number)
    return row["reasons"]


def test_backlog_reasons_read_due_now_then_breached_just_now(api):
    # A Critical case's response target is one business hour: 10:00 here.
    with time_machine.travel(at(9), tick=False) as clock:
        number = api.report(CRITICAL)
        clock.move_to(at(9, 59, 30))
        due = reasons(api, number)
        clock.move_to(at(10, 0, 30))
        breached = reasons(api, number)
        clock.move_to(at(10, 25))
        later = reasons(api, number)

    assert "response target at risk: due now" in due
    assert "response target breached just now" in breached
    assert "response target breached 25 min ago" in later
    assert not any(
        "0 min" in reason or "in just" in reason for reason in due + breached
    )


def test_worklist_says_due_now_and_just_now(app, api):
    with time_machine.travel(at(9), tick=False) as clock:
        api.report(CRITICAL)
        browser = Browser(app)
        browser.sign_in("levelone")
        clock.move_to(at(9, 59, 30))
        due = browser.get("/worklist").get_data(as_text=True)
        clock.move_to(at(10, 0, 30))
        breached = browser.get("/worklist").get_data(as_text=True)

    assert '<span class="sub">due now</span>' in due
    assert '<span class="sub">just now</span>' in breached
    assert "due in just now" not in due
    assert "0 min" not in breached


def test_a_breach_notice_in_the_history_says_just_now(app, api):
    with time_machine.travel(at(9), tick=False):
        number = api.report(CRITICAL)
    with app.app_context():
        sla.check_due(at(10, 0, 20))

    history = api.case(number)["history"]

    notice = next(entry for entry in history if entry["kind"] == "sla_breached")
    assert notice["data"]["breached"] == "just now"


@pytest.mark.parametrize(
    "seconds, said",
    [
        (71 * 3600 + 59 * 60, "in 3 days"),
        (3600 + 59 * 60, "in 2 h"),
        (47 * 3600 + 40 * 60, "in 2 days"),
        (59 * 60 + 59, "in 59 min"),
    ],
)
def test_spans_over_an_hour_round_to_the_nearest_hour_or_day(seconds, said):
    assert sla_view.due_in(seconds) == said


def test_time_used_and_left_add_up_to_what_is_allowed():
    day = 8 * 3600

    assert sla_view.business_span(20, day) == "0 min"
    assert sla_view.business_span(day - 20, day) == "1 working day"
