"""A remembered safety state: signals of crisis, concern or abuse in anything a person wrote,
and the person's own "I'm safe now" that sets them aside.

Stories already marked crisis or abuse (0003) become signals, so protection and the crisis
reminder stay on after the upgrade until the person clears them. Their evidence is empty: the
reading that found them isn't kept, and a migration never runs today's reader on old text.

Revision ID: 0004_remembered_safety
Revises: 0003_story_safety
Create Date: 2026-11-28 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_remembered_safety"
down_revision = "0003_story_safety"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "safety_signals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_safety_signals_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safety_signals")),
    )
    with op.batch_alter_table("safety_signals", schema=None) as batch_op:
        batch_op.create_index(
            "ix_safety_signals_user_created", ["user_id", "created_at"], unique=False
        )

    op.create_table(
        "safety_clearances",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kinds", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_safety_clearances_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safety_clearances")),
    )
    with op.batch_alter_table("safety_clearances", schema=None) as batch_op:
        batch_op.create_index(
            "ix_safety_clearances_user_created", ["user_id", "created_at"], unique=False
        )

    for kind in ("crisis", "abuse"):
        op.execute(
            sa.text(
                "INSERT INTO safety_signals (user_id, kind, source, source_id, evidence, "
                "created_at) "
                f"SELECT user_id, '{kind}', 'story', id, '[]', created_at FROM stories "
                f"WHERE {kind} ORDER BY id"
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("safety_clearances", schema=None) as batch_op:
        batch_op.drop_index("ix_safety_clearances_user_created")
    op.drop_table("safety_clearances")
    with op.batch_alter_table("safety_signals", schema=None) as batch_op:
        batch_op.drop_index("ix_safety_signals_user_created")
    op.drop_table("safety_signals")
