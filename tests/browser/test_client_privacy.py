"""A client sees its own firm's cases in plain words, never staff-only notes,
staff tasks or another firm's cases."""

import re

from ..paths import FIRM, OTHER_REPORT, REPORT
from .flows import (
    become,
    click_and_load,
    client_name,
    drive,
    expect,
    open_case,
    portal_status,
    report_as_client,
    work,
)

FINDINGS = "Internal: the lot matcher drops pre-2019 lots (see ticket DATA-4411)"


def test_client_never_sees_internal_notes_staff_tasks_or_other_firms_cases(page):
    number = report_as_client(page, REPORT)
    other = report_as_client(page, OTHER_REPORT)
    triage = {
        "outcome": "needs_engineering",
        "category": "other",
        "findings": FINDINGS,
        "engineering_group": "Data",
    }
    drive(
        page,
        number,
        FIRM,
        [
            {"task": "assess_issue", "data": {"aggregation_related": True}},
            {"task": "review_setup", "data": {"resolvable_by_setup": False}},
            {"task": "triage_investigate", "data": triage},
        ],
    )
    # Staff see the findings, and (a manager) a link to where the case waits.
    become(page, "manager")
    open_case(page, number)
    expect(page.locator("main")).to_contain_text(FINDINGS)
    waiting = page.locator("ul.current").get_by_role("link", name="Evaluate scope")
    task_url = waiting.get_attribute("href")
    assert re.fullmatch(r"/tasks/[\w-]+", task_url), task_url

    become(page, client_name(FIRM))
    expect(page.locator("main")).to_contain_text(number)
    expect(page.locator("main")).not_to_contain_text("lot matcher")
    link = page.locator("table.list").get_by_role("link", name=number, exact=True)
    click_and_load(page, link)
    expect(page.get_by_role("heading", level=1)).to_contain_text(number)
    expect(page.locator("main")).not_to_contain_text("lot matcher")
    expect(page.locator("main")).not_to_contain_text("findings")
    expect(page.locator("[data-case-diagram]")).to_have_count(0)
    expect(page.locator("ul.current")).to_have_count(0)

    response = page.goto(task_url)
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Not yours to do")
    expect(page.locator("main")).not_to_contain_text("lot matcher")

    response = page.goto(f"/cases/{number}/diagram")
    assert response.status == 403

    response = page.goto(f"/cases/{other}")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
    expect(page.locator("main")).not_to_contain_text(OTHER_REPORT["summary"])
    page.goto("/portal")
    expect(page.locator("main")).not_to_contain_text(other)


def test_client_sees_where_its_case_is_in_plain_words(page):
    number = report_as_client(page, REPORT)
    expect(page.locator("[data-status]")).to_have_text("Being assessed by Level One")
    expect(portal_status(page, number)).to_have_text("Being assessed by Level One")

    work(page, number, "assess_issue", {"aggregation_related": True}, "levelone")

    become(page, client_name(FIRM))
    expect(portal_status(page, number)).to_have_text("With Support")
    open_case(page, number)
    expect(page.locator("[data-status]")).to_have_text("With Support")
