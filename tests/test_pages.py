"""The pages over HTTP: sessions, CSRF, lanes and firms, forms that keep input."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import time_machine

from models import utcnow

from .conftest import PASSWORD
from .paths import OTHER_REPORT, REPORT
from .steps import at_task

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class Browser:
    """A test client that signs in through the form and posts with its token."""

    def __init__(self, app):
        self.client = app.test_client()

    def token(self, path="/sign-in"):
        return CSRF.search(self.client.get(path).get_data(as_text=True)).group(1)

    def sign_in(self, name, password=PASSWORD):
        data = {"name": name, "password": password, "csrf_token": self.token()}
        return self.client.post("/sign-in", data=data)

    def get(self, path):
        return self.client.get(path)

    def post(self, path, data, token_from=None):
        data = {**data, "csrf_token": self.token(token_from or path)}
        return self.client.post(path, data=data)


@pytest.fixture
def browser(app):
    return Browser(app)


def test_sign_in_leads_staff_to_the_worklist_and_clients_to_the_portal(api, browser):
    assert browser.sign_in("support").headers["Location"] == "/worklist"
    client = api.client_of(REPORT["firm"])
    other = Browser(browser.client.application)
    assert other.sign_in(client).headers["Location"] == "/portal"


def test_session_cookie_is_http_only_and_same_site(browser):
    response = browser.sign_in("support")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_wrong_password_is_refused_without_a_session(browser):
    response = browser.sign_in("support", "not-the-password")
    assert response.status_code == 401
    assert "do not match" in response.get_data(as_text=True)
    assert browser.get("/worklist").status_code == 302


def test_pages_need_a_signed_in_user(browser):
    response = browser.get("/worklist")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in?next=/worklist")


def test_form_without_csrf_token_is_refused_and_changes_nothing(
    api, browser, unchanged
):
    task = at_task(api, "assess_issue")
    browser.sign_in("levelone")
    with unchanged():
        response = browser.client.post(
            f"/tasks/{task['id']}", data={"aggregation_related": "true"}
        )
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)


def test_sign_in_without_csrf_token_is_refused(browser):
    response = browser.client.post(
        "/sign-in", data={"name": "support", "password": PASSWORD}
    )
    assert response.status_code == 400


def test_session_expires_after_its_lifetime(browser):
    browser.sign_in("support")
    assert browser.get("/worklist").status_code == 200
    with time_machine.travel(utcnow() + timedelta(hours=8, minutes=1)):
        response = browser.get("/worklist")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


def test_session_ends_eight_hours_after_sign_in_even_when_in_use(browser):
    browser.sign_in("support")
    with time_machine.travel(utcnow() + timedelta(hours=4)):
        assert browser.get("/worklist").status_code == 200
    with time_machine.travel(utcnow() + timedelta(hours=8, minutes=1)):
        response = browser.get("/worklist")
        assert response.status_code == 302
        page = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "session expired" in page


def test_signing_out_ends_the_session(browser):
    browser.sign_in("support")
    response = browser.post("/sign-out", {}, token_from="/worklist")
    assert response.status_code == 302
    assert browser.get("/worklist").status_code == 302


def test_client_opening_another_firms_case_gets_404(api, browser):
    number = api.report(OTHER_REPORT)
    browser.sign_in(api.client_of(REPORT["firm"]))
    response = browser.get(f"/cases/{number}")
    assert response.status_code == 404
    assert "Not found" in response.get_data(as_text=True)


def test_user_opening_a_task_outside_its_lanes_gets_403(api, browser):
    task = at_task(api, "assess_issue")
    browser.sign_in(api.client_of(REPORT["firm"]))
    assert browser.get(f"/tasks/{task['id']}").status_code == 403


def test_staff_reading_another_lanes_task_cannot_submit_it(api, browser, unchanged):
    task = at_task(api, "assess_issue")
    browser.sign_in("support")
    assert browser.get(f"/tasks/{task['id']}").status_code == 403
    with unchanged():
        response = browser.post(
            f"/tasks/{task['id']}",
            {"aggregation_related": "true"},
            token_from="/worklist",
        )
    assert response.status_code == 403


def test_invalid_submission_shows_errors_beside_fields_and_keeps_input(api, browser):
    task = at_task(api, "research_fix")
    browser.sign_in("data1")
    response = browser.post(
        f"/tasks/{task['id']}",
        {"outcome": "fix_submitted", "root_cause": "Old lots ignored."},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="fix_description-error"' in page
    assert 'aria-describedby="fix_description-help fix_description-error"' in page
    assert "Old lots ignored." in page
    assert re.search(r'value="fix_submitted"[^>]*\schecked', page)


def test_valid_submission_moves_on_to_the_next_task_of_the_same_person(api, browser):
    task = at_task(api, "evaluate_scope")
    browser.sign_in("data1")
    response = browser.post(f"/tasks/{task['id']}", {"scope": "small"})
    assert response.status_code == 302
    research = api.ready_task(task["case_number"], "research_fix")
    assert response.headers["Location"] == f"/tasks/{research['id']}"


def test_last_task_of_a_person_returns_to_the_worklist(api, browser):
    task = at_task(api, "assess_issue")
    browser.sign_in("levelone")
    response = browser.post(f"/tasks/{task['id']}", {"aggregation_related": "true"})
    assert response.headers["Location"] == "/worklist"
    assert api.case(task["case_number"])["current_tasks"][0]["task"] == "review_setup"


def test_client_reports_and_sees_its_case_number_at_once(api, browser):
    browser.sign_in(api.client_of(REPORT["firm"]))
    report = {k: str(v) for k, v in REPORT.items() if k != "firm"}
    response = browser.post("/portal/report", report)
    assert response.status_code == 302
    number = response.headers["Location"].rsplit("/", 1)[1]
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert f"Your case number is {number}" in page
    assert api.case(number)["firm"] == REPORT["firm"]


def test_comments_for_staff_stay_hidden_from_the_client(api, browser):
    number = api.report(REPORT)
    browser.sign_in("support")
    path = f"/cases/{number}/comments"
    browser.post(
        path, {"body": "Internal: custodian changed its login."}, f"/cases/{number}"
    )
    browser.post(
        path, {"body": "We are on it.", "for_client": "yes"}, f"/cases/{number}"
    )
    client = Browser(browser.client.application)
    client.sign_in(api.client_of(REPORT["firm"]))
    page = client.get(f"/cases/{number}").get_data(as_text=True)
    assert "We are on it." in page
    assert "Internal: custodian" not in page


def test_worklist_offers_claim_and_lists_by_rank(api, browser):
    task = at_task(api, "assess_issue")
    browser.sign_in("levelone")
    page = browser.get("/worklist").get_data(as_text=True)
    assert task["case_number"] in page
    assert f'action="/tasks/{task["id"]}/claim"' in page
    response = browser.post(
        f"/tasks/{task['id']}/claim", {"back": "/worklist?view=mine"}, "/worklist"
    )
    assert response.headers["Location"] == "/worklist?view=mine"
    mine = browser.get("/worklist?view=mine").get_data(as_text=True)
    assert f'action="/tasks/{task["id"]}/unclaim"' in mine


def test_case_diagram_data_marks_passed_and_current_elements(api, browser):
    task = at_task(api, "review_setup")
    browser.sign_in("support")
    body = browser.get(f"/cases/{task['case_number']}/diagram").get_json()
    assert body["xml"].lstrip().startswith("<?xml")
    assert {"issue_reported", "assess_issue", "log_case", "prioritize"} <= set(
        body["completed"]
    )
    assert body["current"] == ["review_setup"]


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "https://evil.example",
        "/\\evil.example",
        "/%09/evil.example/x",
        "/\t/evil.example/x",
        "/\r\nX:1",
    ],
)
def test_sign_in_never_sends_the_browser_elsewhere(browser, target):
    data = {"name": "support", "password": PASSWORD, "csrf_token": browser.token()}
    response = browser.client.post("/sign-in", query_string={"next": target}, data=data)
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/") and not location.startswith("//")
    assert urlsplit(location).netloc == ""
    assert not any(ord(c) < 32 or c == "\\" for c in location)


@pytest.mark.parametrize("page", ["0", "-1", "x", "99999999999999999999"])
def test_worklist_page_out_of_range_is_a_400_page(browser, page):
    browser.sign_in("support")
    assert browser.get(f"/worklist?page={page}").status_code == 400


@pytest.mark.parametrize("character", ["\x00", "\x0b", "\x1c", "\x9b"])
def test_report_form_text_with_a_control_character_is_refused(
    api, browser, unchanged, character
):
    browser.sign_in(api.client_of(REPORT["firm"]))
    report = {k: str(v) for k, v in REPORT.items() if k != "firm"}
    with unchanged():
        response = browser.post(
            "/portal/report", {**report, "summary": f"ab{character}cd"}
        )
    assert response.status_code == 422
    assert "control characters" in response.get_data(as_text=True)


def test_answers_to_fields_that_do_not_apply_are_dropped(api, browser):
    task = at_task(api, "research_fix")
    browser.sign_in("data1")
    data = {
        "outcome": "fix_submitted",
        "questions": "left over from the other branch",
        "root_cause": "Old lots.",
        "fix_description": "Read all lots.",
    }
    assert browser.post(f"/tasks/{task['id']}", data).status_code == 302
    (completion,) = api.completions(task["case_number"], "research_fix")
    assert "questions" not in completion["data"]


def test_the_fixer_is_told_why_the_review_is_not_theirs(api, browser):
    from .steps import fixed_by

    review = fixed_by(api, "data1")
    browser.sign_in("data1")
    page = browser.get(f"/tasks/{review['id']}").get_data(as_text=True)
    assert "You submitted the fix under review" in page
    assert '<form method="post" class="task-form"' not in page


def test_sessions_are_signed_with_a_kept_random_key(app):
    from pathlib import Path

    key = Path(app.instance_path) / "secret_key"
    assert key.exists() and len(key.read_text().strip()) >= 48
    assert app.config["SECRET_KEY"] == key.read_text().strip()


def test_staff_who_do_not_report_are_not_offered_the_report_form(browser):
    browser.sign_in("support")
    assert browser.get("/portal/report").status_code == 403
