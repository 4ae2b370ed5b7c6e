"""Create or upgrade the database schema with Alembic when the service starts."""

from pathlib import Path

from alembic import command
from alembic.config import Config

from models import db

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(connection=None):
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade_schema():
    """Bring the bound database to the newest migration (inside an app context)."""
    with db.engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
