"""On a phone-sized screen (390 x 844) the pages fit the width: no sideways
scrolling on the worklist, a task page or the report form."""

from ..paths import OTHER_FIRM, OTHER_REPORT
from .flows import (
    PHONE,
    become,
    client_name,
    expect,
    horizontal_overflow,
    main_nav,
    open_case,
    open_task,
    report_as_client,
    wait_for_diagram,
)


def test_phone_sized_worklist_and_task_page_fit_the_width(open_page, shot):
    page = open_page(PHONE)
    become(page, client_name(OTHER_FIRM))
    main_nav(page, "Report an issue")
    assert horizontal_overflow(page) <= 0, "the report form scrolls sideways"
    number = report_as_client(page, OTHER_REPORT)
    assert horizontal_overflow(page) <= 0, "the client's case page scrolls sideways"

    become(page, "levelone")
    expect(page.get_by_role("heading", level=1)).to_have_text("Worklist")
    shot(page, "phone-worklist")
    assert horizontal_overflow(page) <= 0, "the worklist scrolls sideways"

    open_task(page, number, "assess_issue")
    shot(page, "phone-task")
    assert horizontal_overflow(page) <= 0, "the task page scrolls sideways"

    open_case(page, number)
    try:
        wait_for_diagram(page)
    finally:
        shot(page, "phone-case")
    assert horizontal_overflow(page) <= 0, "the case page scrolls sideways"
