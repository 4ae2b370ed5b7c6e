"""`flask --app app worker`: fire due timers, in a loop or once."""

import logging
import time

import click
from flask.cli import with_appcontext

from casework.timers import fire_due

log = logging.getLogger("casepath.timers")


@click.command("worker")
@with_appcontext
@click.option("--once", is_flag=True, help="Fire what is due now, then exit.")
@click.option(
    "--interval", default=30.0, show_default=True, help="Seconds between runs."
)
def worker(once, interval):
    """Fire due timers (reminders, give-ups, auto-closes) of every case."""
    while True:
        fired = fire_due()
        for case_number, elements in fired.items():
            click.echo(f"{case_number}: {', '.join(elements)}")
        if once:
            return
        time.sleep(interval)
