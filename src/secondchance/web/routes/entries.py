"""Fix a mistake on the web: edit or delete any entry from where it is listed, and Undo just
after logging.

One page edits every kind: each kind is a list of fields (data below), prefilled from the
entry, and an error comes back beside its field with everything typed kept. Deleting asks
once; Undo (offered for a few minutes after logging) doesn't, because it was just made.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import Response

from secondchance.clock import local_date, zone
from secondchance.program.steps import (
    ACTIVITY_LABELS,
    CONTACT_CHANNELS,
    EMOTIONS,
    URGE_OUTCOMES,
    words_for,
)
from secondchance.services.entries import can_undo, delete_entry, edit_entry, get_entry
from secondchance.services.errors import InputError
from secondchance.services.letters import is_sealed
from secondchance.services.validate import local_moment
from secondchance.web.deps import DB, CurrentProfile, CurrentUser, Now, csrf_protect
from secondchance.web.routes.focus import activity_label
from secondchance.web.templating import UNDO_BACK, page, redirect

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)

EDIT_PAGE = "pages/entry_edit.html"
DELETE_PAGE = "pages/entry_delete.html"
KIND_PATTERN = "^(contact|urge|checkin|activity|conversation|memory|letter)$"
Kind = Annotated[str, Path(pattern=KIND_PATTERN)]


@dataclass(frozen=True)
class Field:
    """One field of the edit form: ``type`` is text, textarea, number, choice, yesno, list,
    date or moment (a local date and time)."""

    name: str
    label: str
    type: str = "text"
    choices: tuple[tuple[str, str], ...] = ()
    hint: str = ""
    low: int | None = None
    high: int | None = None
    limit: str = ""  # free text: its key in validate.LIMITS, the service's own limit
    can_skip: bool = False  # a yes/no question that may stay unanswered


def _pairs(keys: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((key, key.replace("_", " ").capitalize()) for key in keys)


SIDES = (("you", "You"), ("ex", "Them"))


def _note(limit: str) -> Field:
    return Field("note", "A note for yourself", "textarea", limit=limit)


FORMS: dict[str, tuple[Field, ...]] = {
    "contact": (
        Field(
            "direction",
            "Who reached out?",
            "choice",
            (("you_to_ex", "I did"), ("ex_to_you", "They did")),
        ),
        Field("channel", "How?", "choice", _pairs(CONTACT_CHANNELS)),
        Field("answered", "If they reached out: did you answer?", "yesno"),
        Field("at", "When?", "moment"),
        _note("contact_note"),
    ),
    "urge": (
        Field("intensity", "How strong (1 to 10)?", "number", low=1, high=10),
        Field(
            "outcome",
            "What happened?",
            "choice",
            tuple(zip(URGE_OUTCOMES, ("I rode it out", "I reached out"), strict=True)),
        ),
        Field("trigger", "What set it off?", "textarea", limit="urge_trigger"),
        Field("instead", "What you did instead", "textarea", limit="urge_instead"),
        Field("at", "When?", "moment"),
    ),
    "checkin": (
        Field("mood", "Mood (1 to 10)", "number", low=1, high=10),
        Field("emotions", "Feelings", "list", hint="Words from: " + ", ".join(EMOTIONS)),
        Field("cried", "Did you cry?", "yesno", can_skip=True),
        Field("social_checks", "Times you checked their profile", "number", low=0),
        Field("slept_well", "Did you sleep well?", "yesno", can_skip=True),
        _note("checkin_note"),
    ),
    "activity": (
        Field(
            "kind",
            "What did you do?",
            "choice",
            tuple((k, activity_label(k)) for k in ACTIVITY_LABELS),
        ),
        Field("day", "Which day?", "date"),
        _note("activity_note"),
    ),
    "conversation": (
        Field("started_by", "Who started it?", "choice", SIDES),
        Field("messages", "About how many messages?", "number", low=1),
        Field("ex_replied", "Did they reply?", "yesno"),
        Field("ended_by", "Who ended it?", "choice", SIDES),
        Field("relationship_talk", "Did the relationship come up?", "yesno"),
        Field("started_at", "When did it start?", "moment"),
        _note("conversation_note"),
    ),
    "memory": (
        Field("title", "A short name for it", limit="memory_title"),
        Field("body", "What happened", "textarea", limit="memory_body"),
        Field(
            "tags", "Words it brings up", "list", hint="Separated by commas", limit="memory_tags"
        ),
        Field(
            "kind", "Kind", "choice", (("memory", "A memory"), ("inside_joke", "An inside joke"))
        ),
    ),
    "letter": (
        Field("title", "Title", limit="letter_title"),
        Field("body", "The letter", "textarea", limit="letter_body"),
        Field("sealed_until", "Keep it sealed until (optional)", "date"),
    ),
}

# Where each kind is listed: after an edit, a delete or an Undo, the person goes back there.
HOMES = {
    "contact": "/contact",
    "urge": "/sos",
    "checkin": "/checkin",
    "activity": "/focus",
    "conversation": "/step4/talk",
    "memory": "/memories",
    "letter": "/letters",
}
NAMES = {
    "contact": "contact",
    "urge": "urge",
    "checkin": "check-in",
    "activity": "activity",
    "conversation": "conversation",
    "memory": "memory",
    "letter": "letter",
}


def _fields(kind: str, row: Any, today: date) -> tuple[Field, ...]:
    # A sealed letter keeps its words closed, even from its edit page: only its day can move.
    if kind == "letter" and is_sealed(row, today):
        return tuple(f for f in FORMS[kind] if f.name == "sealed_until")
    return FORMS[kind]


def _shown(value: Any, field: Field, tz: str) -> str:
    """The entry's value as the form shows it."""
    if value is None:
        return ""
    if field.type == "yesno":
        return "yes" if value else "no"
    if field.type == "list":
        return ", ".join(value)
    if field.type == "moment":
        return f"{value.astimezone(zone(tz)):%Y-%m-%dT%H:%M}"
    return str(value)


def _read(field: Field, raw: str, tz: str) -> Any:
    """What the person typed, as the service takes it; InputError in their words."""
    raw = raw.strip() if field.type != "textarea" else raw
    if field.type == "number":
        try:
            return int(raw)
        except ValueError:
            raise InputError(field.name, "Please enter a whole number.") from None
    if field.type == "yesno":
        return {"yes": True, "no": False}.get(raw)
    if field.type == "list":
        return [word for word in raw.split(",") if word.strip()]
    if field.type == "moment":
        return local_moment(field.name, raw, tz)
    if field.type in ("date", "choice") and raw == "":
        return None
    return raw


def _context(
    kind: str, row: Any, profile: Any, moment: datetime, values: dict[str, str]
) -> dict[str, Any]:
    words = words_for(profile.ex_name, profile.ex_pronouns)
    return {
        "title": f"Change this {NAMES[kind]}",
        "kind": kind,
        "name": NAMES[kind],
        "entry": row,
        "fields": _fields(kind, row, local_date(moment, profile.timezone)),
        "values": values,
        "errors": {},
        "home": HOMES[kind],
        "words": words,
    }


@router.get("/entries/{kind}/{entry_id}/edit")
def edit_page(
    request: Request,
    kind: Kind,
    entry_id: int,
    session: DB,
    user: CurrentUser,
    profile: CurrentProfile,
    moment: Now,
) -> Response:
    row = get_entry(session, user, kind, entry_id)
    today = local_date(moment, profile.timezone)
    values = {
        f.name: _shown(getattr(row, f.name), f, profile.timezone) for f in _fields(kind, row, today)
    }
    return page(request, EDIT_PAGE, _context(kind, row, profile, moment, values))


@router.post("/entries/{kind}/{entry_id}/edit")
async def edit_form(
    request: Request,
    kind: Kind,
    entry_id: int,
    session: DB,
    user: CurrentUser,
    profile: CurrentProfile,
    moment: Now,
) -> Response:
    row = get_entry(session, user, kind, entry_id)
    form = await request.form()
    fields = _fields(kind, row, local_date(moment, profile.timezone))
    typed = {f.name: str(form.get(f.name, ""))[:20_000] for f in fields}
    try:
        changes = {f.name: _read(f, typed[f.name], profile.timezone) for f in fields}
        edit_entry(session, user, kind, entry_id, moment, **changes)
    except InputError as error:
        # The services check every field before changing any, so nothing half-changed stays.
        ctx = _context(kind, row, profile, moment, typed)
        message = error.message[:1].upper() + error.message[1:]
        return page(request, EDIT_PAGE, {**ctx, "errors": {error.field: message}}, 400)
    return redirect(HOMES[kind], "entry_changed")


@router.get("/entries/{kind}/{entry_id}/delete")
def delete_page(
    request: Request,
    kind: Kind,
    entry_id: int,
    session: DB,
    user: CurrentUser,
    profile: CurrentProfile,
    moment: Now,
) -> Response:
    """Ask once before deleting: a wrong tap on Delete must not be another mistake."""
    row = get_entry(session, user, kind, entry_id)
    ctx = _context(kind, row, profile, moment, {})
    return page(request, DELETE_PAGE, {**ctx, "title": f"Delete this {NAMES[kind]}?"})


@router.post("/entries/{kind}/{entry_id}/delete")
def delete_form(kind: Kind, entry_id: int, session: DB, user: CurrentUser) -> Response:
    delete_entry(session, user, kind, entry_id)
    return redirect(HOMES[kind], "entry_deleted")


@router.post("/entries/{kind}/{entry_id}/undo")
def undo_form(
    kind: Kind,
    entry_id: int,
    session: DB,
    user: CurrentUser,
    moment: Now,
    back: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """Undo what was just logged. After the Undo window the entry stays; its list has Delete.

    ``back``: where the Undo was offered, if that isn't the entry's list (only UNDO_BACK).
    """
    row = get_entry(session, user, kind, entry_id)
    if not can_undo(kind, row, moment):
        return redirect(HOMES[kind], "undo_too_late")
    delete_entry(session, user, kind, entry_id)
    return redirect(back if back in UNDO_BACK else HOMES[kind], "undone")
