"""Workers: several at once on PostgreSQL fire each timer once; one on SQLite."""

import fcntl
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import func, insert, select

from casework import timers
from models import Case, Email, Event, Timer, db, utcnow

from .conftest import Api
from .paths import REPORT
from .racing import complete_together
from .steps import FIXED_BY_SUPPORT, QUESTIONS, case_at

ROOT = Path(__file__).resolve().parents[1]
CASES = 1000


def run_worker(app):
    result = app.test_cli_runner().invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    return result.stdout  # what it did; warnings go to standard error


def worker_command(*options):
    return [sys.executable, "-m", "flask", "--app", "app", "worker", *options]


def emails_of(app, number, template):
    with app.app_context():
        case = Case.query.filter_by(case_number=number).one()
        return Email.query.filter_by(case_id=case.id, template=template).count()


def confirmation_due_yesterday(api):
    """A case waiting for the client's confirmation, its auto-close timer due a
    day ago (the case was resolved eleven days ago)."""
    with time_machine.travel(utcnow() - timedelta(days=11)):
        number = api.report(REPORT)
        for element, data in FIXED_BY_SUPPORT[:-1]:
            assert api.complete(number, element, data).status_code == 200
    return number


def copies_of(number, count):
    """Make `count` cases just like `number`, with the same due timer, at once."""
    case = Case.query.filter_by(case_number=number).one()
    timer = Timer.query.filter_by(case_id=case.id, state="waiting").one()
    columns = [c.key for c in Case.__table__.columns if c.key not in ("id",)]
    first_id = db.session.scalar(select(func.max(Case.id))) + 1
    rows = []
    for offset in range(count):
        row = {name: getattr(case, name) for name in columns}
        row.update(id=first_id + offset, case_number=f"CP-{first_id + offset:06d}")
        rows.append(row)
    db.session.execute(insert(Case), rows)
    db.session.execute(
        insert(Timer),
        [
            {
                "case_id": row["id"],
                "task_id": timer.task_id,
                "element": timer.element,
                "due_at": timer.due_at,
                "state": "waiting",
            }
            for row in rows
        ],
    )
    db.session.commit()
    return [row["case_number"] for row in rows]


def test_two_workers_on_postgresql_fire_a_thousand_due_timers_once_each(pg_app, pg_url):
    api = Api(pg_app)
    number = confirmation_due_yesterday(api)
    with pg_app.app_context():
        numbers = [number, *copies_of(number, CASES - 1)]
        assert Timer.query.filter_by(state="waiting").count() == CASES
    env = {**os.environ, "DATABASE_URL": pg_url}

    with starting_gate(pg_url, expected=2):
        workers = [
            subprocess.Popen(
                worker_command("--once"),
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
    outputs = [worker.communicate(timeout=540) for worker in workers]

    for worker, (_out, err) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, err
    said = [
        {line.split(":")[0] for line in out.splitlines() if line.startswith("CP-")}
        for out, _ in outputs
    ]
    assert said[0] and said[1], "both workers should have fired some timers"
    assert not said[0] & said[1]
    assert said[0] | said[1] == set(numbers)
    with pg_app.app_context():
        assert Timer.query.filter_by(state="fired").count() == CASES
        assert Timer.query.filter(Timer.state != "fired").count() == 0
        fired = Counter(
            db.session.scalars(select(Event.case_id).where(Event.kind == "timer_fired"))
        )
        assert len(fired) == CASES and set(fired.values()) == {1}
        closed = Counter(
            db.session.scalars(
                select(Email.case_id).where(Email.template == "case_closed")
            )
        )
        assert len(closed) == CASES and set(closed.values()) == {1}
        assert {c.status for c in Case.query} == {"resolved"}


@contextmanager
def starting_gate(pg_url, expected, seconds=120):
    """Hold the timers table until `expected` sessions wait for it, so workers
    started in the block begin firing together however slowly each starts."""
    import psycopg

    schema = pg_url.rpartition("search_path%3D")[2]
    gate = psycopg.connect(
        "host=127.0.0.1 port=5432 dbname=test user=postgres",
        options=f"-csearch_path={schema}",
    )
    watch = psycopg.connect(
        "host=127.0.0.1 port=5432 dbname=test user=postgres", autocommit=True
    )
    gate.execute("LOCK TABLE timers IN ACCESS EXCLUSIVE MODE")
    try:
        yield
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            waiting = watch.execute(
                "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
                " JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE NOT l.granted AND c.relname = 'timers' AND n.nspname = %s",
                (schema,),
            )
            if waiting.fetchone()[0] >= expected:
                break
            time.sleep(0.1)
    finally:
        gate.rollback()
        gate.close()
        watch.close()


def test_a_second_worker_on_sqlite_exits_saying_why(app, tmp_path):
    database = app.config["SQLALCHEMY_DATABASE_URI"]
    first = waiting_worker(database)
    try:
        wait_until_locked(database.removeprefix("sqlite:///") + ".worker-lock", first)

        second = app.test_cli_runner().invoke(args=["worker", "--once"])

        assert second.exit_code == 1
        assert "another worker is already running" in second.output
        assert "One worker is enough on SQLite" in second.output
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    # The lock died with the process that held it.
    assert run_worker(app) == ""


def test_a_second_worker_through_a_link_to_the_database_exits_too(app, tmp_path):
    database = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    link = tmp_path / "link.sqlite"
    link.symlink_to(database)
    first = waiting_worker(f"sqlite:///{database}")
    try:
        wait_until_locked(database + ".worker-lock", first)
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{link}"}

        second = subprocess.run(
            worker_command("--once"), cwd=ROOT, env=env, capture_output=True
        )

        assert second.returncode == 1
        assert b"another worker is already running" in second.stderr
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)


@pytest.mark.parametrize("interval", ["-5", "0", "nan", "inf", "1e308"])
def test_a_worker_interval_out_of_range_is_refused_before_any_work(app, interval):
    result = app.test_cli_runner().invoke(args=["worker", "--interval", interval])

    assert result.exit_code == 2
    assert "--interval" in result.output
    assert "Traceback" not in result.output


def waiting_worker(database_url):
    """A worker process on `database_url` that waits an hour between runs."""
    return subprocess.Popen(
        worker_command("--interval", "3600"),
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def wait_until_locked(path, process, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read().decode()
        if os.path.exists(path):
            with open(path, "a") as probe:
                try:
                    fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    return
                fcntl.flock(probe, fcntl.LOCK_UN)
        time.sleep(0.1)
    raise AssertionError("the first worker never took the lock")


def test_a_reminder_is_queued_once_however_often_timers_are_fired(app, api):
    number = case_at(api, "answer_questions")
    with app.app_context():
        case_id = Case.query.filter_by(case_number=number).one().id
    with time_machine.travel(utcnow() + timedelta(days=3, minutes=1)):
        assert run_worker(app) == f"{number}: client_reminder_timer\n"
        assert run_worker(app) == ""
        with app.app_context():
            assert timers.fire_case(case_id) == []
    assert emails_of(app, number, "client_reminder") == 1
    assert emails_of(app, number, "client_questions") == 1


def test_two_completions_at_once_queue_the_resolution_email_once(app, api, monkeypatch):
    number = case_at(api, "review_setup")
    task = api.ready_task(number, "review_setup")
    results = complete_together(
        app, monkeypatch, task["id"], dict(FIXED_BY_SUPPORT[1][1]), "support"
    )
    codes = [code for code, _body in results]

    assert sorted(codes) == [200, 409]
    assert emails_of(app, number, "resolution") == 1
    queued = [
        e
        for e in api.case(number)["history"]
        if e["kind"] == "email_queued" and e["data"]["template"] == "resolution"
    ]
    assert len(queued) == 1


def test_each_question_round_queues_one_questions_email(app, api):
    number = case_at(api, "answer_questions")
    response = api.complete(number, "answer_questions", {"answers": "Pershing"})
    assert response.status_code == 200
    assert api.complete(number, "research_fix", QUESTIONS).status_code == 200
    assert emails_of(app, number, "client_questions") == 2


@pytest.mark.parametrize("confirmed", [True, False])
def test_a_closed_case_tells_the_client_once(app, api, confirmed):
    number = case_at(api, "review_resolution")
    if confirmed:
        response = api.complete(
            number, "review_resolution", {"problem_persists": False}
        )
        assert response.status_code == 200
    else:
        with time_machine.travel(utcnow() + timedelta(days=10, minutes=1)):
            run_worker(app)
            run_worker(app)
    assert api.case(number)["status"] == "resolved"
    assert emails_of(app, number, "case_closed") == 1
    with app.app_context():
        case = Case.query.filter_by(case_number=number).one()
        email = Email.query.filter_by(case_id=case.id, template="case_closed").one()
    said = "did not\nhear back" if not confirmed else "Thank you for confirming"
    assert said in email.body


def test_a_worker_with_a_mail_server_names_groups_without_an_address(app):
    app.config.update(
        SMTP_HOST="127.0.0.1",
        MAIL_GROUP_ADDRESSES={"Support": "s@vendor.example", "Suport": "t@x.example"},
    )

    result = app.test_cli_runner().invoke(args=["worker", "--once"])

    assert "no address for Level One, Triage, Engineering Connectivity" in result.stderr
    assert "Engineering Data, Engineering Exports, Managers;" in result.stderr
    assert "Managers" in result.stderr
    assert "Support," not in result.stderr
    assert "names Suport, which no email goes to" in result.stderr


def test_a_worker_without_a_mail_server_says_nothing_of_addresses(app):
    result = app.test_cli_runner().invoke(args=["worker", "--once"])

    assert result.exit_code == 0
    assert "MAIL_GROUP_ADDRESSES" not in result.stderr
