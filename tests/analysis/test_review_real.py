"""The review on real texts to an ex, labelled before any reader ran (tests/data/review/).

The set is split by the id's number: odd ids are the tune half (misses there may be studied),
even ids the test half, which is only ever measured in aggregate. Assertion messages here give
counts, never the texts of the test half.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest

from secondchance.analysis import review
from secondchance.evaluation import review as evaluation

REAL = Path(__file__).resolve().parents[1] / "data" / "review" / "real_texts.jsonl"
# Good memory callbacks with an emoji, written for this test (not from the data).
PREFIXES = (
    "Remember that terrible pizza place we used to love? 😂 ",
    "lol walked past the coffee shop where you spilled your latte 😄 ",
    "Haha remember when we got lost looking for that beach? 😂 ",
)


def items(half: str) -> list[dict[str, object]]:
    rows = [json.loads(line) for line in REAL.read_text(encoding="utf-8").splitlines() if line]
    return [r for r in rows if evaluation.half(str(r["id"])) == half]


def test_ids_are_a_letter_and_a_number_and_the_split_follows_their_parity() -> None:
    for half in ("tune", "test"):
        rows = items(half)
        assert len(rows) == 52
        for row in rows:
            assert re.fullmatch(r"m\d{3}", str(row["id"]))
            assert row["split"] == half  # the file's own split agrees with the parity rule


def test_the_split_rule_reads_the_number_not_the_letters() -> None:
    assert evaluation.half("m017") == "tune"
    assert evaluation.half("m100") == "test"
    assert evaluation.half("x002") == "tune2"
    assert evaluation.half("y002") == "tune3"
    with pytest.raises(ValueError):
        evaluation.half("m01x")


@cache  # two tests read each half's counts: the reviews are made once
def _prefixed_sends(half: str) -> tuple[int, int, int]:
    """Return (prefixed bad texts read as send, of those whose bare text is not send, total)."""
    bad = [str(r["text"]) for r in items(half) if r["verdict"] != "send"]
    sent = lifted = 0
    # The most lenient reading of the bare text: as a message in a conversation, where no
    # memory is asked for (as a first text, the memory is exactly what was missing).
    bare = {text: review(text, stage="ongoing").verdict for text in bad}
    for stage in ("first", "ongoing"):
        for prefix in PREFIXES:
            for text in bad:
                if review(prefix + text, stage=stage).verdict == "send":
                    sent += 1
                    lifted += bare[text] != "send"
    return sent, lifted, len(bad) * len(PREFIXES) * 2


@pytest.mark.parametrize("half", ["tune", "test"])
def test_a_memory_and_an_emoji_never_lift_a_bad_text(half: str) -> None:
    # A strength never cancels a problem: whatever the review thinks of a text on its own, a
    # good memory and an emoji in front never make it better than that.
    _, lifted, total = _prefixed_sends(half)
    assert total > 150
    assert lifted == 0, f"{lifted} of {total} prefixed bad texts became 'send'"


@pytest.mark.parametrize(
    "half",
    [
        "tune",
        pytest.param(
            "test",
            marks=pytest.mark.xfail(
                reason="a few test-half bad texts already read as 'send' on their own (see "
                "'secondchance eval --task review'); the prefix lifts none of them",
                strict=True,
            ),
        ),
    ],
)
def test_a_memory_and_an_emoji_never_make_a_bad_text_send(half: str) -> None:
    sent, _, total = _prefixed_sends(half)
    assert sent == 0, f"{sent} of {total} prefixed bad texts were 'send'"


def test_no_neutral_logistics_text_is_blocked() -> None:
    practical = [r for half in ("tune", "test") for r in items(half) if "logistics" in r["labels"]]
    assert len(practical) == 15
    blocked = 0
    for row in practical:
        for stage in ("first", "ongoing"):
            blocked += review(str(row["text"]), stage=stage).verdict == "dont_send"
    assert blocked == 0, f"{blocked} neutral logistics reviews were 'dont_send'"


def test_the_evaluation_reports_both_halves_in_aggregate() -> None:
    table = evaluation.real_table(REAL)
    assert table.columns == ["measure", "tune", "tune2", "tune3", "tune4", "tune5", "test"]
    assert table.rows[0] == ["texts", 52, 84, 44, 50, 50, 52]
    measures = [row[0] for row in table.rows]
    assert "balanced accuracy, send vs not" in measures
    assert "neutral logistics blocked" in measures
    assert any(m.startswith("checking_up: recall") for m in measures)
    cells = " ".join(str(c) for row in table.rows for c in row[1:])
    assert "/" in cells
    # Figures only: no row quotes a text.
    assert all(len(str(c)) < 20 for row in table.rows for c in row[1:])


def test_the_halves_hold_their_floors() -> None:
    # Floors, not targets (the target for the test half is 0.9): they catch a lexicon edit
    # that quietly undoes the work. The figures are printed by the evaluation.
    tune = evaluation.real_summary(items("tune"))
    test = evaluation.real_summary(items("test"))
    assert tune["balanced_accuracy"] >= 0.9
    assert test["balanced_accuracy"] >= 0.7
    assert tune["logistics_blocked"][0] == test["logistics_blocked"][0] == 0


def test_the_misses_listing_reads_every_tuning_set_and_never_the_test_half(tmp_path: Path) -> None:
    # Sentences of our own, each labelled the opposite of what the review reads.
    rows = {
        "real_texts.jsonl": [
            {"id": "m001", "text": "I miss you so much", "verdict": "send", "labels": []},
            {"id": "m002", "text": "I miss you so much", "verdict": "send", "labels": []},
        ],
        evaluation.REAL_TUNE2: [
            {"id": "x001", "text": "I still love you", "verdict": "send", "labels": []}
        ],
        evaluation.REAL_TUNE3: [],
        evaluation.REAL_TUNE4: [
            {"id": "w001", "text": "Why did you leave me?", "verdict": "send", "labels": []}
        ],
    }
    for name, items in rows.items():
        lines = "".join(json.dumps(item) + "\n" for item in items)
        (tmp_path / name).write_text(lines, encoding="utf-8")
    listed = evaluation.tune_misses(tmp_path / "real_texts.jsonl")
    assert [line.split()[0] for line in listed] == ["m001", "x001", "w001"]
    assert all(" blocked " in line for line in listed)
