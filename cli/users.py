"""`flask --app app users add|list`: make users, groups and API tokens."""

import json
import re
import unicodedata

import click
from flask.cli import AppGroup
from sqlalchemy import select

from models import User, VersionFile, db
from models.user import CLIENT_GROUP, ENGINEERING_PREFIX, token_digest

LANE_GROUPS = ("Client", "Level One", "Support", "Triage")
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9._~+/-]{16,200}")
# Triage's choice of group; casework/access.py hands Engineering tasks to it.
ENGINEERING_FIELD = "engineering_group"
NAME_LIMIT, FIRM_LIMIT = 120, 200  # the users table's columns
GROUP_LIMIT = 100
UNPRINTABLE = frozenset({"Cc", "Cs", "Zl", "Zp"})

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
    for value, what, longest in (
        (name, "a name", NAME_LIMIT),
        (firm, "a firm", FIRM_LIMIT),
    ):
        if value and not _plain(value, longest):
            return (
                f"{what} holds at most {longest} characters and no control characters"
            )
    offered = engineering_groups()
    unknown = [group for group in groups if not _is_group(group, offered)]
    if unknown:
        return f"unknown group {unknown[0]!r}; groups are {_known_groups(offered)}"
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


def engineering_groups():
    """The Engineering groups the deployed versions offer Triage (the choices of
    their forms' `engineering_group` field), or None when a form takes any text."""
    offered = set()
    forms = db.session.scalars(
        select(VersionFile.content).where(VersionFile.name.like("%.json")).distinct()
    )
    for content in forms:
        field = _engineering_field(content)
        if field is None:
            continue
        choices = field.get("enum", [field["const"]] if "const" in field else None)
        if not isinstance(choices, list):
            return None
        offered.update(choice for choice in choices if isinstance(choice, str))
    return offered


def _engineering_field(content):
    try:
        schema = json.loads(content)
    except ValueError:
        return None
    properties = schema.get("properties") if isinstance(schema, dict) else None
    field = properties.get(ENGINEERING_FIELD) if isinstance(properties, dict) else None
    return field if isinstance(field, dict) else None


def _is_group(group, offered):
    if group in LANE_GROUPS:
        return True
    team = group.removeprefix(ENGINEERING_PREFIX)
    if not group.startswith(ENGINEERING_PREFIX) or team != team.strip() or not team:
        return False
    if offered is None:
        return _plain(team, GROUP_LIMIT)
    return team in offered


def _known_groups(offered):
    if offered is None:
        return ", ".join([*LANE_GROUPS, "Engineering <group>"])
    return ", ".join([*LANE_GROUPS, *(ENGINEERING_PREFIX + g for g in sorted(offered))])


def _plain(text, longest):
    """Whether `text` fits in `longest` characters without a control character
    (or a line or paragraph separator), which no page or log shows safely."""
    return len(text) <= longest and not any(
        unicodedata.category(char) in UNPRINTABLE for char in text
    )


@users.command("add")
@click.argument("name")
@click.option(
    "--groups",
    default="",
    help='Comma-separated, e.g. "Support,Triage". Engineering groups are '
    '"Engineering <group>" for a group the deployed versions offer Triage '
    "(Connectivity, Data, Exports in the shipped process).",
)
@click.option("--firm", default=None, help="The firm of a Client user.")
@click.option("--manager", is_flag=True, help="Sees every case and the statistics.")
@click.option("--owner", is_flag=True, help="May deploy process versions.")
@click.option("--password", default=None, help="For signing in to the pages.")
@click.option("--token", default=None, help="Use this API token instead of a new one.")
def add(name, groups, firm, manager, owner, password, token):
    """Add a user, or replace one of the same name, and print its new API token.

    Groups are Client, Level One, Support, Triage and "Engineering <group>",
    where <group> is one of the choices a deployed version's form gives Triage
    for `engineering_group`; when a form takes any text there, any group name
    of at most 100 characters without control characters. Names (at most 120
    characters) and firms may not hold control characters.
    """
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
