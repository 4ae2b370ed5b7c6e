"""The worker delivers the outbox over SMTP: once, with retries, never blindly twice."""

import threading
import time
from datetime import timedelta
from pathlib import Path

import time_machine

from models import Case, Email, db, utcnow

from .mailserver import MAIL_FROM, free_port, smtp_server, smtp_settings
from .paths import REPORT
from .steps import case_at

ROOT = Path(__file__).resolve().parents[1]


def run_worker(app):
    result = app.test_cli_runner().invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    return result.stdout  # what it did; warnings go to standard error


def logged_cases(api, count=1):
    """Numbers of `count` cases whose case_logged email is queued."""
    return [case_at(api, "review_setup") for _ in range(count)]


def outbox_rows(app):
    with app.app_context():
        return Email.query.order_by(Email.id).all()


def row_of(app, number, template="case_logged"):
    with app.app_context():
        case = Case.query.filter_by(case_number=number).one()
        return Email.query.filter_by(case_id=case.id, template=template).one()


def arrived(inbox, count):
    """Wait (a few seconds at most) until the server has taken `count` messages."""
    deadline = time.monotonic() + 10
    while len(inbox.messages) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return inbox.message_ids()


def test_email_goes_as_text_and_html_with_the_rows_message_id(app, api, server):
    [number] = logged_cases(api)

    assert run_worker(app) == "email: 1 sent\n"

    [message] = server.messages
    row = row_of(app, number)
    assert message["Message-ID"] == row.message_id
    assert message["From"] == MAIL_FROM
    assert message["To"] == REPORT["contact_email"]
    assert message["Subject"] == row.subject
    assert number in message["Subject"]
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert f"case {number}" in text
    assert f"<strong>{number}</strong>" in html
    assert server.envelopes == [("support@vendor.example", [REPORT["contact_email"]])]
    assert (row.status, row.attempts, row.last_error) == ("sent", 1, None)
    assert row.sent_at is not None


def test_a_sent_email_is_not_sent_again(app, api, server):
    logged_cases(api)
    run_worker(app)
    assert run_worker(app) == ""
    assert len(server.messages) == 1


def test_each_email_keeps_one_message_id_of_its_own(app, api, server):
    numbers = logged_cases(api, 3)
    run_worker(app)
    ids = [row_of(app, number).message_id for number in numbers]
    assert len(set(ids)) == 3
    assert sorted(server.message_ids()) == sorted(ids)


def test_html_of_an_email_escapes_what_people_typed(app, api, server):
    report = {**REPORT, "summary": "Balances <script>alert(1)</script> & more"}
    case_at(api, "review_setup", report=report)
    run_worker(app)
    html = server.messages[0].get_body(("html",)).get_content()
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html


def test_group_email_goes_to_the_groups_configured_addresses(app, api, server):
    app.config["MAIL_GROUP_ADDRESSES"] = {"Support": "a@vendor.example, b@x.example"}
    number = case_at(api, "review_resolution")
    response = api.complete(number, "review_resolution", {"problem_persists": True})
    assert response.status_code == 200
    run_worker(app)
    reopened = [m for m in server.messages if "reopened" in m["Subject"]]
    assert len(reopened) == 1
    assert reopened[0]["To"] == "a@vendor.example, b@x.example"
    assert ("support@vendor.example", ["a@vendor.example", "b@x.example"]) in (
        server.envelopes
    )


def test_group_email_without_an_address_fails_at_once_saying_why(app, api, server):
    number = case_at(api, "review_resolution")
    api.complete(number, "review_resolution", {"problem_persists": True})
    output = run_worker(app)
    row = row_of(app, number, "case_reopened")
    assert "1 failed" in output
    assert (row.status, row.attempts) == ("failed", 1)
    assert "MAIL_GROUP_ADDRESSES" in row.last_error


def test_refused_for_now_is_retried_with_growing_waits_then_given_up(app, api, server):
    app.config.update(MAIL_MAX_ATTEMPTS=3, MAIL_RETRY_SECONDS=60)
    server.data_reply = "451 4.3.0 Try again later"
    [number] = logged_cases(api)
    start = utcnow()

    with time_machine.travel(start, tick=False):
        assert run_worker(app) == "email: 1 retry\n"
        row = row_of(app, number)
        assert (row.status, row.attempts) == ("queued", 1)
        assert row.next_attempt_at == start + timedelta(seconds=60)
        assert "451" in row.last_error
        assert run_worker(app) == ""  # not due yet
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        assert run_worker(app) == "email: 1 retry\n"
        row = row_of(app, number)
        assert row.attempts == 2
        assert row.next_attempt_at == utcnow() + timedelta(seconds=120)
    with time_machine.travel(start + timedelta(seconds=200), tick=False):
        assert run_worker(app) == "email: 1 failed\n"
        assert run_worker(app) == ""

    row = row_of(app, number)
    assert (row.status, row.attempts) == ("failed", 3)
    assert "451 4.3.0 Try again later" in row.last_error
    assert server.messages == []


def test_a_refused_recipient_fails_at_once(app, api, server):
    server.rcpt_reply = "550 5.1.1 No such user here"
    [number] = logged_cases(api)
    assert run_worker(app) == "email: 1 failed\n"
    row = row_of(app, number)
    assert (row.status, row.attempts) == ("failed", 1)
    assert "550 5.1.1 No such user here" in row.last_error


def test_unreachable_server_is_retried_and_holds_back_the_rest(app, api):
    app.config.update(smtp_settings(free_port()))
    first, second = logged_cases(api, 2)

    assert run_worker(app) == "email: 1 retry\n"

    row = row_of(app, first)
    assert (row.status, row.attempts) == ("queued", 1)
    assert "Connection" in row.last_error
    assert row_of(app, second).attempts == 0


def test_delivery_comes_back_when_the_server_does(app, api):
    port = free_port()
    app.config.update(smtp_settings(port, MAIL_RETRY_SECONDS=60))
    [number] = logged_cases(api)
    run_worker(app)
    with smtp_server() as (inbox, live_port):
        app.config["SMTP_PORT"] = live_port
        with time_machine.travel(utcnow() + timedelta(seconds=61)):
            assert run_worker(app) == "email: 1 sent\n"
    assert inbox.message_ids() == [row_of(app, number).message_id]
    assert row_of(app, number).attempts == 2


def test_many_attempts_wait_at_most_the_longest_backoff(app, api, server):
    app.config.update(MAIL_MAX_ATTEMPTS=100, MAIL_RETRY_SECONDS=3600)
    server.data_reply = "451 4.3.0 Try again later"
    [number] = logged_cases(api)
    with app.app_context():
        Email.query.update({"attempts": 90})
        db.session.commit()
    start = utcnow()

    with time_machine.travel(start, tick=False):
        assert run_worker(app) == "email: 1 retry\n"

    row = row_of(app, number)
    assert (row.status, row.attempts) == ("queued", 91)
    assert row.next_attempt_at == start + timedelta(hours=6)


def test_line_breaks_in_a_summary_become_spaces_in_the_subject(app, api, server):
    summary = "Balances\u2028frozen\x85at the\u2029custodian"
    number = case_at(api, "review_setup", report={**REPORT, "summary": summary})

    assert row_of(app, number).subject.endswith("Balances frozen at the custodian")
    assert run_worker(app) == "email: 1 sent\n"
    [message] = server.messages
    assert message["Subject"].endswith("Balances frozen at the custodian")


def test_a_row_queued_with_line_breaks_in_its_subject_is_still_sent(app, api, server):
    summary = "Balances\u2028frozen\x85at\u2029the custodian\r\nsince Monday"
    number = case_at(api, "review_setup")
    with app.app_context():
        case = Case.query.filter_by(case_number=number).one()
        Email.query.filter_by(case_id=case.id).update(
            {"subject": f"Queued long ago: {summary}"}
        )
        db.session.commit()

    assert run_worker(app) == "email: 1 sent\n"

    [message] = server.messages
    expected = "Queued long ago: Balances frozen at the custodian since Monday"
    assert message["Subject"] == expected
    assert row_of(app, number).status == "sent"


def test_kept_email_is_sent_once_queued_again_from_the_command_line(app, api):
    logged_cases(api, 2)
    run_worker(app)
    with smtp_server() as (inbox, port):
        app.config.update(smtp_settings(port))
        result = app.test_cli_runner().invoke(args=["mail", "requeue"])
        assert result.output == "2 kept emails queued again\n"
        assert run_worker(app) == "email: 2 sent\n"
    assert len(inbox.messages) == 2


def test_two_workers_on_postgresql_send_each_email_once(pg_app):
    from casework.delivery import deliver_due

    with pg_app.app_context():
        db.session.add_all(
            Email(
                template="case_logged",
                recipient=f"client{n}@example.com",
                subject=f"Email {n}",
                body="Hello",
                message_id=f"<{n}.test@vendor.example>",
            )
            for n in range(60)
        )
        db.session.commit()

    with smtp_server() as (inbox, port):
        pg_app.config.update(smtp_settings(port))
        barrier = threading.Barrier(2)
        totals = []

        def work():
            with pg_app.app_context():
                barrier.wait(timeout=30)
                totals.append(deliver_due(limit=1000)["sent"])
                db.session.remove()

        workers = [threading.Thread(target=work) for _ in range(2)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=120)

    assert sum(totals) == 60
    assert sorted(inbox.message_ids()) == sorted(
        f"<{n}.test@vendor.example>" for n in range(60)
    )
    with pg_app.app_context():
        assert {e.status for e in Email.query} == {"sent"}
        assert {e.attempts for e in Email.query} == {1}


def test_mail_settings_come_from_the_environment(monkeypatch, tmp_path):
    from .conftest import sqlite_app

    monkeypatch.setenv("SMTP_HOST", "mail.vendor.example")
    monkeypatch.setenv("SMTP_PORT", "587")
    monkeypatch.setenv("SMTP_STARTTLS", "1")
    monkeypatch.setenv("MAIL_FROM", MAIL_FROM)
    monkeypatch.setenv("REPLY_ADDRESS", "cases@vendor.example")
    monkeypatch.setenv("MAIL_GROUP_ADDRESSES", "Support=a@v.example,b@v.example;X=x@y")

    config = sqlite_app(tmp_path / "settings.sqlite").config

    assert (config["SMTP_HOST"], config["SMTP_PORT"]) == ("mail.vendor.example", 587)
    assert config["SMTP_STARTTLS"] is True
    assert config["REPLY_ADDRESS"] == "cases@vendor.example"
    assert config["MAIL_GROUP_ADDRESSES"] == {
        "Support": "a@v.example,b@v.example",
        "X": "x@y",
    }


def test_an_address_list_as_recipient_goes_to_each_address(app, api, server):
    [number] = logged_cases(api)
    with app.app_context():
        row = Email.query.filter_by(template="case_logged").one()
        row.recipient = "lead@vendor.example, deputy@vendor.example"
        db.session.commit()

    assert run_worker(app) == "email: 1 sent\n"
    assert (
        "support@vendor.example",
        ["lead@vendor.example", "deputy@vendor.example"],
    ) in (server.envelopes)
    assert row_of(app, number).status == "sent"
