"""coaching: findings kept with each statement version, and safety flags

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 22:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("statement_versions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("findings", sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
        )
    op.create_table(
        "safety_flags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.String(length=128), nullable=False),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("context", sa.String(length=128), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("safety_flags", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_safety_flags_sender_id"), ["sender_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("safety_flags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_safety_flags_sender_id"))
    op.drop_table("safety_flags")
    with op.batch_alter_table("statement_versions", schema=None) as batch_op:
        batch_op.drop_column("findings")
