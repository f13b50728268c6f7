"""Editing and deleting entries: checked like new ones, read again for safety, history recounted."""

from __future__ import annotations

from datetime import timedelta

import pytest

from secondchance.models import CheckIn
from secondchance.services import safety_state
from secondchance.services.checkins import CheckInInput, save_checkin
from secondchance.services.contact import log_contact, log_urge, start_no_contact
from secondchance.services.entries import (
    UNDO_WINDOW,
    can_undo,
    delete_entry,
    edit_entry,
)
from secondchance.services.errors import InputError, NotFound
from secondchance.services.letters import write_letter
from secondchance.services.memories import add_memory
from secondchance.services.selfcare import log_activity
from secondchance.services.status import current_status

CRISIS = "I want to kill myself"
ABUSE = "he hit me"


def test_crisis_words_written_into_an_edit_are_remembered_like_new_ones(
    session, alice, now
) -> None:
    urge = log_urge(session, alice, now, intensity=5, trigger="his song on the radio")
    assert not safety_state.current(session, alice, now).crisis
    edit_entry(session, alice, "urge", urge.id, now, trigger=CRISIS)
    state = safety_state.current(session, alice, now)
    assert state.crisis
    [evidence] = state.evidence
    assert (evidence.source, evidence.source_id) == ("urge", urge.id)


@pytest.mark.parametrize(
    ("kind", "make", "field"),
    [
        (
            "contact",
            lambda s, u, n: log_contact(s, u, n, direction="you_to_ex", channel="text")[0],
            "note",
        ),
        ("activity", lambda s, u, n: log_activity(s, u, n, kind="exercise"), "note"),
        ("memory", lambda s, u, n: add_memory(s, u, n, title="Lisbon"), "body"),
        ("letter", lambda s, u, n: write_letter(s, u, n, body="Dear you"), "body"),
    ],
)
def test_abuse_written_into_any_edited_text_turns_on_protection(
    session, alice, now, kind, make, field
) -> None:
    row = make(session, alice, now)
    edit_entry(session, alice, kind, row.id, now, **{field: ABUSE})
    assert safety_state.current(session, alice, now).abuse


def test_an_earlier_days_check_in_is_edited_on_its_own_day(session, alice, now) -> None:
    earlier = now - timedelta(days=3)
    row, _ = save_checkin(session, alice, CheckInInput(mood=3, day=earlier.date()), now)
    today, _ = save_checkin(session, alice, CheckInInput(mood=5), now)
    edited = edit_entry(session, alice, "checkin", row.id, now, mood=7, emotions=["hopeful"])
    assert (edited.id, edited.day, edited.mood, edited.emotions) == (
        row.id,
        earlier.date(),
        7,
        ["hopeful"],
    )
    assert session.get(CheckIn, today.id).mood == 5  # the other day is untouched
    with pytest.raises(InputError, match="mood"):
        edit_entry(session, alice, "checkin", row.id, now, mood=11)
    with pytest.raises(InputError, match="day"):
        edit_entry(session, alice, "checkin", row.id, now, day=now.date())
    assert session.get(CheckIn, row.id).mood == 7


def test_a_refused_edit_changes_nothing_and_someone_elses_entry_is_not_found(
    session, alice, bob, now
) -> None:
    urge = log_urge(session, alice, now, intensity=5, trigger="his song")
    with pytest.raises(InputError, match="outcome"):
        edit_entry(session, alice, "urge", urge.id, now, intensity=2, outcome="maybe")
    assert (urge.intensity, urge.outcome) == (5, "resisted")
    with pytest.raises(NotFound):
        edit_entry(session, bob, "urge", urge.id, now, intensity=2)
    with pytest.raises(NotFound):
        delete_entry(session, bob, "urge", urge.id)
    with pytest.raises(InputError, match="kind"):
        delete_entry(session, alice, "feelings", urge.id)


def test_a_deleted_slip_gives_the_streak_back_and_undo_is_only_for_a_while(
    session, alice, now
) -> None:
    start_no_contact(session, alice, now, started_at=now - timedelta(days=10))
    before = current_status(session, alice, now).streaks
    slip, counts = log_contact(session, alice, now, direction="you_to_ex", channel="call")
    assert counts and current_status(session, alice, now).streaks.current == 0
    assert can_undo("contact", slip, now + UNDO_WINDOW)
    assert not can_undo("contact", slip, now + UNDO_WINDOW + timedelta(seconds=1))
    delete_entry(session, alice, "contact", slip.id)
    assert current_status(session, alice, now).streaks == before


def test_a_sealed_letter_keeps_its_words_closed(session, alice, now) -> None:
    letter = write_letter(
        session, alice, now, body="Dear you", sealed_until=now.date() + timedelta(days=30)
    )
    with pytest.raises(InputError, match="sealed"):
        edit_entry(session, alice, "letter", letter.id, now, body="changed")
    edit_entry(
        session, alice, "letter", letter.id, now, sealed_until=now.date() + timedelta(days=2)
    )
    assert letter.sealed_until == now.date() + timedelta(days=2) and letter.body == "Dear you"
