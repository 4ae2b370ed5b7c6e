"""The command line: users add prints a working token; demo data loads by the rules."""

import pytest

from models import Case, Task, User

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
    ],
)
def test_users_add_refuses_incomplete_users(app, cli, args, message):
    result = cli(*args)
    assert result.exit_code != 0
    assert message in result.output
    with app.app_context():
        assert User.query.filter_by(name="c").count() == 0


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
