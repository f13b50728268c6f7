"""`init`, `profile` and `targets`: who you are and what you aim for."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from secondchance import clock
from secondchance.cli.app import app, print_json, runtime
from secondchance.program.steps import TARGETS
from secondchance.services import data as data_service
from secondchance.services.people import (
    ProfileInput,
    find_user,
    get_or_create_user,
    has_profile,
    profile_of,
    save_profile,
    set_targets,
)


@app.command()
def init(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Option(help="Your first name.")] = None,
    ex_name: Annotated[str | None, typer.Option(help="Your ex's name.")] = None,
    pronouns: Annotated[
        str | None, typer.Option(help="Your ex's pronouns: he, she or they.")
    ] = None,
    breakup_date: Annotated[str | None, typer.Option(help="When it ended, YYYY-MM-DD.")] = None,
    who_ended: Annotated[str | None, typer.Option(help="Who ended it: ex, me or mutual.")] = None,
    goal: Annotated[str | None, typer.Option(help="reconcile, move_on or undecided.")] = None,
    country: Annotated[str | None, typer.Option(help="Two-letter code, for help lines.")] = None,
    timezone: Annotated[str | None, typer.Option(help="e.g. Europe/London.")] = None,
    target: Annotated[
        int | None, typer.Option(help="No-contact target in days (default 21, at least 14).")
    ] = None,
    no_input: Annotated[bool, typer.Option("--no-input", help="Never ask; fail instead.")] = False,
) -> None:
    """Set up (or update) your profile. Asks for what you don't give as options."""
    rt = runtime(ctx)
    given = ProfileInput(
        name=name,
        ex_name=ex_name,
        ex_pronouns=pronouns,
        breakup_date=breakup_date,
        who_ended=who_ended,
        goal=goal,
        country=country,
        timezone=timezone,
        no_contact_target_days=target,
    )
    now = clock.now()
    # Questions are asked outside any transaction: on SQLite an open one holds the write lock,
    # and the web app could save nothing for anyone while a person thinks about an answer.
    with rt.action() as session:
        known = find_user(session, rt.settings.user)
        existing = known is not None and has_profile(session, known)
    if not existing and not no_input and (name is None or ex_name is None):
        given = _ask_profile(given)
    with rt.action() as session:
        user = get_or_create_user(session, rt.settings.user, now)
        existing = has_profile(session, user)
        profile = save_profile(session, user, given, now)
        verb = "Updated" if existing else "Welcome"
        rt.console.print(
            f"{verb}, {escape(profile.name)}. Your no-contact target is "
            f"{profile.no_contact_target_days} days. Next: `secondchance start` when you're ready."
        )


def _ask_profile(given: ProfileInput) -> ProfileInput:
    """Prompt for each missing answer, with a sensible default where there is one."""
    prompts = [
        ("name", "Your first name", None),
        ("ex_name", "Your ex's name", None),
        ("ex_pronouns", "Their pronouns (he/she/they)", "they"),
        ("breakup_date", "When did it end? (YYYY-MM-DD, blank if you'd rather not say)", ""),
        ("who_ended", "Who ended it? (ex/me/mutual)", "ex"),
        ("goal", "What do you want? (reconcile/move_on/undecided)", "undecided"),
        ("country", "Your country (two letters, for help lines)", "US"),
        ("timezone", "Your time zone", "UTC"),
        ("no_contact_target_days", "No-contact target in days", "21"),
    ]
    for key, question, default in prompts:
        if getattr(given, key) is None:
            answer = typer.prompt(question, default=default, show_default=bool(default))
            setattr(given, key, answer if answer != "" else None)
    return given


@app.command()
def profile(ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Show your profile and targets."""
    rt = runtime(ctx)
    with rt.action() as session:
        p = profile_of(session, rt.user(session))
        row = data_service.export_person(session, rt.user(session))["profile"]
        if as_json:
            print_json(rt.console, row)
            return
        rt.console.print(f"{escape(p.name)} · ex: {escape(p.ex_name)} ({p.ex_pronouns})")
        for key, value in row.items():
            if key not in {"name", "ex_name", "ex_pronouns", "created_at", "updated_at"}:
                rt.console.print(
                    f"  {key.replace('_', ' ')}: {value if value is not None else '–'}"
                )


@app.command()
def targets(
    ctx: typer.Context,
    exercise: Annotated[int | None, typer.Option(help="Exercise sessions a week.")] = None,
    fun: Annotated[int | None, typer.Option(help="Outings or new things a week.")] = None,
    positive: Annotated[int | None, typer.Option(help="Positive practices a week.")] = None,
    look: Annotated[int | None, typer.Option(help="Look-and-feel actions a fortnight.")] = None,
) -> None:
    """Show or change your step-3 targets."""
    rt = runtime(ctx)
    changes = {
        k: val
        for k, val in {"exercise": exercise, "fun": fun, "positive": positive, "look": look}.items()
        if val is not None
    }
    with rt.action() as session:
        user = rt.user(session)
        p = (
            set_targets(session, user, changes, clock.now())
            if changes
            else profile_of(session, user)
        )
        for target in TARGETS:
            per = "a fortnight" if target.period_days == 14 else "a week"
            rt.console.print(f"  {target.label}: {getattr(p, target.column)} {per}")
