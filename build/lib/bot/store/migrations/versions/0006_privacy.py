"""privacy and access: invite codes, idle timeouts, retention times, login throttling

Secrets are now stored as keyed hashes (HMAC with the server's secret key), so
invite links and codes made before this revision no longer open anything: make
new ones from the caseload page.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 16:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("conversation_keys", schema=None) as batch_op:
        batch_op.add_column(sa.Column("code_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_unique_constraint("uq_conversation_keys_code_hash", ["code_hash"])
    for table in ("web_sessions", "staff_sessions"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column(
                    "last_seen_at",
                    sa.DateTime(timezone=True),
                    nullable=False,
                    server_default=sa.func.now(),
                )
            )
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.drop_column("failed_logins")
        batch_op.drop_column("locked_until")
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("client", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("blocked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("account_id", "client"),
    )
    with op.batch_alter_table("login_failures", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_login_failures_account_id"), ["account_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("login_failures")
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0")
        )
    for table in ("web_sessions", "staff_sessions"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("last_seen_at")
    with op.batch_alter_table("conversation_keys", schema=None) as batch_op:
        batch_op.drop_constraint("uq_conversation_keys_code_hash", type_="unique")
        batch_op.drop_column("last_used_at")
        batch_op.drop_column("code_hash")
