"""The CLI's entry: the Typer app, its friendly errors, and the runtime every command shares.

The one place of the command line that opens the database (through db.py); the commands
themselves call services.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape
from sqlalchemy import Engine
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from typer.core import TyperGroup

from secondchance.config import Settings
from secondchance.db import database_exists, make_engine, make_sessionmaker
from secondchance.migrate import ForeignDatabaseError, upgrade
from secondchance.program.lessons import LessonError, all_lessons
from secondchance.services.accounts import use_hashing
from secondchance.services.errors import InputError, NoProfile, NotFound
from secondchance.services.people import Person, profile_of, require_user
from secondchance.services.validate import local_moment


class FriendlyGroup(TyperGroup):
    """Turn the errors a person can cause into one clear line and exit code 1."""

    def invoke(self, ctx: typer.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (InputError, NoProfile, NotFound, ForeignDatabaseError) as error:
            _fail(str(error))
        except UnicodeDecodeError:  # standard input (or a file) that isn't UTF-8 text
            _fail("that isn't UTF-8 text, so it couldn't be read. Nothing was saved.")
        except ValidationError as error:  # settings from the environment
            problems = "; ".join(
                f"SECONDCHANCE_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}"
                for e in error.errors()
            )
            _fail(f"configuration: {problems}")
        except OperationalError as error:
            _fail(_database_trouble(error))
        except DatabaseError as error:
            _fail(f"the database couldn't be read ({error.orig}). Nothing was changed.")


def _database_trouble(error: OperationalError) -> str:
    text = str(error.orig).lower()
    if "locked" in text:
        return "the database is busy with another program; nothing was changed. Try again."
    if "readonly" in text or "read-only" in text:
        return "the database is read-only here; nothing was changed."
    if "full" in text:
        return "the disk is full; nothing was changed. Free some space and try again."
    if "disk" in text:
        # SQLite says "disk I/O error" when it can't even make its small -shm file: mostly a
        # full disk, sometimes a failing one.
        return (
            "the disk couldn't be written (is it full?); nothing was changed. Free some space "
            "and try again."
        )
    if "unable to open" in text:
        # SQLite keeps two small files beside the database (-wal, -shm) and must be able to
        # make them, even to read: a read-only folder or disk stops it at the door.
        return (
            "couldn't open the database: its folder is missing or read-only here "
            f"({error.orig}). Nothing was changed."
        )
    return f"couldn't reach the database ({error.orig}). Nothing was changed."


def _fail(message: str) -> None:
    Console(stderr=True, highlight=False, soft_wrap=True).print(f"[red]✗[/red] {escape(message)}")
    raise typer.Exit(1)


app = typer.Typer(
    cls=FriendlyGroup,
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    help="secondchance: a kind coach for the four-step program after a breakup.",
)
letter_app = typer.Typer(no_args_is_help=True, help="Letters you write and don't send.")
memory_app = typer.Typer(no_args_is_help=True, help="Good memories and inside jokes.")
db_app = typer.Typer(no_args_is_help=True, help="The database itself.")
safety_app = typer.Typer(
    invoke_without_command=True,
    help='What your words showed (crisis, concern, abuse) and your own "I\'m safe now".',
)
app.add_typer(letter_app, name="letter")
app.add_typer(memory_app, name="memory")
app.add_typer(db_app, name="db")
app.add_typer(safety_app, name="safety")


@dataclass
class Runtime:
    """What every command shares: settings, and a database opened (and migrated) on first use."""

    settings: Settings
    # Soft wrap: long lines stay whole when piped, and the terminal wraps them itself.
    console: Console = field(default_factory=lambda: Console(highlight=False, soft_wrap=True))
    # Help lines are shown at once, never held back with the rest until the commit: if saving
    # fails (a full disk), the person still sees where to find help.
    urgent: Console = field(default_factory=lambda: Console(highlight=False, soft_wrap=True))
    _engine: Engine | None = None
    _factory: sessionmaker[Session] | None = None

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = make_engine(self.settings.database_url)
            upgrade(self._engine)
            self._factory = make_sessionmaker(self._engine)
        return self._engine

    @contextmanager
    def action(self) -> Iterator[Session]:
        """One command, one transaction: all of it is saved, or none of it.

        What the command says inside the transaction ("Letter #3 kept") is held back until the
        commit has succeeded: a full disk fails the commit, and then only the error is shown.
        """
        self.engine  # noqa: B018 - opens and migrates the database
        assert self._factory is not None
        self.console.begin_capture()
        try:
            with self._factory() as session, session.begin():
                yield session
        except BaseException:
            self.console.end_capture()  # never said: it wasn't saved
            raise
        said = self.console.end_capture()
        if said:
            self.console.file.write(said)
            self.console.file.flush()

    @contextmanager
    def unmigrated_engine(self) -> Iterator[Engine]:
        """The database as it is, not migrated first (for `db upgrade` and `db current`)."""
        engine = make_engine(self.settings.database_url)
        try:
            yield engine
        finally:
            engine.dispose()

    def sessions(self, *, reads_only: bool = False) -> sessionmaker[Session]:
        """A session factory of its own, for work that owns its transactions (`remind`)."""
        return make_sessionmaker(self.engine, reads_only=reads_only)

    def database_exists(self) -> bool:
        """False for an SQLite file that isn't there yet; a server database is taken as there."""
        return database_exists(self.settings.database_url)

    def user(self, session: Session) -> Person:
        return require_user(session, self.settings.user)

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()


def runtime(ctx: typer.Context) -> Runtime:
    return ctx.find_root().obj  # type: ignore[no-any-return]


@app.callback()
def main_options(
    ctx: typer.Context,
    user: Annotated[
        str | None,
        typer.Option("--user", help="Whose data to use (default: SECONDCHANCE_USER, or 'me')."),
    ] = None,
) -> None:
    try:
        all_lessons()  # a wrong lesson file is named here, before any command runs
    except LessonError as error:
        _fail(f"A lesson file needs fixing: {error}")
    settings = Settings()
    if user is not None:
        settings = settings.model_copy(update={"user": user})
    try:
        use_hashing(settings.resolved_password_hashing())
    except ValueError as error:
        _fail(str(error))
    state = Runtime(settings)
    ctx.obj = state
    ctx.call_on_close(state.close)


def print_json(console: Console, data: Any) -> None:
    """Plain JSON on stdout, never wrapped or coloured, so scripts can parse it."""
    console.file.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def is_interactive() -> bool:
    return sys.stdin.isatty()


def when(session: Session, user: Person, value: str | None) -> datetime | None:
    """Parse a ``--at`` value in the person's own time zone."""
    if value is None:
        return None
    return local_moment("at", value, profile_of(session, user).timezone)
