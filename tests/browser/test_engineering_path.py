"""The full Engineering path through the pages: Triage hands the case over, an
engineer asks the client, the client answers in the portal, the other engineer
reviews the fix, Support verifies and closes, and the client confirms."""

from ..paths import OTHER_REPORT
from .flows import (
    TASK_NAMES,
    become,
    client_name,
    drive,
    element_classes,
    expect,
    expect_conditional,
    expect_resolved,
    fill_form,
    main_nav,
    open_task,
    portal_status,
    report_as_client,
    sample,
    submit_task,
    wait_for_diagram,
    work,
    worklist_row,
)


def test_engineering_fix_with_client_questions_reviewed_by_another_engineer(page, shot):
    case = sample("engineering_info")
    firm = case["report"]["firm"]
    steps = {}
    for decision in case["decisions"]:
        steps.setdefault(decision["task"], []).append(decision["data"])
    triage = steps["triage_investigate"][0]
    fixer, reviewer = "data1", "data2"
    assert triage["engineering_group"] == "Data"
    number = report_as_client(page, case["report"])
    drive(page, number, firm, case["decisions"][:2])

    become(page, "triage")
    open_task(page, number, "triage_investigate")
    expect(page.locator("#field-next_steps")).to_be_hidden()
    needs = page.get_by_role("radio", name="Needs Engineering")
    expect_conditional(page, "engineering_group", needs)
    fill_form(page, triage)
    submit_task(page, number, "triage_investigate")

    work(page, number, "evaluate_scope", steps["evaluate_scope"][0], fixer)
    # The engineer is taken straight on to the research of the same case.
    expect(page.get_by_role("heading", level=1)).to_have_text("Research and fix")
    expect(page.locator("dl.context")).to_contain_text(triage["findings"])
    ask = page.get_by_role("radio", name="Need information from the client")
    expect_conditional(page, "questions", ask)
    expect(page.locator("#field-root_cause")).to_be_hidden()
    questions, fix = steps["research_fix"]
    fill_form(page, questions)
    submit_task(page, number, "research_fix")

    become(page, client_name(firm))
    expect(portal_status(page, number)).to_have_text(
        "Waiting for you: our engineers have questions"
    )
    open_task(page, number, "answer_questions")
    expect(page.locator("dl.context")).to_contain_text(questions["questions"])
    fill_form(page, steps["answer_questions"][0])
    submit_task(page, number, "answer_questions")
    expect(page.get_by_role("heading", level=1)).to_contain_text(number)

    become(page, fixer)
    open_task(page, number, "research_fix")
    expect(page.locator("dl.context")).to_contain_text(
        steps["answer_questions"][0]["answers"]
    )
    # A second round starts from a clean form, not from the questions asked.
    expect(page.locator('input[name="outcome"]:checked')).to_have_count(0)
    fill_form(page, fix)
    submit_task(page, number, "research_fix")

    become(page, reviewer)
    open_task(page, number, "technical_review", claim=True)
    expect(page.locator("dl.context")).to_contain_text(fix["root_cause"])
    fill_form(page, steps["technical_review"][0])
    submit_task(page, number, "technical_review")

    work(page, number, "verify_fix", steps["verify_fix"][0], "support")
    # Support goes straight on to closing the case it verified.
    expect(page.get_by_role("heading", level=1)).to_have_text("Close case")
    fill_form(page, steps["close_case"][0])
    submit_task(page, number, "close_case")

    work(
        page,
        number,
        "review_resolution",
        steps["review_resolution"][0],
        client_name(firm),
    )
    expect(page.locator("[data-status]")).to_have_text("Resolved")

    expect_resolved(page, number, "engineering")
    wait_for_diagram(page)
    assert "cp-completed" in element_classes(page, "answer_questions")
    assert "cp-completed" in element_classes(page, "case_resolved")
    shot(page, "case-engineering-resolved")
    become(page, client_name(firm))
    expect(portal_status(page, number)).to_have_text("Resolved")
    shot(page, "portal-engineering-resolved")


def test_engineer_who_submitted_a_fix_is_not_offered_its_review(page):
    """The fixer's group owns the review, but the fixer may not do it: neither the
    page after submitting nor the worklist should offer it to the fixer."""
    fixer = "exports1"
    route = [
        {"task": "assess_issue", "data": {"aggregation_related": True}},
        {"task": "review_setup", "data": {"resolvable_by_setup": False}},
        {
            "task": "triage_investigate",
            "data": {"outcome": "needs_engineering", "engineering_group": "Exports"},
        },
        {"task": "evaluate_scope", "data": {"scope": "small"}},
    ]
    number = report_as_client(page, OTHER_REPORT)
    drive(page, number, OTHER_REPORT["firm"], route)
    work(
        page,
        number,
        "research_fix",
        {
            "outcome": "fix_submitted",
            "root_cause": "Old lots.",
            "fix_description": "Read all.",
        },
        fixer,
    )

    # Where the submit led: not to a review form the fixer cannot complete.
    review_form = page.get_by_role("button", name="Submit", exact=True)
    expect(review_form).to_have_count(0)
    # Nor does the worklist offer a claim that would be refused.
    main_nav(page, "Worklist")
    row = worklist_row(page, number, "technical_review")
    name = TASK_NAMES["technical_review"]
    expect(row.get_by_role("button", name=f"Claim {name} of {number}")).to_have_count(0)
