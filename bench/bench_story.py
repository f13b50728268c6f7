"""How long reading a story takes, per 1,000 words, next to a sentiment score alone.

Run: ``.venv/bin/python bench/bench_story.py [DATA_DIR]``. Reads the 948 real r/BreakUps
posts in ``reddit-breakups.csv`` when DATA_DIR (default ``../shared/data``) has them,
otherwise the labelled posts in ``tests/data/story/breakups.jsonl``. In this one process it
times ``read_story`` (which includes the safety check), the safety check alone, VADER's
compound score alone and TextBlob's polarity alone over the same texts, best of three
rounds, and prints milliseconds per 1,000 words and the ratios. It also times ``read_story``
alone on the 89 real stories in ``tests/data/story/real_stories.jsonl`` (advice letters and
posts, longer sentences). Target: at most 50 ms per 1,000 words for ``read_story`` on both,
so a long story reads in well under a page load.
"""

from __future__ import annotations

import csv
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

from secondchance.analysis import safety, tone
from secondchance.analysis.story import read_story

ROUNDS = 3
TARGET_MS = 50.0
DEV_SET = Path(__file__).resolve().parents[1] / "tests" / "data" / "story" / "breakups.jsonl"
REAL_SET = DEV_SET.with_name("real_stories.jsonl")


def stories(data_dir: Path) -> tuple[list[str], str]:
    path = data_dir / "reddit-breakups.csv"
    if path.is_file():
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        texts = [f"{r['title'].strip()}\n\n{r['body'].strip()}" for r in rows]
        return texts, f"{len(texts)} real r/BreakUps posts from {path.name}"
    with DEV_SET.open(encoding="utf-8") as handle:
        texts = [json.loads(line)["text"] for line in handle if line.strip()]
    return texts, f"{len(texts)} labelled posts from {DEV_SET.name} ({path} not found)"


def ms_per_1000_words(fn: Callable[[str], object], texts: list[str], words: int) -> float:
    """Return the best of ROUNDS total times for ``fn`` over ``texts``, per 1,000 words."""
    for text in texts[:10]:  # load lexicons and models outside the timing
        fn(text)
    best = float("inf")
    for _ in range(ROUNDS):
        started = time.perf_counter()
        for text in texts:
            fn(text)
        best = min(best, time.perf_counter() - started)
    return best * 1000 / (words / 1000)


def textblob_polarity() -> Callable[[str], object] | None:
    try:
        from textblob import TextBlob
    except ImportError:  # the bench extra is not installed
        return None
    return lambda text: TextBlob(text).sentiment.polarity


def main(argv: list[str]) -> int:
    data_dir = Path(argv[1]) if len(argv) > 1 else Path("../shared/data")
    texts, described = stories(data_dir)
    words = sum(len(t.split()) for t in texts)
    print(f"Story reading on {described}: {words:,} words, best of {ROUNDS} rounds")
    contenders: dict[str, Callable[[str], object] | None] = {
        "read_story": read_story,
        "safety.check alone": safety.check,
        "VADER compound alone": tone.compound,
        "TextBlob polarity alone": textblob_polarity(),
    }
    results: dict[str, float] = {}
    for name, fn in contenders.items():
        if fn is None:
            print(f"  {name:26s} skipped (pip install -e '.[bench]')")
            continue
        results[name] = ms_per_1000_words(fn, texts, words)
        print(f"  {name:26s} {results[name]:7.2f} ms per 1,000 words")
    ours = results["read_story"]
    for name, value in results.items():
        if name != "read_story":
            print(f"  read_story / {name}: {ours / value:.2f}x")
    verdict = "within" if ours <= TARGET_MS else "OVER"
    print(f"  target {TARGET_MS:.0f} ms per 1,000 words: {verdict} ({ours:.2f})")
    if REAL_SET.is_file():
        with REAL_SET.open(encoding="utf-8") as handle:
            real = [json.loads(line)["text"] for line in handle if line.strip()]
        real_words = sum(len(t.split()) for t in real)
        real_ms = ms_per_1000_words(read_story, real, real_words)
        verdict = "within" if real_ms <= TARGET_MS else "OVER"
        print(
            f"  read_story on {len(real)} real stories ({real_words:,} words): "
            f"{real_ms:.2f} ms per 1,000 words, target {TARGET_MS:.0f}: {verdict}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
