"""practice rounds: the summary of each practice with an employer

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 23:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "practice_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("job", sa.String(length=32), nullable=False),
        sa.Column("setting", sa.String(length=32), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["candidate_id"], ["candidates.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("practice_rounds", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_practice_rounds_candidate_id"), ["candidate_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("practice_rounds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_practice_rounds_candidate_id"))
    op.drop_table("practice_rounds")
