"""Reminder settings, the next reminder, and who is due one now.

The rule itself is ``program.reminders.plan``; this module maps rows to its plain settings,
keeps the log of days sent (one row per person per local day: its unique key is what makes a
reminder come once, whoever sends it) and the lease that lets one process send at a time.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from secondchance.clock import local_date
from secondchance.models import (
    CheckIn,
    Lease,
    Profile,
    PushSubscription,
    ReminderSent,
    ReminderSetting,
    User,
)
from secondchance.program.reminders import (
    DEFAULT_TIME,
    Reminder,
    ReminderSettings,
    parse_hhmm,
    plan,
)
from secondchance.services import push, safety_state
from secondchance.services.errors import InputError
from secondchance.services.people import profile_of

# What the notification says. Plain and private: it shows on a lock screen, so it never
# names the ex or the program.
MESSAGE = {
    "title": "secondchance",
    "body": "A minute for yourself? Today's check-in is waiting.",
    "url": "/checkin",
    "tag": "checkin",
}
SENDER_LEASE = "reminders"


def settings_row(session: Session, user: User) -> ReminderSetting | None:
    return session.get(ReminderSetting, user.id)


def _row_for_writing(session: Session, user: User, now: datetime) -> ReminderSetting:
    row = settings_row(session, user)
    if row is None:
        row = ReminderSetting(
            user_id=user.id,
            push_on=False,
            calendar_on=False,
            at=DEFAULT_TIME.strftime("%H:%M"),
            even_in_protection=False,
            created_at=now,
            updated_at=now,
        )
        session.add(row)
    return row


@dataclass
class ReminderInput:
    """The Settings form. Times are "HH:MM"; empty quiet hours mean none."""

    push_on: bool
    calendar_on: bool
    at: str
    quiet_start: str = ""
    quiet_end: str = ""
    even_in_protection: bool = False


def _time(field: str, value: str, *, optional: bool = False) -> str | None:
    if optional and not value.strip():
        return None
    try:
        return parse_hhmm(value).strftime("%H:%M")
    except ValueError:
        raise InputError(field, "choose a time like 20:30") from None


def save_settings(
    session: Session, user: User, form: ReminderInput, now: datetime
) -> ReminderSetting:
    """Save the reminder settings; a calendar switched on gets its secret link.

    Raises InputError for a time that isn't HH:MM, or quiet hours with only one end.
    """
    at = _time("at", form.at)
    start = _time("quiet_start", form.quiet_start, optional=True)
    end = _time("quiet_end", form.quiet_end, optional=True)
    if (start is None) != (end is None):
        missing = "quiet_end" if end is None else "quiet_start"
        raise InputError(missing, "give quiet hours both a start and an end, or neither")
    row = _row_for_writing(session, user, now)
    row.push_on, row.calendar_on = form.push_on, form.calendar_on
    row.at, row.quiet_start, row.quiet_end = at or "20:00", start, end
    row.even_in_protection = form.even_in_protection
    if row.calendar_on and row.calendar_secret is None:
        row.calendar_secret = secrets.token_urlsafe(24)
    row.updated_at = now
    session.flush()
    return row


def turn_on_push(session: Session, user: User, now: datetime) -> None:
    """A browser just subscribed: reminders by push are on (the time stays as chosen)."""
    row = _row_for_writing(session, user, now)
    row.push_on, row.updated_at = True, now


def new_calendar_link(session: Session, user: User, now: datetime) -> str:
    """Make a new secret for the calendar feed (the old link stops working); returns it."""
    row = _row_for_writing(session, user, now)
    row.calendar_secret = secrets.token_urlsafe(24)
    row.calendar_on, row.updated_at = True, now
    session.flush()
    return row.calendar_secret


def rule_settings(row: ReminderSetting | None, tz: str, protection: bool) -> ReminderSettings:
    """The plain settings the rule reads (defaults, switched off, when nothing is saved)."""
    if row is None:
        return ReminderSettings(enabled=False, at=DEFAULT_TIME, timezone=tz, protection=protection)
    return ReminderSettings(
        enabled=row.push_on,
        at=parse_hhmm(row.at),
        timezone=tz,
        quiet_start=parse_hhmm(row.quiet_start) if row.quiet_start else None,
        quiet_end=parse_hhmm(row.quiet_end) if row.quiet_end else None,
        protection=protection,
        even_in_protection=row.even_in_protection,
    )


def _logged(session: Session, user_id: int, day: date) -> bool:
    query = select(CheckIn.id).where(CheckIn.user_id == user_id, CheckIn.day == day)
    return session.scalar(query.limit(1)) is not None


def _last_sent(session: Session, user_id: int) -> date | None:
    return session.scalar(select(func.max(ReminderSent.day)).where(ReminderSent.user_id == user_id))


def _plan_for(
    session: Session, user: User, profile: Profile, row: ReminderSetting | None, now: datetime
) -> Reminder:
    protection = safety_state.current(session, user, now).abuse
    settings = rule_settings(row, profile.timezone, protection)
    today = local_date(now, profile.timezone)
    return plan(
        settings,
        now,
        logged_today=_logged(session, user.id, today),
        last_sent=_last_sent(session, user.id),
    )


def next_reminder(session: Session, user: User, now: datetime) -> Reminder:
    """What the rule says for ``user`` at ``now`` (for Settings: "next reminder ...")."""
    return _plan_for(session, user, profile_of(session, user), settings_row(session, user), now)


@dataclass(frozen=True)
class Claimed:
    """A reminder claimed for one person's local day, and the browsers to send it to."""

    user_id: int
    day: date
    targets: tuple[push.Target, ...]


def due_now(session: Session, now: datetime) -> list[tuple[int, date]]:
    """Return ``(user_id, local day)`` for everyone due a reminder at ``now``. Only reads, so
    the caller can run it without holding the write lock while it asks about each person."""
    query = (
        select(ReminderSetting, Profile, User)
        .join(Profile, Profile.user_id == ReminderSetting.user_id)
        .join(User, User.id == ReminderSetting.user_id)
        .where(ReminderSetting.push_on.is_(True))
        .where(
            select(PushSubscription.id)
            .where(PushSubscription.user_id == ReminderSetting.user_id)
            .exists()
        )
    )
    return [
        (user.id, local_date(now, profile.timezone))
        for row, profile, user in session.execute(query).all()
        if _plan_for(session, user, profile, row, now).due
    ]


def claim(session: Session, due: list[tuple[int, date]], now: datetime) -> list[Claimed]:
    """Log each ``(user_id, day)`` of ``due`` as sent and return whom to send to.

    The log row is written before anything is sent, and its unique key refuses a second one,
    so a day is claimed once even when two senders overlap; the caller commits, then sends.
    A reminder that then fails to go is not retried that day: once at most, never twice. A
    day logged in the moment since ``due_now`` looked is left alone.
    """
    claimed: list[Claimed] = []
    for user_id, day in due:
        if _logged(session, user_id, day):
            continue
        try:
            with session.begin_nested():
                session.add(ReminderSent(user_id=user_id, day=day, sent_at=now))
        except IntegrityError:
            continue  # another sender claimed this day first
        rows = session.scalars(select(PushSubscription).where(PushSubscription.user_id == user_id))
        claimed.append(Claimed(user_id, day, tuple(push.target(r) for r in rows)))
    return claimed


def claim_due(session: Session, now: datetime) -> list[Claimed]:
    """``due_now`` and ``claim`` in one transaction (see both)."""
    return claim(session, due_now(session, now), now)


def claim_lease(
    session: Session, holder: str, now: datetime, seconds: int, name: str = SENDER_LEASE
) -> bool:
    """Hold the job ``name`` for ``seconds`` unless another holder has it; True if we do.

    The row is locked for the rest of the transaction (PostgreSQL ``FOR UPDATE``; SQLite's
    ``BEGIN IMMEDIATE`` already lets one writer in), so two claims take turns.
    """
    row = session.get(Lease, name, with_for_update=True)
    until = now + timedelta(seconds=seconds)
    if row is None:
        try:
            with session.begin_nested():
                session.add(Lease(name=name, holder=holder, until=until))
        except IntegrityError:
            return False  # claimed a moment ago by someone else
        return True
    if row.holder != holder and row.until > now:
        return False
    row.holder, row.until = holder, until
    return True


def release_lease(session: Session, holder: str, name: str = SENDER_LEASE) -> None:
    row = session.get(Lease, name, with_for_update=True)
    if row is not None and row.holder == holder:
        session.delete(row)


@dataclass(frozen=True)
class Overview:
    """What Settings shows about reminders: the choices, the devices, and the next one."""

    push_on: bool
    calendar_on: bool
    at: str
    quiet_start: str
    quiet_end: str
    even_in_protection: bool
    calendar_secret: str | None
    devices: int
    protection: bool
    logged_today: bool
    timezone: str
    next: Reminder
    public_key: str | None


def overview(session: Session, user: User, now: datetime) -> Overview:
    """Return the reminder settings (defaults when none are saved) and the rule's answer."""
    profile = profile_of(session, user)
    row = settings_row(session, user)
    protection = safety_state.current(session, user, now).abuse
    today = local_date(now, profile.timezone)
    logged = _logged(session, user.id, today)
    found = plan(
        rule_settings(row, profile.timezone, protection),
        now,
        logged_today=logged,
        last_sent=_last_sent(session, user.id),
    )
    keys = push.vapid_keys(session)
    return Overview(
        push_on=bool(row and row.push_on),
        calendar_on=bool(row and row.calendar_on),
        at=row.at if row else DEFAULT_TIME.strftime("%H:%M"),
        quiet_start=(row.quiet_start or "") if row else "",
        quiet_end=(row.quiet_end or "") if row else "",
        even_in_protection=bool(row and row.even_in_protection),
        calendar_secret=row.calendar_secret if row and row.calendar_on else None,
        devices=push.device_count(session, user),
        protection=protection,
        logged_today=logged,
        timezone=profile.timezone,
        next=found,
        public_key=keys.public_key if keys else None,
    )


def when(moment: datetime, now: datetime, tz: str) -> str:
    """ "today at 20:00", "tomorrow at 07:30" or "Friday 20 November at 20:00", in ``tz``."""
    zone = ZoneInfo(tz)
    local, today = moment.astimezone(zone), now.astimezone(zone).date()
    clock = local.strftime("%H:%M")
    if local.date() == today:
        return f"today at {clock}"
    if local.date() == today + timedelta(days=1):
        return f"tomorrow at {clock}"
    return f"{local.strftime('%A')} {local.day} {local.strftime('%B')} at {clock}"


def next_words(view: Overview, now: datetime) -> str:
    """One or two kind sentences on when the next reminder comes, or why none will."""
    found = view.next
    if found.why == "off":
        return "Reminders on your devices are off."
    if found.why == "protection":
        return (
            "While protection is on, reminders stay silent, so nothing on your screen draws "
            "attention. If you'd like them anyway, tick the box below."
        )
    if found.why == "quiet":
        return (
            f"{view.at} is inside your quiet hours, so no reminder would come. Choose another "
            "time, or change your quiet hours."
        )
    assert found.next_at is not None
    if found.due:
        words = "Your next reminder: now, unless you check in first."
    else:
        words = f"Your next reminder: {when(found.next_at, now, view.timezone)}"
        words += ", only if you haven't checked in by then."
    if view.logged_today:
        words = "You've checked in today, so nothing more today. " + words
    if not view.devices:
        words += " No device is set to receive it yet: allow reminders on this device below."
    return words
