"""Leave-one-file-out measure of the learned layer: how well it reads a writer it never saw.

Each training file (``sentences_train_{a..n}``, ``TRAIN_PARTS``) was written by a different
helper, so holding one file out and fitting on the rest is the honest measure of what the layer
does on new writing. Run from the checkout, with the public data beside it:

    .venv/bin/python tests/data/safety/lofo_learned.py [../shared/data] [--variant NAME ...]

Design (one fold per training file, 13 folds):

- fold F holds out file F and a fixed 1/13 of the public texts (seeded); the tuning set is
  always fitted on. The three models are fitted on the rest, exactly as ``train_learned.py``
  fits them, so every text of ours and every public text gets one out-of-fold score.
- The thresholds of fold F are chosen by ``train_learned``'s rules (everyday, r/BreakUps and
  hard-negative limits) from the out-of-fold scores of the *other* folds only, so nothing of
  file F sets them.
- On file F the fold's models are swapped into ``safety.check``; the script prints, per file,
  what the layer alone finds (crisis or concern, abuse, any flag on a hard negative) and what
  the whole ``check`` finds with this layer, then the totals.

Variants change the features or the fit (see ``VARIANTS``); ``current`` is the shipped design.
Pure Python scoring; sklearn only to fit, as in ``train_learned.py``.
"""

from __future__ import annotations

import json
import math
import pickle
import random
import sys
import time
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

sys.path.insert(0, str(Path(__file__).resolve().parent))

import train_learned as tl

from secondchance.analysis import learned, safety, text
from secondchance.evaluation import safety as ev

CACHE = Path("/tmp/secondchance_lofo_views.pkl")
NAMES = ("crisis", "concern", "abuse")


def load_items(corpora: ev._Corpora) -> tuple[dict[str, list[tuple]], list[str]]:
    """Return {model: [(text, label, weight, group, fold)]} and the fold names.

    Our sentences keep the letter of their file as their fold ("tune" for the tuning set: never
    held out); public texts get a seeded fold among the files' letters."""
    parts = list(ev.TRAIN_PARTS)
    file_of: list[str] = []
    for part in parts:
        path = tl.HERE / f"sentences_train_{part}.jsonl"
        file_of += [part for line in path.read_text(encoding="utf-8").splitlines() if line]
    tune = [line for line in tl.TUNE.read_text(encoding="utf-8").splitlines() if line]
    file_of += ["tune"] * len(tune)
    out = {}
    for name in NAMES:
        items = tl.build(name, corpora)
        rng = random.Random(tl.SEED)
        ours = iter(file_of)
        rows = []
        for t, y, w, g in items:
            fold = next(ours) if g == "sentences" else parts[rng.randrange(len(parts))]
            rows.append((t, y, w, g, fold))
        out[name] = rows
    return out, parts


def read_views(texts: set[str]) -> dict[str, tuple[str, str, tuple, int]]:
    """Return {text: (crisis view, abuse view, sentence spans, words)}, cached on disk."""
    cache: dict = {}
    if CACHE.exists():
        cache = pickle.loads(CACHE.read_bytes())
    missing = [t for t in texts if t not in cache]
    for t in missing:
        v = text.views(t)
        cache[t] = (v.crisis, v.abuse, v.sentences, len(t.split()))
    if missing:
        CACHE.write_bytes(pickle.dumps(cache))
    return cache


class Encoded:
    """Per model: the texts' features once (whole and per piece), as the layer reads them."""

    def __init__(self, name: str, items, views, feats: Callable[[str], list[str]]) -> None:
        self.name = name
        self.items = items
        self.whole: list[list[str]] = []
        self.pieces: list[list[list[str]]] = []
        self.words: list[int] = []
        memo: dict[str, list[str]] = {}
        for t, *_ in items:
            cv, av, spans, words = views[t]
            view = av if name == "abuse" else cv
            if view not in memo:
                memo[view] = feats(view)
            self.whole.append(memo[view])
            self.pieces.append([feats(view[a:b]) for a, b in learned.pieces(view, spans)])
            self.words.append(words)


def fit(enc: Encoded, rows: list[int], c: float, balanced: bool) -> tuple[float, dict]:
    vocab: dict[str, int] = {}
    ri, ci, vals = [], [], []
    for r, i in enumerate(rows):
        feats = enc.whole[i]
        if not feats:
            continue
        scale = 1.0 / math.sqrt(len(feats) + learned.LENGTH_PRIOR)
        for f in feats:
            j = vocab.setdefault(f, len(vocab))
            ri.append(r)
            ci.append(j)
            vals.append(scale)
    x = sparse.csr_matrix((vals, (ri, ci)), shape=(len(rows), max(len(vocab), 1)))
    y = np.array([enc.items[i][1] for i in rows])
    w = np.array([enc.items[i][2] for i in rows])
    clf = LogisticRegression(C=c, max_iter=3000, class_weight="balanced" if balanced else None)
    clf.fit(x, y, sample_weight=w)
    coef = clf.coef_[0]
    names = {j: f for f, j in vocab.items()}
    order = np.argsort(-np.abs(coef))[: tl.KEEP]
    weights = {names[j]: round(float(coef[j]), 4) for j in order if abs(coef[j]) >= 1e-3}
    return float(clf.intercept_[0]), weights


def score(model: learned.Model, enc: Encoded, i: int) -> tuple[float, float]:
    best = max((model.probability(p) for p in enc.pieces[i]), default=0.0)
    whole = model.probability(enc.whole[i]) if enc.words[i] >= tl.MIN_WORDS[enc.name] else 0.0
    return best, whole


def run(variant: dict, items, views, parts: list[str]) -> dict[str, list[int]]:
    feats = variant.get("features", learned.features)
    c = variant.get("C", {})
    t0 = time.time()
    encs = {name: Encoded(name, items[name], views, feats) for name in NAMES}
    print(f"  encoded in {time.time() - t0:.0f}s", flush=True)
    saved = Path(f"/tmp/secondchance_lofo_{variant.get('fit_as', variant['name'])}.pkl")
    if variant.get("load") and saved.exists():
        fitted, oof = pickle.loads(saved.read_bytes())
    else:
        fitted: dict[str, dict[str, tuple[float, dict]]] = {name: {} for name in NAMES}
        oof: dict[str, list[tuple[float, float]]] = {}
        for name in NAMES:
            enc = encs[name]
            oof[name] = [(0.0, 0.0)] * len(enc.items)
            for part in parts:
                train = [i for i, it in enumerate(enc.items) if it[4] != part]
                bias, weights = fit(
                    enc, train, c.get(name, tl.C[name]), variant.get("balanced", True)
                )
                fitted[name][part] = (bias, weights)
                model = learned.Model(name, bias, weights, 1.1, 1.1, tl.MIN_WORDS[name])
                for i, it in enumerate(enc.items):
                    if it[4] == part:
                        oof[name][i] = score(model, enc, i)
            print(f"  {name} fitted in {time.time() - t0:.0f}s", flush=True)
        saved.write_bytes(pickle.dumps((fitted, oof)))
    totals: dict[str, list[int]] = {}
    rows = []
    for part in parts:
        models = {}
        for name in NAMES:
            enc = encs[name]
            scored = [
                (it, *oof[name][i]) for i, it in enumerate(enc.items) if it[4] not in (part, "tune")
            ]
            limits = {**tl.SENTENCES_LIMIT, **variant.get("limits", {})}
            s, w = tl.thresholds_from(name, scored, limits[name])
            if variant.get("shipped_thresholds"):
                shipped = learned.models()[name]
                s, w = shipped.sentence, shipped.text
            bias, weights = fitted[name][part]
            models[name] = learned.Model(name, bias, weights, s, w, tl.MIN_WORDS[name])
        print(
            f"  {part}: thresholds "
            + ", ".join(f"{n} {m.sentence:.3f}/{m.text:.3f}" for n, m in models.items()),
            flush=True,
        )
        path = tl.HERE / f"sentences_train_{part}.jsonl"
        sents = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x]
        counts = measure(sents, models, feats)
        rows.append((part, counts))
        for k, v in counts.items():
            totals[k] = [a + b for a, b in zip(totals.get(k, [0, 0]), v, strict=True)]
    print_rows(rows, totals)
    return totals


def measure(sents, models, feats) -> dict[str, list[int]]:
    """Return {what: [found, n]} on one held-out file with ``models`` swapped in."""
    saved_models, saved_feats = learned.models, learned.features
    learned.models = lambda: models  # type: ignore[assignment]
    learned.features = feats  # type: ignore[assignment]
    try:
        counts: dict[str, list[int]] = {}

        def add(key: str, hit: bool) -> None:
            c = counts.setdefault(key, [0, 0])
            c[0] += hit
            c[1] += 1

        for s in sents:
            found = safety._learned(s["text"], text.views(s["text"]))
            result = safety.check(s["text"])
            label = s["label"]
            if label == "crisis":
                add("layer crisis", bool(found.get("crisis") or found.get("concern")))
                add("check crisis", result.crisis or result.concern)
            elif label == "abuse":
                add("layer abuse", bool(found.get("abuse")))
                add("check abuse", result.abuse)
            else:
                add("layer false", bool(found))
                add("check false", result.crisis or result.concern or result.abuse)
        return counts
    finally:
        learned.models = saved_models  # type: ignore[assignment]
        learned.features = saved_feats  # type: ignore[assignment]


KEYS = ("layer crisis", "layer abuse", "layer false", "check crisis", "check abuse", "check false")


def print_rows(rows, totals) -> None:
    print("  file  " + "  ".join(f"{k:>13}" for k in KEYS))
    for part, counts in [*rows, ("all", totals)]:
        cells = [f"{counts[k][0]}/{counts[k][1]}" if k in counts else "-" for k in KEYS]
        print(f"  {part:5} " + "  ".join(f"{c:>13}" for c in cells), flush=True)


_SUFFIXES = ("ings", "ing", "edly", "ed", "es", "s")


def stem(w: str) -> str:
    """A tiny hand-free normaliser: "threatened", "threatens", "threatening" -> "threaten"."""
    if len(w) <= 3 or w.endswith("ss"):
        return w
    for suf in _SUFFIXES:
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            s = w[: -len(suf)]
            if len(s) >= 4 and s[-1] == s[-2] and s[-1] not in "sz":
                s = s[:-1]
            return s
    return w


_PARTNER = frozenset(
    [
        "he",
        "she",
        "they",
        "him",
        "her",
        "them",
        "hes",
        "shes",
        "theyre",
        "ex",
        "boyfriend",
        "girlfriend",
        "bf",
        "gf",
        "husband",
        "wife",
        "partner",
        "fiance",
        "fiancee",
    ]
)
_SELF = frozenset(["i", "me", "im", "ive", "id", "ill", "myself"])
_BREAK = frozenset(
    ["and", "but", "so", "because", "cause", "then", "when", "while", "after", "before", "or"]
)


def make_features(stems=False, skip=False, roles=False, chars=False):
    def feats(text_: str) -> list[str]:
        toks = learned.words(text_)
        marked: list[str] = []
        reach = 0
        for w in toks:
            base = stem(w) if stems else w
            if reach:
                marked.append("not_" + base)
                reach -= 1
            else:
                marked.append(base)
            if w in learned._NEGATORS:
                reach = learned._NEGATION_REACH
        seen = dict.fromkeys(marked)
        for a, b in pairwise(marked):
            seen[f"{a} {b}"] = None
        if skip:
            for a, b in zip(marked, marked[2:], strict=False):
                seen[f"{a} _ {b}"] = None
        if roles:
            role = ""
            left = 0
            for w, m in zip(toks, marked, strict=True):
                if w in _PARTNER:
                    role, left = "P>", 6
                    continue
                if w in _SELF:
                    if role == "P>":
                        seen["P>me"] = None
                    role, left = "I>", 6
                    continue
                if w in _BREAK:
                    role = ""
                if role and left:
                    seen[role + m] = None
                    left -= 1
        if chars:
            for w in toks:
                if len(w) >= 5:
                    for i in range(len(w) - 3):
                        seen["#" + w[i : i + 4]] = None
        return list(seen)

    return feats


VARIANTS: dict[str, dict] = {
    # The shipped design: whole words and adjacent pairs, no stems.
    "current": {"features": make_features()},
    "stem": {"features": make_features(stems=True)},
    "stem_skip": {"features": make_features(stems=True, skip=True)},
    "stem_roles": {"features": make_features(stems=True, roles=True)},
    "roles": {"features": make_features(roles=True)},
    "stem_roles_c1": {
        "features": make_features(stems=True, roles=True),
        "C": dict.fromkeys(NAMES, 1.0),
    },
    "stem_c1": {"features": make_features(stems=True), "C": dict.fromkeys(NAMES, 1.0)},
    "chars": {"features": make_features(chars=True)},
}
for _k, _lim in {
    "t1": {"crisis": 0.008, "concern": 0.012},
    "t2": {"crisis": 0.008, "concern": 0.012, "abuse": 0.008},
    "t3": {"concern": 0.012},
    "t4": {"crisis": 0.006, "concern": 0.010},
    "t5": {"abuse": 0.008},
    "t6": {"concern": 0.013, "abuse": 0.008},
}.items():
    VARIANTS[f"stem_{_k}"] = {**VARIANTS["stem"], "fit_as": "stem", "limits": _lim, "load": True}
    VARIANTS[f"current_{_k}"] = {
        **VARIANTS["current"],
        "fit_as": "current",
        "limits": _lim,
        "load": True,
    }


def main(argv: list[str]) -> int:
    args = [a for a in argv[1:] if not a.startswith("--")]
    wanted = [a.split("=", 1)[1] for a in argv[1:] if a.startswith("--variant=")] or ["current"]
    data = Path(args[0]) if args else Path("../shared/data")
    corpora = ev._Corpora(data)
    items, parts = load_items(corpora)
    t0 = time.time()
    views = read_views({it[0] for rows in items.values() for it in rows})
    print(f"views of {len(views)} texts in {time.time() - t0:.0f}s", flush=True)
    for name in wanted:
        print(f"== variant {name}", flush=True)
        base, _, mode = name.partition("+")
        variant = {**VARIANTS[base], "name": base}
        if mode == "shipped":
            variant |= {"load": True, "shipped_thresholds": True}
        elif mode == "load":
            variant |= {"load": True}
        run(variant, items, views, parts)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
