"""Engines and sessions. SQLite is the embedded default, tuned for several writers."""

from __future__ import annotations

import fcntl
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from sqlalchemy import Connection, Engine, bindparam, create_engine, event, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection

from secondchance.models import User

# How long a writer waits for the write lock before SQLite gives up and the person is asked to
# try again, in milliseconds. Each transaction is short, but a burst of writers queues, and the
# busy handler polls (sleeps up to 100 ms), so turns are unfair: 50 clients through 2 workers
# on a busy 2-core machine saw waits past 5 s answered 503 (tests/reliability). Fifteen
# seconds leaves room for such a burst and still ends a wait on a lock something really holds.
BUSY_TIMEOUT_MS = 15_000
# Execution option for a transaction that only reads (a page view): on SQLite it begins
# DEFERRED instead of IMMEDIATE, so readers never queue for the write lock. Such a transaction
# must not write after it has read (WAL can't upgrade a stale read snapshot to a write).
READS_ONLY = "secondchance_reads_only"


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def database_exists(url: str) -> bool:
    """False for an SQLite file that isn't there yet; a server database is taken as there."""
    parsed = make_url(url)
    if not parsed.get_backend_name().startswith("sqlite"):
        return True
    database = _database_file(parsed.database)
    return database is not None and database.exists()


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """Return an engine for ``url``; SQLite gets WAL, foreign keys, busy_timeout, IMMEDIATE.

    Creates the directory of an SQLite file if it is missing.
    """
    if is_sqlite(url):
        return _sqlite_engine(url, echo=echo)
    engine = create_engine(url, echo=echo)
    _ping_when_idle(engine)
    return engine


# A pooled connection unused for longer than this is asked whether the server is still there
# before it is handed out (see _ping_when_idle), in seconds.
PING_AFTER_IDLE = 1.0


def _ping_when_idle(engine: Engine) -> None:
    """Hand out a pooled connection only once the server has answered on it, if it sat idle.

    A connection left in the pool may have been closed by a server that restarted or timed
    it out; a ping finds that, and the pool connects afresh instead of failing someone's
    request. Pinging at every checkout (``pool_pre_ping``) was one round trip to the server
    per request, as many as a cached page's own reading; a connection back in the pool a
    moment ago (under load, nearly all of them) was just working. One that broke since is
    answered as before: the request fails, and the pool drops its connections.
    """

    @event.listens_for(engine, "connect")
    @event.listens_for(engine, "checkin")
    def _returned(_dbapi_connection: object, record: ConnectionPoolEntry) -> None:
        record.info[_RETURNED_AT] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _handed_out(dbapi_connection: object, record: ConnectionPoolEntry, _proxy: object) -> None:
        returned = record.info.get(_RETURNED_AT)
        if returned is not None and time.monotonic() - returned < PING_AFTER_IDLE:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            if engine.dialect.is_disconnect(error, dbapi_connection, None):
                raise DisconnectionError("the server closed the connection") from error
            raise


_RETURNED_AT = "secondchance_returned_at"


# Beside an SQLite file, the file its writers queue on (see WriterTurn).
TURN_SUFFIX = "-writers"


class WriterTurn:
    """One connection's place in the queue of writers to an SQLite file, across processes.

    SQLite lets one writer in at a time and makes the others poll: a writer turned away
    sleeps 1, 2, 5, 10... up to 100 ms and tries again, while the process that just committed
    starts its next write at once. Two server processes writing flat out then take turns so
    unfairly that the second one mostly sleeps: two workers wrote no more than one. Writers
    wait here instead, in the kernel (``flock`` on a file beside the database), and the
    next one is woken the moment the lock is given back. Each connection opens the file
    itself, so that threads of one process queue as well (a lock belongs to an open file).

    Only an order: SQLite's lock and busy_timeout still hold for any writer that doesn't
    queue here (another program, or a folder where the file can't be made). A writer waits
    here as long as the ones before it write, without busy_timeout's limit: a transaction kept
    open (at a prompt, say; tests/reliability/test_cli_prompts.py checks that none is) would
    keep the others waiting, and one thread must never open a second write beside its first.
    """

    def __init__(self, path: str) -> None:
        self._file = open(path, "ab", buffering=0)  # noqa: SIM115 (lives as long as the connection)
        self._held = False

    def take(self) -> None:
        """Wait for this connection's turn to write (blocking: call it in a worker thread)."""
        fcntl.flock(self._file.fileno(), fcntl.LOCK_EX)
        self._held = True

    def give_back(self) -> None:
        if self._held:
            self._held = False
            fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)

    def close(self) -> None:
        self.give_back()
        self._file.close()


# A connection that takes turns copies the write-ahead log into the database itself, after
# every this many of its commits, once its turn is given back (see _TurnTakingConnection):
# about SQLite's own rhythm (1,000 pages) for small writes such as a check-in (~4 pages); each
# copy syncs the file, so not much more often.
CHECKPOINT_EVERY = 250
# ... and SQLite's own copying, which runs inside a COMMIT (so in the writer's turn), only
# when the log has grown this long anyway (in pages; SQLite's default is 1,000).
CHECKPOINT_BACKSTOP = 10_000


class _TurnTakingConnection(sqlite3.Connection):
    """An SQLite connection that gives its writer turn back once COMMIT or ROLLBACK is over.

    Not in SQLAlchemy's ``commit`` event: that runs before the driver's COMMIT, and the next
    writer would find the database still locked. SQLite copies its log into the database
    (a checkpoint) inside the COMMIT that makes the log long, after it let go of its lock:
    done there, the turn would be held while it copies and syncs, so it is done here, after.
    """

    turn: WriterTurn | None = None
    commits = 0

    def commit(self) -> None:
        self._ending(super().commit)
        self.commits += 1
        if self.commits % CHECKPOINT_EVERY == 0:
            # PASSIVE: copies what no reader still needs, waits for nobody. A failure here is
            # not the commit's, which is done: the next one copies it, or SQLite's backstop.
            with suppress(sqlite3.Error):
                self.execute("PRAGMA wal_checkpoint(PASSIVE)").close()

    def rollback(self) -> None:
        self._ending(super().rollback)

    def _ending(self, end: Callable[[], None]) -> None:
        """Run the driver's COMMIT or ROLLBACK, then give the turn back, even if it failed."""
        try:
            end()
        finally:
            if self.turn is not None:
                self.turn.give_back()

    def close(self) -> None:
        try:
            super().close()
        finally:
            if self.turn is not None:
                self.turn.close()


def _writer_turn(database: str) -> WriterTurn | None:
    """The turn file beside ``database``, or None where it can't be opened (a read-only
    folder, a full disk): SQLite's own waiting is enough there."""
    try:
        return WriterTurn(database + TURN_SUFFIX)
    except OSError:
        return None


def _database_file(database: str | None) -> Path | None:
    """The file an SQLite URL's database names, or None for an in-memory one. A URI filename
    ("file:/srv/db.sqlite" with ``uri=true``, e.g. opened read-only) names the path after
    "file:": taken as it is, it would be a relative path made in the working folder."""
    if not database or database == ":memory:":
        return None
    return Path(database.removeprefix("file:")).expanduser()


def _sqlite_engine(url: str, *, echo: bool) -> Engine:
    parsed = make_url(url)
    database = _database_file(parsed.database)
    on_file = database is not None
    if database is not None:
        database.parent.mkdir(parents=True, exist_ok=True)
    connect_args: dict[str, object] = {"timeout": BUSY_TIMEOUT_MS / 1000}
    if on_file:
        connect_args["factory"] = _TurnTakingConnection
    engine = create_engine(url, echo=echo, connect_args=connect_args)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        # Take transaction control away from the driver so that we can say BEGIN IMMEDIATE:
        # a write transaction that takes its lock up front never fails half-way with
        # "database is locked" when another process writes at the same time.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if on_file:
            # WAL lets readers go on while one process writes; NORMAL is durable in WAL mode
            # except for the last transactions on power loss, never corrupting the file.
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
            if isinstance(dbapi_connection, _TurnTakingConnection):
                dbapi_connection.turn = _writer_turn(str(database))
                if dbapi_connection.turn is not None:
                    cursor.execute(f"PRAGMA wal_autocheckpoint = {CHECKPOINT_BACKSTOP}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        if connection.get_execution_options().get(READS_ONLY, False):
            connection.exec_driver_sql("BEGIN")
            return
        turn = _turn_of(connection.connection)
        if turn is None:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            return
        turn.take()
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            turn.give_back()
            raise

    return engine


def _turn_of(proxied: PoolProxiedConnection) -> WriterTurn | None:
    return getattr(proxied.dbapi_connection, "turn", None)


def make_sessionmaker(
    engine: Engine, *, reads_only: bool = False, info: dict | None = None
) -> sessionmaker[Session]:
    """Sessions on ``engine``; ``reads_only`` ones take no write lock up front (see READS_ONLY).

    ``info`` is given to every session (the web app puts its status cache there). Every session
    bumps the revision of each person whose entries it changes, in the same flush.
    """
    bind = engine.execution_options(**{READS_ONLY: True}) if reads_only else engine
    factory = sessionmaker(bind, expire_on_commit=False, info=info or {})
    event.listen(factory, "before_flush", _bump_revisions)
    event.listen(factory, "after_transaction_end", _transaction_ended)
    return factory


def make_page_sessionmaker(engine: Engine, *, info: dict | None = None) -> sessionmaker[Session]:
    """Sessions for a page that only reads (Today, the live review), which must never write.

    On SQLite the same as ``make_sessionmaker(engine, reads_only=True)``. On PostgreSQL each
    statement runs on its own (autocommit): a transaction that only reads under READ COMMITTED
    already gives every statement its own snapshot, so leaving out BEGIN and COMMIT changes
    nothing it reads and saves two of a cached page's three round trips to the server. Since
    nothing would roll back a half-done write there, a flush with changes raises instead.
    """
    if is_sqlite(str(engine.url)):
        return make_sessionmaker(engine, reads_only=True, info=info)
    bind = engine.execution_options(isolation_level="AUTOCOMMIT")
    factory = sessionmaker(bind, expire_on_commit=False, info=info or {})
    event.listen(factory, "before_flush", _refuse_writes)
    event.listen(factory, "after_transaction_end", _transaction_ended)
    return factory


def _refuse_writes(session: Session, _context: object, _instances: object) -> None:
    if session.new or session.deleted or any(session.is_modified(r) for r in session.dirty):
        raise RuntimeError("a page that only reads tried to write")


# Rows that belong to a person but say nothing about where they stand: signing in, a form's
# one-time key, an API token's last use. Changing them must not throw away a cached status.
NOT_HISTORY = frozenset(
    {"web_sessions", "form_keys", "api_tokens", "recovery_codes", "login_failures", "users"}
)


def people_changed(session: Session) -> set[int]:
    """Return the ids of the people whose entries this flush adds, changes or deletes."""
    changed = set(session.new) | set(session.deleted)
    changed |= {row for row in session.dirty if session.is_modified(row)}
    owners = set()
    for row in changed:
        table = getattr(row, "__tablename__", None)
        owner = getattr(row, "user_id", None)
        if table not in NOT_HISTORY and owner is not None:
            owners.add(owner)
    return owners


def bump_revision(session: Session, user_ids: set[int] | list[int]) -> None:
    """Move each person's revision on, inside the caller's transaction."""
    if user_ids:
        session.info[WROTE] = True
        session.connection().execute(_BUMP, {"ids": sorted(user_ids)})


def revision_bumped(session: Session) -> None:
    """Note that a statement of the caller's own moved a person's revision on (as
    ``bump_revision`` notes it), so that what this transaction reads is never cached."""
    session.info[WROTE] = True


# Built once: every write runs it, and building it (and its cache key) each time cost more
# than running it.
_BUMP = (
    update(User)
    .where(User.id.in_(bindparam("ids", expanding=True)))
    .values(revision=User.revision + 1)
)


# session.info key: this transaction changed someone's entries (so what it reads is not yet
# committed, and must not be cached for others).
WROTE = "secondchance_wrote"
# session.info key: what this transaction already computed for a person at a moment (so a page
# that asks twice reads the revision once); forgotten when the transaction ends.
MEMO = "secondchance_memo"
# Keys inside MEMO: a person's revision as read, and the rows held until the transaction ends.
REVISION = "revision"
KEPT = "kept"


def remember_revision(session: Session, user_id: int, revision: int) -> None:
    """Note ``user_id``'s revision as read in this transaction (forgotten when it ends)."""
    session.info.setdefault(MEMO, {})[REVISION, user_id] = revision


def remembered_revision(session: Session, user_id: int) -> int | None:
    """Return the revision this transaction read for ``user_id`` earlier, or None.

    None too once this transaction has changed entries: the revision moved since.
    """
    if session.info.get(WROTE):
        return None
    return session.info.get(MEMO, {}).get((REVISION, user_id))


def keep(session: Session, *rows: object) -> None:
    """Hold ``rows`` until this transaction ends.

    The session's identity map holds rows weakly: a profile read with the sign-in and then
    dropped would be read again by each ``session.get`` that follows. Held, those are free.
    """
    session.info.setdefault(MEMO, {}).setdefault(KEPT, []).extend(r for r in rows if r is not None)


def _bump_revisions(session: Session, _context: object, _instances: object) -> None:
    changed = people_changed(session)
    if changed:
        session.info[WROTE] = True
    bump_revision(session, changed)


def _transaction_ended(session: Session, transaction: object) -> None:
    if getattr(transaction, "parent", None) is None:
        session.info.pop(WROTE, None)
        session.info.pop(MEMO, None)


def read_next(session: Session) -> None:
    """Begin ``session``'s next transaction (after its write committed) as one that only reads.

    On SQLite it takes no write lock (a writer's answer read after its commit holds the one
    lock for less); on PostgreSQL it runs in autocommit (no BEGIN or COMMIT round trip). The
    transaction must not write; it ends when the session closes.
    """
    if session.in_transaction():
        raise RuntimeError("the write's transaction is still open")
    sqlite = session.get_bind().dialect.name == "sqlite"
    options = {READS_ONLY: True} if sqlite else {"isolation_level": "AUTOCOMMIT"}
    session.connection(execution_options=options)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One user action = one transaction: commit when the block ends, roll back on error."""
    with factory() as session, session.begin():
        yield session
