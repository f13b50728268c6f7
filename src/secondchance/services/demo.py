"""A realistic six-week example, built through the same services a person uses.

It feeds ``secondchance demo``, the tests and the web app's "Try the demo" (a private copy
for each visitor). Everything
is placed relative to ``now`` so the example always ends today.
"""

from __future__ import annotations

import secrets
from datetime import datetime, time, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from secondchance.clock import local_date, zone
from secondchance.models import User
from secondchance.services.checkins import CheckInInput, save_checkin
from secondchance.services.contact import log_contact, log_urge, start_no_contact
from secondchance.services.letters import write_letter
from secondchance.services.memories import add_memory
from secondchance.services.people import ProfileInput, save_profile
from secondchance.services.reconnect import take_readiness_check
from secondchance.services.selfcare import log_activity

DEMO_TIMEZONE = "America/New_York"
WEEKS = 6

# Mood by week: a hard start, a dip after the slip, then steadier days.
MOOD_BY_WEEK = (
    (3, 4, 3, 4, 2, 3, 4),
    (4, 4, 5, 4, 5, 5, 5),
    (5, 6, 5, 6, 6, 5, 6),
    (6, 6, 7, 6, 6, 7, 6),
    (7, 6, 7, 7, 7, 8, 7),
    (7, 8, 7, 8, 8, 7, 8),
)
EMOTIONS_BY_WEEK = (
    ("heartbroken", "lonely"),
    ("sad", "restless"),
    ("tired", "hopeful"),
    ("okay", "calm"),
    ("calm", "hopeful"),
    ("content", "confident"),
)
SOCIAL_CHECKS_BY_WEEK = (9, 5, 3, 1, 0, 0)
CRIED_BY_WEEK = (6, 4, 2, 1, 0, 0)  # how many days of that week ended in tears
# (day, hour, intensity, trigger, what was done instead, outcome): fewer and milder over time.
URGES = (
    (1, 22, 9, "Our song came on", "Called my sister", "resisted"),
    (2, 23, 8, "Saw his story", "Wrote a letter", "resisted"),
    (4, 23, 10, "Wine with friends", "", "acted"),
    (9, 21, 6, "Sunday evening", "Went for a run", "resisted"),
    (16, 22, 4, "Payday drinks", "Went home early", "resisted"),
    (27, 21, 3, "His birthday", "Pottery video and bed", "resisted"),
)


def fill_demo(session: Session, user: User, now: datetime) -> None:
    """Fill ``user``'s (empty) history with the six-week example ending at ``now``."""
    tz = zone(DEMO_TIMEZONE)
    today = local_date(now, DEMO_TIMEZONE)
    first_day = today - timedelta(days=WEEKS * 7 - 1)

    def at(day_offset: int, hour: int, minute: int = 0) -> datetime:
        moment = datetime.combine(first_day + timedelta(days=day_offset), time(hour, minute), tz)
        return min(moment, now)

    save_profile(
        session,
        user,
        ProfileInput(
            name="Jordan",
            ex_name="Alex",
            ex_pronouns="he",
            breakup_date=first_day - timedelta(days=3),
            who_ended="ex",
            goal="reconcile",
            country="US",
            timezone=DEMO_TIMEZONE,
            no_contact_target_days=21,
        ),
        at(0, 8),
    )
    start_no_contact(session, user, at(0, 9), started_at=at(0, 9))
    _week_one(session, user, at)
    _checkins(session, user, at)
    _activities(session, user, at)
    _memories(session, user, at)
    take_readiness_check(
        session,
        user,
        at(WEEKS * 7 - 2, 20),
        {
            "see_without_breaking_down": True,
            "okay_without_reply": True,
            "okay_with_new_partner": True,
            "life_you_enjoy": True,
            "keep_it_light": True,
        },
    )


def _week_one(session: Session, user: User, at) -> None:  # type: ignore[no-untyped-def]
    """The hardest week: urges every evening, one slip, a letter instead of a text."""
    for day, hour, intensity, trigger, instead, outcome in URGES:
        log_urge(
            session,
            user,
            at(day, hour),
            intensity=intensity,
            trigger=trigger,
            instead=instead,
            outcome=outcome,
        )
    write_letter(
        session,
        user,
        at(2, 23, 30),
        title="What I wanted to text",
        body="I keep replaying the last night at the lake. I'm writing it here instead of to you.",
    )
    log_contact(
        session,
        user,
        at(4, 23, 40),
        direction="you_to_ex",
        channel="text",
        note="Sent 'I miss you' after a few drinks. He didn't reply.",
        at=at(4, 23, 40),
    )
    log_contact(
        session,
        user,
        at(12, 19),
        direction="ex_to_you",
        channel="social_media",
        answered=False,
        note="He liked my photo. I left it.",
        at=at(12, 19),
    )
    write_letter(
        session,
        user,
        at(20, 21),
        title="To read in a month",
        body="Look how far you've come.",
        sealed_until=local_date(at(20, 21), DEMO_TIMEZONE) + timedelta(days=30),
    )


def _checkins(session: Session, user: User, at) -> None:  # type: ignore[no-untyped-def]
    skipped = {3, 10, 17}  # real people miss a day now and then
    for week in range(WEEKS):
        for weekday in range(7):
            offset = week * 7 + weekday
            if offset in skipped:
                continue
            save_checkin(
                session,
                user,
                CheckInInput(
                    mood=MOOD_BY_WEEK[week][weekday],
                    emotions=EMOTIONS_BY_WEEK[week],
                    cried=weekday < CRIED_BY_WEEK[week],
                    social_checks=SOCIAL_CHECKS_BY_WEEK[week],
                    slept_well=week >= 2 or weekday % 2 == 0,
                    note="Better day than yesterday." if week >= 3 and weekday == 5 else "",
                ),
                at(offset, 21),
            )


def _activities(session: Session, user: User, at) -> None:  # type: ignore[no-untyped-def]
    for week in range(1, WEEKS):
        base = week * 7
        for weekday in (0, 2, 4):
            log_activity(session, user, at(base + weekday, 7), kind="exercise", note="Gym")
        for weekday in (0, 1, 3, 5, 6):
            log_activity(session, user, at(base + weekday, 22), kind="gratitude")
        log_activity(session, user, at(base + 5, 20), kind="going_out", note="Dinner with Priya")
    log_activity(session, user, at(15, 13), kind="hair", note="Shorter, lighter")
    log_activity(session, user, at(29, 15), kind="outfit", note="The green jacket")
    log_activity(session, user, at(33, 11), kind="something_new", note="Pottery class")
    log_activity(session, user, at(36, 20), kind="reframe", note="He left ≠ I'm unlovable")


def _memories(session: Session, user: User, at) -> None:  # type: ignore[no-untyped-def]
    add_memory(
        session,
        user,
        at(25, 20),
        kind="inside_joke",
        title="The goat at Sam's wedding",
        body="A goat ate the seating chart and we ended up at the kids' table.",
        tags=["goat", "wedding", "sam"],
    )
    add_memory(
        session,
        user,
        at(26, 20),
        title="Lost in Lisbon",
        body="Three hours looking for the famous custard tarts; found them at the airport.",
        tags=["lisbon", "custard tarts", "travel"],
    )
    add_memory(
        session,
        user,
        at(30, 20),
        title="Pancake Sundays",
        body="His pancakes shaped like the states; Florida never worked.",
        tags=["pancakes", "sunday"],
    )


# A private copy lives a day: long enough to look around, short enough that the server
# doesn't fill up with copies.
DEMO_LIFETIME = timedelta(days=1)
# Copies one address may start a day: plenty for a person, a wall for a script.
DEMO_COPIES_PER_ADDRESS = 20


def start_private_demo(session: Session, address: str, now: datetime) -> User:
    """Make a fresh, private copy of the six-week example for one visitor; returns its user.

    Each visitor gets their own copy rather than sharing one account, so nothing one visitor
    writes is seen by the next (a shared account, even reset daily, would show strangers
    each other's words for the rest of the day). The copy has no password and is deleted
    after DEMO_LIFETIME. Expired copies are swept here, so no separate job is needed.
    Raises Throttled when one address starts too many copies in a day.
    """
    from secondchance.models import LoginFailure
    from secondchance.services.accounts import Throttled

    delete_expired_demos(session, now)
    key = f"demo:{address}"  # counted with the sign-in throttle's rows, by address only
    started = session.scalar(
        select(func.count()).where(LoginFailure.key == key, LoginFailure.at > now - DEMO_LIFETIME)
    )
    if (started or 0) >= DEMO_COPIES_PER_ADDRESS:
        raise Throttled(int(DEMO_LIFETIME.total_seconds()))
    session.add(LoginFailure(key=key, at=now))
    user = User(
        username=f"demo-{secrets.token_hex(6)}",
        password_hash=None,
        created_at=now,
        demo_until=now + DEMO_LIFETIME,
    )
    session.add(user)
    session.flush()
    fill_demo(session, user, now)
    return user


def delete_expired_demos(session: Session, now: datetime) -> int:
    """Delete every private demo copy past its day (with all its rows); returns how many."""
    expired = select(User.id).where(User.demo_until.is_not(None), User.demo_until <= now)
    result = session.execute(delete(User).where(User.id.in_(expired)))
    session.flush()
    return result.rowcount or 0


def fill_demo_account(session: Session, username: str, password: str, now: datetime) -> User:
    """Create (or refill) a web account holding the six-week example, ending at ``now``."""
    from secondchance.services.accounts import hash_password
    from secondchance.services.data import delete_history
    from secondchance.services.people import find_user

    user = find_user(session, username)
    if user is None:
        user = User(username=username, password_hash=hash_password(password), created_at=now)
        session.add(user)
        session.flush()
    else:
        user.password_hash = hash_password(password)
        delete_history(session, user)
    fill_demo(session, user, now)
    return user
