"""`flask --app app users add|list`: make users, groups and API tokens."""

import re

import click
from flask.cli import AppGroup

from models import User, db
from models.user import CLIENT_GROUP, ENGINEERING_PREFIX, token_digest

LANE_GROUPS = ("Client", "Level One", "Support", "Triage")
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9._~+/-]{16,200}")

users = AppGroup("users", help="Manage users, their groups and API tokens.")


def add_user(
    name, groups=(), firm=None, manager=False, owner=False, password=None, token=None
):
    """Create or update user `name`; return its new API token (not committed)."""
    user = User.query.filter_by(name=name).one_or_none() or User(name=name)
    user.groups = list(groups)
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


def check_user(name, groups, firm, token):
    """The reasons these `users add` arguments make no usable user, if any."""
    unknown = [group for group in groups if not _is_group(group)]
    if unknown:
        known = ", ".join([*LANE_GROUPS, "Engineering <group>"])
        return f"unknown group {unknown[0]!r}; groups are {known}"
    if not name.strip():
        return "a user needs a name"
    if CLIENT_GROUP in groups and not (firm or "").strip():
        return "a Client user needs --firm"
    if firm and CLIENT_GROUP not in groups:
        return "--firm is for Client users"
    if token is not None and not TOKEN_PATTERN.fullmatch(token):
        return "a token needs 16 to 200 letters, digits or . _ ~ + / - (no spaces)"
    if token is not None:
        holder = User.query.filter_by(token_hash=token_digest(token)).one_or_none()
        if holder is not None and holder.name != name:
            return "that token belongs to another user"
    return None


def _is_group(group):
    if group in LANE_GROUPS:
        return True
    team = group.removeprefix(ENGINEERING_PREFIX)
    return group.startswith(ENGINEERING_PREFIX) and team.strip() == team and team != ""


@users.command("add")
@click.argument("name")
@click.option("--groups", default="", help='Comma-separated, e.g. "Support,Triage".')
@click.option("--firm", default=None, help="The firm of a Client user.")
@click.option("--manager", is_flag=True, help="Sees every case and the statistics.")
@click.option("--owner", is_flag=True, help="May deploy process versions.")
@click.option("--password", default=None, help="For signing in to the pages.")
@click.option("--token", default=None, help="Use this API token instead of a new one.")
def add(name, groups, firm, manager, owner, password, token):
    """Add a user, or replace one of the same name, and print its new API token."""
    group_list = parse_groups(groups)
    problem = check_user(name, group_list, firm, token)
    if problem:
        raise click.UsageError(problem)
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
