"""Stories keep what the safety reading found (crisis, abuse), so Today can put safety first.

Revision ID: 0003_story_safety
Revises: 0002_web_accounts
Create Date: 2026-11-27 04:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_story_safety"
down_revision = "0002_web_accounts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("stories", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("crisis", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("abuse", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("stories", schema=None) as batch_op:
        batch_op.drop_column("abuse")
        batch_op.drop_column("crisis")
