"""Whatever text comes in, safety.check answers, quickly, with spans that quote the text."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from secondchance.analysis import safety

# The first call compiles both lexicons and loads the distress model and VADER's word list:
# do it here, so that Hypothesis's per-example deadline times the steady state.
safety.check("warm up: " + "so tired of everything " * 10)

# Phrases that make rules fire, mixed into random text so the properties also cover evidence.
_TRIGGERS = [
    "I want to die",
    "he hit me",
    "I'm not suicidal",
    "lol kill me",
    "he never hit me",
    "I feel hopeless",
    "worthless",
    "he makes me feel crazy",
    "don’t want to live",
    "İ WANT TO DİE",  # a capital whose lowercase is two characters long
    # Distress phrases, so that long random texts also reach the post-level score.
    "I can't do this anymore",
    "so tired of everything",
    "nothing matters",
    "I ruin everything",
    "I've made up my mind",
    "I miss him so much",
]
_texts = st.lists(st.one_of(st.text(max_size=80), st.sampled_from(_TRIGGERS)), max_size=12).map(
    " ".join
)


def _assert_well_formed(text: str) -> None:
    result = safety.check(text)
    assert isinstance(result.crisis, bool) and isinstance(result.abuse, bool)
    for e in result.evidence:
        assert 0 <= e.start < e.end <= len(text)
        assert text[e.start : e.end] == e.quote
        assert e.about.startswith(("crisis.", "concern.", "abuse."))
    assert result.crisis == any(e.about.startswith("crisis.") for e in result.evidence)
    assert result.concern == any(e.about.startswith("concern.") for e in result.evidence)
    assert not (result.crisis and result.concern)
    assert result.abuse == any(e.about.startswith("abuse.") for e in result.evidence)


@given(st.text())
def test_any_unicode_text_gets_a_well_formed_answer(text):
    _assert_well_formed(text)


@given(_texts)
def test_text_with_trigger_phrases_gets_spans_that_quote_it(text):
    _assert_well_formed(text)


@given(st.binary(max_size=400))
def test_binary_junk_decoded_any_way_gets_a_well_formed_answer(data):
    _assert_well_formed(data.decode("latin-1"))
    _assert_well_formed(data.decode("utf-8", errors="replace"))


@given(st.text(alphabet=st.sampled_from("😂🤣💀🙃❤️\u200b\u2019 .!?\n"), max_size=200))
def test_emoji_punctuation_and_invisible_characters(text):
    _assert_well_formed(text)


@pytest.mark.slow
@settings(max_examples=1, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.just(("I want to die lol. he hit me. ilil " * 30000)[: 1 << 20]))
def test_one_megabyte_answers_without_hanging(text):
    # Not a timing test: a generous bound that only a runaway (backtracking) regex would break.
    started = time.perf_counter()
    _assert_well_formed(text)
    assert time.perf_counter() - started < 60
