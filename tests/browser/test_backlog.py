"""The managers' backlog: cases in rank order with reasons, filters that keep each
case's rank, the CSV download, and a +1 from another firm moving a case up."""

import csv
import re

from ..paths import OTHER_FIRM, OTHER_REPORT, REPORT
from .flows import (
    MANAGER,
    PHONE,
    become,
    click_and_load,
    expect,
    horizontal_overflow,
    main_nav,
    open_case,
    report_as_client,
    work,
)

CRITICAL = {**OTHER_REPORT, "severity": "catastrophic"}
ASSESSED = {"aggregation_related": True}


def backlog_rows(page):
    """{case number: (rank, priority, reasons text)} of the backlog table shown."""
    rows = page.locator("table.list tbody tr")
    found = {}
    for index in range(rows.count()):
        row = rows.nth(index)
        number = row.locator('td[data-label="Case"] a').inner_text()
        found[number] = (
            int(row.locator('td[data-label="Rank"]').inner_text()),
            row.locator('td[data-label="Priority"]').inner_text(),
            row.locator('td[data-label="Why here"]').inner_text(),
        )
    return found


def filter_by(page, **chosen):
    for name, label in chosen.items():
        page.locator(f"select#{name}").select_option(label=label)
    click_and_load(page, page.get_by_role("button", name="Filter"))


def test_backlog_ranks_filters_and_downloads_the_open_cases(page, shot, tmp_path):
    high = report_as_client(page, REPORT)
    work(page, high, "assess_issue", ASSESSED, "levelone")
    critical = report_as_client(page, CRITICAL)
    work(page, critical, "assess_issue", ASSESSED, "levelone")

    become(page, MANAGER)
    main_nav(page, "Backlog")
    expect(page.get_by_role("heading", level=1)).to_have_text("Backlog")
    ranked = backlog_rows(page)
    shot(page, "backlog")

    assert ranked[critical][0] < ranked[high][0]
    assert ranked[critical][1] == "Critical"
    assert "priority Critical" in ranked[critical][2]
    assert "Support holds" in ranked[high][2]

    filter_by(page, firm=OTHER_FIRM)
    filtered = backlog_rows(page)
    assert critical in filtered and high not in filtered
    assert filtered[critical][0] == ranked[critical][0]  # its place overall
    expect(page.locator("select#firm")).to_have_value(OTHER_FIRM)

    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").click()
    path = tmp_path / "backlog.csv"
    download.value.save_as(path)
    with path.open(newline="", encoding="utf-8-sig") as file:
        rows = list(csv.DictReader(file))
    assert {row["case_number"] for row in rows} == set(filtered)
    assert rows[0]["rank"] == str(filtered[rows[0]["case_number"]][0])

    page.set_viewport_size(PHONE)
    assert horizontal_overflow(page) == 0


def test_a_plus_one_from_another_firm_lifts_a_case_among_its_day(page):
    first = report_as_client(page, REPORT)
    work(page, first, "assess_issue", ASSESSED, "levelone")
    second = report_as_client(page, REPORT)
    work(page, second, "assess_issue", ASSESSED, "levelone")
    become(page, MANAGER)
    main_nav(page, "Backlog")
    before = backlog_rows(page)
    assert before[first][0] < before[second][0]

    become(page, "support")
    open_case(page, second)
    page.get_by_label("Another firm has this problem").fill(OTHER_FIRM)
    click_and_load(page, page.get_by_role("button", name="Add +1"))
    expect(page.locator(".flash")).to_contain_text("+1 recorded.")
    expect(page.locator(f'[data-plus-one="{OTHER_FIRM}"]')).to_be_visible()

    become(page, MANAGER)
    main_nav(page, "Backlog")
    after = backlog_rows(page)
    assert after[second][0] < after[first][0]
    assert re.search(r"\+1 from 1 other firm", after[second][2])
