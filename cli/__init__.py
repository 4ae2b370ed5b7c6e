"""Command-line verbs: `flask --app app users|worker|mail|demo ...`."""


def register(app):
    from .demo import demo
    from .mail import mail
    from .users import users
    from .worker import worker

    app.cli.add_command(users)
    app.cli.add_command(worker)
    app.cli.add_command(mail)
    app.cli.add_command(demo)
