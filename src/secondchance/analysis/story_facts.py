"""The facts and flags a coach notices in a breakup story, each with the words that show it.

Everything here is phrase matching with a little context: negation ("we never lived
together"), hedges ("I think he's seeing someone"), and questions ("did she cheat?"). The
phrases live in ``data/story.toml``; this module compiles them once and judges each match.

Functions return ``Finding`` objects: a value plus the evidence that supports it. Nothing
here decides advice; ``story_plan`` does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from typing import Any

from secondchance.analysis.evidence import Evidence
from secondchance.analysis.guard import guarded
from secondchance.analysis.lexicon import load
from secondchance.analysis.text import SENTENCE_BREAK, expand, fold, sentences

_TOKEN = re.compile(r"[\w']+")
# A clause ends at sentence punctuation, a line break, or a turn such as "but"; wider than
# ``text.CLAUSE_BREAK`` on purpose: a story's facts are told in comma-separated runs.
_CLAUSE_BREAK = re.compile(r"[.!?;:,()\n]|\b(?:but|however|although|though|yet)\b", re.IGNORECASE)
_SENTENCE_END = SENTENCE_BREAK
# How many words before a phrase can negate or hedge it: "I have never once" is four.
_NEGATION_WORDS = 3
_HEDGE_WORDS = 6
# How far back (characters) the clause before a phrase is read.
_LOOK_BACK = 80

FLAG_NAMES = (
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
GROUPS = (
    "who_ended",
    "contact",
    "new_partner",
    "goal",
    "flags",
    "mistakes",
    "signals",
    "questions",
)
SIGNALS = (
    "over",
    "writer_new_partner",
    "resumed",
    "self_work",
    "emotional",
    "abuse_present",
    "unhealthy",
)
QUESTIONS = ("what_to_text", "should_wait", "stop_checking", "is_it_over", "get_back")
MISTAKES = (
    "drunk_texting",
    "begging",
    "contacting_new_partner",
    "checking_socials",
    "showing_up",
    "breaking_no_contact",
)


@dataclass(frozen=True, slots=True)
class Finding:
    """A value read from the text with the spans that support it (empty when nothing did)."""

    value: Any
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class _Rule:
    name: str
    pattern: re.Pattern[str]
    negatable: str  # "all" (the phrase and the words before it) | "before" | "none"
    factual: bool
    writer: bool  # must be the writer's own ("I moved on"), not "he moved on"
    keep: frozenset[str]  # negators that do not cancel this rule


@dataclass(frozen=True, slots=True)
class _Clue:
    """A flag read from a sentence: a word of it, who it concerns, and what rules it out."""

    words: re.Pattern[str]
    with_: re.Pattern[str]
    not_: re.Pattern[str] | None
    after_breakup: str  # "" | "yes" (unless no breakup is found) | "strict"
    min_hits: int


@dataclass(frozen=True, slots=True)
class _Lexicon:
    rules: dict[str, _Rule]  # "flags.infidelity", "contact.none", ...
    negators: frozenset[str]
    hedges: frozenset[str]
    wishes: frozenset[str]
    clause_starts: frozenset[str]
    by_others: re.Pattern[str]
    not_abuse: re.Pattern[str]
    pseudo: re.Pattern[str]
    events: re.Pattern[str]
    anchors: re.Pattern[str]
    romance: re.Pattern[str]
    anchors_needed: int
    first_person: re.Pattern[str]
    second_person: re.Pattern[str]
    he: re.Pattern[str]
    she: re.Pattern[str]
    clues: dict[str, _Clue]


def _compile(patterns: Iterable[str], macros: dict[str, str]) -> re.Pattern[str]:
    # Case-sensitive on purpose: texts are lowercased first (``normalise``), which makes the
    # scan nearly twice as fast as IGNORECASE. Patterns are written in lowercase.
    body = "|".join(f"(?:{expand(p.lower(), macros)})" for p in patterns)
    # The look-ahead of first letters (``guard``) passes most positions after one check.
    return guarded(re.compile(rf"(?<![\w'])(?:{body})(?![\w'])"))


@cache
def _lexicon() -> _Lexicon:
    data = load("story")
    macros = dict(data["macros"])
    rules: dict[str, _Rule] = {}
    for group in GROUPS:
        for name, spec in data[group].items():
            negatable = spec.get("negatable", True)
            rules[f"{group}.{name}"] = _Rule(
                name=name,
                pattern=_compile(spec["patterns"], macros),
                negatable={True: "all", False: "none"}.get(negatable, negatable),
                factual=bool(spec.get("factual", False)),
                writer=bool(spec.get("writer", False)),
                keep=frozenset(spec.get("keep", ())),
            )
    negation = data["negation"]
    story = data["story"]
    return _Lexicon(
        rules=rules,
        negators=frozenset(negation["words"]),
        hedges=frozenset(negation["hedges"]),
        wishes=frozenset(negation["wishes"]),
        clause_starts=frozenset(negation["clause_starts"]),
        by_others=_compile(data["abuse_context"]["by_others"], macros),
        not_abuse=_compile(data["abuse_context"]["not_abuse"], macros),
        pseudo=_compile(negation["pseudo"], {}),
        events=_compile(story["events"], macros),
        anchors=_compile(story["anchors"], macros),
        romance=_compile(story["romance"], macros),
        anchors_needed=int(story["anchors_needed"]),
        first_person=_compile(story["first_person"].split("|"), {}),
        second_person=_compile(story["second_person"].split("|"), {}),
        he=_compile(data["pronoun"]["he"], macros),
        she=_compile(data["pronoun"]["she"], macros),
        clues={
            name: _Clue(
                words=_compile(spec["words"], macros),
                with_=re.compile("|".join(expand(w, macros) for w in spec["with"])),
                not_=_compile(spec["not"], macros) if spec["not"] else None,
                after_breakup={True: "yes", False: ""}.get(
                    spec.get("after_breakup", False), spec.get("after_breakup")
                ),
                min_hits=int(spec.get("min_hits", 1)),
            )
            for name, spec in data["clues"].items()
        },
    )


# --- judging one match -----------------------------------------------------------------------


def _clause_words(lex: _Lexicon, text: str, start: int, cut: bool = True) -> list[str]:
    """Return the lowercase words of the clause before ``start``, pseudo-negations removed.

    With ``cut``, the words stop at a word that starts a new clause ("since", "and").
    """
    window = text[max(0, start - _LOOK_BACK) : start]
    breaks = list(_CLAUSE_BREAK.finditer(window))
    if breaks:
        window = window[breaks[-1].end() :]
    window = lex.pseudo.sub(" ", window)
    words = [w.replace("'", "").lower() for w in _TOKEN.findall(window)]
    if not cut:
        return words
    for i in range(len(words) - 1, -1, -1):
        if words[i] in lex.clause_starts:
            return words[i + 1 :]
    return words


def _negated(lex: _Lexicon, rule: _Rule, text: str, start: int, end: int) -> bool:
    """True when a negator stands just before the phrase in its clause (or inside it, for
    rules whose phrases are never negative on purpose). Words listed in ``rule.keep`` and
    pseudo-negations ("can't stop") do not count."""
    words = _clause_words(lex, text, start)[-_NEGATION_WORDS:]
    if rule.negatable == "all":
        inside = lex.pseudo.sub(" ", text[start:end])
        words += [w.replace("'", "").lower() for w in _TOKEN.findall(inside)]
    return any(w in lex.negators and w not in rule.keep for w in words)


def _someone_else(lex: _Lexicon, text: str, start: int) -> bool:
    """True when the nearest subject before the phrase is someone other than the writer.

    In a question, "you" is anyone, the writer included ("when do you stop missing him?").
    """
    for word in reversed(_clause_words(lex, text, start)[-_NEGATION_WORDS:]):
        if word in _WRITER:
            return False
        if word in ("you", "u") and _asks(text, start):
            return False
        if word in _OTHERS:
            return True
    return False


def _asks(text: str, start: int) -> bool:
    stop = _SENTENCE_END.search(text, start, min(len(text), start + 200))
    return stop is not None and stop.group(0) == "?"


_WRITER = frozenset({"i", "im", "ive", "id", "ill", "me", "my", "we", "were", "weve"})
_OTHERS = frozenset(
    {
        "he",
        "hes",
        "she",
        "shes",
        "they",
        "theyre",
        "you",
        "youre",
        "youll",
        "u",
        "ex",
        "people",
        "friend",
        "friends",
        "bestie",
        "sister",
        "brother",
        "mom",
        "mum",
        "mother",
        "dad",
        "father",
        "cousin",
        "roommate",
        "coworker",
        "colleague",
        "boss",
    }
)


def _hedged(lex: _Lexicon, text: str, start: int, end: int) -> bool:
    """True for a guess, wish or worry ("I think he's seeing someone") or a question."""
    before = _clause_words(lex, text, start)[-_HEDGE_WORDS:]
    # "going" is a plan only as "going to" ("he's going through a rocky patch" is a fact).
    after = [*before[1:], ""] if before else []
    if any(
        w in lex.hedges and (w != "going" or nxt == "to")
        for w, nxt in zip(before, after, strict=True)
    ):
        return True
    stop = _SENTENCE_END.search(text, end, min(len(text), end + 200))
    return stop is not None and stop.group(0) == "?"


def _matches(
    text: str, rule: _Rule, lex: _Lexicon
) -> tuple[list[re.Match[str]], list[re.Match[str]]]:
    """Return (kept, negated) matches of ``rule``; hedged factual matches are dropped."""
    kept, negated = [], []
    for m in rule.pattern.finditer(text):
        if rule.writer and _someone_else(lex, text, m.start()):
            continue
        if rule.negatable != "none" and _negated(lex, rule, text, m.start(), m.end()):
            negated.append(m)
        elif rule.factual and _hedged(lex, text, m.start(), m.end()):
            continue
        else:
            kept.append(m)
    return kept, negated


def _evidence(about: str, text: str, found: Iterable[re.Match[str]]) -> tuple[Evidence, ...]:
    return tuple(Evidence.from_match(about, text, m.start(), m.end()) for m in found)


# --- facts -------------------------------------------------------------------------------------


def who_ended(text: str, norm: str) -> Finding:
    """Return ``ex``, ``user``, ``mutual`` or ``unclear``.

    "Mutual" said outright wins. Otherwise the side named more often wins; on a tie, the one
    named last (stories run in order, and the last breakup is the one being told).
    """
    lex = _lexicon()
    sides = {}
    for side in ("mutual", "ex", "user"):
        kept, _ = _matches(norm, lex.rules[f"who_ended.{side}"], lex)
        # "If you leave, you'll be alone": a condition, not an ending that happened.
        sides[side] = [m for m in kept if not _conditional(lex, norm, m)]
    # "My girlfriend and I decided to break up": the "I" is half of "we", so the ending is
    # the couple's; decided together it is mutual, otherwise it says no side.
    paired = [m for m in sides["user"] if _PAIRED.search(norm, max(0, m.start() - 40), m.start())]
    sides["user"] = [m for m in sides["user"] if m not in paired]
    sides["mutual"] += [m for m in paired if _DECIDED.search(m.group(0))]
    if sides["mutual"]:
        return Finding("mutual", _evidence("who_ended", text, sides["mutual"][:2]))
    ex, user = sides["ex"], sides["user"]
    if not ex and not user:
        return Finding("unclear")
    if len(ex) != len(user):
        side = "ex" if len(ex) > len(user) else "user"
    else:
        side = "ex" if ex[-1].start() > user[-1].start() else "user"
    return Finding(side, _evidence("who_ended", text, sides[side][:2]))


# The ex named just before "and I": the two of them as one subject ("my girlfriend and I").
_PAIRED = re.compile(
    r"\b(?:him|her|them|ex|boyfriend|girlfriend|husband|wife|partner|bf|gf|fianc[eé]e?)"
    r"(?: ?\([^)]{1,12}\))? and $"
)
_DECIDED = re.compile(r"\b(?:decided|agreed|chose)\b")


def _conditional(lex: _Lexicon, norm: str, m: re.Match[str]) -> bool:
    """True when "if" or "unless" opens the clause just before the phrase."""
    return any(w in ("if", "unless") for w in _clause_words(lex, norm, m.start(), cut=False)[-3:])


def contact(text: str, norm: str) -> Finding:
    """Return the contact now: ``intimate``, ``unavoidable``, ``none``, ``some`` or ``unclear``.

    Sleeping together outranks everything; then contact that work, school, children or a
    shared home force. Between ``none`` and ``some``, the one mentioned last wins: a story
    ends where the writer is now.
    """
    lex = _lexicon()
    none, _ = _matches(norm, lex.rules["contact.none"], lex)
    # Read in the writer's own words: a "letter" may be advice to anyone ("your ex").
    plain = text.lower()
    none = [m for m in none if not _GENERIC.search(_sentence_of(plain, m.start()))]
    # "We'd had six weeks of no contact and then...": a silence told as before something else.
    none = [m for m in none if not _HAD_HAD.search(_sentence_before(norm, m.start()))]
    # "He has me blocked on everything except Snapchat": a door left open is not a silence.
    none = [m for m in none if not _PARTIAL.match(norm, m.end())]
    for state in ("intimate", "unavoidable"):
        kept, _ = _matches(norm, lex.rules[f"contact.{state}"], lex)
        if state == "unavoidable":
            # "We worked in the same office until he quit": a tie that held once, not now.
            kept = [m for m in kept if not _tie_over(_sentence_of(norm, m.start()))]
        # Sleeping together, then a silence told after it ("she ghosted me"): the silence is
        # where they are now. Children or work keep them in touch through any silence.
        if kept and state == "intimate" and none and none[-1].start() > kept[-1].end():
            return Finding("none", _evidence("contact", text, none[-1:]))
        if kept:
            return Finding(state, _evidence("contact", text, kept[:2]))
    some, _ = _matches(norm, lex.rules["contact.some"], lex)
    # "After he broke it off I initially sent him a few texts", "once I did send him a note":
    # an episode told as over, not where they are now.
    # A sentence that opens with "if" is a supposition ("if he asked me to count how many
    # times he texted me ..."), not an account.
    some = [m for m in some if not _EPISODE.search(_sentence_before(norm, m.start()))]
    some = [m for m in some if not _sentence_before(norm, m.start()).lstrip().startswith("if ")]
    # "The letters he wrote me early on", "when we were together he texted me every day":
    # the relationship's own days, not contact now.
    some = [m for m in some if not _ERA.search(_sentence_of(norm, m.start()))]
    # "Healed is when you don't contact your ex": advice to anyone, not the writer's days.
    some = [m for m in some if not _GENERIC.search(_sentence_of(plain, m.start()))]
    if not none and not some:
        return Finding("unclear")
    last_none = none[-1].start() if none else -1
    last_some = some[-1].start() if some else -1
    state, found = ("none", none) if last_none > last_some else ("some", some)
    later = [m for m in some if m.start() > last_none]
    if state == "some" and none and _only_reached_out(norm, later):
        # "After months of no contact, he texted me": the ex wrote once and the story tells
        # no answer, so the silence the writer keeps still holds.
        return Finding("none", _evidence("contact", text, [none[-1]]))
    return Finding(state, _evidence("contact", text, found[-2:]))


def _only_reached_out(norm: str, later: list[re.Match[str]]) -> bool:
    """True when every contact told after the last silence is the ex writing to the writer
    once ("he texted me", "I got a message from her"), only just now ("yesterday", "my ex
    just texted me"), with no answer from the writer told after it: the writer is still
    deciding, so it is one-way contact, not talking again. A message told as an episode of
    the past ("one night I got a message") starts a story of talking again."""
    if not later or not all(_REACHED_OUT.match(m.group(0)) for m in later):
        return False
    if not any(_JUST_NOW.search(norm, max(0, m.start() - _NOW_REACH), m.end()) for m in later):
        return False
    return _ANSWERED.search(norm, later[0].end()) is None


# The ex writing once, in the past: not a habit ("texts me every day") nor the writer's act.
_REACHED_OUT = re.compile(
    r"(?:(?:he|she|they|my \S+|the ex)\b.*\b(?:texted|messaged|called|emailed|reached out|"
    r"contacted|wrote|sent|dm'?d|snapped)(?! back)\b|(?:got|received) a\b.*\bfrom\b)"
)
# Words that put the ex's message in the last day or so, close before it or inside it.
_JUST_NOW = re.compile(r"\b(?:just|today|tonight|yesterday|last night|this (?:morning|evening))\b")
_NOW_REACH = 120
# The writer answering or writing back, or the two talking: contact is back both ways.
_ANSWERED = re.compile(
    r"\bi (?:\w+ )?(?:replied|responded|answered|wrote back|texted (?:him|her|them)? ?back|"
    r"called (?:him|her|them) back|texted (?:him|her|them)|messaged (?:him|her|them))\b|"
    r"\bwe (?:\w+ )?(?:talked|spoke|texted|met|chatted)\b"
)


def _sentence_before(norm: str, at: int) -> str:
    """Return the words of the sentence that holds ``at``, up to ``at``."""
    lo = max(0, at - _SENTENCE_REACH)
    ends = list(_SENTENCE_END.finditer(norm, lo, at))
    return norm[ends[-1].end() if ends else lo : at]


def _sentence_of(norm: str, at: int) -> str:
    """Return the whole sentence that holds ``at`` (up to ``_SENTENCE_REACH`` each side)."""
    end = _SENTENCE_END.search(norm, at, at + _SENTENCE_REACH)
    return _sentence_before(norm, at) + norm[at : end.end() if end else at + _SENTENCE_REACH]


_SENTENCE_REACH = 200
# Just after a block: what it leaves open ("blocked on everything except Snapchat").
_PARTIAL = re.compile(r"(?: \w+){0,3} (?:besides|except|but not|apart from)\b")


def _tie_over(sentence: str) -> bool:
    """True when the sentence tells a shared job, school or home as over, or children grown."""
    return bool(_TIE_OVER.search(sentence)) and not _STILL.search(sentence)


# A tie told as the past: "worked", "used to", "until he quit", "grown children".
_TIE_OVER = re.compile(
    r"\b(?:worked|used to|went to|until (?:he|she|they|i) (?:quit|left|moved|graduated|changed)|"
    r"(?:quit|left|lost) (?:his|her|their|my|the) job|resigned|graduated|grown|adult)\b"
)
_STILL = re.compile(r"\bstill\b")
# Someone's ex in general, told to the reader: "when you don't contact your ex". A letter
# to the ex is read with "your" turned into the ex's own words before this.
_GENERIC = re.compile(r"\byour (?:ex|ex-\w+|partner|former)\b")
# The relationship's own days told in the sentence: contact then, not now.
_ERA = re.compile(
    r"\b(?:early on|in the beginning of (?:our|the) relationship|during (?:our|the) relationship|"
    r"when we (?:were|first) (?:together|dating|a couple|started)|"
    r"while we were (?:together|dating)|back then|used to)\b"
)
# The past before the past: "we'd had", "I had had".
_HAD_HAD = re.compile(r"\b(?:we'd|i'd|we had|i had|had) had\b")
# Words that tell a contact as one episode in the past: once, at first, the first week.
_EPISODE = re.compile(
    r"\b(?:once|initially|at first|in the beginning|at the beginning|the first (?:week|weeks|"
    r"few days|day|days|month|couple of (?:days|weeks)))\b"
)


def ex_new_partner(text: str, norm: str) -> Finding:
    """Return ``True``, ``False`` (said outright: "she isn't seeing anyone") or ``None``.

    A negated "he's dating someone" counts as ``False``; a guess or a question counts as
    nothing at all.
    """
    lex = _lexicon()
    yes, denied = _matches(norm, lex.rules["new_partner.yes"], lex)
    if yes:
        return Finding(True, _evidence("ex_new_partner", text, yes[:2]))
    no, _ = _matches(norm, lex.rules["new_partner.no"], lex)
    no = sorted([*no, *denied], key=lambda m: m.start())
    if no:
        return Finding(False, _evidence("ex_new_partner", text, no[:2]))
    return Finding(None)


def goal(text: str, norm: str) -> Finding:
    """Return ``reconcile``, ``move_on`` or ``unclear``.

    A negated wish flips sides ("I don't want him back" is moving on; "I don't want to move
    on" is holding on). A wish said outright ("how do I move on") weighs double. The side
    with clearly more weight wins (at least 1.5 times the other); a close call is ``unclear``.
    """
    lex = _lexicon()
    back, back_denied = _matches(norm, lex.rules["goal.reconcile"], lex)
    on, on_denied = _matches(norm, lex.rules["goal.move_on"], lex)
    closure, _ = _matches(norm, lex.rules["goal.closure"], lex)
    # "not healed yet" is a way still being walked, and "no way I get over her if..." a
    # condition: neither is a wish to go back, unlike "I'm not going to get over her".
    on_denied = [x for x in on_denied if not _UNFINISHED.match(norm, x.end())]
    reconcile = [x for x in sorted([*back, *on_denied], key=lambda m: m.start())]
    move_on = [x for x in sorted([*on, *back_denied, *closure], key=lambda m: m.start())]
    # A pretence, an "if" or someone else's idea of the writer is not what they want, nor
    # the ex's own wish told in the clause ("now he wants to get back together").
    reconcile = [x for x in reconcile if not _not_own_wish(lex, norm, x)]
    reconcile = [x for x in reconcile if not _theirs(lex, norm, x)]
    move_on = [x for x in move_on if not _not_own_wish(lex, norm, x)]
    move_on = [x for x in move_on if not _theirs(lex, norm, x)]
    # "whatever helps them move on", "watching him move on": someone else's moving on.
    move_on = [
        x for x in move_on if not _OTHER_DOES.search(norm, max(0, x.start() - 30), x.start())
    ]
    # "If she gets married, I don't want her back": a condition on the ex, not the wish.
    reconcile = [x for x in reconcile if not _IF_EX.match(_sentence_before(norm, x.start()))]
    move_on = [x for x in move_on if not _IF_EX.match(_sentence_before(norm, x.start()))]
    # "Is there any hope of being real friends?": friendship, not getting back together.
    reconcile = [x for x in reconcile if not _AS_FRIENDS.match(norm, x.end())]
    # "I was the one who let go", "I loved you too much to let go", "it'd be enough to
    # forget him": an act told, a thing not done, a supposition; none is a wish to move on.
    move_on = [x for x in move_on if not _not_a_wish(norm, x)]
    # "every time things end, I move on quickly", "I thought I would let him go", "went no
    # contact in an attempt to get over her": a habit or an intention of back then, told.
    move_on = [x for x in move_on if not _told_not_wished(norm, x)]
    reconcile = [x for x in reconcile if not _HABIT.search(_sentence_before(norm, x.start()))]
    # "A part of me wants to give her a second chance, and the other part...": the writer
    # split in two says neither wish outright.
    if _SPLIT.search(norm):
        reconcile = [x for x in reconcile if not _PART.search(_sentence_before(norm, x.start()))]
        move_on = [x for x in move_on if not _PART.search(_sentence_before(norm, x.start()))]
    # "I wish we could start over": the couple starting again is holding on, not moving on.
    move_on = [
        x
        for x in move_on
        if not (
            x.group(0).startswith("start")
            and _WE_LEAD.search(norm, max(0, x.start() - 30), x.start())
        )
    ]
    # "I know there isn't much hope of a reconciliation": a judgement of the odds, not a wish.
    reconcile = [
        x for x in reconcile if not _NO_HOPE.search(norm, max(0, x.start() - 40), x.start())
    ]
    # "I was so ready to work to make it work": the writer's state then, told in the past.
    reconcile = [
        x for x in reconcile if not _PAST_WISH.search(norm, max(0, x.start() - 40), x.start())
    ]
    move_on = [x for x in move_on if not _PAST_WISH.search(norm, max(0, x.start() - 40), x.start())]
    # "I used to want him back, but now...": a wish the writer had, not the one they have.
    reconcile = [
        x for x in reconcile if not _USED_TO.search(norm, max(0, x.start() - 30), x.start())
    ]
    move_on = [x for x in move_on if not _USED_TO.search(norm, max(0, x.start() - 30), x.start())]
    # "How long should I keep my heart open before I move on?": a time told by it, not a wish.
    move_on = [x for x in move_on if not _when(lex, norm, x)]
    reconcile = [x for x in reconcile if not _when(lex, norm, x)]
    # "I will move on soon if he doesn't stop": a condition, a threat, not the wish itself.
    reconcile = [x for x in reconcile if not _IF_AFTER.match(norm, x.end())]
    move_on = [x for x in move_on if not _IF_AFTER.match(norm, x.end())]
    # "Should I move on?" asks which way to go: it is not yet a wish either way.
    reconcile = [x for x in reconcile if not _asks_whether(lex, norm, x)]
    move_on = [x for x in move_on if not _asks_whether(lex, norm, x)]
    # "I can't let go" tells where the writer is stuck, not which way they want to go.
    move_on = [x for x in move_on if not _unable(lex, norm, x)]
    if reconcile and move_on:
        # Both wishes told: what the writer asks for decides ("I really want to get back
        # together with him ... what can I do to get over this?").
        asked_r = [x for x in reconcile if _asked(norm, x)]
        asked_m = [x for x in move_on if _asked(norm, x)]
        if asked_m and not asked_r:
            return Finding("move_on", _evidence("goal", text, asked_m[:2]))
        if asked_r and not asked_m:
            return Finding("reconcile", _evidence("goal", text, asked_r[:2]))
        if asked_r and asked_m:
            # Both asked: the writer's last question is where the story ends up.
            last_r, last_m = asked_r[-1].start(), asked_m[-1].start()
            side, asked = ("reconcile", asked_r) if last_r > last_m else ("move_on", asked_m)
            return Finding(side, _evidence("goal", text, asked[-2:]))
    r = sum(_wish_weight(lex, norm, x) for x in reconcile)
    m = sum(_wish_weight(lex, norm, x) for x in move_on)
    if r and r >= 1.5 * m:
        return Finding("reconcile", _evidence("goal", text, reconcile[:2]))
    if m and m >= 1.5 * r:
        return Finding("move_on", _evidence("goal", text, move_on[:2]))
    return Finding("unclear")


# The couple as the subject just before: "we could", "we'd".
_WE_LEAD = re.compile(r"\bwe(?:'d|'ll)? (?:[\w']+ ){0,2}$")
# Someone else as the subject of a bare verb: "helps them", "watch him", "let her".
_OTHER_DOES = re.compile(
    r"\b(?:help|helps|helped|helping|let|lets|watch|watched|watching|see|saw|seeing|make|"
    r"makes|made) (?:him|her|them|people|others|everyone|someone) (?:to )?$"
)
# A sentence that opens on a condition about the ex: "If she gets married, ...".
_IF_EX = re.compile(
    r"\s*(?:if|unless|once) (?:he|she|they|my (?:ex|boyfriend|girlfriend|husband|wife)|the ex)\b"
)
# Friendship as what is hoped for: "... any hope of being real, genuine, friends".
_AS_FRIENDS = re.compile(
    r"(?: (?:of|for|that|to|we|can|could|will|be|being|just|stay|staying|remain|remaining|"
    r"good|real|genuine|true|close|even|still)[,]?){1,6} friends\b"
)
# Just before a "let go" that tells who ended it ("I was the one who let go"). A bare "I let
# go" is often the writer's peace told as done, and stays a move-on phrase.
_LET_GO_DONE = re.compile(r"\b(?:who|that) $")
# "too much to let go", "too scared to move on": the thing is not done.
_TOO_TO = re.compile(r"\btoo (?:[\w']+ ){1,2}to $")
# A supposition about how it would be: "it'd be enough to forget about him", "it would give
# me a chance to get over him".
_SUPPOSED = re.compile(r"\bit(?:'d| would) (?:[\w']+ ){0,5}$")


def _not_a_wish(norm: str, m: re.Match[str]) -> bool:
    """True for a move-on phrase that tells an act or a supposition, not a wish: "the one
    who let go" tells who left, "too ... to" says it was not done, "it'd be ... to"
    supposes."""
    before = norm[max(0, m.start() - 40) : m.start()]
    if m.group(0).startswith("let ") and _LET_GO_DONE.search(before):
        return True
    return bool(_TOO_TO.search(before) or _SUPPOSED.search(before))


# The writer split in two: "part of me ... the other part", "a part of me ... a part of me".
_SPLIT = re.compile(
    r"\bpart of me\b[\s\S]{0,300}?\b(?:(?:the )?other part|another part|part of me|"
    r"the rest of me)\b"
)
_PART = re.compile(r"\b(?:part of me|other part|another part|the rest of me)\b")
# A habit told, in the sentence before the phrase: "every time it ends, I move on",
# "usually I would be the one who would go back to him".
_HABIT = re.compile(r"\b(?:every time|each time|whenever|every single time|usually)\b")
# An intention or a brink of back then, just before the phrase: "I thought I would", "was
# going to", "I had walked right up to the point of".
_THEN = re.compile(
    r"\b(?:i (?:thought|figured|assumed) (?:that )?i(?:'d| would)|(?:was|were) going to|"
    r"i had (?:[\w']+ )?[\w']+ed(?: [\w']+){0,6} (?:to|of))(?: [\w']+){0,2} $"
)
# Letting go told as the thing regretted: "a mistake to", "I regret".
_REGRETTED = re.compile(r"\b(?:mistake (?:to|by|in)|regret(?:ted|ting)?(?: [\w']+){0,2}) $")
# A purpose: "in an attempt to", "in order to", "so as to".
_PURPOSE = re.compile(r"\b(?:in (?:an )?attempt to|in order to|so as to)(?: [\w']+){0,4} $")
# The writer and a verb in the past just before: "i initiated", "i went", "i finally started".
_I_DID = re.compile(
    r"\bi (?:[\w']+ )?(?:[\w']+ed|went|did|began|took|made|got|gave|cut|left|blocked|quit)\b"
)
# After the phrase: the couple doing it ("move on together") or someone moving on to a new
# partner ("move on to someone new", "moving on with a new partner"): not the writer's wish.
_NOT_OVER_IT = re.compile(
    r" (?:together\b|(?:to|with) (?:someone|somebody|another|a new|his new|her new|the new))"
)


def _told_not_wished(norm: str, m: re.Match[str]) -> bool:
    """True for a move-on phrase told, not wished: a habit ("every time things end with a
    guy, I move on"), an intention or a brink of back then ("I thought I would let him go",
    "I had walked right up to the point of letting go"), the purpose of something the writer
    did ("I went no contact in an attempt to get over her"), a regret ("a mistake to let him
    go"), the couple moving on together, or moving on to someone new (the ex's)."""
    before = _sentence_before(norm, m.start())
    if _HABIT.search(before) or _THEN.search(before) or _NOT_OVER_IT.match(norm, m.end()):
        return True
    if _REGRETTED.search(before):
        return True  # "it was a mistake to let him go": the regret, holding on
    purpose = _PURPOSE.search(before)
    return purpose is not None and _I_DID.search(before, 0, purpose.start()) is not None


# A wish told as the writer's state back then: "I was so ready to", "I had been determined to".
_PAST_WISH = re.compile(
    r"\bi (?:was|had been) (?:so |really |more than |still )?(?:ready|willing|determined)"
    r" to (?:[\w']+ ){0,3}$"
)
# A wish the writer used to have: "I used to want him back".
_USED_TO = re.compile(r"\bused to (?:[\w']+ ){0,2}$")
# Little or no hope of it, just before a reconcile phrase.
_NO_HOPE = re.compile(
    r"\b(?:no|not much|isn't much|is not much|little|without|not a lot of|zero) (?:real )?"
    r"(?:hope|chance) (?:of|for|that) (?:a |an |the |us |we )?$"
)
# A condition told right after a wish: "... move on soon if he doesn't stop".
_IF_AFTER = re.compile(r"(?: [\w']+){0,2}? (?:if|unless)\b")
# What may follow a denied "moving on" that makes it a state on the way, or a condition.
_UNFINISHED = re.compile(r"(?: [\w']+){0,2}? (?:yet|if|unless|until)\b")


def _asks_whether(lex: _Lexicon, norm: str, m: re.Match[str]) -> bool:
    """True for a question that weighs the choice ("should I move on?", "is it time to let go?")."""
    stop = _SENTENCE_END.search(norm, m.end(), min(len(norm), m.end() + 200))
    if stop is None or stop.group(0) != "?":
        return False
    words = _clause_words(lex, norm, m.start(), cut=False)[-_HEDGE_WORDS:]
    # The phrase may open with the question's own words ("do you think I should let it go?").
    words += [w.replace("'", "") for w in _TOKEN.findall(m.group(0))[:2]]
    if _proposed(words):
        return False  # "should I ask him if he wants to work things out?": how, not whether
    if "whether" in words:
        return True
    if any(w in _HOPED for w in words):
        return False  # "is it possible to get back together?": a hope asked about
    # "should I ...?", and "would it be stupid to ...?", "is it wrong to ...?": weighing it.
    if any(
        (a in _WHETHER and b in {"i", "we"}) or (a in _WEIGH and b == "it")
        for a, b in pairwise(words)
    ):
        return True
    # "Do you think I should let it go?": the choice put to someone else.
    return "think" in words and any(a in {"i", "we"} and b in _WHETHER for a, b in pairwise(words))


_WHETHER = frozenset({"should", "shall", "must"})
# Asking about the odds is hoping: "is it possible to...", "is it too late to...".
_HOPED = frozenset({"possible", "late", "likely", "realistic"})
_WEIGH = frozenset({"would", "is", "was", "will"})


def _when(lex: _Lexicon, norm: str, m: re.Match[str]) -> bool:
    """True when the phrase sits in a clause of time ("before I move on", "until we get back
    together"): it dates something else."""
    words = _clause_words(lex, norm, m.start(), cut=False)[-2:]
    return bool(words) and (words[0] in _TIME_WORDS or words[-1] in _TIME_WORDS)


_TIME_WORDS = frozenset({"before", "until", "till", "til"})


def _asked(norm: str, m: re.Match[str]) -> bool:
    """True when the phrase's sentence is a question ("what can I do to get over this?")."""
    stop = _SENTENCE_END.search(norm, m.end(), min(len(norm), m.end() + 200))
    return stop is not None and stop.group(0) == "?"


def _unable(lex: _Lexicon, norm: str, m: re.Match[str]) -> bool:
    """True for letting go of the ex told as beyond the writer now ("I can't let go of us",
    "I just can't get him out of my head", "I can't let go yet"): held to the person, not a
    wish to be over it,
    unlike "I can't move on" (the writer wants to and is stuck). A question asking how
    ("how do I get him out of my head when I can't") is still a wish."""
    words = _clause_words(lex, norm, m.start())[-_NEGATION_WORDS:]
    if not any(w in _UNABLE for w in words):
        return False
    held = _HELD.search(norm, m.start(), min(len(norm), m.end() + 6))
    if held is None and not _YET.match(norm, m.end()):
        return False
    stop = _SENTENCE_END.search(norm, m.end(), min(len(norm), m.end() + 200))
    return stop is None or stop.group(0) != "?"


_UNABLE = frozenset({"cant", "cannot", "couldnt"})
# "I can't let go yet": still stuck, whatever is held.
_YET = re.compile(r" yet\b")
# The ex or the couple as what is held on to.
_HELD = re.compile(r"\b(?:him|her|them|us|my ex)\b")


def _not_own_wish(lex: _Lexicon, norm: str, m: re.Match[str]) -> bool:
    """True for a wish that is a pretence, a condition, someone else's idea, an impulse held
    back ("the temptation of texting her and trying to get her back"), or done and past ("it
    took me years to get over the breakup")."""
    words = _clause_words(lex, norm, m.start(), cut=False)
    return any(
        w in _NOT_OWN and not (w == "if" and _asked_if(words, i)) for i, w in enumerate(words)
    )


def _asked_if(words: list[str], i: int) -> bool:
    """True when the "if" at ``words[i]`` opens an asked question, not a condition ("to see
    if he'd reconsider", "ask him if he wants to", "advice, and if there is any way...")."""
    if words[i + 1 : i + 3] in (["there", "is"], ["theres", "any"], ["theres", "a"]):
        return True  # "... and if there is any way of getting him back": whether, asked
    return any(w in _ASK_IF for w in words[max(0, i - 2) : i])


def _proposed(words: list[str]) -> bool:
    """True when the writer asks or tells the ex the wish ("ask him if he wants to"): the
    wish is the writer's own, put to the ex."""
    return any(w in _PROPOSE for w in words) and any(w in ("if", "whether", "to") for w in words)


# Verbs whose "if" opens an asked question: "see if", "ask her if", "wonder if".
_ASK_IF = frozenset({"see", "ask", "asked", "asking", "wonder", "wondering", "check"})
# Verbs of putting a wish to the ex: "ask him if", "tell her I want to", "suggest we".
_PROPOSE = frozenset({"ask", "asking", "tell", "telling", "suggest", "propose"})


def _theirs(lex: _Lexicon, norm: str, m: re.Match[str]) -> bool:
    """True when the nearest one-sided subject before the phrase in its clause is the ex
    ("he wants to", "she's been sending messages that suggest"): their wish, not the
    writer's. "We" is both of them and is passed over; a phrase that opens with the writer
    ("I want to be with") is the writer's."""
    first = _TOKEN.match(m.group(0))
    lead = first.group(0).replace("'", "") if first is not None else ""
    if lead in _WRITER_ONLY:
        return False
    words = _clause_words(lex, norm, m.start(), cut=False)
    for i in range(len(words) - 1, -1, -1):
        word = words[i]
        if word in _WRITER_ONLY:
            return False  # "I want to see if he'd reconsider": the writer's wish about him
        if word in _EX_ONLY:
            # "ask him if he wants to work things out": the writer's wish put to him.
            return not (i and words[i - 1] in ("if", "whether") and _proposed(words[:i]))
        if word in lex.clause_starts and word != "that":
            # "he is the one who wanted to talk and start over": a verb with no subject of
            # its own after "and" (or after "the one who") keeps the subject before it.
            nxt = words[i + 1] if i + 1 < len(words) else ""
            if word == "and" and (not nxt or nxt in lex.wishes or nxt in _WANTED):
                continue
            if word == "who" and words[max(0, i - 2) : i] == ["the", "one"]:
                continue
            return False  # "he loves me and there is a chance that we'll get back together"
    # No subject in the clause: "she asked me to stay, didn't rule out getting back together"
    # keeps the subject the sentence opens with, when the ex is the only one in it.
    if not words or words[0] in lex.clause_starts:
        return False
    tokens = [w.replace("'", "") for w in _TOKEN.findall(_sentence_before(norm, m.start()))]
    subjects = [w for w in tokens if w in _EX_ONLY or w in _WRITER_ONLY or w == "we"]
    return bool(subjects) and tokens[0] in _EX_ONLY and all(w in _EX_ONLY for w in subjects)


_WRITER_ONLY = frozenset({"i", "im", "ive", "id", "ill"})
_WANTED = frozenset({"wanted", "wants"})
_EX_ONLY = frozenset({"he", "hes", "she", "shes", "hed", "shed"})


_NOT_OWN = frozenset(
    {"pretend", "pretending", "pretended", "if", "assume", "assumes", "assumed", "thinks",
     "believes", "seem", "seems", "act", "acting", "instead", "took", "temptation", "urge",
     "urges"}
)  # fmt: skip


def _wish_weight(lex: _Lexicon, norm: str, m: re.Match[str]) -> int:
    """Return 2 for a wish said outright ("how do I move on", "I want him back"), else 1."""
    words = _clause_words(lex, norm, m.start(), cut=False)[-_HEDGE_WORDS:]
    words += [w.lower() for w in _TOKEN.findall(m.group(0)) if w.lower() in _WISH_INSIDE]
    weight = 2 if any(w in lex.wishes for w in words) else 1
    # What the writer asks for is what they want most: "what can I do to get over this?"
    stop = _SENTENCE_END.search(norm, m.end(), min(len(norm), m.end() + 200))
    return weight + 1 if stop is not None and stop.group(0) == "?" else weight


# Inside a phrase only these make it a wish: "want him back" and "I need to heal" are, "hold
# onto hope" is not.
_WISH_INSIDE = frozenset({"want", "wanna", "how", "need"})


def flags(text: str, norm: str, seen: str | None = None) -> dict[str, Finding]:
    """Return the story flags found (not the safety ones), each with its evidence.

    ``seen`` is the text with other people's words blanked: what the ex or the writer did
    (cheating, drinking, coming and going) is read there, so a friend's story or a quoted
    accusation does not count. Facts of their life together are read in ``norm``.
    """
    lex = _lexicon()
    found = {}
    for name in FLAG_NAMES:
        where = seen if seen is not None and name in _DEEDS else norm
        kept, _ = _matches(where, lex.rules[f"flags.{name}"], lex)
        if kept:
            found[name] = Finding(True, _evidence(name, text, kept[:2]))
    return found


_DEEDS = frozenset({"infidelity", "hot_and_cold", "ex_substance", "user_substance"})


def clues(
    text: str, norm: str, breakup_at: int | None, only: frozenset[str] | None = None
) -> dict[str, Finding]:
    """Return the flags read sentence by sentence (see ``[clues]`` in the data file).

    A sentence counts when it has a word of the flag, names who it must concern, has none of
    the words that rule it out, and no negation stands just before the word. Flags limited
    to after the breakup skip sentences before ``breakup_at`` unless they say "still",
    "again" or "since".
    """
    lex = _lexicon()
    hits: dict[str, list[Evidence]] = {}
    for start, end in sentences(norm):
        sentence = norm[start:end]
        for name, clue in lex.clues.items():
            if (only is not None and name not in only) or len(hits.get(name, ())) >= clue.min_hits:
                continue
            m = clue.words.search(sentence)
            if m is None or not clue.with_.search(sentence):
                continue
            if clue.not_ is not None and clue.not_.search(sentence):
                continue
            if clue.after_breakup and not _after(start, breakup_at, sentence, clue.after_breakup):
                continue
            before = [w.replace("'", "") for w in _TOKEN.findall(sentence[: m.start()])]
            if any(w in lex.negators for w in before[-_NEGATION_WORDS:]):
                continue
            # A worry, a dream or a plan ("I was scared he was cheating") is not a fact.
            if any(w in lex.hedges for w in before[-_HEDGE_WORDS:]) or _DENIED.search(sentence):
                continue
            span = Evidence.from_match(name, text, start + m.start(), start + m.end())
            hits.setdefault(name, []).append(span)
    return {
        name: Finding(True, tuple(spans))
        for name, spans in hits.items()
        if len(spans) >= lex.clues[name].min_hits
    }


def clue_names() -> tuple[str, ...]:
    """Return the names of the sentence clues in the data file."""
    return tuple(_lexicon().clues)


def _after(start: int, breakup_at: int | None, sentence: str, how: str) -> bool:
    if _STILL.search(sentence):
        return True
    if breakup_at is None:
        return how != "strict"
    return start > breakup_at


# "..., but she wasn't": the sentence takes it back.
_DENIED = re.compile(
    r"\bbut (?:he|she|they|i|it) (?:wasn't|wasnt|didn't|didnt|was not|did not|isn't|never)\b"
)
_STILL = re.compile(r"\b(?:still|again|since|anymore|these days|now)\b")


def mistakes(text: str, norm: str) -> dict[str, Finding]:
    """Return the habits the program asks to stop (drunk texting, begging...), with evidence."""
    lex = _lexicon()
    found = {}
    for name in MISTAKES:
        kept, _ = _matches(norm, lex.rules[f"mistakes.{name}"], lex)
        if kept:
            found[name] = Finding(True, _evidence(f"mistake.{name}", text, kept[:1]))
    return found


def signals(text: str, norm: str) -> dict[str, Finding]:
    """Return where the writer is now, as the plan reads it (``SIGNALS``), with evidence.

    Fear of the ex told as a state of back then ("I was scared of him") is not fear now: it
    does not make the abuse present.
    """
    found = _found(text, norm, "signals", [n for n in SIGNALS if n != "abuse_present"])
    lex = _lexicon()
    kept, _ = _matches(norm, lex.rules["signals.abuse_present"], lex)
    kept = [m for m in kept if not _WAS_THEN.search(norm, max(0, m.start() - 30), m.start())]
    if kept:
        found["abuse_present"] = Finding(True, _evidence("signal.abuse_present", text, kept[:1]))
    return {name: found[name] for name in SIGNALS if name in found}


# A state told in the past just before: "I was scared of", "we were so afraid that".
_WAS_THEN = re.compile(
    r"\b(?:i|we) (?:was|were|had been|used to be)(?: (?:so|too|really|very|always))? $"
)


def questions(text: str, norm: str) -> dict[str, Finding]:
    """Return what the writer asks (``QUESTIONS``), first asked first."""
    found = _found(text, norm, "questions", QUESTIONS)
    return dict(sorted(found.items(), key=lambda kv: kv[1].evidence[0].start))


def quiet_before(norm: str, at: int) -> bool:
    """True when the story tells of no contact (blocked, not speaking) before ``at``."""
    lex = _lexicon()
    kept, _ = _matches(norm, lex.rules["contact.none"], lex)
    return any(m.start() < at for m in kept)


def not_crisis(norm: str, start: int, end: int) -> bool:
    """True when the words at ``start:end`` sit inside a figure of speech ("hurting myself
    doing this") rather than the writer's safety."""
    rule = _lexicon().rules["signals.not_crisis"]
    lo = max(0, start - _LOOK_BACK)
    return any(m.start() <= end and m.end() >= start for m in rule.pattern.finditer(norm, lo))


def _found(text: str, norm: str, group: str, names: Iterable[str]) -> dict[str, Finding]:
    lex = _lexicon()
    found = {}
    for name in names:
        kept, _ = _matches(norm, lex.rules[f"{group}.{name}"], lex)
        if kept:
            found[name] = Finding(True, _evidence(f"{group[:-1]}.{name}", text, kept[:1]))
    return found


# A letter to the ex speaks to "you": read as the ex, each form becomes the same-length
# third person, so every span still points at the writer's own words.
_YOU_FORMS = {
    "you": "he ",
    "your": "his ",
    "yours": "his  ",
    "yourself": "himself ",
    "you're": "he's  ",
    "you've": "he's  ",
    "you'd": "he'd ",
    "you'll": "he'll ",
    "youre": "hes   ",
}
_YOU = re.compile(
    r"(?<![\w'])(?:" + "|".join(sorted(_YOU_FORMS, key=len, reverse=True)) + r")(?![\w'])"
)
_THIRD = re.compile(r"(?<![\w'])(?:he|him|his|she|her|hers)(?![\w'])")
# At least this many "you" words, and more than "he"/"she" ones, make a letter to the ex.
_LETTER_YOU = 5


def is_letter(norm: str) -> bool:
    """True when the story is written to the ex ("you left, you said..."). Words inside
    quotes are someone speaking ("he said 'you will never find anyone better'"), not the
    writer addressing the ex, so they are not counted."""
    told = _QUOTED.sub(" ", norm)
    you = len(_YOU.findall(told))
    return you >= _LETTER_YOU and you > len(_THIRD.findall(told))


# A quoted passage within one paragraph.
_QUOTED = re.compile(r'"[^"\n]{1,400}"')


def as_told_of_ex(norm: str) -> str:
    """Return a letter to the ex with "you" read as the ex ("he"), the same length.

    "you" after a verb or a preposition is the object ("I begged you"), read as "him".
    """

    def swap(m: re.Match[str]) -> str:
        word = m.group(0)
        if word in _OTHERS_FORMS:
            return _OTHERS_FORMS[word]
        subject = _SUBJECT_BEFORE.search(norm, max(0, m.start() - 12), m.start()) or (
            _VERB_AFTER.match(norm, m.end())
        )
        if word == "you" and not subject:
            return "him"
        return _YOU_FORMS[word]

    return _LETTER.sub(swap, norm)


# In a letter to the ex, "he" and "she" are other people (a friend, a new partner): they
# become neutral words of the same length, so nothing reads them as the ex.
_OTHERS_FORMS = {
    "he": "it",
    "she": "one",
    "him": "one",
    "her": "one",
    "his": "its",
    "hers": "ones",
    "he's": "it's",
    "she's": "one's",
}
_LETTER = re.compile(
    r"(?<![\w'])(?:"
    + "|".join(sorted([*_YOU_FORMS, *_OTHERS_FORMS], key=len, reverse=True))
    + r")(?![\w'])"
)


# Just after a subject "you": a verb ("the way you ended things", "how you left").
_VERB_AFTER = re.compile(
    r" (?:[a-z]+ed|would|will|were|are|have|had|did|do|don't|didn't|can|can't|could|never|"
    r"always|just|made|left|broke|told|said|took|gave|let|knew|kept|went|came|chose|got|"
    r"still|really|only|also|even|then|now|must|should|wanted|try|tries|keep|keeps|say|says|"
    r"tell|think|know|want|need|act|treat)\b"
)
# Just before a subject "you": the start of a clause, or a word that opens one.
_SUBJECT_BEFORE = re.compile(
    r"(?:^|[.!?,;:\n\"()]|\b(?:and|but|that|when|because|if|so|then|until|since|while|as|"
    r"after|before|how|why|what|where|or|though|even|wish|hope|know|think|said|because))\s*$"
)


def abuse_named(text: str, seen: str) -> tuple[Evidence, ...]:
    """Return spans where the story names abuse the safety rules did not ("I was verbally and
    emotionally abused", "it had a sort of abuse to it"), in the writer's and the ex's words."""
    lex = _lexicon()
    kept, _ = _matches(seen, lex.rules["flags.abuse"], lex)
    if kept:
        return _evidence("abuse.story", text, kept[:2])
    found = clues(text, seen, None, frozenset({"abuse"})).get("abuse")
    spans = found.evidence if found else ()
    return tuple(Evidence("abuse.story", e.quote, e.start, e.end) for e in spans[:2])


def pronoun(text: str, norm: str) -> Finding:
    """Return ``he``, ``she`` or ``they`` for the ex.

    Naming the ex ("my boyfriend", "my ex (26F)") decides; otherwise the pronoun used at
    least twice as often as the other, with a few uses; otherwise ``they``.
    """
    lex = _lexicon()
    he = list(lex.he.finditer(norm))
    she = list(lex.she.finditer(norm))
    if he or she:
        if len(he) != len(she):
            side, found = ("he", he) if len(he) > len(she) else ("she", she)
        else:
            side, found = ("he", he) if he[0].start() < she[0].start() else ("she", she)
        return Finding(side, _evidence("pronoun", text, found[:1]))
    hes = len(_HE.findall(norm))
    shes = len(_SHE.findall(norm))
    if hes >= 3 and hes >= 2 * shes:
        return Finding("he")
    if shes >= 3 and shes >= 2 * hes:
        return Finding("she")
    return Finding("they")


_HE = re.compile(r"\b(?:he|him|his|he's|he'd|he'll|himself)\b", re.IGNORECASE)
# "her" is both object and possessive, so it is counted like "him" and "his" together.
_SHE = re.compile(r"\b(?:she|her|hers|she's|she'd|she'll|herself)\b", re.IGNORECASE)


# --- is it a story at all? ---------------------------------------------------------------------

# Below this many words, naming a relationship is a passing remark ("my girlfriend loves this
# show"); a breakup event ("he dumped me last night") is a story at any length.
_ANCHOR_MIN_WORDS = 25
_WORD = re.compile(r"\w+")


def is_story(text: str, norm: str, abuse: bool = False) -> Finding:
    """Return ``True`` for a first-person account of the writer's own relationship.

    Needs the writer speaking ("I", "my", "we") and either a breakup or relationship trouble
    of their own, or their relationship named in a text long enough to tell something.
    Supportive comments ("Sending hugs", "You deserve better") and general advice written
    to "you" are not stories. ``abuse`` (harm by a partner, found by the safety detector)
    counts as relationship trouble of the writer's own.
    """
    lex = _lexicon()
    first = len(lex.first_person.findall(norm))
    if first == 0:
        return Finding(False)
    second = len(lex.second_person.findall(norm))
    words = len(_WORD.findall(norm))
    event = lex.events.search(norm)
    if event is not None:  # events are first-person already ("dumped me", "we broke up")
        return Finding(True, _evidence("is_story", text, [event]))
    if abuse and first >= 2:
        return Finding(True)
    # Who ended it, told in the first person ("she told me she wants a divorce", "we decided
    # to split"), makes a story at any length.
    ended = who_ended(text, norm)
    if ended.value != "unclear":
        return Finding(True, ended.evidence[:1])
    anchors = list(lex.anchors.finditer(norm))
    kinds = {m.group(0).lower() for m in lex.romance.finditer(norm)}
    enough = len(anchors) >= lex.anchors_needed or (anchors and len(kinds) >= 2)
    if enough and words >= _ANCHOR_MIN_WORDS and first >= 3 and first >= second:
        return Finding(True, _evidence("is_story", text, anchors[:1]))
    if words >= _ROMANCE_MIN_WORDS and first >= _ROMANCE_MIN_FIRST and len(kinds) >= _ROMANCE_KINDS:
        return Finding(True, _evidence("is_story", text, [lex.romance.search(norm)]))
    # A long account that names the relationship once ("my husband", "him and I") and is
    # told in the first person is a story even with few words of romance: advice letters.
    if anchors and words >= _LETTER_MIN_WORDS and first >= _LETTER_MIN_FIRST:
        return Finding(True, _evidence("is_story", text, anchors[:1]))
    return Finding(False)


# A long first-person text (a letter to the ex, a reflection) with three different words of
# romance or heartbreak tells a relationship story even without a named event.
_ROMANCE_MIN_WORDS = 50
_ROMANCE_MIN_FIRST = 4
_ROMANCE_KINDS = 2
_LETTER_MIN_WORDS = 60
_LETTER_MIN_FIRST = 6


# How close (characters) "by my dad" must follow an abuse phrase to name who did it.
_BY_REACH = 25
# How far around an abuse phrase a figure of speech is looked for.
_FIGURE_REACH = 40


def abuse_by_ex(norm: str, evidence: Iterable[Evidence]) -> tuple[Evidence, ...]:
    """Return the abuse spans that stand for harm by the ex: not by a parent or a boss,
    not a figure of speech ("today hit me like a truck"), not the ex's own past.

    ``norm`` is the normalised text the spans index into. Spans not about abuse pass through.
    """
    lex = _lexicon()
    kept = []
    for e in evidence:
        after = norm[e.end : e.end + _BY_REACH]
        if lex.by_others.search(after):
            continue
        around = norm[max(0, e.start - _FIGURE_REACH) : e.end + _FIGURE_REACH]
        if any(
            m.start() <= e.end - max(0, e.start - _FIGURE_REACH)
            for m in lex.not_abuse.finditer(around)
        ):
            continue
        kept.append(e)
    return tuple(kept)


def normalise(text: str) -> str:
    """Return the text with plain quotes and ASCII letters lowercased, the same length."""
    return fold(text)
