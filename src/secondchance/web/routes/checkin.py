"""The daily check-in (step 2): mood, feelings, tears, profile checks, sleep, a note.

One per local day: coming back shows the day's answers to edit, and saving replaces them.
``?day=YYYY-MM-DD`` fills in a past day.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from secondchance.clock import local_date
from secondchance.program.steps import EMOTIONS, words_for
from secondchance.services import validate as v
from secondchance.services.checkins import (
    MAX_SOCIAL_CHECKS,
    CheckInInput,
    check_in,
    checkin_on,
    recent_checkins,
    write_checkin,
)
from secondchance.services.errors import InputError, NotFound
from secondchance.services.replies import checkin_reply
from secondchance.services.rows import Caller, CheckIn, Person, Profile
from secondchance.web.deps import (
    DB,
    ApiUser,
    CurrentProfile,
    CurrentUser,
    Later,
    Now,
    api_write,
    csrf_protect,
    json_answer,
    json_body_doc,
)
from secondchance.web.routes._daily import (
    API_LIMIT_DEFAULT,
    API_LIMIT_MAX,
    SafetyOut,
    day_words,
    flagged,
    form_again,
    help_overrides,
    safety_of,
    safety_out,
)
from secondchance.web.routes._reply import ReplyOut, reply_out
from secondchance.web.templating import is_htmx, page, redirect

# Pages, not API: kept out of the OpenAPI schema, which documents /api/v1 only.
router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
api = APIRouter(tags=["check-ins"])

PAGE = "pages/checkin.html"
FORM = "partials/_checkin_form.html"
SAVED = "partials/_checkin_saved.html"
# The short list under the form: a week is what step 2 looks at.
RECENT = 7
# ``?saved=`` after a form sent without JavaScript, by whether it replaced the day's answers.
SAVED_AS = {False: "new", True: "updated"}
# The note's limit, shared with the service and the form (services/validate.py LIMITS).
NOTE_MAX = v.LIMITS["checkin_note"]


def day_of(session: Session, user: Person, day: date) -> CheckIn | None:
    """Return the person's check-in for ``day``, or None."""
    return checkin_on(session, user, day)


def recent(session: Session, user: Person, limit: int = RECENT) -> list[CheckIn]:
    return recent_checkins(session, user, limit)


def yes_no_of(answer: bool | None) -> str:
    """The form's radio value for a saved answer: "yes", "no", or "" when it wasn't given."""
    if answer is None:
        return ""
    return "yes" if answer else "no"


def answer_of(raw: str) -> bool | None:
    """The answer a radio sent: True, False, or None when it was left (or made) blank."""
    cleaned = raw.strip().lower()
    if cleaned == "yes":
        return True
    if cleaned == "no":
        return False
    return None


def values_of(row: CheckIn | None) -> dict[str, Any]:
    """The form's values: a saved day's answers, or the defaults for a fresh one."""
    if row is None:
        return {
            "mood": "",
            "emotions": [],
            "cried": "",
            "social_checks": "0",
            "slept_well": "",
            "note": "",
        }
    return {
        "mood": str(row.mood),
        "emotions": list(row.emotions),
        "cried": yes_no_of(row.cried),
        "social_checks": str(row.social_checks),
        "slept_well": yes_no_of(row.slept_well),
        "note": row.note,
    }


def context(
    session: Session, user: Person, profile: Profile, today: date, day: date, **extra: Any
) -> dict[str, Any]:
    """Everything the check-in page and its partials show, for ``day``."""
    return {
        "title": "Check in",
        "day": day,
        "day_words": day_words(day),
        "is_today": day == today,
        "today": today,
        "existing": day_of(session, user, day) is not None,
        "emotion_words": EMOTIONS,
        "recent": recent(session, user),
        "day_words_of": day_words,
        "max_social_checks": MAX_SOCIAL_CHECKS,
        "words": words_for(profile.ex_name, profile.ex_pronouns),
        "errors": {},
        "note_max": NOTE_MAX,
        **extra,
    }


def chosen_day(raw: str | None, today: date) -> date:
    """Return the day asked for (today when none); a future or impossible day is refused."""
    if not raw or not raw.strip():
        return today
    return v.not_future("day", v.day("day", raw), today)


@router.get("/checkin")
def checkin_page(
    request: Request,
    session: DB,
    user: CurrentUser,
    profile: CurrentProfile,
    moment: Now,
    day: Annotated[str | None, Query(max_length=20)] = None,
    saved: Annotated[str | None, Query(max_length=10)] = None,
) -> Response:
    today = local_date(moment, profile.timezone)
    try:
        shown = chosen_day(day, today)
    except InputError as error:
        # Show today's form, with the reason next to the day picker.
        ctx = context(session, user, profile, today, today)
        values = {**values_of(day_of(session, user, today)), "pick": day}
        return page(request, PAGE, {**ctx, "values": values, "errors": {"day": error.message}}, 400)
    row = day_of(session, user, shown)
    values = values_of(row)
    if row is not None and saved in SAVED_AS.values():
        # Just saved without JavaScript: the day's answer, as the htmx form would show it.
        ctx = context(
            session,
            user,
            profile,
            today,
            shown,
            saved_view=True,
            row=row,
            replaced=saved == "updated",
            safety=safety_of(request, session, user, row.note),
            reply=checkin_reply(session, user, row, moment),
        )
        return page(request, PAGE, {**ctx, "values": values})
    # Coming back to a day whose note spoke of crisis shows help again: one visit is not enough
    # to set it aside.
    ctx = context(
        session,
        user,
        profile,
        today,
        shown,
        safety=safety_of(request, session, user, values["note"]),
    )
    return page(request, PAGE, {**ctx, "values": values})


@router.post("/checkin")
def save_checkin_form(
    request: Request,
    session: DB,
    user: CurrentUser,
    profile: CurrentProfile,
    moment: Now,
    mood: Annotated[str, Form(max_length=20)] = "",
    emotions: Annotated[list[str] | None, Form()] = None,
    cried: Annotated[str, Form(max_length=5)] = "",
    social_checks: Annotated[str, Form(max_length=20)] = "0",
    slept_well: Annotated[str, Form(max_length=5)] = "",
    note: Annotated[str, Form(max_length=NOTE_MAX * 2)] = "",
    day: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    today = local_date(moment, profile.timezone)
    typed = {
        "mood": mood,
        "emotions": emotions or [],
        "cried": cried,
        "social_checks": social_checks,
        "slept_well": slept_well,
        "note": note,
    }
    try:
        shown = chosen_day(day, today)
        if not mood.strip():
            raise InputError("mood", "Pick a number from 1 to 10. Any number is okay.")
        data = CheckInInput(
            mood=mood,  # type: ignore[arg-type]  # the service validates text as a number
            emotions=emotions or [],
            cried=answer_of(cried),
            social_checks=social_checks.strip() or 0,  # type: ignore[arg-type]
            slept_well=answer_of(slept_well),
            note=v.text("note", note, max_length=NOTE_MAX),
            day=shown,
        )
        done = check_in(session, user, data, moment, overrides=help_overrides(request))
    except InputError as error:
        shown = today if error.field == "day" else chosen_day(day, today)
        ctx = context(session, user, profile, today, shown)
        return form_again(request, PAGE, FORM, error, typed, ctx)
    row, replaced, found, reply = done.row, done.replaced, done.safety, done.reply
    saved = {
        "row": row,
        "replaced": replaced,
        "safety": found,
        "oob": is_htmx(request),
        "reply": reply,
    }
    if is_htmx(request):
        return page(request, SAVED, {**context(session, user, profile, today, row.day), **saved})
    if flagged(found):
        # Help first, on this page: a redirect would carry the person away from it.
        ctx = context(session, user, profile, today, row.day, saved_view=True, **saved)
        return page(request, PAGE, {**ctx, "values": values_of(row)})
    # The day's page answers what was saved; a reload shows it again and saves nothing twice.
    return redirect(f"/checkin?day={row.day.isoformat()}&saved={SAVED_AS[replaced]}")


# --------------------------------------------------------------------------- API


class CheckInIn(BaseModel):
    """A day's check-in. Sending one for a day that has one replaces it."""

    mood: int = Field(ge=1, le=10, description="1 (very low) to 10 (great)")
    emotions: list[str] = Field(
        default_factory=list, max_length=len(EMOTIONS), description="Words from the feelings list"
    )
    cried: bool | None = Field(None, description="null or left out: not answered")
    social_checks: int = Field(0, ge=0, le=MAX_SOCIAL_CHECKS, description="Profile checks")
    slept_well: bool | None = Field(None, description="null or left out: not answered")
    note: str = Field("", max_length=NOTE_MAX)
    day: date | None = Field(None, description="YYYY-MM-DD; default today in your time zone")


class CheckInOut(BaseModel):
    id: int = Field(description="To change or delete it: /api/v1/checkins/{id}")
    day: date
    mood: int
    emotions: list[str]
    cried: bool | None = Field(description="null when not answered")
    social_checks: int
    slept_well: bool | None = Field(description="null when not answered")
    note: str


class CheckInSaved(CheckInOut):
    replaced: bool = Field(description="True when this replaced the day's earlier check-in")
    safety: SafetyOut
    reply: ReplyOut = Field(description="A few words back about what this check-in says")


def checkin_fields(row: CheckIn) -> dict[str, Any]:
    """A check-in's fields as the API shows them (``CheckInOut``)."""
    return {
        "id": row.id,
        "day": row.day,
        "mood": row.mood,
        "emotions": list(row.emotions),
        "cried": row.cried,
        "social_checks": row.social_checks,
        "slept_well": row.slept_well,
        "note": row.note,
    }


def checkin_out(row: CheckIn) -> CheckInOut:
    return CheckInOut(**checkin_fields(row))


@api.post(
    "/checkins",
    response_model=CheckInSaved,
    status_code=201,
    summary="Check in for today (or a past day); 200 instead of 201 when it replaced one",
    responses={200: {"model": CheckInSaved, "description": "Replaced that day's check-in"}},
    openapi_extra=json_body_doc(CheckInIn),
)
async def post_checkin(request: Request) -> Response:
    # The API's busiest write: one thread hop for all of it (deps.api_write).
    return await api_write(request, CheckInIn, _post_checkin)


def _post_checkin(
    request: Request, session: Session, user: Caller, moment: datetime, body: CheckInIn
) -> Later:
    written = write_checkin(session, user, CheckInInput(**body.model_dump()), moment)
    overrides = help_overrides(request)

    def answer(reader: Session) -> Response:
        saved = written.answer_then(reader, moment, overrides)
        out = CheckInSaved(
            **checkin_fields(saved.row),
            replaced=saved.replaced,
            safety=safety_out(saved.safety),
            reply=reply_out(saved.reply),
        )
        return json_answer(out, 200 if saved.replaced else 201)

    return answer


@api.get("/checkins", response_model=list[CheckInOut], summary="Your check-ins, newest day first")
def list_checkins(
    session: DB,
    user: ApiUser,
    limit: Annotated[int, Query(ge=1, le=API_LIMIT_MAX)] = API_LIMIT_DEFAULT,
) -> list[CheckInOut]:
    return [checkin_out(row) for row in recent(session, user, limit)]


@api.get(
    "/checkins/{day}",
    response_model=CheckInOut,
    summary="One day's check-in",
    responses={404: {"description": "No check-in on that day"}},
)
def get_checkin(day: date, session: DB, user: ApiUser) -> CheckInOut:
    row = day_of(session, user, day)
    if row is None:
        raise NotFound(f"no check-in on {day.isoformat()}")
    return checkin_out(row)
