"""Replies to what was logged, over plain data: each case, its boundaries, and protection."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from secondchance.program.replies import (
    CheckInEntry,
    ContactEntry,
    ConversationEntry,
    DaySeen,
    Person,
    UrgeEntry,
    reply_to_checkin,
    reply_to_contact,
    reply_to_conversation,
    reply_to_urge,
)

LONDON = "Europe/London"
TOKYO = "Asia/Tokyo"
DAY = date(2026, 11, 18)
SAM = Person("Sam", "he", LONDON)
SAM_PROTECTED = Person("Sam", "he", LONDON, protection=True)


def days_before(*moods_cried: tuple[int, bool]) -> list[DaySeen]:
    """Check-ins on the days before DAY, the first given being the day before."""
    return [
        DaySeen(DAY - timedelta(days=i + 1), mood, cried)
        for i, (mood, cried) in enumerate(moods_cried)
    ]


def all_words(reply) -> str:  # type: ignore[no-untyped-def]
    return " ".join([reply.title, reply.text, reply.try_now]).lower()


# --------------------------------------------------------------------------- check-ins


def test_it_answers_tears_three_days_running_with_the_crying_spiral() -> None:
    entry = CheckInEntry(DAY, mood=5, cried=True)
    reply = reply_to_checkin(entry, days_before((5, True), (5, True)), SAM)
    assert reply.kind == "crying_spiral"
    assert reply.title == "Tears 3 days running"
    assert "crying spiral" in reply.text and "Sam" in reply.text
    assert reply.try_now
    assert reply.link is not None and reply.link.href == "/lessons/crying-spiral"


def test_tears_and_many_looks_together_name_both() -> None:
    entry = CheckInEntry(DAY, mood=5, cried=True, social_checks=12)
    reply = reply_to_checkin(entry, days_before((5, True), (5, True)), SAM)
    assert reply.kind == "crying_spiral"
    assert "And 12 looks at his profile today: muting him for now" in reply.text
    assert [link.href for link in reply.links] == [
        "/lessons/crying-spiral",
        "/lessons/social-media",
    ]


def test_two_days_of_tears_is_not_yet_a_spiral() -> None:
    entry = CheckInEntry(DAY, mood=5, cried=True)
    reply = reply_to_checkin(entry, days_before((5, True), (5, False)), SAM)
    assert reply.kind == "acknowledge"


def test_a_day_without_a_check_in_breaks_the_run_of_tears() -> None:
    entry = CheckInEntry(DAY, mood=5, cried=True)
    gap = [DaySeen(DAY - timedelta(days=1), 5, True), DaySeen(DAY - timedelta(days=3), 5, True)]
    assert reply_to_checkin(entry, gap, SAM).kind == "acknowledge"


def test_tears_on_earlier_days_but_not_today_are_not_a_spiral_today() -> None:
    entry = CheckInEntry(DAY, mood=5, cried=False)
    reply = reply_to_checkin(entry, days_before((5, True), (5, True), (5, True)), SAM)
    assert reply.kind == "acknowledge"


def test_saving_a_day_again_counts_its_new_answers_not_the_old_ones() -> None:
    # The day's earlier check-in (no tears) is replaced by the entry (tears).
    earlier = [DaySeen(DAY, 5, False), *days_before((5, True), (5, True))]
    reply = reply_to_checkin(CheckInEntry(DAY, mood=5, cried=True), earlier, SAM)
    assert reply.kind == "crying_spiral"


@pytest.mark.parametrize(("checks", "kind"), [(1, "acknowledge"), (2, "social_checks")])
def test_profile_checks_above_the_aim_of_once_a_day_get_muting(checks: int, kind: str) -> None:
    reply = reply_to_checkin(CheckInEntry(DAY, mood=6, social_checks=checks), [], SAM)
    assert reply.kind == kind


def test_twelve_looks_get_muting_for_now_and_the_social_media_lesson() -> None:
    reply = reply_to_checkin(CheckInEntry(DAY, mood=6, social_checks=12), [], SAM)
    assert reply.title == "12 looks at his profile"
    assert "unfollowing him for now" in reply.text
    assert "Mute his profile" in reply.try_now
    assert reply.link is not None and reply.link.href == "/lessons/social-media"


def test_in_protection_profile_checks_are_answered_with_distance_for_safety() -> None:
    reply = reply_to_checkin(CheckInEntry(DAY, mood=6, social_checks=12), [], SAM_PROTECTED)
    assert "blocking" in reply.text and "safety" in reply.text
    assert "undone" not in reply.text


def test_a_low_week_gets_gentle_self_care() -> None:
    entry = CheckInEntry(DAY, mood=3)
    reply = reply_to_checkin(entry, days_before((2, False), (4, False), (3, False)), SAM)
    assert reply.kind == "low_mood_week"
    assert [link.href for link in reply.links] == ["/lessons/self-care"]


def test_most_days_low_is_a_low_week_even_when_one_day_lifts_the_average() -> None:
    # Average (3 + 2 + 9 + 3) / 4 = 4.25, but three of four days were at 3 or below.
    entry = CheckInEntry(DAY, mood=3)
    reply = reply_to_checkin(entry, days_before((2, False), (9, False), (3, False)), SAM)
    assert reply.kind == "low_mood_week"


@pytest.mark.parametrize(
    ("earlier", "kind"),
    [
        ([(3, False)], "acknowledge"),  # two check-ins are not yet a week to read
        ([(3, False), (3, False)], "low_mood_week"),  # three are
        ([(4, False), (4, False)], "acknowledge"),  # 3, 4, 4: average above 3, most above 3
    ],
)
def test_a_low_week_needs_three_check_ins_at_or_below_three(
    earlier: list[tuple[int, bool]], kind: str
) -> None:
    reply = reply_to_checkin(CheckInEntry(DAY, mood=3), days_before(*earlier), SAM)
    assert reply.kind == kind


def test_a_steady_day_is_never_answered_as_a_low_week() -> None:
    entry = CheckInEntry(DAY, mood=7)
    reply = reply_to_checkin(entry, days_before((1, False), (1, False), (1, False)), SAM)
    assert reply.kind == "acknowledge"


def test_a_second_low_week_offers_the_help_page_kindly() -> None:
    two_weeks = days_before(*[(2, False)] * 13)
    reply = reply_to_checkin(CheckInEntry(DAY, mood=2), two_weeks, SAM)
    assert reply.kind == "low_mood_weeks"
    assert [link.href for link in reply.links] == ["/help", "/lessons/self-care"]
    assert "you don't have to carry it on your own" in reply.text


def test_a_low_week_after_a_good_one_is_just_a_low_week() -> None:
    earlier = days_before(*[(2, False)] * 6, *[(7, False)] * 7)
    assert reply_to_checkin(CheckInEntry(DAY, mood=2), earlier, SAM).kind == "low_mood_week"


def test_an_ordinary_check_in_is_acknowledged_with_what_it_says() -> None:
    entry = CheckInEntry(DAY, mood=7, emotions=("calm", "hopeful"), social_checks=0)
    reply = reply_to_checkin(entry, [], SAM)
    assert reply.kind == "acknowledge"
    assert reply.text.startswith(
        "Mood 7 of 10, feeling calm and hopeful, no looks at his profile and a good night's sleep."
    )
    assert "thank you for showing up" not in all_words(reply)
    assert reply.link is None


def test_a_hard_day_and_a_rough_night_are_named_gently() -> None:
    reply = reply_to_checkin(CheckInEntry(DAY, mood=2, social_checks=1, slept_well=False), [], SAM)
    assert reply.title == "A hard day, and you still checked in"
    assert "a rough night" in reply.text
    assert "early night" in reply.try_now


def test_pronouns_follow_the_person() -> None:
    jo = Person("Jo", "she", LONDON)
    reply = reply_to_checkin(CheckInEntry(DAY, mood=6, social_checks=4), [], jo)
    assert reply.title == "4 looks at her profile"


# --------------------------------------------------------------------------- urges


def at_local(hour: int, minute: int, tz: str = LONDON) -> datetime:
    return datetime(2026, 11, 18, hour, minute, tzinfo=ZoneInfo(tz)).astimezone(UTC)


@pytest.mark.parametrize(
    ("hour", "minute", "kind"),
    [
        (21, 59, "urge_resisted"),
        (22, 0, "late_urge"),
        (23, 30, "late_urge"),
        (4, 59, "late_urge"),
        (5, 0, "urge_resisted"),
    ],
)
def test_an_urge_from_ten_at_night_gets_the_weak_moment_plan(
    hour: int, minute: int, kind: str
) -> None:
    reply = reply_to_urge(UrgeEntry(at_local(hour, minute), 7, "resisted"), SAM)
    assert reply.kind == kind
    if kind == "late_urge":
        assert f"It was {hour:02d}:{minute:02d}" in reply.text
        assert reply.link is not None and reply.link.href == "/lessons/weak-moments"


def test_late_is_late_in_the_persons_own_time_zone() -> None:
    # 13:30 in London is 22:30 in Tokyo.
    moment = at_local(13, 30)
    assert reply_to_urge(UrgeEntry(moment, 6, "resisted"), SAM).kind == "urge_resisted"
    tokyo = Person("Sam", "he", TOKYO)
    reply = reply_to_urge(UrgeEntry(moment, 6, "resisted"), tokyo)
    assert reply.kind == "late_urge" and "It was 22:30" in reply.text


def test_an_urge_ridden_out_by_day_names_how_strong_and_what_set_it_off() -> None:
    reply = reply_to_urge(UrgeEntry(at_local(15, 0), 8, "resisted", "our song on the radio"), SAM)
    assert reply.title == "You rode it out"
    assert (
        "This one was an 8 out of 10" in reply.text
        and "\u201cour song on the radio\u201d" in reply.text
    )


def test_an_urge_acted_on_late_is_met_kindly_with_the_plan_for_tonight() -> None:
    reply = reply_to_urge(UrgeEntry(at_local(23, 15), 9, "acted"), SAM)
    assert reply.kind == "late_urge"
    assert "that's okay" in reply.text and "phone" in reply.try_now


def test_in_protection_an_urge_acted_on_points_to_safety() -> None:
    reply = reply_to_urge(UrgeEntry(at_local(15, 0), 9, "acted"), SAM_PROTECTED)
    assert "safe" in reply.text
    assert reply.link is not None and reply.link.href == "/help"


# --------------------------------------------------------------------------- contact


def contact(**changes: object) -> ContactEntry:
    values: dict = {
        "at": at_local(15, 0),
        "direction": "you_to_ex",
        "channel": "text",
        "answered": None,
        "counts_as_slip": True,
        "longest_run": 9,
        "total_days": 12,
    }
    return ContactEntry(**{**values, **changes})


def test_a_slip_gets_kind_words_the_longest_run_and_what_next() -> None:
    reply = reply_to_contact(contact(), SAM)
    assert reply.kind == "slip"
    assert "Your longest run, 9 days without contact, is still yours" in reply.text
    assert "all 12 contact-free days still count" in reply.text
    assert "data, not failure" in reply.title
    assert reply.link is not None and reply.link.href == "/lessons/slips"
    for harsh in ("fail", "should", "ruined", "wrong"):
        assert harsh not in reply.text.lower()


def test_a_slip_on_the_first_day_has_no_run_to_name_yet() -> None:
    reply = reply_to_contact(contact(longest_run=0, total_days=0), SAM)
    assert "Every contact-free day from here counts." in reply.text


def test_a_slip_in_protection_gets_safety_first_and_never_coaching() -> None:
    reply = reply_to_contact(contact(), SAM_PROTECTED)
    assert reply.kind == "slip_protection"
    assert "safe" in reply.text and "9 days" in reply.text
    assert [link.href for link in reply.links] == ["/help"]
    words = all_words(reply)
    for coaching in ("win", "back together", "miss you", "streak", "mute"):
        assert coaching not in words


def test_a_message_let_be_is_not_a_slip_and_says_so() -> None:
    reply = reply_to_contact(
        contact(direction="ex_to_you", answered=False, counts_as_slip=False, channel="call"), SAM
    )
    assert reply.kind == "let_be"
    assert reply.text.startswith("Sam reached out by a call and you let it be.")


def test_contact_outside_a_period_is_noted_plainly() -> None:
    reply = reply_to_contact(contact(counts_as_slip=False, channel="in_person"), SAM)
    assert reply.kind == "contact_noted" and "in person" in reply.text


# --------------------------------------------------------------------------- conversations


def test_no_reply_yet_says_what_to_do_while_waiting() -> None:
    reply = reply_to_conversation(ConversationEntry("you", 1, ex_replied=False), SAM)
    assert reply.kind == "no_reply"
    assert "Don't send another message" in reply.try_now


def test_the_relationship_coming_up_is_met_with_keeping_it_light() -> None:
    reply = reply_to_conversation(ConversationEntry("you", 8, relationship_talk=True), SAM)
    assert reply.kind == "relationship_talk"


@pytest.mark.parametrize(("messages", "kind"), [(30, "good_pace"), (31, "long_conversation")])
def test_a_long_conversation_is_told_to_end_while_it_is_fun(messages: int, kind: str) -> None:
    assert reply_to_conversation(ConversationEntry("you", messages), SAM).kind == kind


def test_a_short_chat_you_ended_is_the_pace() -> None:
    reply = reply_to_conversation(ConversationEntry("you", 6, ended_by="you"), SAM)
    assert reply.text.startswith("6 messages, and you ended it: that's the pace.")


def test_a_conversation_the_ex_started_says_so() -> None:
    reply = reply_to_conversation(ConversationEntry("ex", 4), SAM)
    assert reply.title == "Sam started this one"


def test_the_reply_as_data_has_the_link_href_first() -> None:
    data = reply_to_contact(contact(), SAM).to_dict()
    assert data["link"] == "/lessons/slips"
    assert data["links"] == [{"href": "/lessons/slips", "label": "Read: after a slip"}]
    assert set(data) == {"kind", "title", "text", "try_now", "link", "links"}
