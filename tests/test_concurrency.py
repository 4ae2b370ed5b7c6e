"""Completing one task twice at once gives one success and one 409, never two."""

import multiprocessing

import pytest

import engine
from app import create_app
from models import Event

from .conftest import Api, sample_cases, token_of
from .racing import complete_together

TO_VERIFY = [
    {"task": "assess_issue", "data": {"aggregation_related": True}},
    {"task": "review_setup", "data": {"resolvable_by_setup": False}},
]
REPORT = {
    "firm": "Linden Row Partners",
    "contact_name": "Ana Ruiz",
    "contact_email": "ana.ruiz@lindenrow.example",
    "summary": "Bond coupons booked twice",
    "description": "Semi-annual coupons show as two income transactions.",
    "severity": "limited",
    "accounts_impacted": 12,
}
TRIAGE_DATA = {
    "outcome": "resolved",
    "category": "data_translation",
    "findings": "Duplicate coupon rule.",
    "next_steps": "Re-translate tonight.",
}


def _pause_first_completion(barrier):
    """Make the first engine completion wait until both requests have loaded."""
    real = engine.complete_task
    paused = []

    def complete(definition, state, task_id, data, key=None):
        if not paused:
            paused.append(task_id)
            barrier.wait(timeout=30)
        return real(definition, state, task_id, data, key)

    engine.complete_task = complete
    return real


def completions_of(app, task_id):
    with app.app_context():
        return Event.query.filter_by(kind="task_completed", task_id=task_id).count()


def test_two_completions_at_once_on_sqlite(app, api, monkeypatch):
    number = api.drive({"report": REPORT, "decisions": TO_VERIFY})
    task = api.ready_task(number, "triage_investigate")
    statuses = complete_together(app, monkeypatch, task["id"], TRIAGE_DATA, "triage")

    codes = sorted(code for code, _ in statuses)
    assert codes == [200, 409], statuses
    refused = next(body for code, body in statuses if code == 409)
    assert refused["error"]["code"] == "conflict"
    assert completions_of(app, task["id"]) == 1
    assert [t["task"] for t in api.case(number)["current_tasks"]] == ["close_case"]


def _complete_in_process(url, task_id, barrier, results):
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    _pause_first_completion(barrier)
    response = app.test_client().post(
        f"/api/tasks/{task_id}/complete",
        json={"data": TRIAGE_DATA},
        headers={"Authorization": f"Bearer {token_of('triage')}"},
    )
    results.put((response.status_code, response.get_json()))


def test_two_processes_complete_at_once_on_postgresql(pg_app, pg_url):
    app, api = pg_app, Api(pg_app)
    number = api.drive({"report": REPORT, "decisions": TO_VERIFY})
    task = api.ready_task(number, "triage_investigate")

    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    results = context.Queue()
    workers = [
        context.Process(
            target=_complete_in_process, args=(pg_url, task["id"], barrier, results)
        )
        for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    assert sorted(code for code, _ in outcomes) == [200, 409], outcomes
    assert completions_of(app, task["id"]) == 1
    assert [t["task"] for t in api.case(number)["current_tasks"]] == ["close_case"]


@pytest.mark.parametrize("index", [0, 3, 5, 10])
def test_sample_case_runs_on_postgresql(pg_app, index):
    case = sample_cases()[index]
    api = Api(pg_app)
    number = api.drive(case)
    detail = api.case(number)
    assert detail["status"] == "resolved"
    assert [
        e["element"] for e in detail["history"] if e["kind"] == "task_completed"
    ] == [d["task"] for d in case["decisions"]]
