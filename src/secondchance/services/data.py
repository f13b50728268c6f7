"""Everything a person has stored, out and back in: export, import, backup, delete.

The JSON export is lossless and deterministic: rows in the order they were written, every
column but internal ids, so export -> import -> export gives the same bytes apart from
``exported_at``. A safety signal names the row it was read from by its place (from 0) in that
table's list in the same export, since ids differ from one database to the next.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import tempfile
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Column, Engine, delete, func, select
from sqlalchemy.orm import Session

from secondchance.clock import zone
from secondchance.db import bump_revision, is_sqlite
from secondchance.migrate import head_revision
from secondchance.models import (
    HISTORY_TABLES,
    Base,
    CheckIn,
    Profile,
    SafetyClearance,
    SafetyPlan,
    SafetySignal,
    Story,
    User,
    UTCDateTime,
)
from secondchance.program import steps
from secondchance.services import safety_state
from secondchance.services.errors import InputError

FORMAT = "secondchance-export"
VERSION = 1
# Internal bookkeeping, not the person's data: ids, and the revision that keys the status cache.
PRIVATE = ("id", "user_id", "revision")


class ImportFileError(InputError):
    def __init__(self, message: str) -> None:
        super().__init__("import", message)


def _columns(model: type[Base]) -> list[Column[Any]]:
    return [c for c in model.__table__.columns if c.name not in PRIVATE]


def _encode(column: Column[Any], value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column.type, UTCDateTime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _row(model: type[Base], row: Base) -> dict[str, Any]:
    return {c.name: _encode(c, getattr(row, c.name)) for c in _columns(model)}


def _rows(session: Session, model: type[Base], user: User) -> list[dict[str, Any]]:
    query = select(model).where(model.user_id == user.id).order_by(model.id)  # type: ignore[attr-defined]
    return [_row(model, r) for r in session.scalars(query)]


# One-to-one parts of a person, exported as an object (or null) under these names.
SINGLE_ROWS: tuple[tuple[str, type[Base]], ...] = (
    ("profile", Profile),
    ("safety_plan", SafetyPlan),
)


def export_person(session: Session, user: User) -> dict[str, Any]:
    person: dict[str, Any] = _row(User, user)
    for name, model in SINGLE_ROWS:
        row = session.get(model, user.id)
        person[name] = None if row is None else _row(model, row)
    for model in HISTORY_TABLES:
        person[model.__tablename__] = _rows(session, model, user)
    signals = person[SafetySignal.__tablename__]
    if signals:
        _name_sources_by_place(session, user, signals)
    return person


SIGNALS = SafetySignal.__tablename__
# The tables a signal's source can be a row of, by source name.
SOURCE_TABLES = {
    source: model.__tablename__
    for source, model in safety_state.SOURCES.items()
    if model is not None
}


def _name_sources_by_place(session: Session, user: User, signals: list[dict[str, Any]]) -> None:
    """Replace each exported signal's ``source_id`` by its row's place in the export's list.

    A source row that is gone (a memory removed since) or that has no row leaves None.
    """
    places: dict[str, dict[int, int]] = {}
    for source, table in SOURCE_TABLES.items():
        model = next(m for m in HISTORY_TABLES if m.__tablename__ == table)
        query = select(model.id).where(model.user_id == user.id).order_by(model.id)  # type: ignore[attr-defined]
        places[source] = {row_id: n for n, row_id in enumerate(session.scalars(query))}
    for signal in signals:
        found = places.get(signal["source"], {})
        row_id = signal["source_id"]
        signal["source_id"] = None if row_id is None else found.get(row_id)


def _link_sources(built: dict[str, list[Base]]) -> None:
    """Point imported signals back at their rows (flushed, so with ids): the export names each
    source by its place in its table's list. A place past the end leaves None."""
    for signal in built.get(SIGNALS, []):
        place = signal.source_id  # type: ignore[attr-defined]
        rows = built.get(SOURCE_TABLES.get(signal.source, ""), [])  # type: ignore[attr-defined]
        linked = rows[place] if place is not None and 0 <= place < len(rows) else None
        signal.source_id = None if linked is None else linked.id  # type: ignore[attr-defined]


def _signals_from_stories(person: dict[str, Any], built: dict[str, list[Base]]) -> list[Base]:
    """For an export made before safety signals were kept, the signals its stories imply.

    A story marked crisis or abuse was what put safety first then; importing it must not
    switch that off. Returns new, unsaved rows (empty when the file has signals of its own).
    """
    if SIGNALS in person:
        return []
    signals: list[Base] = []
    for n, story in enumerate(built.get(Story.__tablename__, [])):
        for kind in ("crisis", "abuse"):
            if getattr(story, kind):
                signals.append(
                    SafetySignal(
                        user_id=story.user_id,  # type: ignore[attr-defined]
                        kind=kind,
                        source="story",
                        source_id=n,
                        evidence=[],
                        created_at=story.created_at,  # type: ignore[attr-defined]
                    )
                )
    return signals


def export_all(session: Session, now: datetime, users: list[User] | None = None) -> dict[str, Any]:
    """Return the whole database (or just ``users``) as JSON-ready data."""
    people = users if users is not None else list(session.scalars(select(User).order_by(User.id)))
    return {
        "format": FORMAT,
        "version": VERSION,
        "schema": head_revision(),
        "exported_at": now.isoformat(),
        "people": [export_person(session, u) for u in people],
    }


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def export_csv(session: Session, directory: Path, users: list[User] | None = None) -> list[Path]:
    """Write one CSV per table into ``directory`` (created if missing); returns the files.

    Lists (emotions, tags) and mappings (answers) are written as JSON inside their cell.
    """
    directory.mkdir(parents=True, exist_ok=True)
    people = users if users is not None else list(session.scalars(select(User).order_by(User.id)))
    written: list[Path] = []
    singles = {model: name for name, model in SINGLE_ROWS}
    exported = [(user.username, export_person(session, user)) for user in people]
    for model in (*singles, *HISTORY_TABLES):
        names = [c.name for c in _columns(model)]
        path = directory / f"{model.__tablename__}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["username", *names])
            for username, person in exported:
                single = singles.get(model)
                rows = [person[single]] if single else person[model.__tablename__]
                for row in rows:
                    if row is not None:
                        writer.writerow([username, *(_cell(row[n]) for n in names)])
        written.append(path)
    return written


def _cell(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else value


# JSON columns and the shape each holds.
JSON_SHAPES: dict[str, type] = {
    "emotions": list,
    "tags": list,
    "answers": dict,
    "evidence": list,
    "kinds": list,
}


def _expected_type(column: Column[Any]) -> type:
    if isinstance(column.type, UTCDateTime):
        return datetime
    if isinstance(column.type, JSON):
        return JSON_SHAPES[column.name]
    return column.type.python_type


def _decode(column: Column[Any], value: Any, where: str) -> Any:
    """Turn one JSON value back into a column value; ImportFileError if it can't be."""
    if value is None:
        if column.default is not None and not callable(column.default.arg):
            return column.default.arg  # a field added later: older exports lack it
        if not column.nullable:
            raise ImportFileError(f"{where}.{column.name} is missing")
        return None
    python_type = _expected_type(column)
    try:
        if python_type is datetime:
            parsed = datetime.fromisoformat(value)
            if parsed.tzinfo is None:
                raise ValueError
            return parsed
        if python_type is date:
            return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ImportFileError(f"{where}.{column.name} is not a valid date or time") from None
    if python_type is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise ImportFileError(f"{where}.{column.name} should be a whole number")
    if python_type is bool and not isinstance(value, bool):
        raise ImportFileError(f"{where}.{column.name} should be true or false")
    if python_type is str and not isinstance(value, str):
        raise ImportFileError(f"{where}.{column.name} should be text")
    if python_type in (list, dict) and not isinstance(value, python_type):
        raise ImportFileError(f"{where}.{column.name} has the wrong shape")
    return value


def _build(model: type[Base], data: Any, where: str, **extra: Any) -> Base:
    if not isinstance(data, dict):
        raise ImportFileError(f"{where} should be an object")
    columns = _columns(model)
    unknown = set(data) - {c.name for c in columns}
    if unknown:
        raise ImportFileError(f"{where} has unexpected fields: {', '.join(sorted(unknown))}")
    values = {c.name: _decode(c, data.get(c.name), where) for c in columns}
    return model(**values, **extra)


def _check_header(data: Any) -> list[Any]:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ImportFileError("this isn't a secondchance export file")
    if data.get("version") != VERSION:
        raise ImportFileError(
            f"this export is version {data.get('version')!r}; this secondchance reads "
            f"version {VERSION}"
        )
    people = data.get("people")
    if not isinstance(people, list):
        raise ImportFileError("the file has no list of people")
    return people


def import_all(session: Session, data: Any) -> int:
    """Load an export into an empty database. Returns how many people were imported.

    Raises ImportFileError for a file of the wrong shape or version, or a database that
    already holds people (importing never overwrites anything).
    """
    people = _check_header(data)
    if session.scalar(select(func.count()).select_from(User)):
        raise ImportFileError("the database isn't empty; import only goes into a new database")
    for index, person in enumerate(people):
        where = f"people[{index}]"
        if not isinstance(person, dict):
            raise ImportFileError(f"{where} should be an object")
        nested = {name for name, _ in SINGLE_ROWS} | {m.__tablename__ for m in HISTORY_TABLES}
        user_fields = {k: val for k, val in person.items() if k not in nested}
        user = _build(User, user_fields, where)
        session.add(user)
        session.flush()
        for name, model in SINGLE_ROWS:
            if person.get(name) is not None:
                session.add(_build(model, person[name], f"{where}.{name}", user_id=user.id))
        built: dict[str, list[Base]] = {}
        for model in HISTORY_TABLES:
            table = model.__tablename__
            rows = person.get(table, [])
            if not isinstance(rows, list):
                raise ImportFileError(f"{where}.{table} should be a list")
            built[table] = [
                _build(model, row, f"{where}.{table}[{n}]", user_id=user.id)
                for n, row in enumerate(rows)
            ]
        _add_history(session, person, built)
    return len(people)


def _add_history(session: Session, person: dict[str, Any], built: dict[str, list[Base]]) -> None:
    """Add one person's built history rows, in order, and link the signals to their rows."""
    built[SIGNALS] = [*built.get(SIGNALS, []), *_signals_from_stories(person, built)]
    for model in HISTORY_TABLES:
        session.add_all(built.get(model.__tablename__, []))
    session.flush()  # the ids the signals link to
    _link_sources(built)
    session.flush()


def delete_person(session: Session, user: User) -> None:
    """Delete the account and everything in it (the database cascades to every table)."""
    session.execute(delete(User).where(User.id == user.id))
    session.flush()


def delete_history(session: Session, user: User) -> None:
    """Delete the person's profile and history but keep the account (used by ``demo --reset``)."""
    for model in (*HISTORY_TABLES, SafetyPlan, Profile):
        session.execute(delete(model).where(model.user_id == user.id))  # type: ignore[attr-defined]
    bump_revision(session, {user.id})  # bulk deletes pass by the flush that bumps it otherwise
    session.flush()


def backup(engine: Engine, destination: Path) -> int:
    """Copy an SQLite database to ``destination`` with SQLite's online backup.

    Safe while other processes write: the copy is one consistent moment. Returns the size in
    bytes. Raises InputError for PostgreSQL (use pg_dump) or an existing destination.
    """
    if not is_sqlite(str(engine.url)):
        raise InputError(
            "backup", "works for SQLite files; for PostgreSQL use pg_dump, or `export`"
        )
    if destination.exists():
        raise InputError("backup", f"{destination} already exists; choose a new file name")
    destination.parent.mkdir(parents=True, exist_ok=True)
    raw = engine.raw_connection()
    try:
        source: sqlite3.Connection = raw.driver_connection  # type: ignore[assignment]
        target = sqlite3.connect(destination)
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        raw.close()
    return destination.stat().st_size


# --- One person's own data, for the web app's settings (export, import, delete) ---

# Web exports leave out the password hash: a downloaded file may end up in a mail or a cloud
# folder, and even a strong hash is something to guess at offline. Import ignores it anyway.
ACCOUNT_ONLY = ("password_hash",)
# The values each vocabulary column may hold. ``import_all`` restores a whole database the
# CLI wrote; an upload from a browser is checked harder, because the pages rely on these.
VOCABULARIES: dict[tuple[str, str], tuple[str, ...]] = {
    ("profile", "ex_pronouns"): tuple(steps.PRONOUNS),
    ("profile", "who_ended"): steps.WHO_ENDED,
    ("profile", "goal"): steps.GOALS,
    ("contacts", "direction"): steps.CONTACT_DIRECTIONS,
    ("contacts", "channel"): steps.CONTACT_CHANNELS,
    ("urges", "outcome"): steps.URGE_OUTCOMES,
    ("letters", "kind"): steps.LETTER_KINDS,
    ("activities", "kind"): steps.ACTIVITY_KINDS,
    ("memories", "kind"): steps.MEMORY_KINDS,
    ("conversations", "started_by"): steps.CONVERSATION_SIDES,
    ("safety_signals", "kind"): safety_state.KINDS,
    ("safety_signals", "source"): tuple(safety_state.SOURCES),
}
# Whole numbers with a range the services enforce on the way in.
RANGES: dict[tuple[str, str], tuple[int, int]] = {
    ("checkins", "mood"): (1, 10),
    ("checkins", "social_checks"): (0, 1000),
    ("urges", "intensity"): (1, 10),
    ("conversations", "messages"): (0, 100_000),
    ("profile", "no_contact_target_days"): (14, 365),
}


def export_account(session: Session, user: User, now: datetime) -> dict[str, Any]:
    """Return ``user``'s export (the ``export_all`` format, one person, no password hash)."""
    data = export_all(session, now, [user])
    for person in data["people"]:
        for name in ACCOUNT_ONLY:
            person.pop(name, None)
    return data


def export_csv_zip(session: Session, user: User) -> bytes:
    """Return a zip holding one CSV per table of ``user``'s data (as ``export_csv`` writes)."""
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory() as folder:
        files = export_csv(session, Path(folder), [user])
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in files:
                archive.write(path, path.name)
    return buffer.getvalue()


# What the safety check remembered is not history a person logged: a draft they reviewed can
# leave a signal, and that alone must not keep them from importing their own data.
NOT_LOGGED = (SafetySignal, SafetyClearance)


def has_history(session: Session, user: User) -> bool:
    """True when ``user`` has logged anything at all (a profile, or what the safety check
    remembered, alone doesn't count)."""
    for model in HISTORY_TABLES:
        if model in NOT_LOGGED:
            continue
        query = select(model.id).where(model.user_id == user.id).limit(1)  # type: ignore[attr-defined]
        if session.scalar(query) is not None:
            return True
    return False


def person_from_export(data: Any) -> dict[str, Any]:
    """Return the one person in an export file; ImportFileError for any other file.

    A file with several people (a whole database from the CLI) is refused: an account takes
    one person, and picking one silently could load the wrong one.
    """
    people = _check_header(data)
    if len(people) != 1:
        raise ImportFileError(
            f"this file holds {len(people)} people; an account can take exactly one "
            "(use `secondchance import` for a whole database)"
        )
    person = people[0]
    if not isinstance(person, dict):
        raise ImportFileError("people[0] should be an object")
    return person


def _check_values(table: str, row: Base, where: str) -> None:
    """Refuse values the app could not show: unknown words, numbers out of range, too long."""
    for column in _columns(type(row)):
        value = getattr(row, column.name)
        if value is None:
            continue
        allowed = VOCABULARIES.get((table, column.name))
        if allowed is not None and value not in allowed:
            raise ImportFileError(f"{where}.{column.name} can't be {value!r}")
        low_high = RANGES.get((table, column.name))
        if low_high is not None and not low_high[0] <= value <= low_high[1]:
            raise ImportFileError(
                f"{where}.{column.name} should be from {low_high[0]} to {low_high[1]}"
            )
        length = getattr(column.type, "length", None)
        if isinstance(value, str) and length is not None and len(value) > length:
            raise ImportFileError(f"{where}.{column.name} is longer than {length} characters")
    if table == "profile":
        try:
            zone(row.timezone)  # type: ignore[attr-defined]
        except ValueError:
            raise ImportFileError(f"{where}.timezone isn't a time zone we know") from None
    if table == "safety_signals":
        _check_signal(row, where)
    kinds = getattr(row, "kinds", []) if table == "safety_clearances" else []
    if any(kind not in safety_state.KINDS for kind in kinds):
        raise ImportFileError(f"{where}.kinds can hold only {', '.join(safety_state.KINDS)}")


def _check_signal(row: Base, where: str) -> None:
    """A signal's source is a place (0 or more) and its evidence quoted spans, kept short."""
    place = row.source_id  # type: ignore[attr-defined]
    if place is not None and place < 0:
        raise ImportFileError(f"{where}.source_id can't be below 0")
    for n, item in enumerate(row.evidence):  # type: ignore[attr-defined]
        here = f"{where}.evidence[{n}]"
        if not isinstance(item, dict) or set(item) != {"rule", "quote", "start", "end"}:
            raise ImportFileError(f"{here} should hold rule, quote, start and end")
        if not isinstance(item["rule"], str) or not isinstance(item["quote"], str):
            raise ImportFileError(f"{here}: rule and quote should be text")
        if len(item["quote"]) > safety_state.QUOTE_MAX or len(item["rule"]) > 100:
            raise ImportFileError(f"{here} is longer than a quote is kept")
        for key in ("start", "end"):
            if isinstance(item[key], bool) or not isinstance(item[key], int):
                raise ImportFileError(f"{here}.{key} should be a whole number")


def _rows_from(person: dict[str, Any], user: User) -> tuple[list[Base], dict[str, list[Base]]]:
    """Build (and check) every row of ``person`` for ``user``, writing nothing.

    Returns the one-to-one rows (profile, safety plan) and the history rows by table, each
    list in the file's order.
    """
    nested = {name for name, _ in SINGLE_ROWS} | {m.__tablename__ for m in HISTORY_TABLES}
    user_fields = {c.name for c in _columns(User)}
    unknown = set(person) - nested - user_fields
    if unknown:
        raise ImportFileError(f"people[0] has unexpected fields: {', '.join(sorted(unknown))}")
    singles: list[Base] = []
    for name, model in SINGLE_ROWS:
        if person.get(name) is not None:
            row = _build(model, person[name], name, user_id=user.id)
            _check_values(name, row, name)
            singles.append(row)
    history: dict[str, list[Base]] = {}
    for model in HISTORY_TABLES:
        table = model.__tablename__
        rows = person.get(table, [])
        if not isinstance(rows, list):
            raise ImportFileError(f"{table} should be a list")
        history[table] = []
        for n, data in enumerate(rows):
            row = _build(model, data, f"{table}[{n}]", user_id=user.id)
            _check_values(table, row, f"{table}[{n}]")
            history[table].append(row)
    days = [r.day for r in history[CheckIn.__tablename__]]  # type: ignore[attr-defined]
    if len(days) != len(set(days)):
        raise ImportFileError("checkins has two check-ins for the same day")
    return singles, history


def import_person(session: Session, user: User, person: dict[str, Any]) -> dict[str, int]:
    """Load one exported person into ``user``'s account, which must have no history yet.

    The account keeps its own name, password and creation time; the file's profile and safety
    plan replace the account's (a profile made at sign-up is expected). Everything is checked
    before anything is written, so a refused file changes nothing. Returns how many rows each
    table received. Raises ImportFileError for a bad file or an account with history.
    """
    if has_history(session, user):
        raise ImportFileError(
            "your account already has days logged, and importing never mixes or overwrites "
            "history. Import into a new, empty account instead."
        )
    singles, history = _rows_from(person, user)
    for row in singles:
        existing = session.get(type(row), user.id)
        if existing is not None:
            session.delete(existing)
    session.flush()
    session.add_all(singles)
    _add_history(session, person, history)
    counts = {name: int(person.get(name) is not None) for name, _ in SINGLE_ROWS}
    for model in HISTORY_TABLES:
        counts[model.__tablename__] = len(history.get(model.__tablename__, []))
    return counts


def delete_account(
    session: Session, user: User, password: str, address: str, now: datetime
) -> None:
    """Delete ``user`` and everything of theirs, once the password is confirmed.

    The password is checked as a sign-in is (throttled the same way), so a borrowed session
    can't be used to guess it. Raises InputError("password") when it doesn't match and
    ``accounts.Throttled`` after too many tries; the caller's transaction must still commit
    then, so the failed try is counted.
    """
    from secondchance.services.accounts import SignInError, sign_in

    try:
        sign_in(session, user.username, password, address, now)
    except SignInError:
        raise InputError("password", "isn't right; nothing was deleted") from None
    delete_person(session, user)
