"""How long safety.check takes, next to what a developer would reach for instead: a sentiment
score alone (VADER compound, TextBlob polarity).

Run: ``.venv/bin/python bench/bench_safety.py [DATA_DIR]`` (default ``../shared/data``).
Sentences are GoEmotions comments; 1,000-word posts are SDCNL training posts, and r/BreakUps
posts, joined and cut into 1,000-word pieces. The r/BreakUps pieces are the slow case: the
phrase rules rarely find a crisis there, so the distress layer (``analysis/distress.py``) runs
too; on SuicideWatch text the rules usually decide and it is skipped. Without the data it says
so and stops. Prints median and p95
milliseconds, the import time of ``secondchance.analysis.safety`` in a fresh interpreter, and
ratios (ours / theirs, all measured in this one process). The target is a median of 0.5 ms or
less per sentence and 20 ms or less per 1,000-word post.

A sentiment score is not a crisis detector (a calm "I have decided to end my life" scores
neutral): the comparison is of cost only, to show what the rules cost over the cheapest thing.
"""

from __future__ import annotations

import csv
import random
import statistics
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from benchkit import p95, timings
from secondchance.analysis import safety, tone

SENTENCES = 3000
POSTS = 100
ROUNDS = 3


def sentences(data_dir: Path) -> list[str] | None:
    path = data_dir / "goemotions-train.tsv"
    if not path.is_file():
        return None
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [row[0] for row in csv.reader(handle, delimiter="\t") if row][1:]
    return random.Random(7).sample(rows, min(SENTENCES, len(rows)))


def posts(
    data_dir: Path, name: str = "sdcnl-train.csv", column: str = "selftext"
) -> list[str] | None:
    path = data_dir / name
    if not path.is_file():
        return None
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as handle:
        words = " ".join(r[column] for r in csv.DictReader(handle)).split()
    return [" ".join(words[i : i + 1000]) for i in range(0, min(len(words), POSTS * 1000), 1000)]


def import_ms() -> float:
    """Return the median time to import the safety module and load its lexicon, fresh."""
    code = (
        "import time; t = time.perf_counter(); "
        "from secondchance.analysis import safety; safety.check('x'); "
        "print((time.perf_counter() - t) * 1000)"
    )
    runs = [
        float(
            subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(3)
    ]
    return statistics.median(runs)


def textblob_polarity() -> Callable[[str], object] | None:
    try:
        from textblob import TextBlob
    except ImportError:
        return None
    return lambda text: TextBlob(text).sentiment.polarity


def report(name: str, texts: list[str]) -> None:
    ours = timings(safety.check, texts, ROUNDS)
    print(f"\n{name} ({len(texts)} texts)")
    print(f"  safety.check      median {statistics.median(ours):8.3f} ms   p95 {p95(ours):8.3f} ms")
    alternatives: list[tuple[str, Callable[[str], object] | None]] = [
        ("VADER compound", tone.compound),
        ("TextBlob polarity", textblob_polarity()),
    ]
    for label, fn in alternatives:
        if fn is None:
            print(f"  {label:<17} not installed (pip install -e '.[bench]')")
            continue
        theirs = timings(fn, texts, ROUNDS)
        ratio = statistics.median(ours) / statistics.median(theirs)
        print(
            f"  {label:<17} median {statistics.median(theirs):8.3f} ms   p95 {p95(theirs):8.3f} ms"
            f"   ours/theirs {ratio:5.2f}x"
        )


def main(argv: list[str]) -> int:
    data_dir = Path(argv[1]) if len(argv) > 1 else Path("../shared/data")
    started = import_ms()
    print(f"import + first check of secondchance.analysis.safety: {started:.1f} ms (fresh process)")
    short, long = sentences(data_dir), posts(data_dir)
    if short is None or long is None:
        print(f"skipped timings: goemotions-train.tsv or sdcnl-train.csv not found in {data_dir}")
        return 0
    report("sentence (GoEmotions comment)", short)
    report("1,000-word post (SDCNL posts)", long)
    stories = posts(data_dir, "reddit-breakups.csv", "body")
    if stories is not None:
        report("1,000-word post (r/BreakUps posts: the distress layer runs)", stories)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
