"""training examples: wordings trainers taught the assistant

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 17:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "training_examples",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("intent", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_training_examples_intent", "training_examples", ["intent"])


def downgrade() -> None:
    op.drop_index("ix_training_examples_intent", table_name="training_examples")
    op.drop_table("training_examples")
