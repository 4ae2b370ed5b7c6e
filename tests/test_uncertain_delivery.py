"""When nobody knows whether an email arrived (the connection broke while the
server took it, or the worker died between sending and recording), it is never
sent again on its own: it waits as unknown for a person to decide."""

import signal
import subprocess
import sys
import time
from datetime import timedelta

import time_machine

from models import Event, utcnow

from .test_delivery import ROOT, arrived, logged_cases, row_of, run_worker
from .test_pages import Browser


def test_a_connection_lost_while_the_server_takes_the_message_is_not_resent(
    app, api, server
):
    app.config["SMTP_TIMEOUT"] = 0.5
    server.data_delay = 1.5  # the server keeps it, but answers after the worker gave up
    [number] = logged_cases(api)

    assert run_worker(app) == "email: 1 unknown\n"
    server.data_delay = 0
    assert run_worker(app) == ""

    row = row_of(app, number)
    assert row.status == "unknown"
    assert "broke while the server took the message" in row.last_error
    assert arrived(server, 1) == [row.message_id]
    time.sleep(0.5)
    assert len(server.messages) == 1


KILLED_WORKER = """
import os, signal, sys
from app import create_app
from casework import delivery

app = create_app({"SQLALCHEMY_DATABASE_URI": sys.argv[1],
                  "SMTP_HOST": "127.0.0.1", "SMTP_PORT": int(sys.argv[2]),
                  "MAIL_FROM": "casepath <support@vendor.example>"})
real_send = delivery.Connection.send

def send_then_die(self, *args):
    real_send(self, *args)
    os.kill(os.getpid(), signal.SIGKILL)  # after the server took it, before the record

delivery.Connection.send = send_then_die
with app.app_context():
    delivery.deliver_due()
"""


def test_worker_killed_between_send_and_record_never_sends_twice_on_its_own(
    app, api, server
):
    first, second, third = logged_cases(api, 3)
    port = app.config["SMTP_PORT"]
    database = app.config["SQLALCHEMY_DATABASE_URI"]

    killed = subprocess.run(
        [sys.executable, "-c", KILLED_WORKER, database, str(port)],
        cwd=ROOT,
        capture_output=True,
        timeout=120,
    )

    assert killed.returncode == -signal.SIGKILL, killed.stderr.decode()
    stuck = row_of(app, first)
    assert stuck.status == "sending"
    assert server.message_ids() == [stuck.message_id]
    # A worker starting soon after leaves the row alone: it may still be in flight.
    assert run_worker(app) == "email: 2 sent\n"
    assert row_of(app, first).status == "sending"
    later = utcnow() + timedelta(seconds=app.config["MAIL_SENDING_TIMEOUT"] + 1)
    with time_machine.travel(later):
        assert run_worker(app) == "email: 1 unknown\n"
        assert run_worker(app) == ""

    parked = row_of(app, first)
    assert parked.status == "unknown"
    assert "check" in parked.last_error
    sent = server.message_ids()
    assert sorted(sent) == sorted(
        row_of(app, number).message_id for number in (first, second, third)
    )


def test_a_person_queues_an_unknown_email_again_with_the_same_message_id(
    app, api, server
):
    app.config["SMTP_TIMEOUT"] = 0.5
    server.data_delay = 1.5
    [number] = logged_cases(api)
    run_worker(app)
    server.data_delay = 0
    row = row_of(app, number)
    browser = Browser(app)
    browser.sign_in("manager")

    response = browser.post(
        f"/outbox/{row.id}/requeue", {}, token_from=f"/outbox/{row.id}"
    )
    assert response.status_code == 302
    assert run_worker(app) == "email: 1 sent\n"

    assert arrived(server, 2) == [row.message_id, row.message_id]
    assert row_of(app, number).status == "sent"
    with app.app_context():
        events = Event.query.filter_by(kind="email_requeued").all()
        assert [(e.actor, e.data["was"]) for e in events] == [("manager", "unknown")]


def test_a_person_marks_an_unknown_email_sent_after_checking(app, api, server):
    app.config["SMTP_TIMEOUT"] = 0.5
    server.data_delay = 1.5
    [number] = logged_cases(api)
    run_worker(app)
    row = row_of(app, number)
    browser = Browser(app)
    browser.sign_in("manager")

    path = f"/outbox/{row.id}"
    browser.post(f"{path}/mark-sent", {}, token_from=path)

    assert row_of(app, number).status == "sent"
    assert "Marked as sent" in browser.get(path).get_data(as_text=True)
    again = browser.post(f"{path}/mark-sent", {}, token_from=path)
    assert again.status_code == 302  # told on the page; nothing changes
    assert run_worker(app) == ""
    assert arrived(server, 1) == [row.message_id]
