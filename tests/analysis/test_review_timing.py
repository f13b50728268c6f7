"""When a draft would be sent: late at night, and pacing once talking again (explicit times)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from secondchance.analysis import review

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
GOOD = "remember the goat at Sam's wedding? 😂"


def at(day: int, hour: int, minute: int = 0, tz: ZoneInfo = LONDON) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=tz)


def rules(text: str = GOOD, **kwargs: object) -> set[str]:
    return {f.rule for f in review(text, **kwargs).findings}  # type: ignore[arg-type]


# --- late night ------------------------------------------------------------------------------


def test_it_advises_waiting_until_morning_at_half_past_one() -> None:
    result = review(GOOD, now=at(4, 1, 30))
    late = next(f for f in result.findings if f.rule == "late_night")
    assert "morning" in late.message
    assert (late.start, late.end, late.quote) == (0, 0, "")
    assert result.verdict == "revise"


@pytest.mark.parametrize(("hour", "late"), [(22, False), (23, True), (3, True), (6, False)])
def test_late_night_runs_from_eleven_to_six(hour: int, late: bool) -> None:
    assert ("late_night" in rules(now=at(4, hour))) is late


def test_late_night_is_read_in_the_persons_own_time_zone() -> None:
    # The same instant is 01:30 in New York and 06:30 in London: the hour is read in the zone
    # of ``now``, which the caller sets to the person's own.
    moment = at(4, 1, 30, NEW_YORK)
    assert "late_night" in rules(now=moment)
    assert "late_night" not in rules(now=moment.astimezone(LONDON))


def test_without_now_there_is_no_timing_advice() -> None:
    assert review(GOOD).verdict == "send"


def test_drinking_at_night_is_a_stop_not_a_nudge() -> None:
    result = review("im so drunk rn haha", now=at(4, 1, 30))
    assert {"drinking", "late_night"} <= {f.rule for f in result.findings}
    assert result.verdict == "dont_send"


# --- pacing (ongoing) ------------------------------------------------------------------------


def log(*entries: tuple[datetime, str]) -> list[dict[str, object]]:
    return [{"at": when, "sender": who} for when, who in entries]


def test_replying_inside_a_live_conversation_is_fine() -> None:
    history = log((at(4, 18, 0), "you"), (at(4, 18, 5), "ex"))
    result = review(
        "haha yes! was it the blue one?", stage="ongoing", now=at(4, 18, 7), log=history
    )
    assert result.verdict == "send"
    assert not {"double_text", "one_a_day", "too_soon"} & {f.rule for f in result.findings}


def test_it_flags_double_texting_when_your_last_message_is_unanswered() -> None:
    history = log((at(3, 12), "ex"), (at(4, 9), "you"))
    result = review("haha also this", stage="ongoing", now=at(4, 20), log=history)
    assert "double_text" in {f.rule for f in result.findings}
    assert result.verdict == "dont_send"


def test_it_flags_a_second_conversation_started_the_same_day() -> None:
    # You opened at 09:00, he answered; at 19:00 you would be opening another one.
    history = log((at(4, 9), "you"), (at(4, 9, 10), "ex"), (at(4, 9, 20), "ex"))
    assert "one_a_day" in rules(stage="ongoing", now=at(4, 19), log=history)


def test_a_conversation_he_started_does_not_count_against_you() -> None:
    history = log((at(4, 9), "ex"), (at(4, 9, 5), "you"), (at(4, 9, 30), "ex"))
    found = rules(stage="ongoing", now=at(4, 19), log=history)
    assert "one_a_day" not in found
    assert "too_soon" in found  # but your last message was only ten hours ago


def test_it_flags_starting_again_too_soon_across_midnight() -> None:
    # Talked late yesterday; a new opener early today is a new day but still too soon.
    history = log((at(3, 22), "you"), (at(3, 22, 30), "ex"))
    found = rules(stage="ongoing", now=at(4, 8), log=history)
    assert "too_soon" in found and "one_a_day" not in found


def test_a_day_later_is_a_good_pace() -> None:
    history = log((at(2, 19), "you"), (at(2, 19, 10), "ex"))
    result = review(GOOD, stage="ongoing", now=at(4, 12), log=history)
    assert result.verdict == "send"


def test_entries_in_the_future_are_ignored_and_order_does_not_matter() -> None:
    history = log((at(4, 9, 10), "ex"), (at(4, 9), "you"), (at(5, 9), "you"))
    assert "double_text" not in rules(stage="ongoing", now=at(4, 9, 15), log=history)


def test_the_first_stage_ignores_the_log() -> None:
    history = log((at(4, 9), "you"))
    assert "double_text" not in rules(now=at(4, 12), log=history)


def test_log_entries_can_be_objects() -> None:
    class Message:
        def __init__(self, at: datetime, sender: str) -> None:
            self.at, self.sender = at, sender

    found = rules(stage="ongoing", now=at(4, 12), log=[Message(at(4, 11), "you")])
    assert "double_text" in found


@pytest.mark.parametrize(
    "entry",
    [{"at": datetime(2026, 3, 4, 9), "sender": "you"}, {"at": at(4, 9), "sender": "mum"}],
)
def test_it_refuses_malformed_log_entries(entry: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        review("hi", stage="ongoing", now=at(4, 12), log=[entry])


def test_pacing_needs_now() -> None:
    history = log((at(4, 9), "you"))
    assert "double_text" not in rules(stage="ongoing", log=history)
    assert "double_text" in rules(stage="ongoing", log=history, now=at(4, 9) + timedelta(hours=1))
