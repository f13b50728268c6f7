"""Review a text before it is sent to the ex, the way the program's coach would.

``review(text, *, stage="first", memories=(), now=None, log=(), ex_pronoun="he")`` returns a
``Review``: a verdict (``send`` / ``revise`` / ``dont_send``), a 0-100 score that agrees with
it, findings that each quote the exact span behind them, and 1-3 better openers.

The program (METHOD.md, step 4) in one line: the first text is light, fun, short and recalls a
good memory; once talking, not too often, never "I miss you", never the relationship. Safety
comes before all of it: crisis language in a draft turns the review into a pointer to help.
Pure: no clock, no I/O beyond the package's own lexicon; ``now`` and ``log`` come from the caller.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache, lru_cache
from typing import Any

from secondchance.analysis import draft_intent as intent
from secondchance.analysis import draft_rules as rules
from secondchance.analysis import text as parse
from secondchance.analysis import tone
from secondchance.analysis.evidence import Evidence

STAGES = ("first", "ongoing")
PRONOUNS = ("he", "she", "they")
_SEVERITY_ORDER = {"block": 0, "warn": 1, "info": 2}
# Findings that coach strategy; they are left out when safety takes over.
_NUDGES = frozenset({"no_memory", "flat"})
_LETTER = (
    "This has become a letter, full of feeling. Those words matter, and your journal is a safe "
    "place for them; a text to {him} works best as one or two light lines."
)
# Strengths that make a message in a conversation worth sending.
_LIVELY = frozenset(
    {"light_tone", "easy_question", "shared_memory", "own_news", "wish", "kind_reply"}
)
# Where the clause that tells a memory ends ("remember the pancake disaster?").
_CLAUSE_END = re.compile(r"[,.;:!?\n]| (?:and|but|so) ")


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing the review noticed. ``quote == text[start:end]``; timing findings (late night,
    pacing) are about when rather than what, and have an empty span at 0."""

    rule: str
    kind: str  # "problem" | "strength"
    severity: str  # "block" | "warn" | "info"
    start: int
    end: int
    message: str
    quote: str

    def to_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "kind": self.kind,
            "severity": self.severity,
            "start": self.start,
            "end": self.end,
            "message": self.message,
        }

    @property
    def evidence(self) -> Evidence:
        return Evidence(about=self.rule, quote=self.quote, start=self.start, end=self.end)


@dataclass(frozen=True, slots=True)
class Review:
    """The review of one draft. ``safety`` is the crisis/abuse check's result (None if the
    safety module is not installed)."""

    verdict: str  # "send" | "revise" | "dont_send"
    score: int  # 0-100; send >= 70, revise 40-69, dont_send < 40
    findings: tuple[Finding, ...]
    suggestions: tuple[str, ...]
    safety: Any = None

    def to_dict(self) -> dict[str, object]:
        return {
            "verdict": self.verdict,
            "score": self.score,
            "findings": [f.to_dict() for f in self.findings],
            "suggestions": list(self.suggestions),
        }


@dataclass(frozen=True, eq=False)
class Bank:
    """The memory bank as the review reads it, worked out once for the same memories: the
    memories, the words that name each one, and those an opener can be built on, each with
    whether it is light and the words of its title that show the draft already names it."""

    memories: tuple[rules.Memory, ...]
    words: rules.BankWords
    openers: tuple[tuple[rules.Memory, bool, tuple[str, ...]], ...]
    # The openers, light ones first: the order when the draft names none of them.
    light_first: tuple[rules.Memory, ...]


def memory_bank(memories: Iterable[Any] = ()) -> Bank:
    """Return ``memories`` (as ``review`` takes them) prepared for reading drafts.

    A person types many drafts against the same few memories (the live review reads one per
    keystroke), so what follows from the memories alone is worked out once: give the result to
    ``review`` as ``memories``. Nothing in it comes from a draft.
    """
    found = (rules.as_memory(item) for item in memories or ())
    return _bank(tuple(m for m in found if m is not None))


@lru_cache(maxsize=1024)
def _bank(memories: tuple[rules.Memory, ...]) -> Bank:
    lex = rules.lexicon()
    openers = tuple(
        (
            m,
            any(tag in lex.light_tags for tag in m.tags),
            tuple(w.lower() for w in m.title.split() if len(w) > 2),
        )
        for m in memories
        if not rules.is_hard(m) and _opener_worthy(m)
    )
    light_first = tuple(m for m, _, _ in sorted(openers, key=lambda o: 0 if o[1] else 1))
    return Bank(memories, rules.bank_words(memories), openers, light_first)


def review(
    text: str,
    *,
    stage: str = "first",
    memories: Iterable[Any] = (),
    now: datetime | None = None,
    log: Iterable[Any] = (),
    ex_pronoun: str = "he",
    whole_text_safety: Any = None,
) -> Review:
    """Review ``text``, a message the person plans to send their ex.

    ``stage`` is "first" (the first text after no contact) or "ongoing" (talking again; adds
    pacing from ``log``). ``memories`` are dicts or objects with ``title``, ``text``/``body``
    and ``tags``. ``now`` is an aware datetime in the person's local time zone, or None for no
    timing advice. ``log`` holds recent messages (``at``, ``sender`` "you" | "ex").

    Drafts longer than the lexicon's ``max_chars`` are read only up to there (and are flagged as
    too long). Raises TypeError if ``text`` is not a string and ValueError for an unknown
    stage or pronoun, a naive ``now`` or a malformed log entry.

    ``whole_text_safety`` is ``safety.check(text)`` when the caller has it already (the web
    app checks every text it is given): a draft read whole reuses it instead of checking again.
    ``memories`` may also be a ``Bank`` from ``memory_bank``, read once for many drafts.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, not {type(text).__name__}")
    if stage not in STAGES:
        raise ValueError(f"stage must be one of {STAGES}, not {stage!r}")
    if ex_pronoun not in PRONOUNS:
        raise ValueError(f"ex_pronoun must be one of {PRONOUNS}, not {ex_pronoun!r}")
    if now is not None and (now.tzinfo is None or now.utcoffset() is None):
        raise ValueError("now must be a timezone-aware datetime in the person's time zone")
    bank = memories if isinstance(memories, Bank) else memory_bank(memories)
    entries = [rules.as_entry(item) for item in log or ()] if stage == "ongoing" else []

    lex = rules.lexicon()
    body = rules.normalise(text[: int(lex.limits["max_chars"])])
    # Straightening apostrophes keeps every offset, and the safety check straightens them too.
    hits, compound = _text_hits(body, len(text), stage, bank)
    checked = _quiet_opening(body, hits)
    whole = whole_text_safety is not None and len(body) == len(text) and checked == body
    safety = whole_text_safety if whole else _safety_check(checked)
    hits += _time_hits(now, entries, stage)
    hits = _apply_safety(hits, body, safety)

    findings = _findings(hits, text, ex_pronoun)
    verdict = _verdict(findings, stage, compound)
    return Review(
        verdict=verdict,
        score=_score(findings, verdict),
        findings=findings,
        suggestions=_suggestions(findings, bank),
        safety=safety,
    )


# --------------------------------------------------------------------------------------------
# Gathering hits
# --------------------------------------------------------------------------------------------


def _text_hits(
    body: str, full_length: int, stage: str, bank: Bank, *, tail: int = 3
) -> tuple[list[rules.Hit], Callable[[], float]]:
    """Return every text rule that fires on ``body`` and VADER's compound score for it (a
    function, that works it out only when called: see ``_lazy_mood``).

    ``tail`` is how many memories deep what follows a memory is read on its own: enough for a
    memory stacked on a memory in front of a jab, and bounded, so that a pasted wall of memories
    is not read again and again.
    """
    lex = rules.lexicon()
    start, end = rules.trimmed(body)
    if start == end:
        return [rules.Hit("empty", 0, 0)], _score_of(0.0)
    reading = intent.read(body)
    hits = _thing_callbacks(body, rules.phrase_hits(body))
    hits += _new_hits(intent.problem_hits(reading, stage), hits)
    hits += _new_hits([h for h in (intent.jab_hit(reading),) if h is not None], hits)
    memory = _memory_hit(body, bank, reading)
    if memory:
        hits.append(memory)
    if not any(h.rule == "logistics" for h in hits):
        hits += [h for h in (intent.logistics_hit(reading),) if h is not None]
    practical = any(h.rule == "logistics" for h in hits)
    hits = intent.practical_shared(hits, reading, practical)
    # "Just a greeting" only when nothing else was said: "hey, I love you" is not generic,
    # it is "I love you"; "hey, Lisbon?" that names a shared memory is not generic either.
    # A pet name ("hey love, how are you?") does not count as saying something.
    said = (
        any(_severity(h) == "block" for h in hits)
        or (memory is not None and memory.rule == "shared_memory")
        or practical  # "I received the check, thank you": the check is the point
    )
    generic = None if said else rules.generic_hit(body)
    spans = rules.sentences(body)
    wish = intent.wish_hit(reading)
    reply = (
        (
            intent.kind_reply_hit(reading)
            or intent.light_reply_hit(body, reading)
            or intent.thanks_hit(reading)
        )
        if stage == "ongoing"
        else None
    )
    if (wish or reply) and stage == "ongoing":
        generic = None  # once talking, "happy birthday!" or "aw thanks" is kind, not generic
    hits += [h for h in (wish, reply, intent.own_news_hit(reading)) if h is not None]
    if generic:
        hits.append(generic)
    elif (
        memory is not None
        and not any(_severity(h) == "block" for h in hits)
        and not _linked_memory(body, memory)
    ):
        hits += rules.later_generic_hits(body, spans)
    word_count = len(rules.words(body))
    hits += _length_hits(body, spans, word_count, full_length, intent.long_letter(reading))
    hits = _practical_length(hits)
    sympathy = intent.sympathy(reading) and len(spans) <= 2
    # A short reply that opens with sympathy ("oh no, that's too bad :(") is sad about his
    # news, which is kind: its sad words are not the writer's mood.
    compound = _lazy_mood(body, list(hits), sympathy)
    hits += [h for h in _tone_hits(body, spans, compound, hits) if not _jab_light(h, reading)]
    problems = [(h.start, h.end) for h in hits if lex.rules[h.rule].kind == "problem"]
    # A question in a sentence that does something wrong is not easy, whatever its words:
    # "I drove by your work and honked, did u hear it?"
    troubled = [s for s in spans if rules.overlaps(*s, problems)]
    question = rules.easy_question_hit(body, spans, problems + troubled)
    if question:
        hits.append(question)
    # A draft that is too long is "revise" already; reading its rest again would change nothing.
    long = any(h.rule == "too_long" and _severity(h) != "info" for h in hits)
    if tail and not long and memory is not None and memory.rule == "shared_memory":
        hits += _new_hits(_tail_hits(body, memory, tail), hits)
    hits += _nudges(hits, stage, start, end)
    return hits, compound


def _score_of(value: float) -> Callable[[], float]:
    return lambda: value


def _lazy_mood(body: str, hits: list[rules.Hit], sympathy: bool) -> Callable[[], float]:
    """``_mood(body, hits)`` (at least 0 for ``sympathy``), worked out the first time a rule
    asks for it: a draft that something blocks never asks, and VADER is a good part of the
    reading. ``hits`` must not change afterwards (the caller hands a copy)."""

    @cache
    def mood() -> float:
        compound = _mood(body, hits)
        return max(compound, 0.0) if sympathy else compound

    return mood


def _thing_callbacks(body: str, hits: list[rules.Hit]) -> list[rules.Hit]:
    """Read "I just ate a Choco Taco and thought of you" as a callback, not as missing him.

    A named thing the writer met (a snack, a film, a town, a song) that brought him to mind is
    the light, specific kind of first text the method asks for; "saw this and thought of you"
    or "everything reminds me of you" names nothing, and stays "I miss you" in other words.
    """
    kept = []
    for hit in hits:
        match = hit.rule == "miss_you" and rules.lexicon().thought_of_you.match(body, hit.start)
        if not match or not _names_a_thing(body, hit.start):
            kept.append(hit)
            continue
        start, _ = rules.trimmed(body[: hit.start])
        kept.append(rules.Hit("shared_memory", start, match.end()))
    return kept


def _names_a_thing(body: str, before: int) -> bool:
    """True when what brought him to mind is named: two words or more that are not vague,
    in the sentence before ``before`` ("planning a trip back to Poughkeepsie ... that made me
    think of you"), or, when that sentence only points back ("Made me think of you", "that
    reminded me of you"), in the two sentences before it."""
    spans = [s for s in rules.sentences(body) if s[0] <= before]
    here = spans[-1][0] if spans else 0
    if _named(body[here:before]):
        return True
    pointing = rules.lexicon().pointing
    if any(w.group().lower() not in pointing for w in rules.words(body[here:before])):
        return False  # "everything reminds me of you", "saw this and thought of you"
    earlier = spans[-3:-1]
    return bool(earlier) and _named(body[earlier[0][0] : here])


def _named(text: str) -> bool:
    """True when ``text`` names a thing met: two words that are not vague, one of them a name
    ("Choco Taco", "Galway") or the thing of a verb of meeting it ("had a mango lassi")."""
    lex = rules.lexicon()
    words = [w.group() for w in rules.words(text)]
    content = [w for w in words if w.lower() not in lex.vague]
    if len(content) < 2:
        return False
    names = any(w[0].isupper() for w in content[1:] if w.lower() != "i")
    return names or bool(lex.met.search(text))


def _memory_hit(body: str, bank: Bank, reading: intent.Reading) -> rules.Hit | None:
    """A match with the memory bank wins, because it can name the memory; otherwise the first
    memory in the draft, by a marker ("remember when") or told in other words, so that what
    follows it is what the draft goes on to say."""
    named = rules.memory_bank_hit(body, bank.words)
    if named is not None:
        return named
    found = [h for h in (rules.memory_marker_hit(body), intent.memory_hit(reading)) if h]
    return min(found, key=lambda h: h.start) if found else None


def _tail_hits(body: str, memory: rules.Hit, depth: int = 1) -> list[rules.Hit]:
    """Return ``memory_tail`` when what follows a memory would not be worth sending on its own.

    A strength never cancels a problem: "remember the pizza place? 😂" in front of a guilt trip
    or a sarcastic line does not change what that line says. The part after the memory's
    sentence (and after the emoji or laugh that closes it) is reviewed as a message in a
    conversation; it must be worth sending on its own, or be a laugh or your own news with
    nothing to fix.
    """
    tail = _after_memory(body, memory)
    if tail is None:
        return []
    rest = body[tail[0] : tail[1]]
    # The whole draft has had its safety check; the rest needs only the text rules.
    hits, compound = _text_hits(rest, len(rest), "ongoing", _bank(()), tail=depth - 1)
    findings = _findings(hits, rest, "he")
    if _verdict(findings, "ongoing", compound) == "send":
        return []
    # A grim word told with its own laugh, or in your own news, is still the story of the
    # memory: "worst hike ever 😂", "I finally bought a fire extinguisher". Heavy words about
    # yourself are not a story, laugh or no laugh: "I'm so low lol".
    told = rules.laughter_span(rest) or any(f.rule == "own_news" for f in findings)
    story = told and not _FIRST_PERSON.search(rest)
    fixes = [
        f
        for f in findings
        if f.kind == "problem"
        and f.severity != "info"
        and not (f.rule == "negative_tone" and story)
    ]
    if not fixes and told:
        return []
    # "...made me think of you. How have you been?": the question carries a memory tied to
    # him on; a greeting or a how-are-you pasted after a memory with no such tie stays small
    # talk. Only that: any other problem in the rest still counts.
    if _linked_memory(body, memory) and {f.rule for f in fixes} <= _SMALL_TALK:
        return []
    # What the rest does wrong is shown where it is, as seriously as it would be on its own:
    # a jab after a memory is still a jab, not merely a weaker ending.
    lex = rules.lexicon()
    shown = [
        replace(h, start=h.start + tail[0], end=h.end + tail[0])
        for h in hits
        if lex.rules[h.rule].kind == "problem"
        and _severity(h) in ("block", "warn")
        and h.rule != "memory_tail"
    ]
    return [*shown, rules.Hit("memory_tail", *tail)]


# What a question or wish after a memory may be and still carry the memory on.
_SMALL_TALK = frozenset({"generic"})


def _linked_memory(body: str, memory: rules.Hit) -> bool:
    """True when the draft ties the memory to him now: "made me think of you", "made me
    smile", "reminded me of you", said in the memory's sentence or after it."""
    return rules.lexicon().memory_link.search(body, memory.start) is not None


_FIRST_PERSON = re.compile(r"\b(?:i|i'm|im|i've|ive|i'd|me|my|myself)\b", re.IGNORECASE)


def _after_memory(body: str, memory: rules.Hit) -> tuple[int, int] | None:
    """Return the span after the sentence that tells ``memory``, or None if nothing follows."""
    _, end = rules.trimmed(body)
    for start, stop in rules.sentences(body):
        if stop <= memory.end:
            continue
        if start < memory.end:  # the memory's own sentence: it may go on after an emoji
            close = _CLOSING.search(body, memory.end, stop)
            if close is None:
                continue
            start = close.end()
        start = _LEADING.match(body, start).end()
        return (start, end) if rules.words(body[start:end]) else None
    return None


# An emoji or a laugh that closes a thought, and what may open the next one.
_CLOSING = re.compile(
    "(?:[\U0001f300-\U0001faff\u2600-\u27bf]|(?<!\\w)(?:lol|haha+|ha|lmao)(?!\\w))[\\s,.!]+"
)
_LEADING = re.compile(
    "(?:[\\s,.!?]|[\U0001f300-\U0001faff\u2600-\u27bf]|(?<!\\w)(?:lol|haha+|lmao)(?!\\w))*",
    re.IGNORECASE,
)


def _new_hits(found: list[rules.Hit], known: list[rules.Hit]) -> list[rules.Hit]:
    """Return the structural hits that a phrase rule has not already shown in the same place."""
    return [
        h
        for h in found
        if not any(
            k.rule == h.rule and rules.overlaps(h.start, h.end, [(k.start, k.end)]) for k in known
        )
    ]


def _length_hits(
    body: str, spans: list[tuple[int, int]], word_count: int, full_length: int, letter: bool
) -> list[rules.Hit]:
    """Return ``too_long`` (highlighting what could go) or ``short``. A long draft full of
    feeling (``letter``) is a letter, and the program says not to send one."""
    limits = rules.lexicon().limits
    # A greeting of a word or two ("Hey!") is not a sentence of substance.
    counts = [len(rules.words(body[a:b])) for a, b in spans]
    substance = [n for n in counts if n > _GREETING_WORDS]
    two_short = len(substance) <= limits["short_sentences"] and all(
        n <= limits["too_long_sentence_words"] for n in substance
    )
    budget = limits["too_long_words_two_sentences"] if two_short else limits["too_long_words"]
    too_many_words = word_count > int(budget)
    too_many_sentences = (
        len(substance) > int(limits["too_long_sentences"])
        and word_count > limits["too_long_sentences_min_words"]
    )
    if too_many_words or too_many_sentences or full_length > len(body):
        if letter:
            return [rules.Hit("too_long", *_excess(body, spans), "block", _LETTER)]
        return [rules.Hit("too_long", *_excess(body, spans))]
    if (
        word_count
        and word_count <= limits["short_words"]
        and len(spans) <= limits["short_sentences"]
    ):
        return [rules.Hit("short", *rules.trimmed(body))]
    return []


# A sentence of this many words or fewer ("Hey!", "Hi Sam,") is a greeting, not substance.
_GREETING_WORDS = 2


def _practical_length(hits: list[rules.Hit]) -> list[rules.Hit]:
    """A practical text may take a few lines: its length is a note, not a reason to revise."""
    if not any(h.rule == "logistics" for h in hits):
        return hits
    return [
        rules.Hit(h.rule, h.start, h.end, "info", _PRACTICAL_LENGTH)
        if h.rule == "too_long" and h.severity is None
        else h
        for h in hits
    ]


_PRACTICAL_LENGTH = "A practical text can be as short as the practical point: the rest could go."


def _excess(body: str, spans: list[tuple[int, int]]) -> tuple[int, int]:
    """Return the span past what a short text would keep: the first two sentences if they are
    short enough, else the first ``too_long_words`` words."""
    limits = rules.lexicon().limits
    keep_sentences = int(limits["short_sentences"])
    keep_words = int(limits["too_long_words"])
    all_words = rules.words(body)
    cut = None
    if len(spans) > keep_sentences:
        cut = spans[keep_sentences - 1][1]
        if len([w for w in all_words if w.end() <= cut]) > keep_words:
            cut = None
    if cut is None and len(all_words) > keep_words:
        cut = all_words[keep_words - 1].end()
    _, end = rules.trimmed(body)
    if cut is None:  # only the part beyond max_chars is too much: mark the end of what we read
        cut = end
    start = cut
    while start < end and not body[start].isalnum():
        start += 1
    return (start, end) if start < end else (cut, end)


def _tone_hits(
    body: str, spans: list[tuple[int, int]], compound: Callable[[], float], hits: list[rules.Hit]
) -> list[rules.Hit]:
    """Return ``negative_tone`` on the heaviest sentence, or ``light_tone``.

    Neither when a phrase already blocks the draft: the anger or the "I love you" is what needs
    saying, and tone on top of it is noise (VADER reads "I love you" as very positive, but it is
    not light). A greeting's warmth ("hope you're well") is not light-hearted either. A
    shared memory told with a laugh may sound grim to VADER ("the pancake disaster") and is
    held to a heavier bar.
    """
    lex = rules.lexicon()
    limits = lex.limits
    if any(_severity(h) == "block" for h in hits):
        return []
    # Words that find something funny ("hilarious") say more than a bare "lol": show those.
    laughs = [m.span() for m in lex.laughter.finditer(body)]
    laugh = next((span for span in laughs if not _is_laugh(body[span[0] : span[1]])), None)
    laugh = laugh or (laughs[0] if laughs else None)
    memories = [(h.start, h.end) for h in hits if h.rule == "shared_memory"]
    if memories:
        # "the terrible pizza place we loved" tells a memory; its words are not the mood.
        heavy = _heavy_beside_a_joke(body, spans, memories)
        if heavy is not None:
            return [rules.Hit("negative_tone", *heavy)]
    elif compound() <= limits["negative_compound"]:
        return [rules.Hit("negative_tone", *_heaviest(body, spans))]
    if any(h.rule in ("generic", "logistics") for h in hits):
        return []
    if laugh:
        return [rules.Hit("light_tone", *laugh)]
    if compound() >= limits["light_compound"]:
        return [rules.Hit("light_tone", *rules.trimmed(body))]
    return []


def _mood(body: str, hits: list[rules.Hit]) -> float:
    """Return VADER's compound score for what the words of the draft say about now.

    The words that tell a shared memory are the story, not the mood ("our disastrous ferry
    ride"), so they are left out. So are laughs and emoji: VADER reads "😂" as joy, and a laugh
    in front of "I guess I meant nothing to you" does not make those words any lighter.
    """
    memories = [(h.start, h.end) for h in hits if h.rule == "shared_memory"]
    told = _without(body, memories) if memories else body
    told = _without_others(told)
    if any(h.rule == "logistics" for h in hits):
        # The facts of an arrangement ("Emma is sick so she'll stay home today") are news to
        # sort out, not the writer's mood.
        told = intent.patterns().chore.sub(_blank, parse.fold(told))
    compound = _compound(_LAUGH.sub(_blank, _EMOJI.sub(_blank, told)))
    # A memory told with a laugh ("still terrible 😂") is the story's grin, not a low mood;
    # what follows a memory is judged on its own (``_tail_hits``), so this lifts nothing else.
    if memories and rules.laughter_span(body):
        return (
            max(compound, 0.0)
            if compound > rules.lexicon().limits["negative_compound"]
            else compound
        )
    return compound


def _without_others(body: str) -> str:
    """Return ``body`` with the sentences wholly about someone else blanked (same length).

    "My dad's been complaining about his shows" is the dad's grumble, told to sort something
    out; it is not the writer's mood. A sentence that brings in the writer or him ("my sister
    thinks you're awful") stays. A draft with one sentence is read whole.
    """
    spans = rules.sentences(body)
    if len(spans) < 2:
        return body
    folded = parse.fold(body)
    cells = list(body)
    for start, end in spans:
        sentence = folded[start:end]
        if _YOU.search(sentence) or parse.sentence_subject(sentence) != "other":
            continue
        cells[start:end] = " " * (end - start)
    return "".join(cells)


def _without_names(body: str) -> str:
    """Return ``body`` with capitalised words inside a sentence blanked (same length).

    "Star Wars", "Jaws", "Mia": a title or a name is not a mood, and VADER reads many of them
    as one ("war" is among its darkest words). A draft typed in Title Case is read whole.
    """
    names = list(_NAME_LIKE.finditer(body))
    if not names or len(names) * 2 > len(rules.words(body)):
        return body
    cells = list(body)
    for match in names:
        if match.group() in _NOT_NAMES:
            continue
        cells[match.start() : match.end()] = " " * (match.end() - match.start())
    return "".join(cells)


_NAME_LIKE = re.compile(r"(?<=[\w,;:] )[A-Z][a-z]+")
_NOT_NAMES = frozenset({"I", "Im", "Ive", "Id", "Ill", "Ok", "Okay", "Lol", "Haha", "God", "Omg"})


_YOU = re.compile(r"\b(?:you|u|your|ur|yours|you're|youre|ya)\b")


_EMOJI = re.compile("[\u2190-\U0010ffff]")
_LAUGH = re.compile(
    r"(?<!\w)(?:ha(?:ha)+h?|he(?:he)+|lol+|lmao+|lmfao|rofl|xd)(?!\w)", re.IGNORECASE
)


def _blank(match: re.Match[str]) -> str:
    return " " * (match.end() - match.start())


def _without(body: str, memories: list[tuple[int, int]]) -> str:
    """Return ``body`` with each memory blanked from its start to the end of its clause."""
    rest = list(body)
    for start, end in memories:
        stop = _CLAUSE_END.search(body, end)
        for i in range(start, stop.start() if stop else len(body)):
            rest[i] = " "
    return "".join(rest)


def _jab_light(hit: rules.Hit, reading: intent.Reading) -> bool:
    """True for a light tone that VADER reads off the warm opening of a jab: a strength
    never comes from the words that set up a sting."""
    return hit.rule == "light_tone" and intent.jab(reading)


def _heavy_beside_a_joke(
    body: str, spans: list[tuple[int, int]], memories: list[tuple[int, int]]
) -> tuple[int, int] | None:
    """Return the heavy part of a draft that laughs about a shared memory, or None.

    The words that tell the memory (from its marker to the end of that clause) may sound grim
    to VADER ("the pancake disaster", "when we got lost in the rain") and are the story, not
    the mood, so they are left out of the reading; the rest is held to the usual bar, so
    "haha remember when we were happy, now I'm miserable" still reads heavy.
    """
    told = _without(body, memories)
    if _compound(told) > rules.lexicon().limits["negative_compound"]:
        return None
    return _heaviest(told, spans)


def _heaviest(body: str, spans: list[tuple[int, int]]) -> tuple[int, int]:
    """Return the most negative sentence; the whole draft if it has one sentence or very many
    (scoring each would cost more than it tells)."""
    if not 1 < len(spans) <= 6:
        return rules.trimmed(body)
    return min(spans, key=lambda s: _compound(body[s[0] : s[1]]))


def _compound(text: str) -> float:
    """Return VADER's compound score for the start of ``text`` (see ``tone_max_*``)."""
    limits = rules.lexicon().limits
    head = _without_names(text[: int(limits["tone_max_chars"])])
    # Emoji and pictographs sit above the arrows block; VADER spells each one out, so the
    # head ends before the first symbol past ``tone_max_emoji``.
    for count, symbol in enumerate(_EMOJI.finditer(head), start=1):
        if count > limits["tone_max_emoji"]:
            head = head[: symbol.start()]
            break
    return tone.compound(head)


def _nudges(hits: list[rules.Hit], stage: str, start: int, end: int) -> list[rules.Hit]:
    """Return gentle notes that explain a "revise" when nothing is actually wrong."""
    fired = {h.rule for h in hits}
    if fired & {"generic", "logistics", "empty"}:
        return []
    if any(_severity(h) == "block" for h in hits):
        return []
    out = []
    if stage == "first" and not fired & {"shared_memory", "sad_memory"}:
        out.append(rules.Hit("no_memory", start, end))
    if not fired & _LIVELY:
        out.append(rules.Hit("flat", start, end))
    return out


def _severity(hit: rules.Hit) -> str:
    return hit.severity or rules.lexicon().rules[hit.rule].severity


def _time_hits(now: datetime | None, entries: list[rules.Entry], stage: str) -> list[rules.Hit]:
    if now is None:
        return []
    hits = [rules.Hit("late_night", 0, 0)] if rules.is_late_night(now) else []
    if stage == "ongoing":
        hits += rules.pacing_hits(entries, now)
    return hits


# --------------------------------------------------------------------------------------------
# Safety
# --------------------------------------------------------------------------------------------


def _safety_check(body: str) -> Any:
    """Return ``safety.check(body)``, or None while the safety module is not installed."""
    try:
        from secondchance.analysis import safety
    except ImportError:  # pragma: no cover - only before safety.py exists
        return None
    return safety.check(body)


def _quiet_opening(body: str, hits: list[rules.Hit]) -> str:
    """Return ``body`` with the laughs and emoji of its opening blanked, for the safety check.

    The safety check forgives crisis words that share a sentence with a laugh ("I could die
    lol"). A laugh, or a happy memory told with one, put in front of a draft must not hide what
    the rest says: blanked (same length, so spans hold), the rest is read as it would be alone.
    """
    end = _LEADING.match(body).end()
    memory = next((h for h in hits if h.rule == "shared_memory"), None)
    after = _after_memory(body, memory) if memory is not None else None
    if after is not None:
        end = max(end, after[0])
    if end == 0:
        return body
    opening = _SOUNDS_OR_EMOJI.sub(lambda m: " " * len(m.group()), body[:end])
    return opening + body[end:]


_SOUNDS_OR_EMOJI = re.compile(
    "[\u2190-\U0010ffff]|(?<!\\w)(?:ha(?:ha)+h?|he(?:he)+|lol+|lmao+|lmfao|rofl)(?!\\w)",
    re.IGNORECASE,
)


def _apply_safety(hits: list[rules.Hit], body: str, result: Any) -> list[rules.Hit]:
    """Safety overrides strategy.

    Crisis: only the crisis (and abuse) findings remain; coaching a text is beside the point.
    Abuse: the abuse finding leads, problems stay, strengths and nudges go, because the app
    does not encourage getting back together with someone who hurt you.
    """
    if result is None or not (result.crisis or result.abuse):
        return hits
    evidence = tuple(getattr(result, "evidence", ()) or ())
    safety_hits = []
    if result.crisis:
        safety_hits.append(rules.Hit("crisis", *_evidence_span(evidence, "crisis", body)))
    if result.abuse:
        safety_hits.append(rules.Hit("abuse", *_evidence_span(evidence, "abuse", body)))
    if result.crisis:
        return safety_hits
    lex = rules.lexicon()
    kept = [h for h in hits if lex.rules[h.rule].kind == "problem" and h.rule not in _NUDGES]
    return safety_hits + kept


def _evidence_span(evidence: tuple[Any, ...], prefix: str, body: str) -> tuple[int, int]:
    for item in evidence:
        about = str(getattr(item, "about", ""))
        if about == prefix or about.startswith(prefix + "."):
            start, end = int(item.start), int(item.end)
            if 0 <= start <= end <= len(body):
                return start, end
    return 0, 0


# --------------------------------------------------------------------------------------------
# Findings, verdict, score
# --------------------------------------------------------------------------------------------


def _findings(hits: list[rules.Hit], text: str, ex_pronoun: str) -> tuple[Finding, ...]:
    lex = rules.lexicon()
    words = _placeholders(ex_pronoun)
    findings = []
    for hit in hits:
        spec = lex.rules[hit.rule]
        template = hit.message or spec.message
        if hit.title and spec.bank_message:
            template = spec.bank_message
        message = template.format_map({**words, "title": hit.title or ""})
        findings.append(
            Finding(
                rule=hit.rule,
                kind=spec.kind,
                severity=hit.severity or spec.severity,
                start=hit.start,
                end=hit.end,
                message=message,
                quote=text[hit.start : hit.end],
            )
        )
    findings.sort(key=lambda f: (_SEVERITY_ORDER[f.severity], f.kind != "problem", f.start, f.rule))
    return tuple(findings)


@cache
def _placeholders(ex_pronoun: str) -> dict[str, str]:
    """Return the message placeholders for ``ex_pronoun``, worked out once (read-only)."""
    return _pronoun_words(rules.lexicon().pronouns[ex_pronoun])


def _pronoun_words(base: dict[str, str]) -> dict[str, str]:
    """Return the message placeholders, each also capitalised ({he} and {He})."""
    words = dict(base)
    for key, value in base.items():
        words[key[0].upper() + key[1:]] = value[0].upper() + value[1:]
    return words


def _verdict(findings: tuple[Finding, ...], stage: str, compound: Callable[[], float]) -> str:
    """``dont_send`` if anything blocks; ``revise`` if anything warns; otherwise ``send`` only
    for a light, personal draft (first text) or a light one (ongoing), or plain logistics."""
    severities = {f.severity for f in findings if f.kind == "problem"}
    if "block" in severities:
        return "dont_send"
    if "warn" in severities:
        return "revise"
    strengths = {f.rule for f in findings if f.kind == "strength"}
    if "logistics" in strengths:
        return "send"
    if stage == "first":
        # The memory carries a first text, and its laugh is part of telling it; what follows
        # the memory has been read on its own (``_tail_hits``).
        if "shared_memory" not in strengths:
            return "revise"
        light = "light_tone" in strengths or compound() > rules.lexicon().limits["neutral_floor"]
        return "send" if light else "revise"
    # A laugh or an emoji alone is not what makes a reply worth sending: put in front of a
    # flat or a sore line, it would otherwise lift it.
    said = {f.rule for f in findings if f.kind == "strength" and not _only_laugh(f)}
    fun = said & _LIVELY
    # A reply that does something kind or easy may carry a sore word ("I missed your call,
    # what's up?", "what a bummer"); only a heavy one (the negative_tone bar) is held back.
    return "send" if fun and compound() > rules.lexicon().limits["negative_compound"] else "revise"


def _only_laugh(finding: Finding) -> bool:
    """True for a light tone that is nothing but a laugh or an emoji ("lol", "😂")."""
    return finding.rule == "light_tone" and _is_laugh(finding.quote)


def _is_laugh(quote: str) -> bool:
    """True when ``quote`` is only laughing sounds, smileys or emoji, with no words."""
    return not _LAUGH.sub(
        "", _EMOJI.sub("", rules.lexicon().laughter.sub(_keep_words, quote))
    ).strip()


def _keep_words(match: re.Match[str]) -> str:
    """Keep a laughter match that is a word ("hilarious", "guess what"); drop sounds and
    smileys."""
    word = match.group()
    letters = word.replace(" ", "").replace("'", "")
    return word if letters.isalpha() and not _LAUGH.fullmatch(word) and len(letters) > 4 else ""


def _score(findings: tuple[Finding, ...], verdict: str) -> int:
    """Start from the base, add strengths, subtract problems, then keep it inside the
    verdict's band so the number never contradicts the verdict."""
    score_table = rules.lexicon().score
    score = float(score_table["base"])
    # A strength never cancels a problem: strengths raise only a draft with nothing to fix.
    troubled = any(f.kind == "problem" and f.severity != "info" for f in findings)
    for finding in findings:
        if finding.kind == "strength":
            if troubled:
                continue
            score += float(score_table["strength"].get(finding.rule, 0))
        else:
            score += float(score_table[finding.severity])
    low, high = rules.lexicon().bands[verdict]
    return round(min(max(score, low), high))


# --------------------------------------------------------------------------------------------
# Suggestions
# --------------------------------------------------------------------------------------------


def _suggestions(findings: tuple[Finding, ...], bank: Bank) -> tuple[str, ...]:
    """Return up to three better openers, built from the memory bank when it has usable entries.

    None when safety took over: then the next step is help or protection, not a text.
    """
    fired = {f.rule for f in findings}
    if fired & {"crisis", "abuse"}:
        return ()
    templates = rules.lexicon().suggest
    usable = _usable_memories(findings, bank)
    if not usable:
        return tuple(templates["generic"][:3])
    out = []
    for index, template in enumerate(templates["bank"][:3]):
        memory = usable[index % len(usable)]
        out.append(template.format(memory=rules.memory_phrase(memory)))
    return tuple(out)


# Follows from the memory alone, and the live review asks it of every memory at every keystroke.
@lru_cache(maxsize=4096)
def _opener_worthy(memory: rules.Memory) -> bool:
    """Return whether an opener can be built on ``memory``: the review recognises it in its own
    phrase, and it is not a memory of the two of them as a couple ("our first date"), which the
    review would read as relationship talk in the opener it suggested, nor one whose name reads
    as a negative word ("FU karaoke"), which would make the suggested opener read as hostile."""
    phrase = rules.memory_phrase(memory)
    return (
        rules.nameable(memory)
        and not intent.patterns().romance.search(phrase.lower())
        and tone.compound(phrase) > rules.lexicon().limits["negative_compound"]
    )


def _usable_memories(findings: tuple[Finding, ...], bank: Bank) -> list[rules.Memory]:
    """Happy memories first: the one the draft already mentions, then those tagged as light."""
    mentioned = {f.quote.lower() for f in findings if f.rule == "shared_memory"}
    if not mentioned:
        return list(bank.light_first)

    def rank(opener: tuple[rules.Memory, bool, tuple[str, ...]]) -> tuple[int, int]:
        _, light, words = opener
        named = any(w in q for q in mentioned for w in words)
        return (0 if named else 1, 0 if light else 1)

    return [m for m, _, _ in sorted(bank.openers, key=rank)]
