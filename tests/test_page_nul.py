"""A NUL character in a page's address or form is refused with 400, on any database."""

import pytest

from .steps import at_task
from .test_pages import Browser

ADDRESSES = [
    "/cases/%00",
    "/cases/CP-000017%00",
    "/cases/CP-000001%00/diagram",
    "/tasks/%00",
    "/tasks/abc%00",
    "/manage/map/activities/%00",
    "/versions/1/files/%00",
    "/worklist?sort=%00",
    "/backlog?firm=Birch%00Hill",
    "/outbox?status=%00",
]
POSTED = ["/tasks/%00", "/tasks/%00/claim", "/cases/%00/comments"]


def signed_in(app, name="manager"):
    browser = Browser(app)
    assert browser.sign_in(name).status_code == 302
    return browser


def refused(response):
    page = response.get_data(as_text=True)
    return response.status_code == 400 and "NUL" in page


@pytest.mark.parametrize("path", ADDRESSES)
def test_an_address_with_nul_is_refused(app, path):
    browser = signed_in(app, "owner")

    assert refused(browser.get(path))


@pytest.mark.parametrize("path", POSTED)
def test_a_post_to_an_address_with_nul_is_refused(app, unchanged, path):
    browser = signed_in(app, "support")

    with unchanged():
        response = browser.post(path, {"body": "hello"}, token_from="/worklist")

    assert refused(response)


def test_a_form_field_named_with_nul_is_refused_and_changes_nothing(
    api, app, unchanged
):
    task = at_task(api, "assess_issue")
    browser = signed_in(app, "levelone")

    with unchanged():
        response = browser.post(
            f"/tasks/{task['id']}", {"aggregation_related": "true", "x\x00": "1"}
        )

    assert refused(response)


def test_a_task_form_value_with_nul_is_shown_again_beside_its_field(
    api, app, unchanged
):
    task = at_task(api, "review_setup")
    browser = signed_in(app, "support")
    data = {
        "resolvable_by_setup": "true",
        "setup_change": "Re-linked\x00 the credential",
        "next_steps": "Check tomorrow.",
    }

    with unchanged():
        response = browser.post(f"/tasks/{task['id']}", data)

    assert response.status_code == 422
    assert "Text may not contain control characters." in response.get_data(as_text=True)


def test_a_comment_with_nul_is_refused_and_changes_nothing(api, app, unchanged):
    number = at_task(api, "assess_issue")["case_number"]
    browser = signed_in(app, "levelone")

    with unchanged():
        response = browser.post(
            f"/cases/{number}/comments", {"body": "a\x00b"}, token_from="/worklist"
        )

    assert refused(response)


def test_signing_in_with_nul_in_the_name_is_refused(app):
    browser = Browser(app)

    response = browser.sign_in("manager\x00")

    assert refused(response)
    assert browser.get("/worklist").status_code == 302


def test_the_api_keeps_its_own_answer(api):
    response = api.get("/api/cases/%00", "manager")

    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_request"


@pytest.mark.parametrize("path", ADDRESSES[:7])
def test_an_address_with_nul_is_refused_on_postgresql(pg_app, path):
    browser = signed_in(pg_app, "owner")

    assert refused(browser.get(path))


def test_signing_in_with_nul_is_refused_on_postgresql(pg_app):
    assert refused(Browser(pg_app).sign_in("manager\x00"))
