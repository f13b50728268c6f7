"""Answers to what was just logged: a reply that uses what the entry says. Pure.

A check-in, an urge, a contact or a conversation gets one small ``Reply``: a title, a few kind
words about what was logged, one thing to try now, and where to read more. The rules read plain
frozen dataclasses (built by ``services/replies.py``), never database rows, and take no clock:
every moment they need is in the entry.

When the person's words have shown abuse (``Person.protection``), nothing here coaches contact
or a return: a slip gets safety-aware words and the Help page instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import fmean
from typing import Any

from secondchance.clock import zone
from secondchance.program import thresholds as t
from secondchance.program.steps import words_for

CHANNEL_WORDS = {
    "text": "a text",
    "call": "a call",
    "social_media": "social media",
    "in_person": "in person",
    "other": "another way",
}


@dataclass(frozen=True)
class Link:
    href: str
    label: str

    def to_dict(self) -> dict[str, str]:
        return {"href": self.href, "label": self.label}


CRYING_LESSON = Link("/lessons/crying-spiral", "Read: out of the crying spiral")
SOCIAL_LESSON = Link("/lessons/social-media", "Read: social media, for now")
WEAK_MOMENTS_LESSON = Link("/lessons/weak-moments", "Read: a plan for weak moments")
SLIPS_LESSON = Link("/lessons/slips", "Read: after a slip")
SELF_CARE_LESSON = Link("/lessons/self-care", "Read: looking after yourself")
HELP_PAGE = Link("/help", "Someone to talk to: the Help page")


@dataclass(frozen=True)
class Reply:
    """What the product says back: ``kind`` names the rule that chose it (for tests and the
    API), ``links`` the lesson first and sometimes the Help page after it."""

    kind: str
    title: str
    text: str
    try_now: str
    links: tuple[Link, ...] = ()

    @property
    def link(self) -> Link | None:
        """The main place to read more, or None."""
        return self.links[0] if self.links else None

    def to_dict(self) -> dict[str, Any]:
        """Return ``{"kind", "title", "text", "try_now", "link" (href or null), "links"}``."""
        return {
            "kind": self.kind,
            "title": self.title,
            "text": self.text,
            "try_now": self.try_now,
            "link": self.link.href if self.link else None,
            "links": [link.to_dict() for link in self.links],
        }


@dataclass(frozen=True)
class Person:
    """Who the reply is for: the ex's name and pronouns, their time zone, and whether their
    words have shown abuse (protection: no coaching of contact, ever)."""

    ex_name: str
    pronouns: str
    timezone: str
    protection: bool = False

    @property
    def words(self) -> dict[str, str]:
        return words_for(self.ex_name, self.pronouns)


@dataclass(frozen=True)
class DaySeen:
    """One check-in from the last two weeks, as far as the replies look at it."""

    day: date
    mood: int
    cried: bool


@dataclass(frozen=True)
class CheckInEntry:
    day: date
    mood: int
    emotions: tuple[str, ...] = ()
    cried: bool = False
    social_checks: int = 0
    slept_well: bool = True


@dataclass(frozen=True)
class ContactEntry:
    """A logged contact, with what it did to the running period's streaks (in days)."""

    at: datetime
    direction: str
    channel: str
    answered: bool | None
    counts_as_slip: bool
    longest_run: int = 0
    total_days: int = 0


@dataclass(frozen=True)
class UrgeEntry:
    at: datetime
    intensity: int
    outcome: str  # resisted or acted
    trigger: str = ""


@dataclass(frozen=True)
class ConversationEntry:
    started_by: str  # you or ex
    messages: int
    ex_replied: bool = True
    ended_by: str | None = None
    relationship_talk: bool = False


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def _a(number: int) -> str:
    """Return "a 3" or "an 8", as the number is said."""
    spoken = str(number)
    return f"an {number}" if spoken.startswith("8") or spoken in {"11", "18"} else f"a {number}"


def _listed(words: Sequence[str]) -> str:
    """Return "a", "a and b", "a, b and c"."""
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


# --------------------------------------------------------------------------- check-ins


def _with_entry(entry: CheckInEntry, earlier: Iterable[DaySeen]) -> dict[date, DaySeen]:
    """Return each day's check-in, the entry replacing any earlier one for its day."""
    days = {d.day: d for d in earlier}
    days[entry.day] = DaySeen(entry.day, entry.mood, entry.cried)
    return days


def crying_run(days: dict[date, DaySeen], last: date) -> int:
    """Return how many local days running, ending on ``last``, were check-ins with tears.

    A day with no check-in ends the run: nothing logged is not the same as tears.
    """
    run = 0
    day = last
    while day in days and days[day].cried:
        run += 1
        day -= timedelta(days=1)
    return run


def low_week(days: dict[date, DaySeen], last: date) -> bool:
    """Return True when the 7 local days ending ``last`` read as low.

    Low means at least LOW_MOOD_MIN_CHECKINS check-ins, and either their average at or below
    LOW_MOOD_MAX or most of them (more than half) at or below it.
    """
    first = last - timedelta(days=t.WINDOW_DAYS - 1)
    moods = [d.mood for d in days.values() if first <= d.day <= last]
    if len(moods) < t.LOW_MOOD_MIN_CHECKINS:
        return False
    low_days = sum(1 for m in moods if m <= t.LOW_MOOD_MAX)
    return fmean(moods) <= t.LOW_MOOD_MAX or 2 * low_days > len(moods)


def reply_to_checkin(entry: CheckInEntry, earlier: Iterable[DaySeen], person: Person) -> Reply:
    """Return the reply to a check-in, from it and the check-ins of the two weeks before.

    Most pressing first: a second low week in a row (self-care, and the Help page offered),
    tears three days running, a low week, profile checks above the aim; otherwise a short
    acknowledgement that names what was logged. A steady day (mood at or above the step-2
    average) is never answered as part of a low week.
    """
    w = person.words
    days = _with_entry(entry, earlier)
    steady_today = entry.mood >= t.MOOD_AVERAGE_MIN
    low_now = not steady_today and low_week(days, entry.day)
    if low_now and low_week(days, entry.day - timedelta(days=t.WINDOW_DAYS)):
        return Reply(
            "low_mood_weeks",
            "Two heavy weeks",
            "Your check-ins have been low for two weeks now. That's a long time to carry "
            "something this heavy, and you don't have to carry it on your own. Talking to "
            "someone, a friend, your doctor or a support line, can make it lighter.",
            "Pick one person you could tell how the last two weeks have really been, and send "
            "them a message today.",
            (HELP_PAGE, SELF_CARE_LESSON),
        )
    run = crying_run(days, entry.day)
    looks, looks_link = _also_looks(entry.social_checks, w)
    if run >= t.CRYING_RUN_DAYS:
        return Reply(
            "crying_spiral",
            f"Tears {run} days running",
            "Crying day after day can become a loop: you think of {ex}, the tears come, and "
            "the tears bring back more thoughts of {obj}. That loop is the crying spiral, and "
            "being in it doesn't mean you're failing. It means the evenings need a different "
            "shape for a while.".format(**w)
            + looks,
            "Tonight, write three short lines about your own day that don't mention {ex}, "
            "then leave your phone to charge outside the bedroom.".format(**w),
            (CRYING_LESSON, *looks_link),
        )
    if low_now:
        return Reply(
            "low_mood_week",
            "A low week",
            "Most of this week has been hard going. Low weeks happen after a breakup, and "
            "they pass faster when you look after the basics: food, sleep, daylight, people."
            + looks,
            "Do one kind thing for your body in the next hour: a proper meal, a short walk "
            "outside, or a shower and clean clothes.",
            (SELF_CARE_LESSON, *looks_link),
        )
    if entry.social_checks > t.SOCIAL_CHECKS_PER_DAY_MAX:
        return _social_reply(entry.social_checks, person)
    return _acknowledge_checkin(entry, w)


def _also_looks(checks: int, w: dict[str, str]) -> tuple[str, tuple[Link, ...]]:
    """A sentence (and the lesson) about profile checks above the aim, for a reply about
    something else: the looks often feed the tears and the low days."""
    if checks <= t.SOCIAL_CHECKS_PER_DAY_MAX:
        return "", ()
    return (
        f" And {checks} looks at {w['pos']} profile today: muting {w['obj']} for now would "
        "give your evenings some quiet.",
        (SOCIAL_LESSON,),
    )


def _social_reply(checks: int, person: Person) -> Reply:
    w = person.words
    if person.protection:
        text = (
            "Each look keeps {obj} close when distance is what protects you. Muting or "
            "blocking {obj} for now is a way of looking after your safety and your peace."
        )
    else:
        text = (
            "Each look opens the wound again, and the aim for now is about once a day or less. "
            "Muting or unfollowing {obj} for now isn't a message to anyone: it's a kindness "
            "to yourself, and it can be undone later."
        )
    return Reply(
        "social_checks",
        f"{checks} looks at {w['pos']} profile",
        text.format(**w),
        "Mute {pos} profile now (it takes a few seconds), and move the app off your home "
        "screen.".format(**w),
        (SOCIAL_LESSON,),
    )


def _acknowledge_checkin(entry: CheckInEntry, w: dict[str, str]) -> Reply:
    """A short, warm acknowledgement built from the entry itself."""
    parts = [f"mood {entry.mood} of 10"]
    if entry.emotions:
        parts.append("feeling " + _listed(list(entry.emotions[:3])))
    if entry.social_checks == 0:
        parts.append("no looks at {pos} profile".format(**w))
    parts.append("a good night's sleep" if entry.slept_well else "a rough night")
    said = _listed(parts)
    if entry.mood >= t.MOOD_AVERAGE_MIN:
        title, close = "A steadier day", "Days like this are what calm is made of."
    elif entry.mood > t.LOW_MOOD_MAX:
        title, close = "A middling day", "Middling days count too: you kept showing up."
    else:
        title, close = "A hard day, and you still checked in", "That honesty matters."
    if not entry.slept_well:
        try_now = "Aim for an early night: screens away half an hour before bed."
    elif entry.mood <= t.LOW_MOOD_MAX:
        try_now = "Do one small kind thing for yourself tonight, like a warm bath or a call."
    else:
        try_now = "Before bed, write down one thing from today that went well."
    return Reply("acknowledge", title, f"{said[0].upper()}{said[1:]}. {close}", try_now)


# --------------------------------------------------------------------------- urges


def is_late(at: datetime, tz: str) -> bool:
    """Return True when ``at`` falls from 22:00 to 04:59 in the person's time zone."""
    hour = at.astimezone(zone(tz)).hour
    return hour >= t.LATE_NIGHT_FROM_HOUR or hour < t.LATE_NIGHT_UNTIL_HOUR


def reply_to_urge(entry: UrgeEntry, person: Person) -> Reply:
    """Return the reply to a logged urge: the weak-moment plan late at night, else words
    about riding it out (or, when it was acted on, about what to do next)."""
    w = person.words
    local = entry.at.astimezone(zone(person.timezone))
    if is_late(entry.at, person.timezone):
        if entry.outcome == "acted":
            opening = (
                f"It was {local:%H:%M}, and late nights are when urges hit hardest. You "
                "reached out, and that's okay: it's logged, and tomorrow starts fresh."
            )
        else:
            opening = (
                f"It was {local:%H:%M}, and late nights are when urges hit hardest: tired, "
                "alone, phone in hand. You got through this one."
            )
        return Reply(
            "late_urge",
            "A late-night urge",
            opening + " For the rest of tonight, a simple plan: phone away, lights low, "
            "and the words on paper instead of in a message.",
            "Put your phone on charge in another room now, and if words are still pressing, "
            "write them in a letter you keep.",
            (WEAK_MOMENTS_LESSON,),
        )
    trigger = entry.trigger.strip()
    set_off = f", set off by \u201c{trigger[:80]}\u201d" if trigger else ""
    if entry.outcome == "acted":
        if person.protection:
            return Reply(
                "urge_acted_safety",
                "Logged, and you're not in trouble",
                "If you were in touch with {ex}, what matters most now is that you're safe. "
                "You don't have to explain anything here.".format(**w),
                "If you feel unsafe, call someone you trust or one of the help lines.",
                (HELP_PAGE,),
            )
        return Reply(
            "urge_acted",
            "Logged, gently",
            f"This one was {_a(entry.intensity)} out of 10{set_off}, and it won this time. That "
            "happens; it's data, not failure. If you were in touch, log it as contact too, "
            "so your streaks stay true.",
            "Write one line about what led up to it, so you can spot the next one early.",
            (WEAK_MOMENTS_LESSON,),
        )
    return Reply(
        "urge_resisted",
        "You rode it out",
        f"This one was {_a(entry.intensity)} out of 10{set_off}, and you stayed with yourself. "
        "Each urge you ride out shows you the next one will pass too.",
        "Do one small thing for yourself in the next ten minutes: water, a walk round the "
        "block, or a message to a friend.",
    )


# --------------------------------------------------------------------------- contact


def reply_to_contact(entry: ContactEntry, person: Person) -> Reply:
    """Return the reply to logged contact.

    A slip gets kind words, the longest run kept (said as a number) and what to do next; in
    protection, words about safety instead, and never anything about getting back together.
    Letting a message be gets its due; anything else is acknowledged plainly.
    """
    w = person.words
    how = CHANNEL_WORDS.get(entry.channel, "another way")
    longest = entry.longest_run
    if entry.counts_as_slip:
        if person.protection:
            kept = (
                f" Your longest stretch of distance, {_days(longest)}, is still yours."
                if (longest)
                else ""
            )
            return Reply(
                "slip_protection",
                "Logged, and you're not in trouble",
                "Contact with someone who has hurt you can happen for many reasons, and you "
                "don't owe anyone an explanation. What matters now is that you're safe." + kept,
                "If you feel unsafe, call someone you trust or one of the help lines; if you "
                "have a safety plan, look at it tonight.",
                (HELP_PAGE,),
            )
        if longest:
            kept = (
                f"Your longest run, {_days(longest)} without contact, is still yours: nothing "
                f"takes that away, and all {entry.total_days} contact-free "
                f"day{'' if entry.total_days == 1 else 's'} still count."
            )
        else:
            kept = "Every contact-free day from here counts."
        return Reply(
            "slip",
            "A slip is data, not failure",
            f"You logged contact by {how}, and that took honesty. {kept} The streak starts "
            "again from today, and so can you.",
            "Write one line about what led up to it (the time, the feeling, the trigger), then "
            "mute {pos} chat so the next moment has a pause in it.".format(**w),
            (SLIPS_LESSON,),
        )
    if entry.direction == "ex_to_you" and entry.answered is False:
        title = "You let it be. Your streak holds."
        if person.protection:
            title = "You kept your distance"
            text = (
                "{ex} reached out by {how} and you kept your distance. That is looking after "
                "your safety, and it counts."
            )
        else:
            text = (
                "{ex} reached out by {how} and you let it be. That took strength, and your "
                "streak holds."
            )
        return Reply(
            "let_be",
            title,
            text.format(how=how, **w),
            "If it stirred things up, write what you'd have said in a letter you keep.",
        )
    return Reply(
        "contact_noted",
        "Logged",
        f"Contact by {how} is kept in your history.",
        "Take a moment to notice how you feel now, and jot it in today's check-in.",
    )


# --------------------------------------------------------------------------- step 4


def reply_to_conversation(entry: ConversationEntry, person: Person) -> Reply:
    """Return the reply to a conversation logged in step 4: pacing, kept short and positive.

    A message of yours still unanswered comes first (what to do while waiting), then the
    relationship coming up, then a conversation that ran long; otherwise, a word on the pace.
    """
    w = person.words
    if entry.started_by == "you" and not entry.ex_replied:
        return Reply(
            "no_reply",
            "No reply yet, and that's okay",
            "You reached out and {subj} hasn't answered. Silence isn't a verdict: people get "
            "busy, or need time. A second message now would turn a light hello into "
            "pressure.".format(**w),
            "Don't send another message. Give it a few days, and fill this evening with "
            "something that's yours.",
        )
    if entry.relationship_talk:
        return Reply(
            "relationship_talk",
            "The relationship came up",
            "That's natural, and it's also the heaviest subject there is. For now, light and "
            "easy chats bring back the good feelings better than going over what went wrong.",
            "Next time it comes up, steer to something you both enjoy and end on a warm note.",
        )
    if entry.messages > t.CONVERSATION_MESSAGES_MAX:
        return Reply(
            "long_conversation",
            f"{entry.messages} messages",
            "That's a long one for now. Short and fun leaves {obj} looking forward to the "
            "next time.".format(**w),
            "Next time, end it while it's still fun, even in the middle of a laugh.",
        )
    if entry.started_by == "ex":
        return Reply(
            "ex_started",
            "{ex} started this one".format(**w),
            f"{entry.messages} message{'s' if entry.messages != 1 else ''}, and {w['subj']} "
            f"reached out first. Keep it short, positive and fun.",
            "Let {obj} start the next one too, and end this one on a high.".format(**w),
        )
    ended = ", and you ended it" if entry.ended_by == "you" else ""
    return Reply(
        "good_pace",
        "Short and light",
        f"{entry.messages} message{'s' if entry.messages != 1 else ''}{ended}: that's the pace. "
        "Keep it short, positive and fun, and not too often.",
        "Let {obj} be the one to reach out next.".format(**w),
    )
