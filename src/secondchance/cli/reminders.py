"""`secondchance remind`: send the reminders due now, once (for cron); and `secondchance
reminders`: see or change your reminder settings and when the next one comes.

Registered on the main Typer app when cli/__init__.py imports it. ``serve`` runs the same
pass every minute by itself; use this instead with ``serve --no-reminders`` when a cron job
should do the sending (for example every five minutes: ``*/5 * * * * secondchance remind``).
"""

from __future__ import annotations

from typing import Annotated

import typer

from secondchance import clock
from secondchance.cli.app import app, print_json, runtime
from secondchance.remind import holder_name, run_once
from secondchance.services import push, reminders
from secondchance.services.errors import InputError


@app.command("remind")
def remind_command(
    ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False
) -> None:
    """Send the reminders that are due now (to people who haven't checked in today)."""
    rt = runtime(ctx)
    settings = rt.settings
    done = run_once(
        rt.sessions(),  # the pass owns its transactions (remind.py)
        clock.now(),
        holder=holder_name(),
        subject=push.vapid_subject(settings.security_contact),
        allowed=push.services_for(settings.push_hosts),
        # Held only for this pass: the next `remind`, or a scheduler in `serve`, may send next.
        release=True,
        reads=rt.sessions(reads_only=True),
    )
    if as_json:
        keys = ("skipped", "people", "sent", "failed", "forgotten")
        print_json(rt.console, {key: getattr(done, key) for key in keys})
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


def _quiet(value: str) -> tuple[str, str]:
    start, sep, end = value.partition("-")
    if not sep:
        raise InputError("quiet", "give quiet hours as FROM-UNTIL, e.g. 22:00-07:00")
    return start.strip(), end.strip()


@app.command("reminders")
def reminders_command(
    ctx: typer.Context,
    at: Annotated[str | None, typer.Option("--at", help="Your reminder time, HH:MM.")] = None,
    quiet: Annotated[
        str | None, typer.Option("--quiet", help="Quiet hours, FROM-UNTIL (22:00-07:00).")
    ] = None,
    no_quiet: Annotated[bool, typer.Option("--no-quiet", help="No quiet hours.")] = False,
    push_on: Annotated[
        bool | None, typer.Option("--push/--no-push", help="Reminders on your devices.")
    ] = None,
    calendar_on: Annotated[
        bool | None, typer.Option("--calendar/--no-calendar", help="The private calendar feed.")
    ] = None,
    even_in_protection: Annotated[
        bool | None,
        typer.Option(
            "--even-in-protection/--not-in-protection",
            help="Remind you even while protection is on.",
        ),
    ] = None,
    new_link: Annotated[
        bool, typer.Option("--new-link", help="A new calendar link; the old one stops working.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """See or change your reminders, and when the next one would come."""
    rt = runtime(ctx)
    now = clock.now()
    with rt.action() as session:
        user = rt.user(session)
        view = reminders.overview(session, user, now)
        changing = any(x is not None for x in (at, quiet, push_on, calendar_on, even_in_protection))
        if changing or no_quiet:
            start, end = (
                _quiet(quiet)
                if quiet
                else ("", "")
                if no_quiet
                else (view.quiet_start, view.quiet_end)
            )
            form = reminders.ReminderInput(
                push_on=view.push_on if push_on is None else push_on,
                calendar_on=view.calendar_on if calendar_on is None else calendar_on,
                at=view.at if at is None else at,
                quiet_start=start,
                quiet_end=end,
                even_in_protection=(
                    view.even_in_protection if even_in_protection is None else even_in_protection
                ),
            )
            reminders.save_settings(session, user, form, now)
        if new_link:
            reminders.new_calendar_link(session, user, now)
        view = reminders.overview(session, user, now)
    feed = f"/calendar/{view.calendar_secret}.ics" if view.calendar_secret else None
    if as_json:
        print_json(
            rt.console,
            {
                "push_on": view.push_on,
                "calendar_on": view.calendar_on,
                "at": view.at,
                "quiet_start": view.quiet_start or None,
                "quiet_end": view.quiet_end or None,
                "even_in_protection": view.even_in_protection,
                "devices": view.devices,
                "next_at": view.next.next_at.isoformat() if view.next.next_at else None,
                "why": view.next.why,
                "calendar_path": feed,
            },
        )
        return
    quiet_words = f"{view.quiet_start} to {view.quiet_end}" if view.quiet_start else "none"
    rt.console.print(f"Reminder time: {view.at} ({view.timezone}); quiet hours: {quiet_words}")
    rt.console.print(f"Devices: {view.devices}. {reminders.next_words(view, now)}")
    if feed:
        rt.console.print(f"Calendar feed: add your server's address before {feed}")
