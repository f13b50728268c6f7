"""From what a story shows to where the program starts, how long no contact lasts, and advice.

Safety overrides the program. With signs of crisis, help comes first: no start step, no
no-contact target, no encouragement to get back together. With signs of abuse, no contact
becomes protection with no end date and getting back together is not encouraged.

Every number here has its reason next to it. Pure: no I/O, no clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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

    def to_dict(self) -> dict[str, Any]:
        return {
            "start_step": self.start_step,
            "no_contact_days": self.no_contact_days,
            "reconcile_encouraged": self.reconcile_encouraged,
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


def start_step(s: Situation, days: int) -> int:
    """Return step 1, or step 2 when the story already shows a full no-contact period.

    A story never starts anyone past step 2: steps 2 and 3 are measured over days of
    check-ins in the app, which a story cannot show.
    """
    if s.abuse or s.goal == "move_on":
        return 1
    if s.contact == "none" and s.no_contact_so_far is not None and s.no_contact_so_far >= days:
        return 2
    return 1


def build_plan(s: Situation) -> Plan:
    """Return the plan for a situation: safety first, then the program."""
    if s.crisis:
        ids = ["help_first", *(["safety_first"] if s.abuse else []), "program_can_wait"]
        if "user_mental_health" in s.flags:
            ids.append("mental_health")
        return Plan(None, None, False, _advice(ids, s, None), "safety")
    if s.abuse:
        return Plan(1, None, False, _advice(_abuse_ids(s), s, None), "safety")
    days = no_contact_days(s)
    step = start_step(s, days)
    ids = _program_ids(s, step)
    route = "move_on" if s.goal == "move_on" else "program"
    return Plan(step, days, s.goal != "move_on", _advice(ids, s, days), route)


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


def _program_ids(s: Situation, step: int) -> list[str]:
    ids: list[str] = []
    if s.goal == "move_on":
        ids.append("closure")
    ids.append(_contact_id(s))
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
    if s.goal == "move_on" and s.contact not in ("unavoidable", "intimate"):
        return "closure"
    return {"unavoidable": "minimal_contact", "intimate": "stop_sleeping_together"}.get(
        s.contact, "no_contact"
    )


def _advice(ids: list[str], s: Situation, days: int | None) -> tuple[Advice, ...]:
    texts = load("story_advice")
    words = words_for("your ex", s.pronoun)
    words["Pos"] = words["pos"].capitalize()
    words["days"] = str(days) if days is not None else ""
    unique = list(dict.fromkeys(ids))[:MAX_ADVICE]
    return tuple(Advice(i, _render(texts[i]["text"], words)) for i in unique)


def _render(template: str, words: dict[str, str]) -> str:
    return " ".join(template.format(**words).split())
