"""The case page draws the case's own process for staff, marking the steps the
case has passed and the one it waits at."""

from ..paths import REPORT
from .flows import (
    MANAGER,
    become,
    element_classes,
    expect,
    open_case,
    report_as_client,
    wait_for_diagram,
    work,
)


def test_case_diagram_marks_completed_steps_and_the_current_task(page, shot):
    number = report_as_client(page, REPORT)
    work(page, number, "assess_issue", {"aggregation_related": True}, "levelone")
    become(page, "support")
    open_case(page, number)

    try:
        box = wait_for_diagram(page)
    finally:
        shot(page, "case-diagram")

    assert int(box.get_attribute("data-completed-count")) > 0
    assert box.get_attribute("data-current-count") == "1"
    expect(box).to_have_attribute("data-warnings", "0")
    for done in ("issue_reported", "assess_issue", "log_case", "prioritize"):
        assert "cp-completed" in element_classes(page, done), done
    assert "cp-current" in element_classes(page, "review_setup")
    assert "cp-completed" not in element_classes(page, "review_setup")
    for ahead in ("triage_investigate", "resolve_directly", "case_resolved"):
        classes = element_classes(page, ahead)
        assert "cp-completed" not in classes and "cp-current" not in classes, ahead
    expect(box.locator("svg").first).to_be_visible()
    expect(box).to_have_attribute(
        "aria-label",
        "Process diagram. Steps done: "
        f"{box.get_attribute('data-completed-count')}. "
        "Now at: Review account setup.",
    )
    legend = page.locator("[data-diagram-legend]")
    expect(legend).to_contain_text("done")
    expect(legend).to_contain_text("current")
    expect(page.locator("[data-status]")).to_have_text("open")


def test_manager_sees_the_diagram_of_a_case_just_reported(page):
    number = report_as_client(page, REPORT)
    become(page, MANAGER)
    open_case(page, number)

    box = wait_for_diagram(page)

    assert "cp-current" in element_classes(page, "assess_issue")
    assert "cp-completed" in element_classes(page, "issue_reported")
    expect(box).to_have_attribute("data-warnings", "0")
