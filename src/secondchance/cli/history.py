"""`history`: what you've logged lately."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any

import typer
from rich.markup import escape
from sqlalchemy.orm import Session

from secondchance import clock
from secondchance.cli.app import app, runtime
from secondchance.program.progress import is_slip
from secondchance.services.errors import InputError
from secondchance.services.history import logged_since
from secondchance.services.letters import is_sealed
from secondchance.services.people import Person, profile_of

HISTORY_KINDS = (
    "all",
    "contacts",
    "urges",
    "checkins",
    "activities",
    "conversations",
    "memories",
    "letters",
)


@app.command()
def history(
    ctx: typer.Context,
    kind: Annotated[str, typer.Option(help=f"One of: {', '.join(HISTORY_KINDS)}.")] = "all",
    days: Annotated[int, typer.Option(help="How far back to look.")] = 14,
) -> None:
    """What you've logged lately, newest first."""
    rt = runtime(ctx)
    if kind not in HISTORY_KINDS:
        raise InputError("kind", f"should be one of {', '.join(HISTORY_KINDS)}")
    if days < 1:
        raise InputError("days", "should be 1 or more")
    now = clock.now()
    with rt.action() as session:
        user = rt.user(session)
        tz = profile_of(session, user).timezone
        lines = _history_lines(session, user, kind, now - timedelta(days=days), tz)
    if not lines:
        rt.console.print("Nothing logged in that time.")
    for _, line in sorted(lines, key=lambda item: item[0], reverse=True):
        rt.console.print(line)


def _history_lines(
    session: Session, user: Person, kind: str, since: datetime, tz: str
) -> list[tuple[str, str]]:
    """Return (sort key, line) pairs for everything of ``kind`` since ``since``."""
    since_day = clock.local_date(since, tz)
    lines: list[tuple[str, str]] = []

    def local(moment: datetime) -> str:
        return f"{moment.astimezone(clock.zone(tz)):%Y-%m-%d %H:%M}"

    def rows(kind: str) -> list[Any]:
        return logged_since(session, user, kind, since, since_day)

    if kind in ("all", "contacts"):
        for c in rows("contacts"):
            who = "You reached out" if c.direction == "you_to_ex" else "They reached out"
            how = (
                ""
                if c.direction == "you_to_ex"
                else (" · you answered" if c.answered else " · you let it be")
            )
            slip = " · a slip (data, not failure)" if is_slip(c) else ""
            lines.append(
                (
                    local(c.at),
                    f"{local(c.at)}  #{c.id} {who} ({c.channel}){how}{slip}  {escape(c.note)}",
                )
            )
    if kind in ("all", "urges"):
        for u in rows("urges"):
            did = "rode it out" if u.outcome == "resisted" else "reached out"
            lines.append(
                (
                    local(u.at),
                    f"{local(u.at)}  #{u.id} Urge {u.intensity}/10, {did}  {escape(u.trigger)}",
                )
            )
    if kind in ("all", "checkins"):
        for c in rows("checkins"):
            feel = ", ".join(c.emotions)
            lines.append(
                (f"{c.day} 23:59", f"{c.day}        #{c.id} Check-in: mood {c.mood}/10 {feel}")
            )
    if kind in ("all", "activities"):
        for a in rows("activities"):
            lines.append(
                (
                    f"{a.day} 23:58",
                    f"{a.day}        #{a.id} {a.kind.replace('_', ' ')}  {escape(a.note)}",
                )
            )
    if kind in ("all", "conversations"):
        for t in rows("conversations"):
            lines.append(
                (
                    local(t.started_at),
                    f"{local(t.started_at)}  #{t.id} Conversation started by {t.started_by}, "
                    f"{t.messages} messages",
                )
            )
    if kind in ("all", "memories"):
        for m in rows("memories"):
            when = local(m.created_at)
            lines.append((when, f"{when}  #{m.id} Memory: {escape(m.title)}"))
    if kind in ("all", "letters"):
        for letter in rows("letters"):
            when = local(letter.created_at)
            # A sealed letter's title waits with its words.
            shown = (
                f"sealed until {letter.sealed_until}"
                if is_sealed(letter, clock.local_date(clock.now(), tz))
                else escape(letter.title or "untitled")
            )
            lines.append((when, f"{when}  #{letter.id} Letter: {shown}"))
    return lines
