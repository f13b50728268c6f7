"""One fast pattern for many phrase rules: each rule is tried only where its first letter is.

The safety lexicon is an alternation of about 440 phrases. Python's ``re`` tries every
alternative at every word start (only those that open with a plain letter are skipped
cheaply), so the phrase scan was about a third of reading a story. ``Phrases`` files each
phrase under the characters it can start with, finds word starts with one small pattern, and
at each tries only that character's phrases: the same matches, about three times faster.

The set of first characters is read from the pattern's parse tree. It may be larger than the
truth (a look-around is skipped, not read) but never smaller, so no match is lost. A pattern
whose start cannot be read (a class like ``\\w``, a case-insensitive flag) is tried at every
word boundary, as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

try:  # Python 3.11+: the parser lives here; ``sre_parse`` is its deprecated alias.
    from re import _constants as _c  # type: ignore[attr-defined]
    from re import _parser as _sre  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - older interpreters
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _sre  # type: ignore[no-redef]

__all__ = ["Phrases", "first_chars", "prefixes"]

# A range wider than this in a leading character class is treated as "anything".
_WIDEST_RANGE = 64
_ZERO_WIDTH = {_c.AT, _c.ASSERT, _c.ASSERT_NOT}
# Classes small enough to list: ``\\s`` is every character ``str.isspace`` accepts, as in ``re``.
_CATEGORIES = {_c.CATEGORY_SPACE: "".join(c for c in map(chr, range(0x3001)) if c.isspace())}
_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", _c.MAX_REPEAT)}


class _Unknown(Exception):
    """The start of the pattern cannot be read: it may start anywhere."""


def first_chars(pattern: str, *, any_case: bool = False) -> frozenset[str] | None:
    """Return the characters a match of ``pattern`` can start with, or None for "any".

    ``any_case``: read a case-insensitive pattern too, its letters as written (right for a
    check compiled with the same flags, such as ``guard.guarded``'s look-ahead).
    """
    found = _read(pattern, 1, any_case=any_case)
    return None if found is None or "" in found else found


def prefixes(pattern: str) -> frozenset[str] | None:
    """Return the two-character openings a match of ``pattern`` can have (one character, or
    none, where a match may be that short), or None when they cannot be read or are too many.

    Like ``first_chars``, the set may be larger than the truth but never smaller.
    """
    return _read(pattern, 2)


# More two-letter openings than this for one pattern, and it is filed by its first letter only.
_MOST_PREFIXES = 300


def _read(pattern: str, width: int, *, any_case: bool = False) -> frozenset[str] | None:
    """Return the openings of ``pattern`` up to ``width`` characters, or None."""
    try:
        tree = _sre.parse(pattern)
        if tree.state.flags & re.IGNORECASE and not any_case:
            return None
        return frozenset(_openings(list(tree), width, any_case))
    except (_Unknown, re.error, RecursionError):
        return None


def _openings(items: list, width: int, any_case: bool = False) -> set[str]:  # type: ignore[type-arg]
    """Return the openings (up to ``width`` characters) of a sequence of parse-tree nodes; one
    shorter than ``width`` is where a match may end."""
    done: set[str] = set()
    pending = {""}
    for op, av in items:
        node = _node_openings(op, av, width, any_case)
        grown = {(p + q)[:width] for p in pending for q in node}
        done |= {x for x in grown if len(x) == width}
        pending = {x for x in grown if len(x) < width}
        # Single characters are few by nature; pairs can multiply past use.
        if width > 1 and len(done) + len(pending) > _MOST_PREFIXES:
            raise _Unknown
        if not pending:
            break
    return done | pending


def _node_openings(op: object, av: object, width: int, any_case: bool) -> set[str]:
    if op is _c.LITERAL:
        return {chr(av)}  # type: ignore[arg-type]
    if op is _c.IN:
        return _class(av)  # type: ignore[arg-type]
    if op is _c.BRANCH:
        branches = av[1]  # type: ignore[index]
        return set().union(*(_openings(list(b), width, any_case) for b in branches))
    if op is _c.SUBPATTERN:
        _group, add_flags, _del_flags, sub = av  # type: ignore[misc]
        # A part that turns case folding on needs more than its letters as written, unless
        # the whole is read that way too (``any_case`` with the flag set for all of it).
        if add_flags & re.IGNORECASE:
            raise _Unknown
        return _openings(list(sub), width, any_case)
    if op in _REPEATS:
        low, high, sub = av  # type: ignore[misc]
        once = _openings(list(sub), width, any_case)
        out = {""} if low == 0 else set()
        reps = {""}
        for count in range(1, min(high, width) + 1):
            reps = {(p + q)[:width] for p in reps for q in once if len(p) < width} | {
                p for p in reps if len(p) == width
            }
            if count >= low or count == width:
                out |= reps
        return out
    if op in _ZERO_WIDTH:
        return {""}
    raise _Unknown


def _class(items: list) -> set[str]:  # type: ignore[type-arg]
    out: set[str] = set()
    for op, av in items:
        if op is _c.LITERAL:
            out.add(chr(av))
        elif op is _c.RANGE and av[1] - av[0] <= _WIDEST_RANGE:
            out.update(chr(c) for c in range(av[0], av[1] + 1))
        elif op is _c.CATEGORY and av in _CATEGORIES:
            out.update(_CATEGORIES[av])
        else:
            raise _Unknown
    return out


class Phrases:
    """Many phrase patterns searched together: ``search`` finds the leftmost position where
    any of them matches (between word boundaries, as ``\\b(?:p1|p2|...)\\b`` would).

    Word starts are found by one cheap pattern; at each, only the phrases that can open with
    its first two characters are tried, as one alternation.
    """

    def __init__(self, named: Iterable[tuple[str, str]]) -> None:
        two: dict[str, list[tuple[str, str]]] = {}
        one: dict[str, list[tuple[str, str]]] = {}
        anywhere: list[tuple[str, str]] = []
        for name, pattern in named:
            openings = prefixes(pattern)
            if openings is None or "" in openings:
                chars = first_chars(pattern)
                if chars is None:
                    anywhere.append((name, pattern))
                    continue
                openings = frozenset(chars)
            for opening in sorted(openings):
                (two if len(opening) == 2 else one).setdefault(opening, []).append((name, pattern))
        # A phrase that may start anywhere joins every bucket, and every position is tried.
        # A bucket is a list of its phrases until a text first needs it, then their compiled
        # alternation: compiling every bucket took most of a process's first check (about a
        # second), and a short note needs a few dozen of several hundred. ``compile_all``
        # compiles the rest, for a server that should not pay for them on someone's request.
        self._by_pair: dict[str, _Bucket] = {
            pair: members + one.get(pair[0], []) + anywhere for pair, members in two.items()
        }
        self._by_char: dict[str, _Bucket] = {ch: members + anywhere for ch, members in one.items()}
        self._anywhere = _alternation(anywhere) if anywhere else None
        firsts = sorted({k[0] for k in two} | set(one))
        keys = "".join(re.escape(ch) for ch in firsts)
        self._starts = re.compile(r"\b" if anywhere else rf"\b(?=[{keys}])")

    def search(self, text: str, pos: int = 0) -> tuple[int, int, str] | None:
        """Return (start, end, name) of a phrase at the leftmost start from ``pos``, or None."""
        by_pair, by_char, anywhere = self._by_pair, self._by_char, self._anywhere
        for start in self._starts.finditer(text, pos):
            at = start.start()
            key = text[at : at + 2]
            found = by_pair.get(key)
            if found is None:
                key = key[:1]
                found = by_char.get(key)
                if found is None:
                    if anywhere is None:
                        continue
                    found = anywhere
                elif found.__class__ is list:
                    found = by_char[key] = _alternation(found)
            elif found.__class__ is list:
                found = by_pair[key] = _alternation(found)
            pattern, names = found  # type: ignore[misc]
            m = pattern.match(text, at)
            if m is not None:
                return at, m.end(), names[m.lastgroup or ""]
        return None

    def compile_all(self) -> None:
        """Compile every bucket not compiled yet (what ``search`` would on first need)."""
        for buckets in (self._by_pair, self._by_char):
            for key, bucket in buckets.items():
                if isinstance(bucket, list):
                    buckets[key] = _alternation(bucket)


# A bucket of phrases: (name, pattern) pairs until first needed, then their alternation and the
# names of its groups.
_Bucket = list[tuple[str, str]] | tuple[re.Pattern[str], dict[str, str]]


def _alternation(members: list[tuple[str, str]]) -> tuple[re.Pattern[str], dict[str, str]]:
    names = {f"g{i}": name for i, (name, _) in enumerate(members)}
    body = "|".join(f"(?P<g{i}>{pattern})" for i, (_, pattern) in enumerate(members))
    return re.compile(rf"\b(?:{body})\b"), names
