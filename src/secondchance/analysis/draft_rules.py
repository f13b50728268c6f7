"""The rules behind the draft review: phrases, memories, tone, timing and pacing. Pure.

Each function here answers one question about a draft and returns ``Hit``s: a rule id and the
exact span of the (normalised) draft that triggered it. ``draft.review`` turns hits into
findings, a verdict, a score and suggestions. The words live in ``data/review.toml``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache, lru_cache
from importlib import resources
from itertools import pairwise
from typing import Any

# "Not too often" is a program rule shared with the pacing advice, so its number lives there.
from secondchance.analysis.guard import guarded
from secondchance.analysis.text import straighten, substitute
from secondchance.program.thresholds import CONVERSATIONS_STARTED_PER_DAY_MAX

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_SENTENCE = re.compile(r"[^.!?…\n]+(?:[.!?…]+|\n|$)")
# Placeholders and handles that stand for a name: they carry no meaning of their own.
_PLACEHOLDER = re.compile(r"\[name\]|@\w+", re.IGNORECASE)
_HIT_GROUP = re.compile(r"\(\?P<hit>")
_SEVERITY_RANK = {"block": 0, "warn": 1, "info": 2}
# "US" in capitals inside ordinary text is the country, not the couple ("hope for US jobs").
_COUNTRY = re.compile(r"\bU\.?S\b")


@dataclass(frozen=True, slots=True)
class Hit:
    """A rule that fired on ``text[start:end]``; ``severity``/``message`` override the rule's."""

    rule: str
    start: int
    end: int
    severity: str | None = None
    message: str | None = None
    title: str | None = None  # the memory a shared_memory or sad_memory hit refers to


@dataclass(frozen=True, slots=True)
class RuleSpec:
    id: str
    kind: str
    severity: str
    message: str
    bank_message: str | None = None


@dataclass(frozen=True, slots=True)
class Phrases:
    """One ``[[phrases]]`` entry: its patterns joined into a single compiled alternation."""

    rule: str
    pattern: re.Pattern[str]
    severity: str | None
    message: str | None
    unless: bool


@dataclass(frozen=True, slots=True)
class Memory:
    title: str
    text: str
    tags: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Entry:
    """One message in the conversation log."""

    at: datetime
    sender: str  # "you" | "ex"


@dataclass(frozen=True)
class Lexicon:
    rules: dict[str, RuleSpec]
    phrases: tuple[Phrases, ...]
    generic: re.Pattern[str]
    generic_later: re.Pattern[str]
    generic_times: frozenset[str]
    memory: re.Pattern[str]
    memory_not: re.Pattern[str]
    laughter: re.Pattern[str]
    heavy_question: re.Pattern[str]
    question_start: re.Pattern[str]
    stop: frozenset[str]
    avoid_tags: frozenset[str]
    light_tags: frozenset[str]
    lower_first: frozenset[str]
    common_first: frozenset[str]
    happened_first: frozenset[str]
    thought_of_you: re.Pattern[str]
    memory_link: re.Pattern[str]
    vague: frozenset[str]
    pointing: frozenset[str]
    met: re.Pattern[str]
    limits: dict[str, Any]
    time: dict[str, int]
    pacing: dict[str, float]
    score: dict[str, Any]
    bands: dict[str, tuple[int, int]]
    pronouns: dict[str, dict[str, str]]
    suggest: dict[str, list[str]] = field(default_factory=dict)


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------


@cache
def raw_lexicon() -> dict[str, Any]:
    """Return ``data/review.toml`` as parsed TOML, read once per process."""
    raw = resources.files("secondchance.analysis").joinpath("data", "review.toml").read_bytes()
    return tomllib.loads(raw.decode("utf-8"))


@cache
def lexicon() -> Lexicon:
    """Return the review lexicon, parsed and compiled once per process."""
    data = raw_lexicon()
    macros = data["macros"]
    words = data["words"]
    return Lexicon(
        rules={rid: _rule_spec(rid, spec) for rid, spec in data["rules"].items()},
        phrases=tuple(_phrases(entry, macros) for entry in data["phrases"]),
        generic=_compile(data["generic"]["patterns"], macros),
        generic_later=_compile(data["generic"]["later"], macros),
        generic_times=frozenset(data["generic"]["times"]),
        memory=_compile(data["memory"]["patterns"], macros),
        memory_not=_compile(data["memory"]["not_patterns"], macros),
        laughter=re.compile(words["laughter"], re.IGNORECASE),
        heavy_question=re.compile(words["heavy_question"], re.IGNORECASE),
        question_start=re.compile(words["question_start"], re.IGNORECASE),
        stop=frozenset(words["stop"].split()),
        avoid_tags=frozenset(t.lower() for t in words["avoid_tags"]),
        light_tags=frozenset(t.lower() for t in words["light_tags"]),
        lower_first=frozenset(words["lower_first"]),
        common_first=frozenset(words["common_first"]),
        happened_first=frozenset(words["happened_first"]),
        thought_of_you=re.compile(words["thought_of_you"], re.IGNORECASE),
        memory_link=re.compile(words["memory_link"], re.IGNORECASE),
        vague=frozenset(words["vague"].split()),
        pointing=frozenset(words["pointing"].split()),
        met=re.compile(words["met"], re.IGNORECASE),
        limits=data["limits"],
        time=data["time"],
        pacing=data["pacing"],
        score=data["score"],
        bands={k: (int(v[0]), int(v[1])) for k, v in data["bands"].items()},
        pronouns=data["pronouns"],
        suggest=data["suggest"],
    )


def _rule_spec(rid: str, spec: Mapping[str, Any]) -> RuleSpec:
    return RuleSpec(
        id=rid,
        kind=spec["kind"],
        severity=spec["severity"],
        message=spec["message"],
        bank_message=spec.get("bank_message"),
    )


def _phrases(entry: Mapping[str, Any], macros: Mapping[str, str]) -> Phrases:
    return Phrases(
        rule=entry["rule"],
        pattern=_compile(entry["patterns"], macros),
        severity=entry.get("severity"),
        message=entry.get("message"),
        unless=bool(entry.get("unless", False)),
    )


def _compile(patterns: list[str], macros: Mapping[str, str]) -> re.Pattern[str]:
    """Join patterns into one alternation, bounded so that words never match inside words.

    Macros expand first. A ``(?P<hit>...)`` group is renamed per alternative (``hit0``,
    ``hit1``...) because one regex may not repeat a group name.
    """
    parts = []
    for index, pattern in enumerate(patterns):
        expanded = substitute(pattern, macros, levels=1)
        parts.append(_HIT_GROUP.sub(f"(?P<hit{index}>", expanded))
    body = "|".join(f"(?:{p})" for p in parts)
    # The look-ahead of first letters (``guard``) passes most positions after one check.
    return guarded(re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE))


def normalise(text: str) -> str:
    """Return ``text`` with curly apostrophes straightened; the length never changes."""
    return straighten(text)


# --------------------------------------------------------------------------------------------
# Text shape
# --------------------------------------------------------------------------------------------


def sentences(text: str) -> list[tuple[int, int]]:
    """Return (start, end) of each sentence that has at least one word, spaces trimmed."""
    spans = []
    for match in _SENTENCE.finditer(text):
        start, end = _trim(text, match.start(), match.end())
        if start < end and _WORD.search(text, start, end):
            spans.append((start, end))
    return spans


def words(text: str) -> list[re.Match[str]]:
    return list(_WORD.finditer(text))


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def trimmed(text: str) -> tuple[int, int]:
    """Return the span of ``text`` without surrounding white space."""
    return _trim(text, 0, len(text))


def _norm_word(word: str) -> str:
    """Lower-case, drop a possessive, and fold a plain plural ("goats" -> "goat")."""
    word = word.lower()
    if word.endswith("'s"):
        word = word[:-2]
    word = word.replace("'", "")
    if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return word


# --------------------------------------------------------------------------------------------
# Phrase rules
# --------------------------------------------------------------------------------------------


def phrase_hits(text: str) -> list[Hit]:
    """Return the phrase rules that fire on ``text``: at most a few per rule, none overlapping
    another of the same rule, and none inside an ``unless`` span of that rule."""
    lex = lexicon()
    found: dict[str, list[tuple[int, int, int, Phrases]]] = {}
    unless: dict[str, list[tuple[int, int]]] = {}
    shouting: bool | None = None
    for order, entry in enumerate(lex.phrases):
        for match in entry.pattern.finditer(text):
            start, end = _hit_span(match)
            if start >= end:
                continue
            if _COUNTRY.search(text, start, end):
                shouting = _is_shouting(text) if shouting is None else shouting
                if not shouting:
                    continue
            if entry.unless:
                unless.setdefault(entry.rule, []).append((start, end))
            else:
                found.setdefault(entry.rule, []).append((start, end, order, entry))
    hits = []
    for rule, candidates in found.items():
        spec = lex.rules[rule]
        # One strength is enough to say so; problems show each place, up to a few.
        limit = 1 if spec.kind == "strength" else int(lex.limits["max_findings_per_rule"])
        blocked = unless.get(rule, [])
        kept: list[tuple[int, int]] = []

        def rank(c: tuple[int, int, int, Phrases], spec: RuleSpec = spec) -> tuple[int, ...]:
            # The more serious reading of a span wins, then the earlier and longer match.
            severity = c[3].severity or spec.severity
            return (_SEVERITY_RANK[severity], c[0], c[0] - c[1], c[2])

        for start, end, _, entry in sorted(candidates, key=rank):
            if overlaps(start, end, blocked) or overlaps(start, end, kept):
                continue
            kept.append((start, end))
            hits.append(Hit(rule, start, end, entry.severity, entry.message))
            if len(kept) >= limit:
                break
    return hits


def _is_shouting(text: str) -> bool:
    """True when most letters are capitals, so "US" is just "us" in a raised voice."""
    upper = lower = 0
    for char in text:
        upper += char.isupper()
        lower += char.islower()
    return upper > 0 and upper >= 3 * lower


def _hit_span(match: re.Match[str]) -> tuple[int, int]:
    """Return the span of the ``hit`` group if the pattern has one, else the whole match."""
    for name, value in match.groupdict().items():
        if value is not None and name.startswith("hit"):
            return match.span(name)
    return match.span()


def overlaps(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    """True when ``start:end`` shares a character with any of ``spans``."""
    return any(start < b and a < end for a, b in spans)


# --------------------------------------------------------------------------------------------
# Generic openers
# --------------------------------------------------------------------------------------------


def generic_hit(text: str) -> Hit | None:
    """Return a ``generic`` hit when the draft is only a greeting or a how-are-you.

    What is left after removing greeting phrases, names and stopwords decides: at most one
    meaningful word left means the draft says nothing of its own. A draft with no words at all
    (only emoji or punctuation) is generic too.
    """
    lex = lexicon()
    start, end = trimmed(text)
    if start == end:
        return None
    if not _WORD.search(text, start, end):
        return Hit("generic", start, end)
    spans = [m.span() for m in lex.generic.finditer(text)]
    if not spans:
        return None
    covered = spans + [m.span() for m in _PLACEHOLDER.finditer(text)]
    leftover = 0
    previous = ""
    # In a question, "the" names his thing too: "hey, how are the dogs doing?"
    his = _HIS | {"the"} if "?" in text else _HIS
    for word in _WORD.finditer(text):
        said = _norm_word(word.group())
        after_your, previous = previous in his, said
        if overlaps(word.start(), word.end(), covered) or said in lex.stop:
            continue
        if after_your and said not in lex.generic_times:
            return None  # "how is your sister?", "is this your blog?": about his own life
        leftover += 1
    if leftover > int(lex.limits["generic_leftover_words"]):
        return None
    return Hit("generic", spans[0][0], spans[-1][1])


# A word after one of these is something of his that the draft asks about or names.
_HIS = frozenset({"your", "ur", "yer"})


def later_generic_hits(text: str, spans: list[tuple[int, int]]) -> list[Hit]:
    """Return ``generic`` for each sentence after the first that only greets or asks how he
    is: a memory opened the draft, and this part turns it into a status report."""
    lex = lexicon()
    pieces = []
    for start, end in spans:
        # An emoji closes a thought as a full stop does: "remember our trip 😂 how are you?"
        cuts = [start, *(m.end() for m in _AFTER_EMOJI.finditer(text, start, end)), end]
        pieces += [(a, b) for a, b in pairwise(cuts) if a < b]
    hits = []
    for start, end in pieces[1:]:
        sentence = text[start:end]
        if lex.generic_later.search(sentence) and generic_hit(sentence) is not None:
            hits.append(Hit("generic", *_trim(text, start, end), message=_LATER_GENERIC))
    return hits


_AFTER_EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf]\\s+")


_LATER_GENERIC = (
    "This part is a general how-are-you. After a good line it pulls the text back to small "
    "talk: let the memory be the question, so {he} has something fun to answer."
)


# --------------------------------------------------------------------------------------------
# Shared memories
# --------------------------------------------------------------------------------------------


def as_memory(item: Any) -> Memory | None:
    """Read a memory from a dict or an object with ``title``, ``text`` (or ``body``), ``tags``.

    Returns None when there is neither a title nor a text to work with.
    """
    get = item.get if isinstance(item, Mapping) else lambda k, d=None: getattr(item, k, d)
    title = str(get("title", "") or "").strip()
    text = str(get("text", None) or get("body", None) or "").strip()
    raw_tags = get("tags", ()) or ()
    if isinstance(raw_tags, str):
        raw_tags = raw_tags.split(",")
    tags = tuple(str(t).strip().lower() for t in raw_tags if str(t).strip())
    if not title and not text:
        return None
    return Memory(title=title, text=text, tags=tags)


def is_hard(memory: Memory) -> bool:
    """True when the person tagged this memory as sad or tense."""
    return any(tag in lexicon().avoid_tags for tag in memory.tags)


@lru_cache(maxsize=8192)
def _meaningful(text: str) -> frozenset[str]:
    """Return the words of ``text`` that could identify a memory.

    Kept per text: the live review reads the same few memories on every keystroke.
    """
    stop = lexicon().stop
    out = set()
    for word in _WORD.finditer(text):
        norm = _norm_word(word.group())
        if len(norm) >= 3 and norm not in stop:
            out.add(norm)
    return frozenset(out)


@dataclass(frozen=True, slots=True)
class BankWords:
    """What names each memory of a bank, worked out once for the same memories: the
    meaningful words of its title and tags (``strong``), those only in its text (``weak``),
    and every such word of the bank, so a draft that uses none of them is passed quickly."""

    memories: tuple[Memory, ...]
    strong: tuple[frozenset[str], ...]
    weak: tuple[frozenset[str], ...]
    every: frozenset[str]


def bank_words(memories: Iterable[Memory]) -> BankWords:
    """Return the words that name each of ``memories`` (see ``memory_bank_hit``)."""
    kept = tuple(memories)
    strong = tuple(_meaningful(m.title + " " + " ".join(m.tags)) for m in kept)
    weak = tuple(_meaningful(m.text) - s for m, s in zip(kept, strong, strict=True))
    return BankWords(kept, strong, weak, frozenset().union(*strong, *weak))


def memory_bank_hit(text: str, memories: Iterable[Memory] | BankWords) -> Hit | None:
    """Return a hit for the memory the draft refers to most, or None.

    A memory matches when the draft uses a meaningful word from its title or tags, or two from
    its text. Stopwords and words too common to identify a memory ("time", "funny") never count.
    A memory tagged as hard gives a ``sad_memory`` hit instead of ``shared_memory``. The first
    of equally good memories wins. ``memories`` may be given as ``bank_words`` already.
    """
    bank = memories if isinstance(memories, BankWords) else bank_words(memories)
    draft_words = [(m, _norm_word(m.group())) for m in _WORD.finditer(text)]
    used = {norm for _, norm in draft_words}
    if used.isdisjoint(bank.every):
        return None
    best: tuple[int, Memory, frozenset[str], frozenset[str]] | None = None
    for memory, strong, weak in zip(bank.memories, bank.strong, bank.weak, strict=True):
        strong_used = used & strong
        weak_used = used & weak
        if not strong_used and len(weak_used) < 2:
            continue
        score = 2 * len(strong_used) + len(weak_used)
        if best is None or score > best[0]:
            best = (score, memory, strong, weak)
    if best is None:
        return None
    _, memory, strong, weak = best
    matched = [m for m, norm in draft_words if norm in strong or norm in weak]
    start = min(m.start() for m in matched)
    end = max(m.end() for m in matched)
    rule = "sad_memory" if is_hard(memory) else "shared_memory"
    return Hit(rule, start, end, title=memory.title or memory_phrase(memory))


def memory_marker_hit(text: str) -> Hit | None:
    """Return a hit for a generic shared-memory marker ("remember when", "reminded me of")."""
    lex = lexicon()
    denied = [m.span() for m in lex.memory_not.finditer(text)]
    for match in lex.memory.finditer(text):
        start, end = _hit_span(match)
        if not overlaps(start, end, denied):
            return Hit("shared_memory", start, end)
    return None


# Both follow from the memory alone, and the live review asks them for every memory in the
# bank at every keystroke: a year of memories made them a third of a review's time.
@lru_cache(maxsize=4096)
def nameable(memory: Memory) -> bool:
    """Return whether the review would recognise the memory in its own phrase: a title like
    "x" or "ok" has nothing to name, and an opener built on it would read as generic."""
    return memory_bank_hit(memory_phrase(memory), [memory]) is not None


@lru_cache(maxsize=4096)
def memory_phrase(memory: Memory) -> str:
    """Return the memory as a phrase that fits mid-sentence ("our karaoke in Lisbon").

    From the title when there is one; otherwise from the first words of its text. Names keep
    the person's capitals; a leading common word ("Karaoke", "Pancake") is lower-cased. A bare
    noun phrase gets "our" in front ("our pancake Sundays"); one that already has its own
    ("the dog's birthday", "Max's party") is left alone, and a clause becomes "the time we...";
    what happened to the two of them ("Lost in Lisbon") becomes "the time we got lost in Lisbon".
    """
    lex = lexicon()
    source = memory.title.strip() or memory.text
    first = sentences(source)
    s, e = first[0] if first else (0, len(source))
    # The first clause only: "we danced at Mia's wedding, it was great" names the memory
    # in its first half, and the rest would not fit inside someone else's sentence.
    clause = re.split(r"[,;:()—–]| - ", source[s:e])[0]
    words = clause.strip().rstrip(".!?…").split()[: int(lex.limits["opener_memory_words"])]
    if not words:
        return "that day"
    head = words[0]
    folded = head.lower().strip("\"'“”‘’")
    if head[:1].isupper() and not head.isupper() and _common_word(folded, lex):
        words[0] = head.lower()
    if folded in {"we", "i", "you", "us"}:
        words[0] = "I" if folded == "i" else folded
        words.insert(0, "the time")
    elif folded in lex.happened_first:
        words[0] = folded
        words.insert(0, "the time we got")
    elif not (folded in lex.lower_first or folded.endswith(("'s", "’s", "ing"))):
        words.insert(0, "our")
    return " ".join(words)


def _common_word(word: str, lex: Lexicon) -> bool:
    """True for a word that is not a name: a determiner, a word on the common list, or an
    -ing word ("Dancing in the rain")."""
    return word in lex.lower_first or word in lex.common_first or word.endswith("ing")


# --------------------------------------------------------------------------------------------
# Questions and tone
# --------------------------------------------------------------------------------------------


def easy_question_hit(
    text: str, spans: list[tuple[int, int]], avoid: list[tuple[int, int]]
) -> Hit | None:
    """Return the first short, light question: one that asks for no reasons or hypotheticals
    and does not overlap a problem (``avoid``). A sentence counts as a question when it ends in
    "?" or opens like one ("do u like Bob Dylan")."""
    lex = lexicon()
    limit = int(lex.limits["easy_question_words"])
    for start, end in spans:
        if not text[start:end].rstrip().endswith("?"):
            opening = lex.question_start.search(text[start:end])
            if opening is None:
                continue
            # Only the asking clause: "hi sweetheart, do u like Bob Dylan" asks from "do".
            start, end = _trim(text, start + opening.start(), end)
            start += 0 if text[start].isalpha() else 1
            start, end = _trim(text, start, end)
        sentence = text[start:end]
        if len(_WORD.findall(sentence)) > limit or lex.heavy_question.search(sentence):
            continue
        if overlaps(start, end, avoid):
            continue
        return Hit("easy_question", start, end)
    return None


def laughter_span(text: str) -> tuple[int, int] | None:
    match = lexicon().laughter.search(text)
    return match.span() if match else None


# --------------------------------------------------------------------------------------------
# Time and pacing
# --------------------------------------------------------------------------------------------


def is_late_night(now: datetime) -> bool:
    """True between the late-night hours in the person's own time zone (``now``'s zone)."""
    t = lexicon().time
    start, end = int(t["late_night_start_hour"]), int(t["late_night_end_hour"])
    return now.hour >= start or now.hour < end


def as_entry(item: Any) -> Entry:
    """Read a log entry from a dict or object with ``at`` (aware datetime) and ``sender``.

    Raises ValueError for a naive time or a sender other than "you" or "ex".
    """
    get = item.get if isinstance(item, Mapping) else lambda k, d=None: getattr(item, k, d)
    at, sender = get("at"), str(get("sender", "")).lower()
    if not isinstance(at, datetime) or at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("each log entry needs 'at' as a timezone-aware datetime")
    if sender not in ("you", "ex"):
        raise ValueError(f"log sender must be 'you' or 'ex', not {sender!r}")
    return Entry(at=at, sender=sender)


def pacing_hits(log: Iterable[Entry], now: datetime) -> list[Hit]:
    """Return pacing problems for sending a new message at ``now``, given the messages so far.

    - double_text: your last message has no reply yet;
    - one_a_day: this would start a second conversation (started by you) on the same local day;
    - too_soon: this would start a new conversation soon after your own last message.
    Replying inside a live conversation (the ex wrote last, recently) is never a problem.
    Entries after ``now`` are ignored. Timing hits have an empty span at 0: they are about
    when, not what.
    """
    pacing = lexicon().pacing
    gap = timedelta(hours=float(pacing["conversation_gap_hours"]))
    past = sorted((e for e in log if e.at <= now), key=lambda e: e.at)
    if not past:
        return []
    last = past[-1]
    if last.sender == "you":
        return [Hit("double_text", 0, 0)]
    if now - last.at < gap:
        return []  # a reply in a conversation that is still going
    hits = []
    today = now.date()
    starts_today = [
        e
        for e in _conversation_starts(past, gap)
        if e.sender == "you" and _local_day(e, now) == today
    ]
    if len(starts_today) >= CONVERSATIONS_STARTED_PER_DAY_MAX:
        hits.append(Hit("one_a_day", 0, 0))
    yours = [e for e in past if e.sender == "you"]
    min_gap = timedelta(hours=float(pacing["min_hours_between_your_starts"]))
    if not hits and yours and now - yours[-1].at < min_gap:
        hits.append(Hit("too_soon", 0, 0))
    return hits


def _conversation_starts(entries: list[Entry], gap: timedelta) -> list[Entry]:
    """Return the entries that open a conversation: the first, and any after a long silence."""
    starts = []
    previous: Entry | None = None
    for entry in entries:
        if previous is None or entry.at - previous.at >= gap:
            starts.append(entry)
        previous = entry
    return starts


def _local_day(entry: Entry, now: datetime) -> date:
    return entry.at.astimezone(now.tzinfo).date()
