"""Insights: the numbers behind the charts, on known data, on both databases."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from secondchance.services.checkins import CheckInInput, save_checkin
from secondchance.services.contact import log_contact, log_urge, start_no_contact
from secondchance.services.errors import InputError
from secondchance.services.insights import MIN_DAYS_TO_COMPARE, insights
from secondchance.services.selfcare import log_activity

# conftest's NOW is 2026-11-18 15:00 UTC; alice lives in London, so today is 18 November.
TODAY = date(2026, 11, 18)


def checkin(session, user, now, day: date, mood: int, **more):  # type: ignore[no-untyped-def]
    save_checkin(session, user, CheckInInput(mood=mood, day=day, **more), now)


def test_the_seven_day_average_is_the_mean_of_the_check_ins_in_the_last_seven_days(
    session, alice, now
) -> None:
    # Moods on the 1st..10th of November, one missing day (the 5th) that must not count as 0.
    moods = {1: 2, 2: 4, 3: 6, 4: 8, 6: 3, 7: 5, 8: 7, 9: 9, 10: 1}
    for day, mood in moods.items():
        checkin(session, alice, now, date(2026, 11, day), mood)
    found = insights(session, alice, now, 30)
    by_day = {p.day: p for p in found.mood}
    # 7 Nov: 1st..7th -> 2, 4, 6, 8, 3, 5 (no 5th) = 28 / 6
    assert by_day[date(2026, 11, 7)].average == pytest.approx(28 / 6)
    # 10 Nov: 4th..10th -> 8, 3, 5, 7, 9, 1 = 33 / 6
    assert by_day[date(2026, 11, 10)].average == pytest.approx(33 / 6)
    assert by_day[date(2026, 11, 5)].mood is None
    # 17 Nov: the window 11th..17th holds no check-in, so there is no average to draw.
    assert by_day[date(2026, 11, 17)].average is None
    # 18 Nov is today, the last point; the range is 30 days, oldest first.
    assert [found.mood[0].day, found.mood[-1].day] == [TODAY - timedelta(days=29), TODAY]
    assert len(found.mood) == 30


def test_check_ins_just_before_the_range_feed_its_first_averages(session, alice, now) -> None:
    start = TODAY - timedelta(days=6)  # a 7-day range
    checkin(session, alice, now, start - timedelta(days=1), 10)
    checkin(session, alice, now, start, 4)
    found = insights(session, alice, now, 7)
    assert found.mood[0].mood == 4 and found.mood[0].average == 7
    assert all(p.day >= start for p in found.mood)


def test_urges_are_counted_per_local_day_resisted_and_acted(session, alice, now) -> None:
    # 23:30 London on the 16th is still the 16th; 00:30 on the 17th is the 17th.
    late = now.replace(day=16, hour=23, minute=30)
    log_urge(session, alice, now, intensity=7, at=late)
    log_urge(session, alice, now, intensity=9, outcome="acted", at=late - timedelta(hours=2))
    log_urge(session, alice, now, intensity=3, at=late + timedelta(hours=1))
    found = insights(session, alice, now, 7)
    by_day = {u.day: (u.resisted, u.acted) for u in found.urges}
    assert by_day[date(2026, 11, 16)] == (1, 1)
    assert by_day[date(2026, 11, 17)] == (1, 0)
    assert sum(r + a for r, a in by_day.values()) == 3


def test_profile_checks_come_from_check_ins_and_a_missing_day_is_not_zero(
    session, alice, now
) -> None:
    checkin(session, alice, now, TODAY, 6, social_checks=4)
    checkin(session, alice, now, TODAY - timedelta(days=2), 6, social_checks=0)
    social = {s.day: s.checks for s in insights(session, alice, now, 7).social}
    assert social[TODAY] == 4
    assert social[TODAY - timedelta(days=2)] == 0
    assert social[TODAY - timedelta(days=1)] is None


def test_the_timeline_marks_the_start_each_contact_free_day_and_slips(session, alice, now) -> None:
    started = now - timedelta(days=10)
    start_no_contact(session, alice, now, started_at=started)
    log_contact(
        session, alice, now, direction="you_to_ex", channel="text", at=now - timedelta(days=4)
    )
    # An ignored message from the ex is not a slip, so it leaves no mark.
    log_contact(
        session, alice, now, direction="ex_to_you", channel="call", at=now - timedelta(days=2)
    )
    line = insights(session, alice, now, 30).timeline
    kinds = [d.kind for d in line.days]
    assert line.started_on == TODAY - timedelta(days=10)
    assert len(kinds) == 11 and kinds[0] == "start"
    assert kinds.count("slip") == 1 and line.days[6].kind == "slip"
    # The same counts as Today: 5 days before the slip, 4 after it.
    assert (line.current, line.longest, line.total, line.slips) == (4, 5, 9, 1)


def test_there_is_no_timeline_before_no_contact_starts(session, alice, now) -> None:
    line = insights(session, alice, now).timeline
    assert line.started_on is None and line.days == ()


def test_better_days_compare_mood_with_and_without_each_activity(session, alice, now) -> None:
    # Exercise on three days with moods 8, 7, 9; no exercise on four days with 4, 5, 3, 4.
    for offset, mood in enumerate([8, 7, 9, 4, 5, 3, 4]):
        day = TODAY - timedelta(days=offset)
        checkin(session, alice, now, day, mood)
        if offset < 3:
            log_activity(session, alice, now, kind="exercise", day=day)
    # Gratitude once: too few days to say anything yet.
    log_activity(session, alice, now, kind="gratitude", day=TODAY)
    # An activity on a day without a check-in says nothing about mood either way.
    log_activity(session, alice, now, kind="exercise", day=TODAY - timedelta(days=20))
    found = {c.kind: c for c in insights(session, alice, now, 30).better_days}
    exercise = found["exercise"]
    assert (exercise.days_with, exercise.days_without) == (3, 4)
    assert exercise.mood_with == pytest.approx(8) and exercise.mood_without == pytest.approx(4)
    assert exercise.enough and exercise.difference == pytest.approx(4)
    assert found["gratitude"].days_with == 1 and not found["gratitude"].enough
    assert "going_out" not in found  # never logged: not compared
    assert MIN_DAYS_TO_COMPARE == 3


def test_bob_sees_none_of_alice_s_days(session, alice, bob, now) -> None:
    checkin(session, alice, now, TODAY, 9, social_checks=3)
    log_urge(session, alice, now, intensity=5)
    start_no_contact(session, alice, now)
    found = insights(session, bob, now)
    assert all(p.mood is None for p in found.mood)
    assert all(u.resisted == u.acted == 0 for u in found.urges)
    assert found.timeline.started_on is None


@pytest.mark.parametrize("days", [0, 6, 366, "many"])
def test_a_range_outside_a_week_to_a_year_is_refused(session, alice, now, days) -> None:
    with pytest.raises(InputError) as error:
        insights(session, alice, now, days)  # type: ignore[arg-type]
    assert error.value.field == "days"
