"""The real-story measurement: the tune/test split rule and the tables it prints."""

from __future__ import annotations

import pytest

from secondchance.evaluation.story import find_dev_dir
from secondchance.evaluation.story_real import evaluate_real, fact_right, half_of, split


def test_odd_ids_tune_and_even_ids_test() -> None:
    assert half_of("s001") == "tune" and half_of("s002") == "test" and half_of("s089") == "tune"
    assert half_of("t002") == "tune2" and half_of("u002") == "tune3"


def test_a_row_whose_split_field_disagrees_with_the_rule_is_refused() -> None:
    with pytest.raises(ValueError, match="s003"):
        split([{"id": "s003", "split": "test"}])


def test_durations_count_within_a_quarter_or_a_listed_alternative() -> None:
    assert fact_right("days_since_breakup", 91, 80)
    assert not fact_right("days_since_breakup", 91, 60)
    assert fact_right("days_since_breakup", [80, 91], 91)
    assert fact_right("days_since_breakup", None, None)


def test_the_tables_show_both_halves_with_counts() -> None:
    dev = find_dev_dir()
    assert dev is not None
    tables = evaluate_real(dev)
    titles = [t.title for t in tables]
    assert titles[:3] == [
        "Real stories: fact accuracy",
        "Real stories: flags, recall / precision",
        "Real stories: the plan",
    ]
    facts = tables[0]
    assert facts.columns == ["fact", "tune", "tune2", "tune3", "tune4", "tune5", "test"]
    overall = facts.rows[-1]
    assert overall[0] == "overall" and overall[1].endswith("/270)") and overall[6].endswith("/264)")
    assert overall[2].endswith("/384)")  # 64 stories of the second tuning set
    assert overall[3].endswith("/336)")  # 56 of the third
    assert overall[4].endswith("/378)")  # 63 of the fourth
    assert overall[5].endswith("/342)")  # 57 of the fifth
