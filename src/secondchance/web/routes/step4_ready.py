"""Step 4's readiness check: five honest questions, the page, its answer and the API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from secondchance.program.progress import readiness_passed
from secondchance.program.steps import READINESS_QUESTIONS
from secondchance.services.errors import InputError
from secondchance.services.reconnect import readiness_check_of, take_readiness_check
from secondchance.web.deps import DB, ApiUser, CurrentProfile, CurrentUser, Now, csrf_protect
from secondchance.web.forms import form_error
from secondchance.web.routes._step4 import base_context, questions, where
from secondchance.web.templating import page, redirect

router = APIRouter(dependencies=[Depends(csrf_protect)])
api = APIRouter(tags=["step 4"])


# An honest, warm reply to each "not yet" in the readiness check, with {words} placeholders,
# and where to go next (a link and its words), if anywhere.
Link = tuple[str, str] | None
NOT_YET_REPLIES: dict[str, tuple[str, Link]] = {
    "see_without_breaking_down": (
        "Thank you for being honest. Seeing {ex} can wait until it feels calm; that calm grows "
        "in the steps you're already taking, and there's no deadline.",
        None,
    ),
    "okay_without_reply": (
        "Good to know now, not after sending. A first text only works when any answer, or none, "
        "would be okay. Give it a little more time and ask yourself again in a few days.",
        None,
    ),
    "okay_with_new_partner": (
        "That would hurt anyone. The life you're building for yourself is what makes hard news "
        "bearable, so keep building it first.",
        ("/focus", "Focus on yourself"),
    ),
    "life_you_enjoy": (
        "Then that's the next thing to work on, for you and not for {obj}: something fun this "
        "week, someone to see, something new to try.",
        ("/focus", "Ideas for this week"),
    ),
    "keep_it_light": (
        "Fair. If talk about the relationship is bursting to come out, it's too soon for a "
        "first text. Write it all in a letter you keep instead.",
        ("/letters", "Write a letter you keep"),
    ),
}


def replies(answers: dict[str, bool], words: dict[str, str]) -> list[tuple[str, str, Link]]:
    """Return (key, reply, link) for each "not yet" answer, in the questions' order."""
    out = []
    for q in READINESS_QUESTIONS:
        if answers.get(q.key) is not True:
            text, link = NOT_YET_REPLIES[q.key]
            out.append((q.key, text.format(**words), link))
    return out


@router.get("/step4/ready")
def readiness_page(
    request: Request, session: DB, user: CurrentUser, profile: CurrentProfile, moment: Now
) -> Response:
    here = where(session, user, moment)
    if here.closure:
        return redirect("/step4")
    context = {
        **base_context(here, "Am I ready?"),
        "questions": questions(here.words),
        "values": {},
    }
    return page(request, "pages/step4_ready.html", context)


YES_NO = ("yes", "no")


async def readiness_values(request: Request) -> dict[str, str]:
    """Return each question's answer from the form ("yes", "no", or "" when not answered)."""
    form = await request.form()  # already read (and cached) by the CSRF check
    return {q.key: str(form.get(q.key, ""))[:10] for q in READINESS_QUESTIONS}


@router.post("/step4/ready")
def readiness_form(
    request: Request,
    session: DB,
    user: CurrentUser,
    profile: CurrentProfile,
    moment: Now,
    values: Annotated[dict[str, str], Depends(readiness_values)],
) -> Response:
    errors = {key: "Choose yes or not yet." for key, value in values.items() if value not in YES_NO}
    here = where(session, user, moment)
    context = {**base_context(here, "Am I ready?"), "questions": questions(here.words)}
    if errors:
        return page(
            request, "pages/step4_ready.html", {**context, "values": values, "errors": errors}, 400
        )
    answers = {key: value == "yes" for key, value in values.items()}
    try:
        row, _ = take_readiness_check(session, user, moment, answers)
    except InputError as error:
        return form_error(request, "pages/step4_ready.html", error, values, context)
    return redirect(f"/step4/ready/{row.id}", "readiness_saved")


@router.get("/step4/ready/{check_id}")
def readiness_result(
    request: Request,
    session: DB,
    user: CurrentUser,
    profile: CurrentProfile,
    moment: Now,
    check_id: int,
) -> Response:
    row = readiness_check_of(session, user, check_id)
    here = where(session, user, moment)
    context = {
        **base_context(here, "Your readiness check"),
        "check": row,
        "questions": questions(here.words),
        "passed": readiness_passed(row.answers),
        "replies": replies(row.answers, here.words),
    }
    return page(request, "pages/step4_ready_result.html", context)


class ReadinessIn(BaseModel):
    """An answer to every question: true for yes, false for not yet."""

    answers: dict[str, bool] = Field(
        examples=[{q.key: True for q in READINESS_QUESTIONS}],
        description="Keys: " + ", ".join(q.key for q in READINESS_QUESTIONS),
    )


class ReplyOut(BaseModel):
    key: str
    text: str


class ReadinessOut(BaseModel):
    id: int
    at: datetime
    answers: dict[str, bool]
    passed: bool
    replies: list[ReplyOut] = Field(description="A word for each 'not yet'")
    step4_unlocked: bool


@api.post(
    "/readiness", response_model=ReadinessOut, status_code=201, summary="Take the readiness check"
)
def readiness_api(body: ReadinessIn, session: DB, user: ApiUser, moment: Now) -> ReadinessOut:
    row, passed = take_readiness_check(session, user, moment, body.answers)
    here = where(session, user, moment)
    return ReadinessOut(
        id=row.id,
        at=row.at,
        answers=row.answers,
        passed=passed,
        replies=[ReplyOut(key=k, text=t) for k, t, _ in replies(row.answers, here.words)],
        step4_unlocked=here.open,
    )
