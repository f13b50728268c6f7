"""Measure the draft review on real text.

Three tables:

1. Precision and recall per rule on the labelled development set (``tests/data/review/
   dev.jsonl``: real short messages from r/BreakUps, GoEmotions and TweetEval, each labelled by
   hand with the rules a coach would flag). The set is split: rules were tuned on "dev"; "test"
   was held back, so the gap between the two shows how much tuning flattered the dev figures.
2. How real tweets would fare as a first text: the verdict distribution, by tweet sentiment.
3. Speed: median and 95th-percentile milliseconds per review over those tweets.

Missing files give a table with a note instead of an error, so the evaluation runs from an
installed package as well as from a checkout.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from secondchance.analysis.draft import review
from secondchance.evaluation import Table

TWEETS = "tweeteval-sentiment-test-text.txt"
TWEET_LABELS = "tweeteval-sentiment-test-labels.txt"
DEV_SET = Path("tests") / "data" / "review" / "dev.jsonl"
# Rules that judge the words of a draft; time, pacing and safety rules need other inputs.
TEXT_RULES = (
    "miss_you",
    "relationship",
    "generic",
    "needy",
    "over_apology",
    "jealousy",
    "insult",
    "blame",
    "not_replying",
    "pet_name",
    "booty_call",
    "drinking",
    "too_long",
    "negative_tone",
    "light_tone",
    "shared_memory",
    "easy_question",
    "logistics",
)
_SENTIMENT = {"0": "negative", "1": "neutral", "2": "positive"}


def evaluate(data_dir: Path, dev_set: Path | None = None) -> list[Table]:
    """Return the three tables. ``data_dir`` holds the public data (for the tweets);
    ``dev_set`` defaults to ``tests/data/review/dev.jsonl`` in the checkout this module is in,
    or under the current directory."""
    return [
        rule_table(dev_set or find_dev_set()),
        *tweet_tables(Path(data_dir)),
    ]


def find_dev_set() -> Path | None:
    """Return the labelled set from the source checkout or the current directory, if there."""
    here = Path(__file__).resolve()
    candidates = [here.parents[3] / DEV_SET, Path.cwd() / DEV_SET]
    return next((c for c in candidates if c.is_file()), None)


def load_dev_set(path: Path) -> list[dict[str, object]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def predicted_rules(text: str) -> set[str]:
    """Return the text rules a first-text review of ``text`` reports (no memories, no time)."""
    return {f.rule for f in review(text).findings if f.rule in TEXT_RULES}


def rule_table(path: Path | None) -> Table:
    table = Table(
        title="Draft review: precision and recall per rule (hand-labelled real messages)",
        columns=["rule", "dev n", "dev P", "dev R", "test n", "test P", "test R"],
    )
    if path is None or not path.is_file():
        table.notes.append(f"No labelled set found (looked for {DEV_SET}); skipped.")
        return table
    items = load_dev_set(path)
    by_split: dict[str, list[tuple[set[str], set[str]]]] = {"dev": [], "test": []}
    for item in items:
        gold = set(item["labels"])  # type: ignore[arg-type]
        by_split[str(item.get("split", "dev"))].append((gold, predicted_rules(str(item["text"]))))
    for rule in TEXT_RULES:
        row: list[object] = [rule]
        for split in ("dev", "test"):
            n, precision, recall = _precision_recall(rule, by_split[split])
            row += [n, precision, recall]
        table.rows.append(row)
    counts = Counter(str(i.get("split", "dev")) for i in items)
    table.notes += [
        f"{len(items)} items from {path} ({counts['dev']} dev, {counts['test']} test); "
        "n = items labelled with the rule; P/R '-' where undefined.",
        "Labels were written before the rules; the same person did both, and saw every text "
        "while labelling, so even the test figures are somewhat optimistic.",
    ]
    return table


def _precision_recall(
    rule: str, pairs: Iterable[tuple[set[str], set[str]]]
) -> tuple[int, str, str]:
    tp = fp = fn = 0
    for gold, predicted in pairs:
        tp += rule in gold and rule in predicted
        fp += rule not in gold and rule in predicted
        fn += rule in gold and rule not in predicted
    precision = f"{tp / (tp + fp):.2f}" if tp + fp else "-"
    recall = f"{tp / (tp + fn):.2f}" if tp + fn else "-"
    return tp + fn, precision, recall


def tweet_tables(data_dir: Path) -> list[Table]:
    """Return the verdict distribution on real tweets and the time per review."""
    verdicts = Table(
        title="Draft review: real tweets reviewed as a first text (verdicts)",
        columns=["tweet sentiment", "tweets", "send", "revise", "dont_send"],
    )
    speed = Table(title="Draft review: speed", columns=["measure", "value"])
    texts_path, labels_path = data_dir / TWEETS, data_dir / TWEET_LABELS
    if not texts_path.is_file():
        note = f"{texts_path} not found; skipped."
        verdicts.notes.append(note)
        speed.notes.append(note)
        return [verdicts, speed]
    texts = texts_path.read_text(encoding="utf-8").splitlines()
    labels = (
        labels_path.read_text(encoding="utf-8").split()
        if labels_path.is_file()
        else ["?"] * len(texts)
    )
    counts: dict[str, Counter[str]] = {}
    timings = []
    for text, label in zip(texts, labels, strict=False):
        started = time.perf_counter()
        verdict = review(text).verdict
        timings.append((time.perf_counter() - started) * 1000)
        counts.setdefault(_SENTIMENT.get(label, label), Counter())[verdict] += 1
    total: Counter[str] = Counter()
    for sentiment in ("negative", "neutral", "positive", "?"):
        if sentiment in counts:
            verdicts.rows.append(_verdict_row(sentiment, counts[sentiment]))
            total.update(counts[sentiment])
    verdicts.rows.append(_verdict_row("all", total))
    verdicts.notes.append(
        "Tweets are not texts to an ex: almost none should be 'send' as a first text, which asks "
        "for a shared memory. 'send' here mostly means plain logistics or a memory marker."
    )
    timings.sort()
    speed.rows += [
        ["reviews timed", len(timings)],
        ["median ms per review", f"{statistics.median(timings):.3f}"],
        ["p95 ms per review", f"{timings[int(0.95 * (len(timings) - 1))]:.3f}"],
    ]
    speed.notes.append("Includes the safety check and VADER; first call (lexicon load) included.")
    return [verdicts, speed]


def _verdict_row(name: str, counts: Counter[str]) -> list[object]:
    n = sum(counts.values())
    cells: list[object] = [name, n]
    for verdict in ("send", "revise", "dont_send"):
        cells.append(f"{counts[verdict]} ({100 * counts[verdict] / n:.1f}%)" if n else "0")
    return cells


def format_table(table: Table) -> str:
    """Return ``table`` as plain text with aligned columns."""
    rows = [table.columns, *[[str(c) for c in row] for row in table.rows]]
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(table.columns))]
    lines = [table.title, "-" * len(table.title)]
    for row in rows:
        lines.append("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))
    lines += [f"  note: {n}" for n in table.notes]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    data_dir = Path(argv[1]) if len(argv) > 1 else Path("../shared/data")
    for table in evaluate(data_dir):
        print(format_table(table), end="\n\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
