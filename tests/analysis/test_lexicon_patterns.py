"""The readers' lexicons as data: a pattern can match what it is written to match."""

from __future__ import annotations

import tomllib
from importlib import resources

import pytest


def _patterns(node: object) -> list[str]:
    """Every string in the lists of a parsed lexicon file, however deep."""
    if isinstance(node, dict):
        return [p for value in node.values() for p in _patterns(value)]
    if isinstance(node, list):
        return [
            p for value in node for p in ([value] if isinstance(value, str) else _patterns(value))
        ]
    return []


# The review and the story read a phrase only up to the end of a word ((?!\w) after it); one
# that ends in a space could then only match before punctuation: "guess who is always there"
# and "he's dating someone new" slipped through. (Safety bounds its phrases with \b, which a
# trailing space does not break.)
@pytest.mark.parametrize("lexicon", ["review.toml", "story.toml"])
def test_no_phrase_can_end_in_a_space(lexicon: str) -> None:
    raw = resources.files("secondchance.analysis").joinpath("data", lexicon).read_bytes()
    ending_in_space = [
        pattern
        for pattern in _patterns(tomllib.loads(raw.decode("utf-8")))
        if pattern.rstrip(")?*").endswith((" ", "\\s", "\\x20"))
    ]
    assert ending_in_space == []
