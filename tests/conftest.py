"""Fixtures: an app on a fresh database, users of every lane, an API helper, tasks."""

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from app import create_app
from cli.users import add_user
from models import db

from .mailserver import smtp_server, smtp_settings
from .paths import FIRM
from .steps import at_task, claim

SHARED = Path(__file__).resolve().parents[2] / "shared"
SAMPLES = SHARED / "sample-cases.json"

STAFF = {
    "levelone": ["Level One"],
    "support": ["Support"],
    "support2": ["Support"],
    "triage": ["Triage"],
    "conn1": ["Engineering Connectivity"],
    "conn2": ["Engineering Connectivity"],
    "data1": ["Engineering Data"],
    "data2": ["Engineering Data"],
    "exports1": ["Engineering Exports"],
    "exports2": ["Engineering Exports"],
}


def sample_cases():
    """The shared sample cases, or a skip where ../shared is not beside the repo."""
    if not SAMPLES.exists():
        pytest.skip(f"{SAMPLES} is absent: the shared sample cases are not here")
    return json.loads(SAMPLES.read_text())


def add_test_users():
    """The staff of every lane, a manager and an owner, with known tokens."""
    for name, groups in STAFF.items():
        add_user(name, groups, token=token_of(name), password=PASSWORD)
    add_user("manager", [], manager=True, token=token_of("manager"), password=PASSWORD)
    add_user("owner", [], owner=True, token=token_of("owner"), password=PASSWORD)
    db.session.commit()


def sqlite_app(path):
    return create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})


@pytest.fixture(scope="session")
def template_database(tmp_path_factory):
    """A migrated database with the baseline version and the test users, made once."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    app = sqlite_app(path)
    with app.app_context():
        add_test_users()
        db.session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        db.session.remove()
        db.engine.dispose()
    return path


@pytest.fixture
def app(tmp_path, template_database):
    path = tmp_path / "test.sqlite"
    shutil.copyfile(template_database, path)
    app = sqlite_app(path)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


PASSWORD = "test-password"


def token_of(name):
    return f"test-token-for-{name}"


class Api:
    """Calls the JSON API as a named user, creating client users per firm."""

    def __init__(self, app):
        self.app = app
        self.client = app.test_client()

    def client_of(self, firm):
        name = "client:" + firm
        with self.app.app_context():
            from models import User

            if User.query.filter_by(name=name).one_or_none() is None:
                add_user(
                    name, ["Client"], firm=firm, token=token_of(name), password=PASSWORD
                )
                db.session.commit()
        return name

    def call(self, method, path, user, **kwargs):
        headers = kwargs.pop("headers", {})
        if user is not None:
            headers["Authorization"] = f"Bearer {token_of(user)}"
        return self.client.open(path, method=method, headers=headers, **kwargs)

    def get(self, path, user, **kwargs):
        return self.call("GET", path, user, **kwargs)

    def post(self, path, user, **kwargs):
        return self.call("POST", path, user, **kwargs)

    def report(self, report, user=None):
        user = user or self.client_of(report["firm"])
        response = self.post("/api/cases", user, json=report)
        assert response.status_code == 201, response.get_json()
        return response.get_json()["case_number"]

    def ready_task(self, case_number, element):
        """The id of the ready task `element` of a case (read as a manager)."""
        items = self.get(
            f"/api/tasks?case={case_number}&task={element}", "manager"
        ).get_json()["items"]
        assert items, f"{case_number} has no ready {element}"
        return items[0]

    def worker_for(self, task, case_number):
        """A user who may complete `task` (not the fixer, for a review)."""
        group = task["group"]
        if group == "Client":
            firm = self.get(f"/api/cases/{case_number}", "manager").get_json()["firm"]
            return self.client_of(firm)
        members = [name for name, groups in STAFF.items() if group in groups]
        if task["task"] == "technical_review":
            history = self.get(f"/api/cases/{case_number}", "manager").get_json()
            fixers = [
                e["actor"]
                for e in history["history"]
                if e["kind"] == "task_completed" and e["element"] == "research_fix"
            ]
            members = [m for m in members if m != fixers[-1]]
        assert members, f"no test user in {group}"
        return members[0]

    def complete(self, case_number, element, data, user=None):
        task = self.ready_task(case_number, element)
        user = user or self.worker_for(task, case_number)
        return self.post(f"/api/tasks/{task['id']}/complete", user, json={"data": data})

    def drive(self, case):
        """Report `case` and complete its decisions in order; return its number."""
        number = self.report(case["report"])
        for decision in case["decisions"]:
            response = self.complete(number, decision["task"], decision["data"])
            assert response.status_code == 200, (decision, response.get_json())
        return number

    def completions(self, case_number, element):
        """The history entries of `element` being completed, oldest first."""
        return [
            entry
            for entry in self.case(case_number)["history"]
            if entry["kind"] == "task_completed" and entry["element"] == element
        ]

    def case(self, case_number, user="manager"):
        return self.get(f"/api/cases/{case_number}", user).get_json()


@pytest.fixture
def api(app):
    return Api(app)


@pytest.fixture
def reporter(api):
    """A client user of FIRM, who may report its cases."""
    return api.client_of(FIRM)


@pytest.fixture
def assess_task(api):
    """The ready assess_issue task of a new case."""
    return at_task(api, "assess_issue")


@pytest.fixture
def claimed(api):
    """review_setup of a new case, claimed by `support`."""
    task = at_task(api, "review_setup")
    response = claim(api, task, "support")
    assert response.status_code == 200
    assert response.get_json()["assignee"] == "support"
    return task


def snapshot(app):
    """Every row of every table, to prove a refused request saved nothing."""
    with app.app_context():
        tables = inspect(db.engine).get_table_names()
        with db.engine.connect() as connection:
            return {
                table: connection.execute(
                    text(f'SELECT * FROM "{table}" ORDER BY 1')
                ).fetchall()
                for table in tables
            }


@pytest.fixture
def unchanged(app):
    """Use as `with unchanged(): ...` to assert the block saved nothing."""
    from contextlib import contextmanager

    @contextmanager
    def guard():
        before = snapshot(app)
        yield
        assert snapshot(app) == before, "a refused request changed the database"

    return guard


PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@pytest.fixture
def pg_url():
    """A fresh PostgreSQL schema on the local test database, or a skip."""
    import uuid

    psycopg = pytest.importorskip("psycopg")
    try:
        connection = psycopg.connect(
            "host=127.0.0.1 port=5432 dbname=test user=postgres connect_timeout=3",
            autocommit=True,
        )
    except psycopg.OperationalError as error:
        pytest.skip(f"PostgreSQL is not reachable on 127.0.0.1:5432: {error}")
    schema = f"casepath_test_{uuid.uuid4().hex[:10]}"
    connection.execute(f'CREATE SCHEMA "{schema}"')
    yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    connection.execute(f'DROP SCHEMA "{schema}" CASCADE')
    connection.close()


@pytest.fixture
def pg_app(pg_url):
    """An app on a fresh PostgreSQL schema, with the test users."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": pg_url})
    with app.app_context():
        add_test_users()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def server(app):
    """A test SMTP server's inbox, with the app sending through it."""
    with smtp_server() as (inbox, port):
        app.config.update(smtp_settings(port))
        yield inbox
