"""trainers' versions of the practice questions

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 07:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "training_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("jobs", sa.JSON(), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("topic", sa.String(length=32), nullable=False),
        sa.Column("covers", sa.Text(), nullable=False),
        sa.Column("asks", sa.JSON(), nullable=False),
        sa.Column("in_practice", sa.Boolean(), nullable=False),
        sa.Column("author", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("removed_by", sa.String(length=128), nullable=True),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_training_questions_question_id", "training_questions", ["question_id"])


def downgrade() -> None:
    op.drop_index("ix_training_questions_question_id", table_name="training_questions")
    op.drop_table("training_questions")
