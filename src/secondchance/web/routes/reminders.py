"""Reminders in Settings (the time, quiet hours, push and calendar on or off, a new calendar
link, forgetting devices) and the JSON routes the page's script subscribes a browser with."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from secondchance.services import push, reminders
from secondchance.services.errors import InputError
from secondchance.services.people import profile_of
from secondchance.web.deps import DB, ApiUser, CurrentUser, Now, csrf_protect
from secondchance.web.routes.settings import MaybeProfile, _form_error
from secondchance.web.templating import redirect

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
api = APIRouter(tags=["reminders"])

Checkbox = Annotated[str, Form(max_length=10)]
Clock = Annotated[str, Form(max_length=10)]


@router.post("/settings/reminders")
def save_reminders(
    request: Request,
    session: DB,
    user: CurrentUser,
    profile: MaybeProfile,
    moment: Now,
    at: Clock = "",
    quiet_start: Clock = "",
    quiet_end: Clock = "",
    push_on: Checkbox = "",
    calendar_on: Checkbox = "",
    even_in_protection: Checkbox = "",
) -> Response:
    if profile is None:
        return redirect("/welcome")
    form = reminders.ReminderInput(
        push_on=bool(push_on),
        calendar_on=bool(calendar_on),
        at=at,
        quiet_start=quiet_start,
        quiet_end=quiet_end,
        even_in_protection=bool(even_in_protection),
    )
    try:
        reminders.save_settings(session, user, form, moment)
    except InputError as error:
        values = {
            "reminder_at": at,
            "quiet_start": quiet_start,
            "quiet_end": quiet_end,
        }
        named = InputError("reminder_at" if error.field == "at" else error.field, error.message)
        return _form_error(request, session, user, profile, named, values)
    return redirect("/settings#reminders", "reminders_saved")


@router.post("/settings/reminders/calendar-link")
def new_calendar_link(
    session: DB, user: CurrentUser, profile: MaybeProfile, moment: Now
) -> Response:
    if profile is None:
        return redirect("/welcome")
    reminders.new_calendar_link(session, user, moment)
    return redirect("/settings#calendar", "calendar_link_new")


@router.post("/settings/reminders/devices/forget")
def forget_devices(session: DB, user: CurrentUser) -> Response:
    push.unsubscribe(session, user)
    return redirect("/settings#reminders", "devices_forgotten")


# --- JSON API ---


class PushKeys(BaseModel):
    p256dh: str = Field(max_length=200, description="The browser's P-256 key, base64url")
    auth: str = Field(max_length=100, description="The browser's 16-byte auth secret, base64url")


class SubscriptionIn(BaseModel):
    """What ``PushSubscription.toJSON()`` gives in the browser."""

    endpoint: str = Field(max_length=1000, description="The push service's address")
    keys: PushKeys


class SubscriptionOut(BaseModel):
    devices: int = Field(description="How many of your browsers receive reminders")


class PushKeyOut(BaseModel):
    public_key: str = Field(description="The server's VAPID key: the applicationServerKey")


class ReminderOut(BaseModel):
    push_on: bool
    calendar_on: bool
    at: str = Field(description="Your reminder time, HH:MM in your time zone")
    quiet_start: str | None
    quiet_end: str | None
    even_in_protection: bool
    devices: int
    next_at: str | None = Field(description="When the next reminder would come (UTC), or null")
    why: str = Field(description="due, later, off, protection or quiet")
    calendar_url: str | None = Field(description="Your private calendar feed, when it is on")


@api.get("/push/key", response_model=PushKeyOut, summary="The server's key for web push")
def push_key(session: DB, user: ApiUser) -> PushKeyOut:
    keys = push.vapid_keys(session)
    if keys is None:  # made when the app starts; only a database emptied under it lacks them
        raise InputError("push", "web push isn't ready on this server yet")
    return PushKeyOut(public_key=keys.public_key)


@api.post(
    "/push/subscriptions",
    response_model=SubscriptionOut,
    status_code=201,
    summary="Receive reminders in this browser (turns reminders by push on)",
)
def subscribe_api(
    request: Request, body: SubscriptionIn, session: DB, user: ApiUser, moment: Now
) -> SubscriptionOut:
    profile_of(session, user)  # reminders need the person's time zone
    allowed = push.services_for(request.app.state.settings.push_hosts)
    push.subscribe(session, user, body.endpoint, body.keys.p256dh, body.keys.auth, moment, allowed)
    reminders.turn_on_push(session, user, moment)
    return SubscriptionOut(devices=push.device_count(session, user))


class ReminderIn(BaseModel):
    push_on: bool = Field(description="Send reminders to your subscribed browsers")
    calendar_on: bool = Field(description="Keep the private calendar feed")
    at: str = Field(max_length=10, description="Your reminder time, HH:MM in your time zone")
    quiet_start: str | None = Field(None, max_length=10, description="Quiet from HH:MM")
    quiet_end: str | None = Field(None, max_length=10, description="Quiet until HH:MM")
    even_in_protection: bool = Field(False, description="Remind even while protection is on")


def _reminder_out(request: Request, view: reminders.Overview) -> ReminderOut:
    secret = view.calendar_secret
    return ReminderOut(
        push_on=view.push_on,
        calendar_on=view.calendar_on,
        at=view.at,
        quiet_start=view.quiet_start or None,
        quiet_end=view.quiet_end or None,
        even_in_protection=view.even_in_protection,
        devices=view.devices,
        next_at=view.next.next_at.isoformat() if view.next.next_at else None,
        why=view.next.why,
        calendar_url=f"{request.base_url}calendar/{secret}.ics" if secret else None,
    )


@api.get("/reminders", response_model=ReminderOut, summary="Your reminder settings and the next")
def reminders_api(request: Request, session: DB, user: ApiUser, moment: Now) -> ReminderOut:
    return _reminder_out(request, reminders.overview(session, user, moment))


@api.put("/reminders", response_model=ReminderOut, summary="Change your reminder settings")
def save_reminders_api(
    request: Request, body: ReminderIn, session: DB, user: ApiUser, moment: Now
) -> ReminderOut:
    form = reminders.ReminderInput(
        push_on=body.push_on,
        calendar_on=body.calendar_on,
        at=body.at,
        quiet_start=body.quiet_start or "",
        quiet_end=body.quiet_end or "",
        even_in_protection=body.even_in_protection,
    )
    profile_of(session, user)  # a reminder time means nothing without the person's time zone
    reminders.save_settings(session, user, form, moment)
    return _reminder_out(request, reminders.overview(session, user, moment))


@api.post(
    "/reminders/calendar-link",
    response_model=ReminderOut,
    summary="Make a new calendar link (the old one stops working) and turn the feed on",
)
def new_calendar_link_api(request: Request, session: DB, user: ApiUser, moment: Now) -> ReminderOut:
    profile_of(session, user)
    reminders.new_calendar_link(session, user, moment)
    return _reminder_out(request, reminders.overview(session, user, moment))
