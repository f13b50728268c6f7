"""`secondchance remind`: send the reminders due now, once (for cron).

Registered on the main Typer app by one import at the end of cli.py. ``serve`` runs the same
pass every minute by itself; use this instead with ``serve --no-reminders`` when a cron job
should do the sending (for example every five minutes: ``*/5 * * * * secondchance remind``).
"""

from __future__ import annotations

from typing import Annotated

import typer

from secondchance import clock
from secondchance.cli import _json, app, runtime
from secondchance.db import make_sessionmaker
from secondchance.remind import holder_name, run_once
from secondchance.services import push


@app.command("remind")
def remind_command(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Send the reminders that are due now (to people who haven't checked in today)."""
    rt = runtime(ctx)
    settings = rt.settings
    done = run_once(
        make_sessionmaker(rt.engine),  # the pass owns its transactions (remind.py)
        clock.now(),
        holder=holder_name(),
        subject=push.vapid_subject(settings.security_contact),
        allowed=push.services_for(settings.push_hosts),
        # Held only for this pass: the next `remind`, or a scheduler in `serve`, may send next.
        release=True,
        reads=make_sessionmaker(rt.engine, reads_only=True),
    )
    if as_json:
        keys = ("skipped", "people", "sent", "failed", "forgotten")
        _json(rt.console, {key: getattr(done, key) for key in keys})
        return
    if done.skipped:
        rt.console.print("Another process is sending reminders right now; nothing to do here.")
        return
    if not done.people:
        rt.console.print("No reminders due right now.")
        return
    rt.console.print(
        f"Reminded {done.people} {'person' if done.people == 1 else 'people'}: "
        f"{done.sent} sent, {done.failed} not delivered"
        + (f", {done.forgotten} old device(s) forgotten." if done.forgotten else ".")
    )
