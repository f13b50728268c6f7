"""Today: where you are, and what to do today."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from secondchance.program.steps import STEPS, words_for
from secondchance.services.lessons import today_lesson
from secondchance.services.status import current_status
from secondchance.web.deps import DB, ApiUser, CurrentProfile, CurrentUser, Now, csrf_protect
from secondchance.web.routes.safety import since_words
from secondchance.web.templating import page

router = APIRouter(dependencies=[Depends(csrf_protect)])
api = APIRouter(tags=["today"])


@router.get("/")
def today(
    request: Request, session: DB, user: CurrentUser, profile: CurrentProfile, moment: Now
) -> Response:
    state = current_status(session, user, moment)
    return page(
        request,
        "pages/today.html",
        {
            "title": "Today",
            "state": state,
            "steps": STEPS,
            "words": words_for(profile.ex_name, profile.ex_pronouns),
            "checked_in": any(a.key == "checkin" for a in state.actions) is False,
            "safety_since": since_words(state.safety, profile.timezone),
            "lesson": today_lesson(session, user, moment),
        },
    )


@api.get(
    "/status",
    summary="Where you are: step, gates with numbers, streaks, today's actions, and safety",
)
def status_api(session: DB, user: ApiUser, moment: Now) -> dict:
    return current_status(session, user, moment).to_dict()
