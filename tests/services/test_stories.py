"""The story service: keeping a story, reading it again, and taking its plan, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from secondchance.models import NoContactPeriod, Profile, Story
from secondchance.services.contact import start_no_contact
from secondchance.services.errors import InputError
from secondchance.services.stories import (
    MAX_STORY,
    latest_reading,
    latest_story,
    save_story,
    tell_story,
    use_plan,
)

# Written for these tests; any likeness to a real post is chance.
STORY = (
    "We broke up two months ago after three years together. He ended it on a Sunday "
    "night and said he needed space. Now he has a new girlfriend and I keep seeing her "
    "in his photos. Last week I drunk texted him at 2am and he never answered."
)


def stories_of(session, user) -> int:  # type: ignore[no-untyped-def]
    return session.scalar(select(func.count()).select_from(Story).where(Story.user_id == user.id))


def test_it_keeps_a_story_and_reads_it_again_later(session, alice, now) -> None:
    told = tell_story(session, alice, STORY, now)
    assert told.story is not None and told.reading.is_story
    again = latest_reading(session, alice, now + timedelta(days=1))
    assert again is not None and again.story.id == told.story.id
    assert again.reading.facts.days_since_breakup == told.reading.facts.days_since_breakup
    assert "mistake.drunk_texting" in {e.about for e in again.reading.evidence}


def test_the_latest_story_is_the_one_read(session, alice, now) -> None:
    save_story(session, alice, "We broke up last year.", now - timedelta(days=3))
    newer = save_story(session, alice, STORY, now)
    assert latest_story(session, alice).id == newer.id


def test_a_greeting_is_read_but_not_kept(session, alice, now) -> None:
    told = tell_story(session, alice, "hi", now)
    assert told.story is None and not told.reading.is_story
    assert stories_of(session, alice) == 0
    assert latest_reading(session, alice, now) is None


def test_words_of_crisis_are_kept_even_when_they_are_not_a_story(session, alice, now) -> None:
    told = tell_story(session, alice, "I don't want to be alive anymore.", now)
    assert told.reading.safety.crisis and told.story is not None


def test_reading_without_saving_keeps_nothing(session, alice, now) -> None:
    told = tell_story(session, alice, STORY, now, save=False)
    assert told.story is None and told.reading.is_story
    assert stories_of(session, alice) == 0


@pytest.mark.parametrize(
    ("text", "says"),
    [("   ", "can't be empty"), ("x" * (MAX_STORY + 1), "too long"), ("a\x00b", "null")],
)
def test_it_refuses_text_it_cannot_keep(session, alice, now, text, says) -> None:
    with pytest.raises(InputError, match=says) as caught:
        tell_story(session, alice, text, now)
    assert caught.value.field == "story"
    assert stories_of(session, alice) == 0


def test_the_reading_uses_the_persons_country_for_help(session, alice, now) -> None:
    told = tell_story(session, alice, "I want to end my life, he left me.", now)
    contacts = " ".join(r["contact"] for r in told.reading.safety.to_dict()["resources"])
    assert "116 123" in contacts  # alice lives in GB: Samaritans


def test_one_person_never_reads_anothers_story(session, alice, bob, now) -> None:
    tell_story(session, alice, STORY, now)
    assert latest_story(session, bob) is None
    assert latest_reading(session, bob, now) is None


def test_using_the_plan_sets_the_target_and_starts_no_contact_now(session, alice, now) -> None:
    period = use_plan(session, alice, now, target=30)
    assert period is not None and period.started_at == now
    assert session.get(Profile, alice.id).no_contact_target_days == 30


def test_no_contact_can_start_from_the_day_of_the_last_contact(session, alice, now) -> None:
    period = use_plan(session, alice, now, target="21", since="2026-11-10")
    # Noon on that day in London (GMT in November).
    assert period.started_at == datetime(2026, 11, 10, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("target", "since", "field", "says"),
    [
        (10, None, "no_contact_target_days", "at least 14 days"),
        ("lots", None, "no_contact_target_days", "whole number"),
        (400, None, "no_contact_target_days", "from 0 to 365"),
        (21, "2026-11-30", "since", "hasn't happened yet"),
        (21, "2026-13-01", "since", "real date"),
        (21, "2020-01-01", "since", "start from today"),
    ],
)
def test_a_plan_with_a_bad_number_or_day_changes_nothing(
    session, alice, now, target, since, field, says
) -> None:
    with pytest.raises(InputError, match=says) as caught:
        use_plan(session, alice, now, target=target, since=since)
    assert caught.value.field == field
    assert session.get(Profile, alice.id).no_contact_target_days == 21
    assert session.scalar(select(func.count()).select_from(NoContactPeriod)) == 0


def test_with_no_contact_running_only_the_target_changes(session, alice, now) -> None:
    running = start_no_contact(session, alice, now - timedelta(days=5))
    assert use_plan(session, alice, now, target=45, since="2026-11-01") is None
    assert session.get(Profile, alice.id).no_contact_target_days == 45
    periods = session.scalars(select(NoContactPeriod)).all()
    assert [p.id for p in periods] == [running.id]


def test_no_target_keeps_the_persons_own(session, alice, now) -> None:
    """With abuse, no contact is protection with no countdown: the number isn't asked for."""
    assert use_plan(session, alice, now, target=None) is not None
    assert session.get(Profile, alice.id).no_contact_target_days == 21
