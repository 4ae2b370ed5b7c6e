"""The managers' process map: badges of open cases on the current diagram, the
cases at a chosen activity, and the history heat map."""

import re

from ..paths import OTHER_REPORT, REPORT
from .flows import (
    MANAGER,
    PHONE,
    become,
    expect,
    horizontal_overflow,
    main_nav,
    report_as_client,
    work,
)

READ_TABLE = """() => Object.fromEntries(
  [...document.querySelectorAll("table[data-activities] tbody tr")].map((row) => [
    row.dataset.element,
    ["open", "overdue", "passed"].map(
      (name) => Number(row.querySelector(`td[data-${name}]`).dataset[name])
    ),
  ])
)"""


def activity_counts(page):
    """{element: [open, overdue, passed]} as the map page's table shows them."""
    page.goto("/manage/map")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Process map")
    return page.evaluate(READ_TABLE)


def reach(page, element, report=REPORT):
    """Report a case in the portal and work it to `element`; return its number."""
    number = report_as_client(page, report)
    work(page, number, "assess_issue", {"aggregation_related": True}, "levelone")
    if element == "triage_investigate":
        work(page, number, "review_setup", {"resolvable_by_setup": False}, "support")
    return number


def wait_for_map(page):
    """The process map once drawn; fails with its message if it could not be."""
    box = page.locator("[data-process-map]")
    page.wait_for_load_state("load")
    assert box.get_attribute("data-rendered") is not None, "process-map.js did not run"
    expect(box).to_have_attribute(
        "data-rendered", re.compile("^(true|error)$"), timeout=15_000
    )
    assert box.get_attribute("data-rendered") == "true", box.inner_text()
    return box


def test_map_counts_open_cases_lists_them_and_shows_history(page, shot):
    become(page, MANAGER)
    before = activity_counts(page)
    at_review = [reach(page, "review_setup"), reach(page, "review_setup")]
    at_triage = reach(page, "triage_investigate", OTHER_REPORT)

    become(page, MANAGER)
    main_nav(page, "Process map")
    box = wait_for_map(page)

    review = box.locator('button.cp-badge[data-element="review_setup"]')
    triage = box.locator('button.cp-badge[data-element="triage_investigate"]')
    expect(review).to_have_attribute("data-open", str(before["review_setup"][0] + 2))
    expect(review).to_have_attribute("data-overdue", str(before["review_setup"][1]))
    expect(triage).to_have_attribute(
        "data-open", str(before["triage_investigate"][0] + 1)
    )
    expect(review.locator(".cp-badge-open")).to_have_text(
        str(before["review_setup"][0] + 2)
    )
    empty = [element for element, counts in before.items() if counts[0] == 0]
    for element in empty:
        if element not in ("review_setup", "triage_investigate"):
            badge = box.locator(f'button.cp-badge[data-element="{element}"]')
            expect(badge, element).to_have_count(0)

    # By keyboard: the badge is a button; its cases are listed below the map.
    review.focus()
    page.keyboard.press("Enter")
    panel = page.locator("[data-map-cases]")
    heading = panel.get_by_role("heading", level=2)
    expect(heading).to_have_text("Open cases at Review account setup")
    expect(heading).to_be_focused()
    for number in at_review:
        link = panel.get_by_role("link", name=number, exact=True)
        expect(link).to_have_attribute("href", f"/cases/{number}")
    expect(page).to_have_url(re.compile(r"\?element=review_setup$"))
    expect(box).to_have_attribute("data-selected", "review_setup")
    shot(page, "process-map-open")

    # By mouse: clicking the activity itself.
    shape = box.locator('g.djs-element[data-element-id="triage_investigate"]')
    shape.click()
    expect(heading).to_have_text("Open cases at Investigate in Triage")
    expect(panel.get_by_role("link", name=at_triage, exact=True)).to_be_visible()
    expect(panel.locator("tr[data-case]")).to_have_count(
        before["triage_investigate"][0] + 1
    )

    page.get_by_role("button", name="History").click()
    expect(box).to_have_attribute("data-mode", "history")
    passed = box.locator('.cp-passed[data-element="assess_issue"]')
    expect(passed).to_be_visible()
    expect(passed).to_have_attribute("data-passed", str(before["assess_issue"][2] + 3))
    expect(passed).to_contain_text(f"{before['assess_issue'][2] + 3} · ")
    expect(box.locator('.cp-passed[data-element="review_setup"]')).to_have_attribute(
        "data-passed", str(before["review_setup"][2] + 1)
    )
    expect(review).to_be_hidden()
    legend = page.locator("[data-map-legend]")
    expect(legend).to_contain_text("Median time there")
    expect(legend).to_contain_text("not completed yet")
    shape_classes = box.locator('g.djs-element[data-element-id="assess_issue"]')
    expect(shape_classes).to_have_class(re.compile(r"\bcp-heat-[1-5]\b"))
    shot(page, "process-map-history")

    page.get_by_role("button", name="Open now").click()
    expect(review).to_be_visible()
    expect(passed).to_be_hidden()


def test_map_fits_a_phone(open_page, shot):
    page = open_page(PHONE)
    number = reach(page, "review_setup")
    become(page, MANAGER)

    page.goto("/manage/map?element=review_setup")
    box = wait_for_map(page)

    expect(box.locator('button.cp-badge[data-element="review_setup"]')).to_be_visible()
    expect(
        page.locator("[data-map-cases]").get_by_role("link", name=number)
    ).to_be_visible()
    assert horizontal_overflow(page) <= 0
    shot(page, "process-map-phone")
