"""one stored version per bundle: process_versions.hash unique

Revision ID: 0006
Revises: 0005
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("process_versions") as batch_op:
        batch_op.drop_index("ix_process_versions_hash")
        batch_op.create_index("ix_process_versions_hash", ["hash"], unique=True)


def downgrade():
    with op.batch_alter_table("process_versions") as batch_op:
        batch_op.drop_index("ix_process_versions_hash")
        batch_op.create_index("ix_process_versions_hash", ["hash"], unique=False)
