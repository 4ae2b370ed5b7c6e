"""`flask --app app mail receive|requeue`: take in replies; queue emails again."""

import sys

import click
from flask.cli import AppGroup
from sqlalchemy.exc import SQLAlchemyError

from casework import outbox, replies
from casework.errors import Invalid

mail = AppGroup("mail", help="Email: take in a client's reply, queue emails again.")
LARGEST_MESSAGE = 10 * 1024 * 1024


@mail.command("receive")
@click.argument("message", type=click.File("rb"), default="-")
def receive(message):
    """Answer a case's questions with a client's emailed reply.

    Reads one RFC 822 message from MESSAGE, by default standard input, for a
    mail server to pipe into. Exits 0 when answered, and otherwise with a
    sysexits status (65 no token, 66 empty reply, 67 unknown token, 69 no
    longer waiting, 75 try later) and the reason on standard error.
    """
    raw = message.read(LARGEST_MESSAGE + 1)
    if len(raw) > LARGEST_MESSAGE:
        _refuse(replies.DATA_ERROR, "the message is larger than 10 MiB")
    try:
        answered = replies.receive(raw)
    except replies.ReplyRefused as refused:
        _refuse(refused.status, refused.message)
    except SQLAlchemyError as error:
        _refuse(replies.TRY_LATER, f"the database is unavailable: {error}")
    if answered.ignored:
        click.echo(f"ignored: {answered.ignored} (from {answered.sender or '?'})")
        return
    click.echo(f"{answered.case_number}: questions answered by {answered.sender}")


def _refuse(status, message):
    click.echo(f"refused: {message}", err=True)
    sys.exit(status)


@mail.command("requeue")
@click.option(
    "--status",
    type=click.Choice(outbox.REQUEUED_FROM),
    default="kept",
    show_default=True,
    help="Queue again every email in this state.",
)
def requeue(status):
    """Queue kept, failed or unknown emails again for the worker to send."""
    try:
        changed = outbox.requeue_all(status)
    except Invalid as refused:
        raise click.ClickException(refused.message) from None
    click.echo(f"{changed} {status} email{'s' if changed != 1 else ''} queued again")
