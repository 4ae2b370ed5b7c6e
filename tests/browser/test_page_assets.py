"""Every page gets its stylesheet and scripts from /static and /vendor."""

from .flows import expect


def test_pages_load_their_stylesheet(page):
    with page.expect_response(lambda r: r.url.endswith(".css")) as sheet:
        page.goto("/sign-in")

    assert sheet.value.status == 200, f"{sheet.value.url} is {sheet.value.status}"
    # casepath.css paints the page's background and the header's bar.
    background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(246, 247, 249)"
    expect(page.locator("header.top")).to_have_css("display", "flex")


def test_static_scripts_and_bpmn_js_are_served(page):
    for path in (
        "/static/casepath.css",
        "/static/conditional-fields.js",
        "/static/diagram-load.js",
        "/static/case-diagram.js",
        "/static/diagram.css",
        "/vendor/bpmn-js/bpmn-navigated-viewer.production.min.js",
        "/vendor/bpmn-js/assets/bpmn-js.css",
    ):
        response = page.request.get(path)
        assert response.status == 200, f"{path} is {response.status}"
