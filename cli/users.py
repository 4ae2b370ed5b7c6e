"""`flask --app app users add|list`: make users, groups and API tokens."""

import click
from flask.cli import AppGroup

from models import User, db
from models.user import CLIENT_GROUP

users = AppGroup("users", help="Manage users, their groups and API tokens.")


def add_user(
    name, groups, firm=None, manager=False, owner=False, password=None, token=None
):
    """Create or update user `name`; return its new API token (not committed)."""
    user = User.query.filter_by(name=name).one_or_none() or User(name=name)
    user.groups = groups
    user.firm = firm
    user.is_manager = manager
    user.is_owner = owner
    if password:
        user.set_password(password)
    issued = user.issue_token(token)
    db.session.add(user)
    return issued


def parse_groups(text):
    return [part.strip() for part in (text or "").split(",") if part.strip()]


@users.command("add")
@click.argument("name")
@click.option("--groups", default="", help='Comma-separated, e.g. "Support,Triage".')
@click.option("--firm", default=None, help="The firm of a Client user.")
@click.option("--manager", is_flag=True, help="Sees every case and the statistics.")
@click.option("--owner", is_flag=True, help="May deploy process versions.")
@click.option("--password", default=None, help="For signing in to the pages.")
@click.option("--token", default=None, help="Use this API token instead of a new one.")
def add(name, groups, firm, manager, owner, password, token):
    """Add (or update) a user and print its API token."""
    group_list = parse_groups(groups)
    if CLIENT_GROUP in group_list and not firm:
        raise click.UsageError("a Client user needs --firm")
    if token is not None and len(token) < 16:
        raise click.UsageError("a token needs at least 16 characters")
    issued = add_user(name, group_list, firm, manager, owner, password, token)
    db.session.commit()
    click.echo(issued)


@users.command("list")
def list_users():
    """List users with their groups and firm."""
    for user in User.query.order_by(User.name):
        roles = [*user.groups]
        roles += ["manager"] if user.is_manager else []
        roles += ["owner"] if user.is_owner else []
        firm = f" ({user.firm})" if user.firm else ""
        click.echo(f"{user.name}{firm}: {', '.join(roles)}")
