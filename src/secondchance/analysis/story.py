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
plan asks to stop are ``mistake.<name>``, ``no_contact`` is a stated count of days without
contact, and ``is_story`` marks what made it a story. Facts the phrase rules leave unknown
are read again clause by clause (``story_clauses``: who does what, in whose words).

Pure: the only inputs are the arguments. Month names ("since February") need ``today``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import wraps
from typing import Any

from secondchance.analysis import resources, safety, story_clauses, story_facts
from secondchance.analysis.durations import DurationMention, first_of_kind, parse_durations
from secondchance.analysis.evidence import Evidence
from secondchance.analysis.lexicon import load
from secondchance.analysis.story_plan import Advice, Plan, Situation, build_plan
from secondchance.analysis.text import Views, sentences, speech
from secondchance.program.steps import words_for

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
    r"\b(?:no[\s-](?:(?:real|actual|proper|direct|meaningful)\s)?contact|nc|silence|silent|"
    r"(?:limited|minimal|little) contact|"
    r"(?:haven'?t|hadn'?t|didn'?t|not) "
    r"(?:talked|spoken|speak|talk|heard|had a conversation|been in touch)|"
    r"without (?:talking|speaking|contact)|since (?:we|i) last (?:had contact|spoke|talked))\b",
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


def _forgets_the_text(read: Callable[..., StoryReading]) -> Callable[..., StoryReading]:
    """Wrap ``read`` so the clause reading's memos of the story are dropped when it returns."""

    @wraps(read)
    def reading(*args: Any, **kwargs: Any) -> StoryReading:
        try:
            return read(*args, **kwargs)
        finally:
            story_clauses.forget()

    return reading


@_forgets_the_text
def read_story(
    text: str,
    *,
    country: str | None = None,
    resource_overrides: Any = None,
    today: date | None = None,
    now: datetime | None = None,
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
    if now is not None and today is None:
        today = now.date()
    original = story_facts.normalise(text)
    checked = _in_context(safety.check(text), original)
    story = story_facts.is_story(text, original, abuse=checked.abuse)
    norm, seen = _readings(original)
    checked = _story_abuse(checked, text, norm, seen.abuse, story.value)
    strong_crisis = _strong_crisis(checked, norm)
    found = _Found(flags=_safety_flags(checked, strong_crisis), evidence=list(story.evidence[:1]))
    if story.value:
        _read_body(text, norm, seen, today, found)
        _left_the_harm(found, checked.abuse, seen.crisis)
    for spans in found.flags.values():
        found.evidence += spans[:_EVIDENCE_PER_ITEM]
    names = tuple(f for f in FLAGS if f in found.flags)
    situation = _situation(found, names, checked, strong_crisis, norm, seen.crisis)
    if story.value or checked.crisis or checked.abuse:
        plan = build_plan(situation)
        if checked.crisis and not strong_crisis:
            plan = _help_beside(plan, situation)
    else:
        plan = Plan(None, None, False, (), route="")
    return StoryReading(
        is_story=bool(story.value),
        facts=found.facts,
        flags=names,
        safety=_safety(checked, country, resource_overrides),
        plan=plan,
        evidence=tuple(sorted(found.evidence, key=lambda e: (e.start, e.end, e.about))),
        pronoun=found.pronoun,
    )


@dataclass(slots=True)
class _Found:
    """What the reading has found so far, filled in step by step."""

    facts: StoryFacts = field(default_factory=StoryFacts)
    flags: dict[str, tuple[Evidence, ...]] = field(default_factory=dict)
    mistakes: dict[str, story_facts.Finding] = field(default_factory=dict)
    signals: dict[str, story_facts.Finding] = field(default_factory=dict)
    asked: dict[str, story_facts.Finding] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)
    pronoun: str = "they"
    no_contact_so_far: int | None = None


def _readings(norm: str) -> tuple[str, Views]:
    """Return the text and the story's views of it, with a letter to the ex read so that
    "you" is the ex (and "he"/"she" the other people in it)."""
    seen = _story_views(norm)
    if not story_facts.is_letter(norm):
        return norm, seen
    told = story_facts.as_told_of_ex(norm)
    wishes = story_facts.as_told_of_ex(seen.crisis)
    return told, Views(told, wishes, story_facts.as_told_of_ex(seen.abuse), seen.sentences)


def _read_body(text: str, norm: str, seen: Views, today: date | None, found: _Found) -> None:
    """Read the facts, flags, mistakes, signals and question of a story into ``found``."""
    mentions = parse_durations(text, today)
    facts, fact_evidence = _facts(text, norm, seen, mentions)
    found.evidence += fact_evidence
    for name, finding in story_facts.flags(text, norm, seen.abuse).items():
        found.flags[name] = finding.evidence
    found.mistakes = story_facts.mistakes(text, norm)
    found.mistakes.update(_mistakes_in_own_words(text, seen.folded, found.mistakes))
    after = _ended_at(
        story_facts.Finding(
            facts.who_ended, tuple(e for e in fact_evidence if e.about == "who_ended")
        )
    )
    for name, spans in story_clauses.mistakes(text, seen.abuse, after).items():
        found.mistakes.setdefault(name, story_facts.Finding(True, spans))
    facts, more = _read_clues(text, seen, facts, fact_evidence, found.flags, found.mistakes)
    found.evidence += more
    facts, more = _contact_in_context(text, seen, facts, found.flags, fact_evidence)
    found.evidence += more
    for finding in found.mistakes.values():
        found.evidence += finding.evidence
    found.signals = story_facts.signals(text, seen.abuse)
    if "writer_new_partner" not in found.signals:
        partnered, spans = story_clauses.new_partner(
            text, seen.abuse, "writer", "signal.writer_new_partner"
        )
        if partnered:
            found.signals["writer_new_partner"] = story_facts.Finding(True, spans)
    if "writer_new_partner" not in found.signals:
        couple = _couple_besides_the_ex(text, seen.abuse)
        if couple is not None:
            found.signals["writer_new_partner"] = story_facts.Finding(True, (couple,))
    found.asked = story_facts.questions(text, norm)
    for finding in (*found.signals.values(), *found.asked.values()):
        found.evidence += finding.evidence
    found.pronoun = story_facts.pronoun(text, norm).value
    if facts.ex_new_partner is None:
        named = _new_partner_named(text, seen.abuse, found.pronoun)
        if named is not None:
            facts = replace(facts, ex_new_partner=True)
            found.evidence.append(named)
    if facts.ex_new_partner:
        facts = _new_partner_since_over(text, seen.abuse, facts, found.evidence)
    found.facts = facts
    found.no_contact_so_far = _no_contact_so_far(norm, mentions)
    counted = _longest_quiet(norm, mentions)
    plural = _plural_quiet(norm)
    if plural is not None and found.no_contact_so_far == plural[0]:
        # "after months of no contact": the writer's own words are the count's evidence.
        found.evidence.append(Evidence("no_contact", text[plural[1] : plural[2]], *plural[1:]))
    elif counted is not None:
        # The plan's reason quotes the count with its words of no contact ("30 days no contact").
        start, end = _with_quiet_words(norm, counted)
        found.evidence.append(Evidence("no_contact", text[start:end], start, end))
    resumed = found.signals.get("resumed")
    if resumed is not None and facts.contact == "unclear":
        # "I'm considering reaching out": still only a plan, so they are not in touch now.
        plan = resumed.evidence[0]
        if _PLANNED.match(norm, plan.start) is not None:
            found.facts = replace(found.facts, contact="none")
            found.evidence.append(replace(plan, about="contact"))
    if resumed is not None and _kept_quiet(found, resumed.evidence[0]):
        # "He texted me out of the blue ... I ignored him, I didn't break my no contact":
        # the ex reached out but contact is not back.
        del found.signals["resumed"]
        resumed = None
    if resumed is not None and not _after_quiet(norm, mentions, resumed.evidence[0]):
        # Contact "back" needs a silence told before it; otherwise it is just contact.
        del found.signals["resumed"]
        resumed = None
    if resumed is not None and found.facts.contact == "none":
        _back_after_the_quiet(norm, found, resumed.evidence[0])
    if found.no_contact_so_far is None and resumed is not None:
        # "He had blocked me everywhere ... until I got a message from him": a silence with
        # no number, then contact back. At least the program's floor has passed unless the
        # breakup itself is younger than that.
        young = facts.days_since_breakup is not None and facts.days_since_breakup < _QUIET_FLOOR
        # The silence may be told before the message or looking back after it.
        if story_facts.quiet_before(norm, len(norm)) and not young:
            found.no_contact_so_far = _QUIET_FLOOR


def _left_the_harm(found: _Found, abuse: bool, wishes: str) -> None:
    """Read the goal as moving on when the writer is the one who ended a relationship the
    story shows was abusive and says nothing of wanting it back or of loving the ex still:
    leaving the harm is the wish, told by what they did. The ending's words are the evidence.
    ``wishes`` is the story's view of the writer's own words."""
    if not abuse or found.facts.goal != "unclear" or found.facts.who_ended != "user":
        return
    if _STILL_LOVES.search(wishes):
        return
    ended = [e for e in found.evidence if e.about == "who_ended"]
    if not ended:
        return
    found.facts = replace(found.facts, goal="move_on")
    found.evidence += [replace(e, about="goal") for e in ended[:1]]


# The writer's love for the ex told in the present: "I really love her so much", "I miss him".
_STILL_LOVES = re.compile(
    r"\bi (?:still |really |truly |do |just )*(?:love|miss|need) (?:him|her|them)\b"
)


def _kept_quiet(found: _Found, back: Evidence) -> bool:
    """True when the story reads no contact now, told after the contact that came back."""
    if found.facts.contact != "none":
        return False
    return any(e.about == "contact" and e.start > back.start for e in found.evidence)


def _after_quiet(norm: str, mentions: list[DurationMention], back: Evidence) -> bool:
    """True when the story tells of a silence (a count or a phrase) before the contact came
    back, the words say it themselves ("the first time since", "out of the blue"), or it is
    the writer's own plan to write (which needs no silence told first)."""
    at = back.start
    if _SILENCE_IN_IT.search(back.quote.lower()) or _PLANNED.match(norm, at) is not None:
        return True
    if any(m.start < at for m in _quiet_mentions(norm, mentions)):
        return True
    # "We both agreed it has been tough not talking": a silence told looking back, after
    # the message, is the same silence (one told as still going is read by ``_kept_quiet``).
    return story_facts.quiet_before(norm, len(norm))


def _back_after_the_quiet(norm: str, found: _Found, back: Evidence) -> None:
    """Read contact as "some" when the contact that came back is told after every word of
    the silence ("I went no contact ... we began texting, now we call"): the silence is
    behind them. Only the couple's or the writer's own words of it count: the ex reaching out
    may be left unanswered, and a plan to write ("thinking of texting him") is not contact."""
    if _PLANNED.match(norm, back.start) is not None or not _WE_OR_I.match(back.quote.lower()):
        return
    quiet = [e for e in found.evidence if e.about == "contact"]
    if quiet and all(e.end <= back.start for e in quiet):
        found.facts = replace(found.facts, contact="some")
        found.evidence = [e for e in found.evidence if e.about != "contact"]
        found.evidence.append(replace(back, about="contact"))


_WE_OR_I = re.compile(r"(?:we|i)\b")


# Words that carry the silence in the telling of the contact itself.
_SILENCE_IN_IT = re.compile(r"first time|since|after|out of the blue|out of nowhere|again|slid")


# The writer's own plan or question about writing: "thinking of sending", "should I text".
_PLANNED = re.compile(
    r"(?:thinking|want|going|planning|should i|considering|contemplating|debating|tempted)"
)


# A silence told without a number counts as the program's floor of no contact.
_QUIET_FLOOR = 14


def _situation(
    found: _Found,
    names: tuple[str, ...],
    checked: safety.SafetyResult,
    strong_crisis: bool,
    norm: str,
    wishes: str = "",
) -> Situation:
    """Return what the plan needs, with the words behind each fact, flag and signal.
    ``wishes`` is the story's view of the writer's own words."""
    quotes = {e.about: e.quote for e in reversed(found.evidence)}
    quotes.update({f"signal.{k}": v.evidence[0].quote for k, v in found.signals.items()})
    if found.mistakes:
        quotes["mistake"] = next(iter(found.mistakes.values())).evidence[0].quote
    facts = found.facts
    return Situation(
        crisis=strong_crisis,
        abuse=checked.abuse,
        flags=frozenset(names),
        mistakes=frozenset(found.mistakes),
        days_since_breakup=facts.days_since_breakup,
        no_contact_so_far=found.no_contact_so_far,
        contact=facts.contact,
        ex_new_partner=facts.ex_new_partner,
        goal=facts.goal,
        pronoun=found.pronoun,
        abuse_present=checked.abuse and _abuse_present(checked, norm, facts, found.signals),
        quotes=quotes,
        signals=frozenset(found.signals),
        question=next(iter(found.asked), None),
        contact_from=_contact_from(found.evidence, facts.contact),
        still_loves=_STILL_IN_LOVE.search(wishes) is not None,
        ex_cheated=any(_the_exs(norm, e) for e in found.flags.get("infidelity", ())),
        who_ended=facts.who_ended,
    )


def _the_exs(norm: str, e: Evidence) -> bool:
    """True when the infidelity told at ``e`` is not the writer's own ("I cheated", "we
    hooked up", "I was already dating someone else")."""
    lead = norm[max(0, e.start - _LEAD) : e.start] + " " + norm[e.start : e.end]
    return _WRITER_DID.search(lead) is None


# The writer as the subject of the infidelity: "i cheated", "i had an affair", "we hooked up".
_WRITER_DID = re.compile(
    r"\b(?:i|we)(?:'d| had| have| was| were)? (?:[a-z']+ ){0,2}?"
    r"(?:cheat|slept|hooked|had an affair|kissed|was (?:already )?dating|dated)"
)
_LEAD = 25


def _contact_from(evidence: list[Evidence], contact: str) -> str:
    """Return "ex" when the contact now is read only from the ex reaching out ("she asked me
    if...", "he texted me"), else ""."""
    said = [e.quote.lower() for e in evidence if e.about == "contact"]
    if contact != "some" or not said:
        return ""
    return "ex" if all(_EX_REACHING.match(q) for q in said) else ""


# The ex as the one who writes, calls or asks: "my ex just asked me", "he texted".
_EX_REACHING = re.compile(
    r"(?:he|she|they|my \S+|the ex)\b.*\b(?:texted|messaged|called|emailed|reached out|contacted|"
    r"wrote|sent|asked|asks|wants|wanted|invited)\b"
)
# Love for the ex said now: "I am still in love with him", "I still love her".
_STILL_IN_LOVE = re.compile(
    r"\bi(?:'m| am)? (?:still |really |truly |do |just )*(?:in love with|love|have feelings for) "
    r"(?:him|her|them|my (?:ex|boyfriend|girlfriend|husband|wife|partner))\b"
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


def _safety_flags(
    checked: safety.SafetyResult, strong_crisis: bool
) -> dict[str, tuple[Evidence, ...]]:
    """Return ``self_harm`` and ``abuse`` with the safety detector's spans, renamed to the flag."""
    flags: dict[str, tuple[Evidence, ...]] = {}
    for flag, prefix, on in (
        ("self_harm", "crisis.", strong_crisis),
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
    text: str, norm: str, seen: Views, mentions: list[DurationMention]
) -> tuple[StoryFacts, list[Evidence]]:
    evidence: list[Evidence] = []
    ended = story_facts.who_ended(text, norm)
    since = _since_breakup(text, norm, mentions, ended)
    length = first_of_kind(mentions, "relationship")
    for about, mention in (("days_since_breakup", since), ("relationship_days", length)):
        if mention is not None:
            evidence.append(Evidence(about, mention.quote, mention.start, mention.end))
    found = {
        "who_ended": ended,
        "contact": story_facts.contact(text, seen.abuse),
        "ex_new_partner": story_facts.ex_new_partner(text, seen.abuse),
        # Only the writer's own words say what the writer wants.
        "goal": story_facts.goal(text, seen.crisis),
    }
    _by_clauses(text, seen.abuse, found)
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


def _by_clauses(text: str, deeds: str, found: dict[str, story_facts.Finding]) -> None:
    """Fill the facts the phrase rules left unknown from the clause reading (who does what),
    in place. Read in ``deeds``: other people's words and sentences are blanked there."""
    if found["who_ended"].value == "unclear":
        side, spans = story_clauses.who_ended(text, deeds)
        if spans:
            found["who_ended"] = story_facts.Finding(side, spans)
    if found["ex_new_partner"].value is None:
        partnered, spans = story_clauses.new_partner(text, deeds)
        if spans:
            found["ex_new_partner"] = story_facts.Finding(partnered, spans)
    said = found["contact"]
    if said.value in ("unclear", "some"):
        # The story's timeline decides: a silence told in a clause after the last set phrase
        # of contact ("he just replied ... I haven't tried getting in touch with him since")
        # is where they are now.
        state, spans = story_clauses.contact(text, deeds, _ended_at(found["who_ended"]))
        last = max((e.start for e in said.evidence), default=-1)
        later_quiet = state == "none" and bool(spans) and spans[0].start > last
        if spans and (said.value == "unclear" or later_quiet):
            found["contact"] = story_facts.Finding(state, spans)


def _ended_at(ended: story_facts.Finding) -> int:
    """Return where the ending is told (contact before it is the relationship, not now)."""
    return ended.evidence[0].start if ended.evidence else 0


# Evidence from these parts of the safety check alone is a worry, not a plan-changing crisis:
# heavy feelings (distress), the learned model's guess, and hopeless words. They keep help in
# view beside the program; a stated wish to die or to self-harm puts help first.
_WEAK_CRISIS = frozenset({"crisis.distress", "crisis.learned", "crisis.hopelessness"})
# The learned abuse model alone, with no words of harm the rules know, is not enough to call
# a story abusive: it stays a guess the story does not act on.
_WEAK_ABUSE = frozenset({"abuse.learned"})


def _strong_crisis(checked: safety.SafetyResult, norm: str) -> bool:
    """True when the crisis rests on the writer's own words of self-harm, not a figure of
    speech ("I'm hurting myself doing this") or a model's guess."""
    return any(
        e.about.startswith("crisis.")
        and e.about not in _WEAK_CRISIS
        and not story_facts.not_crisis(norm, e.start, e.end)
        for e in checked.evidence
    )


def _story_abuse(
    checked: safety.SafetyResult, text: str, norm: str, seen: str, is_story: bool
) -> safety.SafetyResult:
    """Return the safety result with abuse as the story reads it: the rules' spans by the
    ex, plus words the story lexicon knows ("I was verbally abused"); a model's guess alone
    is dropped."""
    kept = [e for e in checked.evidence if e.about.startswith("abuse.")]
    kept = [e for e in kept if e.about not in _WEAK_ABUSE]
    if is_story and not kept:
        named = story_facts.abuse_named(text, seen)
        kept = list(story_facts.abuse_by_ex(norm, named))
    if bool(kept) == checked.abuse and len(kept) == sum(
        e.about.startswith("abuse.") for e in checked.evidence
    ):
        return checked
    others = [e for e in checked.evidence if not e.about.startswith("abuse.")]
    evidence = tuple(sorted([*others, *kept], key=lambda e: (e.start, e.end, e.about)))
    return safety.SafetyResult(
        crisis=checked.crisis, abuse=bool(kept), evidence=evidence, concern=checked.concern
    )


def _abuse_present(
    checked: safety.SafetyResult, norm: str, facts: StoryFacts, signals: dict[str, Any]
) -> bool:
    """True when the abuse is not over: fear now, the police, only just out (a breakup at most
    a month old), harm told with "last night" or "again", or they are still together (no
    breakup, no "ex" in the story, and the writer not with someone new). Otherwise it is
    abuse that is over: healing, with no contact as protection.
    """
    if "abuse_present" in signals:
        return True
    if "writer_new_partner" in signals:
        return False  # the writer is with someone new: out of it, healing
    for e in checked.evidence:
        if e.about.startswith("abuse.") and _RECENT.search(norm, max(0, e.start - 60), e.end + 60):
            return True
    if facts.days_since_breakup is not None and facts.days_since_breakup <= _JUST_OUT_DAYS:
        return True  # the harm and the breakup are this month's: only just out of it
    ended = facts.who_ended != "unclear" or facts.days_since_breakup is not None
    return not ended and _EX_WORD.search(norm) is None


# A breakup at most this many days old (a month) after abuse is "only just out of it": the
# danger of the weeks after leaving is still there.
_JUST_OUT_DAYS = 31


def _couple_besides_the_ex(text: str, seen: str) -> Evidence | None:
    """Return the words of the writer's couple now ("my wife and I", "the GF and I") in a
    story that names an ex as an ex ("my ex-wife"): the partner is someone else, so the
    writer has someone new. A couple that broke up in the same clause ("my boyfriend and I
    split up") is the ex. ``None`` when there is none."""
    if _EX_NAMED.search(seen) is None:
        return None
    for m in _COUPLE_NOW.finditer(seen):
        if not _ENDED_AFTER.match(seen, m.end()):
            return Evidence("signal.writer_new_partner", text[m.start() : m.end()], *m.span())
    return None


# An ex named as one: "my ex", "my ex-wife" (a divorce alone may be the couple's own).
_EX_NAMED = re.compile(r"\bex\b|\bex-")
# The writer and a partner as one subject: "my wife and I", "the GF and I".
_COUPLE_NOW = re.compile(
    r"\b(?:my|the) (?:new )?(?:wife|husband|hubby|gf|bf|girlfriend|boyfriend|partner|"
    r"fianc[eé]e?)(?:,? [a-z]+,?)? and i\b"
)
# What follows a couple that is the ex: "... and I broke up", "... and I had been together
# for years", "... and I met at school".
_ENDED_AFTER = re.compile(
    r"(?: [\w']+){0,3} (?:broke|break|split|separated|divorced|ended|called it|parted|"
    r"were together|(?:have|had|'ve|'d) been (?:together|dating|married)|got together|met|"
    r"dated|used to)\b"
)


# The story names an ex: the relationship is over.
_EX_WORD = re.compile(r"\bex\b|\bex-|\bdivorce")


# Harm told with these words close by is happening now.
_RECENT = re.compile(r"\b(?:again|last night|yesterday|this morning|today|tonight|this week)\b")


def _help_beside(plan: Plan, s: Situation) -> Plan:
    """Return the plan with a gentle pointer to help first: heavy words, no stated danger."""
    words = words_for("your ex", s.pronoun)
    text = " ".join(load("story_advice")["help_beside"]["text"].format(**words).split())
    return replace(plan, advice=(Advice("help_beside", text), *plan.advice))


def _story_views(norm: str) -> Views:
    """Return the story's two readings of who says and does what.

    ``abuse`` (what happened, read for deeds and facts): the text with other people's quoted
    or reported words and sentences about other people ("My sister says...") blanked; the
    ex's own words stay, since that is how what the ex did is told. ``crisis`` (what the
    writer wants): also the ex's words and sentences where the ex, not the writer, is the
    subject ("He wants to try again"). Same length as ``norm``, so spans hold.
    """
    deeds = bytearray(norm, "utf-32-le")
    wishes = bytearray(deeds)
    for said in speech(norm):
        if said.speaker == "other":
            _blank(deeds, said.start, said.end)
        if said.speaker in ("partner", "other"):
            _blank(wishes, said.start, said.end)
    spans = tuple(sentences(norm))
    for a, b in spans:
        head = norm[a:b]
        if _OTHER_SUBJECT.match(head):
            _blank(deeds, a, b)
            _blank(wishes, a, b)
        elif _EX_SUBJECT.match(head) and not _WRITER_SUBJECT.search(head):
            _blank(wishes, a, b)
    return Views(norm, wishes.decode("utf-32-le"), deeds.decode("utf-32-le"), spans)


def _blank(cells: bytearray, start: int, end: int) -> None:
    cells[start * 4 : end * 4] = " ".encode("utf-32-le") * (end - start)


# A sentence that opens with someone other than the writer or the ex as its subject.
_OTHER_SUBJECT = re.compile(
    r"\W*(?:(?:my|his|her|their|our|a|the)\s+)?(?:best\s+)?(?:friends?|sister|brother|mom|mum|"
    r"mother|dad|father|parents|cousin|roommate|family|co-?worker|colleague|boss|therapist|"
    r"counsell?or|aunt|uncle|grandma|grandmother|everyone|people)\b(?!\s+and\s+i\b)"
)
# A sentence that opens with the ex as its subject.
_EX_SUBJECT = re.compile(
    r"\W*(?:he|she|they|he's|she's|they're|he'd|she'd|the ex|my ex|my (?:ex-?)?(?:boyfriend|"
    r"girlfriend|husband|wife|partner|fianc\w*))\b(?!\s+and\s+i\b)"
)
# The writer as a subject somewhere in the sentence: then it is the writer's too.
_WRITER_SUBJECT = re.compile(r"\b(?:i|i'm|i've|i'd|i'll|we|we're|we've)\b")


def _read_clues(
    text: str,
    seen: Views,
    facts: StoryFacts,
    fact_evidence: list[Evidence],
    flags: dict[str, tuple[Evidence, ...]],
    mistakes: dict[str, story_facts.Finding],
) -> tuple[StoryFacts, list[Evidence]]:
    """Add what the sentence-by-sentence clues find where set phrases found nothing.

    Updates ``flags`` and ``mistakes`` in place; returns the facts (sleeping together after
    the breakup is contact) and the extra evidence.
    """
    more: list[Evidence] = []
    breakup_at = next((e.start for e in fact_evidence if e.about == "who_ended"), None)
    wanted = frozenset(story_facts.clue_names()) - {"abuse"}
    for name, found in story_facts.clues(text, seen.abuse, breakup_at, wanted).items():
        first = found.evidence[0]
        if name == "mistakes":
            if not mistakes:
                mistakes["begging"] = found
                more.append(replace(first, about="mistake.begging"))
        elif name == "sleeping_together":
            # A silence told after it ("then she ghosted me") is where they are now.
            quiet_after = facts.contact == "none" and any(
                e.about == "contact" and e.start > first.end for e in fact_evidence
            )
            if facts.contact != "intimate" and not quiet_after:
                facts = replace(facts, contact="intimate")
                more.append(replace(first, about="contact"))
        elif name != "abuse" and name not in flags:  # abuse is read with safety
            flags[name] = found.evidence
    if "hot_and_cold" not in flags:
        spans = story_clauses.cycle(text, seen.abuse)
        if spans:
            flags["hot_and_cold"] = spans
    return facts, more


# Children or work that tie them together now: "our son", "custody", "we work together".
_SHARED = re.compile(
    r"\bour\b|\bwe\b|custody|co-?parent|child support|visitation|together|same|co-?worker|colleague"
)
# Words that make a shared job or children no tie now: the past tense without "still", or
# children grown and living on their own.
_TIE_OVER = re.compile(r"\b(?<!still )(?:worked|used to work|grown|adult)\b")
# The ex's words reported as now or lately: "he says", "she keeps texting that".
_SAID_NOW = re.compile(
    r"\b(?:says|tells me|texts|texted me|messages|keeps saying|kept saying|now says|"
    r"(?:yesterday|today|last (?:night|week)|recently|since then|now),? "
    r"(?:he|she|they) (?:said|told))\b"
)


def _new_partner_since_over(
    text: str, seen: str, facts: StoryFacts, evidence: list[Evidence]
) -> StoryFacts:
    """Return the facts with ``ex_new_partner`` False when the story, after naming the ex's
    new partner, tells that the two of them have since broken up ("he found a new
    girlfriend, but they broke up a couple months ago"): the latest state is single.
    The evidence list gets the words of that ending in place of the partner's."""
    named = [e for e in evidence if e.about == "ex_new_partner"]
    if not named:
        return facts
    at = min(e.end for e in named)
    # The couple may be named around the partner's words ("he and the girl he left me for
    # had split"), so the search starts a little before them and the ending comes after.
    ends = _THEY_SPLIT.finditer(seen, max(0, at - _NEAR_PARTNER))
    over = next((m for m in ends if m.end() > at), None)
    if over is None:
        return facts
    evidence[:] = [e for e in evidence if e.about != "ex_new_partner"]
    evidence.append(Evidence("ex_new_partner", text[over.start() : over.end()], *over.span()))
    return replace(facts, ex_new_partner=False)


_NEAR_PARTNER = 60
# The ex and the new partner as one subject, then their ending: "they broke up", "he and
# the girl had split", "SP and the girl he left me for had broken up".
_THEY_SPLIT = re.compile(
    r"\b(?:they|(?:he|she|[a-z*]+) and (?:the|his|her|that|this) [a-z*]+(?: [a-z*'()]+){0,5}?)"
    r" (?:have |had |'ve |'d |just |since |recently |now |finally |already )*"
    r"(?:broke up|broken up|split(?: up)?|separated|called it (?:off|quits))\b"
)


def _new_partner_named(text: str, seen: str, pronoun: str) -> Evidence | None:
    """Return the words naming the ex's new partner by the ex's own pronoun ("his girlfriend",
    "she's with him now"), when the story said so outright (no guess, no question)."""
    pos = {"he": "his", "she": "her"}.get(pronoun)
    if pos is None:
        return None
    pattern = _NEW_PARTNER[pronoun]
    for start, end in sentences(seen):
        sentence = seen[start:end]
        if sentence.endswith("?") or _GUESS.search(sentence):
            continue
        m = pattern.search(sentence)
        if m is not None and _LEFT_BEFORE.search(sentence, 0, m.start()) is not None:
            continue  # "he left his wife ... and started dating me": the partner before
        if m is not None and _ROLE_BEFORE.search(sentence, 0, m.start()) is not None:
            continue  # "I miss being his lover", "when I was his girlfriend": the writer
        if m is not None:
            a, b = start + m.start(), start + m.end()
            return Evidence("ex_new_partner", text[a:b], a, b)
    return None


# Just before the partner's name: the ex left that partner, so it was the one before.
_LEFT_BEFORE = re.compile(r"\b(?:left|leaving|divorced|divorcing|separated from|split from)\s+$")
# Just before the partner's name: the writer's own role ("being his", "when I was his").
_ROLE_BEFORE = re.compile(r"\b(?:being|i was|i've been|i have been|i am|i'm|as)\s+$")
_PARTNER_NOUN = (
    r"(?:girlfriend|boyfriend|gf|bf|partner|fianc[eé]e?|wife|husband|lover|"
    r"new (?:girl|guy|woman|man))"
)
_NOT_PAST = r"(?!\s+(?:before|back then|at the time|in high school|in college))"
# The ex's new partner, by the ex's pronoun: "his girlfriend", "he's seeing someone".
_NEW_PARTNER = {
    p: re.compile(
        rf"\b{pos}\s+(?:new\s+|current\s+)?{_PARTNER_NOUN}\b{_NOT_PAST}"
        rf"|\b{p}(?:'s|\s+is|\s+has\s+been|\s+was)\s+(?:now\s+)?(?:dating|seeing|with|engaged\s+to|"
        rf"married\s+to|living\s+with|in\s+a\s+relationship\s+with)\s+(?:someone|somebody|a\s|"
        rf"another|this|that|{other})\b"
        rf"|\b{p}\s+(?:has|got|found)\s+(?:a\s+)?(?:new\s+)?{_PARTNER_NOUN}\b"
        rf"|\b{p}\s+(?:got|is|was)\s+(?:engaged|married)\b(?!\s+to\s+me)"
    )
    for p, pos, other in (
        ("he", "his", r"her|a\s+girl|a\s+woman"),
        ("she", "her", r"him|a\s+guy|a\s+man"),
    )
}
# Words that make the sentence a guess or a past story rather than news of a new partner.
_GUESS = re.compile(
    r"\b(?:if|maybe|might|think|wonder|whether|suspect|worried|afraid|rumou?rs?|ex-|his ex|her ex|"
    r"previous|former|old|late|first)\b"
)


def _mistakes_in_own_words(
    text: str, folded: str, found: dict[str, story_facts.Finding]
) -> dict[str, story_facts.Finding]:
    """Return the mistakes in messages the writer quotes as their own ("I texted him 'I miss
    you, please come back'"): pleading and relationship talk the program asks to stop."""
    if "begging" in found:
        return {}
    for said in speech(folded):
        if said.speaker != "writer" or said.end <= said.start:
            continue
        words = folded[said.start : said.end]
        m = _PLEADING.search(words)
        if m:
            start, end = said.start + m.start(), said.start + m.end()
            spans = (Evidence("mistake.begging", text[start:end], start, end),)
            return {"begging": story_facts.Finding(True, spans)}
    return {}


# In the writer's own message to the ex, these are pleading or pressing for the relationship.
_PLEADING = re.compile(
    r"\b(?:i miss you|i still love you|i love you|please come back|come back to me|"
    r"give (?:us|me|it) (?:another|one more|a second) (?:chance|try|shot)|take me back|"
    r"can we (?:please )?(?:talk|try again|work)|we need to talk|why did you|"
    r"what did i do|i can'?t live without you|i'?m begging)\b"
)


def _contact_in_context(
    text: str,
    seen: Views,
    facts: StoryFacts,
    flags: dict[str, tuple[Evidence, ...]],
    fact_evidence: list[Evidence],
) -> tuple[StoryFacts, list[Evidence]]:
    """Return the facts with contact read from the story's structure when no phrase said it.

    Shared children or a shared workplace keep them in touch whatever they choose; the ex's
    own words told after the breakup ("he says his feelings are genuine") mean they talk.
    """
    if facts.contact != "unclear":
        return facts, []
    for flag in ("children", "shared_workplace"):
        told = flags.get(flag, ())
        # "We worked in the same place", "two grown children": a tie of the past, or one
        # that needs no handovers, does not keep them in touch now.
        if any(_TIE_OVER.search(seen.folded, max(0, e.start - _NEAR), e.end + _NEAR) for e in told):
            continue
        shared = [e for e in told if _SHARED.search(e.quote.lower())]
        if shared:
            e = shared[0]
            return replace(facts, contact="unavoidable"), [
                Evidence("contact", e.quote, e.start, e.end)
            ]
    ended = [e.end for e in fact_evidence if e.about == "who_ended"]
    if not ended:
        return facts, []
    for said in speech(seen.folded):
        now = _SAID_NOW.search(seen.folded, max(0, said.start - 40), said.start)
        if said.speaker == "partner" and said.start > ended[0] and now is not None:
            quote = text[said.start : said.end]
            return replace(facts, contact="some"), [
                Evidence("contact", quote, said.start, said.end)
            ]
    return facts, []


def _since_breakup(
    text: str, norm: str, mentions: list[DurationMention], ended: story_facts.Finding
) -> DurationMention | None:
    """Return the time since the breakup, read against the story's own timeline.

    In order: an amount said of the breakup ("three months since we split"); an event dated
    after it ("2 months after the break up ... he left the house Dec 31": the two added); an
    "ago" told in the sentence of the breakup ("A month ago, my wife told me she was done");
    a point such as "last night" said of it; "just" in the telling ("she's just decided").
    """
    firm = [
        m
        for m in mentions
        if m.kind == "since_breakup" and m.days is not None and m.source != "relative"
    ]
    later = _after_breakup(text, norm, mentions)
    if later is not None:
        return later
    if firm:
        return firm[0]
    told = [(e.start, e.end) for e in ended.evidence]
    for m in mentions:
        ago = m.kind == "ago" and m.days is not None and m.source == "amount"
        if ago and any(
            _same_sentence(norm, m.start, start) and not _dates_next(norm, end, m)
            for start, end in told
        ):
            return m
    points = first_of_kind(mentions, "since_breakup")
    if points is not None:
        return points
    for e in ended.evidence:
        if _JUST.search(norm, e.start, e.end):
            return DurationMention(0, "since_breakup", e.start, e.end, e.quote, source="just")
    return None


def _dates_next(norm: str, told_end: int, m: DurationMention) -> bool:
    """True when an "ago" after the ending opens a clause of its own that follows it ("I
    ended it, and went about my life and two years ago I met my wife"): it dates that."""
    return m.start > told_end and bool(
        _AND.search(norm, told_end, m.start) and _SUBJECT_NEXT.match(norm, m.end)
    )


_AND = re.compile(r"\band\b")
_SUBJECT_NEXT = re.compile(r" (?:i|we|he|she|they) (?!was\b|were\b)[a-z]+")


# "N after the breakup": what follows is dated from the breakup on.
_AFTER_BREAKUP = re.compile(
    r"\s*(?:after|post)\s+(?:the\s+|our\s+|my\s+)?(?:break\s?-?up|breakup|split|divorce|"
    r"separation|we\s+(?:broke\s+up|split|separated))"
)
_JUST = re.compile(r"\b(?:just|tonight|today)\b")


def _after_breakup(text: str, norm: str, mentions: list[DurationMention]) -> DurationMention | None:
    """Return "N after the breakup" plus the time since the dated event it leads to, when
    the story dates that event ("... he left the house Dec 31")."""
    for i, m in enumerate(mentions):
        if m.days is None or m.source != "amount" or not _AFTER_BREAKUP.match(norm, m.end):
            continue
        for d in mentions[i + 1 : i + 4]:
            if d.source == "month" and d.days is not None and d.start - m.end < _DATED_REACH:
                total = m.days + d.days
                return DurationMention(
                    total, "since_breakup", m.start, d.end, text[m.start : d.end], source="timeline"
                )
        # "Six months after my divorce I still cry": told from now, it is the time since.
        end = norm.find(".", m.end)
        sentence = norm[m.end : end if end != -1 else len(norm)]
        if _NOW_WORDS.search(sentence):
            return replace(m, kind="since_breakup")
    return None


_NOW_WORDS = re.compile(r"\b(?:still|now|today|these days|i'm|i am|i can't|i cannot)\b")


# How far after "N after the breakup" the dated event may stand (about two sentences).
_DATED_REACH = 200


def _same_sentence(norm: str, a: int, b: int) -> bool:
    lo, hi = min(a, b), max(a, b)
    return not re.search(r"[.!?\n]", norm[lo:hi])


def _no_contact_so_far(norm: str, mentions: list[DurationMention]) -> int | None:
    """Return the longest no-contact count the story gives ("3 weeks of no contact"), or None.

    A count with no number ("after months of no contact", "weeks since we talked") is at
    least two of its unit: the writer's own word for a span already behind them."""
    longest = _longest_quiet(norm, mentions)
    told = longest.days if longest is not None else None
    plural = _plural_quiet(norm)
    if plural is not None and (told is None or told < plural[0]):
        return plural[0]
    return told


def _plural_quiet(norm: str) -> tuple[int, int, int] | None:
    """Return (days, start, end) of the longest silence told as "weeks/months/years" with no
    number, or as "a month-long silence", or None."""
    found = [(_UNIT_FLOOR[m.group(1)], m.start(), m.end()) for m in _PLURAL_QUIET.finditer(norm)]
    found += [(_UNIT_DAYS[m.group(1)], m.start(), m.end()) for m in _LONG_QUIET.finditer(norm)]
    return max(found, default=None)


# "months of no contact", "weeks without talking", "it's been months since we spoke". The
# number-less plural is at least two: 14 days for weeks, 60 for months, 730 for years.
_PLURAL_QUIET = re.compile(
    r"\b(weeks|months|years) (?:of (?:no contact|nc|silence|not (?:talking|speaking))|"
    r"(?:without|with no) (?:talking|speaking|contact)|since (?:i|we)\b(?:'ve|'d| have| had)? "
    r"(?:\w+ ){0,2}(?:talked|spoke|spoken|heard from|had (?:any )?contact))"
)
_UNIT_FLOOR = {"weeks": 14, "months": 60, "years": 730}
# "my month long silence", "a week-long no contact": one of the unit.
_LONG_QUIET = re.compile(
    r"\b(week|month|year)[\s-]long (?:silence|no contact|nc|break from (?:him|her|them))"
)
_UNIT_DAYS = {"week": 7, "month": 30, "year": 365}


def _with_quiet_words(norm: str, m: DurationMention) -> tuple[int, int]:
    """Return the span of a no-contact count joined with the nearest words of no contact in
    its sentence ("2 weeks of no contact", "no contact for 10 days")."""
    spans = sentences(norm)
    a, b = _sentence_at(spans, [a for a, _ in spans], m.start, len(norm))
    lo, hi = max(a, m.start - _NEAR), min(b, m.end + _NEAR)
    words = list(_NO_CONTACT_NEAR.finditer(norm, lo, hi))
    if not words:
        return m.start, m.end
    near = min(words, key=lambda w: min(abs(w.start() - m.end), abs(m.start - w.end())))
    return min(m.start, near.start()), max(m.end, near.end())


def _longest_quiet(norm: str, mentions: list[DurationMention]) -> DurationMention | None:
    counts = [m for m in _quiet_mentions(norm, mentions) if m.days is not None]
    return max(counts, key=lambda m: m.days or 0, default=None)


def _quiet_mentions(norm: str, mentions: list[DurationMention]) -> list[DurationMention]:
    """Return the durations that count days without contact: words of no contact close by
    *in the same sentence* ("He dumped me three weeks ago. I've been in no contact for 10
    days" counts 10, not 21: the three weeks belong to the breakup)."""
    spans = sentences(norm)
    starts = [a for a, _ in spans]
    out = []
    for m in mentions:
        # A point in time ("today, after months of no contact") dates the silence; it does
        # not count it.
        if m.days is None or m.kind == "relationship" or m.source == "relative":
            continue
        a, b = _sentence_at(spans, starts, m.start, len(norm))
        if _NO_CONTACT_NEAR.search(norm[max(a, m.start - _NEAR) : min(b, m.end + _NEAR)]):
            out.append(m)
    return out


def _sentence_at(
    spans: list[tuple[int, int]], starts: list[int], at: int, length: int
) -> tuple[int, int]:
    """Return the sentence (of ``spans``, in order, not overlapping) holding ``at``, or the
    whole text. A search, not a scan: a long text has many durations and many sentences."""
    i = bisect_right(starts, at) - 1
    if i >= 0 and spans[i][0] <= at < spans[i][1]:
        return spans[i]
    return 0, length


def _safety(checked: safety.SafetyResult, country: str | None, overrides: Any) -> StorySafety:
    """Return the safety block: crisis lines first, then domestic-abuse lines, emergency last."""
    if not (checked.crisis or checked.abuse):
        return StorySafety(result=checked)
    lines = resources.for_result(checked, country, overrides)
    return StorySafety(checked.crisis, checked.abuse, tuple(r.to_dict() for r in lines), checked)
