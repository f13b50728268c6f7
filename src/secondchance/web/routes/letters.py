"""Letters you keep and never send: a place for the words that would otherwise become a text.

A sealed letter stays closed until its day: the list and the letter's own page show only when
it opens. A "final" letter is the last thing you'd say, for the move-on path.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from secondchance.clock import local_date
from secondchance.program.steps import words_for
from secondchance.services import validate as v
from secondchance.services.entries import can_undo
from secondchance.services.errors import InputError
from secondchance.services.letters import is_sealed, letter_of, recent_letters, write_letter
from secondchance.services.people import profile_of
from secondchance.services.rows import Letter, Person, Profile
from secondchance.web.deps import DB, ApiUser, CurrentProfile, CurrentUser, Now, csrf_protect
from secondchance.web.forms import checkbox, form_error
from secondchance.web.routes._daily import (
    API_LIMIT_DEFAULT,
    API_LIMIT_MAX,
    SafetyOut,
    day_words,
    flagged,
    long_day,
    safety_of,
    safety_out,
)
from secondchance.web.templating import offer, page, redirect

# Pages, not API: kept out of the OpenAPI schema, which documents /api/v1 only.
router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
api = APIRouter(tags=["letters"])

LIST_LIMIT = 100
TITLE_MAX = v.LIMITS["letter_title"]
# Long enough for any letter, short enough that the form limit catches a pasted book.
BODY_MAX = v.LIMITS["letter_body"]


def letter_view(letter: Letter, today: date, tz: str) -> dict[str, Any]:
    """What a page may show of a letter: a sealed one gives only its opening day."""
    sealed = is_sealed(letter, today)
    return {
        "id": letter.id,
        "sealed": sealed,
        "opens": day_words(letter.sealed_until) if letter.sealed_until else None,
        "opens_long": long_day(letter.sealed_until) if letter.sealed_until else None,
        "was_sealed": letter.sealed_until is not None,
        "title": None if sealed else (letter.title or "Untitled"),
        "body": None if sealed else letter.body,
        "written": day_words(local_date(letter.created_at, tz)),
        "final": letter.kind == "final",
    }


def form_context(profile: Profile, today: date, **extra: Any) -> dict[str, Any]:
    return {
        "title": "Write a letter",
        "earliest_seal": (today + timedelta(days=1)).isoformat(),
        "words": words_for(profile.ex_name, profile.ex_pronouns),
        "errors": {},
        "letter_action": "/letters",
        "compact": False,
        **extra,
    }


@router.get("/letters")
def letters_page(
    request: Request, session: DB, user: CurrentUser, profile: CurrentProfile, moment: Now
) -> Response:
    today = local_date(moment, profile.timezone)
    letters = [
        letter_view(row, today, profile.timezone)
        for row in recent_letters(session, user, LIST_LIMIT)
    ]
    return page(request, "pages/letters.html", {"title": "Letters", "letters": letters})


@router.get("/letters/new")
def new_letter(
    request: Request,
    profile: CurrentProfile,
    moment: Now,
    final: Annotated[str | None, Query(max_length=5)] = None,
) -> Response:
    today = local_date(moment, profile.timezone)
    values = {"final": checkbox(final)}
    return page(
        request, "pages/letters_new.html", {**form_context(profile, today), "values": values}
    )


@router.post("/letters")
def save_letter(
    request: Request,
    session: DB,
    user: CurrentUser,
    profile: CurrentProfile,
    moment: Now,
    title: Annotated[str, Form(max_length=TITLE_MAX * 2)] = "",
    body: Annotated[str, Form(max_length=BODY_MAX * 2)] = "",
    sealed_until: Annotated[str, Form(max_length=20)] = "",
    final: Annotated[str | None, Form(max_length=5)] = None,
) -> Response:
    today = local_date(moment, profile.timezone)
    typed = {"title": title, "body": body, "sealed_until": sealed_until, "final": checkbox(final)}
    try:
        row = write_letter(
            session,
            user,
            moment,
            body=body,
            title=title,
            sealed_until=sealed_until or None,
            kind="final" if checkbox(final) else "unsent",
        )
    except InputError as error:
        return form_error(
            request, "pages/letters_new.html", error, typed, form_context(profile, today)
        )
    found = safety_of(request, session, user, row.title, row.body)
    # Saved by mistake (or twice over)? The page it lands on offers Undo for a few minutes.
    undo = ("letter", row.id) if can_undo("letter", row, moment) else None
    if flagged(found):
        # Help first, here: the letter is kept, and the page stays with the person.
        view = letter_view(row, today, profile.timezone)
        context = {
            "title": "Your letter is kept",
            "letter": view,
            "safety": found,
            "kept": True,
            "notice_undo": offer(undo),
        }
        return page(request, "pages/letters_read.html", context)
    return redirect("/letters", "letter_sealed" if row.sealed_until else "letter_kept", undo=undo)


@router.get("/letters/{letter_id}")
def read_letter(
    letter_id: int,
    request: Request,
    session: DB,
    user: CurrentUser,
    profile: CurrentProfile,
    moment: Now,
) -> Response:
    row = letter_of(session, user, letter_id)
    view = letter_view(row, local_date(moment, profile.timezone), profile.timezone)
    # Words written in a crisis bring help back each time they are read; a sealed letter's
    # words stay unread, so there is nothing to check yet.
    found = safety_of(request, session, user, row.title, row.body) if not view["sealed"] else None
    title = "A sealed letter" if view["sealed"] else view["title"]
    return page(
        request, "pages/letters_read.html", {"title": title, "letter": view, "safety": found}
    )


# --------------------------------------------------------------------------- API


class LetterIn(BaseModel):
    body: str = Field(min_length=1, max_length=BODY_MAX)
    title: str = Field("", max_length=TITLE_MAX)
    sealed_until: date | None = Field(
        None, description="Keep it closed until this day (after today, in your time zone)"
    )
    kind: str = Field("unsent", description="unsent, or final (the move-on path's last letter)")


class LetterOut(BaseModel):
    """A letter. While sealed, ``title`` and ``body`` are null and ``sealed`` is true: the
    letter exists and ``sealed_until`` says when it opens, but its words wait until that day
    (we answer 200 with a body-less item rather than 403, so a list and a single letter look
    the same, and nothing is hidden from its owner but the words they asked to keep closed)."""

    id: int
    written_at: str = Field(description="When it was written (UTC, ISO 8601)")
    kind: str
    sealed: bool
    sealed_until: date | None
    title: str | None
    body: str | None


class LetterKept(LetterOut):
    sent: bool = Field(False, description="Always false: letters are never sent anywhere")
    safety: SafetyOut


def letter_out(row: Letter, today: date) -> LetterOut:
    sealed = is_sealed(row, today)
    return LetterOut(
        id=row.id,
        written_at=row.created_at.isoformat(),
        kind=row.kind,
        sealed=sealed,
        sealed_until=row.sealed_until,
        title=None if sealed else row.title,
        body=None if sealed else row.body,
    )


def _today(session: Session, user: Person, moment: Any) -> date:
    return local_date(moment, profile_of(session, user).timezone)


@api.post(
    "/letters",
    response_model=LetterKept,
    status_code=201,
    summary="Keep a letter (never sent); a sealed one comes back without its words",
)
def post_letter(
    body: LetterIn, request: Request, session: DB, user: ApiUser, moment: Now
) -> LetterKept:
    row = write_letter(session, user, moment, **body.model_dump())
    found = safety_out(safety_of(request, session, user, row.title, row.body))
    return LetterKept(**letter_out(row, _today(session, user, moment)).model_dump(), safety=found)


@api.get("/letters", response_model=list[LetterOut], summary="Your letters, newest first")
def list_letters_api(
    session: DB,
    user: ApiUser,
    moment: Now,
    limit: Annotated[int, Query(ge=1, le=API_LIMIT_MAX)] = API_LIMIT_DEFAULT,
) -> list[LetterOut]:
    today = _today(session, user, moment)
    return [letter_out(row, today) for row in recent_letters(session, user, limit)]


@api.get(
    "/letters/{letter_id}",
    response_model=LetterOut,
    summary="One letter; while sealed, without its title and words (see LetterOut)",
    responses={404: {"description": "No such letter of yours"}},
)
def get_letter(letter_id: int, session: DB, user: ApiUser, moment: Now) -> LetterOut:
    row = letter_of(session, user, letter_id)
    return letter_out(row, _today(session, user, moment))
