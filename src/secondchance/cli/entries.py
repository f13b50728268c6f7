"""`edit` and `delete`: fix an entry logged by mistake, of any kind.

    secondchance edit urge 12 --intensity 4 --trigger "his song"
    secondchance delete contact 7 --yes

Ids are the ones `history`, `memory list` and `letters` show (#12). An edit is checked like a
new entry; streaks and gates are counted again from what is left.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from secondchance import clock
from secondchance.cli.app import app, runtime
from secondchance.cli.safety import care_for
from secondchance.services.entries import FIELDS, MODELS, delete_entry, edit_entry
from secondchance.services.errors import InputError
from secondchance.services.people import profile_of
from secondchance.services.validate import local_moment

KINDS = ", ".join(MODELS)
# Fields typed as words that mean something else: numbers, yes/no, lists, moments.
NUMBERS = {"intensity", "mood", "social_checks", "messages"}
YES_NO = {"answered", "cried", "slept_well", "ex_replied", "relationship_talk"}
LISTS = {"emotions", "tags"}
MOMENTS = {"at", "started_at"}
# The words a person wrote, read again for crisis or abuse once the edit is saved.
TEXTS = ("note", "trigger", "instead", "title", "body")
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}


def _pairs(kind: str, args: list[str]) -> dict[str, str]:
    """Turn ``--field value`` pairs into {field: value}; InputError for anything else."""
    allowed = FIELDS[kind]
    typed: dict[str, str] = {}
    rest = list(args)
    while rest:
        option = rest.pop(0)
        name, has_value, value = option.removeprefix("--").partition("=")
        name = name.replace("-", "_")
        if not option.startswith("--") or name not in allowed:
            options = ", ".join(f"--{f.replace('_', '-')}" for f in allowed)
            raise InputError(option, f"isn't something a {kind} has; you can change {options}")
        if has_value:
            pass
        elif not rest:
            raise InputError(option, "needs a value after it")
        else:
            value = rest.pop(0)
        typed[name] = value
    if not typed:
        options = ", ".join(f"--{f.replace('_', '-')}" for f in allowed)
        raise InputError("edit", f"say what to change: {options}")
    return typed


def _value(name: str, raw: str, tz: str) -> Any:
    """Read one typed value the way the matching command would."""
    if name in NUMBERS:
        try:
            return int(raw)
        except ValueError:
            raise InputError(name, f"should be a whole number, not {raw!r}") from None
    if name in YES_NO:
        word = raw.strip().lower()
        if word in YES or word in NO:
            return word in YES
        if word in ("unknown", ""):
            return None  # check-ins may leave it unanswered; elsewhere the service says no
        raise InputError(name, "should be yes or no")
    if name in LISTS:
        return [w for w in raw.split(",") if w.strip()]
    if name in MOMENTS:
        return local_moment(name, raw, tz)
    if name in ("sealed_until", "ended_by") and raw.strip().lower() in ("", "none"):
        return None
    return raw


@app.command("edit", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def edit_command(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(help=f"What to change: {KINDS}.")],
    entry_id: Annotated[int, typer.Argument(help="Its id, as `history` shows it (#12).")],
) -> None:
    """Change an entry: --field value for each thing to change (e.g. --intensity 4)."""
    rt = runtime(ctx)
    if kind not in FIELDS:
        raise InputError("kind", f"should be one of {KINDS}")
    typed = _pairs(kind, ctx.args)
    with rt.action() as session:
        user = rt.user(session)
        tz = profile_of(session, user).timezone
        fields = {name: _value(name, raw, tz) for name, raw in typed.items()}
        row = edit_entry(session, user, kind, entry_id, clock.now(), **fields)
        rt.console.print(f"Changed {kind} #{entry_id}. Your streaks and steps follow from it.")
        care_for(rt, session, user, *(getattr(row, t, "") for t in TEXTS))


@app.command("delete")
def delete_command(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(help=f"What to delete: {KINDS}.")],
    entry_id: Annotated[int, typer.Argument(help="Its id, as `history` shows it (#12).")],
    yes: Annotated[bool, typer.Option("--yes", help="Don't ask.")] = False,
) -> None:
    """Delete one entry logged by mistake; streaks are counted again without it."""
    rt = runtime(ctx)
    if kind not in MODELS:
        raise InputError("kind", f"should be one of {KINDS}")
    if not yes and not typer.confirm(f"Delete {kind} #{entry_id}?", default=False):
        rt.console.print("Nothing was deleted.")
        raise typer.Exit(1)
    with rt.action() as session:
        delete_entry(session, rt.user(session), kind, entry_id)
    rt.console.print(f"Deleted {kind} #{entry_id}. Your streaks are counted again without it.")
