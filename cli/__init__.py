"""Command-line verbs: `flask --app app users|worker|mail|demo ...`."""

import click
from flask.cli import ScriptInfo

# sysexits(3) statuses, which mail servers and service managers understand.
EX_TEMPFAIL = 75  # try again later: the database cannot be reached now
EX_CONFIG = 78  # a setting is wrong


def register(app):
    from .demo import demo
    from .mail import mail
    from .users import users
    from .worker import worker

    app.cli.add_command(users)
    app.cli.add_command(worker)
    app.cli.add_command(mail)
    app.cli.add_command(demo)


def stop_command_line(reason, status):
    """When the `flask` command is loading the app, say `reason` in one line on
    standard error and exit with `status`; elsewhere (tests, a WSGI server) do
    nothing, and the caller raises its error as usual."""
    context = click.get_current_context(silent=True)
    if context is None or context.find_object(ScriptInfo) is None:
        return
    click.echo(f"casepath: {reason}", err=True)
    # SystemExit, not a ClickException: `flask run` would print the traceback
    # of any Exception raised while it loads the app.
    raise SystemExit(status)
