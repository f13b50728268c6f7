"""The daily lesson, every lesson by step, and the journal that answers their prompts.

Opening a lesson's page marks it read, so tomorrow's choice moves on. A journal entry is read
for safety like every text a person writes: a crisis or abuse shows help first, right there.
Pages take ``CurrentProfile`` even where they don't use it: loading it gives the page the
person's country, so the help lines are theirs.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from secondchance.program.lessons import Lesson
from secondchance.services.errors import InputError
from secondchance.services.journal import (
    TEXT_MAX,
    delete_entry,
    edit_entry,
    journal_entry_of,
    list_entries,
    write_entry,
)
from secondchance.services.lessons import TodayLesson, lessons_for, open_lesson, today_lesson
from secondchance.services.rows import JournalEntry
from secondchance.web.deps import DB, ApiUser, CurrentProfile, CurrentUser, Now, csrf_protect
from secondchance.web.forms import form_error
from secondchance.web.routes._daily import (
    API_LIMIT_DEFAULT,
    API_LIMIT_MAX,
    SafetyOut,
    day_words,
    flagged,
    notice_of,
    safety_out,
)
from secondchance.web.templating import page, redirect

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
api = APIRouter(tags=["lessons"])

STEP_NAMES = {
    0: "For any day",
    1: "Step 1 · No contact",
    2: "Step 2 · Your emotions",
    3: "Step 3 · Yourself",
    4: "Step 4 · Reaching out, or closing the chapter",
}


def entry_view(row: JournalEntry) -> dict[str, Any]:
    return {
        "id": row.id,
        "day": day_words(row.day),
        "prompt": row.prompt,
        "text": row.text,
        "lesson_slug": row.lesson_slug,
        "edited": row.updated_at > row.created_at,
    }


@router.get("/lessons")
def lessons_page(
    request: Request, session: DB, user: CurrentUser, profile: CurrentProfile, moment: Now
) -> Response:
    situation, groups = lessons_for(session, user, moment)
    today = today_lesson(session, user, moment)
    context = {
        "title": "Lessons",
        "groups": [(STEP_NAMES[step], items) for step, items in groups.items()],
        "read": situation.read,
        "today": today,
        "entries": [entry_view(row) for row in list_entries(session, user, limit=20)],
    }
    return page(request, "pages/lessons.html", context)


def _lesson_context(lesson: Lesson, entries: list[JournalEntry], **extra: Any) -> dict[str, Any]:
    return {
        "title": lesson.title,
        "lesson": lesson,
        "entries": [entry_view(row) for row in entries if row.lesson_slug == lesson.slug],
        "values": {},
        "errors": {},
        "text_max": TEXT_MAX,
        **extra,
    }


@router.get("/lessons/{slug}")
def lesson_page(
    slug: str,
    request: Request,
    session: DB,
    user: CurrentUser,
    profile: CurrentProfile,
    moment: Now,
) -> Response:
    lesson = open_lesson(session, user, slug, moment)
    context = _lesson_context(lesson, list_entries(session, user))
    return page(request, "pages/lesson.html", context)


@router.post("/journal")
def save_entry(
    request: Request,
    session: DB,
    user: CurrentUser,
    profile: CurrentProfile,
    moment: Now,
    text: Annotated[str, Form(max_length=TEXT_MAX * 2)] = "",
    lesson: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    try:
        row, found = write_entry(session, user, moment, text=text, lesson_slug=lesson)
    except InputError as error:
        if lesson:
            shown = open_lesson(session, user, lesson, moment)
            context = _lesson_context(shown, list_entries(session, user))
            return form_error(request, "pages/lesson.html", error, {"text": text}, context)
        context = _journal(session, user)
        return form_error(request, "pages/journal.html", error, {"text": text}, context)
    found = notice_of(request, session, user, found)
    if flagged(found):
        # Help first, on this page: the entry is kept, and the person isn't sent elsewhere.
        context = {"title": "Your journal", "safety": found, "entry": entry_view(row)}
        return page(request, "pages/journal_kept.html", context)
    back = f"/lessons/{row.lesson_slug}#journal" if row.lesson_slug else "/journal"
    return redirect(back, "journal_saved")


def _journal(session: DB, user: Any) -> dict[str, Any]:
    entries = [entry_view(row) for row in list_entries(session, user)]
    return {
        "title": "Journal",
        "entries": entries,
        "values": {},
        "errors": {},
        "text_max": TEXT_MAX,
    }


@router.get("/journal")
def journal_page(
    request: Request, session: DB, user: CurrentUser, profile: CurrentProfile
) -> Response:
    return page(request, "pages/journal.html", _journal(session, user))


@router.get("/journal/{entry_id}/edit")
def edit_entry_page(
    entry_id: int, request: Request, session: DB, user: CurrentUser, profile: CurrentProfile
) -> Response:
    row = journal_entry_of(session, user, entry_id)
    context = {
        "title": "Edit a journal entry",
        "entry": entry_view(row),
        "values": {"text": row.text},
        "errors": {},
        "text_max": TEXT_MAX,
    }
    return page(request, "pages/journal_edit.html", context)


@router.post("/journal/{entry_id}")
def update_entry(
    entry_id: int,
    request: Request,
    session: DB,
    user: CurrentUser,
    profile: CurrentProfile,
    moment: Now,
    text: Annotated[str, Form(max_length=TEXT_MAX * 2)] = "",
) -> Response:
    try:
        row, found = edit_entry(session, user, entry_id, moment, text=text)
    except InputError as error:
        row = journal_entry_of(session, user, entry_id)
        context = {"title": "Edit a journal entry", "entry": entry_view(row), "text_max": TEXT_MAX}
        return form_error(request, "pages/journal_edit.html", error, {"text": text}, context)
    found = notice_of(request, session, user, found)
    if flagged(found):
        context = {"title": "Your journal", "safety": found, "entry": entry_view(row)}
        return page(request, "pages/journal_kept.html", context)
    return redirect("/journal", "journal_updated")


@router.post("/journal/{entry_id}/delete")
def remove_entry(entry_id: int, session: DB, user: CurrentUser) -> Response:
    delete_entry(session, user, entry_id)
    return redirect("/journal", "journal_deleted")


# --------------------------------------------------------------------------- API


class LessonOut(BaseModel):
    slug: str
    step: int = Field(description="1–4, or 0 for a lesson for any step")
    title: str
    body: str
    try_today: str = Field(description="One thing to try today")
    prompt: str = Field(description="A journal prompt")
    read: bool
    url: str


class TodayLessonOut(LessonOut):
    your_step: int
    day_in_step: int


def lesson_out(lesson: Lesson, read: bool) -> LessonOut:
    return LessonOut(
        slug=lesson.slug,
        step=lesson.step,
        title=lesson.title,
        body="\n\n".join(lesson.paragraphs),
        try_today=lesson.try_today,
        prompt=lesson.prompt,
        read=read,
        url=f"/lessons/{lesson.slug}",
    )


@api.get("/lessons/today", response_model=TodayLessonOut, summary="Today's lesson for you")
def today_api(session: DB, user: ApiUser, moment: Now) -> TodayLessonOut:
    found: TodayLesson = today_lesson(session, user, moment)
    out = lesson_out(found.lesson, found.read)
    return TodayLessonOut(**out.model_dump(), your_step=found.step, day_in_step=found.day_in_step)


@api.get("/lessons", response_model=list[LessonOut], summary="Every lesson you may read, by step")
def lessons_api(session: DB, user: ApiUser, moment: Now) -> list[LessonOut]:
    situation, groups = lessons_for(session, user, moment)
    return [
        lesson_out(lesson, lesson.slug in situation.read)
        for items in groups.values()
        for lesson in items
    ]


@api.post(
    "/lessons/{slug}/read",
    response_model=LessonOut,
    summary="Open a lesson: returns it and marks it read",
    responses={404: {"description": "No such lesson for you"}},
)
def read_api(slug: str, session: DB, user: ApiUser, moment: Now) -> LessonOut:
    return lesson_out(open_lesson(session, user, slug, moment), True)


class JournalIn(BaseModel):
    text: str = Field(min_length=1, max_length=TEXT_MAX)
    lesson_slug: str = Field("", max_length=64, description="The lesson whose prompt it answers")


class JournalEdit(BaseModel):
    text: str = Field(min_length=1, max_length=TEXT_MAX)


class JournalOut(BaseModel):
    id: int
    day: date
    lesson_slug: str
    prompt: str
    text: str
    created_at: str
    updated_at: str


class JournalKept(JournalOut):
    safety: SafetyOut


def journal_out(row: JournalEntry) -> JournalOut:
    return JournalOut(
        id=row.id,
        day=row.day,
        lesson_slug=row.lesson_slug,
        prompt=row.prompt,
        text=row.text,
        created_at=row.created_at.isoformat(),
        updated_at=row.updated_at.isoformat(),
    )


@api.get("/journal", response_model=list[JournalOut], summary="Your journal, newest first")
def journal_api(
    session: DB,
    user: ApiUser,
    limit: Annotated[int, Query(ge=1, le=API_LIMIT_MAX)] = API_LIMIT_DEFAULT,
) -> list[JournalOut]:
    return [journal_out(row) for row in list_entries(session, user, limit=limit)]


@api.post("/journal", response_model=JournalKept, status_code=201, summary="Keep a journal entry")
def post_journal(
    body: JournalIn, request: Request, session: DB, user: ApiUser, moment: Now
) -> JournalKept:
    row, found = write_entry(session, user, moment, text=body.text, lesson_slug=body.lesson_slug)
    safety = safety_out(notice_of(request, session, user, found))
    return JournalKept(**journal_out(row).model_dump(), safety=safety)


@api.put(
    "/journal/{entry_id}",
    response_model=JournalKept,
    summary="Change a journal entry's words",
    responses={404: {"description": "No such entry of yours"}},
)
def put_journal(
    entry_id: int, body: JournalEdit, request: Request, session: DB, user: ApiUser, moment: Now
) -> JournalKept:
    row, found = edit_entry(session, user, entry_id, moment, text=body.text)
    safety = safety_out(notice_of(request, session, user, found))
    return JournalKept(**journal_out(row).model_dump(), safety=safety)


@api.delete(
    "/journal/{entry_id}",
    status_code=204,
    summary="Delete a journal entry",
    responses={404: {"description": "No such entry of yours"}},
)
def delete_journal(entry_id: int, session: DB, user: ApiUser) -> Response:
    delete_entry(session, user, entry_id)
    return Response(status_code=204)
