"""The remembered safety state as pure rules: signals and clearings in, one state out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from secondchance.program import thresholds as t
from secondchance.program.safety import EVIDENCE_SHOWN, safety_state

NOW = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)


def signal(kind: str, days_ago: float, quote: str = "", source: str = "checkin") -> SimpleNamespace:
    evidence = [{"rule": f"{kind}.x", "quote": quote, "start": 0, "end": len(quote)}]
    return SimpleNamespace(
        kind=kind,
        source=source,
        source_id=1,
        evidence=evidence if quote else [],
        created_at=NOW - timedelta(days=days_ago),
    )


def clearing(days_ago: float, *kinds: str) -> SimpleNamespace:
    return SimpleNamespace(kinds=list(kinds), created_at=NOW - timedelta(days=days_ago))


def test_it_is_all_off_with_nothing_written() -> None:
    state = safety_state([], [], NOW)
    assert state.active == () and state.since is None
    assert state.to_dict() == {
        "crisis": False,
        "concern": False,
        "abuse": False,
        "since": None,
        "evidence": [],
    }


def test_it_keeps_crisis_and_abuse_on_however_long_ago_until_cleared() -> None:
    state = safety_state([signal("crisis", 400), signal("abuse", 90)], [], NOW)
    assert state.crisis and state.abuse
    assert state.since == NOW - timedelta(days=400)


def test_it_sets_aside_only_the_kinds_cleared_and_only_what_came_before() -> None:
    signals = [signal("crisis", 10), signal("abuse", 9)]
    state = safety_state(signals, [clearing(5, "crisis")], NOW)
    assert not state.crisis and state.abuse
    assert state.since == NOW - timedelta(days=9)


def test_it_turns_back_on_with_words_written_after_a_clearing() -> None:
    signals = [signal("crisis", 10), signal("crisis", 1, "kill myself")]
    state = safety_state(signals, [clearing(5, "crisis", "abuse", "concern")], NOW)
    assert state.crisis and state.since == NOW - timedelta(days=1)
    assert [e.quote for e in state.evidence] == ["kill myself"]


def test_it_counts_words_written_at_the_moment_of_clearing_as_cleared() -> None:
    assert not safety_state([signal("abuse", 2)], [clearing(2, "abuse")], NOW).abuse


def test_it_lets_concern_fade_but_never_crisis() -> None:
    old = t.CONCERN_REMINDER_DAYS + 1
    assert not safety_state([signal("concern", old)], [], NOW).concern
    assert safety_state([signal("concern", old - 2)], [], NOW).concern
    assert safety_state([signal("crisis", old)], [], NOW).crisis


def test_it_never_shows_concern_together_with_crisis() -> None:
    state = safety_state([signal("concern", 1), signal("crisis", 2)], [], NOW)
    assert state.crisis and not state.concern
    assert state.active == ("crisis",)


def test_it_shows_the_newest_quotes_first_and_only_a_few() -> None:
    signals = [signal("abuse", n, f"quote {n}") for n in range(EVIDENCE_SHOWN + 5, 0, -1)]
    state = safety_state(signals, [], NOW)
    assert len(state.evidence) == EVIDENCE_SHOWN
    assert state.evidence[0].quote == "quote 1"
    assert state.evidence[0].to_dict()["at"] == (NOW - timedelta(days=1)).isoformat()
