"""Focus on yourself (step 3): this week's progress per target, one-tap logging, the last two
weeks, why it matters, and the person's own weekly targets.

Counting is the program's own (``program.progress.activity_counts`` over the same rolling
windows as the self-focus gate), so this page never disagrees with Today.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from secondchance.clock import local_date
from secondchance.program import thresholds as t
from secondchance.program.progress import activity_counts
from secondchance.program.steps import ACTIVITY_LABELS, TARGETS, TRACKS, Target, words_for
from secondchance.services import safety_notice
from secondchance.services import validate as v
from secondchance.services.errors import InputError
from secondchance.services.people import set_targets
from secondchance.services.rows import Activity, Person, Profile
from secondchance.services.safety_notice import SafetyNotice
from secondchance.services.selfcare import activity_of, log_activity
from secondchance.services.status import standing
from secondchance.web.deps import DB, ApiUser, CurrentProfile, CurrentUser, Now, csrf_protect
from secondchance.web.routes._daily import SafetyOut, safety_of, safety_out
from secondchance.web.templating import is_htmx, page, redirect

router = APIRouter(dependencies=[Depends(csrf_protect)])
api = APIRouter(tags=["focus"])

# The page shows (and the API lists) the last two weeks: the span the self-focus gate reads.
RECENT_DAYS = t.SELF_FOCUS_WEEKS * 7
MAX_NOTE = v.LIMITS["activity_note"]

TRACK_TITLES = {
    "look_and_feel": "Look and feel good",
    "happy_and_positive": "Happy and positive",
    "fun_and_friends": "Fun and friends",
}
TRACK_WHY = {
    "look_and_feel": "Move your body, try a new look. Exercise brings back energy and "
    "confidence, and feeling new shows.",
    "happy_and_positive": "Notice what's good and catch the negative thoughts: what you tell "
    "yourself, you come to believe.",
    "fun_and_friends": "Go out, see friends, try something new. Life can be good now, "
    "without waiting for anyone.",
}
# Why a target has a ceiling, said next to the field and with any refusal.
TARGET_REASON = "A plan nobody can keep helps nobody: up to {high} {per} is plenty."


def activity_label(kind: str) -> str:
    """Return the activity as a button says it: "A new outfit"."""
    label = ACTIVITY_LABELS.get(kind, kind)
    return label[:1].upper() + label[1:]


def track_of(kind: str) -> str | None:
    return next((track for track, kinds in TRACKS.items() if kind in kinds), None)


def ceiling(target: Target) -> int:
    return t.MAX_PER_FORTNIGHT if target.period_days == 14 else t.MAX_PER_WEEK


def per_words(target: Target) -> str:
    return "a fortnight" if target.period_days == 14 else "a week"


@dataclass(frozen=True)
class Progress:
    """How far one target is in its rolling window (the last 7 or 14 days, today included)."""

    key: str
    label: str
    done: int
    wanted: int
    period_days: int

    @property
    def met(self) -> bool:
        return self.done >= self.wanted

    @property
    def period_words(self) -> str:
        return "these two weeks" if self.period_days == 14 else "this week"

    @property
    def sentence(self) -> str:
        """Return "Exercise: 2 of 3 this week"; past the aim, or with none, say so instead."""
        if self.wanted == 0:
            return f"{self.label}: {self.done} {self.period_words} (no target set)"
        if self.done > self.wanted:
            return f"{self.label}: {self.done} {self.period_words}, past your aim of {self.wanted}"
        return f"{self.label}: {self.done} of {self.wanted} {self.period_words}"


def progress(profile: Profile, activities: Iterable[Activity], today: date) -> list[Progress]:
    """Return each target's count over its window ending ``today``, in TARGETS order."""
    rows = list(activities)
    found = []
    for target in TARGETS:
        counts = activity_counts(rows, today - timedelta(days=target.period_days - 1), today)
        found.append(
            Progress(
                key=target.key,
                label=target.label[:1].upper() + target.label[1:],
                done=sum(counts.get(kind, 0) for kind in target.kinds),
                wanted=getattr(profile, target.column),
                period_days=target.period_days,
            )
        )
    return found


def recent(activities: Iterable[Activity], today: date) -> list[Activity]:
    """Return the activities of the last RECENT_DAYS days, newest first."""
    first = today - timedelta(days=RECENT_DAYS - 1)
    kept = [a for a in activities if first <= a.day <= today]
    return sorted(kept, key=lambda a: (a.day, a.created_at, a.id), reverse=True)


def day_heading(day: date, today: date) -> str:
    """Return "Today", "Yesterday" or "Monday 16 November"."""
    if day == today:
        return "Today"
    if day == today - timedelta(days=1):
        return "Yesterday"
    return f"{day:%A} {day.day} {day:%B}"


def by_day(rows: Sequence[Activity], today: date) -> list[tuple[str, list[Activity]]]:
    """Group rows (newest first) under their day's heading, keeping the order."""
    groups: list[tuple[str, list[Activity]]] = []
    for row in rows:
        heading = day_heading(row.day, today)
        if not groups or groups[-1][0] != heading:
            groups.append((heading, []))
        groups[-1][1].append(row)
    return groups


def notes_safety(rows: Iterable[Activity]) -> SafetyNotice:
    """Check each note on its own; a flag in any recent note stays up while it is on the page.

    So one lighter note afterwards never hides help that an earlier one called for.
    """
    return safety_notice.notice_for(None, *(r.note for r in rows))


def board_context(
    session: Session,
    user: Person,
    profile: Profile,
    moment: datetime,
    *,
    logged: Activity | None = None,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Everything ``partials/_focus_board.html`` shows: progress, the log forms, two weeks."""
    history, _ = standing(session, user, moment)
    today = local_date(moment, profile.timezone)
    rows = recent(history.activities, today)
    return {
        "title": "Focus on yourself",
        "progress": progress(profile, history.activities, today),
        "tracks": [
            {
                "key": track,
                "title": TRACK_TITLES[track],
                "why": TRACK_WHY[track],
                "kinds": [(kind, activity_label(kind)) for kind in kinds],
            }
            for track, kinds in TRACKS.items()
        ],
        "days": by_day(rows, today),
        "labels": {kind: activity_label(kind) for kind in ACTIVITY_LABELS},
        "safety": notes_safety(rows),
        "logged": logged,
        "today": today.isoformat(),
        "errors": errors or {},
        "values": values or {},
    }


def page_context(profile: Profile) -> dict[str, Any]:
    """What only the full page shows: why it matters and the targets form."""
    targets = [
        {
            "key": target.key,
            "label": target.label[:1].upper() + target.label[1:],
            "per": per_words(target),
            "high": ceiling(target),
            "value": getattr(profile, target.column),
            "reason": TARGET_REASON.format(high=ceiling(target), per=per_words(target)),
        }
        for target in TARGETS
    ]
    return {
        "words": words_for(profile.ex_name, profile.ex_pronouns),
        "moving_on": profile.goal == "move_on",
        "targets": targets,
    }


def focus_page(
    request: Request,
    session: Session,
    user: Person,
    profile: Profile,
    moment: datetime,
    status: int = 200,
    target_errors: dict[str, str] | None = None,
    target_values: dict[str, str] | None = None,
    **board: Any,
) -> Response:
    context = {
        **board_context(session, user, profile, moment, **board),
        **page_context(profile),
        "target_errors": target_errors or {},
        "target_values": target_values or {},
    }
    return page(request, "pages/focus.html", context, status)


@router.get("/focus")
def focus(
    request: Request,
    session: DB,
    user: CurrentUser,
    profile: CurrentProfile,
    moment: Now,
    logged: Annotated[int | None, Query(description="An activity just logged")] = None,
) -> Response:
    row = activity_of(session, user, logged) if logged is not None else None
    return focus_page(request, session, user, profile, moment, logged=row)


@router.post("/focus/activities")
def log(
    request: Request,
    session: DB,
    user: CurrentUser,
    profile: CurrentProfile,
    moment: Now,
    kind: Annotated[str, Form(max_length=40)] = "",
    day: Annotated[str, Form(max_length=20)] = "",
    note: Annotated[str, Form(max_length=MAX_NOTE * 2)] = "",
) -> Response:
    try:
        row = log_activity(session, user, moment, kind=kind, note=note, day=day or None)
    except InputError as error:
        values = {"kind": kind, "day": day, "note": note}
        errors = {error.field: error.message}
        if is_htmx(request):
            # htmx leaves the page alone on a 4xx, so the board comes back with the reason.
            context = board_context(session, user, profile, moment, errors=errors, values=values)
            return page(request, "partials/_focus_board.html", context)
        return focus_page(
            request, session, user, profile, moment, 400, errors=errors, values=values
        )
    if is_htmx(request):
        context = board_context(session, user, profile, moment, logged=row)
        # The swapped board says what happened; a full page has the notice for that.
        return page(request, "partials/_focus_board.html", {**context, "announce": True})
    return redirect(f"/focus?logged={row.id}#focus-board", "activity_logged")


def _set_targets(session: Session, user: Person, changes: dict[str, object], now: datetime) -> None:
    """Change the targets all together or not at all (``set_targets`` checks every number
    before it changes any, so a refused one changes nothing)."""
    set_targets(session, user, changes, now)


def _with_reason(error: InputError) -> str:
    """Return the refusal with why the ceiling exists, when the number was out of range."""
    target = next((x for x in TARGETS if x.key == error.field), None)
    if target is None or "should be" not in error.message:
        return error.message
    reason = TARGET_REASON.format(high=ceiling(target), per=per_words(target))
    return f"{error.message[:1].upper()}{error.message[1:]}. {reason}"


@router.post("/focus/targets")
def save_targets(
    request: Request,
    session: DB,
    user: CurrentUser,
    profile: CurrentProfile,
    moment: Now,
    exercise: Annotated[str, Form(max_length=10)] = "",
    fun: Annotated[str, Form(max_length=10)] = "",
    positive: Annotated[str, Form(max_length=10)] = "",
    look: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    values = {"exercise": exercise, "fun": fun, "positive": positive, "look": look}
    try:
        _set_targets(session, user, dict(values), moment)
    except InputError as error:
        return focus_page(
            request,
            session,
            user,
            profile,
            moment,
            400,
            target_errors={error.field: _with_reason(error)},
            target_values=values,
        )
    return redirect("/focus", "targets_saved")


# ---- JSON API ------------------------------------------------------------------------------


class ActivityIn(BaseModel):
    kind: str = Field(description="One of: " + ", ".join(ACTIVITY_LABELS))
    note: str = Field("", max_length=MAX_NOTE)
    day: date | None = Field(None, description="The local day it happened; default today")


class ActivityOut(BaseModel):
    id: int
    kind: str
    label: str
    track: str | None
    day: date
    note: str
    created_at: datetime


class ActivityLoggedOut(ActivityOut):
    safety: SafetyOut


class ProgressOut(BaseModel):
    key: str
    label: str
    done: int
    target: int
    period_days: int = Field(description="7 (a week) or 14 (a fortnight), today included")
    met: bool


class TargetsIn(BaseModel):
    """Leave out what shouldn't change."""

    exercise: int | None = Field(None, ge=0, le=t.MAX_PER_WEEK, description="a week")
    fun: int | None = Field(None, ge=0, le=t.MAX_PER_WEEK, description="a week")
    positive: int | None = Field(None, ge=0, le=t.MAX_PER_WEEK, description="a week")
    look: int | None = Field(None, ge=0, le=t.MAX_PER_FORTNIGHT, description="a fortnight")


class TargetsOut(BaseModel):
    exercise: int
    fun: int
    positive: int
    look: int
    progress: list[ProgressOut]


def activity_out(row: Activity) -> ActivityOut:
    return ActivityOut(
        id=row.id,
        kind=row.kind,
        label=activity_label(row.kind),
        track=track_of(row.kind),
        day=row.day,
        note=row.note,
        created_at=row.created_at,
    )


def targets_out(session: Session, user: Person, moment: datetime) -> TargetsOut:
    history, _ = standing(session, user, moment)
    profile = history.profile
    today = local_date(moment, profile.timezone)
    return TargetsOut(
        **{target.key: getattr(profile, target.column) for target in TARGETS},
        progress=[
            ProgressOut(
                key=p.key,
                label=p.label,
                done=p.done,
                target=p.wanted,
                period_days=p.period_days,
                met=p.met,
            )
            for p in progress(profile, history.activities, today)
        ],
    )


@api.post(
    "/activities",
    response_model=ActivityLoggedOut,
    status_code=201,
    summary="Log something you did for yourself",
)
def activities_post(
    request: Request, body: ActivityIn, session: DB, user: ApiUser, moment: Now
) -> ActivityLoggedOut:
    row = log_activity(session, user, moment, kind=body.kind, note=body.note, day=body.day)
    found = safety_out(safety_of(request, session, user, row.note))
    return ActivityLoggedOut(**activity_out(row).model_dump(), safety=found)


@api.get(
    "/activities",
    response_model=list[ActivityOut],
    summary="What you did for yourself lately, newest first",
)
def activities_get(
    session: DB,
    user: ApiUser,
    moment: Now,
    days: Annotated[
        int, Query(ge=1, le=RECENT_DAYS, description="How many days back, today included")
    ] = RECENT_DAYS,
) -> list[ActivityOut]:
    history, _ = standing(session, user, moment)
    today = local_date(moment, history.profile.timezone)
    first = today - timedelta(days=days - 1)
    return [activity_out(a) for a in recent(history.activities, today) if a.day >= first]


@api.get("/activities/{activity_id}", response_model=ActivityOut, summary="One activity")
def activity_get(activity_id: int, session: DB, user: ApiUser) -> ActivityOut:
    return activity_out(activity_of(session, user, activity_id))


@api.get("/targets", response_model=TargetsOut, summary="Your targets and how far you are")
def targets_get(session: DB, user: ApiUser, moment: Now) -> TargetsOut:
    return targets_out(session, user, moment)


@api.put("/targets", response_model=TargetsOut, summary="Change your targets")
def targets_put(body: TargetsIn, session: DB, user: ApiUser, moment: Now) -> TargetsOut:
    changes = {key: value for key, value in body.model_dump().items() if value is not None}
    _set_targets(session, user, changes, moment)
    return targets_out(session, user, moment)
