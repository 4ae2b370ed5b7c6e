"""The Outbox page: every email the process sent or kept, for managers and
process owners only, refusing what it does not know."""

import pytest

from .paths import REPORT
from .test_delivery import logged_cases, row_of, run_worker
from .test_pages import Browser


def test_without_a_mail_server_email_is_kept_and_shown(app, api):
    [number] = logged_cases(api)
    assert run_worker(app) == ""
    row = row_of(app, number)
    assert (row.status, row.attempts) == ("kept", 0)

    browser = Browser(app)
    browser.sign_in("manager")
    listing = browser.get("/outbox?status=kept").get_data(as_text=True)
    assert row.subject in listing
    assert f'href="/cases/{number}"' in listing
    page = browser.get(f"/outbox/{row.id}").get_data(as_text=True)
    assert row.message_id.strip("<>") in page
    assert f"case {number}" in page
    assert 'sandbox=""' in page
    assert 'srcdoc="&lt;!doctype html&gt;' in page


@pytest.mark.parametrize("user", ["support", "levelone"])
def test_outbox_is_for_managers_and_owners(app, api, user):
    logged_cases(api)
    browser = Browser(app)
    browser.sign_in(user)
    assert browser.get("/outbox").status_code == 403
    assert browser.get("/outbox/1").status_code == 403


def test_clients_never_see_the_outbox(app, api):
    logged_cases(api)
    browser = Browser(app)
    browser.sign_in(api.client_of(REPORT["firm"]))
    assert browser.get("/outbox").status_code == 403


def test_outbox_refuses_unknown_statuses_and_emails(app, api):
    browser = Browser(app)
    browser.sign_in("manager")
    assert browser.get("/outbox?status=lost").status_code == 400
    assert browser.get("/outbox/999").status_code == 404


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/outbox?page=99999999999999999999", 400),
        ("/outbox/99999999999999999999999", 404),
        ("/outbox/2147483648", 404),
    ],
)
def test_outbox_answers_huge_numbers_with_4xx(app, api, path, status):
    logged_cases(api)
    browser = Browser(app)
    browser.sign_in("manager")
    assert browser.get(path).status_code == status


@pytest.mark.parametrize("action", ["requeue", "mark-sent"])
def test_outbox_actions_on_a_huge_id_find_nothing(app, api, unchanged, action):
    logged_cases(api)
    run_worker(app)
    browser = Browser(app)
    browser.sign_in("manager")
    with unchanged():
        response = browser.post(
            f"/outbox/99999999999999999999999/{action}", {}, token_from="/outbox"
        )
    assert response.status_code == 404


def test_outbox_id_past_32_bits_is_not_found_on_postgresql(pg_app):
    browser = Browser(pg_app)
    browser.sign_in("manager")
    assert browser.get("/outbox/2147483648").status_code == 404
    assert browser.get("/outbox?page=99999999999999999999").status_code == 400
