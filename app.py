"""Build the casepath service: `flask --app app run`."""

import logging
import os
import secrets
from datetime import timedelta
from pathlib import Path

from flask import Flask

import errors
import timing
from casework import sla_config
from models import db
from schema import upgrade_schema

ROOT = Path(__file__).resolve().parent


def create_app(config=None):
    """The Flask application, configured by `config` over the environment."""
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
        **_mail_settings(),
        **sla_config.settings_from_environment(os.environ),
    )
    app.config.update(config or {})
    sla_config.init_app(app)
    logging.getLogger("casepath").setLevel(app.config.get("LOG_LEVEL", "INFO"))

    db.init_app(app)
    errors.init_app(app)
    timing.init_app(app)
    _register_blueprints(app)
    _register_commands(app)
    with app.app_context():
        upgrade_schema()
        _deploy_baseline(app)
    return app


def _mail_settings():
    """Outgoing and incoming mail, from the environment; without SMTP_HOST the
    worker keeps every email in the outbox (see casework/delivery.py)."""
    env = os.environ.get
    return {
        "SMTP_HOST": env("SMTP_HOST") or None,
        "SMTP_PORT": int(env("SMTP_PORT") or 25),
        "SMTP_USER": env("SMTP_USER") or None,
        "SMTP_PASSWORD": env("SMTP_PASSWORD") or None,
        "SMTP_STARTTLS": (env("SMTP_STARTTLS") or "").lower() in ("1", "true", "yes"),
        "SMTP_TIMEOUT": float(env("SMTP_TIMEOUT") or 60),
        "MAIL_FROM": env("MAIL_FROM") or "casepath <casepath@localhost>",
        "REPLY_ADDRESS": env("REPLY_ADDRESS") or None,
        "MAIL_GROUP_ADDRESSES": _group_addresses(env("MAIL_GROUP_ADDRESSES") or ""),
        "MAIL_MAX_ATTEMPTS": int(env("MAIL_MAX_ATTEMPTS") or 8),
        "MAIL_RETRY_SECONDS": float(env("MAIL_RETRY_SECONDS") or 60),
        "MAIL_SENDING_TIMEOUT": float(env("MAIL_SENDING_TIMEOUT") or 600),
    }


def _group_addresses(text):
    """{"Support": "support@vendor.example"} from `Support=support@...;Triage=...`."""
    pairs = (part.partition("=") for part in text.split(";") if part.strip())
    return {name.strip(): address.strip() for name, _, address in pairs}


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
    from casework.versions import deploy_baseline

    deploy_baseline(app.config["PROCESS_DIR"], app.config["FORMS_DIR"])
