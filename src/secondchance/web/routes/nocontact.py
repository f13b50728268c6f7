"""Step 1: starting no contact, and logging contact when it happens.

Contact you start, or answering, is a slip: the streak starts again and nothing is erased. A
message from the ex that you let be is not a slip, and the page says so.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from secondchance.clock import local_date, zone
from secondchance.program.progress import active_period, is_slip, latest_period
from secondchance.program.steps import CONTACT_CHANNELS, CONTACT_DIRECTIONS, words_for
from secondchance.services import validate as v
from secondchance.services.contact import log_contact, periods_of, recent_contacts, start_no_contact
from secondchance.services.entries import can_undo, delete_entry
from secondchance.services.errors import InputError
from secondchance.services.people import profile_of, target_days
from secondchance.services.replies import contact_reply
from secondchance.services.rows import Contact, Person, Profile
from secondchance.services.status import current_status
from secondchance.web.deps import DB, ApiUser, CurrentProfile, CurrentUser, Now, csrf_protect
from secondchance.web.forms import form_error
from secondchance.web.routes._daily import (
    API_LIMIT_DEFAULT,
    API_LIMIT_MAX,
    SafetyOut,
    day_words,
    flagged,
    form_again,
    local_time,
    safety_of,
    safety_out,
)
from secondchance.web.routes._reply import ReplyOut, reply_out
from secondchance.web.templating import is_htmx, page, redirect

# Pages, not API: kept out of the OpenAPI schema, which documents /api/v1 only.
router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
api = APIRouter(tags=["no contact"])

START_PAGE = "pages/contact_start.html"
PAGE = "pages/contact.html"
FORM = "partials/_contact_form.html"
RESULT = "partials/_contact_result.html"
RECENT = 10
NOTE_MAX = v.LIMITS["contact_note"]  # shared with the service and the form

CHANNEL_LABELS = {
    "text": "Text",
    "call": "Call",
    "social_media": "Social media",
    "in_person": "In person",
    "other": "Other",
}
# Every channel the service accepts has a label, in the service's order.
CHANNEL_LABELS = {key: CHANNEL_LABELS[key] for key in CONTACT_CHANNELS}
# Phases in which a no-contact period is running (so a streak can "hold").
RUNNING_PHASES = ("working", "ready", "closure")


def local_input(moment: datetime, tz: str) -> str:
    """Return ``moment`` as a datetime-local field's value in the person's zone."""
    return f"{moment.astimezone(zone(tz)):%Y-%m-%dT%H:%M}"


# --------------------------------------------------------------------------- starting


def start_context(session: Session, user: Person, profile: Profile, moment: datetime) -> dict:
    running = active_period(periods_of(session, user))
    today = local_date(moment, profile.timezone)
    return {
        "title": "Start no contact",
        "words": words_for(profile.ex_name, profile.ex_pronouns),
        "running_since": day_words(local_date(running.started_at, profile.timezone))
        if running
        else None,
        "today": today.isoformat(),
        "move_on": profile.goal == "move_on",
        "errors": {},
    }


def start_moment(raw: str, tz: str, moment: datetime) -> datetime | None:
    """Return when no contact began: None (now) for an empty field or today, else noon that day.

    Noon sits safely inside the chosen day in every zone; today means "from now", since noon
    may not have come yet.
    """
    if not raw.strip():
        return None
    day = v.not_future("started_on", v.day("started_on", raw), local_date(moment, tz))
    if day == local_date(moment, tz):
        return None
    return v.local_moment("started_on", day.isoformat(), tz)


@router.get("/no-contact/start")
def start_page(
    request: Request, session: DB, user: CurrentUser, profile: CurrentProfile, moment: Now
) -> Response:
    ctx = start_context(session, user, profile, moment)
    values = {"started_on": ctx["today"], "target": str(profile.no_contact_target_days)}
    return page(request, START_PAGE, {**ctx, "values": values})


@router.post("/no-contact/start")
def start_form(
    request: Request,
    session: DB,
    user: CurrentUser,
    profile: CurrentProfile,
    moment: Now,
    started_on: Annotated[str, Form(max_length=20)] = "",
    target: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    typed = {"started_on": started_on, "target": target}
    try:
        # Checked first so that a short target is explained before anything starts.
        days = target_days(target) if target.strip() else None
        started_at = start_moment(started_on, profile.timezone, moment)
        start_no_contact(session, user, moment, started_at=started_at, target=days)
    except InputError as error:
        field = "target" if error.field == "no_contact_target_days" else error.field
        shown = InputError(field, error.message)
        ctx = start_context(session, user, profile, moment)
        return form_error(request, START_PAGE, shown, typed, ctx)
    return redirect("/", "no_contact_started")


# --------------------------------------------------------------------------- logging contact


def contact_view(row: Contact, tz: str) -> dict[str, Any]:
    return {
        "when": local_time(row.at, tz),
        "you": row.direction == "you_to_ex",
        "channel": CHANNEL_LABELS.get(row.channel, row.channel),
        "answered": row.answered,
        "slip": is_slip(row),
        "note": row.note,
        "id": row.id,
    }


def contact_context(
    session: Session, user: Person, profile: Profile, moment: datetime
) -> dict[str, Any]:
    tz = profile.timezone
    return {
        "title": "Log contact",
        "words": words_for(profile.ex_name, profile.ex_pronouns),
        "channels": CHANNEL_LABELS,
        "now_local": local_input(moment, tz),
        "recent": [contact_view(row, tz) for row in recent_contacts(session, user, RECENT)],
        "values": {"channel": "text", "at": local_input(moment, tz)},
        "errors": {},
        "note_max": NOTE_MAX,
        # After step 4's first conversation, contact is the plan, not a slip.
        "talking": talking_again(session, user),
    }


def talking_again(session: Session, user: Person) -> bool:
    """True when the last no-contact period ended because the person reached out in step 4."""
    periods = periods_of(session, user)
    last = latest_period(periods)
    return active_period(periods) is None and last is not None and last.end_reason == "recontact"


def contact_moment(raw: str, tz: str, moment: datetime) -> datetime | None:
    """Return the moment typed in the person's zone (None for "now"); the future is refused."""
    if not raw.strip():
        return None
    at = v.local_moment("at", raw, tz)
    if at > moment:
        raise InputError("at", "That time hasn't come yet: pick a moment up to now.")
    return at


def outcome(slip: bool, running: bool, direction: str) -> str:
    """Return which message fits what was logged: ``slip``, ``let_be`` or ``noted``."""
    if slip:
        return "slip"
    if running and direction == "ex_to_you":
        return "let_be"
    return "noted"


@router.get("/contact")
def contact_page(
    request: Request, session: DB, user: CurrentUser, profile: CurrentProfile, moment: Now
) -> Response:
    return page(request, PAGE, contact_context(session, user, profile, moment))


@router.post("/contact")
def contact_form(
    request: Request,
    session: DB,
    user: CurrentUser,
    profile: CurrentProfile,
    moment: Now,
    direction: Annotated[str, Form(max_length=20)] = "",
    channel: Annotated[str, Form(max_length=20)] = "text",
    answered: Annotated[str, Form(max_length=5)] = "",
    note: Annotated[str, Form(max_length=NOTE_MAX * 2)] = "",
    at: Annotated[str, Form(max_length=30)] = "",
) -> Response:
    tz = profile.timezone
    typed = {
        "direction": direction,
        "channel": channel,
        "answered": answered,
        "note": note,
        "at": at,
    }
    try:
        if direction not in CONTACT_DIRECTIONS:
            raise InputError("direction", "Who reached out: you, or them?")
        if direction == "ex_to_you" and answered not in ("yes", "no"):
            raise InputError("answered", "Did you answer, or let it be?")
        row, slip = log_contact(
            session,
            user,
            moment,
            direction=direction,
            channel=channel,
            answered=answered == "yes",
            note=v.text("note", note, max_length=NOTE_MAX),
            at=contact_moment(at, tz, moment),
        )
    except InputError as error:
        ctx = contact_context(session, user, profile, moment)
        return form_again(request, PAGE, FORM, error, typed, ctx)
    state = current_status(session, user, moment)
    kind = outcome(slip, state.phase in RUNNING_PHASES, row.direction)
    found = safety_of(request, session, user, row.note)
    # Undo is offered just after logging (a wrong tap); contact backfilled to an earlier time
    # has Edit and Delete in the list instead.
    undo = {"kind": "contact", "id": row.id} if can_undo("contact", row, moment) else None
    reply = contact_reply(session, user, row, slip, moment)
    result = {
        "result": kind,
        "streaks": state.streaks,
        "contact_safety": found,
        "undo": undo,
        "reply": reply,
    }
    if is_htmx(request):
        ctx = {**contact_context(session, user, profile, moment), **result, "lately_oob": True}
        return page(request, RESULT, ctx)
    if flagged(found):
        return page(request, PAGE, {**contact_context(session, user, profile, moment), **result})
    notice = {"slip": "slip_logged", "let_be": "contact_let_be", "noted": "contact_noted"}[kind]
    # Without script, Today offers the same Undo beside the notice.
    return redirect("/", notice, undo=("contact", row.id) if undo else None)


@router.post("/contact/{contact_id}/delete")
def contact_delete_form(contact_id: int, session: DB, user: CurrentUser) -> Response:
    """Delete a contact logged by mistake; back to the list, which no longer shows it."""
    delete_entry(session, user, "contact", contact_id)
    return redirect("/contact", "contact_deleted")


# --------------------------------------------------------------------------- API


class NoContactIn(BaseModel):
    started_on: date | None = Field(
        None, description="The day it began, if before today (YYYY-MM-DD, your time zone)"
    )
    target_days: int | None = Field(
        None, description="Days of no contact; at least 14 (default: your profile's target)"
    )


class NoContactOut(BaseModel):
    started_at: datetime
    target_days: int


@api.post(
    "/no-contact",
    response_model=NoContactOut,
    status_code=201,
    summary="Start no contact (422 with the reason if one is already running)",
)
def post_no_contact(body: NoContactIn, session: DB, user: ApiUser, moment: Now) -> NoContactOut:
    profile = profile_of(session, user)
    raw = body.started_on.isoformat() if body.started_on else ""
    days = target_days(body.target_days) if body.target_days is not None else None
    period = start_no_contact(
        session,
        user,
        moment,
        started_at=start_moment(raw, profile.timezone, moment),
        target=days,
    )
    return NoContactOut(started_at=period.started_at, target_days=profile.no_contact_target_days)


class ContactIn(BaseModel):
    direction: str = Field(description="you_to_ex (you reached out) or ex_to_you")
    channel: str = Field("text", description="text, call, social_media, in_person or other")
    answered: bool = Field(False, description="For ex_to_you: did you answer?")
    note: str = Field("", max_length=NOTE_MAX)
    at: datetime | None = Field(None, description="When (with a time zone); default now")


class ContactOut(BaseModel):
    id: int
    at: datetime
    direction: str
    channel: str
    answered: bool | None = Field(description="null for contact you started")
    note: str
    slip: bool = Field(description="Whether this contact breaks the streak (data, not failure)")


class ContactLogged(ContactOut):
    counts_as_slip: bool = Field(
        description="True if it broke the running period's streak (false when none is running)"
    )
    message: str
    safety: SafetyOut
    reply: ReplyOut = Field(description="A few words back about this contact, and what next")


MESSAGES = {
    "slip": "Logged. Your streak starts again from here, and that's okay: your {total} "
    "contact-free days still count. A slip is data, not failure.",
    "let_be": "Logged. You let it be, and that took strength: your streak holds.",
    "noted": "Logged. It's kept in your history.",
}


def contact_out(row: Contact) -> ContactOut:
    return ContactOut(
        id=row.id,
        at=row.at,
        direction=row.direction,
        channel=row.channel,
        answered=row.answered,
        note=row.note,
        slip=is_slip(row),
    )


@api.post("/contacts", response_model=ContactLogged, status_code=201, summary="Log contact")
def post_contact(
    body: ContactIn, request: Request, session: DB, user: ApiUser, moment: Now
) -> ContactLogged:
    row, slip = log_contact(session, user, moment, **body.model_dump())
    state = current_status(session, user, moment)
    kind = outcome(slip, state.phase in RUNNING_PHASES, row.direction)
    return ContactLogged(
        **contact_out(row).model_dump(),
        counts_as_slip=slip,
        message=MESSAGES[kind].format(total=state.streaks.total),
        safety=safety_out(safety_of(request, session, user, row.note)),
        reply=reply_out(contact_reply(session, user, row, slip, moment)),
    )


@api.get("/contacts", response_model=list[ContactOut], summary="Contact you logged, newest first")
def list_contacts(
    session: DB,
    user: ApiUser,
    limit: Annotated[int, Query(ge=1, le=API_LIMIT_MAX)] = API_LIMIT_DEFAULT,
) -> list[ContactOut]:
    return [contact_out(row) for row in recent_contacts(session, user, limit)]


@api.delete(
    "/contacts/{contact_id}",
    status_code=204,
    summary="Delete a contact logged by mistake",
    response_class=Response,
    responses={404: {"description": "No such contact (someone else's looks the same)"}},
)
def delete_contact_api(contact_id: int, session: DB, user: ApiUser) -> Response:
    delete_entry(session, user, "contact", contact_id)
    return Response(status_code=204)
