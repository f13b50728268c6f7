"""The reminder rule over plain data: time zones, daylight saving, quiet hours, protection."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from secondchance.program.reminders import (
    ReminderSettings,
    is_quiet,
    parse_hhmm,
    plan,
)

AUCKLAND = "Pacific/Auckland"
LOS_ANGELES = "America/Los_Angeles"
LONDON = "Europe/London"


def at(tz: str, year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A local wall-clock moment in ``tz``, as aware UTC (what ``now`` always is)."""
    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(tz)).astimezone(UTC)


def chosen(tz: str = LONDON, hhmm: str = "20:00", **more: object) -> ReminderSettings:
    quiet = more.pop("quiet", None)
    if quiet is not None:
        start, end = quiet  # type: ignore[misc]
        more["quiet_start"], more["quiet_end"] = parse_hhmm(start), parse_hhmm(end)
    return ReminderSettings(enabled=True, at=parse_hhmm(hhmm), timezone=tz, **more)  # type: ignore[arg-type]


def test_it_is_due_at_the_chosen_time_when_the_day_has_no_check_in() -> None:
    settings = chosen(LONDON, "20:00")
    before = plan(settings, at(LONDON, 2026, 11, 18, 19, 59), logged_today=False)
    assert not before.due and before.why == "later"
    assert before.next_at == at(LONDON, 2026, 11, 18, 20, 0)
    on_time = plan(settings, at(LONDON, 2026, 11, 18, 20, 0), logged_today=False)
    assert on_time.due and on_time.next_at == at(LONDON, 2026, 11, 18, 20, 0)
    late = plan(settings, at(LONDON, 2026, 11, 18, 22, 15), logged_today=False)
    assert late.due, "a scheduler that was down at 20:00 still sends later that evening"


def test_a_logged_day_gets_no_reminder_and_the_next_is_tomorrow() -> None:
    result = plan(chosen(LONDON, "20:00"), at(LONDON, 2026, 11, 18, 20, 30), logged_today=True)
    assert not result.due
    assert result.next_at == at(LONDON, 2026, 11, 19, 20, 0)


def test_it_comes_at_most_once_a_local_day() -> None:
    now = at(LONDON, 2026, 11, 18, 21, 0)
    result = plan(chosen(LONDON), now, logged_today=False, last_sent=date(2026, 11, 18))
    assert not result.due and result.next_at == at(LONDON, 2026, 11, 19, 20, 0)
    yesterday = plan(chosen(LONDON), now, logged_today=False, last_sent=date(2026, 11, 17))
    assert yesterday.due


def test_the_day_is_the_persons_own_day_in_auckland() -> None:
    # 08:00 UTC on 18 November is 21:00 on the 18th in Auckland (NZDT, +13) but 00:00 in London.
    now = datetime(2026, 11, 18, 8, 0, tzinfo=UTC)
    auckland = plan(chosen(AUCKLAND, "20:00"), now, logged_today=False)
    assert auckland.due
    # Sent for Auckland's 18th: the next is Auckland's 19th at 20:00, i.e. 07:00 UTC.
    again = plan(chosen(AUCKLAND), now, logged_today=False, last_sent=date(2026, 11, 18))
    assert again.next_at == datetime(2026, 11, 19, 7, 0, tzinfo=UTC)


def test_the_same_moment_is_morning_in_los_angeles_and_evening_in_auckland() -> None:
    now = datetime(2026, 11, 18, 17, 0, tzinfo=UTC)  # 09:00 in LA, 06:00 on the 19th in Auckland
    la = plan(chosen(LOS_ANGELES, "08:30"), now, logged_today=False)
    assert la.due
    nz = plan(chosen(AUCKLAND, "08:30"), now, logged_today=False)
    assert not nz.due and nz.next_at == at(AUCKLAND, 2026, 11, 19, 8, 30)


def test_daylight_saving_keeps_the_local_time_in_los_angeles() -> None:
    # Clocks go back on 1 November 2026 in LA: 20:00 is 03:00 UTC before and 04:00 UTC after.
    settings = chosen(LOS_ANGELES, "20:00")
    before = plan(settings, at(LOS_ANGELES, 2026, 10, 31, 12), logged_today=False)
    after = plan(settings, at(LOS_ANGELES, 2026, 11, 1, 12), logged_today=False)
    assert before.next_at == datetime(2026, 11, 1, 3, 0, tzinfo=UTC)
    assert after.next_at == datetime(2026, 11, 2, 4, 0, tzinfo=UTC)


def test_a_time_skipped_by_spring_forward_comes_just_after_the_jump() -> None:
    # 8 March 2026 in LA: 02:00 becomes 03:00, so 02:30 never happens that day.
    result = plan(
        chosen(LOS_ANGELES, "02:30"), at(LOS_ANGELES, 2026, 3, 8, 0, 0), logged_today=False
    )
    assert result.next_at is not None
    local = result.next_at.astimezone(ZoneInfo(LOS_ANGELES))
    assert local.date() == date(2026, 3, 8) and local.time() == time(3, 30)


def test_a_time_that_happens_twice_on_fall_back_comes_once() -> None:
    # 1 November 2026 in LA: 01:30 happens twice; the reminder goes at the first.
    settings = chosen(LOS_ANGELES, "01:30")
    first = plan(settings, at(LOS_ANGELES, 2026, 11, 1, 0, 0), logged_today=False)
    assert first.next_at == datetime(2026, 11, 1, 8, 30, tzinfo=UTC)  # 01:30 PDT
    second_pass = datetime(2026, 11, 1, 9, 30, tzinfo=UTC)  # 01:30 PST, the same wall time
    after_sending = plan(settings, second_pass, logged_today=False, last_sent=date(2026, 11, 1))
    assert not after_sending.due


def test_auckland_daylight_saving_starts_in_september() -> None:
    # 27 September 2026: Auckland goes from +12 to +13.
    settings = chosen(AUCKLAND, "19:00")
    result = plan(settings, at(AUCKLAND, 2026, 9, 26, 20), logged_today=True)
    assert result.next_at == datetime(2026, 9, 27, 6, 0, tzinfo=UTC)  # 19:00 NZDT


def test_never_during_quiet_hours_in_the_day() -> None:
    settings = chosen(LONDON, "13:00", quiet=("12:00", "14:00"))
    inside = plan(settings, at(LONDON, 2026, 11, 18, 13, 30), logged_today=False)
    assert not inside.due
    assert inside.next_at == at(LONDON, 2026, 11, 18, 14, 0), "waits for quiet hours to end"
    assert plan(settings, at(LONDON, 2026, 11, 18, 14, 0), logged_today=False).due


def test_quiet_hours_that_wrap_midnight() -> None:
    settings = chosen(LONDON, "21:00", quiet=("22:00", "07:00"))
    assert plan(settings, at(LONDON, 2026, 11, 18, 21, 30), logged_today=False).due
    late = plan(settings, at(LONDON, 2026, 11, 18, 22, 30), logged_today=False)
    assert not late.due, "quiet from 22:00: a missed evening reminder is not sent at night"
    assert late.next_at == at(LONDON, 2026, 11, 19, 21, 0)
    early = plan(settings, at(LONDON, 2026, 11, 19, 3, 0), logged_today=False)
    assert not early.due and early.next_at == at(LONDON, 2026, 11, 19, 21, 0)


def test_an_early_reminder_inside_wrapping_quiet_hours_waits_for_the_morning() -> None:
    settings = chosen(AUCKLAND, "06:00", quiet=("22:00", "07:30"))
    result = plan(settings, at(AUCKLAND, 2026, 11, 18, 5, 0), logged_today=False)
    assert result.next_at == at(AUCKLAND, 2026, 11, 18, 7, 30)


def test_a_time_always_inside_quiet_hours_never_comes_and_says_why() -> None:
    settings = chosen(LONDON, "23:00", quiet=("22:00", "07:00"))
    result = plan(settings, at(LONDON, 2026, 11, 18, 12), logged_today=False)
    assert result == result.__class__(False, None, "quiet")


def test_equal_quiet_start_and_end_mean_no_quiet_hours() -> None:
    settings = chosen(LONDON, "20:00", quiet=("20:00", "20:00"))
    assert plan(settings, at(LONDON, 2026, 11, 18, 20), logged_today=False).due


def test_never_in_protection_mode_unless_asked() -> None:
    now = at(LONDON, 2026, 11, 18, 20, 30)
    quiet = plan(chosen(LONDON, protection=True), now, logged_today=False)
    assert quiet == quiet.__class__(False, None, "protection")
    asked = plan(chosen(LONDON, protection=True, even_in_protection=True), now, logged_today=False)
    assert asked.due


def test_switched_off_nothing_comes() -> None:
    settings = ReminderSettings(enabled=False, at=time(20), timezone=LONDON)
    assert plan(settings, at(LONDON, 2026, 11, 18, 21), logged_today=False).why == "off"


@pytest.mark.parametrize("bad", ["", "8pm", "24:00", "7:5", "12:60", "20:00:00"])
def test_a_time_must_be_hh_mm(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_hhmm(bad)


TIMES = st.times().map(lambda t: t.replace(second=0, microsecond=0, tzinfo=None))
ZONES = st.sampled_from([AUCKLAND, LOS_ANGELES, LONDON, "Asia/Kolkata", "UTC"])
MOMENTS = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)
)


@given(
    zone=ZONES,
    wanted=TIMES,
    start=st.one_of(st.none(), TIMES),
    end=TIMES,
    now=MOMENTS,
    logged=st.booleans(),
)
def test_whatever_the_settings_a_reminder_is_never_quiet_early_or_on_a_logged_day(
    zone: str, wanted: time, start: time | None, end: time, now: datetime, logged: bool
) -> None:
    settings = ReminderSettings(
        enabled=True, at=wanted, timezone=zone, quiet_start=start, quiet_end=start and end
    )
    result = plan(settings, now, logged_today=logged)
    if result.next_at is None:
        assert result.why == "quiet"
        return
    local = result.next_at.astimezone(ZoneInfo(zone))
    assert result.next_at >= now
    assert not is_quiet(settings, local.time())
    chosen_that_day = datetime.combine(local.date(), wanted, tzinfo=ZoneInfo(zone))
    assert result.next_at >= chosen_that_day.astimezone(UTC)
    today = now.astimezone(ZoneInfo(zone)).date()
    if logged:
        assert local.date() > today
    assert result.due == (result.next_at == now)
    assert local.date() - today <= timedelta(days=3)
