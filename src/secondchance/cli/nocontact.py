"""Step 1: `start`, `contact` and `urge`."""

from __future__ import annotations

from typing import Annotated

import typer

from secondchance import clock
from secondchance.cli.app import app, is_interactive, runtime, when
from secondchance.cli.replies import show_reply
from secondchance.cli.safety import care_for
from secondchance.program.steps import words_for
from secondchance.services import replies
from secondchance.services.contact import log_contact, log_urge, start_no_contact
from secondchance.services.errors import InputError
from secondchance.services.letters import write_letter
from secondchance.services.people import profile_of


@app.command()
def start(
    ctx: typer.Context,
    target: Annotated[int | None, typer.Option(help="Days of no contact (at least 14).")] = None,
    on: Annotated[str | None, typer.Option(help="Started earlier? YYYY-MM-DD [HH:MM].")] = None,
) -> None:
    """Start your no-contact period."""
    rt = runtime(ctx)
    now = clock.now()
    with rt.action() as session:
        user = rt.user(session)
        start_no_contact(session, user, now, started_at=when(session, user, on), target=target)
        p = profile_of(session, user)
        words = words_for(p.ex_name, p.ex_pronouns)
        rt.console.print(
            f"No contact has begun: {p.no_contact_target_days} days. This is time for you, and "
            "time for {obj} to notice you're gone. You can do this.".format(**words)
        )


@app.command()
def contact(
    ctx: typer.Context,
    sender: Annotated[str, typer.Option("--from", help="Who reached out: you or ex.")] = "you",
    channel: Annotated[
        str, typer.Option(help="text, call, social_media, in_person or other.")
    ] = "text",
    answered: Annotated[
        bool, typer.Option("--answered/--ignored", help="Did you answer their message?")
    ] = False,
    note: Annotated[str, typer.Option(help="What happened, for you.")] = "",
    at: Annotated[str | None, typer.Option(help="When, if not now: YYYY-MM-DD HH:MM.")] = None,
) -> None:
    """Log contact with your ex. Nothing is erased; a slip is data, not failure."""
    rt = runtime(ctx)
    directions = {"you": "you_to_ex", "me": "you_to_ex", "ex": "ex_to_you"}
    if sender.strip().lower() not in directions:
        raise InputError("from", f"should be you or ex, not {sender!r}")
    now = clock.now()
    with rt.action() as session:
        user = rt.user(session)
        row, slip = log_contact(
            session,
            user,
            now,
            direction=directions[sender.strip().lower()],
            channel=channel,
            answered=answered,
            note=note,
            at=when(session, user, at),
        )
        care_for(rt, session, user, note)
        rt.console.print("Logged.")
        show_reply(rt.console, replies.contact_reply(session, user, row, slip, now))


@app.command()
def urge(
    ctx: typer.Context,
    intensity: Annotated[int, typer.Argument(help="How strong, 1 to 10.")],
    trigger: Annotated[str, typer.Option(help="What set it off.")] = "",
    instead: Annotated[str, typer.Option(help="What you did instead.")] = "",
    acted: Annotated[bool, typer.Option("--acted", help="You did reach out.")] = False,
    letter: Annotated[
        str | None, typer.Option(help="Write what you wanted to say as an unsent letter.")
    ] = None,
    at: Annotated[str | None, typer.Option(help="When, if not now: YYYY-MM-DD HH:MM.")] = None,
) -> None:
    """Log an urge to contact your ex, and put the words in a letter instead."""
    rt = runtime(ctx)
    now = clock.now()
    with rt.action() as session:
        user = rt.user(session)
        row = log_urge(
            session,
            user,
            now,
            intensity=intensity,
            trigger=trigger,
            instead=instead,
            outcome="acted" if acted else "resisted",
            at=when(session, user, at),
        )
        reply = replies.urge_reply(session, user, row, now)
        if letter:
            write_letter(session, user, now, body=letter, title="Instead of a text")
            rt.console.print("Your letter is kept. The words are out, and nothing was sent.")
        care_for(rt, session, user, trigger, instead, letter or "")
    # Offered once the urge is saved, outside any transaction: a letter can take minutes to
    # write, and on SQLite an open transaction would keep the web app from saving anything.
    offer = letter is None and not acted and is_interactive()
    if offer and typer.confirm("Write what you wanted to say as a letter you keep?"):
        written = typer.prompt("Your letter")
        with rt.action() as session:
            user = rt.user(session)
            write_letter(session, user, now, body=written, title="Instead of a text")
            rt.console.print("Your letter is kept. The words are out, and nothing was sent.")
            care_for(rt, session, user, written)
    rt.console.print("Logged.")
    show_reply(rt.console, reply)
