"""The command line: every action of the program, one transaction per command.

Commands translate arguments into one service call and show the result; they don't decide.
Mistakes in what was typed come back as one friendly line and a non-zero exit, never a
traceback, and nothing already saved is touched by a command that fails.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape
from sqlalchemy import Engine, select
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from typer.core import TyperGroup

from secondchance import cli_analysis, clock
from secondchance.cli_render import render_status
from secondchance.cli_replies import show_reply
from secondchance.config import Settings
from secondchance.db import make_engine, make_sessionmaker
from secondchance.migrate import ForeignDatabaseError, current_revision, head_revision, upgrade
from secondchance.models import (
    Activity,
    CheckIn,
    Contact,
    Conversation,
    Letter,
    Memory,
    Urge,
    User,
)
from secondchance.program.lessons import LessonError, all_lessons
from secondchance.program.progress import is_slip
from secondchance.program.safety import SafetyState
from secondchance.program.steps import (
    ACTIVITY_KINDS,
    EMOTIONS,
    READINESS_QUESTIONS,
    TARGETS,
    words_for,
)
from secondchance.services import data as data_service
from secondchance.services import replies, safety_state
from secondchance.services.accounts import use_hashing
from secondchance.services.checkins import CheckInInput, save_checkin
from secondchance.services.contact import log_contact, log_urge, start_no_contact
from secondchance.services.demo import delete_expired_demos, fill_demo
from secondchance.services.errors import InputError, NoProfile, NotFound
from secondchance.services.letters import is_sealed, list_letters, open_letter, write_letter
from secondchance.services.memories import add_memory, list_memories, remove_memory
from secondchance.services.people import (
    ProfileInput,
    find_user,
    get_or_create_user,
    profile_of,
    require_user,
    save_profile,
    set_targets,
)
from secondchance.services.reconnect import log_conversation, take_readiness_check
from secondchance.services.selfcare import log_activity
from secondchance.services.status import current_status
from secondchance.services.validate import local_moment


class FriendlyGroup(TyperGroup):
    """Turn the errors a person can cause into one clear line and exit code 1."""

    def invoke(self, ctx: typer.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (InputError, NoProfile, NotFound, ForeignDatabaseError) as error:
            _fail(str(error))
        except UnicodeDecodeError:  # standard input (or a file) that isn't UTF-8 text
            _fail("that isn't UTF-8 text, so it couldn't be read. Nothing was saved.")
        except ValidationError as error:  # settings from the environment
            problems = "; ".join(
                f"SECONDCHANCE_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}"
                for e in error.errors()
            )
            _fail(f"configuration: {problems}")
        except OperationalError as error:
            _fail(_database_trouble(error))
        except DatabaseError as error:
            _fail(f"the database couldn't be read ({error.orig}). Nothing was changed.")


def _database_trouble(error: OperationalError) -> str:
    text = str(error.orig).lower()
    if "locked" in text:
        return "the database is busy with another program; nothing was changed. Try again."
    if "readonly" in text or "read-only" in text:
        return "the database is read-only here; nothing was changed."
    if "full" in text:
        return "the disk is full; nothing was changed. Free some space and try again."
    if "disk" in text:
        # SQLite says "disk I/O error" when it can't even make its small -shm file: mostly a
        # full disk, sometimes a failing one.
        return (
            "the disk couldn't be written (is it full?); nothing was changed. Free some space "
            "and try again."
        )
    if "unable to open" in text:
        # SQLite keeps two small files beside the database (-wal, -shm) and must be able to
        # make them, even to read: a read-only folder or disk stops it at the door.
        return (
            "couldn't open the database: its folder is missing or read-only here "
            f"({error.orig}). Nothing was changed."
        )
    return f"couldn't reach the database ({error.orig}). Nothing was changed."


def _fail(message: str) -> None:
    Console(stderr=True, highlight=False, soft_wrap=True).print(f"[red]✗[/red] {escape(message)}")
    raise typer.Exit(1)


app = typer.Typer(
    cls=FriendlyGroup,
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    help="secondchance: a kind coach for the four-step program after a breakup.",
)
letter_app = typer.Typer(no_args_is_help=True, help="Letters you write and don't send.")
memory_app = typer.Typer(no_args_is_help=True, help="Good memories and inside jokes.")
db_app = typer.Typer(no_args_is_help=True, help="The database itself.")
safety_app = typer.Typer(
    invoke_without_command=True,
    help='What your words showed (crisis, concern, abuse) and your own "I\'m safe now".',
)
app.add_typer(letter_app, name="letter")
app.add_typer(memory_app, name="memory")
app.add_typer(db_app, name="db")
app.add_typer(safety_app, name="safety")


@dataclass
class Runtime:
    """What every command shares: settings, and a database opened (and migrated) on first use."""

    settings: Settings
    # Soft wrap: long lines stay whole when piped, and the terminal wraps them itself.
    console: Console = field(default_factory=lambda: Console(highlight=False, soft_wrap=True))
    # Help lines are shown at once, never held back with the rest until the commit: if saving
    # fails (a full disk), the person still sees where to find help.
    urgent: Console = field(default_factory=lambda: Console(highlight=False, soft_wrap=True))
    _engine: Engine | None = None
    _factory: sessionmaker[Session] | None = None

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = make_engine(self.settings.database_url)
            upgrade(self._engine)
            self._factory = make_sessionmaker(self._engine)
        return self._engine

    @contextmanager
    def action(self) -> Iterator[Session]:
        """One command, one transaction: all of it is saved, or none of it.

        What the command says inside the transaction ("Letter #3 kept") is held back until the
        commit has succeeded: a full disk fails the commit, and then only the error is shown.
        """
        self.engine  # noqa: B018 - opens and migrates the database
        assert self._factory is not None
        self.console.begin_capture()
        try:
            with self._factory() as session, session.begin():
                yield session
        except BaseException:
            self.console.end_capture()  # never said: it wasn't saved
            raise
        said = self.console.end_capture()
        if said:
            self.console.file.write(said)
            self.console.file.flush()

    def user(self, session: Session) -> User:
        return require_user(session, self.settings.user)

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()


def runtime(ctx: typer.Context) -> Runtime:
    return ctx.find_root().obj  # type: ignore[no-any-return]


@app.callback()
def main_options(
    ctx: typer.Context,
    user: Annotated[
        str | None,
        typer.Option("--user", help="Whose data to use (default: SECONDCHANCE_USER, or 'me')."),
    ] = None,
) -> None:
    try:
        all_lessons()  # a wrong lesson file is named here, before any command runs
    except LessonError as error:
        _fail(f"A lesson file needs fixing: {error}")
    settings = Settings()
    if user is not None:
        settings = settings.model_copy(update={"user": user})
    try:
        use_hashing(settings.resolved_password_hashing())
    except ValueError as error:
        _fail(str(error))
    state = Runtime(settings)
    ctx.obj = state
    ctx.call_on_close(state.close)


def _json(console: Console, data: Any) -> None:
    """Plain JSON on stdout, never wrapped or coloured, so scripts can parse it."""
    console.file.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def _interactive() -> bool:
    return sys.stdin.isatty()


def _when(session: Session, user: User, value: str | None) -> datetime | None:
    """Parse a ``--at`` value in the person's own time zone."""
    if value is None:
        return None
    return local_moment("at", value, profile_of(session, user).timezone)


def _care_for(rt: Runtime, session: Session, user: User, *texts: str) -> None:
    """If anything just written signals crisis or abuse, show help at once, calmly.

    Safety before strategy: this runs for every note, letter, urge and check-in, every time.
    (The services have already remembered what the words showed; this only speaks of it.)
    """
    from secondchance.analysis import resources, safety

    results = [safety.check(t) for t in texts if t and t.strip()]
    crisis = any(r.crisis for r in results)
    abuse = any(r.abuse for r in results)
    if not (crisis or abuse):
        if any(r.concern for r in results):
            rt.urgent.print(
                "\nThat sounds heavy. Go gently with yourself today; if you'd like to talk to "
                "someone, `secondchance safety` shows who is there, any time."
            )
        return
    country = profile_of(session, user).country
    lines = resources.crisis_lines(country) if crisis else []
    if abuse:
        lines += [line for line in resources.abuse_lines(country) if line not in lines]
    if crisis:
        rt.urgent.print(
            "\n[bold]What you wrote sounds really heavy. You matter, and you don't have to carry "
            "this alone.[/bold] Please talk to someone tonight:"
        )
    else:
        rt.urgent.print(
            "\n[bold]Your safety comes first.[/bold] What you wrote sounds like it could be abuse "
            "or control. It isn't your fault, and keeping your distance protects you. Help:"
        )
    for line in lines:
        rt.urgent.print(f"  • {escape(line.name)}: [bold]{escape(line.contact)}[/bold]")


# --------------------------------------------------------------------------- profile


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
        existing = known is not None and _has_profile(session, known)
    if not existing and not no_input and (name is None or ex_name is None):
        given = _ask_profile(given)
    with rt.action() as session:
        user = get_or_create_user(session, rt.settings.user, now)
        existing = _has_profile(session, user)
        profile = save_profile(session, user, given, now)
        verb = "Updated" if existing else "Welcome"
        rt.console.print(
            f"{verb}, {escape(profile.name)}. Your no-contact target is "
            f"{profile.no_contact_target_days} days. Next: `secondchance start` when you're ready."
        )


def _has_profile(session: Session, user: User) -> bool:
    try:
        profile_of(session, user)
    except NoProfile:
        return False
    return True


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
            _json(rt.console, row)
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


# --------------------------------------------------------------------------- step 1


@app.command()
def start(
    ctx: typer.Context,
    target: Annotated[int | None, typer.Option(help="Days of no contact (at least 14).")] = None,
    on: Annotated[str | None, typer.Option(help="Started earlier? YYYY-MM-DD [HH:MM].")] = None,
) -> None:
    """Start your no-contact period."""
    rt = runtime(ctx)
    now = clock.now()
    with rt.action() as session:
        user = rt.user(session)
        start_no_contact(session, user, now, started_at=_when(session, user, on), target=target)
        p = profile_of(session, user)
        words = words_for(p.ex_name, p.ex_pronouns)
        rt.console.print(
            f"No contact has begun: {p.no_contact_target_days} days. This is time for you, and "
            "time for {obj} to notice you're gone. You can do this.".format(**words)
        )


@app.command()
def contact(
    ctx: typer.Context,
    sender: Annotated[str, typer.Option("--from", help="Who reached out: you or ex.")] = "you",
    channel: Annotated[
        str, typer.Option(help="text, call, social_media, in_person or other.")
    ] = "text",
    answered: Annotated[
        bool, typer.Option("--answered/--ignored", help="Did you answer their message?")
    ] = False,
    note: Annotated[str, typer.Option(help="What happened, for you.")] = "",
    at: Annotated[str | None, typer.Option(help="When, if not now: YYYY-MM-DD HH:MM.")] = None,
) -> None:
    """Log contact with your ex. Nothing is erased; a slip is data, not failure."""
    rt = runtime(ctx)
    directions = {"you": "you_to_ex", "me": "you_to_ex", "ex": "ex_to_you"}
    if sender.strip().lower() not in directions:
        raise InputError("from", f"should be you or ex, not {sender!r}")
    now = clock.now()
    with rt.action() as session:
        user = rt.user(session)
        row, slip = log_contact(
            session,
            user,
            now,
            direction=directions[sender.strip().lower()],
            channel=channel,
            answered=answered,
            note=note,
            at=_when(session, user, at),
        )
        _care_for(rt, session, user, note)
        rt.console.print("Logged.")
        show_reply(rt.console, replies.contact_reply(session, user, row, slip, now))


@app.command()
def urge(
    ctx: typer.Context,
    intensity: Annotated[int, typer.Argument(help="How strong, 1 to 10.")],
    trigger: Annotated[str, typer.Option(help="What set it off.")] = "",
    instead: Annotated[str, typer.Option(help="What you did instead.")] = "",
    acted: Annotated[bool, typer.Option("--acted", help="You did reach out.")] = False,
    letter: Annotated[
        str | None, typer.Option(help="Write what you wanted to say as an unsent letter.")
    ] = None,
    at: Annotated[str | None, typer.Option(help="When, if not now: YYYY-MM-DD HH:MM.")] = None,
) -> None:
    """Log an urge to contact your ex, and put the words in a letter instead."""
    rt = runtime(ctx)
    now = clock.now()
    with rt.action() as session:
        user = rt.user(session)
        row = log_urge(
            session,
            user,
            now,
            intensity=intensity,
            trigger=trigger,
            instead=instead,
            outcome="acted" if acted else "resisted",
            at=_when(session, user, at),
        )
        reply = replies.urge_reply(session, user, row, now)
        if letter:
            write_letter(session, user, now, body=letter, title="Instead of a text")
            rt.console.print("Your letter is kept. The words are out, and nothing was sent.")
        _care_for(rt, session, user, trigger, instead, letter or "")
    # Offered once the urge is saved, outside any transaction: a letter can take minutes to
    # write, and on SQLite an open transaction would keep the web app from saving anything.
    offer = letter is None and not acted and _interactive()
    if offer and typer.confirm("Write what you wanted to say as a letter you keep?"):
        written = typer.prompt("Your letter")
        with rt.action() as session:
            user = rt.user(session)
            write_letter(session, user, now, body=written, title="Instead of a text")
            rt.console.print("Your letter is kept. The words are out, and nothing was sent.")
            _care_for(rt, session, user, written)
    rt.console.print("Logged.")
    show_reply(rt.console, reply)


# --------------------------------------------------------------------------- step 2


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
        if not _interactive():
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
        _care_for(rt, session, user, note)


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


# --------------------------------------------------------------------------- step 4


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
            _json(
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
        if not _interactive():
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
            started_at=_when(session, user, at),
        )
        state = current_status(session, user, now)
        reply = replies.conversation_reply(session, user, row, now)
    rt.console.print("Logged.")
    show_reply(rt.console, reply)
    rt.console.print("How to pace it from here:")
    for advice in state.pacing:
        rt.console.print(f"  • {advice.text}")


# --------------------------------------------------------------------------- letters


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
        _care_for(rt, session, user, title, text)


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


# --------------------------------------------------------------------------- the plan


def _status(ctx: typer.Context, as_json: bool) -> None:
    rt = runtime(ctx)
    with rt.action() as session:
        user = rt.user(session)
        state = current_status(session, user, clock.now())
        p = profile_of(session, user)
        name, country = p.name, p.country
    if as_json:
        _json(rt.console, state.to_dict())
        return
    _show_safety(rt.console, state.safety, country)  # safety before strategy: first
    render_status(rt.console, state, escape(name))


def _show_safety(console: Console, state: SafetyState, country: str) -> None:
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


# --------------------------------------------------------------------------- safety

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
        _json(rt.console, state.to_dict())
        return
    if not state.active:
        rt.console.print(
            "Nothing is held for you right now. If things ever feel heavy, help is there: "
            "the Help page in the app, or your local crisis line."
        )
        return
    _show_safety(rt.console, state, country)
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
        if not _interactive():
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
    session: Session, user: User, kind: str, since: datetime, tz: str
) -> list[tuple[str, str]]:
    """Return (sort key, line) pairs for everything of ``kind`` since ``since``."""
    since_day = clock.local_date(since, tz)
    lines: list[tuple[str, str]] = []

    def local(moment: datetime) -> str:
        return f"{moment.astimezone(clock.zone(tz)):%Y-%m-%d %H:%M}"

    def rows(model, column, start):  # type: ignore[no-untyped-def]
        query = select(model).where(model.user_id == user.id, column >= start)
        return session.scalars(query)

    if kind in ("all", "contacts"):
        for c in rows(Contact, Contact.at, since):
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
        for u in rows(Urge, Urge.at, since):
            did = "rode it out" if u.outcome == "resisted" else "reached out"
            lines.append(
                (
                    local(u.at),
                    f"{local(u.at)}  #{u.id} Urge {u.intensity}/10, {did}  {escape(u.trigger)}",
                )
            )
    if kind in ("all", "checkins"):
        for c in rows(CheckIn, CheckIn.day, since_day):
            feel = ", ".join(c.emotions)
            lines.append(
                (f"{c.day} 23:59", f"{c.day}        #{c.id} Check-in: mood {c.mood}/10 {feel}")
            )
    if kind in ("all", "activities"):
        for a in rows(Activity, Activity.day, since_day):
            lines.append(
                (
                    f"{a.day} 23:58",
                    f"{a.day}        #{a.id} {a.kind.replace('_', ' ')}  {escape(a.note)}",
                )
            )
    if kind in ("all", "conversations"):
        for t in rows(Conversation, Conversation.started_at, since):
            lines.append(
                (
                    local(t.started_at),
                    f"{local(t.started_at)}  #{t.id} Conversation started by {t.started_by}, "
                    f"{t.messages} messages",
                )
            )
    if kind in ("all", "memories"):
        for m in rows(Memory, Memory.created_at, since):
            when = local(m.created_at)
            lines.append((when, f"{when}  #{m.id} Memory: {escape(m.title)}"))
    if kind in ("all", "letters"):
        for letter in rows(Letter, Letter.created_at, since):
            when = local(letter.created_at)
            # A sealed letter's title waits with its words.
            shown = (
                f"sealed until {letter.sealed_until}"
                if is_sealed(letter, clock.local_date(clock.now(), tz))
                else escape(letter.title or "untitled")
            )
            lines.append((when, f"{when}  #{letter.id} Letter: {shown}"))
    return lines


# --------------------------------------------------------------------------- data


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


def _export_users(session: Session, rt: Runtime) -> list[User] | None:
    """Everyone when the database holds only this person; otherwise just this person."""
    everyone = list(session.scalars(select(User).order_by(User.id)))
    if len(everyone) <= 1:
        return everyone
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
    ctx: typer.Context,
    yes: Annotated[bool, typer.Option("--yes", help="Don't ask.")] = False,
) -> None:
    """Delete your profile and every entry, for good."""
    rt = runtime(ctx)
    if not yes and not typer.confirm(
        "This deletes your profile and everything you've logged, for good. Continue?",
        default=False,
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
        if _has_profile(session, user):
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
    engine = make_engine(rt.settings.database_url)
    try:
        changed = upgrade(engine)
    finally:
        engine.dispose()
    rt.console.print("Upgraded." if changed else f"Already up to date ({head_revision()}).")


@db_app.command("current")
def db_current(ctx: typer.Context) -> None:
    """Show the database's schema revision."""
    rt = runtime(ctx)
    engine = make_engine(rt.settings.database_url)
    try:
        rt.console.print(current_revision(engine) or "empty")
    finally:
        engine.dispose()


app.command("review")(cli_analysis.review_command)
app.command("story")(cli_analysis.story_command)
app.command("eval")(cli_analysis.eval_command)
# The command groups in their own modules register themselves on `app` when imported.
from secondchance import cli_entries, cli_lessons, cli_reminders  # noqa: E402, F401


def main() -> None:
    app()
