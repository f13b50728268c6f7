"""Durations in a story, in days: "two months since we broke up", "together for 3 years".

``parse_durations(text, today=None)`` returns every amount of time the text mentions, with
what it measures (``kind``) and the exact span, so a reader can see why a number was taken.

Counting rules: a week is 7 days, a month 30.44 days (the Gregorian average), a year 365;
the total is rounded to the nearest day, halves up ("a year and a half" is 548). Hedges such
as "almost" or "over" keep the number as written. Ranges ("2-3 months") count as their
middle. Month names ("since February") need ``today`` to become days; without it their
``days`` is ``None``.

The words live in ``data/durations.toml``. All patterns are compiled once, on first use.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from typing import Any

from secondchance.analysis.lexicon import load
from secondchance.analysis.text import straighten

KINDS = ("since_breakup", "relationship", "ago", "other")

# How far (in characters) around an amount its cue words may stand. Wide enough for
# "we were together for almost", narrow enough to stay inside one thought.
_CONTEXT = 60
# A breakup cue this close to "two weeks ago" ties the two together ("he left me two weeks ago").
_AGO_LINK = 70
# Wider than ``text.SENTENCE_BREAK`` on purpose: a duration's context stops at a semicolon too.
_SENTENCE_END = re.compile(r"[.!?;\n]")
_POSSESSIVE = re.compile(r"\b(?:my|his|her|our|their|your|the|its)\s+$", re.IGNORECASE)
_AGO = re.compile(r"[\s-]{1,3}ago\b", re.IGNORECASE)


def plain(text: str) -> str:
    """Return ``text`` with typographic quotes made plain ("it’s" -> "it's"), same length.

    Phones type curly apostrophes; the patterns are written with straight ones. Every
    replacement is one character for one, so spans found in the result hold for ``text``.
    """
    return straighten(text)


@dataclass(frozen=True, slots=True)
class DurationMention:
    """One amount of time in the text.

    ``days`` is ``None`` only for a month name read without a reference date. ``kind`` is one
    of ``KINDS``: ``since_breakup`` (time since it ended), ``relationship`` (how long it
    lasted), ``ago`` (when something else happened) or ``other``. ``hedged`` is true when the
    writer said "almost", "over" and the like. ``text[start:end] == quote``.
    """

    days: int | None
    kind: str
    start: int
    end: int
    quote: str
    hedged: bool = False
    # Where the number came from: "amount" ("two months"), "relative" ("last night"),
    # "month" ("since February", "Dec 31"), "count" ("day 12 of no contact"), "ordinal".
    source: str = "amount"

    def to_dict(self) -> dict[str, Any]:
        return {
            "days": self.days,
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "quote": self.quote,
            "hedged": self.hedged,
        }


# --- patterns, built once from the data file -------------------------------------------------


@dataclass(frozen=True)
class _Lexicon:
    amount: re.Pattern[str]
    relative: re.Pattern[str]
    month: re.Pattern[str]
    day_count: re.Pattern[str]
    numbers: dict[str, float]
    # Each unit's written forms ("wks", "mins") with its days, to tell a unit from its form.
    unit_forms: tuple[tuple[re.Pattern[str], float], ...]
    relative_days: dict[str, int]
    month_numbers: dict[str, int]
    skip_after: re.Pattern[str]
    skip_before: re.Pattern[str]
    single_before: re.Pattern[str]
    single_after: re.Pattern[str]
    breakup: re.Pattern[str]
    start: re.Pattern[str]
    rel_before: re.Pattern[str]
    rel_after: re.Pattern[str]
    since_before: re.Pattern[str]
    since_after: re.Pattern[str]


def _alt(items: list[str]) -> str:
    # Longest first, so that "a couple of" wins over "a" wherever both could match.
    return "|".join(sorted(items, key=len, reverse=True))


def _number_words(words: dict[str, float], bare: bool = True) -> str:
    """Return the regex for a spelled-out number; ``bare=False`` leaves out "a" and "an"."""
    tens = [w for w, v in words.items() if v >= 20 and v % 10 == 0]
    ones = [w for w, v in words.items() if 1 <= v <= 9 and w not in ("a", "an")]
    plain = [w for w in words if w not in ("half", "couple", "few", "several")]
    if not bare:
        plain = [w for w in plain if w not in ("a", "an")]
    compound = rf"(?:{_alt(tens)})[\s-](?:{_alt(ones)})"
    return rf"(?:{compound}|{_alt(plain)})"


@cache
def _lexicon() -> _Lexicon:
    data = load("durations")
    numbers = {k.lower(): float(v) for k, v in data["numbers"]["words"].items()}
    vague = _alt([*data["numbers"]["vague_lead"], "couple", "few", "several"])
    word_number = _number_words(numbers)
    # "2", "2.5", "3,5" (a decimal comma), "1 1/2"; never part of a longer number.
    digits = r"\d{1,3}(?:[.,]\d{1,2}(?!\d)|\s1/2)?"
    one_number = rf"(?:{digits}|{vague}|{word_number})"
    unit = _alt([w for forms in data["unit_words"].values() for w in forms])
    hedge = _alt(data["modifiers"]["hedges"])
    # Each part is anchored by a literal or a bounded repeat, so a failed match costs little.
    amount = re.compile(
        rf"\b(?P<hedge>(?:{hedge})\s+)?"
        rf"(?:(?P<halfof>half[\s-]+(?:an?\s+)?)"
        rf"|(?P<num>{one_number})(?:\s{{0,2}}(?:-|–|to|or)\s{{0,2}}(?P<num_hi>{one_number}))?"
        rf"(?P<plus>\+)?(?P<half1>\s+and\s+(?:a\s+)?half)?[\s-]{{0,3}})"
        rf"(?P<unit>{unit})\b"
        rf"(?P<half2>\s+and\s+a\s+half\b)?"
        rf"(?:,?\s+(?:and\s+)?(?P<num2>{digits}|{_number_words(numbers, bare=False)})"
        rf"[\s-]{{0,3}}(?P<unit2>{unit})\b)?",
        re.IGNORECASE,
    )
    relative_days = {k.lower(): int(v) for k, v in data["relative"].items()}
    relative_forms = [r"\s+".join(map(re.escape, k.split())) for k in relative_days]
    relative = re.compile(rf"\b(?:{_alt(relative_forms)})\b", re.IGNORECASE)
    month_numbers = {k.lower(): int(v) for k, v in data["months"]["names"].items()}
    # "since February", "on March 3rd", or a date with no lead word ("he left Dec 31"),
    # which the day number makes a date.
    month = re.compile(
        rf"\b(?:(?P<lead>{_alt(data['months']['lead'])})\s+(?:of\s+)?)?"
        rf"(?P<month>{_alt(list(month_numbers))})\b"
        # A period only after a short form ("Dec. 31"): "in March. 30 days" is two sentences.
        r"(?:(?:(?<!\w{5})\.)?[ \t]+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b)?"
        r"(?:,?\s+(?P<year>(?:19|20)\d\d)\b)?",
        re.IGNORECASE,
    )
    day_count = re.compile(
        r"\bday\s+(?P<n>\d{1,4})\b(?=\s+(?:of\s+)?(?:no[\s-]contact|nc|post|since|after|"
        r"of\s+(?:the\s+)?break[-\s]?up|of\s+being))",
        re.IGNORECASE,
    )
    kinds = data["kinds"]
    skip = data["skip"]
    return _Lexicon(
        amount=amount,
        relative=relative,
        month=month,
        day_count=day_count,
        numbers=numbers,
        unit_forms=tuple(
            (re.compile(_alt(forms), re.IGNORECASE), float(data["units"][name]))
            for name, forms in data["unit_words"].items()
        ),
        relative_days=relative_days,
        month_numbers=month_numbers,
        skip_after=re.compile(rf"^[\s-]*(?:{_alt(skip['after'])})", re.IGNORECASE),
        skip_before=re.compile(rf"\b(?:{_alt(skip['before'])})\s*$", re.IGNORECASE),
        single_before=re.compile(
            rf"\b(?:{_alt(skip['single_day_needs_before'])})\s+$", re.IGNORECASE
        ),
        single_after=re.compile(
            rf"^\s*(?:{_alt(skip['single_day_needs_after'])})\b", re.IGNORECASE
        ),
        breakup=re.compile(rf"\b(?:{_alt(kinds['breakup'])})\b", re.IGNORECASE),
        start=re.compile(rf"\b(?:{_alt(kinds['start'])})\b", re.IGNORECASE),
        rel_before=re.compile(rf"\b(?:{_alt(kinds['relationship_before'])})$", re.IGNORECASE),
        rel_after=re.compile(rf"^[\s-]*(?:{_alt(kinds['relationship_after'])})", re.IGNORECASE),
        since_before=re.compile(rf"\b(?:{_alt(kinds['since_breakup_before'])})$", re.IGNORECASE),
        since_after=re.compile(rf"^[\s-]*(?:{_alt(kinds['since_breakup_after'])})", re.IGNORECASE),
    )


# --- numbers ----------------------------------------------------------------------------------


def _round_days(value: float) -> int:
    """Round halves up (548 for a year and a half), never below zero."""
    return max(0, math.floor(value + 0.5))


def number_value(word: str) -> float | None:
    """Return the amount a number token stands for ("2", "2.5", "a couple of", "twenty-one").

    Returns ``None`` for anything that is not a number this module knows.
    """
    token = " ".join(word.lower().replace("-", " ").split())
    half = token.endswith(" 1/2")
    if half:
        token = token[:-4]
    try:
        return float(token.replace(",", ".")) + (0.5 if half else 0.0)
    except ValueError:
        pass
    numbers = _lexicon().numbers
    if token in numbers:
        return numbers[token]
    parts = token.split()
    if parts and parts[-1] == "of":
        parts = parts[:-1]
    # "a couple", "a good few", "quite a few": the last word carries the amount.
    if parts and parts[-1] in ("couple", "few", "several"):
        return numbers[parts[-1]]
    if len(parts) == 2 and parts[0] in numbers and parts[1] in numbers:
        return numbers[parts[0]] + numbers[parts[1]]  # twenty one
    return None


def unit_days(unit: str) -> float:
    """Return days per unit for any written form ("wks", "months", "yr", "hrs", "mins")."""
    return next(days for form, days in _lexicon().unit_forms if form.fullmatch(unit))


def _amount_days(m: re.Match[str]) -> float | None:
    unit = unit_days(m["unit"])
    if m["halfof"]:
        return 0.5 * unit
    low = number_value(m["num"])
    if low is None:
        return None
    high = number_value(m["num_hi"]) if m["num_hi"] else None
    count = (low + high) / 2 if high is not None and high >= low else low
    if m["half1"] or m["half2"]:
        count += 0.5
    total = count * unit
    if _has_smaller_part(m):
        total += (number_value(m["num2"]) or 0.0) * unit_days(m["unit2"])
    return total


def _has_smaller_part(m: re.Match[str]) -> bool:
    """True for "a year and 3 months"; false for "7 days, 2 weeks", which are two amounts."""
    return bool(m["num2"]) and unit_days(m["unit2"]) < unit_days(m["unit"])


def _amount_end(m: re.Match[str]) -> int:
    """Return where the amount ends: after its smaller part only when that part belongs to it."""
    if _has_smaller_part(m):
        return m.end()
    return m.end("half2") if m["half2"] else m.end("unit")


# --- what an amount measures ------------------------------------------------------------------


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Return the start and end of the sentence holding [start, end), capped to the context."""
    lo = max(0, start - 4 * _CONTEXT)
    before = text[lo:start]
    cuts = list(_SENTENCE_END.finditer(before))
    s = lo + cuts[-1].end() if cuts else lo
    after = _SENTENCE_END.search(text, end, min(len(text), end + 4 * _CONTEXT))
    e = after.start() if after else min(len(text), end + 4 * _CONTEXT)
    return s, e


def _nearest(pattern: re.Pattern[str], text: str, lo: int, hi: int, at: int) -> int | None:
    """Return the distance from ``at`` to the nearest match of ``pattern`` in text[lo:hi]."""
    best = None
    for m in pattern.finditer(text, lo, hi):
        d = at - m.end() if m.end() <= at else max(0, m.start() - at)
        if best is None or d < best:
            best = d
    return best


def _linked_to_breakup(text: str, start: int, end: int) -> bool:
    """True when a breakup cue is closer to the amount than any relationship-start cue."""
    lex = _lexicon()
    s, e = _sentence_bounds(text, start, end)
    lo, hi = max(s, start - _AGO_LINK), min(e, end + _AGO_LINK)
    breakup = _nearest(lex.breakup, text, lo, hi, start)
    if breakup is None:
        return False
    begin = _nearest(lex.start, text, lo, hi, start)
    return begin is None or breakup <= begin


def classify(text: str, start: int, end: int) -> str:
    """Return what the amount at text[start:end] measures: one of ``KINDS``.

    The words right after the amount decide first ("ago", "since we broke up", "relationship"),
    then the words right before it ("together for", "broken up for").
    """
    lex = _lexicon()
    s, e = _sentence_bounds(text, start, end)
    after = text[end : min(e, end + _CONTEXT)]
    before = text[max(s, start - _CONTEXT) : start]
    low_after = after.lower().lstrip(" -")
    if _BEFORE_ANCHOR.match(low_after) and _breakup_just_before(text, s):
        # "...since we broke up. Three weeks later." / "It's been a week since then."
        return "since_breakup"
    if low_after.startswith("ago"):
        if _linked_to_breakup(text, start, end):
            return "since_breakup"
        # "He ended it after a fight. That was 3 days ago.": the sentence points back at the
        # breakup told just before it.
        points_back = _POINTS_BACK.match(text[s:start].lower())
        return "since_breakup" if points_back and _breakup_just_before(text, s) else "ago"
    if low_after.startswith("since"):
        rest = after[after.lower().index("since") + 5 :]
        head = rest[:_CONTEXT]
        if lex.since_after.match(after) or _starts_with(lex.breakup, head, lex.start):
            return "since_breakup"
        return "other"
    if lex.since_after.match(after):
        return "since_breakup"
    if lex.rel_after.match(after) or lex.rel_before.search(before):
        return "relationship"
    if lex.since_before.search(before) and not _NO_CONTACT_AFTER.match(low_after):
        # "It's been a month of NC" counts the silence, not the time since the breakup.
        return "since_breakup"
    return "other"


# A sentence that opens by pointing back at what was just told: "That was", "It all happened".
_POINTS_BACK = re.compile(
    r"\W*(?:(?:and|but|so)\s+)?(?:that|this|it|which|all\s+(?:of\s+)?this)\s+"
    r"(?:was|happened|all\s+happened)\b"
)
_NO_CONTACT_AFTER = re.compile(r"\s*(?:of\s+)?(?:nc|no[\s-]+contact)\b")
# "later" or "since then" point back at the event of the sentence before.
_BEFORE_ANCHOR = re.compile(r"(?:later\b|since\s+(?:then|that|that day|that night)\b)")


def _breakup_just_before(text: str, sentence_start: int) -> bool:
    """True when the sentence before ``sentence_start`` tells the breakup."""
    lo = max(0, sentence_start - 300)
    head = text[lo:sentence_start].rstrip()
    ends = list(_SENTENCE_END.finditer(head[:-1] if head else head))
    previous = head[ends[-1].end() :] if ends else head
    return _lexicon().breakup.search(previous.lower()) is not None


def _starts_with(cue: re.Pattern[str], head: str, rival: re.Pattern[str]) -> bool:
    """True when ``cue`` occurs in ``head`` before any ``rival`` cue does."""
    m = cue.search(head)
    if m is None:
        return False
    r = rival.search(head)
    return r is None or m.start() < r.start()


# --- the three kinds of mention ---------------------------------------------------------------


def _skip_amount(text: str, m: re.Match[str], end: int) -> bool:
    """True for ages ("3 year old"), frequencies ("once a week") and "one day he said"."""
    lex = _lexicon()
    after = text[end : end + 20]
    if lex.skip_after.match(after):
        return True
    before = text[max(0, m.start() - 12) : m.start()]
    if lex.skip_before.search(before):
        return True
    single_day = (
        m["num"] is not None
        and m["num"].lower() in ("a", "an", "one")
        and m["unit"].lower().startswith("d")
        and not (m["half1"] or m["half2"] or m["num2"] or m["hedge"])
    )
    if single_day:
        near_before = text[max(0, m.start() - 12) : m.start()]
        return not (lex.single_before.search(near_before) or lex.single_after.match(after))
    return False


def _amounts(text: str) -> list[DurationMention]:
    found = []
    for m in _lexicon().amount.finditer(text):
        amount_end = _amount_end(m)
        if _skip_amount(text, m, amount_end):
            continue
        days = _amount_days(m)
        if days is None:
            continue
        end = amount_end
        ago = _AGO.match(text, end)
        if ago:  # "two weeks ago" reads as one phrase; keep "ago" inside the quote
            end = ago.end()
        found.append(
            DurationMention(
                days=_round_days(days),
                kind=classify(text, m.start(), amount_end),
                start=m.start(),
                end=end,
                quote=text[m.start() : end],
                hedged=m["hedge"] is not None,
            )
        )
    return found


def _relatives(text: str) -> list[DurationMention]:
    lex = _lexicon()
    found = []
    for m in lex.relative.finditer(text):
        if _POSSESSIVE.search(text, max(0, m.start() - 8), m.start()):
            continue  # "her last year of college" is not a year ago
        key = " ".join(m.group(0).lower().split())
        linked = _linked_to_breakup(text, m.start(), m.end())
        found.append(
            DurationMention(
                days=lex.relative_days[key],
                kind="since_breakup" if linked else "ago",
                start=m.start(),
                end=m.end(),
                quote=m.group(0),
                source="relative",
            )
        )
    return found


def month_days(month: int, today: date, day: int | None = None, year: int | None = None) -> int:
    """Return the days from a month (the 15th, or ``day``) to ``today``, never negative.

    Without a year, the month is its latest occurrence not after today ("since November" in
    March means last November).
    """
    if year is None:
        year = today.year if month <= today.month else today.year - 1
    point = day if day is not None else 15
    try:
        then = date(year, month, point)
    except ValueError:
        then = date(year, month, 1)
    if then > today:
        then = date(year, month, 1)
    return max(0, (today - then).days)


def _months(text: str, today: date | None) -> list[DurationMention]:
    lex = _lexicon()
    found = []
    for m in lex.month.finditer(text):
        name = m["month"].lower()
        if m["lead"] is None and m["day"] is None:
            continue  # a bare month name ("may", "march") is not a point in time
        # "may", "march" and "mar" are also verbs: only trust them capitalised.
        if name in ("may", "march", "mar") and not m["month"][0].isupper():
            continue
        days = None
        if today is not None:
            day = int(m["day"]) if m["day"] else None
            year = int(m["year"]) if m["year"] else None
            if day is not None and not 1 <= day <= 31:
                day = None
            days = month_days(lex.month_numbers[name], today, day, year)
        linked = _linked_to_breakup(text, m.start(), m.end())
        found.append(
            DurationMention(
                days=days,
                kind="since_breakup" if linked else "other",
                start=m.start(),
                end=m.end(),
                quote=m.group(0),
                source="month",
            )
        )
    return found


def _day_counts(text: str) -> list[DurationMention]:
    """'Day 12 of no contact' / 'day 30 post breakup': a count the writer keeps."""
    found = []
    for m in _lexicon().day_count.finditer(text):
        found.append(
            DurationMention(
                days=int(m["n"]),
                kind=classify(text, m.start(), m.end()),
                start=m.start(),
                end=m.end(),
                quote=m.group(0),
                source="count",
            )
        )
    return found


_ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
}  # fmt: skip
_ORDINAL = re.compile(
    r"\b(?P<n>\d{1,3})(?:st|nd|rd|th)?\s+(?P<unit>day|week|month|year)\s+since\b"
    r"|\b(?P<word>" + "|".join(_ORDINAL_WORDS) + r")\s+(?P<unit2>day|week|month|year)\s+since\b",
    re.IGNORECASE,
)


def _ordinals(text: str) -> list[DurationMention]:
    """'the 4th month since my ex ended things': the count the writer is in, as days."""
    found = []
    for m in _ORDINAL.finditer(text):
        n = int(m["n"]) if m["n"] else _ORDINAL_WORDS[m["word"].lower()]
        unit = (m["unit"] or m["unit2"]).lower()
        head = text[m.end() : m.end() + _CONTEXT].lower()
        if not _starts_with(_lexicon().breakup, head, _lexicon().start):
            continue
        days = _round_days(n * unit_days(unit))
        found.append(
            DurationMention(days, "since_breakup", m.start(), m.end(), m.group(0), source="ordinal")
        )
    return found


def parse_durations(text: str, today: date | None = None) -> list[DurationMention]:
    """Return every duration the text mentions, in reading order.

    Overlapping finds keep the first and longest. Empty text gives an empty list.
    """
    if not text:
        return []
    norm = plain(text)
    found = _amounts(norm) + _relatives(norm) + _months(norm, today) + _day_counts(norm)
    found += _ordinals(norm)
    if norm is not text:  # quotes come from the text as written
        found = [replace(d, quote=text[d.start : d.end]) for d in found]
    found.sort(key=lambda d: (d.start, -(d.end - d.start)))
    kept: list[DurationMention] = []
    for mention in found:
        if kept and mention.start < kept[-1].end:
            continue
        kept.append(mention)
    return kept


def first_of_kind(mentions: list[DurationMention], kind: str) -> DurationMention | None:
    """Return the first mention of ``kind`` that has a number of days, or ``None``."""
    return next((d for d in mentions if d.kind == kind and d.days is not None), None)
