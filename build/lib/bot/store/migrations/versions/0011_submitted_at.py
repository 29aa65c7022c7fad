"""when a statement version was sent to the caseworker

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 07:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("statement_versions") as table:
        table.add_column(sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("statement_versions") as table:
        table.drop_column("submitted_at")
