"""Migrations are reviewed like code: `upgrade head` must give exactly the models' schema."""

from __future__ import annotations

import sqlite3

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from secondchance.db import make_engine
from secondchance.migrate import (
    ForeignDatabaseError,
    alembic_config,
    current_revision,
    head_revision,
    upgrade,
)
from secondchance.models import Base


def test_upgrade_head_matches_the_models(engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    assert current_revision(engine) == head_revision()


def test_stories_marked_before_the_upgrade_keep_safety_on_after_it(engine) -> None:
    """0004: a story marked abuse or crisis (0003) becomes a signal, so nothing switches off."""
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, "0003_story_safety")
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO users (id, username, created_at) VALUES (7, 'alice', :at)"),
            {"at": "2026-11-01 10:00:00"},
        )
        for n, (crisis, abuse) in enumerate([(False, True), (True, False), (False, False)]):
            connection.execute(
                text(
                    "INSERT INTO stories (user_id, created_at, text, crisis, abuse) "
                    "VALUES (7, :at, 'a story', :crisis, :abuse)"
                ),
                {"at": f"2026-11-0{n + 1} 10:00:00", "crisis": crisis, "abuse": abuse},
            )
    assert upgrade(engine) is True
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT kind, source, created_at FROM safety_signals ORDER BY kind")
        ).all()
    assert [(kind, source) for kind, source, _ in rows] == [("abuse", "story"), ("crisis", "story")]
    assert str(rows[0][2]).startswith("2026-11-01 10:00:00")


def test_upgrade_twice_is_a_no_op(engine) -> None:
    assert upgrade(engine) is False


def test_a_file_that_is_not_a_database_is_refused(tmp_path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"this is a shopping list, not a database" * 100)
    engine = make_engine(f"sqlite:///{path}")
    with pytest.raises(ForeignDatabaseError, match="not a database"):
        upgrade(engine)
    engine.dispose()
    assert path.read_bytes().startswith(b"this is a shopping list")


def test_another_programs_database_is_left_alone(tmp_path) -> None:
    path = tmp_path / "other.db"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE recipes (name TEXT)")
    connection.commit()
    connection.close()
    engine = make_engine(f"sqlite:///{path}")
    with pytest.raises(ForeignDatabaseError, match="another program"):
        upgrade(engine)
    engine.dispose()
    tables = sqlite3.connect(path).execute("SELECT name FROM sqlite_master").fetchall()
    assert tables == [("recipes",)]


def test_sqlite_is_set_up_for_several_writers(tmp_path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.connect() as connection:
        pragma = lambda name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("foreign_keys") == 1
        assert pragma("busy_timeout") == 15_000
    engine.dispose()


def test_checkins_keep_their_answers_and_may_leave_them_unanswered_after_0006(engine) -> None:
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, "0005_recovery_codes_private_demo")
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO users (id, username, created_at) VALUES (7, 'alice', :at)"),
            {"at": "2026-11-01 10:00:00"},
        )
        connection.execute(
            text(
                "INSERT INTO checkins (user_id, day, mood, emotions, cried, social_checks, "
                "slept_well, note, created_at, updated_at) VALUES (7, '2026-11-01', 5, '[]', "
                ":cried, 0, :slept, '', :at, :at)"
            ),
            {"cried": True, "slept": False, "at": "2026-11-01 10:00:00"},
        )
    assert upgrade(engine) is True
    with engine.begin() as connection:
        assert connection.execute(text("SELECT cried, slept_well FROM checkins")).one() == (
            True,
            False,
        )
        connection.execute(
            text(
                "INSERT INTO checkins (user_id, day, mood, emotions, social_checks, note, "
                "created_at, updated_at) VALUES (7, '2026-11-02', 6, '[]', 0, '', :at, :at)"
            ),
            {"at": "2026-11-02 10:00:00"},
        )
        unanswered = connection.execute(
            text("SELECT cried, slept_well FROM checkins WHERE day = '2026-11-02'")
        ).one()
    assert unanswered == (None, None)
