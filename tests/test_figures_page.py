"""The Figures page draws the JSON figures as charts a test can measure, with a
table of numbers beside each."""

import re

import pytest
import time_machine

from .paths import REPORT
from .steps import case_at
from .test_figures import HOUR, START, drive_timed_cases, figures
from .test_pages import Browser


@pytest.fixture
def timed_cases(api):
    drive_timed_cases(api)


BAR = re.compile(r"<rect [^>]*data-label=[^>]*>")
ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')


def chart_bars(page, chart_id):
    """{(data-key, data-series): (data-value, width)} of one chart's bars."""
    start = page.index(f'id="{chart_id}"')
    chart = page[start : page.index("</svg>", start)]
    bars = {}
    for tag in BAR.findall(chart):
        found = dict(ATTRIBUTE.findall(tag))
        key = (found["data-key"], found["data-series"])
        bars[key] = (float(found["data-value"]), float(found["width"]))
    return bars


def values(bars):
    return {key: value for key, (value, _) in bars.items()}


def assert_proportional(bars):
    """Every bar's width is its value times one scale (widths are rounded to
    hundredths), and the longest bar has a width."""
    value, width = max(bars.values())
    assert width > 0, bars
    for value_, width_ in bars.values():
        assert width_ == pytest.approx(value_ * width / value, abs=0.01), bars


def test_page_draws_the_json_figures_as_bars(app, api, timed_cases):
    case_at(api, "evaluate_scope", {**REPORT, "severity": "catastrophic"})
    body = figures(api)
    browser = Browser(app)
    browser.sign_in("manager")

    response = browser.get("/manage/figures")

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    priority = chart_bars(page, "chart-by-priority")
    assert values(priority) == {
        (row["priority"], "cases"): row["cases"] for row in body["by_priority"]
    }
    assert_proportional(priority)
    paths = chart_bars(page, "chart-by-path")
    assert values(paths) == {
        (row["resolution_path"], "cases"): row["cases"]
        for row in body["by_resolution_path"]
    }
    stages = chart_bars(page, "chart-stages")
    assert values(stages) == {
        (row["element"], field): row[field]
        for row in body["stages"]
        for field in ("median_seconds", "p90_seconds")
    }
    assert stages[("assess_issue", "p90_seconds")][0] == 10 * HOUR
    assert_proportional(stages)
    groups = chart_bars(page, "chart-groups")
    assert values(groups) == {
        (row["group"], field): row[field]
        for row in body["groups"]
        for field in ("open_cases", "cases_handled")
    }
    assert groups[("Support", "cases_handled")][0] == 5
    assert groups[("Engineering Data", "open_cases")][0] == 1
    reopens = chart_bars(page, "chart-reopens")
    assert reopens[("Reopened", "rate")][0] == body["reopens"]["rate"] == 0
    assert '<title id="chart-stages-title">' in page
    assert "10.0 h" in page


def test_page_shows_no_data_where_a_path_has_no_finished_case(app, api):
    case_at(api, "review_setup")
    browser = Browser(app)
    browser.sign_in("manager")

    page = browser.get("/manage/figures").get_data(as_text=True)

    times = page[page.index('id="chart-resolution-times"') :]
    assert "no data" in times[: times.index("</svg>")]
    assert chart_bars(page, "chart-resolution-times") == {}
    assert chart_bars(page, "chart-reopens") == {}


def test_page_filters_by_since_and_refuses_a_bad_date(app, api):
    with time_machine.travel(START, tick=False):
        case_at(api, "review_setup")
    browser = Browser(app)
    browser.sign_in("manager")

    later = browser.get("/manage/figures?since=2024-03-05").get_data(as_text=True)
    earlier = browser.get("/manage/figures?since=2024-03-04").get_data(as_text=True)
    refused = browser.get("/manage/figures?since=March")

    assert "0 cases" in later and "1 case<" in earlier
    assert 'value="2024-03-05"' in later
    assert refused.status_code == 400
    assert "YYYY-MM-DD" in refused.get_data(as_text=True)


def test_figures_page_is_for_managers_and_linked_from_their_nav(app):
    staff = Browser(app)
    staff.sign_in("support")
    manager = Browser(app)
    manager.sign_in("manager")

    assert staff.get("/manage/figures").status_code == 403
    assert "/manage/figures" not in staff.get("/worklist").get_data(as_text=True)
    assert 'href="/manage/figures"' in manager.get("/worklist").get_data(as_text=True)
