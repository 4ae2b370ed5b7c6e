"""The Figures page's service levels: the same counts as /api/stats/sla, drawn
as stacked bars beside tables, for cases driven to every clock state."""

import re
from datetime import UTC, datetime

import pytest
import time_machine

from web.charts import PLOT_WIDTH

from .paths import REPORT
from .steps import FIXED_BY_SUPPORT, engineering_route
from .test_figures_page import chart_bars, values
from .test_pages import Browser

STATES = ("met", "running", "paused", "at_risk", "breached")
VIEWS = (("priority", "by_priority"), ("group", "by_group"), ("week", "by_week"))
CLOCKS = ("response", "resolution")
ROW = re.compile(r'<tr data-key="([^"]*)">(.*?)</tr>', re.S)
CELL = re.compile(r'data-series="(\w+)">(\d+)<')


def at(hour, minute=0, day=4):
    return datetime(2024, 3, day, hour, minute, tzinfo=UTC)


def complete(api, number, element, data):
    response = api.complete(number, element, data)
    assert response.status_code == 200, (element, response.get_json())


@pytest.fixture
def every_state(api):
    """At Monday 4 March 12:00, each clock state at least once:
    - a High case reported on Friday at 16:30, never assessed: response at
      risk (3 h 30 min of 4 h used), resolution running;
    - a High case Support fixed by 11:30: both clocks met;
    - a Critical case waiting for Level One since 09:00: response breached,
      resolution running (3 h of 8 h);
    - a High case waiting for the client's answers: response met, resolution
      paused."""
    with time_machine.travel(at(16, 30, day=1), tick=False) as clock:
        api.report(REPORT)
        clock.move_to(at(9))
        fixed = api.report(REPORT)
        api.report({**REPORT, "severity": "catastrophic"})
        asking = api.report(REPORT)
        assess, setup, review = FIXED_BY_SUPPORT
        clock.move_to(at(10))
        complete(api, fixed, *assess)
        complete(api, asking, *assess)
        clock.move_to(at(10, 30))
        complete(api, fixed, *setup)
        for minute, (element, data) in enumerate(engineering_route("Data")[1:5]):
            clock.move_to(at(10, 31 + minute))
            complete(api, asking, element, data)
        clock.move_to(at(11, 30))
        complete(api, fixed, *review)
        clock.move_to(at(12))
        yield


def sla_json(api, query=""):
    response = api.get(f"/api/stats/sla{query}", "manager")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def figures_page(app, query=""):
    browser = Browser(app)
    browser.sign_in("manager")
    response = browser.get(f"/manage/figures{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def expected(rows, label, clock):
    """{(data-key, state): count} of one view and clock of the JSON."""
    return {
        ("" if row[label] is None else row[label], state): row[clock][state]
        for row in rows
        for state in STATES
    }


def table_numbers(page, table_id):
    """{(data-key, state): count} read from the cells of one table."""
    start = page.index(f'id="{table_id}"')
    table = page[start : page.index("</table>", start)]
    return {
        (key, state): int(count)
        for key, cells in ROW.findall(table)
        for state, count in CELL.findall(cells)
    }


def assert_stacked(bars):
    """Each row's segments follow one another, and the longest row is full."""
    rows = {}
    for (key, _state), (value, width) in bars.items():
        total, drawn = rows.get(key, (0, 0))
        rows[key] = (total + value, drawn + width)
    longest = max(total for total, _ in rows.values())
    for total, drawn in rows.values():
        assert drawn == pytest.approx(total / longest * PLOT_WIDTH, abs=0.05), rows


@pytest.mark.parametrize("query", ["", "?since=2024-03-04"])
def test_page_draws_the_service_levels_of_the_json(app, api, every_state, query):
    body = sla_json(api, query)

    page = figures_page(app, query)

    assert 'id="service-levels-heading">Service levels</h2>' in page
    for label, field in VIEWS:
        for clock in CLOCKS:
            numbers = expected(body[field], label, clock)
            bars = chart_bars(page, f"chart-sla-{clock}-by-{label}")
            assert values(bars) == numbers, (label, clock)
            assert table_numbers(page, f"table-sla-{clock}-by-{label}") == numbers
            assert_stacked(bars)


def test_page_counts_every_state_where_the_cases_stand(app, api, every_state):
    page = figures_page(app)

    response = values(chart_bars(page, "chart-sla-response-by-priority"))
    resolution = values(chart_bars(page, "chart-sla-resolution-by-priority"))
    weeks = values(chart_bars(page, "chart-sla-response-by-week"))

    assert response[("High", "met")] == 2
    assert response[("High", "at_risk")] == 1
    assert response[("Critical", "breached")] == 1
    assert resolution[("High", "paused")] == 1
    assert resolution[("High", "met")] == 1
    assert resolution[("Critical", "running")] == 1
    assert weeks[("2024-W09", "at_risk")] == 1
    assert weeks[("2024-W10", "breached")] == 1


def test_since_leaves_earlier_reports_out_of_the_service_levels(app, api, every_state):
    page = figures_page(app, "?since=2024-03-04")

    weeks = values(chart_bars(page, "chart-sla-response-by-week"))
    priority = values(chart_bars(page, "chart-sla-response-by-priority"))

    assert {key for key, _state in weeks} == {"2024-W10"}
    assert priority[("High", "at_risk")] == 0
    assert priority[("High", "met")] == 2


def test_without_cases_the_page_says_so_instead_of_drawing_groups(app):
    page = figures_page(app)

    bars = values(chart_bars(page, "chart-sla-resolution-by-priority"))

    assert set(bars.values()) == {0}
    assert {key for key, _state in bars} == {"Critical", "High", "Medium", "Low"}
    assert 'id="chart-sla-response-by-group"' not in page
    section = page[page.index('id="service-levels-heading"') :]
    assert section.count("No cases reported in this time.") == 2
