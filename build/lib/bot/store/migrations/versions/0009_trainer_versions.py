"""trainers' changes as versions: examples taken back are marked, not deleted;
test stories trainers write; trainers' wordings of answers

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 05:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("training_examples") as table:
        table.add_column(sa.Column("removed_by", sa.String(length=128), nullable=True))
        table.add_column(sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "training_stories",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("steps", sa.JSON(), nullable=False),
        sa.Column("author", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("removed_by", sa.String(length=128), nullable=True),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "training_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("response", sa.String(length=128), nullable=False),
        sa.Column("variant", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("removed_by", sa.String(length=128), nullable=True),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_training_answers_response", "training_answers", ["response"])


def downgrade() -> None:
    op.drop_index("ix_training_answers_response", table_name="training_answers")
    op.drop_table("training_answers")
    op.drop_table("training_stories")
    with op.batch_alter_table("training_examples") as table:
        table.drop_column("removed_at")
        table.drop_column("removed_by")
