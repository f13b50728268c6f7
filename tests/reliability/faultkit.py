"""Real servers for the fault tests: start, wait until they answer, SIGKILL, start again.

Used by the tests in this folder (CI-sized runs) and by ``bench/faults_run.py`` (longer runs
by hand). Everything here talks to 127.0.0.1 only, every wait is bounded, and every process it
starts is killed by its own process-group id when the run ends.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import resource
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from secondchance.db import is_sqlite, make_engine, make_sessionmaker, transaction
from secondchance.migrate import upgrade
from secondchance.services.accounts import create_api_token
from secondchance.services.people import ProfileInput, get_or_create_user, save_profile

BIN = Path(sys.executable).parent
SECRET = "reliability-tests-secret-key"
POSTGRES_URL = os.environ.get("SECONDCHANCE_TEST_POSTGRES_URL")
# A busy CI machine (2 cores, other tests running) can take a while to import and start the
# app; a healthy start takes one or two seconds.
START_TIMEOUT = 90.0
# Longer than the server's own worst case (a 30 s wait for a pooled connection, then 15 s for
# SQLite's lock), so that the client hears the server's answer, as a person's browser would;
# a healthy request takes milliseconds.
REQUEST_TIMEOUT = 120.0
# Check-ins go to past days only (future days are refused): start two days back, which is
# in the past in every time zone.
FIRST_DAY = date.today() - timedelta(days=2)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SECONDCHANCE_")}
    env.update(
        SECONDCHANCE_DATABASE_URL=database_url,
        SECONDCHANCE_SECRET_KEY=SECRET,
        SECONDCHANCE_ENVIRONMENT="test",
    )
    return env


@dataclass
class Server:
    """One app server: uvicorn (one process), or ``secondchance serve --workers N``.

    ``start()`` waits until ``/healthz`` answers; ``kill()`` sends SIGKILL to its process
    group (the server and its workers, nothing else); ``stop()`` asks politely first.
    """

    database_url: str
    log: Path
    workers: int = 1
    port: int = field(default_factory=free_port)
    # Fork each start from this launcher instead of running the command (one worker only).
    launcher: Launcher | None = None
    proc: subprocess.Popen[bytes] | Forked | None = None
    starts: int = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        if self.workers > 1:
            # The real command a person runs: it migrates once, then starts the workers.
            return [
                str(BIN / "secondchance"),
                "serve",
                "--port",
                str(self.port),
                "--workers",
                str(self.workers),
            ]
        return [
            str(BIN / "uvicorn"),
            "secondchance.web.server:app_from_env",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--log-level",
            "warning",
        ]

    def start(self, timeout: float = START_TIMEOUT) -> float:
        """Start and wait until it answers; returns the seconds it took."""
        assert self.proc is None, "already running"
        began = time.monotonic()
        with self.log.open("ab") as out:
            out.write(f"\n=== start {self.starts} ===\n".encode())
            if self.launcher is not None:
                assert self.workers == 1, "a launcher forks one-process servers only"
                env = server_env(self.database_url)
                self.proc = self.launcher.fork(self.port, self.log, env)
            else:
                self.proc = subprocess.Popen(
                    self.command(),
                    env=server_env(self.database_url),
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                    start_new_session=True,
                )
        self.starts += 1
        deadline = began + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}:\n{self.tail()}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.base}/healthz", timeout=5).status_code == 200:
                    return time.monotonic() - began
            time.sleep(0.05)
        self.kill()
        raise RuntimeError(f"server did not answer within {timeout:.0f} s:\n{self.tail()}")

    def kill(self) -> None:
        """SIGKILL: no shutdown handlers, no flushing, exactly like a crash."""
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)
        self.proc = None

    def stop(self) -> None:
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.kill()
            return
        # Workers of a multi-process server are in the same group: make sure none is left.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc = None

    def tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def log_text(self) -> str:
        try:
            return self.log.read_text(errors="replace")
        except OSError:
            return ""


class Forked:
    """A server forked by a ``Launcher``: the few things ``Server`` asks of a Popen.

    It is the launcher's child, not ours, and the launcher's kernel reaps it: it has gone
    when its id no longer answers a signal 0. (Its exit status is the launcher's to know.)
    """

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.returncode = -1
        return self.returncode

    def wait(self, timeout: float) -> int:
        deadline = time.monotonic() + timeout
        while self.poll() is None:
            if time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"server {self.pid}", timeout)
            time.sleep(0.005)
        return -1


class Launcher:
    """``forkserver.py`` running: the app imported once, a server forked for each start.

    Use it as a context manager; leaving it ends the launcher (not the servers it forked:
    their ``Server`` kills them, by their process groups, as for any server).
    """

    def __init__(self) -> None:
        script = Path(__file__).with_name("forkserver.py")
        self.proc = subprocess.Popen(
            [sys.executable, str(script)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )

    def fork(self, port: int, log: Path, env: dict[str, str]) -> Forked:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        request = {"port": port, "log": str(log), "env": env}
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline()
        if not answer:
            raise RuntimeError(f"the launcher stopped (exit {self.proc.wait(timeout=10)})")
        return Forked(int(answer))

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.proc.stdin.close()  # type: ignore[union-attr]
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def __enter__(self) -> Launcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@contextlib.contextmanager
def running(server: Server) -> Iterator[Server]:
    server.start()
    try:
        yield server
    finally:
        server.stop()


# --------------------------------------------------------------------------- databases


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


@contextlib.contextmanager
def postgres_schema(tag: str) -> Iterator[str]:
    """A PostgreSQL schema of our own on the test server, dropped afterwards; yields its URL."""
    assert POSTGRES_URL, "SECONDCHANCE_TEST_POSTGRES_URL is not set"
    short = hashlib.sha1(tag.encode()).hexdigest()[:10]
    schema = f"sc_rel_{short}_{os.getpid()}"
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def make_people(database_url: str, names: list[str], tokens_each: int = 1) -> dict[str, list[str]]:
    """Migrate the database and make each person with a profile and ``tokens_each`` API tokens
    (a phone and a laptop are two tokens of one person); returns name -> tokens."""
    engine = make_engine(database_url)
    upgrade(engine)
    now = datetime.now(UTC)
    tokens: dict[str, list[str]] = {}
    with transaction(make_sessionmaker(engine)) as session:
        for name in names:
            user = get_or_create_user(session, name, now)
            profile = ProfileInput(
                name=name.capitalize(),
                ex_name="Sam",
                ex_pronouns="he",
                who_ended="ex",
                goal="reconcile",
                country="GB",
                timezone="Europe/London",
            )
            save_profile(session, user, profile, now)
            tokens[name] = [
                create_api_token(session, user, f"device {n}", now)[1] for n in range(tokens_each)
            ]
    engine.dispose()
    return tokens


def client(base: str, token: str) -> httpx.Client:
    return httpx.Client(
        base_url=base,
        headers={"Authorization": f"Bearer {token}"},
        timeout=REQUEST_TIMEOUT,
    )


def integrity(path: Path) -> str:
    """``PRAGMA integrity_check`` of an SQLite file ("ok" when healthy)."""
    connection = sqlite3.connect(path)
    try:
        rows = connection.execute("PRAGMA integrity_check").fetchall()
        return "; ".join(str(r[0]) for r in rows)
    finally:
        connection.close()


def checkins_by_person(engine: Engine) -> dict[tuple[str, str], tuple[int, str]]:
    """Every stored check-in as (username, day) -> (mood, note)."""
    query = text(
        "SELECT u.username, c.day, c.mood, c.note FROM checkins c JOIN users u ON u.id = c.user_id"
    )
    with engine.connect() as conn:
        return {(r[0], str(r[1])): (r[2], r[3]) for r in conn.execute(query)}


def count_rows(engine: Engine, table: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


# --------------------------------------------------------------------------- the CLI

PROFILE = [
    "init",
    "--name",
    "Alice",
    "--ex-name",
    "Sam",
    "--pronouns",
    "he",
    "--breakup-date",
    "2026-10-10",
    "--who-ended",
    "ex",
    "--goal",
    "reconcile",
    "--country",
    "GB",
    "--timezone",
    "Europe/London",
]


def cli(
    db: Path | str, *args: str, stdin: str | None = None, file_limit: int | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``secondchance`` as a person would; ``file_limit`` caps the size of every file it
    writes, in bytes (RLIMIT_FSIZE: a write past it fails with EFBIG, like a full disk)."""
    url = db if isinstance(db, str) else sqlite_url(db)

    def limit() -> None:
        if file_limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_limit, file_limit))

    return subprocess.run(
        [str(BIN / "secondchance"), *args],
        env={**server_env(url), "SECONDCHANCE_USER": "me", "COLUMNS": "200"},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=limit,
    )


def prepare(db: Path, *args: str) -> None:
    """Run a ``secondchance`` command in this process, for a test's set-up only: the same
    command as ``cli`` without a process start (about a second each). What a test checks still
    runs through ``cli``, as a real process."""
    from typer.testing import CliRunner

    from secondchance.cli import app

    env = {**server_env(sqlite_url(db)), "SECONDCHANCE_USER": "me", "COLUMNS": "200"}
    result = CliRunner().invoke(app, list(args), env=env)
    assert result.exit_code == 0, result.output


def rows(db: Path, query: str) -> list[tuple]:
    connection = sqlite3.connect(db)
    try:
        return connection.execute(query).fetchall()
    finally:
        connection.close()


def database_kind(database_url: str) -> str:
    return "sqlite" if is_sqlite(database_url) else "postgresql"


def describe(errors: list[Any], limit: int = 10) -> str:
    shown = "\n".join(f"  {e}" for e in errors[:limit])
    more = f"\n  ... and {len(errors) - limit} more" if len(errors) > limit else ""
    return shown + more
