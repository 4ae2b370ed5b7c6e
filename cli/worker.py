"""`flask --app app worker`: fire due timers and send the outbox, in a loop or once."""

import fcntl
import logging
import math
import os
import time
from contextlib import contextmanager

import click
from flask import current_app
from flask.cli import with_appcontext

from casework.access import ENGINEERING_LANE
from casework.delivery import deliver_due
from casework.sla import check_due
from casework.sla_config import service_levels
from casework.timers import fire_due
from casework.versions import LANES
from models import db
from models.user import CLIENT_GROUP, ENGINEERING_PREFIX

from .users import engineering_groups

log = logging.getLogger("casepath.worker")
# What a run says about email; `kept` is the quiet default without a mail server.
SAID = ("sent", "retry", "failed", "unknown")


@click.command("worker")
@with_appcontext
@click.option("--once", is_flag=True, help="Do what is due now, then exit.")
@click.option(
    "--interval",
    default=30.0,
    show_default=True,
    callback=lambda _context, _option, value: _interval(value),
    help="Seconds between runs (1 to 86400).",
)
def worker(once, interval):
    """Fire due timers (reminders, give-ups, auto-closes) and send queued email.

    Several workers may run at once on PostgreSQL; on SQLite one is enough,
    and a second one exits saying so.
    """
    _warn_of_groups_without_address()
    with _only_worker_on_sqlite():
        while True:
            try:
                _run_once()
            except Exception:
                if once:
                    raise
                db.session.rollback()
                log.error("worker run failed; trying again later", exc_info=True)
            if once:
                return
            time.sleep(interval)


def _warn_of_groups_without_address():
    """Say at start which groups email may go to that have no address, while a
    mail server is set: their emails would fail one by one, unnoticed."""
    config = current_app.config
    if not config.get("SMTP_HOST"):
        return
    staff = [lane for lane in LANES if lane not in (CLIENT_GROUP, ENGINEERING_LANE)]
    offered = sorted(engineering_groups() or [])
    groups = staff + [f"{ENGINEERING_PREFIX}{group}" for group in offered]
    managers = service_levels().managers
    if "@" not in managers:
        groups.append(managers)
    listed = config.get("MAIL_GROUP_ADDRESSES") or {}
    missing = [group for group in groups if group not in listed]
    if missing:
        click.echo(
            f"worker: MAIL_GROUP_ADDRESSES has no address for {', '.join(missing)}; "
            "email to them (service-level notices, Support's notices) will fail",
            err=True,
        )
    unknown = sorted(set(listed) - set(groups))
    if unknown:
        click.echo(
            f"worker: MAIL_GROUP_ADDRESSES names {', '.join(unknown)}, which no "
            "email goes to (a misspelt group?)",
            err=True,
        )


def _interval(value):
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        raise click.BadParameter(f"{value!r} is not a number of seconds") from None
    if not (math.isfinite(seconds) and 1 <= seconds <= 24 * 3600):
        raise click.BadParameter(f"{value!r} is not from 1 to 86400 seconds")
    return seconds


def _run_once():
    for case_number, elements in fire_due().items():
        click.echo(f"{case_number}: {', '.join(elements)}")
    # Notices first, so that the emails they queue go out in this same run.
    if notices := check_due():
        click.echo(f"service levels: {notices} notice{'s' * (notices != 1)} queued")
    outcomes = deliver_due()
    told = [f"{outcomes[name]} {name}" for name in SAID if outcomes.get(name)]
    if told:
        click.echo(f"email: {', '.join(told)}")


@contextmanager
def _only_worker_on_sqlite():
    """Hold an exclusive lock beside an SQLite database while the worker runs.

    SQLite takes one writer at a time and has no row locks, so two workers
    could fire one timer or send one email twice. The lock is the kernel's:
    it goes when the process ends, however it ends.
    """
    url = db.engine.url
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        yield
        return
    # The real file's name, so that a link to the database shares its lock.
    path = f"{os.path.realpath(url.database)}.worker-lock"
    with open(path, "a") as lock_file:
        try:
            fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise click.ClickException(
                f"another worker is already running on {url.database} "
                f"(it holds {path}). One worker is enough on SQLite; to run "
                "several, use PostgreSQL (DATABASE_URL)."
            ) from None
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)
