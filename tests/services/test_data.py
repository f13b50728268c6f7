"""Export, import, backup and delete: nothing lost, nothing half-written."""

from __future__ import annotations

import csv
import json
import sqlite3
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from secondchance.db import make_engine, make_sessionmaker
from secondchance.models import HISTORY_TABLES, CheckIn, Profile, User
from secondchance.services import data
from secondchance.services.checkins import CheckInInput, save_checkin
from secondchance.services.demo import fill_demo
from secondchance.services.errors import InputError


@pytest.fixture
def filled(factory, now):
    """alice with the six-week demo, bob with one check-in; committed."""
    from secondchance.services.people import ProfileInput, get_or_create_user, save_profile

    with factory() as session, session.begin():
        alice = get_or_create_user(session, "alice", now)
        fill_demo(session, alice, now)
        bob = get_or_create_user(session, "bob", now)
        save_profile(session, bob, ProfileInput(name="Bob", ex_name="Jo"), now)
        save_checkin(session, bob, CheckInInput(mood=3, note="a hard day ✨ «quotes»"), now)
    return factory


def export_text(factory, now) -> str:
    with factory() as session:
        return data.dumps(data.export_all(session, now))


def test_export_import_export_is_byte_identical_apart_from_the_time(
    filled, now, tmp_path, migrated_sqlite
):
    first = export_text(filled, now)
    target = make_engine(migrated_sqlite(tmp_path / "copy.db"))
    copy = make_sessionmaker(target)
    with copy() as session, session.begin():
        assert data.import_all(session, json.loads(first)) == 2
    second = export_text(copy, now + timedelta(hours=1))
    strip = lambda t: [line for line in t.splitlines() if '"exported_at"' not in line]  # noqa: E731
    assert strip(first) == strip(second)
    assert first != second  # only the export time differs
    target.dispose()


def test_the_export_holds_everything(filled, now) -> None:
    exported = json.loads(export_text(filled, now))
    assert exported["format"] == "secondchance-export" and exported["version"] == 1
    alice = exported["people"][0]
    assert alice["username"] == "alice"
    assert alice["profile"]["ex_name"] == "Alex"
    for model in HISTORY_TABLES:
        assert model.__tablename__ in alice
    assert len(alice["checkins"]) == 39
    assert exported["people"][1]["checkins"][0]["note"] == "a hard day ✨ «quotes»"
    assert "id" not in alice and "user_id" not in alice["checkins"][0]


def test_import_refuses_a_database_that_is_not_empty(filled, now) -> None:
    exported = json.loads(export_text(filled, now))
    with filled() as session, session.begin(), pytest.raises(InputError, match="isn't empty"):
        data.import_all(session, exported)


# SQLite alone: the file is imported into a new SQLite database whatever the source, and the
# export is the same from either (the byte-identical test above, on both, shows it).
@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("mangle", "says"),
    [
        (lambda d: {"hello": "world"}, "isn't a secondchance export"),
        (lambda d: {**d, "version": 99}, "version 99"),
        (lambda d: {**d, "people": "everyone"}, "no list of people"),
        (lambda d: d["people"][0]["checkins"][0].update(mood="five") or d, "whole number"),
        (lambda d: d["people"][0]["checkins"][0].update(day="yesterday") or d, "valid date"),
        (lambda d: d["people"][0]["checkins"][0].pop("mood") and d, "missing"),
        (lambda d: d["people"][0]["checkins"][0].update(colour="blue") or d, "unexpected"),
        (lambda d: d["people"][0].update(contacts={}) or d, "should be a list"),
        (lambda d: d["people"][0].update(profile=[1]) or d, "should be an object"),
    ],
)
def test_a_wrong_import_file_is_refused_and_nothing_is_written(
    filled, now, tmp_path, migrated_sqlite, mangle, says
):
    exported = mangle(json.loads(export_text(filled, now)))
    target = make_engine(migrated_sqlite(tmp_path / "copy.db"))
    copy = make_sessionmaker(target)
    with pytest.raises(InputError, match=says), copy() as session, session.begin():
        data.import_all(session, exported)
    with copy() as session:
        assert session.scalar(select(func.count()).select_from(User)) == 0
    target.dispose()


def test_csv_export_writes_a_file_per_table(filled, tmp_path) -> None:
    with filled() as session:
        files = data.export_csv(session, tmp_path / "csv")
    names = {f.name for f in files}
    assert "checkins.csv" in names and "profiles.csv" in names
    with (tmp_path / "csv" / "checkins.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["username"] for r in rows} == {"alice", "bob"}
    assert json.loads(rows[0]["emotions"]) == ["heartbroken", "lonely"]


def test_delete_person_removes_everything_of_theirs_and_nothing_else(filled) -> None:
    with filled() as session, session.begin():
        alice = session.scalar(select(User).where(User.username == "alice"))
        data.delete_person(session, alice)
    with filled() as session:
        assert session.scalar(select(func.count()).select_from(Profile)) == 1
        owners = set(session.scalars(select(CheckIn.user_id)))
        bob = session.scalar(select(User).where(User.username == "bob"))
        assert owners == {bob.id}


def test_backup_is_a_consistent_copy_even_while_another_process_writes(
    tmp_path, now, migrated_sqlite
) -> None:
    url = migrated_sqlite(tmp_path / "live.db")
    engine = make_engine(url)
    factory = make_sessionmaker(engine)
    from secondchance.services.people import ProfileInput, get_or_create_user, save_profile

    with factory() as session, session.begin():
        user = get_or_create_user(session, "alice", now)
        save_profile(session, user, ProfileInput(name="A", ex_name="B"), now)
    stop = threading.Event()

    def keep_writing() -> None:
        writer = make_engine(url)
        n = 0
        while not stop.is_set():
            with writer.begin() as conn:
                conn.execute(
                    text(
                        "INSERT INTO urges (user_id, at, intensity, trigger, instead, outcome) "
                        "VALUES (1, :at, 5, '', '', 'resisted')"
                    ),
                    {"at": f"2026-11-18 10:{n % 60:02d}:00"},
                )
            n += 1
        writer.dispose()

    thread = threading.Thread(target=keep_writing)
    thread.start()
    try:
        size = data.backup(engine, tmp_path / "backup.db")
    finally:
        stop.set()
        thread.join()
    assert size > 0
    copy = sqlite3.connect(tmp_path / "backup.db")
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert copy.execute("SELECT name FROM profiles").fetchone() == ("A",)
    copy.close()
    with pytest.raises(InputError, match="already exists"):
        data.backup(engine, tmp_path / "backup.db")
    engine.dispose()


def test_backup_explains_itself_on_postgresql(engine, tmp_path) -> None:
    if engine.url.get_backend_name() == "sqlite":
        pytest.skip("this is about PostgreSQL")
    with pytest.raises(InputError, match="pg_dump"):
        data.backup(engine, tmp_path / "x.db")
