"""Help, one tap away, for anyone: crisis lines for where the person is, what to do right now,
and (signed in) their own safety plan.

Help, SOS and the safety plan open in every state of an account, and Help signed out too:
someone in distress must never be sent to sign in or to finish their profile first.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from secondchance.analysis import resources
from secondchance.services.errors import InputError
from secondchance.services.safety_plan import MAX_PART, get_plan, items, save_plan
from secondchance.web.deps import (
    DB,
    ApiUser,
    CurrentUser,
    Now,
    OptionalProfile,
    OptionalUser,
    csrf_protect,
)
from secondchance.web.forms import form_error
from secondchance.web.templating import page, redirect

router = APIRouter(dependencies=[Depends(csrf_protect)])
api = APIRouter(tags=["help"])

PART_TITLES = {
    "warning_signs": "Signs a hard time is starting",
    "calming": "Things that calm me",
    "reasons": "My reasons to keep going",
    "people": "People I can call",
}
# Where this browser last chose to be, so Help opens there next time (signed out too). Only a
# country code or "other": nothing about the person.
COUNTRY_COOKIE = "sc_country"
# The choice for a country without its own listing: the general lines and emergency advice.
OTHER = "other"
# Enough for any real Accept-Language header; the rest of a longer one is ignored.
MAX_LANGUAGES = 20


def plan_view(plan) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    return {key: items(getattr(plan, key)) if plan else [] for key in PART_TITLES}


def languages(header: str) -> list[str]:
    """Return the language tags of an Accept-Language header, most wanted first.

    ``"fr;q=0.5, en-GB, en;q=0.8"`` gives ``["en-GB", "en", "fr"]``; "*" and tags with q=0
    or an unreadable q are left out.
    """
    weighted = []
    for position, part in enumerate(header.split(",")[:MAX_LANGUAGES]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and tag != "*" and quality > 0:
            weighted.append((-quality, position, tag))
    return [tag for _, _, tag in sorted(weighted)]


def chosen_country(
    asked: str | None, profile_country: str | None, saved: str | None, accept_language: str
) -> str | None:
    """Return the ISO code whose lines to show, or None for the general ones ("Other").

    The first that is set wins: the choice made on the page, the profile's country, what this
    browser chose before, then the region of the browser's languages (en-GB -> GB). A country
    without its own listing gets the general lines.
    """
    for choice in (asked, profile_country, saved):
        if choice:
            return None if choice.strip().lower() == OTHER else resources.listed(choice)
    return resources.country_from_locales(languages(accept_language))


@router.get("/help")
def help_page(
    request: Request,
    session: DB,
    user: OptionalUser,
    profile: OptionalProfile,
    country: Annotated[str | None, Query()] = None,
) -> Response:
    asked = country[:20] if country else None
    code = chosen_country(
        asked,
        profile.country if profile else None,
        request.cookies.get(COUNTRY_COOKIE),
        request.headers.get("accept-language", ""),
    )
    names = resources.country_names()
    lines = request.app.state.help_lines(code)
    response = page(
        request,
        "pages/help.html",
        {
            "title": "Help now",
            "help_lines": lines,
            "emergency": lines["crisis"][-1].contact,
            "countries": names,
            "chosen": code or OTHER,
            "country_name": names.get(code or ""),
            "profile_country": names.get(profile.country) if profile else None,
            "onboarding": user is not None and profile is None,
            "plan": plan_view(get_plan(session, user)) if user else None,
            "titles": PART_TITLES,
        },
    )
    if asked:
        response.set_cookie(
            COUNTRY_COOKIE,
            code or OTHER,
            max_age=365 * 86400,
            httponly=True,
            samesite="lax",
            secure=request.app.state.settings.secure_cookies or request.url.scheme == "https",
            path="/",
        )
    return response


@router.get("/help/plan")
def edit_plan(
    request: Request, session: DB, user: CurrentUser, profile: OptionalProfile
) -> Response:
    plan = get_plan(session, user)
    values = {k: getattr(plan, k) if plan else "" for k in PART_TITLES}
    return page(
        request,
        "pages/help_plan.html",
        {"title": "My safety plan", "values": values, "titles": PART_TITLES},
    )


@router.post("/help/plan")
def save_plan_form(
    request: Request,
    session: DB,
    user: CurrentUser,
    profile: OptionalProfile,
    moment: Now,
    warning_signs: Annotated[str, Form(max_length=MAX_PART * 2)] = "",
    calming: Annotated[str, Form(max_length=MAX_PART * 2)] = "",
    reasons: Annotated[str, Form(max_length=MAX_PART * 2)] = "",
    people: Annotated[str, Form(max_length=MAX_PART * 2)] = "",
) -> Response:
    values = {
        "warning_signs": warning_signs,
        "calming": calming,
        "reasons": reasons,
        "people": people,
    }
    try:
        save_plan(session, user, values, moment)
    except InputError as error:
        return form_error(
            request,
            "pages/help_plan.html",
            error,
            values,
            {"title": "My safety plan", "titles": PART_TITLES},
        )
    return redirect("/help", "plan_saved")


class SafetyPlanBody(BaseModel):
    """Each part is a list of short items."""

    warning_signs: list[str] = Field(default_factory=list, max_length=50)
    calming: list[str] = Field(default_factory=list, max_length=50)
    reasons: list[str] = Field(default_factory=list, max_length=50)
    people: list[str] = Field(default_factory=list, max_length=50)


class HelpOut(BaseModel):
    crisis: list[dict]
    abuse: list[dict]
    plan: SafetyPlanBody


@api.get(
    "/help", response_model=HelpOut, summary="Crisis lines for your country and your safety plan"
)
def help_api(request: Request, session: DB, user: ApiUser) -> HelpOut:
    from secondchance.services.people import profile_of

    profile = profile_of(session, user)
    lines = request.app.state.help_lines(profile.country)
    return HelpOut(
        crisis=[r.to_dict() for r in lines["crisis"]],
        abuse=[r.to_dict() for r in lines["abuse"]],
        plan=SafetyPlanBody(**plan_view(get_plan(session, user))),
    )


@api.put("/safety-plan", response_model=SafetyPlanBody, summary="Replace your safety plan")
def put_plan(body: SafetyPlanBody, session: DB, user: ApiUser, moment: Now) -> SafetyPlanBody:
    parts = {k: "\n".join(getattr(body, k)) for k in PART_TITLES}
    return SafetyPlanBody(**plan_view(save_plan(session, user, parts, moment)))
