"""Story reading on the labelled real posts, and the evaluation that reports on them.

Floors, not targets: they catch a lexicon edit that quietly breaks a fact or a flag. The
figures themselves are printed by ``python -m secondchance.evaluation.story``.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

import pytest

from secondchance.analysis.story import FLAGS, read_story
from secondchance.evaluation import story as evaluation

DEV_DIR = Path(__file__).resolve().parents[1] / "data" / "story"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
# Accuracy floors on the dev split, a few points under today's figures.
FACT_FLOORS = {
    "days_since_breakup": 0.85,
    "relationship_days": 0.85,
    "who_ended": 0.75,
    "contact": 0.8,
    "ex_new_partner": 0.85,
    "goal": 0.65,
}


# Reading is pure: each text is read once per test process, not once per test that checks it.
reading = cache(read_story)


def breakups() -> list[dict[str, object]]:
    return evaluation.load(DEV_DIR / "breakups.jsonl")


def test_the_labelled_sets_are_well_formed() -> None:
    seen: set[str] = set()
    for name in ("breakups", "dreaddit", "goemotions"):
        records = evaluation.load(DEV_DIR / f"{name}.jsonl")
        assert records, name
        for r in records:
            assert r["id"] not in seen
            seen.add(r["id"])
            assert r["source"] and r["text"] and isinstance(r["is_story"], bool)
            assert set(r.get("flags", [])) <= set(FLAGS)
    for r in breakups():
        assert r["split"] in ("dev", "holdout")
        assert set(r["facts"]) == set(evaluation.FACTS)


@pytest.mark.parametrize("fact", sorted(FACT_FLOORS))
def test_facts_hold_their_floor_on_the_dev_posts(fact: str) -> None:
    dev = [r for r in breakups() if r["split"] == "dev"]
    right = sum(
        evaluation.fact_right(fact, r["facts"][fact], reading(r["text"]).to_dict()["facts"][fact])
        for r in dev
    )
    assert right / len(dev) >= FACT_FLOORS[fact]


def test_stories_and_comments_are_told_apart() -> None:
    posts = breakups()
    comments = evaluation.load(DEV_DIR / "goemotions.jsonl")
    assert sum(reading(r["text"]).is_story == r["is_story"] for r in posts) / len(posts) >= 0.9
    false_stories = sum(reading(r["text"]).is_story and not r["is_story"] for r in comments)
    assert false_stories <= 3


def test_evidence_quotes_real_text_exactly() -> None:
    for r in breakups():
        text = str(r["text"])
        for e in reading(text).evidence:
            assert text[e.start : e.end] == e.quote


@pytest.mark.slow
def test_the_evaluation_gives_its_tables_without_the_public_data(tmp_path: Path) -> None:
    tables = evaluation.evaluate(tmp_path, DEV_DIR)
    titles = [t.title for t in tables]
    assert titles[0].startswith("Story facts")
    assert any("not found" in note for t in tables for note in t.notes)


@pytest.mark.skipif(not (SHARED / "reddit-breakups.csv").is_file(), reason="public data absent")
def test_the_texts_are_the_source_texts_unchanged() -> None:
    with (SHARED / "reddit-breakups.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for r in breakups():
        row = rows[int(r["row"])]  # type: ignore[call-overload]
        assert r["url"] == row["url"]
        assert r["text"] == f"{row['title'].strip()}\n\n{row['body'].strip()}"


@pytest.mark.skipif(not (SHARED / "dreaddit-train.csv").is_file(), reason="public data absent")
def test_the_chunks_and_comments_are_the_source_texts_unchanged() -> None:
    with (SHARED / "dreaddit-train.csv").open(encoding="utf-8", newline="") as handle:
        chunks = {row["id"]: row for row in csv.DictReader(handle)}
    for r in evaluation.load(DEV_DIR / "dreaddit.jsonl"):
        row = chunks[str(r["row_id"])]
        assert (r["text"], r["subreddit"], r["post_id"]) == (
            row["text"],
            row["subreddit"],
            row["post_id"],
        )
    with (SHARED / "goemotions-train.tsv").open(encoding="utf-8") as handle:
        comments = dict(reversed(line.rstrip("\n").split("\t")[::2]) for line in handle)
    for r in evaluation.load(DEV_DIR / "goemotions.jsonl"):
        assert comments[str(r["comment_id"])] == r["text"]
