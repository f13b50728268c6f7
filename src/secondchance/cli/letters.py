"""`letter write`, `letter list` and `letter read`: letters you don't send."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.markup import escape

from secondchance import clock
from secondchance.cli.app import letter_app, runtime
from secondchance.cli.safety import care_for
from secondchance.services.letters import is_sealed, list_letters, open_letter, write_letter
from secondchance.services.people import profile_of


@letter_app.command("write")
def letter_write(
    ctx: typer.Context,
    body: Annotated[str, typer.Argument(help="The letter, or - to read it from stdin.")] = "-",
    title: Annotated[str, typer.Option(help="A title, if you like.")] = "",
    seal_until: Annotated[
        str | None, typer.Option(help="Keep it closed until this day: YYYY-MM-DD.")
    ] = None,
    final: Annotated[bool, typer.Option("--final", help="Your last letter (move-on).")] = False,
) -> None:
    """Write a letter you won't send."""
    rt = runtime(ctx)
    text = sys.stdin.read() if body == "-" else body
    with rt.action() as session:
        user = rt.user(session)
        row = write_letter(
            session,
            user,
            clock.now(),
            body=text,
            title=title,
            sealed_until=seal_until,
            kind="final" if final else "unsent",
        )
        sealed = f", sealed until {row.sealed_until:%d %B %Y}" if row.sealed_until else ""
        rt.console.print(f"Letter #{row.id} kept{sealed}. Nothing was sent.")
        care_for(rt, session, user, title, text)


@letter_app.command("list")
def letter_list(ctx: typer.Context) -> None:
    """List your letters (sealed ones show only their opening day)."""
    rt = runtime(ctx)
    now = clock.now()
    with rt.action() as session:
        user = rt.user(session)
        today = clock.local_date(now, profile_of(session, user).timezone)
        letters = list_letters(session, user)
    if not letters:
        rt.console.print("No letters yet. `secondchance letter write` when words need somewhere.")
    for letter in letters:
        title = escape(letter.title or "(untitled)")
        state = (
            f"sealed until {letter.sealed_until:%d %B %Y}" if is_sealed(letter, today) else "open"
        )
        final = " · final" if letter.kind == "final" else ""
        rt.console.print(
            f"#{letter.id} {letter.created_at:%Y-%m-%d} {title} [dim]({state}{final})[/dim]"
        )


@letter_app.command("read")
def letter_read(ctx: typer.Context, letter_id: int) -> None:
    """Read a letter (a sealed one waits until its day)."""
    rt = runtime(ctx)
    with rt.action() as session:
        letter = open_letter(session, rt.user(session), letter_id, clock.now())
    if letter.title:
        rt.console.print(f"[bold]{escape(letter.title)}[/bold]")
    rt.console.print(escape(letter.body))
