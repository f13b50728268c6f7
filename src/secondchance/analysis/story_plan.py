"""From what a story shows to where the program starts, how long no contact lasts, and advice.

Safety overrides the program. With signs of crisis, help comes first: no start step, no
no-contact target, no encouragement to get back together. With signs of abuse, no contact
becomes protection with no end date and getting back together is not encouraged.

Every number here has its reason next to it. Pure: no I/O, no clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from secondchance.analysis.lexicon import load
from secondchance.program import thresholds as t
from secondchance.program.steps import words_for

# The program's floor and default (14 and 21 days) come from the program's own thresholds.
NO_CONTACT_MIN_DAYS = t.NO_CONTACT_MIN_DAYS
NO_CONTACT_DEFAULT_DAYS = t.NO_CONTACT_DEFAULT_DAYS
# Blowing hot and cold is a pattern of coming back; three weeks is often just one more cycle,
# so a month is needed to break it.
HOT_AND_COLD_DAYS = 30
# Sleeping together keeps the bond and the availability alive; a month lets it settle.
INTIMATE_DAYS = 30
# Still sleeping together and the breakup is fresh: the pull is strongest, so six weeks.
INTIMATE_FRESH_DAYS = 45
# A breakup younger than this (in days) is "fresh": emotions peak in the first two weeks.
FRESH_BREAKUP_DAYS = 14
# A fresh breakup gets a month: the first three weeks are mostly the rawest days.
FRESH_DAYS = 30
# At most this many pieces of advice: more is a list to feel bad about, not a next step.
MAX_ADVICE = 8


@dataclass(frozen=True, slots=True)
class Advice:
    id: str
    text: str

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "text": self.text}


@dataclass(frozen=True, slots=True)
class Plan:
    """``start_step`` 1-4 or ``None`` (in crisis); ``no_contact_days`` ``None`` in crisis or
    when no contact is protection with no end date (abuse)."""

    start_step: int | None
    no_contact_days: int | None
    reconcile_encouraged: bool
    advice: tuple[Advice, ...] = field(default=())
    # "program" (start at ``start_step``), "move_on" (heal, not win back) or "safety".
    route: str = "program"
    # Why the plan starts where it does, in one sentence quoting the writer's words.
    reason: str = ""
    # What the writer asked ("what_to_text", "should_wait"...), answered first in ``advice``.
    question: str | None = None
    # Days of no contact still ahead, after the quiet the story says is behind them.
    no_contact_left: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "start_step": self.start_step,
            "no_contact_days": self.no_contact_days,
            "reconcile_encouraged": self.reconcile_encouraged,
            "route": self.route,
            "reason": self.reason,
            "question": self.question,
            "no_contact_left": self.no_contact_left,
            "advice": [a.to_dict() for a in self.advice],
        }


@dataclass(frozen=True, slots=True)
class Situation:
    """What the plan needs from the reading, in plain values."""

    crisis: bool = False
    abuse: bool = False
    flags: frozenset[str] = frozenset()
    mistakes: frozenset[str] = frozenset()
    days_since_breakup: int | None = None
    no_contact_so_far: int | None = None
    contact: str = "unclear"
    ex_new_partner: bool | None = None
    goal: str = "unclear"
    pronoun: str = "they"
    # Abuse that is not over: fear now, the police, a refuge, or only just out of it.
    abuse_present: bool = False
    # Where the writer is now (story_facts.SIGNALS) and the words that show each, plus the
    # words behind the facts and flags the plan can cite ("goal", "ex_new_partner", ...).
    quotes: dict[str, str] = field(default_factory=dict)
    signals: frozenset[str] = frozenset()
    question: str | None = None
    # Who the contact now comes from: "ex" when every word of it is the ex reaching out
    # ("my ex just asked me if...") and the writer's side is not told; "" otherwise.
    contact_from: str = ""
    # The writer says they still love the ex ("I am still in love with him").
    still_loves: bool = False
    # The story tells the ex's own infidelity (not the writer's), and who ended it.
    ex_cheated: bool = False
    who_ended: str = "unclear"


def no_contact_days(s: Situation) -> int:
    """Return the no-contact length for the story, never below the program's 14-day floor.

    21 by default; 30 for hot-and-cold, for sleeping together, or for a breakup under two
    weeks old; 45 when they are still sleeping together and the breakup is that fresh.
    """
    days = NO_CONTACT_DEFAULT_DAYS
    fresh = s.days_since_breakup is not None and s.days_since_breakup < FRESH_BREAKUP_DAYS
    if "hot_and_cold" in s.flags:
        days = max(days, HOT_AND_COLD_DAYS)
    if s.contact == "intimate":
        days = max(days, INTIMATE_FRESH_DAYS if fresh else INTIMATE_DAYS)
    if fresh:
        days = max(days, FRESH_DAYS)
    return max(days, NO_CONTACT_MIN_DAYS)


# A story at least this old, with nothing new between them and no wish to try again, is one
# to let rest: a year is the span people use for "long over".
LONG_AGO_DAYS = 365
# This long since the breakup (about two months), the quiet done and no sign of still being an
# emotional mess, the rawest weeks are behind: step 3 rather than step 2.
CALM_DAYS = 60
# Half a year apart (in days) is more than any no-contact period the program asks for.
APART_DAYS = 182
# Quiet for at least the program's floor (14 days) counts as a no-contact period done, for
# stories where contact has since come back.
QUIET_DONE_DAYS = t.NO_CONTACT_MIN_DAYS


def route(s: Situation) -> tuple[str, str]:
    """Return ("safety" | "move_on" | "program", why) for the situation.

    ``why`` names the reason (an advice-file ``reason_*`` id without the prefix).
    Getting back together is not encouraged past an ex's new partner, an ex who cheated and
    left, the writer's own new partner, an ex's addiction, abuse, or a story long over.
    """
    if s.crisis:
        return "safety", "crisis"
    if s.abuse:
        return ("safety", "abuse_present") if s.abuse_present else ("move_on", "abuse_past")
    checks = (
        (s.goal == "move_on", "move_on"),
        ("ex_substance" in s.flags, "substance"),
        ("user_substance" in s.flags, "own_recovery"),
        ("unhealthy" in s.signals, "unhealthy"),
        (s.ex_new_partner is True, "new_partner"),
        (_left_by_a_cheater(s), "infidelity"),
        ("writer_new_partner" in s.signals, "writer_new_partner"),
        ("over" in s.signals, "over"),
        (_long_ago(s), "long_ago"),
    )
    for hit, why in checks:
        if hit:
            return "move_on", why
    return "program", ""


def _left_by_a_cheater(s: Situation) -> bool:
    """True when the ex cheated and the writer neither ended it nor says they want the ex
    back: winning back someone who betrayed you is not what a careful coach leads with. When
    the writer ended it, or asks how to get back together, the choice is theirs to make."""
    return s.ex_cheated and s.who_ended != "user" and s.goal != "reconcile"


def _long_ago(s: Situation) -> bool:
    """True when the story is a year or more old with nothing new between them: no contact
    both ways (the ex alone asking something is not the two of them talking), and no wish
    to try again nor love for the ex said now."""
    between = s.contact == "intimate" or (s.contact == "some" and s.contact_from != "ex")
    return (
        s.days_since_breakup is not None
        and s.days_since_breakup >= LONG_AGO_DAYS
        and "resumed" not in s.signals
        and not between
        and s.goal != "reconcile"
        and not s.still_loves
    )


def start_step(s: Situation, days: int) -> tuple[int, str]:
    """Return the step the program starts at and the fact or signal that decided it.

    Sleeping together, or a fresh breakup, is step 1. Quiet behind them and contact back
    (the ex reached out, or the writer asks what to send after weeks of quiet) is step 4, and
    so is half a year apart with the writer back in touch or wanting the ex back.
    A full no-contact period done is step 2, or step 3 when the writer is already working
    on themself; a slip after a full period (a drunk text) is step 2, not a restart.
    """
    quiet = _quiet_days(s)
    slipped = bool(s.mistakes & {"drunk_texting", "breaking_no_contact"})
    if s.contact == "intimate":
        return 1, "contact"
    if "resumed" in s.signals and quiet is not None and quiet >= QUIET_DONE_DAYS and not slipped:
        return 4, "resumed"
    if _apart_long(s) and not slipped:
        return 4, "apart"
    told_quiet = s.no_contact_so_far or 0
    if s.contact == "some" and told_quiet >= QUIET_DONE_DAYS and not slipped:
        # A no-contact period told as done and they are talking now: talking again after the
        # quiet is step 4, whoever wrote first.
        return 4, "no_contact"
    if slipped and quiet is not None and quiet >= days:
        return 2, "emotional" if "emotional" in s.signals else "no_contact"
    done = quiet is not None and quiet >= days and s.contact in ("none", "unclear")
    worked = "self_work" in s.signals and s.contact not in ("some", "unavoidable")
    if (done or (worked and (s.days_since_breakup or 0) >= days)) and worked:
        return 3, "self_work"
    if worked and quiet is None and s.days_since_breakup is None and "emotional" not in s.signals:
        # Working on themself, calm, and no time or contact told that says it is fresh: the
        # story is told from past the first weeks, so step 3.
        return 3, "self_work"
    since = max(quiet or 0, s.days_since_breakup or 0)
    if done and since >= CALM_DAYS and "emotional" not in s.signals:
        # The quiet done, months since the breakup and nothing in the story of still being
        # a mess: calmer, so the work now is on themself.
        return 3, "no_contact"
    if done:
        return 2, "no_contact"
    return 1, "contact" if s.contact in ("some", "unavoidable") else "since"


def _apart_long(s: Situation) -> bool:
    """True when half a year or more has passed since the breakup, the writer is back in
    touch or says they want the ex back, and nothing says they are still a mess: the time
    apart has done what no contact is for, so reaching out (lightly) is where they are."""
    return (
        s.days_since_breakup is not None
        and s.days_since_breakup >= APART_DAYS
        and (s.contact == "some" or s.goal == "reconcile")
        and "emotional" not in s.signals
    )


def _quiet_days(s: Situation) -> int | None:
    """Return the days of quiet the story shows: a stated no-contact count, or the time since
    the breakup when the story says they are not in touch or contact only just came back."""
    if s.no_contact_so_far is not None:
        return s.no_contact_so_far
    if s.contact == "none" or "resumed" in s.signals:
        return s.days_since_breakup
    return None


def remaining_days(s: Situation, days: int, step: int) -> int:
    """Return the no-contact days still ahead: the target less the quiet already behind.

    While they are still in touch the count starts today, so all of it is ahead.
    """
    if step == 4:
        return 0
    quiet = _quiet_days(s) or 0
    if s.contact in ("some", "intimate", "unavoidable") and step == 1:
        quiet = 0
    return max(days - quiet, 0)


def build_plan(s: Situation) -> Plan:
    """Return the plan for a situation: safety first, then where the person actually is."""
    way, why = route(s)
    if way == "safety" and s.crisis:
        ids = ["help_first", *(["safety_first"] if s.abuse else []), "program_can_wait"]
        if "user_mental_health" in s.flags:
            ids.append("mental_health")
        return _plan(None, None, False, ids, s, way, why)
    if s.abuse:
        # Past or present, no contact after abuse is protection with no end date.
        return _plan(1, None, False, _answer(s, "move_on", None) + _abuse_ids(s), s, way, why)
    days = no_contact_days(s)
    if way == "move_on":
        ids = _answer(s, way, None) + _program_ids(s, 1, moving_on=True)
        return _plan(1, days, False, ids, s, way, why)
    step, why = start_step(s, days)
    left = remaining_days(s, days, step)
    ids = _answer(s, way, step) + _program_ids(s, step)
    # ``no_contact_days`` stays the whole target (counted from the day the quiet began); at
    # step 4 there is none: contact is the step.
    plan = _plan(step, days if step < 4 else None, True, ids, s, way, f"step_{step}:{why}")
    return replace(plan, no_contact_left=left)


def _plan(
    step: int | None,
    days: int | None,
    encouraged: bool,
    ids: list[str],
    s: Situation,
    way: str,
    why: str,
) -> Plan:
    return Plan(step, days, encouraged, _advice(ids, s, days), way, _reason(why, s), s.question)


def _answer(s: Situation, way: str, step: int | None) -> list[str]:
    """Return the advice id that answers the writer's question, if they asked one."""
    if s.question is None:
        return []
    texts = load("story_advice")
    base = f"answer_{s.question}"
    variant = {"move_on": f"{base}_move_on"}.get(way, f"{base}_ready" if step == 4 else base)
    return [variant if variant in texts else base]


# Which quote stands behind each reason: the signal or fact the decision rests on.
_REASON_QUOTES = {
    "crisis": ("self_harm",),
    "abuse_present": ("signal.abuse_present", "abuse"),
    "abuse_past": ("abuse",),
    "move_on": ("goal",),
    "substance": ("ex_substance",),
    "own_recovery": ("user_substance",),
    "unhealthy": ("signal.unhealthy",),
    "new_partner": ("ex_new_partner",),
    "infidelity": ("infidelity",),
    "writer_new_partner": ("signal.writer_new_partner",),
    "over": ("signal.over",),
    "long_ago": ("days_since_breakup",),
    "resumed": ("signal.resumed",),
    "apart": ("days_since_breakup",),
    "self_work": ("signal.self_work",),
    "emotional": ("signal.emotional", "mistake"),
    "no_contact": ("no_contact", "contact", "days_since_breakup"),
    "contact": ("contact",),
    "since": ("days_since_breakup", "who_ended"),
}


def _reason(why: str, s: Situation) -> str:
    """Return the one-sentence reason, quoting the writer's words when the story has them."""
    step, _, cause = why.partition(":")
    key = step if cause else why
    cause = cause or why
    quote = next((s.quotes[q] for q in _REASON_QUOTES.get(cause, ()) if q in s.quotes), None)
    texts = load("story_advice")
    name = f"reason_{key}"
    if quote is None:
        name = "reason_step_1_plain" if key.startswith("step_") else name
        quote = ""
    words = words_for("your ex", s.pronoun)
    words["quote"] = " ".join(quote.split())
    return _render(texts[name]["text"], words) if name in texts else ""


def _abuse_ids(s: Situation) -> list[str]:
    ids = ["safety_first", "no_contact_protection"]
    if "children" in s.flags:
        ids.append("co_parenting_safely")
    ids += [i for f, i in _CARE if f in s.flags]
    return ids


# Flags that call for care, in the order they are shown.
_CARE = (
    ("user_mental_health", "mental_health"),
    ("user_substance", "drinking"),
    ("ex_substance", "their_substance"),
)


def _program_ids(s: Situation, step: int, moving_on: bool = False) -> list[str]:
    ids: list[str] = []
    if moving_on or s.goal == "move_on":
        ids.append("closure")
    ids.append("first_text" if step == 4 else _contact_id(s))
    if "children" in s.flags:
        ids.append("co_parenting")
    if "shared_workplace" in s.flags:
        ids.append("work_contact")
    if "lived_together" in s.flags and s.contact == "unavoidable" and "children" not in s.flags:
        ids.append("still_living_together")
    ids += [m for m in _MISTAKE_ORDER if m in s.mistakes]
    if s.ex_new_partner:
        ids.append("new_partner")
    if "hot_and_cold" in s.flags:
        ids.append("hot_and_cold")
    if "infidelity" in s.flags:
        ids.append("infidelity")
    ids += [i for f, i in _CARE if f in s.flags]
    if step == 2:
        ids.append("emotions_first")
    elif step == 3:
        ids.append("focus_on_you")
    elif s.days_since_breakup is not None and s.days_since_breakup < FRESH_BREAKUP_DAYS:
        ids.append("fresh_breakup")
    return list(dict.fromkeys(ids))


_MISTAKE_ORDER = (
    "contacting_new_partner",
    "showing_up",
    "drunk_texting",
    "begging",
    "checking_socials",
    "breaking_no_contact",
)


def _contact_id(s: Situation) -> str:
    if step_is_move_on(s) and s.contact not in ("unavoidable", "intimate"):
        return "closure"
    return {"unavoidable": "minimal_contact", "intimate": "stop_sleeping_together"}.get(
        s.contact, "no_contact"
    )


def step_is_move_on(s: Situation) -> bool:
    return route(s)[0] == "move_on"


def _advice(ids: list[str], s: Situation, days: int | None) -> tuple[Advice, ...]:
    texts = load("story_advice")
    words = words_for("your ex", s.pronoun)
    words["Pos"] = words["pos"].capitalize()
    words["days"] = str(days) if days is not None else ""
    unique = list(dict.fromkeys(ids))[:MAX_ADVICE]
    return tuple(Advice(i, _render(texts[i]["text"], words)) for i in unique)


def _render(template: str, words: dict[str, str]) -> str:
    return " ".join(template.format(**words).split())
