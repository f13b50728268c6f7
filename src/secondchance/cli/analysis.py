"""`review`, `story` and `eval`: the analysis from the command line.

Text comes from an argument, a file (``--file``) or standard input (``-``). Without ``--json``
the result is explained in words, with the exact spans of text highlighted.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table as RichTable
from rich.text import Text

from secondchance import clock
from secondchance.cli.app import app, runtime
from secondchance.evaluation import TASKS
from secondchance.services.errors import InputError

VERDICTS = {
    "send": ("green", "Good to send."),
    "revise": ("yellow", "Almost: a little revising first."),
    "dont_send": ("red", "Don't send this one."),
}
# Highlight colours by what a span is: problems stand out, strengths reassure.
STYLES = {"problem": "bold red underline", "strength": "green", "evidence": "bold cyan"}
DEFAULT_EVAL_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
PUBLIC_DATA_MISSING = (
    "The public data sets are not in {folder}, so only the sets kept in this repository\n"
    "(tests/data: labelled sentences, stories and texts) are measured; the tables that need\n"
    "the public corpora say 'skipped'. To measure those too, pass --data DIR (or set\n"
    "SECONDCHANCE_EVAL_DATA) to a folder holding the public files: sdcnl-train.csv,\n"
    "sdcnl-test.csv, cssrs-reddit-500.csv, dreaddit-train.csv, dreaddit-test.csv,\n"
    "goemotions-train.tsv, tweeteval-sentiment-test-text.txt, reddit-breakups.csv\n"
    "(the SDCNL, C-SSRS Reddit, Dreaddit, GoEmotions and TweetEval research sets and\n"
    "r/BreakUps posts, downloadable from their authors' pages).\n\n"
)


def read_text(text: str | None, file: Path | None) -> str:
    """The text to analyse: ``-`` reads stdin, ``--file`` a UTF-8 file, else the argument."""
    if file is not None:
        try:
            return file.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise InputError("file", f"{file} doesn't exist") from None
        except UnicodeDecodeError:
            raise InputError("file", f"{file} isn't UTF-8 text") from None
    if text is None:
        raise InputError("text", "give the text as an argument, with --file, or - for stdin")
    return sys.stdin.read() if text == "-" else text


def highlighted(text: str, spans: list[tuple[int, int, str]]) -> Text:
    """``text`` with each (start, end, kind) span styled; overlapping spans both show."""
    rich = Text(text)
    for start, end, kind in spans:
        if 0 <= start < end <= len(text):
            rich.stylize(STYLES.get(kind, "bold"), start, end)
    return rich


def _console() -> Console:
    return Console(highlight=False, soft_wrap=True)


def review_command(
    ctx: typer.Context,
    text: Annotated[str | None, typer.Argument(help="The message, or - to read stdin.")] = None,
    file: Annotated[Path | None, typer.Option(help="Read the message from a file.")] = None,
    stage: Annotated[str, typer.Option(help="first (after no contact) or ongoing.")] = "first",
    pronoun: Annotated[str, typer.Option(help="Your ex's pronoun: he, she or they.")] = "he",
    memory: Annotated[
        list[str] | None, typer.Option(help="A memory to draw on (repeatable): 'title: text'.")
    ] = None,
    at: Annotated[
        str | None,
        typer.Option(help="When you'd send it, 'YYYY-MM-DD HH:MM' (default: now, local time)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Review a text you plan to send your ex, the way the program would."""
    from secondchance.analysis import review

    body = read_text(text, file)
    if not body.strip():
        raise InputError("text", "is empty: write the text you're thinking of sending")
    if stage not in ("first", "ongoing"):
        raise InputError("stage", "should be first or ongoing")
    if pronoun not in ("he", "she", "they"):
        raise InputError("pronoun", "should be he, she or they")
    memories = [_memory(item) for item in memory or []] + _saved_memories(ctx)
    result = review(
        body, stage=stage, memories=memories, ex_pronoun=pronoun, now=_sending_moment(at)
    )
    if as_json:
        _print_json(result.to_dict())
        return
    console = _console()
    colour, words = VERDICTS[result.verdict]
    console.print(f"[bold {colour}]{words}[/bold {colour}]  (score {result.score}/100)")
    spans = [(f.start, f.end, f.kind) for f in result.findings if f.end > f.start]
    console.print(highlighted(body, spans))
    for finding in result.findings:
        mark = "✗" if finding.kind == "problem" else "✓"
        quote = (
            f" “{escape(body[finding.start : finding.end])}”" if finding.end > finding.start else ""
        )
        console.print(f"  {mark} [bold]{finding.rule}[/bold]{quote}: {escape(finding.message)}")
    if result.suggestions:
        console.print("\nTry something like:")
        for suggestion in result.suggestions:
            console.print(f"  • {escape(suggestion)}")


def _sending_moment(at: str | None) -> datetime:
    """Return when the text would go out, in this machine's own time zone.

    The review reads the hour (late at night it suggests waiting until morning), so a moment
    without a zone is taken as local time here.
    """
    here = clock.now().astimezone()
    if at is None:
        return here
    raw = at.strip()
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise InputError(
            "at", f"should be a date and time like 2026-03-14 21:30, not {raw!r}"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=here.tzinfo)


# What the story reader found, in the words the web page uses (never its internal names).
SAID = {
    "days_since_breakup": "since the breakup",
    "relationship_days": "together for",
    "who_ended": "who ended it",
    "contact": "in touch now",
    "ex_new_partner": "a new partner",
    "goal": "what you want",
    "self_harm": "not wanting to be here",
    "abuse": "abuse or control",
    "infidelity": "cheating",
    "hot_and_cold": "hot and cold",
    "ex_substance": "their drinking or drug use",
    "user_substance": "your drinking or using",
    "user_mental_health": "your own health",
    "shared_workplace": "you work together",
    "children": "children together",
    "lived_together": "you lived together",
    "engaged_or_married": "engaged or married",
}
VALUES = {
    "who_ended": {"ex": "they did", "me": "you did", "mutual": "both of you"},
    "contact": {
        "none": "no contact",
        "some": "some contact",
        "intimate": "still close",
        "unavoidable": "some contact you can't avoid",
    },
    "goal": {"reconcile": "to try again", "move_on": "to move on"},
}


def _said(name: str) -> str:
    return SAID.get(name, name.replace("_", " "))


def _fact_value(key: str, value: Any) -> str:
    """Return a fact as a person would say it: "61 days", "they did", "not said"."""
    if value is None or value == "unclear":
        return "not said"
    if key.endswith("_days") or key == "days_since_breakup":
        return f"{value} day{'' if value == 1 else 's'}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return VALUES.get(key, {}).get(str(value), str(value).replace("_", " "))


def _saved_memories(ctx: typer.Context) -> list[dict[str, Any]]:
    """Return the memories saved with ``memory add``, as the review reads them (as the web
    composer does); [] when this person has no account here yet."""
    from secondchance.services.memories import list_memories
    from secondchance.services.people import find_user

    rt = runtime(ctx)
    if not rt.database_exists():
        return []  # reviewing a text never creates a database
    with rt.action() as session:
        user = find_user(session, rt.settings.user)
        saved = list_memories(session, user) if user is not None else []
        return [
            {
                "title": m.title,
                "text": m.body,
                "tags": [*m.tags, "inside joke"] if m.kind == "inside_joke" else list(m.tags),
            }
            for m in saved
        ]


def _memory(item: str) -> dict[str, Any]:
    title, _, body = item.partition(":")
    return {"title": title.strip(), "text": body.strip(), "tags": []}


def story_command(
    text: Annotated[str | None, typer.Argument(help="Your story, or - to read stdin.")] = None,
    file: Annotated[Path | None, typer.Option(help="Read the story from a file.")] = None,
    country: Annotated[str | None, typer.Option(help="Two-letter code, for help lines.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Read the story of your breakup the way a coach would, and suggest where to start."""
    from secondchance.analysis import read_story

    body = read_text(text, file)
    # "Since February" needs today's date to become days; the story is read where it is told.
    today = clock.now().astimezone().date()
    reading = read_story(body, country=country.upper() if country else None, today=today)
    data = reading.to_dict()
    if as_json:
        _print_json(data)
        return
    console = _console()
    safety = data["safety"]
    if safety["crisis"] or safety["abuse"]:
        _print_help_first(console, safety)
    if not data["is_story"]:
        console.print(
            "Tell me a bit more: what happened, how long you were together, and where "
            "things stand now."
        )
        return
    console.print("[bold]What I read[/bold]")
    for key, value in data["facts"].items():
        console.print(f"  {_said(key)}: {_fact_value(key, value)}")
    if data["flags"]:
        console.print("  also: " + ", ".join(_said(f) for f in data["flags"]))
    evidence = [e for e in data["evidence"] if e["about"] != "is_story"]
    spans = [(e["start"], e["end"], "evidence") for e in evidence]
    console.print("\n[bold]In your words[/bold]")
    for item in evidence:
        console.print(f"  {_said(item['about'])}: “{escape(item['quote'])}”")
    if len(body) <= 4000:  # whole stories only when short enough to read in a terminal
        console.print(highlighted(body, spans))
    plan = data["plan"]
    console.print("\n[bold]Where to start[/bold]")
    if plan["start_step"]:
        days = f", {plan['no_contact_days']} days of no contact" if plan["no_contact_days"] else ""
        console.print(f"  Step {plan['start_step']}{days}.")
    if plan.get("reason"):
        console.print(f"  {escape(plan['reason'])}")
    for advice in plan["advice"]:
        console.print(f"  • {escape(advice['text'])}")


def _print_help_first(console: Console, safety: dict[str, Any]) -> None:
    if safety["crisis"]:
        console.print(
            "[bold]You matter, and you don't have to carry this alone.[/bold] "
            "Please talk to someone tonight:"
        )
    else:
        console.print(
            "[bold]Your safety comes first.[/bold] What you describe sounds like it "
            "could be abuse. It isn't your fault. People who can help:"
        )
    for line in safety["resources"]:
        console.print(f"  • {escape(line['name'])}: [bold]{escape(line['contact'])}[/bold]")
    console.print()


def eval_command(
    data: Annotated[
        Path | None,
        typer.Option(help="Folder of the public data sets (see the README: not in the repo)."),
    ] = None,
    task: Annotated[list[str] | None, typer.Option(help=f"Only these: {', '.join(TASKS)}.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Measure the analysis on real public text and print a table per task."""
    folder = data or Path(os.environ.get("SECONDCHANCE_EVAL_DATA", DEFAULT_EVAL_DATA))
    chosen = task or list(TASKS)
    unknown = [t for t in chosen if t not in TASKS]
    if unknown:
        raise InputError("task", f"unknown {', '.join(unknown)}; choose from {', '.join(TASKS)}")
    missing = not folder.is_dir() or not any(folder.iterdir())
    if missing and not as_json:
        # Said first: the sets kept in this repository (tests/data) are still measured; the
        # public corpora are not shipped. (In JSON each skipped table says so in its notes.)
        sys.stderr.write(PUBLIC_DATA_MISSING.format(folder=folder))
    tables = []
    for name in chosen:
        module = importlib.import_module(f"secondchance.evaluation.{name}")
        tables.extend(module.evaluate(folder))
    if as_json:
        _print_json([t.to_dict() for t in tables])
        return
    console = _console()
    for table in tables:
        shown = RichTable(title=table.title, title_justify="left")
        for column in table.columns:
            shown.add_column(str(column))
        for row in table.rows:
            shown.add_row(*(_cell(c) for c in row))
        console.print(shown, soft_wrap=False)
        for note in table.notes:
            console.print(f"  [dim]{escape(str(note))}[/dim]")
        console.print()


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    return "–" if value is None else escape(str(value))


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


# On the main app, in the order `--help` lists them.
app.command("review")(review_command)
app.command("story")(story_command)
app.command("eval")(eval_command)
