"""Notices of targets at risk and breached go out once per case, target and level,
however often the check runs and however many workers run it at once."""

import threading
from datetime import UTC, datetime

import pytest
import time_machine

from casework import sla, sla_notices
from models import Email, Event, SlaNotice

from .conftest import Api
from .paths import REPORT

CRITICAL = {**REPORT, "severity": "catastrophic"}


def at(hour, minute=0):
    return datetime(2024, 3, 4, hour, minute, tzinfo=UTC)


def check(app, now):
    with app.app_context():
        return sla.check_due(now)


def sent(app):
    """(notices, templates and recipients of the emails, event kinds) so far."""
    with app.app_context():
        notices = [(n.target, n.level) for n in SlaNotice.query.order_by(SlaNotice.id)]
        emails = [(e.template, e.recipient) for e in Email.query.order_by(Email.id)]
        events = [
            (e.kind, e.data["target"])
            for e in Event.query.order_by(Event.id)
            if e.kind.startswith("sla_")
        ]
        return notices, [m for m in emails if m[0].startswith("sla_")], events


@pytest.fixture
def critical_case(api):
    """A Critical case reported on Monday at 09:00, not yet assessed."""
    with time_machine.travel(at(9), tick=False):
        return api.report(CRITICAL)


def test_each_level_is_notified_once_however_often_the_check_runs(
    app, api, critical_case
):
    quiet = check(app, at(9, 40))  # 20 of 60 minutes left
    warned = [check(app, at(9, 50)), check(app, at(9, 55))]
    breached = [check(app, at(10, 5)), check(app, at(10, 30)), check(app, at(11))]
    notices, emails, events = sent(app)

    assert quiet == 0
    assert warned == [1, 0]
    assert breached == [1, 0, 0]
    assert notices == [("response", "at_risk"), ("response", "breached")]
    assert emails == [
        ("sla_warning", "Level One"),
        ("sla_warning", "Managers"),
        ("sla_breached", "Level One"),
        ("sla_breached", "Managers"),
    ]
    assert events == [("sla_at_risk", "response"), ("sla_breached", "response")]


def test_notices_say_what_is_due_and_when(app, api, critical_case):
    check(app, at(9, 50))
    check(app, at(10, 5))

    with app.app_context():
        warning, _, breach, _ = Email.query.order_by(Email.id).all()
        assert warning.subject == (
            f"[Critical] Case {critical_case}: response target due in 10 min"
        )
        assert "Waiting with: Level One" in warning.body
        assert breach.subject == (
            f"[Critical] Case {critical_case}: response target missed by 5 min"
        )
        assert breach.html_body and critical_case in breach.html_body


def test_the_case_history_shows_notices_to_staff_only(app, api, critical_case):
    check(app, at(10, 5))

    staff = api.case(critical_case)["history"]
    client = api.case(critical_case, api.client_of(REPORT["firm"]))["history"]

    notice = next(entry for entry in staff if entry["kind"] == "sla_breached")
    assert notice["data"] == {
        "target": "response",
        "priority": "Critical",
        "breached": "5 min ago",
        "notified": "Level One, Managers",
    }
    assert all(not entry["kind"].startswith("sla_") for entry in client)


def test_a_stopped_clock_is_not_notified(app, api, critical_case):
    with time_machine.travel(at(9, 30), tick=False):
        response = api.complete(
            critical_case, "assess_issue", {"aggregation_related": True}
        )
        assert response.status_code == 200

    assert check(app, at(10, 30)) == 0  # response met; 6.5 h of resolution left
    assert check(app, at(16)) == 1  # resolution at risk: an hour left
    assert sent(app)[0] == [("resolution", "at_risk")]
    assert sent(app)[1][0] == ("sla_warning", "Support")


def _race(app, monkeypatch, now, runs=2):
    """Run check_due in `runs` threads that all find the same notices due before
    any of them sends one; return what each run sent."""
    barrier = threading.Barrier(runs)
    real = sla_notices.due_notices

    def due_then_wait(cases, levels):
        due = real(cases, levels)
        barrier.wait(timeout=30)
        return due

    monkeypatch.setattr(sla_notices, "due_notices", due_then_wait)
    results = []

    def run():
        results.append(check(app, now))

    threads = [threading.Thread(target=run) for _ in range(runs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_checks_at_once_on_sqlite_notify_once(app, api, critical_case, monkeypatch):
    results = _race(app, monkeypatch, at(9, 50))

    assert sorted(results) == [0, 1]
    notices, emails, events = sent(app)
    assert notices == [("response", "at_risk")]
    assert len(emails) == 2 and len(events) == 1


def test_two_checks_at_once_on_postgresql_notify_once(pg_app, monkeypatch):
    api = Api(pg_app)
    with time_machine.travel(at(9), tick=False):
        api.report(CRITICAL)
        api.report(CRITICAL)

    results = _race(pg_app, monkeypatch, at(10, 5), runs=3)

    assert len(results) == 3 and sum(results) == 2
    notices, emails, events = sent(pg_app)
    assert notices == [("response", "breached")] * 2
    assert len(emails) == 4 and len(events) == 2
