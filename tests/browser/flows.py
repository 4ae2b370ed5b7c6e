"""Shared steps of the browser tests: who works what, signing in and out,
reporting in the portal, finding a task in the worklist, filling its form.

Every step goes through the pages as a person would; none calls the API.
"""

import re

try:
    from playwright.sync_api import expect
except ImportError:  # conftest skips the package (or fails it under CI)
    expect = None

from ..conftest import sample_cases
from ..paths import FIRM, OTHER_FIRM

PASSWORD = "pw"
MANAGER = "manager"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
CASE_NUMBER = re.compile(r"CP-\d{6}")

ENGINEERS = {
    "Connectivity": ("conn1", "conn2"),
    "Data": ("data1", "data2"),
    "Exports": ("exports1", "exports2"),
}
STAFF_OF = {
    "assess_issue": "levelone",
    "resolve_directly": "levelone",
    "review_setup": "support",
    "verify_fix": "support",
    "close_case": "support",
    "triage_investigate": "triage",
}
CLIENT_TASKS = ("answer_questions", "review_resolution")
TASK_NAMES = {
    "assess_issue": "Assess issue",
    "resolve_directly": "Resolve directly",
    "review_setup": "Review account setup",
    "triage_investigate": "Investigate in Triage",
    "evaluate_scope": "Evaluate scope",
    "research_fix": "Research and fix",
    "answer_questions": "Answer questions",
    "technical_review": "Technical review",
    "verify_fix": "Verify fix",
    "close_case": "Close case",
    "review_resolution": "Confirm resolution",
}
SAMPLE_FIRMS = (
    "Bluewater Family Office",
    "Cedar Lane Capital",
    "Granite Peak Advisors",
)
CLIENT_FIRMS = (FIRM, OTHER_FIRM, *SAMPLE_FIRMS)


def client_name(firm):
    """The portal user of `firm`, e.g. client-northbridge."""
    return "client-" + firm.split()[0].lower()


def sample(path):
    """The first shared sample case of resolution path `path`."""
    return next(case for case in sample_cases() if case["path"] == path)


def worker(element, firm, group=None):
    """Who works `element`: its lane's member, the firm's client, or an engineer
    of `group` (the second one reviews the first one's fix)."""
    if element in CLIENT_TASKS:
        return client_name(firm)
    if element in STAFF_OF:
        return STAFF_OF[element]
    fixer, reviewer = ENGINEERS[group]
    return reviewer if element == "technical_review" else fixer


def click_and_load(page, target):
    """Click a link or button and wait for the page it leads to."""
    with page.expect_navigation():
        target.click()


def sign_in(page, name, password=PASSWORD):
    """Sign in through the real /sign-in form."""
    page.goto("/sign-in")
    fill_sign_in(page, name, password)


def fill_sign_in(page, name, password=PASSWORD):
    """Fill in and send the sign-in form the page shows."""
    page.get_by_label("Name").fill(name)
    page.get_by_label("Password").fill(password)
    click_and_load(page, page.get_by_role("button", name="Sign in"))


def sign_out(page):
    click_and_load(page, page.get_by_role("button", name="Sign out"))
    expect(page.locator(".flash")).to_contain_text("You are signed out.")


def signed_in_as(page):
    """The name in the page header, or None when nobody is signed in."""
    who = page.locator("header .who")
    if page.url.startswith("about:") or who.count() == 0:
        return None
    return who.inner_text().split(" · ")[0].strip()


def become(page, name):
    """Sign out whoever is signed in, then sign in as `name` (unless it is them)."""
    current = signed_in_as(page)
    if current == name:
        return
    if current is None:
        page.goto("/sign-in")
    else:
        sign_out(page)  # which leads to the sign-in form
    fill_sign_in(page, name)


def main_nav(page, label):
    """Follow a link of the header's main navigation."""
    nav = page.get_by_role("navigation", name="Main")
    click_and_load(page, nav.get_by_role("link", name=label, exact=True))


def report(page, fields):
    """As a signed-in client, report `fields` in the portal; return the case number
    the page shows at once."""
    main_nav(page, "Report an issue")
    expect(page.get_by_role("heading", level=1)).to_have_text("Report an issue")
    fill_form(page, {k: v for k, v in fields.items() if k != "firm"})
    click_and_load(page, page.get_by_role("button", name="Send the report"))
    flash = page.locator(".flash")
    expect(flash).to_contain_text(re.compile(r"Your case number is CP-\d{6}\."))
    number = CASE_NUMBER.search(flash.inner_text()).group(0)
    expect(page.get_by_role("heading", level=1)).to_contain_text(number)
    expect(page.get_by_role("heading", level=1)).to_contain_text(fields["summary"])
    return number


def worklist_row(page, number, element):
    """The worklist's row of task `element` of case `number`."""
    rows = page.locator("table.list tbody tr")
    return rows.filter(has=page.get_by_role("link", name=number, exact=True)).filter(
        has=page.get_by_role("link", name=TASK_NAMES[element], exact=True)
    )


def claim_in_worklist(page, number, element):
    """Claim a task with the button on its worklist row; stay on the worklist."""
    name = TASK_NAMES[element]
    row = worklist_row(page, number, element)
    button = row.get_by_role("button", name=f"Claim {name} of {number}")
    click_and_load(page, button)
    expect(page).to_have_url(re.compile(r"/worklist"))
    expect(page.locator(".flash")).to_contain_text(
        f"You claimed {name} of case {number}"
    )
    row = worklist_row(page, number, element)
    expect(row.locator('td[data-label="Assignee"]')).to_have_text(signed_in_as(page))
    expect(row.get_by_role("button", name=f"Unclaim {name} of")).to_be_visible()


def on_task(page, number, element):
    """True when the page is the form of task `element` of case `number`."""
    if "/tasks/" not in page.url:
        return False
    heading = page.get_by_role("heading", level=1).inner_text()
    crumbs = page.locator(".crumbs").inner_text()
    return heading == TASK_NAMES[element] and number in crumbs


def open_task(page, number, element, claim=False):
    """Open a task from where the person finds it: the page the last submit led
    to, the staff worklist (claiming it there if asked) or the portal."""
    if on_task(page, number, element) and not claim:
        return
    name = TASK_NAMES[element]
    if element in CLIENT_TASKS:
        main_nav(page, "My firm's cases")
        waiting = page.locator("ul.current li").filter(has_text=number)
        click_and_load(page, waiting.get_by_role("link", name=name, exact=True))
    else:
        main_nav(page, "Worklist")
        if claim:
            claim_in_worklist(page, number, element)
        row = worklist_row(page, number, element)
        click_and_load(page, row.get_by_role("link", name=name, exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.locator(".crumbs")).to_contain_text(number)


def fill_form(page, data):
    """Answer a rendered form: radio buttons, selects, text boxes and areas, in
    `data`'s order (so a conditional field is filled once it shows)."""
    form = page.locator("form.task-form")
    for name, value in data.items():
        text = str(value).lower() if isinstance(value, bool) else str(value)
        control = form.locator(f'[name="{name}"]')
        kind = control.first.evaluate("element => element.type")
        if kind == "radio":
            form.locator(f'input[name="{name}"][value="{text}"]').check()
        elif kind.startswith("select"):
            control.select_option(text)
        else:
            control.fill(text)


def submit_task(page, number, element):
    """Press the form's Submit button; the next page says it was done."""
    name = TASK_NAMES[element]
    click_and_load(page, page.get_by_role("button", name="Submit", exact=True))
    expect(page.locator(".error-summary")).to_have_count(0)
    expect(page.locator(".flash")).to_contain_text(f"{name} done for case {number}")


def work(page, number, element, data, user, claim=False):
    """Sign in as `user`, find the task, fill its form and submit it."""
    become(page, user)
    open_task(page, number, element, claim=claim)
    fill_form(page, data)
    submit_task(page, number, element)


def drive(page, number, firm, decisions, claim=()):
    """Work each decision of a sample case in turn, each by the right person."""
    group = None
    for decision in decisions:
        element, data = decision["task"], decision["data"]
        group = data.get("engineering_group", group)
        user = worker(element, firm, group)
        work(page, number, element, data, user, claim=element in claim)


def report_as_client(page, fields):
    become(page, client_name(fields["firm"]))
    return report(page, fields)


def expect_conditional(page, name, choose):
    """Field `name` is hidden until `choose` (a locator) is picked, then shown."""
    wrapper = page.locator(f"#field-{name}")
    expect(wrapper, f"{name} shows before its condition holds").to_be_hidden()
    choose.check()
    expect(wrapper, f"{name} stays hidden once its condition holds").to_be_visible()
    expect(page.locator(f'[name="{name}"]')).to_be_enabled()


def open_case(page, number):
    page.goto(f"/cases/{number}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(number)


def expect_resolved(page, number, path):
    """A manager's case page shows the case resolved on resolution path `path`."""
    become(page, MANAGER)
    open_case(page, number)
    expect(page.locator("[data-status]")).to_have_text("resolved")
    expect(page.locator("[data-resolution-path]")).to_have_text(path)


def portal_status(page, number):
    """The Status cell of case `number` in the signed-in client's portal."""
    main_nav(page, "My firm's cases")
    rows = page.locator("table.list tbody tr")
    row = rows.filter(has=page.get_by_role("link", name=number, exact=True))
    return row.locator('td[data-label="Status"]')


def wait_for_diagram(page):
    """The case diagram once drawn; fails with its message if it could not be."""
    box = page.locator("[data-case-diagram]")
    page.wait_for_load_state("load")  # deferred scripts have run by now
    started = box.get_attribute("data-rendered")
    assert started is not None, "case-diagram.js did not run on this page"
    expect(box).to_have_attribute(
        "data-rendered", re.compile("^(true|error)$"), timeout=15_000
    )
    assert box.get_attribute("data-rendered") == "true", box.inner_text()
    return box


def element_classes(page, element_id):
    shape = page.locator(f'[data-case-diagram] g[data-element-id="{element_id}"]')
    return (shape.first.get_attribute("class") or "").split()


def horizontal_overflow(page):
    """How many CSS pixels the page is wider than the window (<= 0: none)."""
    script = "() => document.documentElement.scrollWidth - window.innerWidth"
    return page.evaluate(script)
