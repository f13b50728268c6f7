"""`serve` and `db upgrade` / `db current`."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from secondchance import clock
from secondchance.cli.app import app, db_app, runtime
from secondchance.migrate import current_revision, head_revision, upgrade
from secondchance.services.demo import delete_expired_demos
from secondchance.services.errors import InputError


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
    demo: Annotated[
        bool,
        typer.Option(
            "--demo",
            help="Offer 'Try the demo': each visitor gets a private copy of six weeks of "
            "example, deleted after a day.",
        ),
    ] = False,
    reminders: Annotated[
        bool | None,
        typer.Option(
            "--reminders/--no-reminders",
            help="Send the reminders that are due, every minute (default: on, or "
            "SECONDCHANCE_REMINDERS). Turn off when cron runs `secondchance remind`.",
        ),
    ] = None,
) -> None:
    """Run the web app (migrating the database first)."""
    import uvicorn

    rt = runtime(ctx)
    rt.settings.resolved_secret_key()  # refuse a default key outside development, before starting
    if workers < 1:
        raise InputError("workers", "should be 1 or more")
    rt.engine  # noqa: B018 - migrate once, before the workers start
    if demo:
        # The workers read their settings from the environment.
        os.environ["SECONDCHANCE_DEMO"] = "1"
        with rt.action() as session:
            delete_expired_demos(session, clock.now())
        rt.console.print("The first page offers [bold]Try the demo[/bold] to visitors.")
    if reminders is not None:
        os.environ["SECONDCHANCE_REMINDERS"] = "1" if reminders else "0"
    rt.close()
    rt.console.print(f"secondchance is running at [bold]http://{host}:{port}[/bold]")
    uvicorn.run(
        "secondchance.web.server:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        proxy_headers=True,
    )


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Bring the database to the newest schema (also done automatically)."""
    rt = runtime(ctx)
    with rt.unmigrated_engine() as engine:
        changed = upgrade(engine)
    rt.console.print("Upgraded." if changed else f"Already up to date ({head_revision()}).")


@db_app.command("current")
def db_current(ctx: typer.Context) -> None:
    """Show the database's schema revision."""
    rt = runtime(ctx)
    with rt.unmigrated_engine() as engine:
        rt.console.print(current_revision(engine) or "empty")
