"""The private calendar feed: the daily check-in and the end of no contact, as iCalendar.

For people who would rather have their calendar remind them than a notification. The feed's
address holds a random secret (``ReminderSetting.calendar_secret``) instead of a sign-in, since
calendar apps can't sign in; a wrong or old secret is simply not found.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event
from sqlalchemy import select
from sqlalchemy.orm import Session

from secondchance.models import ReminderSetting, User
from secondchance.program.reminders import parse_hhmm
from secondchance.services import safety_state
from secondchance.services.errors import NoProfile, NotFound
from secondchance.services.people import profile_of
from secondchance.services.status import current_status

CHECKIN_MINUTES = 10


def _row_for(session: Session, secret: str) -> ReminderSetting:
    if not secret or len(secret) > 64:
        raise NotFound("no such calendar")
    row = session.scalar(select(ReminderSetting).where(ReminderSetting.calendar_secret == secret))
    # The lookup found it by the secret; compare again in constant time all the same.
    if row is None or not row.calendar_on or not hmac.compare_digest(row.calendar_secret, secret):
        raise NotFound("no such calendar")
    return row


def feed(session: Session, secret: str, now: datetime, base_url: str) -> bytes:
    """Return the feed for the person whose calendar secret is ``secret``, as .ics bytes.

    Holds a daily check-in at their chosen time in their time zone (left out while protection
    is on, unless they asked for reminders anyway) and, during no contact, an all-day event on
    the day they reach their target. Raises NotFound for a wrong secret or a calendar switched
    off. ``base_url`` (e.g. "https://example.org/") makes the link to the check-in.
    """
    row = _row_for(session, secret)
    user = session.get(User, row.user_id)
    assert user is not None
    try:
        profile = profile_of(session, user)
    except NoProfile:
        raise NotFound("no such calendar") from None
    tz = ZoneInfo(profile.timezone)
    uid = hashlib.sha256(secret.encode()).hexdigest()[:20]
    link = base_url.rstrip("/") + "/checkin"

    cal = Calendar()
    cal.add("prodid", "-//secondchance//reminders//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "secondchance")
    cal.add("x-wr-timezone", profile.timezone)
    protection = safety_state.current(session, user, now).abuse
    if not protection or row.even_in_protection:
        cal.add_component(_checkin_event(row, tz, uid, link, now))
    status = current_status(session, user, now)
    started = status.streaks.started_on
    if started is not None and not status.protection and status.phase != "not_started":
        left = max(status.target_days - status.streaks.current, 0)
        day = status.today + timedelta(days=left)
        event = Event()
        event.add("uid", f"no-contact-{started.isoformat()}-{uid}@secondchance")
        event.add("dtstamp", now)
        event.add("summary", f"Day {status.target_days} of no contact")
        event.add(
            "description",
            "The day you reach the no-contact days you set yourself. Be proud of it.",
        )
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()


def _checkin_event(row: ReminderSetting, tz: ZoneInfo, uid: str, link: str, now: datetime) -> Event:
    first_day = row.created_at.astimezone(tz).date()
    start = datetime.combine(first_day, parse_hhmm(row.at), tzinfo=tz)
    event = Event()
    event.add("uid", f"checkin-{uid}@secondchance")
    event.add("dtstamp", now)
    event.add("summary", "Check in with yourself")
    event.add("description", f"A minute for yourself: how was today? {link}")
    event.add("url", link)
    event.add("dtstart", start)
    event.add("duration", timedelta(minutes=CHECKIN_MINUTES))
    event.add("rrule", {"freq": "daily"})
    event.add("transp", "TRANSPARENT")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", "Time to check in with yourself")
    alarm.add("trigger", timedelta(0))
    event.add_component(alarm)
    return event
