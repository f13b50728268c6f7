"""The story: "tell me what happened" after onboarding, its reading, and taking its plan.

The reading is made fresh from the stored text each time (``services.stories``); this module
only turns it into words a coach would say, with each fact's own quoted evidence.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from secondchance.analysis.evidence import Evidence
from secondchance.analysis.story import StoryReading, StorySafety
from secondchance.clock import local_date
from secondchance.program.steps import STEPS, words_for
from secondchance.services.errors import InputError, NotFound
from secondchance.services.people import profile_of
from secondchance.services.rows import Profile
from secondchance.services.safety_notice import SafetyNotice
from secondchance.services.stories import (
    MAX_STORY,
    Told,
    latest_reading,
    latest_story,
    running_period,
    tell_story,
    use_plan,
)
from secondchance.web.deps import DB, ApiUser, CurrentProfile, CurrentUser, Now, csrf_protect
from secondchance.web.routes._daily import HelpLineOut, SafetyOut
from secondchance.web.templating import page, redirect

router = APIRouter(dependencies=[Depends(csrf_protect)])
api = APIRouter(tags=["story"])

# What each fact says, in the person's own terms. ``{...}`` are the ex's words (words_for).
WHO_ENDED = {"ex": "{Subj} ended it.", "user": "You ended it.", "mutual": "You ended it together."}
CONTACT = {
    "none": "You're not in touch now.",
    "some": "You're still in touch.",
    "intimate": "You're still sleeping together.",
    "unavoidable": "You can't fully avoid each other: home, work or children.",
}
GOAL = {
    "reconcile": "You'd like to try again with {obj}.",
    "move_on": "You want to move on and stop thinking about {obj}.",
}
# With abuse the wish is still the person's own; it is named without being encouraged.
GOAL_WITH_ABUSE = (
    "Part of you still misses {obj}. That's common after someone has hurt you, and it doesn't "
    "have to decide anything."
)
FLAGS = {
    "self_harm": "You wrote about not wanting to be here. That matters more than anything else.",
    "abuse": "Some of how {subj} treated you sounds like abuse or control. It is not your fault.",
    "infidelity": "There was cheating, which hurts in a way of its own.",
    "hot_and_cold": "{Subj} has blown hot and cold: close one day, distant the next.",
    "ex_substance": "{Pos} drinking or drug use has been part of the story.",
    "user_substance": "You've been drinking or using more to get through. Go gently with that.",
    "user_mental_health": "You're carrying your own health too, like depression or anxiety. "
    "That deserves care of its own.",
    "shared_workplace": "You work together, so some contact can't be avoided.",
    "children": "You have children together.",
    "lived_together": "You lived together.",
    "engaged_or_married": "You were engaged or married.",
}
HABITS = {
    "drunk_texting": "Texting or calling {obj} after a drink.",
    "begging": "Pleading with {obj} to come back.",
    "contacting_new_partner": "Getting in touch with {pos} new partner.",
    "checking_socials": "Checking {pos} profiles.",
    "showing_up": "Turning up where {subj} would be.",
    "breaking_no_contact": "Breaking no contact after starting it.",
}
# Highlight colour for each kind of evidence in the story text (styles in css/focus.css).
MARKS = {"fact": "mark-fact", "flag": "mark-flag", "habit": "mark-habit"}


def day_words(day: date) -> str:
    """Return a day as people say it: "Tuesday 10 November"."""
    return f"{day:%A} {day.day} {day:%B}"


def kind_of(about: str) -> str | None:
    """Return "fact", "flag" or "habit" for an evidence ``about``; None for what isn't shown."""
    if about in ("is_story", "self_harm"):
        # Words about not wanting to live are answered with help, not quoted back.
        return None
    if about.startswith("mistake."):
        return "habit"
    if about in FLAGS:
        return "flag"
    return "fact"


def duration_words(days: int) -> str:
    """Return a length of time the way people say it: "10 days", "about 3 weeks", "about a
    month", "about 5 months", "about a year", "about 3 years"."""
    if days < 14:
        return f"{days} day{'s' if days != 1 else ''}"
    if days < 28:
        return f"about {round(days / 7)} weeks"
    if days < 46:
        return "about a month"
    if days < 320:
        return f"about {max(2, round(days / 30.44))} months"
    if days < 548:
        return "about a year"
    return f"about {round(days / 365.25)} years"


def _quotes(evidence: tuple[Evidence, ...], about: str) -> list[str]:
    return list(dict.fromkeys(e.quote for e in evidence if e.about == about))


def fact_lines(reading: StoryReading, words: dict[str, str]) -> list[dict[str, Any]]:
    """Return each known fact as {key, text, quotes}; unknown facts are left out."""
    f = reading.facts
    lines: list[tuple[str, str]] = []
    if f.days_since_breakup is not None:
        when = duration_words(f.days_since_breakup)
        lines.append(("days_since_breakup", f"It ended {when} ago."))
    if f.relationship_days is not None:
        lines.append(
            ("relationship_days", f"You were together {duration_words(f.relationship_days)}.")
        )
    if f.who_ended in WHO_ENDED:
        lines.append(("who_ended", WHO_ENDED[f.who_ended]))
    if f.contact in CONTACT:
        lines.append(("contact", CONTACT[f.contact]))
    if f.ex_new_partner is not None:
        new = (
            "{Subj} {be} seeing someone new." if f.ex_new_partner else "{Subj} isn't seeing anyone."
        )
        lines.append(("ex_new_partner", new))
    if f.goal in GOAL:
        goal = GOAL_WITH_ABUSE if reading.safety.abuse else GOAL[f.goal]
        lines.append(("goal", goal))
    return [
        {"key": key, "text": text.format(**words), "quotes": _quotes(reading.evidence, key)}
        for key, text in lines
    ]


def flag_lines(reading: StoryReading, words: dict[str, str]) -> list[dict[str, Any]]:
    """Return each flag as {key, text, quotes}, safety ones first as the reading orders them."""
    return [
        {
            "key": f,
            "text": FLAGS[f].format(**words),
            "quotes": _quotes(reading.evidence, f) if kind_of(f) else [],
        }
        for f in reading.flags
        if f in FLAGS
    ]


def habit_lines(reading: StoryReading, words: dict[str, str]) -> list[dict[str, Any]]:
    """Return the habits the plan helps stop as {key, text, quotes}, in a fixed order."""
    found = {
        e.about.removeprefix("mistake.") for e in reading.evidence if kind_of(e.about) == "habit"
    }
    return [
        {
            "key": h,
            "text": text.format(**words),
            "quotes": _quotes(reading.evidence, f"mistake.{h}"),
        }
        for h, text in HABITS.items()
        if h in found
    ]


def marked(text: str, evidence: tuple[Evidence, ...]) -> list[tuple[str, str | None]]:
    """Split ``text`` into (piece, css class or None) so each quoted span can be highlighted.

    Overlapping spans merge into one highlight; where kinds overlap, a flag outranks a habit,
    which outranks a fact, so what matters most is the colour shown.
    """
    rank = {"flag": 0, "habit": 1, "fact": 2}
    spans = sorted(
        (e.start, e.end, kind)
        for e in evidence
        if (kind := kind_of(e.about)) and 0 <= e.start < e.end <= len(text)
    )
    merged: list[list[Any]] = []
    for start, end, kind in spans:
        if merged and start < merged[-1][1]:
            last = merged[-1]
            last[1] = max(last[1], end)
            last[2] = min(last[2], kind, key=rank.__getitem__)
        else:
            merged.append([start, end, kind])
    pieces: list[tuple[str, str | None]] = []
    at = 0
    for start, end, kind in merged:
        if start > at:
            pieces.append((text[at:start], None))
        pieces.append((text[start:end], MARKS[kind]))
        at = end
    if at < len(text):
        pieces.append((text[at:], None))
    return pieces


def story_lines(reading: StoryReading) -> dict[str, list[dict[str, Any]]]:
    """The reading's own help lines, shaped for ``partials/_help_lines.html``.

    Crisis lines come first; the number for immediate danger is listed once, at the end of
    whichever list is shown last.
    """
    lines = reading.safety.to_dict()["resources"]
    emergency = [r for r in lines if r["kind"] == "emergency"]
    crisis = [r for r in lines if r["kind"] == "crisis"]
    abuse = [r for r in lines if r["kind"] == "abuse"]
    if reading.safety.abuse:
        return {"crisis": crisis, "abuse": abuse + emergency}
    return {"crisis": crisis + emergency, "abuse": []}


def step_title(reading: StoryReading, words: dict[str, str]) -> str:
    """Return the title of the step the plan starts at; "" when help comes first.

    Step 1's own title speaks of being missed, so it is used only where getting back together
    is encouraged; otherwise (abuse, moving on) it is plain no contact.
    """
    step = reading.plan.start_step
    if not step:
        return ""
    if step == 1 and not reading.plan.reconcile_encouraged:
        return "No contact, for you"
    return STEPS[step - 1].title.format(**words)


def _overrides(request: Request) -> Any:
    """The app's own extra help lines (``help_lines_file``), so a reading lists them too."""
    return request.app.state.help_overrides


def reading_context(told: Told, profile: Profile, moment: datetime) -> dict[str, Any]:
    """Everything the reading's templates show, already in words."""
    reading = told.reading
    words = words_for(profile.ex_name, profile.ex_pronouns)
    words["Pos"] = words["pos"].capitalize()
    return {
        "reading": reading,
        "plan": reading.plan,
        "safety": reading.safety,
        # Heavy distress with no clear sign of risk: the plan goes on, gently, help beside it.
        "concern": bool(reading.safety.result and reading.safety.result.concern),
        "story_help": story_lines(reading),
        "facts": fact_lines(reading, words),
        "flags": flag_lines(reading, words),
        "habits": habit_lines(reading, words),
        "pieces": marked(told.text, reading.evidence),
        "story": told.story,
        "step_title": step_title(reading, words),
        "words": words,
        "today": local_date(moment, profile.timezone).isoformat(),
    }


def story_page(
    request: Request,
    session: DB,
    user: CurrentUser,
    profile: Profile,
    moment: datetime,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    """Render /story: the latest story's reading, or an invitation to tell it."""
    told = latest_reading(session, user, moment, _overrides(request))
    context: dict[str, Any] = {
        "title": "Your story",
        "errors": errors or {},
        "values": values or {},
    }
    if told is not None:
        context |= reading_context(told, profile, moment)
        running = running_period(session, user)
        context["running_since"] = (
            day_words(local_date(running.started_at, profile.timezone)) if running else None
        )
    return page(request, "pages/story.html", context, status)


def tell_context(profile: Profile, values: dict[str, str]) -> dict[str, Any]:
    return {
        "title": "Tell me what happened",
        "values": values,
        "max_story": MAX_STORY,
        "words": words_for(profile.ex_name, profile.ex_pronouns),
    }


@router.get("/welcome/story")
def tell(
    request: Request, session: DB, user: CurrentUser, profile: CurrentProfile, moment: Now
) -> Response:
    kept = latest_story(session, user)
    values = {"story": kept.text if kept else ""}
    return page(request, "pages/story_tell.html", tell_context(profile, values))


@router.post("/welcome/story")
def tell_post(
    request: Request,
    session: DB,
    user: CurrentUser,
    profile: CurrentProfile,
    moment: Now,
    story: Annotated[str, Form(max_length=MAX_STORY * 2)] = "",
) -> Response:
    context = tell_context(profile, {"story": story})
    try:
        told = tell_story(session, user, story, moment, overrides=_overrides(request))
    except InputError as error:
        errors = {error.field: error.message}
        return page(request, "pages/story_tell.html", {**context, "errors": errors}, 400)
    if told.story is None:
        # Not a story yet ("hi"): ask gently for more, keeping what was typed.
        return page(request, "pages/story_tell.html", {**context, "more": True})
    return redirect("/story", "story_saved")


@router.get("/story")
def story(
    request: Request, session: DB, user: CurrentUser, profile: CurrentProfile, moment: Now
) -> Response:
    return story_page(request, session, user, profile, moment)


@router.post("/story/plan")
def take_plan(
    request: Request,
    session: DB,
    user: CurrentUser,
    profile: CurrentProfile,
    moment: Now,
    no_contact_target_days: Annotated[str | None, Form(max_length=20)] = None,
    since: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    try:
        started = use_plan(session, user, moment, target=no_contact_target_days, since=since)
    except InputError as error:
        values = {"no_contact_target_days": no_contact_target_days, "since": since}
        errors = {error.field: error.message}
        return story_page(
            request, session, user, profile, moment, errors=errors, values=values, status=400
        )
    return redirect("/", "no_contact_started" if started else "no_contact_target_saved")


# ---- JSON API ------------------------------------------------------------------------------


class EvidenceOut(BaseModel):
    about: str = Field(description="The fact or flag it supports; mistake.<name> for habits")
    quote: str = Field(description="The exact words: text[start:end]")
    start: int
    end: int


class FactsOut(BaseModel):
    days_since_breakup: int | None
    relationship_days: int | None
    who_ended: str = Field(description="ex, user, mutual or unclear")
    contact: str = Field(description="none, some, intimate, unavoidable or unclear")
    ex_new_partner: bool | None
    goal: str = Field(description="reconcile, move_on or unclear")


class AdviceOut(BaseModel):
    id: str
    text: str


class PlanOut(BaseModel):
    start_step: int | None = Field(description="1-4, or null when help comes first")
    no_contact_days: int | None = Field(
        description="null in a crisis, or when no contact is protection with no end (abuse)"
    )
    reconcile_encouraged: bool
    route: str = Field(
        default="program", description="program, move_on (heal, not win back) or safety"
    )
    reason: str = Field(default="", description="Why the plan starts here, quoting the story")
    question: str | None = Field(default=None, description="What the story asked, if anything")
    no_contact_left: int | None = Field(
        default=None, description="Days of no contact still ahead after the quiet already done"
    )
    advice: list[AdviceOut]


class StoryRef(BaseModel):
    id: int
    created_at: datetime
    text: str


class ReadingOut(BaseModel):
    """The reading (``read_story(...).to_dict()``), and the stored story it was made from.

    ``safety`` has the API's one safety shape; its ``help`` lists the story's lines (crisis
    lines first, then domestic-abuse lines, the emergency number last) when a flag is up."""

    is_story: bool
    facts: FactsOut
    flags: list[str]
    safety: SafetyOut
    plan: PlanOut
    evidence: list[EvidenceOut]
    story: StoryRef | None = Field(description="The kept story; null when it wasn't kept")


class StoryIn(BaseModel):
    text: str = Field(max_length=MAX_STORY, description="The story, in the person's own words")


class PlanIn(BaseModel):
    no_contact_target_days: int | None = Field(
        None, description="At least 14 days; leave out to keep your own target"
    )
    since: str | None = Field(
        None, description="YYYY-MM-DD: the day no contact really began (default: now)"
    )


class PlanTakenOut(BaseModel):
    started: bool = Field(description="False when no contact was already running")
    started_at: datetime = Field(description="When the running no-contact period began")
    no_contact_target_days: int


def reading_out(told: Told) -> ReadingOut:
    ref = None
    if told.story is not None:
        ref = StoryRef(id=told.story.id, created_at=told.story.created_at, text=told.story.text)
    reading = told.reading.to_dict()
    reading["safety"] = story_safety_out(told.reading.safety)
    return ReadingOut(**reading, story=ref)


def story_safety_out(safety: StorySafety) -> SafetyOut:
    """The story's safety block in the API's one shape (its evidence from the safety check)."""
    found = safety.result
    notice = SafetyNotice(
        crisis=safety.crisis,
        abuse=safety.abuse,
        concern=bool(found and found.concern) and not safety.crisis,
        evidence=found.evidence if found else (),
    )
    help_lines = [
        HelpLineOut(**{k: line.get(k) for k in HelpLineOut.model_fields})
        for line in safety.resources
    ]
    return SafetyOut(**{**notice.to_dict(), "help": help_lines})


@api.post(
    "/story",
    response_model=ReadingOut,
    summary="Read a story (201 when kept with ?save=true; 200 when only read)",
    responses={201: {"model": ReadingOut, "description": "Read and kept"}},
)
def story_api_post(
    request: Request,
    body: StoryIn,
    session: DB,
    user: ApiUser,
    moment: Now,
    save: Annotated[bool, Query(description="Keep it as your latest story")] = False,
) -> Response:
    told = tell_story(session, user, body.text, moment, save=save, overrides=_overrides(request))
    status = 201 if told.story is not None else 200
    return JSONResponse(reading_out(told).model_dump(mode="json"), status_code=status)


@api.get(
    "/story",
    response_model=ReadingOut,
    summary="Your latest story, read afresh",
    responses={404: {"description": "No story told yet"}},
)
def story_api_get(request: Request, session: DB, user: ApiUser, moment: Now) -> ReadingOut:
    profile_of(session, user)
    told = latest_reading(session, user, moment, _overrides(request))
    if told is None:
        raise NotFound("no story yet")
    return reading_out(told)


@api.post(
    "/story/plan",
    response_model=PlanTakenOut,
    status_code=201,
    summary="Take the plan: set the no-contact target and start no contact",
    responses={200: {"model": PlanTakenOut, "description": "No contact was already running"}},
)
def plan_api(
    body: PlanIn, response: Response, session: DB, user: ApiUser, moment: Now
) -> PlanTakenOut:
    started = use_plan(session, user, moment, target=body.no_contact_target_days, since=body.since)
    if started is None:
        response.status_code = 200  # nothing new was made: only the target changed
    # use_plan leaves a period running either way.
    running = started or running_period(session, user)
    return PlanTakenOut(
        started=started is not None,
        started_at=running.started_at if running else moment,
        no_contact_target_days=profile_of(session, user).no_contact_target_days,
    )
