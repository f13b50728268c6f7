"""A revision number on each person, bumped with every change to their entries.

Revision ID: 0009_person_revision
Revises: 0008_lessons_journal
Create Date: 2026-12-05 16:05:00

"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_person_revision"
down_revision = "0008_lessons_journal"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("revision", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("revision")
