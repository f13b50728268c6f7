"""A person thinking at a CLI prompt holds no lock: the web app can save for everyone meanwhile.

On SQLite an open transaction holds the one write lock (BEGIN IMMEDIATE); a command that asked
its questions inside one kept every other writer (the web app's requests, for everyone) waiting
until busy_timeout ran out, and they got 503. The commands run here in a real terminal (a pty),
and while each waits at its prompt another connection must get the write lock at once.
"""

from __future__ import annotations

import os
import pty
import select
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from reliability.faultkit import BIN, PROFILE, prepare, rows, server_env, sqlite_url

pytestmark = [pytest.mark.reliability, pytest.mark.slow]

TIMEOUT = 90.0


class Terminal:
    """``secondchance`` in a pseudo-terminal: wait for a prompt, type an answer."""

    def __init__(self, db: Path, *args: str) -> None:
        self.master, slave = pty.openpty()
        self.proc = subprocess.Popen(
            [str(BIN / "secondchance"), *args],
            env={**server_env(sqlite_url(db)), "SECONDCHANCE_USER": "me", "TERM": "dumb"},
            stdin=slave,
            stdout=slave,
            stderr=slave,
            close_fds=True,
        )
        os.close(slave)
        self.seen = ""

    def wait_for(self, text: str) -> None:
        deadline = time.monotonic() + TIMEOUT
        while text not in self.seen:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no {text!r} within {TIMEOUT:.0f} s; saw {self.seen!r}")
            ready, _, _ = select.select([self.master], [], [], min(left, 1.0))
            if ready:
                try:
                    self.seen += os.read(self.master, 4096).decode(errors="replace")
                except OSError:  # the command ended
                    raise AssertionError(f"ended before {text!r}; saw {self.seen!r}") from None

    def type(self, line: str) -> None:
        os.write(self.master, (line + "\n").encode())

    def finish(self) -> str:
        try:
            code = self.proc.wait(timeout=TIMEOUT)
            while True:
                ready, _, _ = select.select([self.master], [], [], 0.2)
                if not ready:
                    break
                chunk = os.read(self.master, 4096)
                if not chunk:
                    break
                self.seen += chunk.decode(errors="replace")
        except OSError:
            pass
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
            os.close(self.master)
        assert code == 0, self.seen
        return self.seen


def assert_lock_is_free(db: Path) -> None:
    """Another writer gets the write lock within a second (it would wait for a held one)."""
    connection = sqlite3.connect(db, timeout=1.0, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("ROLLBACK")
    except sqlite3.OperationalError as error:
        raise AssertionError(f"a prompt is holding the database's write lock: {error}") from None
    finally:
        connection.close()


def test_init_asks_its_questions_without_holding_the_write_lock(tmp_path: Path) -> None:
    db = tmp_path / "secondchance.db"
    terminal = Terminal(db, "init")
    terminal.wait_for("Your first name")
    assert_lock_is_free(db)
    for answer in ("Alice", "Sam", "he", "", "ex", "reconcile", "GB", "Europe/London", "21"):
        terminal.type(answer)
    assert "Welcome, Alice" in terminal.finish()


def test_urge_offers_the_letter_without_holding_the_write_lock(tmp_path: Path) -> None:
    db = tmp_path / "secondchance.db"
    prepare(db, *PROFILE)
    terminal = Terminal(db, "urge", "7", "--trigger", "our song")
    terminal.wait_for("letter you keep?")
    assert_lock_is_free(db)
    assert rows(db, "SELECT intensity FROM urges") == [(7,)]  # the urge is saved already
    terminal.type("y")
    terminal.wait_for("Your letter")
    assert_lock_is_free(db)
    terminal.type("I wanted to tell you about the goat.")
    out = terminal.finish()
    # The reply depends on the hour (late at night it is the night plan): either is a reply.
    assert "Your letter is kept" in out
    assert "You rode it out" in out or "A late-night urge" in out
    assert rows(db, "SELECT body FROM letters") == [("I wanted to tell you about the goat.",)]


def test_ready_asks_without_holding_the_write_lock(tmp_path: Path) -> None:
    db = tmp_path / "secondchance.db"
    prepare(db, *PROFILE)
    terminal = Terminal(db, "ready")
    terminal.wait_for("[y/N]")
    assert_lock_is_free(db)
    for _ in range(5):
        terminal.type("n")
    assert "not yet" in terminal.finish()
    assert rows(db, "SELECT count(*) FROM readiness_checks") == [(1,)]
