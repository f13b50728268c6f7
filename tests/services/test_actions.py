"""Every action against the real database (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from secondchance.models import CheckIn, Letter, Memory, Profile
from secondchance.services.checkins import CheckInInput, save_checkin
from secondchance.services.contact import log_contact, log_urge, start_no_contact
from secondchance.services.errors import InputError, NoProfile, NotFound
from secondchance.services.letters import list_letters, open_letter, write_letter
from secondchance.services.memories import add_memory, list_memories, remove_memory
from secondchance.services.people import (
    ProfileInput,
    get_or_create_user,
    owned,
    save_profile,
    set_targets,
)
from secondchance.services.reconnect import log_conversation, take_readiness_check
from secondchance.services.selfcare import log_activity
from secondchance.services.status import current_status

ALL_YES = {
    "see_without_breaking_down": True,
    "okay_without_reply": True,
    "okay_with_new_partner": True,
    "life_you_enjoy": True,
    "keep_it_light": True,
}


def test_it_creates_a_profile_with_the_programs_defaults(session, now) -> None:
    user = get_or_create_user(session, "carol", now)
    profile = save_profile(session, user, ProfileInput(name="Carol", ex_name="Dee"), now)
    assert profile.no_contact_target_days == 21
    assert (profile.exercise_per_week, profile.fun_per_week) == (3, 1)
    assert (profile.positive_per_week, profile.look_per_fortnight) == (4, 1)


def test_it_updates_only_the_fields_given(session, alice, now) -> None:
    save_profile(session, alice, ProfileInput(goal="move_on"), now)
    profile = session.get(Profile, alice.id)
    assert (profile.goal, profile.ex_name) == ("move_on", "Sam")


@pytest.mark.parametrize(
    ("change", "field", "says"),
    [
        ({"no_contact_target_days": 10}, "no_contact_target_days", "at least 14 days"),
        ({"breakup_date": "2026-02-30"}, "breakup_date", "real date"),
        ({"breakup_date": "2027-01-01"}, "breakup_date", "hasn't happened yet"),
        ({"ex_pronouns": "it"}, "ex_pronouns", "he, she, they"),
        ({"goal": "revenge"}, "goal", "reconcile, move_on, undecided"),
        ({"timezone": "Mars/Olympus"}, "timezone", "unknown time zone"),
        ({"country": "Britain"}, "country", "two-letter code"),
        ({"name": "   "}, "name", "can't be empty"),
    ],
)
def test_it_refuses_bad_profile_answers_with_the_reason(session, alice, now, change, field, says):
    with pytest.raises(InputError) as error:
        save_profile(session, alice, ProfileInput(**change), now)
    assert error.value.field == field
    assert says in error.value.message


def test_a_new_profile_needs_both_names(session, now) -> None:
    user = get_or_create_user(session, "dan", now)
    with pytest.raises(InputError, match="ex_name"):
        save_profile(session, user, ProfileInput(name="Dan"), now)


def test_actions_before_init_say_to_start_with_init(session, now) -> None:
    user = get_or_create_user(session, "eve", now)
    with pytest.raises(NoProfile, match="secondchance init"):
        log_urge(session, user, now, intensity=5)


def test_only_one_no_contact_period_runs_at_a_time(session, alice, now) -> None:
    start_no_contact(session, alice, now - timedelta(days=3), started_at=now - timedelta(days=3))
    with pytest.raises(InputError, match="already running"):
        start_no_contact(session, alice, now)


def test_a_future_start_is_refused(session, alice, now) -> None:
    with pytest.raises(InputError, match="future"):
        start_no_contact(session, alice, now, started_at=now + timedelta(days=1))


def test_a_slip_is_reported_and_an_ignored_message_is_not(session, alice, now) -> None:
    start_no_contact(session, alice, now, started_at=now - timedelta(days=5))
    _, ignored = log_contact(
        session,
        alice,
        now,
        direction="ex_to_you",
        channel="text",
        answered=True,
        at=now - timedelta(days=4),
    )
    _, slip = log_contact(session, alice, now, direction="you_to_ex", channel="call")
    _, not_slip = log_contact(
        session, alice, now, direction="ex_to_you", channel="social_media", answered=False
    )
    assert (ignored, slip, not_slip) == (True, True, False)
    s = current_status(session, alice, now).streaks
    assert (s.current, len(s.slips)) == (0, 2)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"direction": "sideways", "channel": "text"}, "direction"),
        ({"direction": "you_to_ex", "channel": "pigeon"}, "channel"),
    ],
)
def test_contact_with_unknown_choices_is_refused(session, alice, now, kwargs, field) -> None:
    with pytest.raises(InputError) as error:
        log_contact(session, alice, now, **kwargs)
    assert error.value.field == field


@pytest.mark.parametrize("intensity", [0, 11, -3, "high"])
def test_urge_intensity_must_be_one_to_ten(session, alice, now, intensity) -> None:
    with pytest.raises(InputError, match="intensity"):
        log_urge(session, alice, now, intensity=intensity)


def test_one_checkin_per_local_day_and_editing_replaces_it(session, alice, now) -> None:
    first, replaced = save_checkin(session, alice, CheckInInput(mood=4, emotions=["sad"]), now)
    second, replaced_again = save_checkin(
        session, alice, CheckInInput(mood=6, emotions=["Calm", "hopeful", "calm"]), now
    )
    assert (replaced, replaced_again) == (False, True)
    assert first.id == second.id
    rows = session.scalars(select(CheckIn).where(CheckIn.user_id == alice.id)).all()
    assert [(r.mood, r.emotions) for r in rows] == [(6, ["calm", "hopeful"])]


def test_past_days_can_be_filled_in_but_not_future_ones(session, alice, now) -> None:
    row, _ = save_checkin(session, alice, CheckInInput(mood=5, day="2026-11-10"), now)
    assert row.day == date(2026, 11, 10)
    with pytest.raises(InputError, match="hasn't happened yet"):
        save_checkin(session, alice, CheckInInput(mood=5, day="2026-11-19"), now)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (CheckInInput(mood=11), "mood"),
        (CheckInInput(mood=0), "mood"),
        (CheckInInput(mood=5, social_checks=-1), "social_checks"),
        (CheckInInput(mood=5, emotions=["hangry"]), "emotions"),
        (CheckInInput(mood=5, day="2026-13-01"), "day"),
    ],
)
def test_bad_checkins_are_refused_and_nothing_is_saved(session, alice, now, data, field):
    with pytest.raises(InputError) as error:
        save_checkin(session, alice, data, now)
    assert error.value.field == field
    assert session.scalar(select(func.count()).select_from(CheckIn)) == 0


def test_the_checkin_day_is_the_persons_local_day(session, person, now) -> None:
    # 15:00 UTC is already 00:00 the next day in Tokyo (UTC+9 at 15:00 -> 00:00).
    kenji = person("kenji", timezone="Asia/Tokyo")
    row, _ = save_checkin(session, kenji, CheckInInput(mood=6), now)
    assert row.day == date(2026, 11, 19)


def test_sealed_letters_stay_closed_until_their_day(session, alice, now) -> None:
    sealed = write_letter(session, alice, now, body="Open me later", sealed_until="2026-12-01")
    with pytest.raises(InputError, match="sealed until"):
        open_letter(session, alice, sealed.id, now)
    later = now + timedelta(days=13)
    assert open_letter(session, alice, sealed.id, later).body == "Open me later"


def test_a_seal_date_must_be_in_the_future(session, alice, now) -> None:
    with pytest.raises(InputError, match="after today"):
        write_letter(session, alice, now, body="x", sealed_until="2026-11-18")


def test_bob_can_never_read_or_remove_alices_things(session, alice, bob, now) -> None:
    letter = write_letter(session, alice, now, body="private words")
    memory = add_memory(session, alice, now, title="Lisbon")
    with pytest.raises(NotFound):
        open_letter(session, bob, letter.id, now)
    with pytest.raises(NotFound):
        remove_memory(session, bob, memory.id)
    with pytest.raises(NotFound):
        owned(session, Letter, 99_999, alice)
    assert list_letters(session, bob) == []
    assert list_memories(session, bob) == []
    assert session.get(Memory, memory.id) is not None


def test_memories_keep_tags_tidy(session, alice, now) -> None:
    row = add_memory(
        session,
        alice,
        now,
        title="Goat",
        tags=["Goat", " wedding ", "goat", ""],
        kind="inside_joke",
    )
    assert row.tags == ["goat", "wedding"]
    remove_memory(session, alice, row.id)
    assert list_memories(session, alice) == []


def test_activities_must_be_a_known_kind(session, alice, now) -> None:
    assert log_activity(session, alice, now, kind="going-out").kind == "going_out"
    with pytest.raises(InputError, match="kind"):
        log_activity(session, alice, now, kind="doomscrolling")


def test_targets_can_be_changed_within_reason(session, alice, now) -> None:
    profile = set_targets(session, alice, {"exercise": 5, "look": 2}, now)
    assert (profile.exercise_per_week, profile.look_per_fortnight) == (5, 2)
    with pytest.raises(InputError):
        set_targets(session, alice, {"exercise": 99}, now)
    with pytest.raises(InputError, match="unknown target"):
        set_targets(session, alice, {"naps": 3}, now)


def test_readiness_needs_every_answer(session, alice, now) -> None:
    with pytest.raises(InputError, match="answer each"):
        take_readiness_check(session, alice, now, {"keep_it_light": True})
    _, passed = take_readiness_check(session, alice, now, ALL_YES)
    assert passed


def test_conversations_wait_until_step_four_is_open(session, alice, now) -> None:
    start_no_contact(session, alice, now, started_at=now - timedelta(days=3))
    with pytest.raises(InputError, match="isn't open yet"):
        log_conversation(session, alice, now, started_by="you", messages=3)


def test_move_on_means_no_conversations(session, person, now) -> None:
    mo = person("mo", goal="move_on")
    with pytest.raises(InputError, match="closure"):
        log_conversation(session, mo, now, started_by="you", messages=3)


def test_the_first_conversation_ends_no_contact_and_pacing_begins(session, alice, now) -> None:
    from secondchance.services.demo import fill_demo

    fill_demo(session, alice, now)
    assert current_status(session, alice, now).phase == "ready"
    log_conversation(session, alice, now, started_by="you", messages=4, ex_replied=False)
    state = current_status(session, alice, now)
    assert state.phase == "reconnected"
    assert state.streaks.current >= 21  # the achievement stays in history
    assert [a.key for a in state.pacing][:2] == ["one_a_day", "let_them_reply"]


def test_the_demo_is_six_weeks_with_a_slip_and_ends_ready(session, alice, now) -> None:
    from secondchance.services.demo import fill_demo

    fill_demo(session, alice, now)
    state = current_status(session, alice, now)
    assert state.step == 4 and state.step4_unlocked
    assert len(state.streaks.slips) == 1
    assert state.streaks.slips[0] < state.today - timedelta(days=34)
    assert state.measures.mood_average >= 7


def test_a_refused_target_changes_none_of_them(session, alice, now) -> None:
    with pytest.raises(InputError):
        set_targets(session, alice, {"exercise": 5, "fun": 99}, now)
    assert session.get(Profile, alice.id).exercise_per_week == 3


ABUSE_STORY = (
    "We were together two years. He checked my phone every night, told me my friends were bad "
    "for me until I stopped seeing them, and last month he hit me. I left two weeks ago."
)


def test_a_story_with_abuse_makes_today_about_safety(session, alice, now) -> None:
    from secondchance.services.stories import tell_story

    told = tell_story(session, alice, ABUSE_STORY, now)
    assert told.story is not None and told.story.abuse
    state = current_status(session, alice, now)
    assert state.protection and state.actions[0].key == "safety_first"
    with pytest.raises(InputError, match="about your safety"):
        log_conversation(session, alice, now, started_by="you", messages=2)


def test_a_checkin_left_unanswered_stays_unknown_and_can_be_cleared_again(
    session, alice, now
) -> None:
    row, _ = save_checkin(session, alice, CheckInInput(mood=5), now)
    assert (row.cried, row.slept_well) == (None, None)
    row, _ = save_checkin(session, alice, CheckInInput(mood=5, cried=True, slept_well=False), now)
    assert (row.cried, row.slept_well) == (True, False)
    row, _ = save_checkin(session, alice, CheckInInput(mood=5, cried=None), now)
    session.expire_all()
    assert session.get(CheckIn, row.id).cried is None
