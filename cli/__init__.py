"""Command-line verbs: `flask --app app users|worker|demo ...`."""


def register(app):
    from .demo import demo
    from .users import users
    from .worker import worker

    app.cli.add_command(users)
    app.cli.add_command(worker)
    app.cli.add_command(demo)
