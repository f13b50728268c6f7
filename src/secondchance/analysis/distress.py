"""The post-level layer of crisis detection: acute distress that is never said outright.

Many people in crisis never write "suicide": they ask for someone to talk to, say they are
scared and alone, that they cannot do this any more. ``safety.check`` finds the phrases of
``data/distress.toml`` (with its own subject, negation and figure-of-speech checks) and hands
them here as :class:`Signal` s; this module weighs them:

- a ``strong`` signal ("please, someone talk to me") is enough alone, at any length;
- otherwise a text of at least ``min_words`` words is scored by a logistic model over feature
  families (how much hopelessness, entrapment, burden... it holds, how much the writer speaks
  of themself, how negative its words are), with weights fitted offline and stored in
  ``data/distress_model.toml``. Shorter texts are never scored: a sad one-line check-in ("I
  miss him so much, today was awful") is grief, not a crisis.

Pure: no I/O after the first load, no clock. The fitting script is
``tests/data/safety/fit_distress.py``; it calls :func:`features` so training and runtime
compute exactly the same numbers.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from secondchance.analysis.lexicon import load

__all__ = ["FAMILIES", "Model", "Signal", "Verdict", "assess", "features", "model"]

# The phrase families of data/distress.toml, in a fixed order (the feature names follow it).
FAMILIES = (
    "hopelessness",
    "entrapment",
    "burden",
    "exhaustion",
    "finality",
    "isolation",
    "self_hatred",
    "help_seeking",
    "pain",
    "death",
    "care",
    "life",
    "no_longer",
    "relationship",
)
# Families that set the context of the others; they are not counted in ``families``.
_CONTEXT = frozenset({"death", "care", "life", "no_longer", "relationship"})
# Context families that are never shown as evidence: they say where, not how bad.
_NOT_SHOWN = frozenset({"care", "life", "no_longer", "relationship"})
_WORD = re.compile(r"[a-z']+")
_FIRST_PERSON = frozenset({"i", "i'm", "im", "i've", "ive", "i'd", "i'll", "me", "my", "myself"})
# How many phrases the evidence shows at most: enough to see what was read, few enough to read.
_EVIDENCE = 6


@dataclass(frozen=True, slots=True)
class Signal:
    """One distress phrase found in the text: its family, span and whether it is strong."""

    family: str
    start: int
    end: int
    strong: bool = False


@dataclass(frozen=True, slots=True)
class Model:
    """The fitted weights: ``score = sigmoid(bias + sum(weights[f] * features[f]))``."""

    bias: float
    weights: dict[str, float]
    threshold: float
    min_words: int

    def score(self, feats: dict[str, float]) -> float:
        """Return the probability-like score (0..1) of a text with features ``feats``."""
        z = self.bias + sum(w * feats.get(name, 0.0) for name, w in self.weights.items())
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))


@dataclass(frozen=True, slots=True)
class Verdict:
    """What the layer decided: ``fired``, the ``score`` (None when the text was too short to
    score) and the signals shown as evidence (strongest first, at most a handful)."""

    fired: bool
    score: float | None
    evidence: tuple[Signal, ...] = ()


def assess(text: str, signals: Sequence[Signal], words: int | None = None) -> Verdict:
    """Return whether ``signals`` found in ``text`` (lowercased) make a crisis.

    ``words`` is the word count if the caller has it. Strong signals fire alone; otherwise only
    texts of ``min_words`` words or more are scored. Evidence is the strong signals, or the
    signals of the families that weigh most, one or two per family; a verdict that fires always
    has evidence.
    """
    m = model()
    strong = [s for s in signals if s.strong]
    if strong:
        return Verdict(True, None, tuple(strong[:_EVIDENCE]))
    n = _words(text) if words is None else words
    if n < m.min_words or not signals:
        return Verdict(False, None)
    score = m.score(features(text, signals, n))
    evidence = _strongest(signals, m) if score >= m.threshold else ()
    # A score carried by context alone ("therapist", "anymore") has nothing to show: no flag.
    return Verdict(bool(evidence), score, evidence)


def features(text: str, signals: Sequence[Signal], words: int | None = None) -> dict[str, float]:
    """Return the named features of one text; the model weighs the ones it has weights for.

    For each family, ``log(1 + distinct phrases)``; ``families`` counts families present (the
    context families left out); ``first_person`` is the share of words that
    are I/me/my; ``log_words`` the length; ``negative`` the share of words VADER's lexicon
    rates negative, ``positive`` the share it rates positive.
    """
    tokens = _WORD.findall(text)
    n = len(tokens) if words is None else words
    seen: dict[str, set[str]] = {f: set() for f in FAMILIES}
    for s in signals:
        seen[s.family].add(" ".join(text[s.start : s.end].split()))
    out = {f: math.log1p(len(seen[f])) for f in FAMILIES}
    out["families"] = float(sum(1 for f in FAMILIES if seen[f] and f not in _CONTEXT))
    total = max(1, len(tokens))
    valence = _valence()
    out["first_person"] = sum(t in _FIRST_PERSON for t in tokens) / total
    out["negative"] = sum(valence.get(t, 0.0) < 0 for t in tokens) / total
    out["positive"] = sum(valence.get(t, 0.0) > 0 for t in tokens) / total
    out["log_words"] = math.log1p(n)
    return out


def _strongest(signals: Sequence[Signal], m: Model) -> tuple[Signal, ...]:
    """Return up to ``_EVIDENCE`` signals: two from each family, heaviest families first.

    A family weighs its own weight plus, for the despair families, what it adds to the
    ``families`` count. Settings such as "therapist" or "anymore" are never shown.
    """
    by_family: dict[str, list[Signal]] = {}
    for s in signals:
        if s.family not in _NOT_SHOWN:
            by_family.setdefault(s.family, []).append(s)

    def weight(family: str) -> float:
        extra = 0.0 if family in _CONTEXT else m.weights.get("families", 0.0)
        return m.weights.get(family, 0.0) + extra

    order = sorted((f for f in by_family if weight(f) > 0), key=lambda f: (-weight(f), f))
    picked = [s for f in order for s in by_family[f][:2]]
    return tuple(sorted(picked[:_EVIDENCE], key=lambda s: (s.start, s.end)))


def _words(text: str) -> int:
    return len(_WORD.findall(text))


@cache
def model() -> Model:
    """Return the fitted model from ``data/distress_model.toml`` (read once per process)."""
    data = load("distress_model")
    weights = {str(k): float(v) for k, v in data["weights"].items()}
    unknown = set(weights) - set(features("", []))
    if unknown:
        raise ValueError(f"distress model has weights for unknown features: {sorted(unknown)}")
    return Model(
        bias=float(data["bias"]),
        weights=weights,
        threshold=float(data["threshold"]),
        min_words=int(data["min_words"]),
    )


@cache
def _valence() -> dict[str, float]:
    """Return VADER's word valences (a runtime dependency already; loaded once, ~25 ms).

    Only the lexicon is used: running VADER itself costs ~35 ms per 1,000 words, far over budget.
    """
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return dict(SentimentIntensityAnalyzer().lexicon)
