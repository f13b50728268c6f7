"""Today: where you are, and what to do today."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup
from sqlalchemy.orm import Session

from secondchance.program.steps import STEPS, words_for
from secondchance.services.lessons import today_lesson
from secondchance.services.status import current_status, kept
from secondchance.web.deps import DB, ApiUser, Now, page_person, read_page
from secondchance.web.routes.safety import since_words
from secondchance.web.templating import page, part

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
    words = words_for(profile.ex_name, profile.ex_pronouns)

    def status_html() -> Markup:
        context = {
            "state": state,
            "steps": STEPS,
            "words": words,
            "lesson": today_lesson(session, user, moment),
        }
        return part(request, "partials/_today_status.html", context)

    # Rendered once per status and kept with it (the same key: the person's revision, which
    # their lesson reads and profile changes move too, and the five minutes), as rendering it
    # was a third of the page. Not before no contact has started: then it holds a form, whose
    # key must be new on every rendering (deps.form_once).
    kept_html = state.phase != "not_started"
    return page(
        request,
        "pages/today.html",
        {
            "title": "Today",
            "state": state,
            "safety_since": since_words(state.safety, profile.timezone),
            "status_html": kept(session, user, moment, "today_html", status_html)
            if kept_html
            else status_html(),
        },
    )


@api.get(
    "/status",
    summary="Where you are: step, gates with numbers, streaks, today's actions, and safety",
)
def status_api(session: DB, user: ApiUser, moment: Now) -> dict:
    return current_status(session, user, moment).to_dict()
