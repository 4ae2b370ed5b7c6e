"""Build the casepath service: `flask --app app run`."""

import logging
import os
import secrets
from datetime import timedelta
from pathlib import Path

from flask import Flask
from sqlalchemy.exc import ArgumentError, OperationalError

import errors
import settings
import timing
from casework import sla_config
from casework.versions import BaselineInvalid
from cli import EX_CONFIG, EX_TEMPFAIL, stop_command_line
from models import db
from schema import upgrade_schema
from settings import SettingsError

ROOT = Path(__file__).resolve().parent


def create_app(config=None):
    """The Flask application, configured by `config` over the environment.

    Raises SettingsError, naming the setting, when one is wrong. Under the
    `flask` command a wrong setting or an unreachable database ends the command
    with one line on standard error instead (see cli.stop_command_line).
    """
    try:
        return _build(config)
    except (SettingsError, BaselineInvalid) as error:
        stop_command_line(str(error), EX_CONFIG)
        raise
    except OperationalError as error:
        reason = str(error.orig or error).strip().splitlines()[0]
        stop_command_line(f"the database is unavailable: {reason}", EX_TEMPFAIL)
        raise


def _build(config):
    app = Flask(__name__, instance_relative_config=True, static_folder=None)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    default_db = f"sqlite:///{Path(app.instance_path) / 'casepath.sqlite'}"
    app.config.update(
        SQLALCHEMY_DATABASE_URI=os.environ.get("DATABASE_URL", default_db),
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True},
        MAX_CONTENT_LENGTH=4 * 1024 * 1024,
        PROCESS_DIR=str(ROOT / "processes"),
        FORMS_DIR=str(ROOT / "forms"),
        SECRET_KEY=os.environ.get("SECRET_KEY") or _instance_secret(app.instance_path),
        WTF_CSRF_TIME_LIMIT=None,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=os.environ.get("SESSION_COOKIE_SECURE") == "1",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=8),
        **settings.mail_settings(os.environ),
        **sla_config.settings_from_environment(os.environ),
    )
    app.config.update(config or {})
    settings.check_numbers(app.config)
    settings.check_addresses(app.config)
    sla_config.init_app(app)
    logging.getLogger("casepath").setLevel(app.config.get("LOG_LEVEL", "INFO"))

    _init_database(app)
    errors.init_app(app)
    timing.init_app(app)
    _register_blueprints(app)
    _register_commands(app)
    with app.app_context():
        upgrade_schema()
        _deploy_baseline(app)
    return app


def _init_database(app):
    try:
        db.init_app(app)
    except ArgumentError as error:
        raise SettingsError(f"DATABASE_URL: {error}") from None


def _instance_secret(instance_path):
    """A random key kept in the instance folder, made on the first start.

    Sessions are signed with it, so it must never be a value anyone can read
    in the source; set SECRET_KEY to share one key between several servers.
    """
    path = Path(instance_path) / "secret_key"
    try:
        with open(
            path, "x", opener=lambda name, flags: os.open(name, flags, 0o600)
        ) as f:
            f.write(secrets.token_urlsafe(48))
    except FileExistsError:
        pass  # made by an earlier start, or by another process starting now
    return path.read_text().strip()


def _register_blueprints(app):
    import web
    from api import bp as api_bp

    app.register_blueprint(api_bp)
    web.init_app(app, api_bp)


def _register_commands(app):
    from cli import register

    register(app)


def _deploy_baseline(app):
    from casework.deploy import check_files
    from casework.email_checks import warn_of_email_problems
    from casework.provisional import rank_unranked_cases
    from casework.versions import deploy_baseline

    # A broken email template must not stop the service: it is logged, and its
    # emails go as the plain fallback (see casework/email_checks.py).
    deploy_baseline(
        app.config["PROCESS_DIR"],
        app.config["FORMS_DIR"],
        lambda files: check_files(files, emails=False),
    )
    warn_of_email_problems()
    rank_unranked_cases()
