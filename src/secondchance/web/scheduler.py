"""The small reminder scheduler inside ``secondchance serve``: an asyncio task per app process.

Every process runs one, and each minute each asks for the sender's lease (a row claimed in a
transaction, services.reminders.claim_lease): the one holding it sends, the others skip, and
if that process stops another takes over when its lease runs out. The days already sent are
logged under a unique key too, so even two senders at once send a day once. Switched off with
``SECONDCHANCE_REMINDERS=false`` or ``serve --no-reminders`` (e.g. when cron runs
``secondchance remind`` instead).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager, suppress
from functools import partial

import anyio
from fastapi import FastAPI

from secondchance import clock
from secondchance.config import Settings
from secondchance.remind import holder_name, run_once
from secondchance.services import push

log = logging.getLogger("secondchance.reminders")

INTERVAL_SECONDS = 60
# A moment after start-up before the first pass, so starting the server stays quick.
FIRST_PASS_AFTER = 5


async def send_reminders_forever(app: FastAPI, interval: float = INTERVAL_SECONDS) -> None:
    """Run a sending pass every ``interval`` seconds until cancelled; a failed pass is logged
    and the next one tries again."""
    settings: Settings = app.state.settings
    send = partial(
        run_once,
        app.state.sessions,
        holder=holder_name(),
        subject=push.vapid_subject(settings.security_contact),
        allowed=push.services_for(settings.push_hosts),
        reads=app.state.read_sessions,
    )
    await asyncio.sleep(min(FIRST_PASS_AFTER, interval))
    while True:
        try:
            await anyio.to_thread.run_sync(send, clock.now())
        except Exception as error:  # the database away for a moment, a disk full, ...
            log.warning("reminder pass failed (%s); trying again soon", type(error).__name__)
            log.debug("reminder pass failed", exc_info=True)
        await asyncio.sleep(interval)


def lifespan(
    settings: Settings,
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """The app's lifespan: start the scheduler with the app (if reminders are on), stop it
    with the app."""

    @asynccontextmanager
    async def run(app: FastAPI) -> AsyncIterator[None]:
        task = asyncio.create_task(send_reminders_forever(app)) if settings.reminders else None
        app.state.reminder_task = task
        try:
            yield
        finally:
            if task is not None:
                task.cancel()
                with suppress(asyncio.CancelledError):
                    await task

    return run
