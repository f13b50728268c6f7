"""The review on the labelled real messages, and the evaluation that reports on them.

Floors, not targets: they catch a lexicon edit that quietly breaks a rule. The figures
themselves are printed by ``python -m secondchance.evaluation.review``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from secondchance.evaluation import review as evaluation

DEV_SET = Path(__file__).resolve().parents[1] / "data" / "review" / "dev.jsonl"
# Rules with enough labelled examples to hold a floor; the rest are covered by unit tests.
FLOORS = {
    "miss_you": (0.85, 0.85),
    "relationship": (0.85, 0.80),
    "insult": (0.85, 0.85),
    "blame": (0.8, 0.8),
    "over_apology": (0.8, 0.8),
    "pet_name": (0.8, 0.8),
    "generic": (0.7, 0.7),
    "shared_memory": (0.75, 0.85),
}


def items() -> list[dict[str, object]]:
    return evaluation.load_dev_set(DEV_SET)


def test_the_labelled_set_is_well_formed() -> None:
    seen = set()
    for item in items():
        assert item["id"] not in seen
        seen.add(item["id"])
        assert item["source"] and isinstance(item["row"], int) and item["text"]
        assert set(item["labels"]) <= set(evaluation.TEXT_RULES)  # type: ignore[arg-type]
        assert item["split"] in {"dev", "test"}
    assert len(seen) >= 150


@pytest.mark.parametrize("rule", sorted(FLOORS))
def test_rules_hold_their_floor_on_real_messages(rule: str) -> None:
    pairs = [(set(i["labels"]), evaluation.predicted_rules(str(i["text"]))) for i in items()]  # type: ignore[arg-type]
    n, precision, recall = evaluation._precision_recall(rule, pairs)
    min_p, min_r = FLOORS[rule]
    assert n >= 5
    assert float(precision) >= min_p, (rule, precision)
    assert float(recall) >= min_r, (rule, recall)


def test_evaluation_reports_rules_verdicts_and_speed(tmp_path: Path) -> None:
    (tmp_path / evaluation.TWEETS).write_text(
        "remember the goat at the wedding? 😂\nI miss you\nhey\n", encoding="utf-8"
    )
    (tmp_path / evaluation.TWEET_LABELS).write_text("2\n0\n1\n", encoding="utf-8")
    real, rules, verdicts, speed = evaluation.evaluate(tmp_path, DEV_SET)
    assert real.rows  # the real texts to an ex ship with the checkout
    assert [row[0] for row in rules.rows] == list(evaluation.TEXT_RULES)
    assert verdicts.rows[-1][:2] == ["all", 3]
    assert verdicts.rows[-1][2].startswith("1 ")  # the goat is the one "send"
    assert speed.rows[0] == ["reviews timed", 3]
    assert "median ms" in evaluation.format_table(speed)
    json.dumps([t.to_dict() for t in (rules, verdicts, speed)])


def test_evaluation_notes_missing_files_instead_of_failing(tmp_path: Path) -> None:
    _, rules, verdicts, speed = evaluation.evaluate(tmp_path, tmp_path / "missing.jsonl")
    assert not rules.rows and rules.notes
    assert not verdicts.rows and "not found" in verdicts.notes[0]
    assert not speed.rows
