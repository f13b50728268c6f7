"""Form keys: the same form posted twice (a double tap) is saved once.

Revision ID: 0007_form_keys
Revises: 0006_checkin_unknowns
Create Date: 2026-12-05 10:30:00

"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_form_keys"
down_revision = "0006_checkin_unknowns"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "form_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_form_keys_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_form_keys")),
        sa.UniqueConstraint("user_id", "key", name="uq_form_keys_user_key"),
    )


def downgrade() -> None:
    op.drop_table("form_keys")
