"""Wrong settings stop the service at start, naming the setting, in one line."""

import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from app import create_app
from casework.business_hours import (
    BusinessCalendar,
    add_business_seconds,
    business_seconds,
)
from settings import SettingsError

from .mailserver import free_port

ROOT = Path(__file__).resolve().parents[1]
BAD_ENVIRONMENTS = [
    ({"SLA_TIMEZONE": "Mars/Olympus"}, "SLA_TIMEZONE"),
    ({"SLA_TIMEZONE": ""}, "SLA_TIMEZONE"),
    ({"SLA_WORKDAYS": ""}, "SLA_WORKDAYS"),
    ({"SLA_HOURS": "17:00-09:00"}, "SLA_HOURS"),
    ({"SLA_HOURS": "9-17"}, "SLA_HOURS"),
    ({"SLA_HOLIDAYS": "2025-13-01"}, "SLA_HOLIDAYS"),
    ({"SLA_TARGETS": "Urgent=1h/2h"}, "SLA_TARGETS"),
    ({"SLA_TARGETS": "Medium=99999999d/99999999d"}, "SLA_TARGETS"),
    ({"SLA_TARGETS": "Low=251d/251d"}, "SLA_TARGETS"),
    ({"SLA_TARGETS": "Critical=2d/1h"}, "SLA_TARGETS"),
    ({"SLA_TARGETS": "High=5d/4h"}, "SLA_TARGETS"),
    ({"SMTP_PORT": "abc"}, "SMTP_PORT"),
    ({"SMTP_PORT": "70000"}, "SMTP_PORT"),
    ({"SMTP_TIMEOUT": "0"}, "SMTP_TIMEOUT"),
    ({"MAIL_MAX_ATTEMPTS": "x"}, "MAIL_MAX_ATTEMPTS"),
    ({"MAIL_MAX_ATTEMPTS": "0"}, "MAIL_MAX_ATTEMPTS"),
    ({"MAIL_RETRY_SECONDS": "-5"}, "MAIL_RETRY_SECONDS"),
    ({"MAIL_RETRY_SECONDS": "nan"}, "MAIL_RETRY_SECONDS"),
    ({"MAIL_SENDING_TIMEOUT": "1e400"}, "MAIL_SENDING_TIMEOUT"),
    ({"DATABASE_URL": "not a database address"}, "DATABASE_URL"),
    ({"MAIL_FROM": "not an address"}, "MAIL_FROM"),
    ({"REPLY_ADDRESS": "noat"}, "REPLY_ADDRESS"),
    ({"REPLY_ADDRESS": "Cases <cases@vendor.example>"}, "REPLY_ADDRESS"),
    ({"MAIL_GROUP_ADDRESSES": "garbage"}, "MAIL_GROUP_ADDRESSES"),
    ({"MAIL_GROUP_ADDRESSES": "Support=s@x;Triage=nobody"}, "MAIL_GROUP_ADDRESSES"),
    ({"SMTP_STARTTLS": "maybe"}, "SMTP_STARTTLS"),
    ({"SLA_NOTIFY_MANAGERS": "lead@vendor.example,nobody"}, "SLA_NOTIFY_MANAGERS"),
]


def start(tmp_path, **config):
    database = tmp_path / "settings.sqlite"
    config.setdefault("SQLALCHEMY_DATABASE_URI", f"sqlite:///{database}")
    return create_app(config)


@pytest.mark.parametrize(("environment", "named"), BAD_ENVIRONMENTS)
def test_a_wrong_setting_stops_create_app_naming_it(
    monkeypatch, tmp_path, environment, named
):
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    if "DATABASE_URL" in environment:
        with pytest.raises(SettingsError) as refused:
            create_app()
    else:
        with pytest.raises(SettingsError) as refused:
            start(tmp_path)

    assert str(refused.value).startswith(f"{named}")
    assert not (tmp_path / "settings.sqlite").exists()


def test_several_addresses_are_taken_where_a_list_is_meant(monkeypatch, tmp_path):
    monkeypatch.setenv("MAIL_GROUP_ADDRESSES", "Support=a@x.example, b@x.example")
    monkeypatch.setenv("SLA_NOTIFY_MANAGERS", "lead@x.example,deputy@x.example")
    monkeypatch.setenv("MAIL_FROM", "Support <support@x.example>")

    app = start(tmp_path)

    assert app.config["MAIL_GROUP_ADDRESSES"] == {"Support": "a@x.example, b@x.example"}


def test_numbers_from_the_environment_become_numbers(monkeypatch, tmp_path):
    monkeypatch.setenv("SMTP_PORT", "587")
    monkeypatch.setenv("MAIL_RETRY_SECONDS", "30")
    monkeypatch.setenv("MAIL_MAX_ATTEMPTS", " 12 ")

    config = start(tmp_path).config

    assert (config["SMTP_PORT"], config["MAIL_MAX_ATTEMPTS"]) == (587, 12)
    assert config["MAIL_RETRY_SECONDS"] == 30.0
    assert config["SMTP_TIMEOUT"] == 60.0


def test_numbers_given_to_create_app_are_checked_too(tmp_path):
    with pytest.raises(SettingsError, match="^MAIL_MAX_ATTEMPTS"):
        start(tmp_path, MAIL_MAX_ATTEMPTS=True)
    with pytest.raises(SettingsError, match="^SMTP_PORT"):
        start(tmp_path, SMTP_PORT=0)


def test_targets_up_to_the_bound_are_taken(tmp_path):
    app = start(tmp_path, SLA_TARGETS="Low=250d/250d;Critical=1h/1h")

    targets = app.extensions["casepath.sla"].targets
    assert targets["Low"] == {"response": 250 * 8 * 3600, "resolution": 250 * 8 * 3600}
    assert targets["Critical"]["response"] == targets["Critical"]["resolution"]


def flask(args, environment, stdin=None, timeout=60):
    """Run `flask --app app <args>` with `environment` over a clean one."""
    env = {**os.environ, **environment, "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        timeout=timeout,
    )


@pytest.mark.parametrize(
    ("args", "environment", "named"),
    [
        (["run", "--port", "5399"], {"SLA_TIMEZONE": "Mars/Olympus"}, "SLA_TIMEZONE"),
        (["worker", "--once"], {"SLA_HOURS": "9-17"}, "SLA_HOURS"),
        (["users", "list"], {"SLA_TARGETS": "Critical=2d/1h"}, "SLA_TARGETS"),
        (["users", "list"], {"SMTP_PORT": "abc"}, "SMTP_PORT"),
    ],
)
def test_the_flask_command_says_which_setting_in_one_line(
    tmp_path, args, environment, named
):
    database = {"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite'}"}

    result = flask(args, {**environment, **database})

    lines = result.stderr.decode().strip().splitlines()
    assert result.returncode == 78, result.stderr.decode()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"casepath: {named}")
    assert not (tmp_path / "cli.sqlite").exists()


def test_the_flask_command_exits_75_when_the_database_cannot_be_reached():
    port = free_port()  # nothing listens there
    unreachable = {"DATABASE_URL": f"postgresql+psycopg://postgres@127.0.0.1:{port}/x"}

    result = flask(["users", "list"], unreachable)

    lines = result.stderr.decode().strip().splitlines()
    assert result.returncode == 75, result.stderr.decode()
    assert len(lines) == 1, lines
    assert lines[0].startswith("casepath: the database is unavailable")


CALENDAR = BusinessCalendar(zone=ZoneInfo("Europe/London"))
MONDAY = datetime(2025, 3, 3, 10, tzinfo=UTC)


@pytest.mark.parametrize("seconds", [1e12, 1e300, float("inf"), float("nan")])
def test_a_huge_span_ends_far_off_quickly_without_overflowing(seconds):
    began = time.monotonic()

    due = add_business_seconds(CALENDAR, MONDAY, seconds)

    assert time.monotonic() - began < 5
    assert due.year > MONDAY.year + 90


def test_the_walk_stops_before_the_last_date_there_is():
    late = datetime(9999, 12, 20, tzinfo=UTC)

    due = add_business_seconds(CALENDAR, late, 100 * 8 * 3600)

    assert late <= due <= datetime.max.replace(tzinfo=UTC)
    assert business_seconds(CALENDAR, late, datetime.max.replace(tzinfo=UTC)) > 0
