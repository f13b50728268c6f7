"""The learned layer: linear models over word features, for what phrase rules cannot list.

People in crisis, or living with a controlling partner, rarely use the words a rule list
expects. Three logistic models, fitted by ``tests/data/safety/train_learned.py`` on public
posts (r/SuicideWatch, r/depression, Columbia-scale graded posts, Dreaddit, everyday comments,
r/BreakUps) and on sentences we wrote and labelled ourselves, read every sentence and the
whole text:

- ``crisis``: the writer's own risk (help comes first);
- ``concern``: heavy distress without a clear sign of risk (help is offered beside the advice);
- ``abuse``: harm done to the writer by a partner.

Each model reads a *view* of the text (see ``text.views``): other people's words and the
writer's recovered past are blanked out before it looks, so it judges only the writer's own
words. Features are the words and word pairs of a sentence, with the three words after a
negation marked ("not_suicidal"). The score of a text is a logistic function of the sum of its
features' weights, scaled by ``1/sqrt(number of features + LENGTH_PRIOR)`` (so a short sentence
cannot lean on one word).

Every finding carries its evidence: the sentence whose own score was highest. The weights are
plain numbers in ``data/learned.json``; scoring is a dictionary look-up per feature, so a
1,000-word story costs well under a few milliseconds.

Pure: no I/O after the first load, no clock.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import pairwise, repeat

__all__ = ["Finding", "Model", "Page", "features", "find", "models"]

_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?")
_NEGATORS = frozenset(
    {
        "not",
        "no",
        "never",
        "dont",
        "didnt",
        "doesnt",
        "cant",
        "cannot",
        "couldnt",
        "wont",
        "wouldnt",
        "isnt",
        "wasnt",
        "arent",
        "werent",
        "havent",
        "hasnt",
        "hadnt",
        "shouldnt",
        "aint",
        "nt",
    }
)
# How many words after a negation carry its mark.
_NEGATION_REACH = 3
# Added to the number of features before the square root that scales a text's sum: a short
# sentence ("He yelled at me.") has few features, and without it each would weigh so much that
# one "he" made a fight read as abuse. The same scale is used when fitting.
LENGTH_PRIOR = 6
# A sentence shorter than this many characters, or of fewer words, is too little to judge
# alone: "I've decided." says nothing until the sentences around it say what was decided.
_MIN_SENTENCE = 12
_MIN_WORDS = 3
# Sentences longer than this are read in pieces of this many words: a 300-word run-on with no
# full stop would otherwise dilute any one clause.
_PIECE_WORDS = 40


@dataclass(frozen=True, slots=True)
class Model:
    """One fitted model: ``p = sigmoid(bias + sum(weights[f]) / sqrt(n_features + LENGTH_PRIOR))``.

    ``sentence`` is the threshold for one sentence alone; ``text`` for the whole text (texts of
    at least ``min_words`` words only: a short note is judged by its sentences).
    """

    name: str
    bias: float
    weights: dict[str, float]
    sentence: float
    text: float
    min_words: int

    def probability(self, feats: list[str]) -> float:
        """Return the model's probability (0..1) for a text with features ``feats``."""
        z = self.bias
        if feats:
            weights = self.weights
            # The same sum, in the same order, as ``weights.get(f, 0.0)`` one by one.
            known = sum(map(weights.get, feats, repeat(0.0, len(feats))))
            z += known / math.sqrt(len(feats) + LENGTH_PRIOR)
        z = max(-60.0, min(60.0, z))
        return 1.0 / (1.0 + math.exp(-z))


@dataclass(frozen=True, slots=True)
class Finding:
    """A model that fired: its name, its probability, and the sentence span that shows it."""

    model: str
    probability: float
    start: int
    end: int
    by: str  # "sentence" (one sentence was enough) or "text" (the whole text)


def words(text: str) -> list[str]:
    """Return the words of ``text`` (already folded), apostrophes dropped ("don't" -> "dont")."""
    return [t.replace("'", "") for t in _TOKEN.findall(text)]


class Page:
    """One view of a text as the models read it: each piece read once, the whole on demand,
    shared by every model that reads this view."""

    def __init__(self, view: str, spans: list[tuple[int, int]], words: int) -> None:
        self.view = view
        self.words = words
        self.pieces = [(features(view[a:b]), a, b) for a, b in spans]
        self._whole: list[str] | None = None

    def whole(self) -> list[str]:
        if self._whole is None:
            self._whole = features(self.view)
        return self._whole


def features(text: str) -> list[str]:
    """Return the distinct features of ``text`` (already folded: lowercase, straight quotes).

    Words and adjacent pairs; apostrophes dropped ("don't" -> "dont"); the words after a
    negation (up to three, within the text given) prefixed "not_". The same function is used
    to fit the models, so training and reading compute the same features.
    """
    marked: list[str] = []
    reach = 0
    for w in words(text):
        if reach:
            marked.append("not_" + w)
            reach -= 1
        else:
            marked.append(w)
        if w in _NEGATORS:
            reach = _NEGATION_REACH
    seen = dict.fromkeys(marked)
    for a, b in pairwise(marked):
        seen[f"{a} {b}"] = None
    return list(seen)


def pieces(view: str, sentences: tuple[tuple[int, int], ...]) -> list[tuple[int, int]]:
    """Return the spans the sentence-level check reads: each sentence of ``view`` that is not
    blanked, with long run-on sentences cut into pieces of about ``_PIECE_WORDS`` words."""
    out: list[tuple[int, int]] = []
    for a, b in sentences:
        chunk = view[a:b]
        if len(chunk.strip()) < _MIN_SENTENCE:
            continue
        spans = [m.span() for m in re.finditer(r"\S+", chunk)]
        if len(spans) < _MIN_WORDS:
            continue
        for i in range(0, len(spans), _PIECE_WORDS):
            part = spans[i : i + _PIECE_WORDS]
            out.append((a + part[0][0], a + part[-1][1]))
    return out


def find(model: Model, page: Page) -> Finding | None:
    """Return what ``model`` finds in ``page`` (sentence by sentence, then as a whole), or None.

    The evidence of a whole-text finding is its highest-scoring sentence; the whole is read
    only for texts of at least ``model.min_words`` words.
    """
    best: tuple[float, int, int] | None = None
    for feats, a, b in page.pieces:
        p = model.probability(feats)
        if best is None or p > best[0]:
            best = (p, a, b)
    if best is None:
        return None
    if best[0] >= model.sentence:
        return Finding(model.name, round(best[0], 4), best[1], best[2], "sentence")
    if page.words >= model.min_words and len(page.pieces) > 1:
        p = model.probability(page.whole())
        if p >= model.text:
            return Finding(model.name, round(p, 4), best[1], best[2], "text")
    return None


@cache
def models() -> dict[str, Model]:
    """Load ``data/learned.json`` once per process: {"crisis": Model, "concern": ..., ...}."""
    raw = resources.files("secondchance.analysis").joinpath("data", "learned.json").read_bytes()
    data = json.loads(raw.decode("utf-8"))
    return {
        name: Model(
            name=name,
            bias=float(spec["bias"]),
            weights={k: float(v) for k, v in spec["weights"].items()},
            sentence=float(spec["sentence"]),
            text=float(spec["text"]),
            min_words=int(spec["min_words"]),
        )
        for name, spec in data["models"].items()
    }
