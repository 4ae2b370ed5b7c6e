"""A process owner edits the diagram in bpmn-js's modeler and saves it as a new
version; a diagram the checks refuse comes back with its problems, edits kept."""

import re
from pathlib import Path

from .flows import become, click_and_load, expect, main_nav

OWNER = "owner"
RENAME = """([id, name]) => {
  const modeler = window.casepathModeler;
  const task = modeler.get("elementRegistry").get(id);
  modeler.get("modeling").updateLabel(task, name);
  return task.businessObject.name;
}"""
DROP_FORM = """(id) => {
  // The form is a spiffworkflow:property inside spiffworkflow:properties, which
  // bpmn-js keeps as generic elements; take the form's property out.
  const modeler = window.casepathModeler;
  const task = modeler.get("elementRegistry").get(id);
  const holder = task.businessObject.extensionElements.values.find(
    (value) => value.$type === "spiffworkflow:properties"
  );
  const kept = holder.$children.filter(
    (property) => property.name !== "formJsonSchemaFilename"
  );
  modeler.get("modeling").updateModdleProperties(task, holder, { $children: kept });
  return holder.$children.map((property) => property.name);
}"""
NAME_OF = """(id) => {
  const element = window.casepathModeler.get("elementRegistry").get(id);
  return element ? element.businessObject.name : null;
}"""


def current_version(page):
    """The number of the version the versions page marks current."""
    row = page.locator("tr[data-current]")
    expect(row.locator(".current-mark")).to_have_text("current")
    return int(row.get_attribute("data-version"))


def open_modeler(page):
    main_nav(page, "Versions")
    expect(page.get_by_role("heading", level=1)).to_have_text("Process versions")
    number = current_version(page)
    link = page.get_by_role("link", name="Edit the diagram in the modeler")
    click_and_load(page, link)
    box = page.locator("[data-modeler]")
    expect(box).to_have_attribute("data-ready", re.compile("^(true|error)$"))
    assert box.get_attribute("data-ready") == "true", box.inner_text()
    expect(box).to_have_attribute("data-warnings", "0")
    expect(page.locator("[data-base-version]")).to_have_text(str(number))
    return number


def stored_numbers(page):
    """Every version number the versions page lists, read without leaving."""
    listing = page.request.get("/versions").text()
    return re.findall(r'<tr data-version="(\d+)"', listing)


def make_current(page, number):
    """Make version `number` current again on the versions page."""
    page.goto("/versions")
    button = page.get_by_role("button", name=f"Make version {number} current")
    if button.count():
        click_and_load(page, button)
        expect(page.locator(".flash")).to_contain_text(
            f"Version {number} is now current"
        )
    assert current_version(page) == number


def test_owner_renames_a_task_in_the_modeler_and_saves_a_new_version(page, shot):
    become(page, OWNER)
    before = open_modeler(page)
    try:
        renamed = page.evaluate(RENAME, ["close_case", "Close the case for good"])
        assert renamed == "Close the case for good"
        page.get_by_label("Note").fill("Clearer close step")
        page.get_by_role("button", name="Save as new version").click()

        status = page.locator("[data-modeler-status]")
        expect(status).to_have_text(
            f"Saved as version {before + 1}. New cases start on it."
        )
        shot(page, "modeler-saved")
        expect(page.locator("[data-modeler]")).to_have_attribute(
            "data-saved-version", str(before + 1)
        )
        expect(page.locator("[data-modeler-problems]")).to_be_hidden()
        expect(page.locator("[data-base-version]")).to_have_text(str(before + 1))

        main_nav(page, "Versions")
        assert current_version(page) == before + 1
        row = page.locator(f'tr[data-version="{before + 1}"]')
        expect(row).to_contain_text("Clearer close step")
        expect(row).to_contain_text(OWNER)
        shot(page, "versions-after-save")
        link = row.get_by_role("link", name="case_lifecycle.bpmn")
        stored = page.request.get(link.get_attribute("href"))
        assert stored.ok
        xml = stored.text()
        assert 'id="close_case" name="Close the case for good"' in xml
        assert 'value="close_case.json"' in xml  # the form stays attached
    finally:
        make_current(page, before)


def test_refused_diagram_lists_problems_and_keeps_the_edits(page, shot):
    become(page, OWNER)
    before = open_modeler(page)
    numbers = stored_numbers(page)
    try:
        page.evaluate(RENAME, ["assess_issue", "Assess the report"])
        left = page.evaluate(DROP_FORM, "verify_fix")
        assert "formJsonSchemaFilename" not in left

        page.get_by_role("button", name="Save as new version").click()

        problems = page.locator("[data-modeler-problems]")
        expect(problems).to_be_visible()
        item = problems.locator('li[data-element="verify_fix"]')
        expect(item).to_contain_text("user task has no form")
        expect(page.locator("[data-modeler-status]")).to_contain_text("Not saved")
        shot(page, "modeler-refused")
        assert page.evaluate(NAME_OF, "assess_issue") == "Assess the report"
        shape = page.locator(
            '[data-modeler] g.djs-element[data-element-id="verify_fix"]'
        )
        assert "cp-problem" in (shape.first.get_attribute("class") or "").split()
        item.get_by_role("button", name="Show in the diagram").click()
        selected = page.evaluate(
            "() => window.casepathModeler.get('selection').get().map((e) => e.id)"
        )
        assert selected == ["verify_fix"]

        assert stored_numbers(page) == numbers
        listing = page.request.get("/versions").text()
        assert f'<tr data-version="{before}" data-current>' in listing
    finally:
        make_current(page, before)


def test_owner_edits_a_form_as_text_and_a_refusal_keeps_the_text(page, shot):
    become(page, OWNER)
    main_nav(page, "Versions")
    before = current_version(page)
    numbers = stored_numbers(page)
    try:
        click_and_load(page, page.get_by_role("link", name="Edit close_case.json"))
        box = page.get_by_label("close_case.json")
        original = box.input_value()
        broken = original.replace('"type": "object"', '"type": "thing"', 1)
        box.fill(broken)
        page.get_by_label("Note").fill("Try a new type")
        click_and_load(page, page.get_by_role("button", name="Save as new version"))

        expect(
            page.locator('[data-problems] li[data-element="close_case.json"]')
        ).to_contain_text("not a valid JSON Schema")
        shot(page, "edit-file-refused")
        assert page.get_by_label("close_case.json").input_value() == broken
        assert page.get_by_label("Note").input_value() == "Try a new type"
        assert stored_numbers(page) == numbers

        fixed = original.replace('"title": "Close case"', '"title": "Close the case"')
        page.get_by_label("close_case.json").fill(fixed)
        click_and_load(page, page.get_by_role("button", name="Save as new version"))

        expect(page.locator(".flash")).to_contain_text("is deployed and current")
        saved = current_version(page)
        assert saved > before
        shot(page, "versions-after-edit")
        link = page.locator(f'tr[data-version="{saved}"]').get_by_role(
            "link", name="close_case.json"
        )
        assert page.request.get(link.get_attribute("href")).text() == fixed
    finally:
        make_current(page, before)


def test_refused_upload_shows_its_problems_beside_the_form(page, shot, tmp_path):
    broken = tmp_path / "case_lifecycle.bpmn"
    source = Path("processes/case_lifecycle.bpmn").read_text()
    broken.write_text(source.replace('"P14D"', "P14D"))
    become(page, OWNER)
    main_nav(page, "Versions")
    numbers = stored_numbers(page)

    page.get_by_label("Diagram (.bpmn)").set_input_files(str(broken))
    page.get_by_label("Note").fill("Timer without quotes")
    click_and_load(page, page.get_by_role("button", name="Deploy"))

    problems = page.locator("[data-problems]")
    expect(problems).to_contain_text("The version was refused. Nothing was deployed.")
    expect(problems.locator('li[data-element="no_answer_timer"]')).to_contain_text(
        "quoted ISO 8601"
    )
    expect(page.get_by_label("Note")).to_have_value("Timer without quotes")
    shot(page, "versions-upload-refused")
    assert stored_numbers(page) == numbers


ADD_STEP = """(name) => {
  // A new user task after "Close case", in its lane, on the way to what followed.
  const modeler = window.casepathModeler;
  const registry = modeler.get("elementRegistry");
  const modeling = modeler.get("modeling");
  const close = registry.get("close_case");
  const out = close.outgoing[0];
  const next = out.target;
  modeling.removeConnection(out);
  const added = modeling.appendShape(
    close,
    { type: "bpmn:UserTask" },
    { x: close.x + close.width / 2 + 40, y: close.y + close.height / 2 + 10 },
    close.parent
  );
  modeling.connect(added, next);
  modeling.updateLabel(added, name);
  modeler.get("selection").select(added);
  return added.id;
}"""


def test_owner_adds_a_task_and_gives_it_a_form_in_the_step_panel(page, shot):
    become(page, OWNER)
    before = open_modeler(page)
    try:
        added = page.evaluate(ADD_STEP, "Double-check the closure")
        panel = page.locator("[data-step-panel]")
        expect(panel).to_be_visible()
        expect(panel.locator("[data-step-name]")).to_have_text(
            "Double-check the closure"
        )
        page.get_by_label("Form people fill in").select_option("close_case.json")
        page.get_by_label("Instructions").fill("Read the closing note again.")
        page.get_by_label("Instructions").blur()
        shot(page, "modeler-step-panel")
        page.get_by_role("button", name="Save as new version").click()

        status = page.locator("[data-modeler-status]")
        expect(status).to_have_text(re.compile(r"^Saved as version \d+\."))
        saved = int(re.search(r"version (\d+)", status.inner_text()).group(1))
        stored = page.request.get(f"/versions/{saved}/files/case_lifecycle.bpmn").text()
        task = stored[stored.index(f'id="{added}"') :]
        task = task[: task.index("</bpmn:userTask>")]
        assert 'name="formJsonSchemaFilename" value="close_case.json"' in task
        assert "Read the closing note again." in task
    finally:
        make_current(page, before)


def test_a_save_over_a_version_deployed_meanwhile_needs_a_second_press(open_page):
    page, other = open_page(), open_page()
    become(page, OWNER)
    before = open_modeler(page)
    try:
        become(other, OWNER)
        open_modeler(other)
        other.evaluate(RENAME, ["verify_fix", "Verify the fix"])
        other.get_by_role("button", name="Save as new version").click()
        expect(other.locator("[data-modeler-status]")).to_contain_text("Saved as")
        meanwhile = int(stored_numbers(page)[0])

        page.evaluate(RENAME, ["close_case", "Close the case"])
        save = page.get_by_role("button", name="Save as new version")
        save.click()
        status = page.locator("[data-modeler-status]")
        expect(status).to_contain_text(
            f"version {meanwhile} (deployed by owner) is current now, not version "
            f"{before} that you opened"
        )
        assert int(stored_numbers(page)[0]) == meanwhile
        assert page.evaluate(NAME_OF, "close_case") == "Close the case"

        save.click()
        expect(status).to_have_text(
            f"Saved as version {meanwhile + 1}. New cases start on it."
        )
    finally:
        make_current(page, before)


SELECT = """(id) => {
  const modeler = window.casepathModeler;
  modeler.get("selection").select(modeler.get("elementRegistry").get(id));
}"""
DIAGRAM_NOW = "() => window.casepathModeler.saveXML().then((result) => result.xml)"
UNDO_TWICE = """() => {
  const commands = window.casepathModeler.get("commandStack");
  commands.undo();
  commands.undo();
}"""
ASK = "flow_research_outcome_to_email_questions"
REVIEW = "flow_research_outcome_to_technical_review"


def stored_diagram(page, number):
    return page.request.get(f"/versions/{number}/files/case_lifecycle.bpmn").text()


def saved_number(page):
    status = page.locator("[data-modeler-status]")
    expect(status).to_have_text(re.compile(r"^Saved as version \d+\."))
    return int(re.search(r"version (\d+)", status.inner_text()).group(1))


def gateway_tag(xml, gateway):
    start = xml.index(f'id="{gateway}"')
    return xml[start : xml.index(">", start)]


def test_owner_edits_a_condition_a_script_and_a_timer_in_the_step_panel(page, shot):
    become(page, OWNER)
    before = open_modeler(page)
    panel = page.locator("[data-step-panel]")
    save = page.get_by_role("button", name="Save as new version")
    try:
        page.evaluate(SELECT, ASK)
        expect(panel.locator("[data-step-kind]")).to_have_text("Flow")
        condition = page.get_by_label("Condition", exact=True)
        expect(condition).to_have_value('outcome == "needs_client_info"')
        condition.fill('outcome == "needs_client_info" and')
        condition.blur()
        save.click()
        problems = page.locator("[data-modeler-problems]")
        expect(problems.locator(f'li[data-element="{ASK}"]')).to_contain_text(
            "condition does not compile"
        )
        shot(page, "modeler-condition-refused")

        page.evaluate(SELECT, ASK)
        condition.fill('outcome in ("needs_client_info",)')
        condition.blur()
        page.evaluate(SELECT, "client_reminder_timer")
        expect(panel.locator("[data-step-kind]")).to_have_text("Timer")
        timer = page.get_by_label("Timer expression")
        expect(timer).to_have_value('"P3D"')
        timer.fill('"P5D"')
        timer.blur()
        page.evaluate(SELECT, "remind_client")
        expect(panel.locator("[data-step-kind]")).to_have_text("Script")
        script = page.get_by_label("Script", exact=True)
        script.fill('notify("client_reminder", to=contact_email)\nreminded = True')
        script.blur()
        page.evaluate(SELECT, "close_case")
        post = page.get_by_label("Script after the form is submitted")
        post.fill("closed_by_support = True")
        post.blur()
        shot(page, "modeler-step-panel-script")
        save.click()

        stored = stored_diagram(page, saved_number(page))
        assert 'outcome in ("needs_client_info",)' in stored
        assert '"P5D"' in stored and '"P3D"' not in stored
        assert "reminded = True" in stored
        close = stored[stored.index('id="close_case"') :]
        assert "closed_by_support = True" in close[: close.index("</bpmn:userTask>")]
    finally:
        make_current(page, before)


def test_owner_moves_a_gateways_default_in_the_step_panel(page):
    become(page, OWNER)
    before = open_modeler(page)
    default = page.get_by_label(re.compile("default flow"))
    condition = page.get_by_label("Condition", exact=True)
    try:
        page.evaluate(SELECT, ASK)
        expect(default).not_to_be_checked()
        default.check()
        expect(condition).to_have_value("")
        xml = page.evaluate(DIAGRAM_NOW)
        assert f'default="{ASK}"' in gateway_tag(xml, "research_outcome")
        # Both changes are modeling commands: undoing them gives the old state.
        page.evaluate(UNDO_TWICE)
        assert f'default="{REVIEW}"' in gateway_tag(
            page.evaluate(DIAGRAM_NOW), "research_outcome"
        )

        page.evaluate(SELECT, REVIEW)
        expect(default).to_be_checked()
        default.uncheck()
        condition.fill('outcome == "fix_submitted"')
        condition.blur()
        page.get_by_role("button", name="Save as new version").click()

        stored = stored_diagram(page, saved_number(page))
        assert "default=" not in gateway_tag(stored, "research_outcome")
        assert 'outcome == "fix_submitted"' in stored
    finally:
        make_current(page, before)
