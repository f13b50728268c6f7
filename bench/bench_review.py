"""How long a draft review takes, next to a sentiment score alone (VADER, TextBlob).

Run: ``.venv/bin/python bench/bench_review.py [DATA_DIR]``. Reviews real tweets from
``tweeteval-sentiment-test-text.txt`` when DATA_DIR (default ``../shared/data``) has them,
otherwise a fixed set of typical drafts. Prints median and p95 milliseconds per message and
the ratios, all measured in this one process. The target is a median of 1 ms or less per
review, which keeps a review well inside one keystroke-to-screen round trip.

Then it times the review alone on the real texts to an ex (tests/data/review/real_texts.jsonl),
bare and with a memory callback in front (which makes the review read the rest of the draft
again on its own), and prints milliseconds per text: mean, median and p95. The target there is
at most 2 ms per text.
"""

from __future__ import annotations

import json
import statistics
import sys
from collections.abc import Callable
from pathlib import Path

from benchkit import p95, timings
from secondchance.analysis import review, safety, tone

FALLBACK = [
    "hey! remember the goat at Sam's wedding? 😂",
    "I miss you so much, please talk to me",
    "hey",
    "I found your jacket, I can leave it at the front desk",
    "can we talk about what happened? I've changed",
    "who is she??",
    "lol did you ever finish that terrible puzzle",
    "I'm so sorry for everything. I can't stop thinking about you. Please just answer me.",
]
ROUNDS = 3
REAL_TEXTS = Path(__file__).resolve().parents[1] / "tests" / "data" / "review" / "real_texts.jsonl"
MEMORY = "Remember that terrible pizza place we used to love? 😂 "
TARGET_MS = 2.0


def messages(data_dir: Path) -> tuple[list[str], str]:
    path = data_dir / "tweeteval-sentiment-test-text.txt"
    if path.is_file():
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        return lines, f"{len(lines)} real tweets from {path.name}"
    return FALLBACK * 250, f"{len(FALLBACK)} typical drafts x 250 ({path} not found)"


def main(argv: list[str]) -> int:
    data_dir = Path(argv[1]) if len(argv) > 1 else Path("../shared/data")
    texts, described = messages(data_dir)
    contenders: dict[str, Callable[[str], object]] = {
        "secondchance review": review,
        # The review runs the safety check on every draft; shown alone to see its share.
        "safety.check alone": safety.check,
        "VADER compound alone": tone.compound,
    }
    try:
        from textblob import TextBlob

        contenders["TextBlob polarity alone"] = lambda text: TextBlob(text).sentiment.polarity
    except ImportError:
        print("TextBlob is not installed (pip install -e '.[bench]'); skipping it.")

    print(f"Draft review speed on {described}; best of {ROUNDS} rounds per message.")
    results = {name: timings(fn, texts, ROUNDS) for name, fn in contenders.items()}
    base = statistics.median(results["secondchance review"])
    print(f"{'':26}{'median ms':>10}{'p95 ms':>10}{'review / this':>15}")
    for name, values in results.items():
        median = statistics.median(values)
        print(f"{name:26}{median:10.3f}{p95(values):10.3f}{base / median:14.2f}x")
    verdict = "meets" if base <= 1.0 else "MISSES"
    print(f"Review median {base:.3f} ms {verdict} the 1 ms target.")
    real_texts()
    return 0


def real_texts() -> None:
    """Print ms per text for the review on the real texts, bare and behind a memory."""
    if not REAL_TEXTS.is_file():
        print(f"{REAL_TEXTS} not found; skipping the real texts.")
        return
    lines = REAL_TEXTS.read_text(encoding="utf-8").splitlines()
    bare = [str(json.loads(line)["text"]) for line in lines if line.strip()]
    print(f"\nReview on {len(bare)} real texts to an ex; best of {ROUNDS} rounds per text.")
    print(f"{'':26}{'mean ms':>10}{'median ms':>10}{'p95 ms':>10}")
    worst = 0.0
    for name, texts in (("bare", bare), ("memory in front", [MEMORY + t for t in bare])):
        values = timings(review, texts, ROUNDS)
        mean = statistics.fmean(values)
        worst = max(worst, mean)
        print(f"{name:26}{mean:10.3f}{statistics.median(values):10.3f}{p95(values):10.3f}")
    verdict = "meets" if worst <= TARGET_MS else "MISSES"
    print(f"Review {worst:.3f} ms per text (worst mean) {verdict} the {TARGET_MS:g} ms target.")


if __name__ == "__main__":
    sys.exit(main(sys.argv))
