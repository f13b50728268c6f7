"""Measure story reading on real text.

Tables:

1. Facts: accuracy per fact on the labelled r/BreakUps posts (``tests/data/story/
   breakups.jsonl``), split into "dev" (patterns were tuned on it) and "holdout" (looked at
   only for the figures), so the gap shows how much tuning flattered the dev numbers.
2. Flags: precision and recall per flag on the same posts, plus ``abuse`` and ``self_harm``
   on the dreaddit chunks (domestic-violence, survivors-of-abuse and relationships
   subreddits), where only those two flags were labelled.
3. Is it a story: accuracy on each labelled set, and how often any of the 43k GoEmotions
   comments (everyday Reddit replies, nearly none of them a breakup story) is read as one.
4. Durations against the dataset's ``relationship_length`` column. That column was made by
   a regular expression, not by people, so it is a weak reference: it is often wrong where
   a post mentions several amounts. Agreement is shown, not accuracy.
5. Speed: milliseconds per 1,000 words over all 948 r/BreakUps posts.

Missing files give a table with a note instead of an error, so the evaluation runs from an
installed package as well as from a checkout.
"""

from __future__ import annotations

import csv
import json
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from secondchance.analysis.durations import first_of_kind, parse_durations
from secondchance.analysis.story import FLAGS, read_story
from secondchance.evaluation import Table
from secondchance.evaluation.story_real import FACTS

DEV_DIR = Path("tests") / "data" / "story"
BREAKUPS = "reddit-breakups.csv"
GOEMOTIONS = "goemotions-train.tsv"
# A duration counts as right within 10% (or two days): "almost a year" read as 365 for a
# labelled 350 is the same answer.
_DAYS_TOLERANCE = 0.10
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30.44, "year": 365}
_REGEX_LENGTH = re.compile(r"(\d+) (day|week|month|year)\(s\)")


def evaluate(data_dir: Path, dev_dir: Path | None = None) -> list[Table]:
    """Return the tables. ``data_dir`` holds the public data; ``dev_dir`` defaults to
    ``tests/data/story`` in the checkout this module is in, or under the current directory."""
    dev = dev_dir or find_dev_dir()
    data_dir = Path(data_dir)
    if dev is None:
        missing = Table("Story reading", ["note"])
        missing.notes.append("tests/data/story not found: run from a source checkout.")
        return [missing, *_data_tables(data_dir)]
    breakups = load(dev / "breakups.jsonl")
    dreaddit = load(dev / "dreaddit.jsonl")
    goemotions = load(dev / "goemotions.jsonl")
    from secondchance.evaluation.story_real import evaluate_real

    return [
        fact_table(breakups),
        flag_table(breakups, dreaddit),
        story_table(breakups, dreaddit, goemotions, data_dir),
        *evaluate_real(dev),
        *_data_tables(data_dir),
    ]


def find_dev_dir() -> Path | None:
    """Return ``tests/data/story`` from the source checkout or the current directory, if there."""
    here = Path(__file__).resolve()
    candidates = [here.parents[3] / DEV_DIR, Path.cwd() / DEV_DIR]
    return next((c for c in candidates if (c / "breakups.jsonl").is_file()), None)


def load(path: Path) -> list[dict[str, Any]]:
    """Return the records of a JSON-lines file, or [] when it is missing."""
    if not path.is_file():
        return []
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def fact_right(name: str, gold: Any, got: Any) -> bool:
    """True when a read fact matches the label. Durations may be within 10% (or 2 days);
    a label may list several acceptable day counts."""
    if name not in ("days_since_breakup", "relationship_days"):
        return bool(gold == got)
    options = gold if isinstance(gold, list) else [gold]
    if got is None:
        return None in options
    return any(o is not None and abs(got - o) <= max(2, _DAYS_TOLERANCE * o) for o in options)


def fact_table(records: list[dict[str, Any]]) -> Table:
    table = Table("Story facts: accuracy on labelled r/BreakUps posts", ["fact", "dev", "holdout"])
    splits = {s: [r for r in records if r["split"] == s] for s in ("dev", "holdout")}
    readings = {r["id"]: read_story(r["text"]).to_dict() for r in records}
    for name in FACTS:
        row: list[object] = [name]
        for items in splits.values():
            right = sum(
                fact_right(name, r["facts"][name], readings[r["id"]]["facts"][name]) for r in items
            )
            row.append(_share(right, len(items)))
        table.rows.append(row)
    table.notes.append(
        f"{len(splits['dev'])} dev and {len(splits['holdout'])} holdout posts, labelled by hand. "
        "Unknown facts are labelled null/unclear and must be read as such to count."
    )
    return table


def flag_table(breakups: list[dict[str, Any]], dreaddit: list[dict[str, Any]]) -> Table:
    table = Table(
        "Story flags: precision / recall",
        ["flag", "set", "precision", "recall", "labelled"],
    )
    # Each text is read once for all its flags (reading is most of the evaluation's time).
    breakups_read = _flags_read(breakups)
    dreaddit_read = _flags_read(dreaddit)
    for name in FLAGS:
        table.rows.append([name, "r/BreakUps", *_precision_recall(name, breakups_read)])
    for name in ("abuse", "self_harm"):
        table.rows.append([name, "dreaddit", *_precision_recall(name, dreaddit_read)])
    table.notes.append(
        "self_harm and abuse come from the shared safety detector, with abuse narrowed by "
        "the story to harm done by the ex. 'labelled' counts the posts that carry the flag. "
        "Dev and holdout together: most flags have too few examples to split."
    )
    return table


def _flags_read(records: list[dict[str, Any]]) -> list[tuple[list[str], tuple[str, ...]]]:
    """Each record's labelled flags beside the flags its reading found."""
    return [(r["flags"], tuple(read_story(r["text"]).flags)) for r in records]


def _precision_recall(name: str, records: list[tuple[list[str], tuple[str, ...]]]) -> list[object]:
    counts: Counter[str] = Counter()
    for labelled, found in records:
        gold = name in labelled
        got = name in found
        counts["tp"] += gold and got
        counts["fp"] += got and not gold
        counts["fn"] += gold and not got
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    return [_share(tp, tp + fp), _share(tp, tp + fn), tp + fn]


def story_table(
    breakups: list[dict[str, Any]],
    dreaddit: list[dict[str, Any]],
    goemotions: list[dict[str, Any]],
    data_dir: Path,
) -> Table:
    table = Table("Is it a story?", ["set", "texts", "accuracy"])
    for label, records in (
        ("r/BreakUps posts", breakups),
        ("dreaddit chunks", dreaddit),
        ("GoEmotions comments (labelled)", goemotions),
    ):
        right = sum(read_story(r["text"]).is_story == r["is_story"] for r in records)
        table.rows.append([label, len(records), _share(right, len(records))])
    comments = _goemotions(data_dir)
    if comments:
        stories = sum(read_story(c).is_story for c in comments)
        share = _share(stories, len(comments), digits=4)
        table.rows.append(["GoEmotions, all (share read as story)", len(comments), share])
    else:
        table.notes.append(
            f"{GOEMOTIONS} not found in {data_dir}: the 43k-comment rate is skipped."
        )
    table.notes.append(
        "For 'GoEmotions, all' the figure is the share read as a story: lower is better, "
        "though a few comments do tell a short breakup story."
    )
    return table


def _data_tables(data_dir: Path) -> list[Table]:
    posts = _breakup_posts(data_dir)
    if not posts:
        missing = Table("Durations and speed", ["note"])
        missing.notes.append(f"{BREAKUPS} not found in {data_dir}.")
        return [missing]
    return [duration_table(posts), speed_table(posts)]


def duration_table(posts: list[dict[str, str]]) -> Table:
    """Agreement of the first relationship length read with the regex-made column."""
    table = Table(
        "Relationship length vs the dataset's regex column (a weak reference)",
        ["posts with a value", "we read a length", "agree within 10%"],
    )
    with_value = read = agree = 0
    for post in posts:
        reference = _reference_days(post.get("relationship_length", ""))
        if reference is None:
            continue
        with_value += 1
        mention = first_of_kind(parse_durations(_post_text(post)), "relationship")
        if mention is None or mention.days is None:
            continue
        read += 1
        agree += fact_right("relationship_days", reference, mention.days)
    table.rows.append([with_value, _share(read, with_value), _share(agree, with_value)])
    table.notes.append(
        "The column takes the first 'N unit(s)' a regex found, often not the relationship "
        '("for 2 weeks"); many disagreements are the column\'s. Hand labels are in table 1.'
    )
    return table


def speed_table(posts: list[dict[str, str]]) -> Table:
    texts = [_post_text(p) for p in posts]
    words = sum(len(t.split()) for t in texts)
    for text in texts[:20]:  # load lexicons and warm caches before timing
        read_story(text)
    start = time.perf_counter()
    for text in texts:
        read_story(text)
    elapsed = time.perf_counter() - start
    table = Table("Speed", ["texts", "words", "ms per 1,000 words"])
    table.rows.append([len(texts), words, round(elapsed * 1000 / (words / 1000), 1)])
    table.notes.append("Single process, one thread; includes the safety check. bench/ compares.")
    return table


def _reference_days(value: str) -> int | None:
    m = _REGEX_LENGTH.fullmatch(value.strip())
    if m is None:
        return None
    return round(int(m[1]) * _UNIT_DAYS[m[2]])


def _post_text(post: dict[str, str]) -> str:
    return f"{post.get('title', '').strip()}\n\n{post.get('body', '').strip()}"


def _breakup_posts(data_dir: Path) -> list[dict[str, str]]:
    path = data_dir / BREAKUPS
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _goemotions(data_dir: Path) -> list[str]:
    path = data_dir / GOEMOTIONS
    if not path.is_file():
        return []
    with path.open(encoding="utf-8") as handle:
        next(handle, None)
        return [line.split("\t", 1)[0] for line in handle if line.strip()]


def _share(part: int, whole: int, digits: int = 2) -> object:
    return round(part / whole, digits) if whole else "-"


def main(argv: list[str] | None = None) -> int:
    """Print the tables: ``python -m secondchance.evaluation.story [DATA_DIR]``."""
    args = sys.argv[1:] if argv is None else argv
    default = Path(__file__).resolve().parents[4] / "shared" / "data"
    data_dir = Path(args[0] if args else os.environ.get("SECONDCHANCE_EVAL_DATA", default))
    for table in evaluate(data_dir):
        print(f"\n{table.title}")
        print("  " + " | ".join(table.columns))
        for row in table.rows:
            print("  " + " | ".join(str(c) for c in row))
        for note in table.notes:
            print(f"  note: {note}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
