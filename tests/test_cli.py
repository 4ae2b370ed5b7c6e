"""The command line: users add prints a working token; demo data loads by the rules."""

import json
from datetime import timedelta

import pytest

from models import Case, Event, ProcessVersion, Task, User, VersionFile, db, utcnow

from .conftest import STAFF
from .paths import PATH_RESOLUTION


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()

    def invoke(*args):
        result = runner.invoke(args=list(args))
        return result

    return invoke


def test_users_add_prints_a_token_that_authenticates(app, cli):
    result = cli("users", "add", "nina", "--groups", "Support,Triage")
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    response = app.test_client().get(
        "/api/tasks", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200
    with app.app_context():
        assert User.query.filter_by(name="nina").one().groups == ["Support", "Triage"]


def test_users_add_takes_firm_password_roles_and_token(app, cli):
    result = cli(
        "users", "add", "olga", "--groups", "Client", "--firm", "Birch Hill",
        "--password", "s3cret", "--token", "olga-chosen-token-123",
    )  # fmt: skip
    assert result.output.strip() == "olga-chosen-token-123"
    result = cli("users", "add", "max", "--manager", "--owner")
    assert result.exit_code == 0
    with app.app_context():
        olga = User.query.filter_by(name="olga").one()
        assert olga.firm == "Birch Hill" and olga.check_password("s3cret")
        assert not olga.check_password("wrong")
        max_ = User.query.filter_by(name="max").one()
        assert max_.is_manager and max_.is_owner


@pytest.mark.parametrize(
    "args, message",
    [
        (["users", "add", "c", "--groups", "Client"], "needs --firm"),
        (["users", "add", "c", "--token", "short"], "16 to 200"),
        (["users", "add", "c", "--token", "  padded-token-with-spaces  "], "no spaces"),
        (["users", "add", "c", "--token", "test-token-for-support"], "another user"),
        (["users", "add", "c", "--groups", "Suport"], "unknown group 'Suport'"),
        (["users", "add", "c", "--groups", "support"], "unknown group"),
        (["users", "add", "c", "--groups", "Engineering "], "unknown group"),
        (["users", "add", "  "], "needs a name"),
        (["users", "add", "c", "--firm", "Birch Hill"], "for Client users"),
        (["users", "add", "c", "--groups", "Engineering Nonsense"], "unknown group"),
        (["users", "add", "c", "--groups", "Engineering data"], "unknown group"),
    ],
)
def test_users_add_refuses_incomplete_users(app, cli, args, message):
    result = cli(*args)
    assert result.exit_code != 0
    assert message in result.output
    with app.app_context():
        assert User.query.filter_by(name="c").count() == 0


@pytest.mark.parametrize(
    "args",
    [
        ["users", "add", "bad\x01"],
        ["users", "add", "bad\u2028name"],
        ["users", "add", "x" * 121],
        ["users", "add", "ada", "--groups", "Client", "--firm", "Birch\x1bHill"],
    ],
)
def test_users_add_refuses_control_characters_and_long_names(app, cli, args):
    result = cli(*args)

    assert result.exit_code != 0
    assert "control characters" in result.output
    with app.app_context():
        assert User.query.count() == len(STAFF) + 2


def test_users_add_names_the_engineering_groups_the_process_offers(cli):
    result = cli("users", "add", "c", "--groups", "Engineering Nonsense")

    assert "Engineering Connectivity, Engineering Data, Engineering Exports" in (
        result.output
    )
    assert cli("users", "add", "c", "--groups", "Engineering Data").exit_code == 0


def test_a_form_taking_any_engineering_group_lets_any_plain_name_in(app, cli):
    free_text = {"properties": {"engineering_group": {"type": "string"}}}
    with app.app_context():
        version = ProcessVersion.query.first()
        db.session.add(
            VersionFile(
                version=version, name="free.json", content=json.dumps(free_text)
            )
        )
        db.session.commit()

    assert cli("users", "add", "c", "--groups", "Engineering Tax").exit_code == 0
    refused = cli("users", "add", "d", "--groups", "Engineering Tax\x07")
    assert refused.exit_code != 0
    assert "Engineering <group>" in refused.output


def test_users_list_shows_groups_and_roles(cli):
    output = cli("users", "list").output
    assert "triage: Triage" in output
    assert "manager: manager" in output


def test_demo_users_join_existing_users_once(app, cli):
    first = cli("demo", "users").output
    assert "demo-connectivity1-token" in first
    assert "levelone " not in first  # the test users of those names stay as they are
    assert cli("demo", "users").output.strip() == "The demo users exist already."
    with app.app_context():
        assert User.query.filter_by(name="connectivity1").count() == 1
        assert User.query.filter_by(name="manager").count() == 1


def test_hint_names_the_port_the_service_runs_on(cli):
    output = cli("demo", "hint", "--port", "5077").output
    assert "http://127.0.0.1:5077/api/tasks" in output
    assert "make demo" in output


def test_demo_cases_leave_a_case_in_every_stage(tmp_path):
    from app import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'demo.db'}"})
    runner = app.test_cli_runner()
    users = runner.invoke(args=["demo", "users"])
    assert "levelone" in users.output and "demo-levelone-token" in users.output
    result = runner.invoke(args=["demo", "cases"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        cases = Case.query.all()
        assert len(cases) == 20
        resolved = {c.resolution_path for c in cases if c.status == "resolved"}
        assert resolved == set(PATH_RESOLUTION.values())
        stages = {t.element for t in Task.query.filter_by(state="ready")}
        assert stages == {
            "assess_issue", "resolve_directly", "review_setup", "triage_investigate",
            "evaluate_scope", "research_fix", "answer_questions", "technical_review",
            "verify_fix", "close_case", "review_resolution",
        }  # fmt: skip
        assert {c.priority for c in cases} >= {"Critical", "High", "Medium", "Low"}
    hint = runner.invoke(args=["demo", "hint"]).output
    assert "make demo" not in hint
    again = runner.invoke(args=["demo", "cases"]).output
    assert "loaded already" in again
    with app.app_context():
        assert Case.query.count() == 20


@pytest.fixture
def demo_app(tmp_path):
    """A service on a database of its own with the demo cases loaded."""
    from app import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'demo.db'}"})
    result = app.test_cli_runner().invoke(args=["demo", "cases"])
    assert result.exit_code == 0, result.output
    return app


def as_manager(app, path):
    headers = {"Authorization": "Bearer demo-manager-token"}
    response = app.test_client().get(path, headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_demo_cases_include_service_levels_at_risk_and_breached(demo_app):
    levels = as_manager(demo_app, "/api/stats/sla")
    activities = as_manager(demo_app, "/api/stats/activities")["items"]

    states = {"met": 0, "running": 0, "paused": 0, "at_risk": 0, "breached": 0}
    for row in levels["by_priority"]:
        for clock in ("response", "resolution"):
            for state, count in row[clock].items():
                states[state] += count
    assert states["breached"] >= 1 and states["at_risk"] >= 1, states
    assert states["met"] >= 1 and states["running"] >= 1, states
    assert len(levels["by_week"]) > 1
    overdue = {row["element"] for row in activities if row["overdue"]}
    assert overdue, activities
    medians = {row["median_seconds"] for row in activities if row["passed"]}
    assert len(medians) > 3 and min(medians) >= 600, medians


def test_aged_demo_cases_move_with_everything_they_left(demo_app):
    with demo_app.app_context():
        cases = Case.query.order_by(Case.id).all()
        reported = [case.created_at for case in cases]
        for case in cases:
            tasks = Task.query.filter_by(case_id=case.id).all()
            first = Event.query.filter_by(case_id=case.id).order_by(Event.id).first()
            assert first.kind == "reported"
            assert timedelta(0) <= first.at - case.created_at < timedelta(seconds=5)
            assert all(task.case_created_at == case.created_at for task in tasks)
            assert all(task.created_at >= case.created_at for task in tasks)
            assert all(t.ended_at >= t.created_at for t in tasks if t.ended_at)
            events = Event.query.filter_by(case_id=case.id).order_by(Event.id).all()
            assert [e.at for e in events] == sorted(e.at for e in events)
            if case.resolved_at:
                # Its steps took time, within the time since it was reported.
                assert timedelta(hours=1) < case.resolved_at - case.created_at
                assert case.resolved_at < utcnow()

    assert reported == sorted(reported)  # case numbers follow report times
    assert reported[-1] - reported[0] > timedelta(days=14)

    again = demo_app.test_cli_runner().invoke(args=["demo", "cases"])

    assert "loaded already" in again.output
    with demo_app.app_context():
        assert [c.created_at for c in Case.query.order_by(Case.id)] == reported
