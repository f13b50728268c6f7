"""The phrase index finds exactly what one big alternation finds, only faster."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from secondchance.analysis import dispatch
from secondchance.analysis.safety import _lexicon

PHRASES = [
    ("a", r"(?:i\s+)?want\s+to\s+die"),
    ("b", r"(?<!\d)kms(?!\s+away)"),
    ("c", r"[bp]unched?\s+the\s+wall"),
    ("d", r"(?:he|she)\s+hit\s+me"),
    ("e", r"\w+cide"),
]
WORDS = ["i", "want", "to", "die", "kms", "away", "5", "punch", "bunched", "the", "wall"]
WORDS += ["he", "she", "hit", "me", "suicide", "x", ".", ",", "i\xa0want", "k"]


def plain_search(text: str, pos: int) -> tuple[int, int] | None:
    body = "|".join(f"(?:{p})" for _, p in PHRASES)
    m = re.compile(rf"\b(?:{body})\b").search(text, pos)
    return None if m is None else (m.start(), m.end())


def test_first_characters_are_read_from_the_pattern() -> None:
    assert dispatch.first_chars(r"(?:i\s+)?want") == {"i", "w"}
    assert dispatch.first_chars(r"(?<!\d)kms") == {"k"}
    assert dispatch.first_chars(r"[bp]unch") == {"b", "p"}
    # A start that cannot be read is "anything", never a guess.
    assert dispatch.first_chars(r"\w+cide") is None
    assert dispatch.first_chars(r"(?i)want") is None
    assert dispatch.first_chars(r"(?:x)?") is None


def test_two_letter_openings_are_read_from_the_pattern() -> None:
    spaced = dispatch.prefixes(r"(?:i\s+)?want")
    assert spaced is not None and {"i ", "i\t", "i\xa0", "wa"} <= spaced
    assert dispatch.prefixes(r"(?<!\d)kms") == {"km"}
    assert dispatch.prefixes(r"x(?:y)?") == {"x", "xy"}
    assert dispatch.prefixes(r"\w+cide") is None


@given(st.lists(st.sampled_from(WORDS), max_size=30), st.integers(0, 40))
def test_the_index_finds_the_same_leftmost_start_as_the_alternation(words, pos) -> None:
    text = " ".join(words)
    found = dispatch.Phrases(PHRASES).search(text, pos)
    plain = plain_search(text, pos)
    assert (found is None) == (plain is None)
    if found is not None and plain is not None:
        assert found[0] == plain[0]
        # The phrase it names does match there.
        name = found[2]
        pattern = dict(PHRASES)[name]
        assert re.compile(rf"\b(?:{pattern})\b").match(text, found[0])


def test_every_safety_phrase_has_a_readable_start() -> None:
    # A phrase tried at every word would make the index no faster than the alternation.
    lexicon = _lexicon()
    assert lexicon.combined.search("i want to die") is not None
    assert all(ch.isprintable() for ch in lexicon.combined._by_char)
    assert lexicon.combined._anywhere is None


def test_buckets_are_compiled_when_first_needed_and_all_of_them_for_a_server() -> None:
    # A process checking one note (the command line) compiles only the buckets the note
    # reaches; a server compiles every one before it serves (analysis.warm_up).
    phrases = dispatch.Phrases(PHRASES)

    def compiled() -> int:
        buckets = [*phrases._by_pair.values(), *phrases._by_char.values()]
        return sum(not isinstance(b, list) for b in buckets)

    assert compiled() == 0
    assert phrases.search("he hit me", 0) == (0, 9, "d")
    after_one = compiled()
    assert 0 < after_one < len(phrases._by_pair) + len(phrases._by_char)
    assert phrases.search("he hit me", 0) == (0, 9, "d")  # compiled once, found the same
    phrases.compile_all()
    assert compiled() == len(phrases._by_pair) + len(phrases._by_char)
    assert phrases.search("i want to die", 0) == (0, 13, "a")


def test_a_server_warmed_up_has_every_safety_bucket_and_rule_compiled() -> None:
    from secondchance.analysis import warm_up
    from secondchance.analysis.safety import _distress_lexicon

    warm_up()
    for lexicon in (_lexicon(), _distress_lexicon()):
        buckets = [*lexicon.combined._by_pair.values(), *lexicon.combined._by_char.values()]
        assert not any(isinstance(b, list) for b in buckets)
        assert all(rule.pattern._compiled is not None for rule in lexicon.order)
