"""Safety: the notice after words are saved, and `safety` / `safety clear`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from sqlalchemy.orm import Session

from secondchance import clock
from secondchance.cli.app import Runtime, is_interactive, print_json, runtime, safety_app
from secondchance.program.safety import SafetyState
from secondchance.services import safety_notice, safety_state
from secondchance.services.errors import InputError
from secondchance.services.people import Person, profile_of


def care_for(rt: Runtime, session: Session, user: Person, *texts: str) -> None:
    """If anything just written signals crisis or abuse, show help at once, calmly.

    Safety before strategy: this runs for every note, letter, urge and check-in, every time.
    What to show is decided by ``safety_notice`` (as on the web); this only says it.
    """
    notice = safety_notice.notice_in(session, user, *texts)
    if notice.level == "concern":
        rt.urgent.print(
            "\nThat sounds heavy. Go gently with yourself today; if you'd like to talk to "
            "someone, `secondchance safety` shows who is there, any time."
        )
        return
    if not notice.flagged:
        return
    if notice.crisis:
        rt.urgent.print(
            "\n[bold]What you wrote sounds really heavy. You matter, and you don't have to carry "
            "this alone.[/bold] Please talk to someone tonight:"
        )
    else:
        rt.urgent.print(
            "\n[bold]Your safety comes first.[/bold] What you wrote sounds like it could be abuse "
            "or control. It isn't your fault, and keeping your distance protects you. Help:"
        )
    for line in notice.help:
        rt.urgent.print(f"  • {escape(line.name)}: [bold]{escape(line.contact)}[/bold]")


def show_safety(console: Console, state: SafetyState, country: str) -> None:
    """Say kindly what the remembered safety state holds, with help lines; nothing when off.

    Crisis: the crisis lines first. Abuse: protection, and the abuse lines. Concern: one gentle
    line. Each time, how to set it aside when the person is safe.
    """
    from secondchance.analysis import resources

    if not state.active:
        return
    lines = resources.crisis_lines(country) if state.crisis else []
    if state.abuse:
        lines += [line for line in resources.abuse_lines(country) if line not in lines]
    if state.crisis:
        console.print(
            "[bold]You don't have to carry this alone.[/bold] Something you wrote sounded really "
            "heavy. If it feels like too much, please talk to someone now:"
        )
    elif state.abuse:
        console.print(
            "[bold]Your safety comes first.[/bold] What you wrote showed signs of abuse or "
            "control. That isn't your fault; here, no contact is about keeping you safe:"
        )
    else:
        lines = resources.crisis_lines(country)[:1]
        console.print(
            "Go gently today: what you wrote lately sounded heavy. If you'd like to talk to "
            "someone, they're there any time:"
        )
    for line in lines:
        console.print(f"  • {escape(line.name)}: [bold]{escape(line.contact)}[/bold]")
    console.print("[dim]When you're safe, `secondchance safety clear` sets this aside.[/dim]\n")


SAFETY_KIND_WORDS = {
    "crisis": "things felt too heavy to carry (help stays in view)",
    "concern": "things felt heavy (a gentle reminder)",
    "abuse": "signs of abuse or control (no contact is protection)",
}


@safety_app.callback()
def safety_show(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Show what your words showed and you haven't set aside, with help lines."""
    if ctx.invoked_subcommand is not None:
        return
    rt = runtime(ctx)
    with rt.action() as session:
        user = rt.user(session)
        state = safety_state.current(session, user, clock.now())
        p = profile_of(session, user)
        tz, country = p.timezone, p.country
    if as_json:
        print_json(rt.console, state.to_dict())
        return
    if not state.active:
        rt.console.print(
            "Nothing is held for you right now. If things ever feel heavy, help is there: "
            "the Help page in the app, or your local crisis line."
        )
        return
    show_safety(rt.console, state, country)
    assert state.since is not None
    rt.console.print(f"On since {clock.local_date(state.since, tz):%A %d %B %Y}:")
    for kind in state.active:
        rt.console.print(f"  • {SAFETY_KIND_WORDS[kind]}")
    for item in state.evidence:
        rt.console.print(f"    [dim]{item.source}:[/dim] “{escape(item.quote)}”")


@safety_app.command("clear")
def safety_clear(
    ctx: typer.Context,
    kind: Annotated[
        list[str] | None,
        typer.Option("--kind", help="crisis, concern or abuse (repeat; default: all that are on)."),
    ] = None,
    note: Annotated[str, typer.Option(help="A word for yourself, if you like.")] = "",
    yes: Annotated[bool, typer.Option("--yes", help="Don't ask.")] = False,
) -> None:
    """I'm safe now: set aside what your words showed until now. Your own choice, and logged."""
    rt = runtime(ctx)
    now = clock.now()
    if not yes:
        if not is_interactive():
            raise InputError("yes", "setting this aside is your own choice: add --yes to confirm")
        # Asked outside any transaction (on SQLite an open one holds the write lock meanwhile).
        rt.console.print(
            "This sets aside what your words showed until now. Nothing you wrote is deleted, "
            "and if something you write later shows it again, it comes back on its own."
        )
        if not typer.confirm("Are you safe now?", default=False):
            rt.console.print("Nothing was changed. Take all the time you need.")
            raise typer.Exit(1)
    with rt.action() as session:
        row = safety_state.clear(session, rt.user(session), now, kind or None, note)
    if row is None:
        rt.console.print("There was nothing to set aside. Help is there whenever you need it.")
        return
    rt.console.print(
        f"Set aside: {', '.join(row.kinds)}. Thank you for telling us. If things get heavy "
        "again, help is one step away: `secondchance safety`."
    )
