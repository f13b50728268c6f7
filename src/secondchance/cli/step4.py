"""Step 4: the memory bank, `ready` and `talk`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from secondchance import clock
from secondchance.cli.app import app, is_interactive, memory_app, print_json, runtime, when
from secondchance.cli.replies import show_reply
from secondchance.program.steps import READINESS_QUESTIONS, words_for
from secondchance.services import replies
from secondchance.services.errors import InputError
from secondchance.services.memories import add_memory, list_memories, remove_memory
from secondchance.services.people import profile_of
from secondchance.services.reconnect import log_conversation, take_readiness_check
from secondchance.services.status import current_status


@memory_app.command("add")
def memory_add(
    ctx: typer.Context,
    title: Annotated[str, typer.Argument(help="A short name for it.")],
    text: Annotated[str, typer.Option(help="What happened.")] = "",
    tags: Annotated[str, typer.Option(help="Comma-separated words.")] = "",
    inside_joke: Annotated[
        bool, typer.Option("--inside-joke", help="It's an inside joke.")
    ] = False,
) -> None:
    """Keep a good memory or inside joke for your first text."""
    rt = runtime(ctx)
    with rt.action() as session:
        row = add_memory(
            session,
            rt.user(session),
            clock.now(),
            title=title,
            body=text,
            tags=tags.split(","),
            kind="inside_joke" if inside_joke else "memory",
        )
    rt.console.print(f"Kept #{row.id}: {escape(row.title)}")


@memory_app.command("list")
def memory_list(
    ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json")] = False
) -> None:
    """Show your memory bank."""
    rt = runtime(ctx)
    with rt.action() as session:
        rows = list_memories(session, rt.user(session))
        if as_json:
            print_json(
                rt.console,
                [
                    {"id": m.id, "kind": m.kind, "title": m.title, "text": m.body, "tags": m.tags}
                    for m in rows
                ],
            )
            return
        if not rows:
            rt.console.print("No memories yet. Add one with `secondchance memory add`.")
        for m in rows:
            tag_text = f"  [dim]{escape(', '.join(m.tags))}[/dim]" if m.tags else ""
            joke = " (inside joke)" if m.kind == "inside_joke" else ""
            rt.console.print(f"#{m.id} {escape(m.title)}{joke}{tag_text}")
            if m.body:
                rt.console.print(f"    {escape(m.body)}")


@memory_app.command("remove")
def memory_remove(ctx: typer.Context, memory_id: int) -> None:
    """Remove a memory from the bank."""
    rt = runtime(ctx)
    with rt.action() as session:
        remove_memory(session, rt.user(session), memory_id)
    rt.console.print(f"Removed memory #{memory_id}.")


@app.command()
def ready(
    ctx: typer.Context,
    answers: Annotated[
        str | None, typer.Option(help="Answers in order, e.g. yes,yes,no,yes,yes.")
    ] = None,
) -> None:
    """The step-4 readiness check: five honest questions."""
    rt = runtime(ctx)
    now = clock.now()
    with rt.action() as session:
        p = profile_of(session, rt.user(session))
        words = words_for(p.ex_name, p.ex_pronouns)
    # Asked outside any transaction (on SQLite an open one holds the write lock meanwhile).
    replies = _readiness_answers(answers, words)
    with rt.action() as session:
        _, passed = take_readiness_check(session, rt.user(session), now, replies)
    if passed:
        rt.console.print("Every answer was yes. When the other gates are met, step 4 is yours.")
    else:
        rt.console.print(
            "Some answers were 'not yet'. That's honest, and honesty is what keeps you safe "
            "here. Ask again in a few days."
        )


def _readiness_answers(answers: str | None, words: dict[str, str]) -> dict[str, bool]:
    keys = [q.key for q in READINESS_QUESTIONS]
    if answers is None:
        if not is_interactive():
            raise InputError("answers", f"give {len(keys)} answers: --answers yes,no,...")
        return {
            q.key: typer.confirm(q.text.format(**words), default=False) for q in READINESS_QUESTIONS
        }
    given = [a.strip().lower() for a in answers.split(",")]
    if len(given) != len(keys) or any(a not in {"yes", "no", "y", "n"} for a in given):
        raise InputError("answers", f"give {len(keys)} answers, each yes or no")
    return {k: a.startswith("y") for k, a in zip(keys, given, strict=True)}


@app.command()
def talk(
    ctx: typer.Context,
    started_by: Annotated[str, typer.Option(help="Who started it: you or ex.")] = "you",
    messages: Annotated[int, typer.Option(help="About how many messages in all.")] = 2,
    no_reply: Annotated[bool, typer.Option("--no-reply", help="They haven't replied.")] = False,
    ended_by: Annotated[str | None, typer.Option(help="Who ended it: you or ex.")] = None,
    relationship_talk: Annotated[
        bool, typer.Option("--relationship-talk", help="The relationship came up.")
    ] = False,
    note: Annotated[str, typer.Option(help="How it felt.")] = "",
    at: Annotated[str | None, typer.Option(help="When it started: YYYY-MM-DD HH:MM.")] = None,
) -> None:
    """Log a conversation after you've reached out again; get pacing advice."""
    rt = runtime(ctx)
    now = clock.now()
    with rt.action() as session:
        user = rt.user(session)
        row = log_conversation(
            session,
            user,
            now,
            started_by=started_by,
            messages=messages,
            ex_replied=not no_reply,
            ended_by=ended_by,
            relationship_talk=relationship_talk,
            note=note,
            started_at=when(session, user, at),
        )
        state = current_status(session, user, now)
        reply = replies.conversation_reply(session, user, row, now)
    rt.console.print("Logged.")
    show_reply(rt.console, reply)
    rt.console.print("How to pace it from here:")
    for advice in state.pacing:
        rt.console.print(f"  • {advice.text}")
