"""`flask --app app demo users|cases`: demo people and a living backlog of cases."""

import json
from pathlib import Path

import click
from flask.cli import AppGroup

from casework import reporting
from casework import tasks as work
from casework.access import may_work
from models import Case, Event, Task, User, db

from .demo_age import age_case
from .users import add_user

DEMO_DIR = Path(__file__).resolve().parent.parent / "demo"
# A demo case's field: how many working days before loading it was reported.
AGE = "reported_working_days_ago"
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


def demo_people():
    """[(name, roles shown, add_user keyword arguments)] of every demo user."""
    people = [(name, ", ".join(groups), {"groups": groups}) for name, groups in STAFF]
    people.append(("manager", "manager", {"groups": [], "manager": True}))
    people.append(
        ("owner", "process owner", {"groups": [], "owner": True, "manager": True})
    )
    for firm in sorted({case["report"]["firm"] for case in demo_cases()}):
        people.append(
            (
                client_name(firm),
                f"Client of {firm}",
                {"groups": ["Client"], "firm": firm},
            )
        )
    return people


def seed_users():
    """Create the demo users that do not exist yet; return [(name, roles, token)]."""
    made = []
    for name, roles, arguments in demo_people():
        if User.query.filter_by(name=name).count():
            continue
        token = add_user(name, password=PASSWORD, token=token_for(name), **arguments)
        made.append((name, roles, token))
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
        click.echo("The demo users exist already.")
        return
    click.echo(f"Demo users (password: {PASSWORD}):")
    for name, roles, token in made:
        click.echo(f"  {name:<20} {roles:<44} token {token}")


@demo.command("cases")
@click.option("--again", is_flag=True, help="Load them even if loaded before.")
def cases_command(again):
    """Load the demo cases through the same rules as the API."""
    seed_users()
    first = demo_cases()[0]["report"]["summary"]
    if not again and Case.query.filter_by(summary=first).count():
        click.echo("The demo cases are loaded already (--again loads them once more).")
        return
    # Oldest first, so case numbers follow the report times.
    for case in sorted(demo_cases(), key=lambda case: -case.get(AGE, 0)):
        number = load_case(case)
        said = f"{number}: {case['report']['summary']} ({case['stage']}"
        if case.get(AGE):
            age_case(number, case[AGE])
            said += f", reported {case[AGE]:g} working days ago"
        click.echo(said + ")")


@demo.command("hint")
@click.option("--port", default=5000, show_default=True)
def hint_command(port):
    """Say how to sign in and how to load the demo cases."""
    click.echo("casepath is starting. API tokens are demo-<user>-token, for example")
    click.echo(
        "  curl -H 'Authorization: Bearer demo-support-token' "
        f"http://127.0.0.1:{port}/api/tasks"
    )
    click.echo("Users: flask --app app users list (password for all: demo)")
    if Case.query.count() == 0:
        click.echo("No cases yet: run `make demo` to load demo cases in every stage.")
