"""Step 4: the gates, and whether it's open (the page and its API). On the move-on path, step 4
is closure instead. The readiness check, the composer and the conversation log have modules
of their own (step4_ready, step4_compose, step4_talk).

Nothing here ever sends a message: drafts are reviewed and stay on the page.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from secondchance.web.deps import DB, ApiUser, CurrentProfile, CurrentUser, Now, csrf_protect
from secondchance.web.routes._step4 import base_context, questions, where
from secondchance.web.templating import page

router = APIRouter(dependencies=[Depends(csrf_protect)])
api = APIRouter(tags=["step 4"])


@router.get("/step4")
def step4_page(
    request: Request, session: DB, user: CurrentUser, profile: CurrentProfile, moment: Now
) -> Response:
    here = where(session, user, moment)
    title = "Reach out again"
    if here.closure:
        title = "Your life, your safety" if here.protection else "Close the chapter"
    return page(request, "pages/step4.html", base_context(here, title))


# --------------------------------------------------------------------------------------------
# JSON API
# --------------------------------------------------------------------------------------------


class CheckOut(BaseModel):
    key: str
    label: str
    value: Any = Field(description="The number now (a list for week-by-week checks, or null)")
    target: str
    met: bool
    detail: str = Field("", description="Plain words beside the number, when it needs them")


class GateOut(BaseModel):
    key: str
    title: str
    met: bool
    summary: str
    checks: list[CheckOut]


class QuestionOut(BaseModel):
    key: str
    text: str


class AdviceOut(BaseModel):
    id: str
    text: str


class MilestoneOut(BaseModel):
    id: str
    label: str
    reached: bool


class Step4Out(BaseModel):
    """Step 4 at a glance. With the goal move_on, ``closure`` is true: no re-contact."""

    goal: str
    phase: str
    unlocked: bool
    closure: bool
    gates: list[GateOut]
    readiness_questions: list[QuestionOut]
    decide: str | None = Field(description="Asked of undecided people before a first text")
    pacing: list[AdviceOut]
    milestones: list[MilestoneOut]


@api.get("/step4", response_model=Step4Out, summary="Step 4: gates, whether it's open, questions")
def step4_api(session: DB, user: ApiUser, moment: Now) -> Step4Out:
    here = where(session, user, moment)
    data = here.state.to_dict()
    return Step4Out(
        goal=here.profile.goal,
        phase=here.state.phase,
        unlocked=here.open,
        closure=here.closure,
        gates=data["gates"],
        readiness_questions=[QuestionOut(key=k, text=t) for k, t in questions(here.words)],
        decide=here.decide,
        pacing=data["pacing"],
        milestones=data["milestones"],
    )
