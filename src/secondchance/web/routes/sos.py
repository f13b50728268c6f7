"""Urge SOS: "I want to text him". Ride the urge out, read your reasons, put the words in a
letter instead, and log how it ended. Urges are also logged through the API (``/urges``).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from secondchance.clock import local_date
from secondchance.clock import zone as tz_of
from secondchance.program.steps import URGE_OUTCOMES, words_for
from secondchance.services import validate as v
from secondchance.services.contact import log_urge, recent_urges
from secondchance.services.entries import can_undo
from secondchance.services.errors import InputError
from secondchance.services.letters import write_letter
from secondchance.services.replies import urge_reply
from secondchance.services.rows import Person, Profile, Urge
from secondchance.services.safety_plan import get_plan, items
from secondchance.services.status import current_status
from secondchance.web.deps import (
    DB,
    ApiUser,
    CurrentProfile,
    CurrentUser,
    Now,
    OptionalProfile,
    csrf_protect,
)
from secondchance.web.routes._daily import (
    API_LIMIT_DEFAULT,
    API_LIMIT_MAX,
    SafetyOut,
    day_words,
    flagged,
    form_again,
    safety_of,
    safety_out,
)
from secondchance.web.routes._reply import ReplyOut, reply_out
from secondchance.web.routes.letters import BODY_MAX
from secondchance.web.routes.nocontact import CHANNEL_LABELS, talking_again
from secondchance.web.templating import is_htmx, offer, page, redirect

# Pages, not API: kept out of the OpenAPI schema, which documents /api/v1 only.
router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
api = APIRouter(tags=["urges"])

PAGE = "pages/sos.html"
LETTER = "partials/_sos_letter.html"
URGE = "partials/_sos_urge.html"
# Ten minutes: long enough for most urges to crest and fall, short enough to start right now.
RIDE_SECONDS = 600
# Each field's own limit, shared with the service and the form (services/validate.py LIMITS).
TRIGGER_MAX = v.LIMITS["urge_trigger"]
INSTEAD_MAX = v.LIMITS["urge_instead"]
RECENT_URGES = 5
# The title a letter gets when it is written here instead of a text.
LETTER_TITLE = "Instead of a text"


def context(
    session: Session, user: Person, profile: Profile | None, moment: datetime
) -> dict[str, Any]:
    """The SOS page's parts: the timer, the person's reasons, the streak, both forms' defaults.

    Before the profile questions are answered (``profile`` None), SOS still opens: the ex is
    "them", there is no streak yet, and ``setup`` is False (the letter and urge forms need the
    profile, so the page suggests paper instead).
    """
    plan = get_plan(session, user)
    stage, pacing, resumed = "no_contact", (), False
    if profile is None:
        words, streak, started, move_on, zone = words_for("", "they"), 0, False, False, "UTC"
    else:
        state = current_status(session, user, moment)
        words = words_for(profile.ex_name, profile.ex_pronouns)
        streak, started = state.streaks.current, state.phase != "not_started"
        # After a story that showed abuse, distance is for safety: never "let them miss you".
        move_on, zone = profile.goal == "move_on" or state.protection, profile.timezone
        stage, pacing = urge_stage(state.phase, state.protection, move_on), state.pacing
        resumed = talking_again(session, user)
    today = local_date(moment, zone)
    return {
        "title": "SOS",
        "setup": profile is not None,
        "words": words,
        "reasons": items(plan.reasons) if plan else [],
        # Once contact is back, a count of days without it would be untrue.
        "streak": 0 if resumed else streak,
        "started": started,
        "stage": stage,
        "pacing": pacing,
        "move_on": move_on,
        "ride_seconds": RIDE_SECONDS,
        "ride_minutes": RIDE_SECONDS // 60,
        "channels": CHANNEL_LABELS,
        "earliest_seal": (today + timedelta(days=1)).isoformat(),
        "letter_action": "/sos/letter",
        "compact": True,
        "values": {},
        "errors": {},
        "urge_values": {},
        "urge_errors": {},
        # The last few urges, each with Edit and Delete (a wrong number is easy to tap).
        "recent_urges": []
        if profile is None
        else [
            (u, f"{u.at.astimezone(tz_of(zone)):%a %d %b, %H:%M}")
            for u in recent_urges(session, user, RECENT_URGES)
        ],
    }


def urge_stage(phase: str, protection: bool, move_on: bool) -> str:
    """What an urge means where the person is: ``protection`` (distance is safety, never a
    text), ``move_on``, ``step4`` (talking is open, so the urge is to send something heavy,
    double-text or chase a reply) or ``no_contact`` (steps 1-3)."""
    if protection:
        return "protection"
    if move_on:
        return "move_on"
    if phase in ("ready", "reconnected"):
        return "step4"
    return "no_contact"


@router.get("/sos")
def sos_page(
    request: Request,
    session: DB,
    user: CurrentUser,
    profile: OptionalProfile,
    moment: Now,
    after: Annotated[str | None, Query(max_length=10)] = None,
) -> Response:
    ctx = context(session, user, profile, moment)
    # After "I reached out" without JavaScript, the page comes back offering to log the contact.
    return page(request, PAGE, {**ctx, "urge_state": "acted" if after == "acted" else None})


@router.post("/sos/letter")
def sos_letter(
    request: Request,
    session: DB,
    user: CurrentUser,
    profile: CurrentProfile,
    moment: Now,
    body: Annotated[str, Form(max_length=BODY_MAX * 2)] = "",
    sealed_until: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    ctx = context(session, user, profile, moment)
    typed = {"body": body, "sealed_until": sealed_until}
    try:
        row = write_letter(
            session, user, moment, body=body, title=LETTER_TITLE, sealed_until=sealed_until or None
        )
    except InputError as error:
        return form_again(request, PAGE, LETTER, error, typed, ctx)
    found = safety_of(request, session, user, row.body)
    kept = {
        "letter_kept": True,
        "sealed_until": day_words(row.sealed_until) if row.sealed_until else None,
        "letter_safety": found,
    }
    undo = ("letter", row.id) if can_undo("letter", row, moment) else None
    if is_htmx(request):
        return page(request, LETTER, {**ctx, **kept, "letter_undo": offer(undo, back="/sos")})
    if flagged(found):
        return page(request, PAGE, {**ctx, **kept, "letter_undo": offer(undo, back="/sos")})
    return redirect("/sos", "letter_sealed" if row.sealed_until else "letter_kept", undo=undo)


@router.post("/sos/urge")
def sos_urge(
    request: Request,
    session: DB,
    user: CurrentUser,
    profile: CurrentProfile,
    moment: Now,
    intensity: Annotated[str, Form(max_length=20)] = "",
    outcome: Annotated[str, Form(max_length=20)] = "",
    trigger: Annotated[str, Form(max_length=TRIGGER_MAX * 2)] = "",
    instead: Annotated[str, Form(max_length=INSTEAD_MAX * 2)] = "",
) -> Response:
    ctx = context(session, user, profile, moment)
    typed = {"intensity": intensity, "outcome": outcome, "trigger": trigger, "instead": instead}
    try:
        if not intensity.strip():
            raise InputError("intensity", "Pick how strong it was, from 1 to 10.")
        if outcome not in URGE_OUTCOMES:
            raise InputError("outcome", "Did you ride it out, or reach out? Either answer is okay.")
        row = log_urge(
            session,
            user,
            moment,
            intensity=intensity,  # type: ignore[arg-type]  # the service reads text as a number
            outcome=outcome,
            trigger=trigger,
            instead=instead,
        )
    except InputError as error:
        # The urge form's fields have their own names in the page so both forms can show errors.
        ctx = {**ctx, "urge_values": typed, "urge_errors": {error.field: error.message}}
        if is_htmx(request):
            return page(request, URGE, ctx)
        return page(request, PAGE, ctx, 400)
    found = safety_of(request, session, user, row.trigger, row.instead)
    reply = urge_reply(session, user, row, moment)
    done = {"urge_state": row.outcome, "urge": row, "urge_safety": found, "reply": reply}
    if is_htmx(request):
        return page(request, URGE, {**ctx, **done})
    if flagged(found):
        return page(request, PAGE, {**ctx, **done})
    # Without script, the page it lands on offers the same Undo beside the notice.
    undo = ("urge", row.id) if can_undo("urge", row, moment) else None
    if row.outcome == "acted":
        return redirect("/sos?after=acted", "urge_acted", undo=undo)
    return redirect("/", "urge_logged", undo=undo)


# --------------------------------------------------------------------------- API


class UrgeIn(BaseModel):
    intensity: int = Field(ge=1, le=10, description="How strong, 1 to 10")
    outcome: str = Field("resisted", description="resisted, or acted (you did reach out)")
    trigger: str = Field("", max_length=TRIGGER_MAX, description="What set it off")
    instead: str = Field("", max_length=INSTEAD_MAX, description="What you did instead")
    at: datetime | None = Field(None, description="When (with a time zone); default now")


class UrgeOut(BaseModel):
    id: int
    at: datetime
    intensity: int
    outcome: str
    trigger: str
    instead: str


class UrgeLogged(UrgeOut):
    safety: SafetyOut
    reply: ReplyOut = Field(description="A few words back about this urge, and what to do now")


def urge_out(row: Urge) -> UrgeOut:
    return UrgeOut(
        id=row.id,
        at=row.at,
        intensity=row.intensity,
        outcome=row.outcome,
        trigger=row.trigger,
        instead=row.instead,
    )


@api.post("/urges", response_model=UrgeLogged, status_code=201, summary="Log an urge")
def post_urge(
    body: UrgeIn, request: Request, session: DB, user: ApiUser, moment: Now
) -> UrgeLogged:
    row = log_urge(session, user, moment, **body.model_dump())
    found = safety_out(safety_of(request, session, user, row.trigger, row.instead))
    reply = reply_out(urge_reply(session, user, row, moment))
    return UrgeLogged(**urge_out(row).model_dump(), safety=found, reply=reply)


@api.get("/urges", response_model=list[UrgeOut], summary="Your urges, newest first")
def list_urges(
    session: DB,
    user: ApiUser,
    limit: Annotated[int, Query(ge=1, le=API_LIMIT_MAX)] = API_LIMIT_DEFAULT,
) -> list[UrgeOut]:
    return [urge_out(row) for row in recent_urges(session, user, limit)]
