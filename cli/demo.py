"""`flask --app app demo users|cases`: demo people and a living backlog of cases."""

import json
from pathlib import Path

import click
from flask.cli import AppGroup

from casework import reporting
from casework import tasks as work
from casework.access import may_work
from models import Event, Task, User, db

from .users import add_user

DEMO_DIR = Path(__file__).resolve().parent.parent / "demo"
PASSWORD = "demo"
STAFF = [
    ("levelone", ["Level One"]),
    ("support", ["Support"]),
    ("triage", ["Triage"]),
    ("connectivity1", ["Engineering Connectivity"]),
    ("connectivity2", ["Engineering Connectivity"]),
    ("data1", ["Engineering Data"]),
    ("data2", ["Engineering Data"]),
    ("exports1", ["Engineering Exports"]),
    ("exports2", ["Engineering Exports"]),
]

demo = AppGroup("demo", help="Demo users and demo cases.")


def demo_cases():
    return json.loads((DEMO_DIR / "cases.json").read_text())


def client_name(firm):
    """The demo client user of `firm`: client-<first word of the firm>."""
    return "client-" + firm.split()[0].lower()


def token_for(name):
    return f"demo-{name}-token"


def seed_users():
    """Create the demo users unless some exist; return [(name, roles, token)]."""
    if User.query.count():
        return []
    made = []
    for name, groups in STAFF:
        made.append(
            (
                name,
                ", ".join(groups),
                add_user(name, groups, password=PASSWORD, token=token_for(name)),
            )
        )
    made.append(
        (
            "manager",
            "manager",
            add_user(
                "manager",
                [],
                manager=True,
                password=PASSWORD,
                token=token_for("manager"),
            ),
        )
    )
    made.append(
        (
            "owner",
            "process owner",
            add_user(
                "owner",
                [],
                owner=True,
                manager=True,
                password=PASSWORD,
                token=token_for("owner"),
            ),
        )
    )
    for firm in sorted({case["report"]["firm"] for case in demo_cases()}):
        name = client_name(firm)
        made.append(
            (
                name,
                f"Client of {firm}",
                add_user(
                    name,
                    ["Client"],
                    firm=firm,
                    password=PASSWORD,
                    token=token_for(name),
                ),
            )
        )
    db.session.commit()
    return made


def load_case(case):
    """Drive one demo case through the casework rules; return its case number."""
    reporter = User.query.filter_by(name=client_name(case["report"]["firm"])).one()
    number = reporting.report_case(reporter, case["report"])
    for decision in case["decisions"]:
        task = _ready_task(number, decision["task"])
        work.complete(_worker_for(task), task.id, decision["data"])
    return number


def _ready_task(number, element):
    from models import Case

    task = (
        Task.query.join(Case)
        .filter(
            Case.case_number == number, Task.element == element, Task.state == "ready"
        )
        .first()
    )
    if task is None:
        raise click.ClickException(f"{number} has no ready {element}")
    return task


def _worker_for(task):
    last_fixer = (
        Event.query.filter_by(
            case_id=task.case_id, kind="task_completed", element="research_fix"
        )
        .order_by(Event.id.desc())
        .first()
    )
    for user in User.query.order_by(User.id):
        if not may_work(user, task):
            continue
        if (
            task.element == "technical_review"
            and last_fixer
            and (last_fixer.actor_id == user.id)
        ):
            continue
        return user
    raise click.ClickException(f"no demo user works {task.group}")


@demo.command("users")
def users_command():
    """Create the demo users (password "demo") and print their tokens."""
    made = seed_users()
    if not made:
        click.echo("Users exist already; no demo users added.")
        return
    click.echo(f"Demo users (password: {PASSWORD}):")
    for name, roles, token in made:
        click.echo(f"  {name:<22} {roles:<40} token {token}")


@demo.command("cases")
def cases_command():
    """Load the demo cases through the same rules as the API."""
    seed_users()
    for case in demo_cases():
        number = load_case(case)
        click.echo(f"{number}: {case['report']['summary']} ({case['stage']})")


@demo.command("hint")
def hint_command():
    """Say how to sign in and how to load the demo cases."""
    from models import Case

    click.echo("casepath is starting. API tokens are demo-<user>-token, for example")
    click.echo(
        "  curl -H 'Authorization: Bearer demo-support-token' "
        "http://127.0.0.1:5000/api/tasks"
    )
    click.echo("Users: flask --app app users list (password for all: demo)")
    if Case.query.count() == 0:
        click.echo("No cases yet: run `make demo` to load demo cases in every stage.")
