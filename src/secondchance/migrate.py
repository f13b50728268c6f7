"""Bring a database to the current schema, and refuse files that are not ours."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect
from sqlalchemy.exc import DatabaseError, OperationalError

MIGRATIONS = Path(__file__).parent / "migrations"


class ForeignDatabaseError(Exception):
    """The database exists but belongs to something else, or is not a database at all."""


def alembic_config(url: str = "") -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


@cache
def head_revision() -> str:
    """The newest migration's revision (read once: the migrations ship with the code)."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head() or ""


def current_revision(engine: Engine) -> str | None:
    """Return the database's revision; None for an empty database.

    Raises ForeignDatabaseError for a file that is not a database, or one that holds
    tables of some other program (we never write into those).
    """
    try:
        with engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
            revision = MigrationContext.configure(connection).get_current_revision()
    except OperationalError:
        # A full disk, a read-only or locked file: trouble with where the database lives, not
        # a sign that the file is someone else's. The caller reports it as such.
        raise
    except DatabaseError as error:
        raise ForeignDatabaseError(
            f"{engine.url.database or engine.url} is not a database secondchance can read "
            "(it may be damaged, or a different kind of file)."
        ) from error
    if revision is None and tables:
        raise ForeignDatabaseError(
            f"{engine.url.database or engine.url} holds another program's tables; "
            "secondchance will not write into it. Point SECONDCHANCE_DATABASE_URL elsewhere."
        )
    return revision


def upgrade(engine: Engine) -> bool:
    """Migrate to the newest schema if needed. Returns True when anything was applied."""
    if current_revision(engine) == head_revision():
        return False
    cfg = alembic_config(str(engine.url))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")
    return True
