"""A task form refused by the server tells what is wrong next to each field,
sums it up at the top, and keeps what the person entered."""

import re

from ..paths import REPORT
from .flows import (
    become,
    click_and_load,
    expect,
    fill_form,
    open_task,
    report_as_client,
    submit_task,
)

TOO_LONG = "checked the custodian feed. " * 180  # over the form's 5000 characters


def test_refused_task_form_shows_errors_by_the_fields_and_keeps_the_input(page, shot):
    number = report_as_client(page, REPORT)
    become(page, "levelone")
    open_task(page, number, "assess_issue")
    notes = page.get_by_label("Assessment notes")
    # The browser stops typing at the limit; a pasted-in or older client does not.
    expect(notes).to_have_attribute("maxlength", "5000")
    notes.evaluate("element => element.removeAttribute('maxlength')")
    assert len(TOO_LONG) > 5000
    fill_form(
        page,
        {"severity": "limited", "accounts_impacted": 250, "assessment_notes": TOO_LONG},
    )

    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        click_and_load(page, page.get_by_role("button", name="Submit", exact=True))

    assert answer.value.status == 422
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_have_attribute("role", "alert")
    expect(summary).to_contain_text("2 problems")
    for name in ("aggregation_related", "assessment_notes"):
        error = page.locator(f"#field-{name} p.error#{name}-error")
        expect(error).to_be_visible()
        expect(error).not_to_be_empty()
    fieldset = page.locator("#field-aggregation_related fieldset")
    expect(fieldset).to_have_attribute(
        "aria-describedby", re.compile(r"\baggregation_related-error\b")
    )
    notes = page.get_by_label("Assessment notes")
    expect(notes).to_have_attribute(
        "aria-describedby", re.compile(r"\bassessment_notes-error\b")
    )
    expect(notes).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#field-accounts_impacted p.error")).to_have_count(0)
    # What the person entered is still there.
    assert notes.input_value() == TOO_LONG
    expect(page.get_by_label("Severity")).to_have_value("limited")
    expect(page.get_by_label("Accounts impacted")).to_have_value("250")
    shot(page, "task-form-errors")

    fill_form(page, {"aggregation_related": True, "assessment_notes": "Feed stale."})
    submit_task(page, number, "assess_issue")
