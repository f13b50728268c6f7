"""Tone of a piece of text, from VADER (which ships its own lexicon, so it works offline)."""

from __future__ import annotations

from functools import cache

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer


@cache
def _analyzer() -> SentimentIntensityAnalyzer:
    # Loading the lexicon takes tens of milliseconds: do it once per process, on first use.
    return SentimentIntensityAnalyzer()


def polarity(text: str) -> dict[str, float]:
    """Return VADER's scores: ``neg``, ``neu``, ``pos`` (0..1) and ``compound`` (-1..1)."""
    return _analyzer().polarity_scores(text)


def compound(text: str) -> float:
    """Return the overall tone from -1 (very negative) to 1 (very positive); 0.0 for no words."""
    return float(polarity(text)["compound"])


def lexicon() -> dict[str, float]:
    """Return VADER's word valences (-4..4), lower-case words; read-only by convention."""
    return _analyzer().lexicon
