"""Onboarding: the profile questions (the story comes next, in ``story.py``)."""

from __future__ import annotations

from typing import Annotated
from zoneinfo import available_timezones

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from secondchance.program.steps import GOALS, WHO_ENDED
from secondchance.program.thresholds import NO_CONTACT_DEFAULT_DAYS
from secondchance.services import validate as v
from secondchance.services.errors import InputError
from secondchance.services.people import ProfileInput, find_profile, save_profile
from secondchance.services.rows import Profile
from secondchance.web.deps import DB, ApiUser, CurrentUser, Now, csrf_protect
from secondchance.web.forms import form_error
from secondchance.web.templating import page, redirect

router = APIRouter(dependencies=[Depends(csrf_protect)])
api = APIRouter(tags=["profile"])

COUNTRIES = {
    "US": "United States",
    "GB": "United Kingdom",
    "IE": "Ireland",
    "CA": "Canada",
    "AU": "Australia",
    "NZ": "New Zealand",
}
TIMEZONES = sorted(z for z in available_timezones() if "/" in z and not z.startswith("Etc/"))
FIELDS = (
    "name",
    "ex_name",
    "ex_pronouns",
    "breakup_date",
    "who_ended",
    "goal",
    "country",
    "timezone",
    "no_contact_target_days",
)


def profile_context() -> dict:
    return {"countries": COUNTRIES, "timezones": TIMEZONES, "goals": GOALS, "who_ended": WHO_ENDED}


def profile_values(profile: Profile | None) -> dict:
    if profile is None:
        return {
            "ex_pronouns": "he",
            "goal": "reconcile",
            "who_ended": "ex",
            "no_contact_target_days": NO_CONTACT_DEFAULT_DAYS,
        }
    return {f: getattr(profile, f) for f in FIELDS}


@router.get("/welcome")
def welcome(request: Request, session: DB, user: CurrentUser) -> Response:
    profile = find_profile(session, user)
    return page(
        request,
        "pages/welcome.html",
        {
            "title": "Welcome",
            "values": profile_values(profile),
            "profile": profile,
            **profile_context(),
        },
    )


@router.post("/welcome")
def save_welcome(
    request: Request,
    session: DB,
    user: CurrentUser,
    moment: Now,
    name: Annotated[str, Form(max_length=200)] = "",
    ex_name: Annotated[str, Form(max_length=200)] = "",
    ex_pronouns: Annotated[str, Form(max_length=20)] = "they",
    breakup_date: Annotated[str, Form(max_length=20)] = "",
    who_ended: Annotated[str, Form(max_length=20)] = "ex",
    goal: Annotated[str, Form(max_length=20)] = "undecided",
    country: Annotated[str, Form(max_length=10)] = "US",
    timezone: Annotated[str, Form(max_length=64)] = "UTC",
) -> Response:
    data = ProfileInput(
        name=name,
        ex_name=ex_name,
        ex_pronouns=ex_pronouns,
        breakup_date=breakup_date or None,
        who_ended=who_ended,
        goal=goal,
        country=country,
        timezone=timezone,
    )
    first_time = find_profile(session, user) is None
    try:
        save_profile(session, user, data, moment)
    except InputError as error:
        values = {
            "name": name,
            "ex_name": ex_name,
            "ex_pronouns": ex_pronouns,
            "breakup_date": breakup_date,
            "who_ended": who_ended,
            "goal": goal,
            "country": country,
            "timezone": timezone,
        }
        return form_error(
            request, "pages/welcome.html", error, values, {"title": "Welcome", **profile_context()}
        )
    return redirect(
        "/welcome/story" if first_time else "/", None if first_time else "profile_saved"
    )


class ProfileIn(BaseModel):
    """Profile fields; on update, leave out what shouldn't change."""

    name: str | None = Field(None, max_length=v.LIMITS["name"])
    ex_name: str | None = Field(None, max_length=v.LIMITS["ex_name"])
    ex_pronouns: str | None = Field(None, description="he, she or they")
    breakup_date: str | None = Field(None, description="YYYY-MM-DD")
    who_ended: str | None = Field(None, description="ex, me or mutual")
    goal: str | None = Field(None, description="reconcile, move_on or undecided")
    country: str | None = Field(None, description="Two-letter code, for help lines")
    timezone: str | None = Field(None, description="e.g. Europe/London")
    no_contact_target_days: int | None = Field(None, ge=14, le=365)


class ProfileOut(BaseModel):
    name: str
    ex_name: str
    ex_pronouns: str
    breakup_date: str | None
    who_ended: str
    goal: str
    country: str
    timezone: str
    no_contact_target_days: int
    exercise_per_week: int
    fun_per_week: int
    positive_per_week: int
    look_per_fortnight: int


def profile_out(profile: Profile) -> ProfileOut:
    return ProfileOut(
        **{f: getattr(profile, f) for f in FIELDS if f != "breakup_date"},
        breakup_date=profile.breakup_date.isoformat() if profile.breakup_date else None,
        exercise_per_week=profile.exercise_per_week,
        fun_per_week=profile.fun_per_week,
        positive_per_week=profile.positive_per_week,
        look_per_fortnight=profile.look_per_fortnight,
    )


@api.get("/profile", response_model=ProfileOut, summary="Your profile")
def get_profile(session: DB, user: ApiUser) -> ProfileOut:
    from secondchance.services.people import profile_of

    return profile_out(profile_of(session, user))


@api.put("/profile", response_model=ProfileOut, summary="Create or update your profile")
def put_profile(body: ProfileIn, session: DB, user: ApiUser, moment: Now) -> ProfileOut:
    profile = save_profile(session, user, ProfileInput(**body.model_dump()), moment)
    return profile_out(profile)
