"""The program's rules, table-driven, with no database: history in, status out."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from secondchance.program.history import (
    Activity,
    CheckIn,
    Contact,
    Conversation,
    History,
    Letter,
    Memory,
    NoContactPeriod,
    Profile,
    ReadinessCheck,
    Urge,
)
from secondchance.program.plan import status
from secondchance.program.progress import emotions_gate, is_slip, measures, slope, streaks

LONDON = "Europe/London"
NEW_YORK = "America/New_York"


def local(day: date, hour: int = 12, minute: int = 0, tz: str = LONDON) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(tz))


def profile(**overrides: object) -> Profile:
    values = {
        "name": "Alice",
        "ex_name": "Sam",
        "ex_pronouns": "he",
        "who_ended": "ex",
        "goal": "reconcile",
        "country": "GB",
        "timezone": LONDON,
        "no_contact_target_days": 21,
        "exercise_per_week": 3,
        "fun_per_week": 1,
        "positive_per_week": 4,
        "look_per_fortnight": 1,
    }
    values.update(overrides)
    return Profile(**values)


def period(start: datetime, ended: datetime | None = None, reason: str | None = None):
    return NoContactPeriod(started_at=start, ended_at=ended, end_reason=reason)


def texted(at: datetime) -> Contact:
    return Contact(at=at, direction="you_to_ex", channel="text", answered=None, note="")


def they_texted(at: datetime, answered: bool) -> Contact:
    return Contact(at=at, direction="ex_to_you", channel="text", answered=answered, note="")


START = date(2026, 11, 1)


@pytest.mark.parametrize(
    ("contacts", "today", "expected"),
    [
        pytest.param([], START, (0, 0, 0), id="the first day is day 0"),
        pytest.param([], START + timedelta(days=14), (14, 14, 14), id="two clean weeks"),
        pytest.param(
            [texted(local(START + timedelta(days=13), 22))],
            START + timedelta(days=20),
            (7, 12, 19),
            id="a slip on day 13 restarts the streak but keeps the days",
        ),
        pytest.param(
            [they_texted(local(START + timedelta(days=5), 20), answered=False)],
            START + timedelta(days=10),
            (10, 10, 10),
            id="an ignored message from the ex is not a slip",
        ),
        pytest.param(
            [they_texted(local(START + timedelta(days=5), 20), answered=True)],
            START + timedelta(days=10),
            (5, 5, 9),
            id="answering the ex is a slip",
        ),
        pytest.param(
            [
                texted(local(START + timedelta(days=3))),
                texted(local(START + timedelta(days=3), 23)),
            ],
            START + timedelta(days=10),
            (7, 7, 9),
            id="two slips on one day count as one day",
        ),
        pytest.param(
            [texted(local(START - timedelta(days=2)))],
            START + timedelta(days=4),
            (4, 4, 4),
            id="contact before the period began doesn't count",
        ),
    ],
)
def test_streaks_follow_the_rules(contacts, today, expected) -> None:
    now = local(today, 18)
    s = streaks(period(local(START, 9)), contacts, LONDON, now)
    assert (s.current, s.longest, s.total) == expected


def test_a_text_at_half_past_eleven_counts_for_that_local_day() -> None:
    # 23:30 in New York is already the next day in UTC; the slip belongs to the local day.
    start = local(START, 9, tz=NEW_YORK)
    slip = texted(local(START + timedelta(days=4), 23, 30, tz=NEW_YORK))
    s = streaks(period(start), [slip], NEW_YORK, local(START + timedelta(days=6), 8, tz=NEW_YORK))
    assert s.slips == (START + timedelta(days=4),)
    assert s.current == 2


def test_a_minute_past_midnight_is_a_new_day() -> None:
    start = local(START, 23, 59)
    assert streaks(period(start), [], LONDON, local(START, 23, 59)).current == 0
    assert streaks(period(start), [], LONDON, local(START + timedelta(days=1), 0, 1)).current == 1


def test_days_are_counted_right_across_a_daylight_saving_change() -> None:
    # Clocks went back in London on 2026-10-25: that Sunday had 25 hours, still one day.
    start = local(date(2026, 10, 24), 21)
    now = local(date(2026, 10, 26), 0, 30)
    assert streaks(period(start), [], LONDON, now).current == 2
    # And forward on 2026-03-29 (23 hours): a slip at 00:30 that day lands on the 29th.
    spring = streaks(
        period(local(date(2026, 3, 27))),
        [texted(datetime(2026, 3, 29, 0, 30, tzinfo=UTC))],
        LONDON,
        local(date(2026, 3, 31)),
    )
    assert spring.slips == (date(2026, 3, 29),)
    assert (spring.current, spring.longest) == (2, 2)


def test_backfilled_contact_changes_the_streak_from_history() -> None:
    now = local(START + timedelta(days=15))
    before = streaks(period(local(START)), [], LONDON, now)
    logged_late = texted(local(START + timedelta(days=9), 21))
    after = streaks(period(local(START)), [logged_late], LONDON, now)
    assert before.current == 15
    assert (after.current, after.longest, after.total) == (6, 8, 14)


def test_an_ended_period_stops_counting_at_its_end() -> None:
    ended = period(local(START), local(START + timedelta(days=25)), "recontact")
    s = streaks(ended, [], LONDON, local(START + timedelta(days=40)))
    assert s.current == 25


@pytest.mark.parametrize(
    ("direction", "answered", "slip"),
    [("you_to_ex", None, True), ("ex_to_you", False, False), ("ex_to_you", True, True)],
)
def test_what_counts_as_a_slip(direction, answered, slip) -> None:
    row = Contact(at=local(START), direction=direction, channel="call", answered=answered)
    assert is_slip(row) is slip


def checkin(day: date, mood: int, cried: bool | None = False, checks: int = 0) -> CheckIn:
    return CheckIn(
        day=day, mood=mood, emotions=[], cried=cried, social_checks=checks, slept_well=True
    )


def test_measures_use_only_the_last_seven_local_days() -> None:
    today = date(2026, 11, 20)
    rows = [
        checkin(today - timedelta(days=n), 5 + n % 2, cried=n == 1, checks=n) for n in range(10)
    ]
    urges = [
        Urge(at=local(today - timedelta(days=2)), intensity=5, outcome="resisted"),
        Urge(at=local(today - timedelta(days=3)), intensity=8, outcome="acted"),
        Urge(at=local(today - timedelta(days=8)), intensity=8, outcome="acted"),
    ]
    m = measures(rows, urges, LONDON, today)
    assert m.checkins == 7
    assert m.mood_average == pytest.approx((5 + 6 + 5 + 6 + 5 + 6 + 5) / 7)
    assert m.crying_days == 1
    assert m.social_checks_per_day == pytest.approx(3.0)
    assert (m.urges_resisted, m.urges_acted) == (1, 1)


def test_mood_trend_is_the_least_squares_slope() -> None:
    assert slope([(0, 2), (1, 4), (2, 6)]) == pytest.approx(2.0)
    assert slope([(0, 5)]) is None
    today = date(2026, 11, 20)
    rising = [checkin(today - timedelta(days=n), 8 - n) for n in range(5)]
    assert measures(rising, [], LONDON, today).mood_trend == pytest.approx(1.0)
    assert measures(rising[:2], [], LONDON, today).mood_trend is None  # too few to say


def good_weeks(today: date) -> list[Activity]:
    """Two weeks that meet every default target."""
    rows = []
    for week in range(2):
        base = today - timedelta(days=7 * week)
        rows += [Activity(day=base - timedelta(days=n), kind="exercise") for n in (0, 2, 4)]
        rows += [Activity(day=base - timedelta(days=n), kind="gratitude") for n in range(4)]
        rows.append(Activity(day=base - timedelta(days=1), kind="going_out"))
    rows.append(Activity(day=today - timedelta(days=3), kind="hair"))
    return rows


def calm_week(today: date) -> list[CheckIn]:
    return [checkin(today - timedelta(days=n), 7) for n in range(7)]


def ready_history(today: date, **changes: object) -> History:
    """A history that meets every gate at noon on ``today``."""
    values = {
        "profile": profile(),
        "periods": [period(local(today - timedelta(days=30)))],
        "checkins": calm_week(today),
        "activities": good_weeks(today),
        "readiness": [
            ReadinessCheck(
                at=local(today - timedelta(days=1)),
                answers={
                    "see_without_breaking_down": True,
                    "okay_without_reply": True,
                    "okay_with_new_partner": True,
                    "life_you_enjoy": True,
                    "keep_it_light": True,
                },
            )
        ],
        "memories": [Memory(kind="inside_joke", title="The goat at the wedding", tags=["goat"])],
    }
    values.update(changes)
    return History(**values)  # type: ignore[arg-type]


TODAY = date(2026, 11, 20)
NOON = local(TODAY)


def test_without_a_period_the_plan_is_to_start_no_contact() -> None:
    state = status(History(profile=profile()), NOON)
    assert (state.step, state.phase) == (1, "not_started")
    assert state.actions[0].key == "start_no_contact"
    assert "him" in state.actions[0].text
    assert not state.gates[0].met


def test_step_one_shows_day_n_of_the_target_and_the_next_actions() -> None:
    history = History(profile=profile(), periods=[period(local(TODAY - timedelta(days=12)))])
    state = status(history, NOON)
    assert state.step == 1
    assert state.gates[0].summary == "12 of 21 days: 9 to go."
    keys = [a.key for a in state.actions]
    assert keys[:2] == ["checkin", "hold_no_contact"]
    assert 1 <= len(state.actions) <= 3


def test_all_gates_met_unlocks_step_four_with_a_first_text_from_a_memory() -> None:
    state = status(ready_history(TODAY), NOON)
    assert [g.met for g in state.gates] == [True, True, True, True]
    assert (state.step, state.phase, state.step4_unlocked) == (4, "ready", True)
    assert any("goat" in a.text for a in state.actions)


@pytest.mark.parametrize(
    ("change", "step", "failing"),
    [
        pytest.param(
            {"periods": [period(local(TODAY - timedelta(days=13)))]},
            1,
            "contact_free_days",
            id="13 days is short of 21",
        ),
        pytest.param(
            {"checkins": [checkin(TODAY - timedelta(days=n), 4) for n in range(7)]},
            2,
            "mood_average",
            id="low mood holds step 2",
        ),
        pytest.param(
            {"checkins": calm_week(TODAY)[:3]},
            2,
            "checkins",
            id="three check-ins are too few to judge",
        ),
        pytest.param(
            {"checkins": [checkin(TODAY - timedelta(days=n), 7, checks=4) for n in range(7)]},
            2,
            "social_checks",
            id="checking the profile four times a day",
        ),
        pytest.param(
            {"checkins": [checkin(TODAY - timedelta(days=n), 3 + n) for n in range(7)]},
            2,
            "mood_trend",
            id="a falling mood holds step 2 even with a fine average",
        ),
        pytest.param(
            {"activities": good_weeks(TODAY)[:8]},
            3,
            "exercise",
            id="only one good week of self-focus",
        ),
        pytest.param({"readiness": []}, 4, "self_assessment", id="no readiness check yet"),
    ],
)
def test_each_gate_holds_the_step_and_says_why(change, step, failing) -> None:
    state = status(ready_history(TODAY, **change), NOON)
    assert state.step == step
    assert not state.step4_unlocked
    failed = [c.key for g in state.gates for c in g.checks if not c.met]
    assert failing in failed


def test_an_urge_acted_on_this_week_holds_step_two() -> None:
    urge = Urge(at=local(TODAY - timedelta(days=1)), intensity=9, outcome="acted")
    state = status(ready_history(TODAY, urges=[urge]), NOON)
    assert state.step == 2
    assert any(a.key == "plan_for_urges" for a in state.actions)


def test_a_readiness_check_with_a_no_does_not_unlock() -> None:
    answers = dict.fromkeys(
        [
            "see_without_breaking_down",
            "okay_without_reply",
            "okay_with_new_partner",
            "life_you_enjoy",
            "keep_it_light",
        ],
        True,
    )
    answers["see_without_breaking_down"] = False
    check = ReadinessCheck(at=local(TODAY - timedelta(days=1)), answers=answers)
    state = status(ready_history(TODAY, readiness=[check]), NOON)
    assert (state.step, state.step4_unlocked) == (4, False)
    assert any(a.key == "readiness_check" for a in state.actions)


def test_an_old_readiness_check_no_longer_counts() -> None:
    history = ready_history(TODAY)
    old = replace(history.readiness[0], at=local(TODAY - timedelta(days=15)))
    history = replace(history, readiness=[old])
    assert not status(history, NOON).step4_unlocked


def test_a_recent_slip_gets_a_kind_word_and_resets_to_step_one() -> None:
    slip = texted(local(TODAY - timedelta(days=1), 23))
    state = status(ready_history(TODAY, contacts=[slip]), NOON)
    assert state.step == 1
    kind = next(a for a in state.actions if a.key == "after_slip")
    assert "data, not failure" in kind.text
    assert "29 contact-free days still count" in kind.text


def test_the_move_on_path_turns_step_four_into_closure_with_milestones() -> None:
    history = ready_history(TODAY, profile=profile(goal="move_on"), readiness=[])
    state = status(history, NOON)
    assert (state.step, state.phase, state.step4_unlocked) == (4, "closure", False)
    assert state.step_title == "Close the chapter"
    assert any(a.key == "final_letter" for a in state.actions)
    reached = {m.key for m in state.milestones if m.reached}
    assert reached == {"days_7", "days_14", "days_30"}
    history = replace(history, letters=[Letter(kind="final", body="goodbye", title="")])
    after = status(history, NOON)
    assert any(a.key == "next_milestone" and "60 days" in a.text for a in after.actions)


def conversation(at: datetime, by: str, replied: bool = True, **kw: object) -> Conversation:
    values = {"messages": 6, "relationship_talk": False, "ended_by": None}
    values.update(kw)
    return Conversation(started_at=at, started_by=by, ex_replied=replied, **values)


def reconnected(conversations: list[Conversation]) -> History:
    ended = period(local(TODAY - timedelta(days=40)), local(TODAY - timedelta(days=5)), "recontact")
    return ready_history(TODAY, periods=[ended], conversations=conversations)


def test_after_recontact_pacing_says_one_conversation_a_day_and_let_them_reply() -> None:
    state = status(reconnected([conversation(local(TODAY, 9), "you", replied=False)]), NOON)
    assert state.phase == "reconnected"
    assert state.step == 4
    keys = [a.key for a in state.pacing]
    assert keys[:2] == ["one_a_day", "let_them_reply"]
    assert "Let he" not in " ".join(a.text for a in state.pacing)


def test_pacing_flags_relationship_talk_long_chats_and_one_sided_effort() -> None:
    log = [conversation(local(TODAY - timedelta(days=n), 20), "you") for n in (1, 2, 3, 4)]
    log.append(
        conversation(local(TODAY - timedelta(hours=1)), "ex", messages=45, relationship_talk=True)
    )
    keys = [a.key for a in status(reconnected(log), NOON).pacing]
    assert keys == ["no_relationship_talk", "end_while_fun", "let_them_start"]


def test_a_calm_pace_is_praised() -> None:
    log = [conversation(local(TODAY - timedelta(days=2)), "ex")]
    assert [a.key for a in status(reconnected(log), NOON).pacing] == ["good_pace"]


def test_messages_use_the_exs_pronouns() -> None:
    history = History(profile=profile(ex_pronouns="they"))
    text = status(history, NOON).actions[0].text
    assert "them room" in text
    she = status(History(profile=profile(ex_pronouns="she")), NOON)
    assert "her room" in she.actions[0].text


def test_status_to_dict_is_json_ready() -> None:
    import json

    data = status(ready_history(TODAY), NOON).to_dict()
    assert json.loads(json.dumps(data))["step"] == 4
    assert data["gates"][1]["checks"][1] == {
        "key": "mood_average",
        "label": "Average mood",
        "value": 7.0,
        "target": "6 or more",
        "met": True,
        "detail": "",
    }


def test_undecided_people_are_asked_to_decide_before_reaching_out() -> None:
    state = status(ready_history(TODAY, profile=profile(goal="undecided")), NOON)
    assert state.phase == "ready"
    keys = [a.key for a in state.actions]
    assert keys.index("decide") < keys.index("draft_first_text")
    assert "want him back" in state.actions[keys.index("decide")].text


def test_a_story_that_showed_abuse_turns_the_program_into_protection() -> None:
    state = status(ready_history(TODAY, protection=True), NOON)
    assert state.protection and state.phase == "closure"
    assert not state.step4_unlocked
    assert state.step_titles[0] == "Keep your distance, for you"
    assert state.step_titles[3] == "Your life, your safety"
    assert state.actions[0].key == "safety_first"
    everything = " ".join(a.text for a in state.actions) + " ".join(state.step_titles)
    assert "miss you" not in everything and "first text" not in everything


def test_protection_is_distance_even_after_reaching_out_before() -> None:
    ended = period(local(TODAY - timedelta(days=40)), local(TODAY - timedelta(days=5)), "recontact")
    state = status(ready_history(TODAY, periods=[ended], protection=True), NOON)
    assert state.phase == "not_started" and not state.pacing
    start = next(a for a in state.actions if a.key == "start_no_contact")
    assert "protects you" in start.text


def test_a_recent_crisis_keeps_help_in_view() -> None:
    state = status(ready_history(TODAY, recent_crisis=True), NOON)
    assert state.actions[0].key == "help_is_here"
    assert state.phase == "ready"  # the program itself is unchanged


def test_move_on_starts_without_talk_of_being_missed() -> None:
    state = status(History(profile=profile(goal="move_on")), NOON)
    assert "miss you" not in state.actions[0].text
    assert state.step_titles[3] == "Close the chapter"


# --------------------------------------------------------------------------- unanswered tears


def calm_gate(cried: list[bool | None]) -> tuple[object, object]:
    """The calm gate over a week of steady check-ins whose only difference is "Did you cry?"."""
    today = date(2026, 11, 20)
    rows = [checkin(today - timedelta(days=n), 7, cried=c) for n, c in enumerate(cried)]
    gate = emotions_gate(measures(rows, [], LONDON, today))
    return gate, next(c for c in gate.checks if c.key == "crying_days")


def test_an_unanswered_day_is_neither_a_crying_day_nor_a_dry_one() -> None:
    today = date(2026, 11, 20)
    rows = [checkin(today - timedelta(days=n), 7, cried=c) for n, c in enumerate([True, None])]
    m = measures(rows, [], LONDON, today)
    assert (m.checkins, m.crying_days, m.cry_answers) == (2, 1, 1)


def test_the_calm_gate_does_not_pass_on_no_answers_and_asks_for_them() -> None:
    gate, check = calm_gate([None] * 7)
    assert gate.met is False and check.met is False
    assert check.value is None
    assert check.detail == "Answer 'Did you cry?' on a few check-ins to see this"
    # Not a fail either: the gate's words ask for answers, not say the week went badly.
    assert gate.summary == "Nearly there: answer 'Did you cry?' on a few check-ins to see this."


def test_too_few_answers_say_how_many_were_answered() -> None:
    gate, check = calm_gate([False, False, None, None, None, None, None])
    assert gate.met is False and check.value is None
    assert check.detail.startswith("only 2 of 7 days answered")


def test_enough_answers_are_read_and_the_missing_days_are_named() -> None:
    gate, check = calm_gate([True, False, False, None, None, None, None])
    assert gate.met is True and check.met is True
    assert (check.value, check.detail) == (1, "1 of the 3 days you answered")


def test_tears_already_answered_above_the_bar_count_however_few_the_answers() -> None:
    gate, check = calm_gate([True, True, None, None, None, None, None])
    assert gate.met is False and check.met is False
    assert (check.value, check.detail) == (2, "2 of the 2 days you answered")
    assert gate.summary.startswith("Not yet")


def test_a_fully_answered_week_needs_no_detail() -> None:
    gate, check = calm_gate([False] * 7)
    assert gate.met is True and (check.value, check.detail) == (0, "")
