"""Clauses of a story with who does what: the second reading the story facts fall back on.

The phrase rules in ``story_facts`` read a fact where its words are said the way the data
file expects. Many stories say the same thing in other words ("my husband of 22 years moved
out", "it was her who pulled the plug", "I found out she's dating a coworker"). This pass
reads the story clause by clause and, for each verb frame of an event, asks:

- **who** does it: the nearest subject before the verb in its clause: the writer (``i``), the
  couple (``we``, ``my ex and i``), the ex (``he``, ``she``, ``my boyfriend``) or someone
  else (``my sister``, ``her new boyfriend``). A clause with no subject ("... and dumped me")
  takes the subject of the clause before it in the same sentence.
- **whose words** they are: inside the ex's quoted or reported speech "I" is the ex and "you"
  the writer (``he said "I need space"`` is his reason); someone else's words are not read.
- **is it told as fact**: a negation, a wish, a plan, a guess or a question before the verb
  ("he didn't leave", "I want to end it", "I think she's seeing someone", "should I leave
  him?") is not an event.

The event kinds and their verb frames are data (``data/story.toml`` ``[frames]``): ``end``
(ending the relationship), ``talk`` (being in touch), ``partnered`` (a new partner),
``returned`` (coming back together) and ``plead`` (the writer pressing after the end). The
story uses them only where the phrase rules found nothing: who ended it, contact now, the
ex's new partner and the writer's own, the writer's mistakes, and an on-and-off cycle (an
ending, a return, another ending). Each result keeps the span of the verb it came from.

Pure: no I/O, no clock.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache, lru_cache

from secondchance.analysis.evidence import Evidence
from secondchance.analysis.lexicon import load
from secondchance.analysis.text import sentences, speech

__all__ = ["Act", "Clause", "acts", "clauses", "contact", "forget", "new_partner", "who_ended"]

# A clause ends at these marks, or before these words, which open a new one.
_BREAK = re.compile(
    r"[,;:()\u2014\u2013]|\s-\s|\b(?:and|but|so|because|cause|cuz|bc|when|after|before|since|"
    r"until|then|while|although|though|which|who|where|whereas|or|if)\b"
)
_TOKEN = re.compile(r"[a-z][a-z']*")
# Openers after which a clause with no subject of its own keeps the last one ("and left").
_SAME_SUBJECT = frozenset({"", "and", "then", "but", "so", "or", "before", "after"})


@dataclass(frozen=True, slots=True)
class Clause:
    """One clause: ``start``/``end`` in the text, ``subject`` the first subject in it (or the
    one carried over; "" when none), ``voice`` "partner" inside the ex's words, else "",
    ``opener`` the word that opened it ("" at a sentence start), ``question`` whether its
    sentence asks."""

    start: int
    end: int
    subject: str
    voice: str
    opener: str
    question: bool
    # The subject carried from the clause before ("" when none or when the opener starts a
    # new one): the subject of a verb told before any subject of the clause's own.
    carried: str = ""


@dataclass(frozen=True, slots=True)
class Act:
    """An event told in a clause: ``kind`` and ``form`` from the frames, ``agent`` who does it
    ("writer", "we", "ex", "other", ""), ``told`` False when negated, wished, planned, guessed
    or asked, ``negated`` when a negation stands before the verb, and the span of the verb."""

    kind: str
    form: str
    agent: str
    told: bool
    negated: bool
    start: int
    end: int
    clause: Clause


@dataclass(frozen=True, slots=True)
class _Frames:
    words: dict[str, str]
    pairs: tuple[tuple[re.Pattern[str], str], ...]
    actions: dict[str, re.Pattern[str]]
    not_told: re.Pattern[str]
    negation: re.Pattern[str]
    objects: dict[str, re.Pattern[str]]


@cache
def _frames() -> _Frames:
    data = load("story")["frames"]
    words = {w: kind for kind, ws in data["subject_words"].items() for w in ws}
    return _Frames(
        words=words,
        pairs=tuple(
            (re.compile(rf"\b(?:{p})(?![\w'])"), kind) for kind, p in data["subject_pairs"].items()
        ),
        # One pattern per event kind, a named group per form: the scan is one pass, and the
        # leftmost frame in a clause is its act ("stopped talking" before "talking").
        actions={
            kind: re.compile(
                "|".join(rf"(?P<{form}>\b(?:{'|'.join(v)})(?![\w']))" for form, v in forms.items())
            )
            for kind, forms in data["actions"].items()
        },
        not_told=re.compile(rf"\b(?:{'|'.join(data['not_told'])})\b"),
        negation=re.compile(rf"\b(?:{'|'.join(data['negation'])})\b"),
        objects={k: re.compile(rf"\b(?:{v})\b") for k, v in data["objects"].items()},
    )


def forget() -> None:
    """Drop the readings kept while one story was read (they are memos for that reading,
    keyed by its text): a story is someone's private words and is not kept after it."""
    for memo in (_voices, _clauses, _subject_marks, _acts):
        memo.cache_clear()


def clauses(norm: str) -> tuple[Clause, ...]:
    """Return the clauses of ``norm`` (lowercased text with plain quotes)."""
    return _clauses(norm)


@lru_cache(maxsize=16)
def _voices(norm: str) -> tuple[tuple[int, int, str], ...]:
    """Return (start, end, speaker) of the words that are not the writer's own telling.

    The ex's quoted words flip "I" and "you"; his reported words ("he said he was leaving")
    keep the writer's pronouns, so only quotes count as his voice here. Someone else's
    words, quoted or reported, are not read at all.
    """
    return tuple(
        (s.start, s.end, s.speaker)
        for s in speech(norm)
        if s.speaker == "other" or (s.speaker == "partner" and _quoted(norm, s.start))
    )


def _voice_at(norm: str, at: int) -> str:
    return next((who for a, b, who in _voices(norm) if a <= at < b), "")


@lru_cache(maxsize=16)
def _clauses(norm: str) -> tuple[Clause, ...]:
    out: list[Clause] = []
    for a, b in sentences(norm):
        question = norm[a:b].rstrip(" \"')").endswith("?")
        cuts = [(a, "")] + [(a + m.start(), m.group(0)) for m in _BREAK.finditer(norm[a:b])]
        carried = ""
        for i, (start, opener) in enumerate(cuts):
            end = cuts[i + 1][0] if i + 1 < len(cuts) else b
            voice = _voice_at(norm, start)
            if voice == "other":
                continue
            opener = opener.strip() if opener.strip().isalpha() else ""
            found = _subjects(norm, start, end)
            kept = carried if opener in _SAME_SUBJECT else ""
            subject = found[0][1] if found else kept
            out.append(Clause(start, end, subject, voice, opener, question, kept))
            if found:
                # The last subject told outside anyone's quote carries to the next clause.
                outside = [k for at, k in found if not _voice_at(norm, at)]
                carried = outside[-1] if outside else found[-1][1]
    return tuple(out)


def _quoted(norm: str, start: int) -> bool:
    return start > 0 and norm[start - 1] in "\"'"


def _subjects(norm: str, start: int, end: int) -> list[tuple[int, str]]:
    """Return (offset, kind) of each subject word in ``norm[start:end]``, in order."""
    at, kinds = _subject_marks(norm)
    lo, hi = bisect_left(at, start), bisect_left(at, end)
    return list(zip(at[lo:hi], kinds[lo:hi], strict=True))


@lru_cache(maxsize=16)
def _subject_marks(norm: str) -> tuple[list[int], list[str]]:
    """Return the offsets of every subject word in ``norm`` and their kinds, read once.

    Single words first ("he", "i"), then two-word subjects that override the word they end
    on ("my boyfriend", "her boyfriend", "my ex and i"). In the ex's quoted words "I" is the
    ex and "you" the writer; someone else's words have no subject the story can use.
    """
    fr = _frames()
    marks: dict[int, str] = {}
    for m in _TOKEN.finditer(norm):
        kind = fr.words.get(m.group(0))
        if kind:
            marks[m.start()] = kind
    for pattern, kind in fr.pairs:
        for m in pattern.finditer(norm):
            last = _LAST_TOKEN.search(m.group(0))
            if last is not None:
                marks[m.start() + last.start()] = kind
    at: list[int] = []
    kinds: list[str] = []
    for offset in sorted(marks):
        kind = marks[offset]
        voice = _voice_at(norm, offset)
        if voice == "other":
            continue
        if voice == "partner":
            kind = {"writer": "ex", "you": "writer"}.get(kind, kind)
        at.append(offset)
        kinds.append("other" if kind == "you" else kind)
    return at, kinds


_LAST_TOKEN = re.compile(r"[a-z][a-z']*$")


def acts(norm: str, kind: str) -> tuple[Act, ...]:
    """Return the acts of ``kind`` told in ``norm``: a kind under ``[frames.actions]`` ("end",
    "talk", "partnered", "returned", "plead")."""
    return _acts(norm, kind)


@lru_cache(maxsize=64)
def _acts(norm: str, kind: str) -> tuple[Act, ...]:
    fr = _frames()
    matches = list(fr.actions[kind].finditer(norm))
    if not matches:
        return ()  # nothing to read: the clauses are not even built
    found = clauses(norm)
    starts = [c.start for c in found]
    out: list[Act] = []
    for m in matches:
        i = bisect_right(starts, m.start()) - 1
        if i < 0 or m.start() >= found[i].end or (out and out[-1].clause is found[i]):
            continue  # in no clause read (someone else's words), or the clause has its act
        c = found[i]
        before = _subjects(norm, c.start, m.start())
        # A subject after the verb is not its agent ("told her to leave she was..."): with
        # none before it, the verb takes the subject carried from the clause before.
        agent = before[-1][1] if before else c.carried
        lead = norm[c.start : m.start()]
        negated = bool(fr.negation.search(lead))
        told = not (c.question or negated or c.opener == "if" or fr.not_told.search(lead))
        form = m.lastgroup or ""
        out.append(Act(kind, form, agent, told, negated, m.start(), m.end(), c))
    return tuple(out)


def _span(about: str, text: str, act: Act) -> Evidence:
    return Evidence.from_match(about, text, act.start, act.end)


def who_ended(text: str, norm: str) -> tuple[str, tuple[Evidence, ...]]:
    """Return ("ex" | "user" | "mutual" | "unclear", evidence) from the clauses that tell the
    ending.

    "We" deciding it together ("we both agreed to split") is mutual and wins. Otherwise the
    side told more often wins, the last told on a tie. "We broke up" alone does not say who,
    so it counts for no side.
    """
    sides: dict[str, list[Evidence]] = {"ex": [], "user": [], "mutual": []}
    for act in acts(norm, "end"):
        told = act.told or _presupposed(norm, act)
        side = _end_side(act) if told else ""
        if not side and told and act.agent == "we" and _together(norm, act):
            side = "mutual"  # "we both decided to split": said together
        if side:
            sides[side].append(_span("who_ended", text, act))
    if sides["mutual"]:
        return "mutual", tuple(sides["mutual"][:2])
    ex, user = sides["ex"], sides["user"]
    if not ex and not user:
        return "unclear", ()
    if len(ex) != len(user):
        side = "ex" if len(ex) > len(user) else "user"
    else:
        side = "ex" if ex[-1].start > user[-1].start else "user"
    return side, tuple(sides[side][:2])


def _presupposed(norm: str, act: Act) -> bool:
    """True for an ending told in a clause of time or cause inside a question ("how do I
    stop loving her when she walked out?" is asked about, "after he left me" is not): the
    question takes the ending as known. A negation, a wish or an "if" still cancel it."""
    c = act.clause
    if not c.question or act.negated:
        return False
    # Only an ending told in the past is known ("when she walked out"), not a supposition
    # ("what do I do when he leaves me?", "will it hurt less after I break up with him?").
    if c.opener not in _GIVEN or not _PAST_VERB.match(norm, act.start):
        return False
    return not _frames().not_told.search(norm, c.start, act.start)


# Clause openers whose clause a question takes as known.
_GIVEN = frozenset({"after", "since", "because", "cause", "cuz", "bc", "when"})
_PAST_VERB = re.compile(r"(?:[a-z]+ed|left|broke|went|was|were|got|cut|threw|fell)\b")


# "We" ended it together: a decision both made, said in the clause.
_TOGETHER = re.compile(r"\b(?:decided|agreed|chose|both|mutual(?:ly)?|amicabl[ey])\b")


def _clause_of(norm: str, act: Act) -> str:
    return norm[act.clause.start : act.clause.end]


def _together(norm: str, act: Act) -> bool:
    """True when the clause of a "we" ending, or the rest of its sentence, says both chose it
    ("we called it quits, both of us agreed")."""
    if _TOGETHER.search(_clause_of(norm, act)):
        return True
    stop = _SENTENCE_STOP.search(norm, act.end)
    return bool(_BOTH.search(norm, act.clause.end, stop.start() if stop else len(norm)))


_SENTENCE_STOP = re.compile(r"[.!?\n]")
# Later in the sentence only words of both count ("he decided" there is his own choice).
_BOTH = re.compile(
    r"\b(?:both of us|we both|both (?:agreed|decided)|mutual(?:ly)?|amicabl[ey]|"
    r"we (?:decided|agreed|chose))\b"
)


def _end_side(act: Act) -> str:
    """Who ended it, from the agent and the frame's form.

    ``with_me``: done to the writer ("broke up with me"); ``with_ex``: done to the ex ("I
    left him"); ``passive``: done to the subject ("I was dumped"); ``active``: the agent did
    it ("he moved out", "I called it off").
    """
    if act.form == "parted":
        return ""  # "we split": who, only when decided together (see who_ended)
    if act.form == "ex_only":
        return "ex" if act.agent == "ex" else ""
    if act.form == "with_me":
        return "ex" if act.agent in ("ex", "") else ""
    if act.form == "with_ex":
        # With no subject told ("Broke up with my boyfriend last month because..."), the
        # writer of a first-person story left out their own "I": the ex is the object.
        return "user" if act.agent in ("writer", "") else ""
    if act.form == "passive":
        return "ex" if act.agent == "writer" else ""
    return {"ex": "ex", "writer": "user"}.get(act.agent, "")


def contact(text: str, norm: str, after: int) -> tuple[str, tuple[Evidence, ...]]:
    """Return ("some" | "none" | "unclear", evidence): whether the writer and the ex are in
    touch, from the last clause after ``after`` (where the breakup is told) that says they
    talk, text or meet, or that they do not."""
    fr = _frames()
    last: tuple[str, Act] | None = None
    plain = text.lower()  # the writer's own words, before a letter's "you" is turned
    # "We parted through chat", "he ended it over the phone": the talk is the ending itself.
    endings = {a.clause.start for a in acts(norm, "end")}
    for act in acts(norm, "talk"):
        if act.start < after or act.clause.question or act.clause.start in endings:
            continue
        # "30 days no contact now" needs no subject: a silence is between the two of them.
        if act.agent not in ("writer", "we", "ex") and not (
            act.form == "silence" and not act.agent
        ):
            continue
        lead = norm[act.clause.start : act.start]
        if fr.not_told.search(lead) or act.clause.opener in ("if", "or"):
            continue  # a wish, a plan or a habit, not where they are now
        if _WOULD.search(lead) and not _PAST_FORM.search(norm, act.start, act.end):
            continue  # "we'd talk about it the next night": would, a plan told
        if _GENERIC.search(_sentence_to(plain, act.end)):
            continue  # "healed is when you don't contact your ex": advice to anyone
        span_before = _SPAN_BEFORE.search(norm, max(0, act.clause.start - 40), act.clause.start)
        if act.clause.opener == "since" and span_before:
            # "Half a year since we've talked", "months since I heard from him": the time
            # since they last spoke, a silence up to now.
            last = ("none", act)
            continue
        rest = norm[act.end : act.clause.end]
        objects = fr.objects.get(act.agent)
        between = act.agent == "we" or bool(objects and objects.search(rest))
        if act.form in ("resumed", "silence"):
            state = "some" if act.form == "resumed" else "none"
            if act.negated or _PARTIAL.match(norm, act.end):
                continue  # not said, or a door left open ("blocked on all but email")
        elif not between:
            continue
        elif act.form == "not_talking" or act.negated:
            state = "none"
        else:
            state = "some"
        last = (state, act)
    if last is None:
        return "unclear", ()
    return last[0], (_span("contact", text, last[1]),)


def _sentence_to(norm: str, at: int) -> str:
    """Return the words of the sentence that holds ``at``, up to ``at``."""
    lo = max(0, at - _SENTENCE_REACH)
    ends = [m.end() for m in _SENTENCE_END.finditer(norm, lo, at)]
    return norm[ends[-1] if ends else lo : at]


_SENTENCE_REACH = 200
_SENTENCE_END = re.compile(r"[.!?\n]")
# Just after a block: what it leaves open ("blocked on everything except email").
_PARTIAL = re.compile(r"(?: \w+){0,3} (?:besides|except|but not|apart from)\b")
# Someone's ex in general, told to the reader ("when you don't contact your ex").
_GENERIC = re.compile(r"\byour (?:ex|ex-\w+|partner|former)\b")
# "'d" before a verb's plain form is "would": "we'd talk", "he'd call".
_WOULD = re.compile(r"'d\s+(?:\w+\s+)?$")
_PAST_FORM = re.compile(r"\w+(?:ed|spoken|spoke|heard|met|seen)\b")
# Just before a "since" clause: a span of time ("months", "a year", "it's been a while").
_SPAN_BEFORE = re.compile(
    r"\b(?:days?|weeks?|months?|years?|a while|ages|forever|so long|a long time)\s*$"
)


def new_partner(
    text: str, norm: str, who: str = "ex", about: str = "ex_new_partner"
) -> tuple[bool | None, tuple[Evidence, ...]]:
    """Return (True, evidence) when a clause tells, as fact, that ``who`` ("ex" or "writer")
    has a new partner ("she's been dating a coworker", "he moved in with her", "I'm seeing
    someone"), else (None, ()). The writer's own is read only in the present ("I was seeing
    a guy" is a past story)."""
    for act in acts(norm, "partnered"):
        if not act.told or act.agent != who:
            continue
        if who == "writer" and _PAST.match(norm, act.start):
            continue
        return True, (_span(about, text, act),)
    return None, ()


_PAST = re.compile(r"(?:was|were|had|used)\b")


def mistakes(text: str, norm: str, after: int) -> dict[str, tuple[Evidence, ...]]:
    """Return the writer's own mistakes told after ``after`` (where the ending is told):
    begging or pressing ("I asked him why", "I sent her a long letter"), showing up, drunk
    texting, each with its span. Someone else's begging, a plan ("I want to text him") and
    a negation ("I never begged") do not count."""
    found: dict[str, tuple[Evidence, ...]] = {}
    for act in acts(norm, "plead"):
        if act.start < after or not act.told or act.agent != "writer" or act.form in found:
            continue
        found[act.form] = (_span(f"mistake.{act.form}", text, act),)
    return found


def cycle(text: str, norm: str) -> tuple[Evidence, ...]:
    """Return the spans of an on-and-off cycle told as events: an ending, a coming back,
    and another ending after it ("he broke up with me ... we got back together ... then
    he ended it again"), or () when the story tells no such cycle. Any agent counts: the
    pattern is the couple's, whoever ends it each time."""
    ends = [a for a in acts(norm, "end") if a.told]
    backs = [a for a in acts(norm, "returned") if a.told and a.agent != "other"]
    for back in backs:
        before = [a for a in ends if a.end <= back.start]
        after = [a for a in ends if a.start >= back.end]
        if before and after:
            return tuple(_span("hot_and_cold", text, a) for a in (before[-1], back, after[0]))
    return ()
