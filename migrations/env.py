"""Alembic environment: migrations run on the connection the service hands over."""

from alembic import context

from models import db

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through schema.upgrade_schema()")

context.configure(
    connection=connection, target_metadata=db.metadata, render_as_batch=True
)
with context.begin_transaction():
    context.run_migrations()
