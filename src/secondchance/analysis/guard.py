"""Faster searches for the readers' long word alternations, with exactly the same matches.

A lexicon pattern such as ``(?<!\\w)(?:i miss you|missing you|...)(?!\\w)`` has dozens of
alternatives, and Python's regex engine tries every one of them at every position of a text.
``guarded(pattern)`` puts a look-ahead in front, ``(?=[...])``, of every character a match
can start with (worked out from the pattern itself), so most positions are passed after one
check. A look-ahead consumes nothing and has the pattern's own flags (so "[i]" is
case-insensitive where "i" was), which is why every match, group and span stays the same.
A pattern that could start with almost anything, or match an empty string, is returned as
it was.
"""

from __future__ import annotations

import re
import re._constants as sre
import re._parser as sre_parse
from typing import Any

# Beyond this many possible first characters a guard saves too little to be worth it.
_MOST_CHARS = 60


class _Unguarded(Exception):
    """The pattern may start with a character class too wide to list (``\\w``, ``.``)."""


def guarded(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """Return ``pattern`` with a look-ahead of its possible first characters, or ``pattern``."""
    try:
        parsed = sre_parse.parse(pattern.pattern, pattern.flags)
        chars, nullable = _first(parsed.data, pattern.flags)
    except _Unguarded:
        return pattern
    if nullable or not chars or len(chars) > _MOST_CHARS:
        return pattern
    listed = "".join(c if c in _CATEGORIES.values() else re.escape(c) for c in sorted(chars))
    try:
        return re.compile(f"(?=[{listed}])(?:{pattern.pattern})", pattern.flags)
    except re.error:  # e.g. inline global flags, which must open the pattern
        return pattern


def _first(items: list[tuple[Any, Any]], flags: int) -> tuple[set[str], bool]:
    """Return the characters a match of ``items`` can start with, and whether it can be empty."""
    out: set[str] = set()
    for op, av in items:
        chars, nullable = _first_of(op, av, flags)
        out |= chars
        if not nullable:
            return out, False
    return out, True


def _first_of(op: Any, av: Any, flags: int) -> tuple[set[str], bool]:
    if op is sre.LITERAL:
        return {chr(av)}, False
    if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
        return set(), True  # zero-width: the next item decides
    if op is sre.SUBPATTERN:
        _, add, _, sub = av
        # The guard is compiled with the pattern's flags: a part that turns case folding on
        # where the whole has it off would need more characters than its literals.
        if add & re.IGNORECASE and not flags & re.IGNORECASE:
            raise _Unguarded
        return _first(sub.data, flags)
    if op is sre.BRANCH:
        out: set[str] = set()
        nullable = False
        for alternative in av[1]:
            chars, empty = _first(alternative.data, flags)
            out |= chars
            nullable = nullable or empty
        return out, nullable
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        low, _, sub = av
        chars, empty = _first(sub.data, flags)
        return chars, low == 0 or empty
    if op is sre.IN:
        return _listed(av), False
    raise _Unguarded


# Narrow classes kept as they are, so the guard means what the pattern means by them.
_CATEGORIES = {sre.CATEGORY_DIGIT: "\\d"}


def _listed(items: list[tuple[Any, Any]]) -> set[str]:
    out: set[str] = set()
    for op, av in items:
        if op is sre.LITERAL:
            out.add(chr(av))
        elif op is sre.RANGE and av[1] - av[0] < _MOST_CHARS:
            out.update(chr(c) for c in range(av[0], av[1] + 1))
        elif op is sre.CATEGORY and av in _CATEGORIES:
            out.add(_CATEGORIES[av])
        else:  # a negated set, a wide category such as \w, or a wide range
            raise _Unguarded
    return out
