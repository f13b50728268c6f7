"""Send the reminders that are due: one pass, owning its transactions.

Used by ``secondchance remind`` (for cron) and by the small scheduler inside ``secondchance
serve`` (web/scheduler.py). A pass claims the sender's lease, claims the due days and commits;
only then does it post to the push services (slow, outside any transaction), and finally it
forgets the browsers whose push service said they are gone.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from secondchance.db import transaction
from secondchance.services import push, reminders

log = logging.getLogger("secondchance.reminders")

# Held a little longer than the scheduler's minute, so one process keeps sending while it runs,
# and another takes over within two minutes if it stops.
LEASE_SECONDS = 120


def holder_name() -> str:
    """A name for this process, unique enough that two processes never share it."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@dataclass
class Pass:
    """What one pass did. ``skipped`` is True when another process holds the lease."""

    skipped: bool = False
    people: int = 0
    sent: int = 0
    failed: int = 0
    forgotten: int = 0
    statuses: list[int | None] = field(default_factory=list)


def run_once(
    factory: sessionmaker[Session],
    now: datetime,
    *,
    holder: str,
    subject: str,
    allowed: tuple[str, ...] = push.PUSH_SERVICES,
    lease_seconds: int = LEASE_SECONDS,
    release: bool = False,
    reads: sessionmaker[Session] | None = None,
) -> Pass:
    """Send every reminder due at ``now``; returns what was done.

    ``subject`` is the VAPID contact (see ``push.vapid_subject``); ``allowed`` the push
    service hosts we post to (a subscription elsewhere is skipped, never posted to).
    ``release`` gives the lease back at the end (a one-off pass, such as cron's); a scheduler
    keeps it, renewing it each pass, so one process goes on being the sender. ``reads`` is a
    sessionmaker for read-only transactions (db.make_sessionmaker(..., reads_only=True)): on
    SQLite, asking about each person then doesn't hold the write lock that the app's writers
    wait for; only the short claim does.
    """
    with transaction(factory) as session:
        if not reminders.claim_lease(session, holder, now, lease_seconds):
            return Pass(skipped=True)
        keys = push.ensure_vapid_keys(session, now)
    with transaction(reads or factory) as session:
        due = reminders.due_now(session, now)
    if not due:
        claimed = []
    else:
        with transaction(factory) as session:
            claimed = reminders.claim(session, due, now)
    result = Pass(people=len(claimed))
    gone: list[int] = []
    for person in claimed:
        for target in person.targets:
            if not push.allowed_endpoint(target.endpoint, allowed):
                continue
            status = push.send(target, reminders.MESSAGE, keys, subject)
            result.statuses.append(status)
            if status is not None and 200 <= status < 300:
                result.sent += 1
            else:
                result.failed += 1
            if status in push.GONE:
                gone.append(target.id)
    if gone or release:
        with transaction(factory) as session:
            push.forget(session, gone)
            if release:
                reminders.release_lease(session, holder)
        result.forgotten = len(gone)
    if result.people:
        log.info(
            "reminders: %d people, %d sent, %d failed", result.people, result.sent, result.failed
        )
    return result
