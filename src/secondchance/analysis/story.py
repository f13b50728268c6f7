"""Read a breakup story the way a coach would: facts, flags, safety first, then a plan.

``read_story(text)`` takes a first-person story of any length and returns a ``StoryReading``
whose ``to_dict()`` is::

    {"is_story": bool,
     "facts": {"days_since_breakup", "relationship_days", "who_ended", "contact",
               "ex_new_partner", "goal"},
     "flags": [...],
     "safety": {"crisis", "abuse", "resources": [{"name", "contact", "country", ...}]},
     "plan": {"start_step", "no_contact_days", "reconcile_encouraged", "advice": [{"id", "text"}]},
     "evidence": [{"about", "quote", "start", "end"}]}

Every fact that is not unknown and every flag has at least one evidence span, with
``text[start:end] == quote``. ``self_harm`` and ``abuse`` come from ``safety.check`` so the
whole product has one detector. Evidence ``about`` is the fact or flag name; the habits the
plan asks to stop are ``mistake.<name>``, and ``is_story`` marks what made it a story.

Pure: the only inputs are the arguments. Month names ("since February") need ``today``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from secondchance.analysis import resources, safety, story_facts
from secondchance.analysis.durations import DurationMention, first_of_kind, parse_durations
from secondchance.analysis.evidence import Evidence
from secondchance.analysis.story_plan import Plan, Situation, build_plan

FLAGS = (
    "self_harm",
    "abuse",
    "infidelity",
    "hot_and_cold",
    "ex_substance",
    "user_substance",
    "user_mental_health",
    "shared_workplace",
    "children",
    "lived_together",
    "engaged_or_married",
)
# At most this many evidence spans per fact or flag: enough to see why, short enough to read.
_EVIDENCE_PER_ITEM = 3
# Words just around a duration that make it a count of no-contact days ("3 weeks of NC").
_NO_CONTACT_NEAR = re.compile(
    r"\b(?:no[\s-]contact|nc|haven'?t (?:talked|spoken|heard)|not (?:talked|spoken))\b",
    re.IGNORECASE,
)
_NEAR = 30


@dataclass(frozen=True, slots=True)
class StoryFacts:
    """The facts of the story. ``None`` / ``"unclear"`` where the text does not say."""

    days_since_breakup: int | None = None
    relationship_days: int | None = None
    who_ended: str = "unclear"  # ex | user | mutual | unclear
    contact: str = "unclear"  # none | some | intimate | unavoidable | unclear
    ex_new_partner: bool | None = None
    goal: str = "unclear"  # reconcile | move_on | unclear

    def to_dict(self) -> dict[str, Any]:
        return {
            "days_since_breakup": self.days_since_breakup,
            "relationship_days": self.relationship_days,
            "who_ended": self.who_ended,
            "contact": self.contact,
            "ex_new_partner": self.ex_new_partner,
            "goal": self.goal,
        }


@dataclass(frozen=True, slots=True)
class StorySafety:
    crisis: bool = False
    abuse: bool = False
    resources: tuple[dict[str, Any], ...] = ()
    # The safety check as the story reads it (abuse kept only where it was the ex), with its
    # rule ids and ``concern``: what the program remembers. Not part of ``to_dict``.
    result: safety.SafetyResult | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "crisis": self.crisis,
            "abuse": self.abuse,
            "resources": [dict(r) for r in self.resources],
        }


@dataclass(frozen=True, slots=True)
class StoryReading:
    """What ``read_story`` found. ``pronoun`` ("he", "she", "they") is how advice names the ex."""

    is_story: bool
    facts: StoryFacts
    flags: tuple[str, ...]
    safety: StorySafety
    plan: Plan
    evidence: tuple[Evidence, ...] = field(default=())
    pronoun: str = "they"

    def to_dict(self) -> dict[str, Any]:
        """Return plain JSON-ready data in the documented shape."""
        return {
            "is_story": self.is_story,
            "facts": self.facts.to_dict(),
            "flags": list(self.flags),
            "safety": self.safety.to_dict(),
            "plan": self.plan.to_dict(),
            "evidence": [e.to_dict() for e in self.evidence],
        }


def read_story(
    text: str,
    *,
    country: str | None = None,
    resource_overrides: Any = None,
    today: date | None = None,
) -> StoryReading:
    """Return the reading of ``text``.

    ``country`` (ISO code such as "US" or "GB") chooses the help lines shown with crisis or
    abuse; ``resource_overrides`` is passed to ``resources`` unchanged. ``today`` lets month
    names become days. Empty text, or text that is not a story (a supportive comment), gives
    ``is_story=False`` with unknown facts and an empty plan, unless it shows crisis or abuse,
    which always get help first. Raises ``TypeError`` if ``text`` is not a ``str``.
    """
    if not isinstance(text, str):
        raise TypeError(f"read_story expects str, not {type(text).__name__}")
    norm = story_facts.normalise(text)
    checked = _in_context(safety.check(text), norm)
    story = story_facts.is_story(text, norm, abuse=checked.abuse)
    evidence: list[Evidence] = list(story.evidence[:1])
    flags: dict[str, tuple[Evidence, ...]] = _safety_flags(checked)
    facts = StoryFacts()
    mistakes: dict[str, story_facts.Finding] = {}
    pronoun = "they"
    no_contact_so_far = None
    if story.value:
        mentions = parse_durations(text, today)
        facts, fact_evidence = _facts(text, norm, mentions)
        evidence += fact_evidence
        for name, found in story_facts.flags(text, norm).items():
            flags[name] = found.evidence
        mistakes = story_facts.mistakes(text, norm)
        for found in mistakes.values():
            evidence += found.evidence
        pronoun = story_facts.pronoun(text, norm).value
        no_contact_so_far = _no_contact_so_far(norm, mentions)
    for spans in flags.values():
        evidence += spans[:_EVIDENCE_PER_ITEM]
    names = tuple(f for f in FLAGS if f in flags)
    situation = Situation(
        crisis=checked.crisis,
        abuse=checked.abuse,
        flags=frozenset(names),
        mistakes=frozenset(mistakes),
        days_since_breakup=facts.days_since_breakup,
        no_contact_so_far=no_contact_so_far,
        contact=facts.contact,
        ex_new_partner=facts.ex_new_partner,
        goal=facts.goal,
        pronoun=pronoun,
    )
    if story.value or checked.crisis or checked.abuse:
        plan = build_plan(situation)
    else:
        plan = Plan(None, None, False, ())
    return StoryReading(
        is_story=bool(story.value),
        facts=facts,
        flags=names,
        safety=_safety(checked, country, resource_overrides),
        plan=plan,
        evidence=tuple(sorted(evidence, key=lambda e: (e.start, e.end, e.about))),
        pronoun=pronoun,
    )


def _in_context(checked: safety.SafetyResult, norm: str) -> safety.SafetyResult:
    """Return the safety result with abuse kept only where the story shows it was the ex.

    The detector already leaves out parents and friends it can see as the subject; the story
    also reads "abused by my dad", figures of speech and the ex's own past. Crisis is never
    narrowed: when in doubt about a life, help is shown.
    """
    if not checked.abuse:
        return checked
    abuse = [e for e in checked.evidence if e.about.startswith("abuse.")]
    kept = story_facts.abuse_by_ex(norm, abuse)
    if len(kept) == len(abuse):
        return checked
    others = [e for e in checked.evidence if not e.about.startswith("abuse.")]
    evidence = tuple(sorted([*others, *kept], key=lambda e: (e.start, e.end, e.about)))
    return safety.SafetyResult(
        crisis=checked.crisis, abuse=bool(kept), evidence=evidence, concern=checked.concern
    )


def _safety_flags(checked: safety.SafetyResult) -> dict[str, tuple[Evidence, ...]]:
    """Return ``self_harm`` and ``abuse`` with the safety detector's spans, renamed to the flag."""
    flags: dict[str, tuple[Evidence, ...]] = {}
    for flag, prefix, on in (
        ("self_harm", "crisis.", checked.crisis),
        ("abuse", "abuse.", checked.abuse),
    ):
        if not on:
            continue
        spans = tuple(
            Evidence(flag, e.quote, e.start, e.end)
            for e in checked.evidence
            if e.about.startswith(prefix)
        )
        flags[flag] = spans
    return flags


def _facts(
    text: str, norm: str, mentions: list[DurationMention]
) -> tuple[StoryFacts, list[Evidence]]:
    evidence: list[Evidence] = []
    since = first_of_kind(mentions, "since_breakup")
    length = first_of_kind(mentions, "relationship")
    for about, mention in (("days_since_breakup", since), ("relationship_days", length)):
        if mention is not None:
            evidence.append(Evidence(about, mention.quote, mention.start, mention.end))
    found = {
        "who_ended": story_facts.who_ended(text, norm),
        "contact": story_facts.contact(text, norm),
        "ex_new_partner": story_facts.ex_new_partner(text, norm),
        "goal": story_facts.goal(text, norm),
    }
    for finding in found.values():
        evidence += finding.evidence[:_EVIDENCE_PER_ITEM]
    facts = StoryFacts(
        days_since_breakup=since.days if since else None,
        relationship_days=length.days if length else None,
        who_ended=found["who_ended"].value,
        contact=found["contact"].value,
        ex_new_partner=found["ex_new_partner"].value,
        goal=found["goal"].value,
    )
    return facts, evidence


def _no_contact_so_far(norm: str, mentions: list[DurationMention]) -> int | None:
    """Return the longest no-contact count the story gives ("3 weeks of no contact"), or None."""
    best = None
    for m in mentions:
        if m.days is None or m.kind == "relationship":
            continue
        near = norm[max(0, m.start - _NEAR) : m.end + _NEAR]
        if _NO_CONTACT_NEAR.search(near) and (best is None or m.days > best):
            best = m.days
    return best


def _safety(checked: safety.SafetyResult, country: str | None, overrides: Any) -> StorySafety:
    """Return the safety block: crisis lines first, then domestic-abuse lines, emergency last."""
    if not (checked.crisis or checked.abuse):
        return StorySafety(result=checked)
    lines = resources.for_result(checked, country, overrides)
    return StorySafety(checked.crisis, checked.abuse, tuple(r.to_dict() for r in lines), checked)
