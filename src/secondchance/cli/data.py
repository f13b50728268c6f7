"""Your data: `export`, `import`, `backup`, `delete-all` and `demo`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.orm import Session

from secondchance import clock
from secondchance.cli.app import Runtime, app, runtime
from secondchance.services import data as data_service
from secondchance.services.demo import fill_demo
from secondchance.services.errors import InputError
from secondchance.services.people import Person, everyone, get_or_create_user, has_profile


@app.command("export")
def export_command(
    ctx: typer.Context,
    format: Annotated[
        str, typer.Option(help="json (everything) or csv (a file per table).")
    ] = "json",
    out: Annotated[Path | None, typer.Option(help="File (json) or folder (csv).")] = None,
) -> None:
    """Export everything: JSON to stdout or a file, or CSV files into a folder."""
    rt = runtime(ctx)
    if format not in ("json", "csv"):
        raise InputError("format", "should be json or csv")
    with rt.action() as session:
        users = _export_users(session, rt)
        if format == "csv":
            folder = out or Path("secondchance-export")
            files = data_service.export_csv(session, folder, users)
            rt.console.print(f"Wrote {len(files)} CSV files to {folder}/")
            return
        text = data_service.dumps(data_service.export_all(session, clock.now(), users))
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
        rt.console.print(f"Exported to {out}.")


def _export_users(session: Session, rt: Runtime) -> list[Person] | None:
    """Everyone when the database holds only this person; otherwise just this person."""
    people = everyone(session)
    if len(people) <= 1:
        return people
    return [rt.user(session)]


@app.command("import")
def import_command(
    ctx: typer.Context, path: Annotated[Path, typer.Argument(help="A JSON export.")]
) -> None:
    """Import a JSON export into an empty database."""
    rt = runtime(ctx)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("import", f"{path} doesn't exist") from None
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):  # [[[[... nested deep
        raise InputError("import", f"{path} isn't a JSON export file") from None
    with rt.action() as session:
        count = data_service.import_all(session, data)
    rt.console.print(f"Imported {count} {'person' if count == 1 else 'people'}. All there.")


@app.command()
def backup(ctx: typer.Context, path: Annotated[Path, typer.Argument(help="New file.")]) -> None:
    """Copy the database to a file, safely, even while it is in use."""
    rt = runtime(ctx)
    size = data_service.backup(rt.engine, path)
    rt.console.print(f"Backed up to {path} ({size:,} bytes).")


@app.command("delete-all")
def delete_all(
    ctx: typer.Context, yes: Annotated[bool, typer.Option("--yes", help="Don't ask.")] = False
) -> None:
    """Delete your profile and every entry, for good."""
    rt = runtime(ctx)
    if not yes and not typer.confirm(
        "This deletes your profile and everything you've logged, for good. Continue?", default=False
    ):
        rt.console.print("Nothing was deleted.")
        raise typer.Exit(1)
    with rt.action() as session:
        data_service.delete_person(session, rt.user(session))
    rt.console.print("Everything is deleted. Take care of yourself.")


@app.command()
def demo(
    ctx: typer.Context,
    reset: Annotated[bool, typer.Option("--reset", help="Replace this account's data.")] = False,
) -> None:
    """Fill this account with a six-week example to see what it looks like."""
    rt = runtime(ctx)
    now = clock.now()
    with rt.action() as session:
        user = get_or_create_user(session, rt.settings.user, now)
        if has_profile(session, user):
            if not reset:
                raise InputError(
                    "demo",
                    f"account {rt.settings.user!r} already has data; use `--user demo demo` "
                    "for a separate example, or --reset to replace it",
                )
            data_service.delete_history(session, user)
        fill_demo(session, user, now)
    rt.console.print(
        f"Six weeks of example data are in account {rt.settings.user!r}. "
        f"Try `secondchance --user {rt.settings.user} status`."
    )
