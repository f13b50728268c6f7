"""A check-in's "Did you cry?" and "Did you sleep well?" may be left unanswered (NULL).

Existing rows keep the answers they have; only new check-ins can leave them unknown.

Revision ID: 0006_checkin_unknowns
Revises: 0005_recovery_codes_private_demo
Create Date: 2026-12-05 10:30:00

"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_checkin_unknowns"
down_revision = "0005_recovery_codes_private_demo"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("checkins", schema=None) as batch_op:
        batch_op.alter_column("cried", existing_type=sa.Boolean(), nullable=True)
        batch_op.alter_column("slept_well", existing_type=sa.Boolean(), nullable=True)


def downgrade() -> None:
    # Going back, an unanswered question becomes the old form's preselected answer: the only
    # value the old schema can hold.
    op.execute("UPDATE checkins SET cried = false WHERE cried IS NULL")
    op.execute("UPDATE checkins SET slept_well = true WHERE slept_well IS NULL")
    with op.batch_alter_table("checkins", schema=None) as batch_op:
        batch_op.alter_column("cried", existing_type=sa.Boolean(), nullable=False)
        batch_op.alter_column("slept_well", existing_type=sa.Boolean(), nullable=False)
