"""Rebuild ``dev.jsonl`` from ``picks.tsv`` and the public data in ``/work/shared/data``.

Run by hand (``python tests/data/review/build_devset.py [DATA_DIR]``); the tests only read the
result, so they never need the shared data. Every pick names its source row, and the script
refuses to write anything if a pick's text is not found verbatim in that row, so the labels
always sit on real text.
"""

from __future__ import annotations

import csv
import json
import sys
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCES = {
    "T": "tweeteval-sentiment-test-text.txt",
    "G": "goemotions-train.tsv",
    "B": "reddit-breakups.csv",
}


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")


def _row_text(key: str, row: int, data: Path, cache: dict[str, list[str]]) -> str:
    """Return the text at ``row``: a 1-based line for tweets and GoEmotions, or the body of
    the 0-based CSV record for r/BreakUps posts."""
    if key not in cache:
        path = data / SOURCES[key]
        if key == "B":
            csv.field_size_limit(10**8)
            with path.open(encoding="utf-8", newline="") as handle:
                cache[key] = [r["body"] for r in csv.DictReader(handle)]
        else:
            cache[key] = _lines(path)
    if key == "B":
        return cache[key][row]
    line = cache[key][row - 1]
    if key == "G":  # one record per line; quoted fields use CSV doubling
        return next(csv.reader([line], delimiter="\t"))[0]
    return line


def main(data: Path) -> int:
    cache: dict[str, list[str]] = {}
    items, problems = [], []
    for number, line in enumerate(_lines(HERE / "picks.tsv"), 1):
        if not line.strip() or line.startswith("#"):
            continue
        key, row, labels, text = line.split("\t", 3)
        source = _row_text(key, int(row), data, cache)
        if text not in source:
            problems.append(f"picks.tsv:{number}: text not found in {SOURCES[key]} row {row}")
            continue
        item_id = f"{key}{row}-{len(items)}"
        items.append(
            {
                "id": item_id,
                "source": SOURCES[key],
                "row": int(row),
                "text": text,
                "labels": [] if labels == "-" else sorted(labels.split(",")),
                # A fixed third is held out as "test": rules are tuned on "dev" only, and the
                # evaluation reports both, so the gap shows how much the tuning flattered us.
                "split": "test" if zlib.crc32(item_id.encode()) % 3 == 0 else "dev",
            }
        )
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    with (HERE / "dev.jsonl").open("w", encoding="utf-8") as out:
        for item in items:
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
    print(f"wrote {len(items)} items to {HERE / 'dev.jsonl'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data")))
