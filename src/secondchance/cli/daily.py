"""Steps 2 and 3: `checkin`, `feelings` and `activity`."""

from __future__ import annotations

from typing import Annotated

import typer

from secondchance import clock
from secondchance.cli.app import app, is_interactive, runtime
from secondchance.cli.replies import show_reply
from secondchance.cli.safety import care_for
from secondchance.program.steps import ACTIVITY_KINDS, EMOTIONS
from secondchance.services import replies
from secondchance.services.checkins import CheckInInput, save_checkin
from secondchance.services.errors import InputError
from secondchance.services.selfcare import log_activity


@app.command()
def checkin(
    ctx: typer.Context,
    mood: Annotated[int | None, typer.Option(help="1 (very low) to 10 (great).")] = None,
    feel: Annotated[
        str, typer.Option(help="Feeling words, comma-separated (see `secondchance feelings`).")
    ] = "",
    cried: Annotated[
        bool | None, typer.Option("--cried/--no-cried", help="Leave out if you'd rather not say.")
    ] = None,
    social_checks: Annotated[int, typer.Option(help="Times you checked their profile.")] = 0,
    slept_well: Annotated[
        bool | None,
        typer.Option("--slept-well/--slept-badly", help="Leave out if you'd rather not say."),
    ] = None,
    note: Annotated[str, typer.Option(help="Anything you want to remember.")] = "",
    date: Annotated[str | None, typer.Option(help="Fill in a past day: YYYY-MM-DD.")] = None,
) -> None:
    """Daily check-in (one per day; doing it again replaces that day)."""
    rt = runtime(ctx)
    if mood is None:
        if not is_interactive():
            raise InputError("mood", "is needed: --mood 1 to 10")
        mood = typer.prompt("Mood today, 1 to 10", type=int)
    data = CheckInInput(
        mood=mood,
        emotions=[w for w in feel.split(",") if w.strip()],
        cried=cried,
        social_checks=social_checks,
        slept_well=slept_well,
        note=note,
        day=date,
    )
    with rt.action() as session:
        user = rt.user(session)
        row, replaced = save_checkin(session, user, data, clock.now())
        rt.console.print(
            f"{'Updated' if replaced else 'Saved'} your check-in for {row.day:%A %d %B}."
        )
        show_reply(rt.console, replies.checkin_reply(session, user, row, clock.now()))
        care_for(rt, session, user, note)


@app.command()
def feelings() -> None:
    """List the feeling words a check-in understands."""
    typer.echo(", ".join(EMOTIONS))


# --------------------------------------------------------------------------- step 3


@app.command()
def activity(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(help=f"One of: {', '.join(ACTIVITY_KINDS)}.")],
    note: Annotated[str, typer.Option(help="A word about it.")] = "",
    date: Annotated[str | None, typer.Option(help="A past day: YYYY-MM-DD.")] = None,
) -> None:
    """Log something you did for yourself."""
    rt = runtime(ctx)
    with rt.action() as session:
        row = log_activity(session, rt.user(session), clock.now(), kind=kind, note=note, day=date)
    rt.console.print(f"Logged {row.kind.replace('_', ' ')} on {row.day:%A}. Good for you.")
