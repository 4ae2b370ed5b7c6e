"""Email delivery: HTML bodies, Message-IDs, attempts, and reply tokens

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.add_column(sa.Column("html_body", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("reply_to", sa.String(length=200), nullable=True))
        batch_op.add_column(
            sa.Column("message_id", sa.String(length=250), nullable=True)
        )
        batch_op.add_column(
            sa.Column("attempts", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("attempt_started_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("last_error", sa.Text(), nullable=True))
        batch_op.create_unique_constraint("uq_outbox_message_id", ["message_id"])
        batch_op.create_index("ix_outbox_status_next", ["status", "next_attempt_at"])

    op.create_table(
        "reply_tokens",
        sa.Column("token", sa.String(length=40), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"]),
        sa.PrimaryKeyConstraint("token"),
        sa.UniqueConstraint("task_id", name="uq_reply_tokens_task_id"),
    )
    with op.batch_alter_table("reply_tokens") as batch_op:
        batch_op.create_index("ix_reply_tokens_case_id", ["case_id"])


def downgrade():
    op.drop_table("reply_tokens")
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.drop_index("ix_outbox_status_next")
        batch_op.drop_constraint("uq_outbox_message_id", type_="unique")
        for name in (
            "last_error",
            "attempt_started_at",
            "next_attempt_at",
            "attempts",
            "message_id",
            "reply_to",
            "html_body",
        ):
            batch_op.drop_column(name)
