"""The remembered safety state, and the person's own "I'm safe now".

What someone wrote that showed crisis, concern or abuse stays in view on Today until they say
they're safe now. This page says what that does before they do it; nothing they wrote is
deleted, and a later text that shows it again brings it back.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from secondchance.clock import local_date
from secondchance.program.safety import KINDS, SafetyState
from secondchance.services import safety_state
from secondchance.services.errors import InputError
from secondchance.web.deps import DB, ApiUser, CurrentProfile, CurrentUser, Now, csrf_protect
from secondchance.web.forms import form_error
from secondchance.web.routes._daily import day_words
from secondchance.web.templating import page, redirect

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
api = APIRouter(tags=["safety"])

PAGE = "pages/safety.html"

# What each kind is called where a person chooses what to set aside.
KIND_LABELS = {
    "crisis": "The reminder that things felt too heavy to carry",
    "concern": "The gentle reminder that things felt heavy",
    "abuse": "Protection after signs of abuse or control",
}
# Where a signal's words were written, in plain words.
SOURCE_WORDS = {
    "story": "your story",
    "checkin": "a check-in note",
    "urge": "an urge you logged",
    "letter": "a letter",
    "memory": "a memory",
    "contact": "a note about contact",
    "conversation": "a note about a conversation",
    "activity": "a note on something you did",
    "draft": "a draft you reviewed",
    "safety_plan": "your safety plan",
}
NOTE_MAX = safety_state.NOTE_MAX


def since_words(state: SafetyState, tz: str) -> str:
    """Return the local day the state has been on since ("Wednesday 18 November"), or ""."""
    if state.since is None:
        return ""
    return day_words(local_date(state.since, tz))


def _context(state: SafetyState, tz: str, **extra: Any) -> dict[str, Any]:
    return {
        "title": "I'm safe now",
        "safety": state,
        "since": since_words(state, tz),
        "kind_labels": KIND_LABELS,
        "source_words": SOURCE_WORDS,
        "errors": {},
        "values": {"kinds": list(state.active), "note": ""},
        **extra,
    }


@router.get("/safety")
def safety_page(
    request: Request, session: DB, user: CurrentUser, profile: CurrentProfile, moment: Now
) -> Response:
    state = safety_state.current(session, user, moment)
    return page(request, PAGE, _context(state, profile.timezone))


@router.post("/safety/clear")
def clear_form(
    request: Request,
    session: DB,
    user: CurrentUser,
    profile: CurrentProfile,
    moment: Now,
    kinds: Annotated[list[str] | None, Form()] = None,
    note: Annotated[str, Form(max_length=NOTE_MAX * 2)] = "",
) -> Response:
    """Set aside the kinds ticked, then back to Today. Nothing ticked while something is on
    asks again (unticking everything must never clear everything)."""
    chosen = [kind for kind in kinds or [] if kind.strip()]
    try:
        if not chosen:
            if not safety_state.current(session, user, moment).active:
                return redirect("/")
            raise InputError("kinds", "Tick what you'd like to set aside, or choose Not now.")
        cleared = safety_state.clear(session, user, moment, chosen, note)
    except InputError as error:
        state = safety_state.current(session, user, moment)
        values = {"kinds": kinds or [], "note": note}
        return form_error(request, PAGE, error, values, _context(state, profile.timezone))
    return redirect("/", "safety_cleared" if cleared else None)


# --------------------------------------------------------------------------------------------
# JSON API
# --------------------------------------------------------------------------------------------


class SignalEvidenceOut(BaseModel):
    kind: str = Field(description="crisis, concern or abuse")
    source: str = Field(description="What it was written in: story, checkin, letter, draft...")
    source_id: int | None
    at: str = Field(description="When it was written (ISO 8601)")
    rule: str
    quote: str
    start: int
    end: int


class SafetyStateOut(BaseModel):
    """What your words have shown and you haven't set aside. While ``crisis``, show help
    first; while ``abuse``, no contact is protection and nothing invites contact."""

    crisis: bool
    concern: bool
    abuse: bool
    since: str | None = Field(description="When the earliest words still counting were written")
    evidence: list[SignalEvidenceOut]


class ClearIn(BaseModel):
    kinds: list[str] | None = Field(
        None, max_length=len(KINDS), description="Which to set aside; default every one that's on"
    )
    note: str = Field("", max_length=NOTE_MAX, description="A word for yourself, if you like")


class ClearOut(BaseModel):
    cleared: list[str] = Field(description="What was set aside (empty when nothing was on)")
    at: str | None = Field(description="When (ISO 8601); null when nothing was on")
    state: SafetyStateOut


@api.get("/safety", response_model=SafetyStateOut, summary="Your remembered safety state")
def safety_api(session: DB, user: ApiUser, moment: Now) -> SafetyStateOut:
    return SafetyStateOut(**safety_state.current(session, user, moment).to_dict())


@api.post(
    "/safety/clear",
    response_model=ClearOut,
    summary="I'm safe now: set aside what your words showed until now (logged)",
)
def clear_api(body: ClearIn, session: DB, user: ApiUser, moment: Now) -> ClearOut:
    row = safety_state.clear(session, user, moment, body.kinds, body.note)
    state = safety_state.current(session, user, moment)
    return ClearOut(
        cleared=list(row.kinds) if row else [],
        at=row.created_at.isoformat() if row else None,
        state=SafetyStateOut(**state.to_dict()),
    )
