"""Insights: mood, urges, profile checks, the contact-free timeline and what goes with better
days, as charts drawn on the server (``web/charts.py``) and as JSON."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel

from secondchance.program.steps import words_for
from secondchance.services.insights import (
    RANGE_DEFAULT_DAYS,
    RANGE_MAX_DAYS,
    RANGE_MIN_DAYS,
    Insights,
    insights,
)
from secondchance.web import charts
from secondchance.web.deps import DB, ApiUser, CurrentProfile, CurrentUser, Now, csrf_protect
from secondchance.web.templating import is_htmx, page

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
api = APIRouter(tags=["insights"])

# The ranges the page offers; the API accepts any number of days in the service's range.
RANGES = (30, 90)
Days = Annotated[
    int,
    Query(ge=RANGE_MIN_DAYS, le=RANGE_MAX_DAYS, description="How many days back, today included"),
]


def chart_list(found: Insights, words: dict[str, str]) -> list[charts.Chart]:
    """Every chart of the page, in the order it shows them."""
    return [
        charts.mood_chart(found.mood),
        charts.urges_chart(found.urges),
        charts.social_chart(found.social, words),
        charts.timeline_chart(found.timeline),
        charts.better_days_chart(found.better_days),
    ]


@router.get("/insights")
def insights_page(
    request: Request,
    session: DB,
    user: CurrentUser,
    profile: CurrentProfile,
    moment: Now,
    days: Days = RANGE_DEFAULT_DAYS,
) -> Response:
    found = insights(session, user, moment, days)
    context = {
        "title": "Insights",
        "found": found,
        "charts": chart_list(found, words_for(profile.ex_name, profile.ex_pronouns)),
        "ranges": RANGES,
    }
    # The range links swap just the charts when htmx is there; a full page otherwise.
    template = "partials/_charts.html" if is_htmx(request) else "pages/insights.html"
    return page(request, template, context)


class MoodPointOut(BaseModel):
    day: str
    mood: int | None
    average: float | None


class UrgeDayOut(BaseModel):
    day: str
    resisted: int
    acted: int


class SocialDayOut(BaseModel):
    day: str
    checks: int | None


class TimelineDayOut(BaseModel):
    day: str
    kind: str


class TimelineOut(BaseModel):
    started_on: str | None
    ended_on: str | None
    current: int
    longest: int
    total: int
    slips: int
    days: list[TimelineDayOut]


class ComparisonOut(BaseModel):
    kind: str
    label: str
    days_with: int
    days_without: int
    mood_with: float | None
    mood_without: float | None
    difference: float | None
    enough: bool


class InsightsOut(BaseModel):
    """Days are local dates (YYYY-MM-DD) in your time zone, oldest first."""

    start: str
    end: str
    days: int
    mood: list[MoodPointOut]
    urges: list[UrgeDayOut]
    social: list[SocialDayOut]
    timeline: TimelineOut
    better_days: list[ComparisonOut]


@api.get(
    "/insights",
    response_model=InsightsOut,
    summary="Mood with its 7-day average, urges, profile checks, the timeline, better days",
)
def insights_api(
    session: DB, user: ApiUser, moment: Now, days: Days = RANGE_DEFAULT_DAYS
) -> InsightsOut:
    return InsightsOut.model_validate(insights(session, user, moment, days).to_dict())
