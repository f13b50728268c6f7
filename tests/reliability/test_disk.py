"""A full disk and a read-only database, from the command line and for a real server: one clear
line (or a clear 503), nothing half-written, and everything works again when space returns.

The CLI runs as a real process. A full disk is made two ways: a file-size limit on the process
(RLIMIT_FSIZE, what ``ulimit -f`` sets: every write past it fails as on a full disk; runs
anywhere), and, where this machine lets the tests mount one, a real 1 MB tmpfs filled to the
last byte, then remounted read-only.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from reliability.faultkit import (
    PROFILE,
    Server,
    cli,
    integrity,
    make_people,
    prepare,
    rows,
    sqlite_url,
)
from secondchance.db import database_exists, make_engine, make_sessionmaker, transaction
from secondchance.models import ApiToken, User
from secondchance.services.accounts import user_for_api_token

pytestmark = [pytest.mark.reliability, pytest.mark.slow]

# Longer than a nearly full disk takes, shorter than a letter may be (LIMITS["letter_body"]).
LONG_LETTER = "Dear Sam, today I walked by the river and thought of the goat. " * 780
CRISIS = "I want to die. "


def nearly_full(db: Path) -> int:
    """A file-size limit that a long letter's write crosses (in the database or its log)."""
    return min(db.stat().st_size, 32 * 1024)


# A write that crosses the limit is cut short ("database or disk is full"); one that starts past
# it fails outright ("disk I/O error", which the CLI words as "is it full?"). Both say "full".


def assert_one_clear_line(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("✗ ") and "Traceback" not in result.stderr
    for word in words:
        assert word.lower() in lines[0].lower(), lines[0]


@pytest.fixture
def alice_db(tmp_path: Path) -> Path:
    db = tmp_path / "secondchance.db"
    prepare(db, *PROFILE)
    prepare(db, "checkin", "--mood", "4", "--note", "first")
    return db


def test_a_full_disk_refuses_a_cli_write_in_one_line_and_keeps_what_was_saved(
    alice_db: Path,
) -> None:
    result = cli(
        alice_db, "letter", "write", "-", stdin=LONG_LETTER, file_limit=nearly_full(alice_db)
    )
    assert_one_clear_line(result, "full", "nothing was changed")
    # It must not have said "kept" first: the commit is what failed.
    assert "kept" not in result.stdout, result.stdout
    assert rows(alice_db, "SELECT count(*) FROM letters") == [(0,)]
    assert rows(alice_db, "SELECT mood, note FROM checkins") == [(4, "first")]
    assert integrity(alice_db) == "ok"
    # Space comes back: the same command works, and nothing else changed.
    again = cli(alice_db, "letter", "write", "-", stdin=LONG_LETTER)
    assert again.returncode == 0 and "kept" in again.stdout, again.stderr
    assert rows(alice_db, "SELECT length(body) FROM letters") == [(len(LONG_LETTER.strip()),)]
    assert rows(alice_db, "SELECT mood, note FROM checkins") == [(4, "first")]


def test_help_lines_still_show_when_a_full_disk_refuses_what_was_written(alice_db: Path) -> None:
    letter = CRISIS + LONG_LETTER
    result = cli(alice_db, "letter", "write", "-", stdin=letter, file_limit=nearly_full(alice_db))
    assert_one_clear_line(result, "full")
    assert "116 123" in result.stdout  # Samaritans, for a person in GB: help first, always
    assert "kept" not in result.stdout


def test_a_small_cli_write_still_fits_beside_the_limit(alice_db: Path) -> None:
    # The limit is no blunt instrument: a small write fits and is saved (then checkpointed).
    result = cli(alice_db, "checkin", "--mood", "6", "--note", "second", file_limit=64 * 1024)
    assert result.returncode == 0, result.stderr
    assert rows(alice_db, "SELECT mood, note FROM checkins") == [(6, "second")]
    assert integrity(alice_db) == "ok"


def test_a_disk_too_full_to_open_the_database_says_so_not_that_the_file_is_damaged(
    alice_db: Path,
) -> None:
    # SQLite can't even make its 32 KB shared-memory file: "disk I/O error" on opening.
    for args in (("status",), ("checkin", "--mood", "7")):
        result = cli(alice_db, *args, file_limit=8 * 1024)
        assert_one_clear_line(result, "is it full?", "nothing was changed")
        assert "damaged" not in result.stderr
    assert rows(alice_db, "SELECT mood FROM checkins") == [(4,)]
    assert cli(alice_db, "status").returncode == 0


def test_a_read_only_database_refuses_cli_writes_in_one_line_and_still_reads(
    alice_db: Path,
) -> None:
    read_only = f"sqlite:///file:{alice_db}?mode=ro&uri=true"
    result = cli(read_only, "checkin", "--mood", "8", "--note", "not saved")
    assert_one_clear_line(result, "read-only", "nothing was changed")
    status = cli(read_only, "status")
    assert status.returncode == 0 and "Hi Alice" in status.stdout, status.stderr
    assert rows(alice_db, "SELECT mood, note FROM checkins") == [(4, "first")]


def test_a_read_only_database_opened_by_uri_leaves_the_working_folder_alone(
    alice_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "file:/path?mode=ro&uri=true" names /path: nothing (a folder, a writers' file) may be made
    # under a relative "file:" in whatever folder the app was started from.
    work = tmp_path / "started-here"
    work.mkdir()
    monkeypatch.chdir(work)
    engine = make_engine(f"sqlite:///file:{alice_db}?mode=ro&uri=true")
    try:
        with make_sessionmaker(engine, reads_only=True)() as session:
            assert session.scalar(select(User.username)) == "me"  # it did open and read
    finally:
        engine.dispose()
    assert list(work.iterdir()) == []


def test_a_database_opened_by_uri_is_found_where_it_is(
    alice_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Commands that need a database first ask whether there is one: the URI form names the
    # same file, wherever the command was started from.
    monkeypatch.chdir(tmp_path)
    assert database_exists(f"sqlite:///file:{alice_db}?mode=ro&uri=true")
    assert not database_exists(f"sqlite:///file:{tmp_path / 'none.db'}?mode=ro&uri=true")
    assert not database_exists("sqlite:///:memory:")


def test_an_api_read_notes_its_token_use_at_most_hourly_so_reads_stay_reads(
    tmp_path: Path,
) -> None:
    url = sqlite_url(tmp_path / "secondchance.db")
    token = make_people(url, ["alice"])["alice"][0]
    engine = make_engine(url)
    now = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)
    try:
        factory = make_sessionmaker(engine)
        for moment, expected in (
            (now, now),  # first use: noted
            (now + timedelta(minutes=59), now),  # a read within the hour writes nothing
            (now + timedelta(hours=2), now + timedelta(hours=2)),
        ):
            with transaction(factory) as session:
                assert user_for_api_token(session, token, moment) is not None
            with transaction(factory) as session:
                stored = session.scalar(select(ApiToken.last_used_at))
            assert stored == expected
    finally:
        engine.dispose()


# --------------------------------------------------------------------------- a real filesystem


@contextlib.contextmanager
def small_filesystem(size: str = "1m") -> Iterator[Path]:
    """A tmpfs of ``size`` mounted for this test (root only), unmounted afterwards."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small filesystem needs root: the RLIMIT_FSIZE tests cover it")
    where = Path(tempfile.mkdtemp(prefix="sc-smallfs-"))
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(where)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        where.rmdir()
        pytest.skip(f"this machine doesn't allow mounting a tmpfs: {mounted.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)
        with contextlib.suppress(OSError):
            where.rmdir()


def fill(folder: Path) -> Path:
    """Write a file until the filesystem has no byte left; returns it (delete it to free)."""
    filler = folder / "filler"
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    try:
        for size in (65536, 4096, 1):  # big blocks, then the last partial block byte by byte
            with contextlib.suppress(OSError):
                while os.write(descriptor, b"\0" * size):
                    pass
    finally:
        os.close(descriptor)
    return filler


@contextlib.contextmanager
def running_server(db: Path, tmp_path: Path) -> Iterator[httpx.Client]:
    """A server on ``db`` and a client with the API token of its person (made on first use)."""
    url = sqlite_url(db)
    token = make_people(url, ["alice2"])["alice2"][0]
    server = Server(url, tmp_path / "smallfs-server.log")
    server.start()
    try:
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=server.base, headers=headers, timeout=30) as http:
            yield http
    finally:
        server.stop()


def remount(folder: Path, mode: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{mode}", str(folder)], check=True)


def test_a_real_full_then_read_only_filesystem_keeps_everything_for_cli_and_server(
    tmp_path: Path,
) -> None:
    with small_filesystem() as disk:
        db = disk / "secondchance.db"
        assert cli(db, *PROFILE).returncode == 0
        assert cli(db, "checkin", "--mood", "4", "--note", "first").returncode == 0
        with running_server(db, tmp_path) as http:
            saved = http.post("/api/v1/checkins", json={"mood": 5, "note": "before full"})
            assert saved.status_code == 201, saved.text

            assert http.get("/api/v1/checkins").status_code == 200

            filler = fill(disk)
            # Reading still works: a read with an API token writes nothing (its "last used"
            # was noted a moment ago), so the full disk doesn't stop it.
            read = http.get("/api/v1/checkins")
            assert read.status_code == 200 and len(read.json()) == 1, read.text
            # The server: a clear 503 for a write, nothing half-written.
            big = {"mood": 6, "note": "n" * 5000, "emotions": ["hopeful"], "day": "2026-01-02"}
            full = http.post("/api/v1/checkins", json=big)
            assert full.status_code == 503, full.text
            assert "Everything you saved before is safe" in full.json()["detail"]
            # The command line: one clear line.
            result = cli(db, "letter", "write", "-", stdin=LONG_LETTER)
            assert_one_clear_line(result, "nothing was changed")
            assert "full" in result.stderr and "damaged" not in result.stderr

            filler.unlink()  # space comes back
            again = http.post("/api/v1/checkins", json=big)
            assert again.status_code == 201, again.text
            assert cli(db, "letter", "write", "-", stdin=LONG_LETTER).returncode == 0

        # Read-only: Linux won't remount a filesystem read-only under a process writing to it,
        # so the server is stopped first (the web app's read-only case is tests/web/test_faults).
        remount(disk, "ro")
        try:
            result = cli(db, "checkin", "--mood", "2")
            assert_one_clear_line(result, "read-only", "nothing was changed")
            # Reading works while the -wal and -shm files are there (a server may leave them).
            status = cli(db, "status")
            assert status.returncode == 0 and "Hi Alice" in status.stdout, status.stderr
        finally:
            remount(disk, "rw")
        # Without them (the last connection closed cleanly and removed them), SQLite can't make
        # them in a read-only folder, even to read: the person is told so, in one line.
        connection = sqlite3.connect(db)
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.close()
        assert not (disk / "secondchance.db-shm").exists()
        remount(disk, "ro")
        try:
            status = cli(db, "status")
            assert_one_clear_line(status, "read-only", "nothing was changed")
        finally:
            remount(disk, "rw")
        with running_server(db, tmp_path) as http:
            after = http.post("/api/v1/checkins", json={**big, "day": "2026-01-03"})
            assert after.status_code == 201, after.text
        assert integrity(db) == "ok"
        assert rows(db, "SELECT count(*) FROM letters") == [(1,)]
        notes = sorted(n for (n,) in rows(db, "SELECT note FROM checkins"))
        assert notes == sorted(["first", "before full", "n" * 5000, "n" * 5000]), notes
