"""Rebuild ``dev.jsonl`` from ``picks.tsv`` and the public data in ``/work/shared/data``.

Run by hand (``python tests/data/safety/build_devset.py [DATA_DIR]``); the tests only read the
result, so they never need the shared data. Every pick names its source row, and the script
refuses to write anything if a pick's text is not found verbatim in that row, so the labels
always sit on real text. sdcnl-test.csv is never a source: it is kept for the final report.
"""

from __future__ import annotations

import csv
import json
import sys
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCES = {
    "S": "sdcnl-train.csv",
    "G": "goemotions-train.tsv",
    "D": "dreaddit-train.csv",
    "B": "reddit-breakups.csv",
}


def _records(path: Path) -> list[dict[str, str]]:
    csv.field_size_limit(10**8)
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _texts(key: str, data: Path) -> list[str]:
    """Return the texts of one source, indexed the way ``row`` counts them.

    S, D, B: 0-based CSV record (S is the post's title and body; D the chunk; B the body).
    G: 1-based line of the TSV, the header being line 1.
    """
    path = data / SOURCES[key]
    if key == "S":
        return [f"{r['title']}\n{r['selftext']}" for r in _records(path)]
    if key == "D":
        return [r["text"] for r in _records(path)]
    if key == "B":
        return [r["body"] for r in _records(path)]
    lines = path.read_text(encoding="utf-8").split("\n")
    return ["", *((next(csv.reader([line], delimiter="\t"), None) or [""])[0] for line in lines)]


def main(data: Path) -> int:
    cache: dict[str, list[str]] = {}
    items, problems = [], []
    picks = (HERE / "picks.tsv").read_text(encoding="utf-8").split("\n")
    for number, line in enumerate(picks, 1):
        if not line.strip() or line.startswith("#"):
            continue
        key, row, labels, text = line.split("\t", 3)
        if key not in cache:
            cache[key] = _texts(key, data)
        if text not in cache[key][int(row)]:
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
