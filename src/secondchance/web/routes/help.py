"""Help, one tap away: crisis lines for the person's country and their own safety plan."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from secondchance.services.errors import InputError
from secondchance.services.safety_plan import MAX_PART, get_plan, items, save_plan
from secondchance.web.deps import DB, ApiUser, CurrentProfile, CurrentUser, Now, csrf_protect
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


def plan_view(plan) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    return {key: items(getattr(plan, key)) if plan else [] for key in PART_TITLES}


@router.get("/help")
def help_page(
    request: Request, session: DB, user: CurrentUser, profile: CurrentProfile
) -> Response:
    plan = get_plan(session, user)
    return page(
        request,
        "pages/help.html",
        {"title": "Help now", "plan": plan_view(plan), "titles": PART_TITLES},
    )


@router.get("/help/plan")
def edit_plan(
    request: Request, session: DB, user: CurrentUser, profile: CurrentProfile
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
    profile: CurrentProfile,
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
