"""One sample case per short resolution path, from the client's report to the
client's confirmation, worked through the pages by the right people."""

from .flows import (
    become,
    client_name,
    drive,
    expect,
    expect_conditional,
    expect_resolved,
    fill_form,
    open_task,
    portal_status,
    report_as_client,
    sample,
    submit_task,
    work,
)


def confirm_fixed(page, number, firm, data):
    """The client finds the confirmation in the portal and says it is fixed."""
    become(page, client_name(firm))
    expect(portal_status(page, number)).to_have_text(
        "Waiting for you: please confirm the fix"
    )
    open_task(page, number, "review_resolution")
    fill_form(page, data)
    submit_task(page, number, "review_resolution")
    expect(page.locator("[data-status]")).to_have_text("Resolved")


def test_level_one_resolves_an_issue_that_is_not_about_aggregation(page, shot):
    case = sample("level_one")
    firm = case["report"]["firm"]
    number = report_as_client(page, case["report"])
    assess, resolve = case["decisions"]

    work(page, number, "assess_issue", assess["data"], "levelone")
    # Level One goes straight on to its own next task.
    expect(page.get_by_role("heading", level=1)).to_have_text("Resolve directly")
    fill_form(page, resolve["data"])
    submit_task(page, number, "resolve_directly")

    expect_resolved(page, number, "level_one")
    become(page, client_name(firm))
    expect(portal_status(page, number)).to_have_text("Resolved")
    shot(page, "portal")


def test_support_fixes_the_setup_and_the_client_confirms(page, shot):
    case = sample("support")
    firm = case["report"]["firm"]
    number = report_as_client(page, case["report"])
    assess, setup, confirm = case["decisions"]
    work(page, number, "assess_issue", assess["data"], "levelone")

    become(page, "support")
    expect(page.get_by_role("heading", level=1)).to_have_text("Worklist")
    shot(page, "worklist")
    open_task(page, number, "review_setup", claim=True)
    yes = page.get_by_role("radio", name="Yes — the setup change fixes it")
    expect_conditional(page, "setup_change", yes)
    expect(page.locator("#field-next_steps")).to_be_visible()
    fill_form(page, setup["data"])
    submit_task(page, number, "review_setup")

    confirm_fixed(page, number, firm, confirm["data"])
    expect_resolved(page, number, "support")
    become(page, client_name(firm))
    expect(portal_status(page, number)).to_have_text("Resolved")


def test_triage_fixes_a_custom_ci_export_and_the_client_confirms(page):
    case = sample("triage_ci_export")
    firm = case["report"]["firm"]
    number = report_as_client(page, case["report"])
    assess, setup, triage, close, confirm = case["decisions"]
    drive(page, number, firm, [assess, setup])

    become(page, "triage")
    open_task(page, number, "triage_investigate")
    expect(page.locator("#field-engineering_group")).to_be_hidden()
    resolved = page.get_by_role("radio", name="Resolved by Triage")
    expect_conditional(page, "next_steps", resolved)
    expect(page.locator("#field-engineering_group")).to_be_hidden()
    fill_form(page, triage["data"])
    submit_task(page, number, "triage_investigate")
    # Closing is Support's, so Triage is back at its worklist.
    expect(page.get_by_role("heading", level=1)).to_have_text("Worklist")

    work(page, number, "close_case", close["data"], "support")
    confirm_fixed(page, number, firm, confirm["data"])
    expect_resolved(page, number, "triage")
    become(page, client_name(firm))
    expect(portal_status(page, number)).to_have_text("Resolved")
