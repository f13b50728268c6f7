"""`secondchance lesson` (today's lesson, or every one) and `secondchance journal`.

Registered on the main Typer app when cli/__init__.py imports it.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.markup import escape

from secondchance import clock
from secondchance.cli.app import app, print_json, runtime
from secondchance.cli.safety import care_for
from secondchance.program.lessons import Lesson
from secondchance.services.journal import delete_entry, edit_entry, list_entries, write_entry
from secondchance.services.lessons import lessons_for, open_lesson, today_lesson

STEP_NAMES = {0: "Any day", 1: "Step 1", 2: "Step 2", 3: "Step 3", 4: "Step 4"}

journal_app = typer.Typer(
    invoke_without_command=True, help="Your journal: answers to the lessons' prompts."
)
app.add_typer(journal_app, name="journal")


def _lesson_json(lesson: Lesson, read: bool) -> dict[str, object]:
    return {
        "slug": lesson.slug,
        "step": lesson.step,
        "title": lesson.title,
        "body": "\n\n".join(lesson.paragraphs),
        "try_today": lesson.try_today,
        "prompt": lesson.prompt,
        "read": read,
    }


@app.command("lesson")
def lesson_command(
    ctx: typer.Context,
    slug: Annotated[str | None, typer.Argument(help="Read this lesson (see --all).")] = None,
    all_: Annotated[bool, typer.Option("--all", help="List every lesson you can read.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Today's lesson (marked read), a lesson by name, or --all of them by step."""
    rt = runtime(ctx)
    now = clock.now()
    if all_:
        with rt.action() as session:
            situation, groups = lessons_for(session, rt.user(session), now)
        if as_json:
            items = [_lesson_json(x, x.slug in situation.read) for g in groups.values() for x in g]
            print_json(rt.console, items)
            return
        for step, items in groups.items():
            rt.console.print(f"[bold]{STEP_NAMES[step]}[/bold]")
            for item in items:
                mark = " [dim](read)[/dim]" if item.slug in situation.read else ""
                rt.console.print(f"  {item.slug}: {escape(item.title)}{mark}")
        return
    with rt.action() as session:
        user = rt.user(session)
        chosen = slug or today_lesson(session, user, now).lesson.slug
        lesson = open_lesson(session, user, chosen, now)
    if as_json:
        print_json(rt.console, _lesson_json(lesson, True))
        return
    rt.console.print(f"[bold]{escape(lesson.title)}[/bold]\n")
    for paragraph in lesson.paragraphs:
        rt.console.print(escape(paragraph) + "\n")
    rt.console.print(f"[bold]Try today:[/bold] {escape(lesson.try_today)}")
    rt.console.print(f"[bold]Journal:[/bold] {escape(lesson.prompt)}")
    rt.console.print(f'[dim]secondchance journal write "..." --lesson {lesson.slug}[/dim]')


@journal_app.callback()
def journal_default(ctx: typer.Context) -> None:
    """With no command, list the journal."""
    if ctx.invoked_subcommand is None:
        journal_list(ctx)


@journal_app.command("list")
def journal_list(
    ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False
) -> None:
    """Your journal entries, newest first."""
    rt = runtime(ctx)
    with rt.action() as session:
        entries = list_entries(session, rt.user(session))
    if as_json:
        print_json(
            rt.console,
            [
                {
                    "id": e.id,
                    "day": e.day.isoformat(),
                    "lesson_slug": e.lesson_slug,
                    "prompt": e.prompt,
                    "text": e.text,
                }
                for e in entries
            ],
        )
        return
    if not entries:
        rt.console.print("Nothing written yet. `secondchance lesson` gives today's prompt.")
    for entry in entries:
        prompt = f" [dim]{escape(entry.prompt)}[/dim]" if entry.prompt else ""
        rt.console.print(f"#{entry.id} {entry.day:%Y-%m-%d}{prompt}")
        rt.console.print(f"  {escape(entry.text)}")


def _read(text: str) -> str:
    return sys.stdin.read() if text == "-" else text


@journal_app.command("write")
def journal_write(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="What you want to write, or - for stdin.")] = "-",
    lesson: Annotated[str, typer.Option(help="The lesson whose prompt this answers.")] = "",
) -> None:
    """Write a journal entry for today."""
    rt = runtime(ctx)
    words = _read(text)
    with rt.action() as session:
        user = rt.user(session)
        row, _ = write_entry(session, user, clock.now(), text=words, lesson_slug=lesson)
        rt.console.print(f"Kept in your journal (#{row.id}). Only you can read it.")
        care_for(rt, session, user, row.text)


@journal_app.command("edit")
def journal_edit(
    ctx: typer.Context,
    entry_id: int,
    text: Annotated[str, typer.Argument(help="The new words, or - for stdin.")] = "-",
) -> None:
    """Change the words of an entry."""
    rt = runtime(ctx)
    words = _read(text)
    with rt.action() as session:
        user = rt.user(session)
        row, _ = edit_entry(session, user, entry_id, clock.now(), text=words)
        rt.console.print(f"Entry #{row.id} is updated.")
        care_for(rt, session, user, row.text)


@journal_app.command("delete")
def journal_delete(
    ctx: typer.Context,
    entry_id: int,
    yes: Annotated[bool, typer.Option("--yes", help="Don't ask first.")] = False,
) -> None:
    """Delete an entry, for good."""
    rt = runtime(ctx)
    if not yes and not typer.confirm(f"Delete journal entry #{entry_id}?"):
        rt.console.print("Kept.")
        return
    with rt.action() as session:
        delete_entry(session, rt.user(session), entry_id)
        rt.console.print(f"Entry #{entry_id} is deleted.")
