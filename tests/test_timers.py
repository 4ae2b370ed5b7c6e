"""Timers fire through the worker: reminder, give-up, auto-close; none is lost."""

import threading
from datetime import timedelta

import pytest
import time_machine

import engine
from casework import tasks as work
from casework import timers
from models import Case, Email, Event, Task, Timer, utcnow

REPORT = {
    "firm": "Alder Point Advisors",
    "contact_name": "Ivy Marsh",
    "contact_email": "ivy.marsh@alderpoint.example",
    "summary": "Options positions missing after expiry week",
    "description": "Expired options remain on statements for three accounts.",
    "severity": "limited",
    "accounts_impacted": 3,
}
TO_QUESTIONS = [
    {"task": "assess_issue", "data": {"aggregation_related": True}},
    {"task": "review_setup", "data": {"resolvable_by_setup": False}},
    {
        "task": "triage_investigate",
        "data": {
            "outcome": "needs_engineering",
            "category": "other",
            "findings": "Expiry events are not sent by the custodian.",
            "engineering_group": "Data",
        },
    },
    {"task": "evaluate_scope", "data": {"scope": "small"}},
    {
        "task": "research_fix",
        "data": {"outcome": "needs_client_info", "questions": "Which accounts?"},
    },
]
TO_CONFIRMATION = [
    {"task": "assess_issue", "data": {"aggregation_related": True}},
    {
        "task": "review_setup",
        "data": {
            "resolvable_by_setup": True,
            "setup_change": "Enabled expiry processing for the account.",
            "next_steps": "Check tomorrow's statement.",
        },
    },
]


def run_worker(app):
    result = app.test_cli_runner().invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    return result.stdout  # what it did; warnings go to standard error


def state_of(app, number):
    with app.app_context():
        case = Case.query.filter_by(case_number=number).one()
        ready = [
            t.element for t in Task.query.filter_by(case_id=case.id, state="ready")
        ]
        emails = [e.template for e in Email.query.filter_by(case_id=case.id)]
        waiting = sorted(
            t.element for t in Timer.query.filter_by(case_id=case.id, state="waiting")
        )
        return case.status, ready, emails, waiting


def later(days, minutes=1):
    return time_machine.travel(utcnow() + timedelta(days=days, minutes=minutes))


def test_answer_questions_waits_with_two_timers(app, api):
    number = api.drive({"report": REPORT, "decisions": TO_QUESTIONS})
    status, ready, emails, waiting = state_of(app, number)
    assert ready == ["answer_questions"]
    assert emails == ["case_logged", "client_questions"]
    assert waiting == ["client_reminder_timer", "no_answer_timer"]
    assert run_worker(app) == ""


def test_client_is_reminded_after_three_days_and_can_still_answer(app, api):
    number = api.drive({"report": REPORT, "decisions": TO_QUESTIONS})
    with later(days=2, minutes=59 * 24):
        assert run_worker(app) == ""
    with later(days=3):
        assert run_worker(app) == f"{number}: client_reminder_timer\n"
        assert run_worker(app) == ""
    status, ready, emails, waiting = state_of(app, number)
    assert ready == ["answer_questions"]
    assert emails == ["case_logged", "client_questions", "client_reminder"]
    assert waiting == ["no_answer_timer"]
    response = api.complete(number, "answer_questions", {"answers": "Ending 4410."})
    assert response.status_code == 200
    assert state_of(app, number)[1] == ["research_fix"]
    assert state_of(app, number)[3] == []


def test_no_answer_after_fourteen_days_returns_to_research(app, api):
    number = api.drive({"report": REPORT, "decisions": TO_QUESTIONS})
    with later(days=14):
        output = run_worker(app)
    assert "no_answer_timer" in output
    status, ready, emails, waiting = state_of(app, number)
    assert status == "open"
    assert ready == ["research_fix"]
    assert waiting == []
    task = api.ready_task(number, "research_fix")
    opened = api.get(f"/api/tasks/{task['id']}", "data1").get_json()
    assert opened["task"] == "research_fix"
    history = api.case(number)["history"]
    assert "timer_fired" in [e["kind"] for e in history]
    with app.app_context():
        cancelled = Task.query.filter_by(element="answer_questions").one()
        assert cancelled.state == "cancelled"


def test_unanswered_confirmation_closes_the_case_after_ten_days(app, api):
    number = api.drive({"report": REPORT, "decisions": TO_CONFIRMATION})
    assert state_of(app, number)[1] == ["review_resolution"]
    with later(days=9, minutes=23 * 60):
        assert run_worker(app) == ""
    with later(days=10):
        assert run_worker(app) == f"{number}: auto_close_timer\n"
    detail = api.case(number)
    assert detail["status"] == "resolved"
    assert detail["resolution_path"] == "support"
    assert detail["current_tasks"] == []


def _in_thread(app, function, *args):
    errors = []

    def target():
        with app.app_context():
            try:
                function(*args)
            except Exception as error:  # reported to the test below
                errors.append(error)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    assert errors == []


def test_timer_firing_during_a_completion_loses_neither(app, api, monkeypatch):
    number = api.drive({"report": REPORT, "decisions": TO_QUESTIONS})
    with app.app_context():
        case_id = Case.query.filter_by(case_number=number).one().id
    real_complete = engine.complete_task
    calls = []

    def complete_while_timer_fires(definition, state, task_id, data, key=None):
        if not calls:
            _in_thread(app, timers.fire_case, case_id)
        calls.append(task_id)
        return real_complete(definition, state, task_id, data, key)

    monkeypatch.setattr(engine, "complete_task", complete_while_timer_fires)
    with later(days=3):
        response = api.complete(number, "answer_questions", {"answers": "Ending 4410."})
    assert response.status_code == 200, response.get_json()
    assert len(calls) == 2, "the completion should have been retried once"
    status, ready, emails, waiting = state_of(app, number)
    assert ready == ["research_fix"]
    assert emails == ["case_logged", "client_questions", "client_reminder"]
    kinds = [e["kind"] for e in api.case(number)["history"]]
    assert kinds.count("timer_fired") == 1
    assert kinds.count("task_completed") == len(TO_QUESTIONS) + 1


def test_completion_during_a_timer_firing_loses_neither(app, api, monkeypatch):
    number = api.drive({"report": REPORT, "decisions": TO_QUESTIONS})
    task = api.ready_task(number, "answer_questions")
    client = api.worker_for(task, number)
    with app.app_context():
        case_id = Case.query.filter_by(case_number=number).one().id
        from models import User

        client_user_id = User.query.filter_by(name=client).one().id
    real_fire = engine.fire_timers
    calls = []

    def answer(user_id):
        from models import User, db

        work.complete(db.session.get(User, user_id), task["id"], {"answers": "4410"})

    def fire_while_client_answers(definition, state, key=None):
        if not calls:
            _in_thread(app, answer, client_user_id)
        calls.append(1)
        return real_fire(definition, state, key)

    monkeypatch.setattr(engine, "fire_timers", fire_while_client_answers)
    with later(days=3), app.app_context():
        fired = timers.fire_case(case_id)
    # The retry, holding the case, finds the timers ended and leaves them be.
    assert len(calls) == 1
    assert fired == []  # the answer cancelled the reminder before it could fire
    status, ready, emails, waiting = state_of(app, number)
    assert ready == ["research_fix"]
    with app.app_context():
        answered = Event.query.filter_by(case_id=case_id, element="answer_questions")
        assert answered.count() == 1


@pytest.mark.parametrize("days", [3, 14])
def test_worker_fires_each_timer_once(app, api, days):
    number = api.drive({"report": REPORT, "decisions": TO_QUESTIONS})
    with later(days=days):
        first = run_worker(app)
        second = run_worker(app)
    assert number in first
    assert second == ""


def test_a_timer_whose_process_fails_is_parked_and_recorded(app, api, monkeypatch):
    number = api.drive({"report": REPORT, "decisions": TO_QUESTIONS})

    def failing(definition, state, key=None):
        raise engine.ProcessFault("note_no_answer", "NameError: boom")

    monkeypatch.setattr(engine, "fire_timers", failing)
    with later(days=14):
        assert run_worker(app) == ""
        assert run_worker(app) == ""
    status, ready, emails, waiting = state_of(app, number)
    assert ready == ["answer_questions"]
    assert waiting == []
    failures = [e for e in api.case(number)["history"] if e["kind"] == "timer_failed"]
    assert {e["element"] for e in failures} == {
        "client_reminder_timer",
        "no_answer_timer",
    }
    assert "boom" in failures[0]["data"]["error"]
