"""Today: where you are, and what to do today."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from secondchance.program.steps import STEPS, words_for
from secondchance.services.lessons import today_lesson
from secondchance.services.status import current_status
from secondchance.web.deps import DB, ApiUser, Now, page_person, read_page
from secondchance.web.routes.safety import since_words
from secondchance.web.templating import page

# Today only shows: it has no form of its own to guard (its buttons post to other areas).
router = APIRouter()
api = APIRouter(tags=["today"])


@router.get("/")
async def today(request: Request) -> Response:
    # All its database work (who is signed in, the status, the lesson) in one worker thread,
    # with no dependencies to solve: the page people open most pays for one thread hop.
    return await read_page(request, _today)


def _today(request: Request, session: Session, moment: datetime) -> Response:
    user, profile = page_person(request, session, moment)
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
