"""`status` and `today`: where you are, safety first."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from secondchance import clock
from secondchance.cli.app import app, print_json, runtime
from secondchance.cli.render import render_status
from secondchance.cli.safety import show_safety
from secondchance.services.people import profile_of
from secondchance.services.status import current_status


def _status(ctx: typer.Context, as_json: bool) -> None:
    rt = runtime(ctx)
    with rt.action() as session:
        user = rt.user(session)
        state = current_status(session, user, clock.now())
        p = profile_of(session, user)
        name, country = p.name, p.country
    if as_json:
        print_json(rt.console, state.to_dict())
        return
    show_safety(rt.console, state.safety, country)  # safety before strategy: first
    render_status(rt.console, state, escape(name))


@app.command()
def status(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Where you are: your step, every gate with its numbers, and what to do today."""
    _status(ctx, as_json)


@app.command()
def today(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Same as `status`."""
    _status(ctx, as_json)
