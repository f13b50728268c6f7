"""The daily lesson and the journal against the real database."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from secondchance.db import make_engine, make_sessionmaker
from secondchance.models import JournalEntry, LessonRead, SafetySignal
from secondchance.services import data
from secondchance.services.contact import log_contact, start_no_contact
from secondchance.services.demo import fill_demo
from secondchance.services.errors import InputError, NotFound
from secondchance.services.journal import delete_entry, edit_entry, list_entries, write_entry
from secondchance.services.lessons import open_lesson, situation_of, today_lesson
from secondchance.services.people import get_or_create_user
from secondchance.services.status import current_status


def test_the_demo_person_in_step_four_sees_a_step_four_lesson(session, now) -> None:
    demo = get_or_create_user(session, "demo", now)
    fill_demo(session, demo, now)
    assert current_status(session, demo, now).step == 4
    found = today_lesson(session, demo, now)
    assert found.step == 4 and found.lesson.step == 4
    assert found.lesson.slug == "am-i-ready", "step 4 starts from readiness"
    assert not found.read


def test_a_slip_this_week_brings_the_slips_lesson(session, alice, now) -> None:
    start_no_contact(session, alice, now - timedelta(days=6), started_at=now - timedelta(days=6))
    log_contact(session, alice, now - timedelta(days=2), direction="you_to_ex", channel="text")
    assert "slip" in situation_of(session, alice, now).facts
    assert today_lesson(session, alice, now).lesson.slug == "slips"
    open_lesson(session, alice, "slips", now)
    assert today_lesson(session, alice, now).lesson.slug != "slips", "read: the day's lesson"


def test_reading_a_lesson_twice_keeps_one_read(session, alice, now) -> None:
    open_lesson(session, alice, "self-care", now)
    open_lesson(session, alice, "self-care", now + timedelta(days=1))
    count = select(func.count()).select_from(LessonRead).where(LessonRead.user_id == alice.id)
    assert session.scalar(count) == 1
    with pytest.raises(NotFound):
        open_lesson(session, alice, "not-a-lesson", now)


def test_a_journal_entry_keeps_its_prompt_and_is_checked_for_safety(session, alice, now) -> None:
    row, found = write_entry(session, alice, now, text="I want to kill myself", lesson_slug="slips")
    assert found.crisis and row.prompt.startswith("What was the moment before the slip")
    signals = session.scalars(select(SafetySignal).where(SafetySignal.source == "journal")).all()
    assert [(s.kind, s.source_id) for s in signals] == [("crisis", row.id)]
    assert situation_of(session, alice, now).crisis
    with pytest.raises(InputError, match="lesson"):
        write_entry(session, alice, now, text="x", lesson_slug="nope")
    with pytest.raises(InputError, match="text"):
        edit_entry(session, alice, row.id, now, text="  ")


def test_bob_cannot_edit_or_delete_alices_entry(session, alice, bob, now) -> None:
    row, _ = write_entry(session, alice, now, text="Mine.")
    with pytest.raises(NotFound):
        edit_entry(session, bob, row.id, now, text="Bob's")
    with pytest.raises(NotFound):
        delete_entry(session, bob, row.id)
    assert [e.text for e in list_entries(session, alice)] == ["Mine."]


def test_export_import_and_delete_carry_journal_and_reads(
    factory, now, tmp_path, migrated_sqlite
) -> None:
    with factory() as session, session.begin():
        alice = get_or_create_user(session, "alice", now)
        fill_demo(session, alice, now)
        open_lesson(session, alice, "the-first-text", now)
        write_entry(session, alice, now, text="I want to kill myself", lesson_slug="slips")
    with factory() as session:
        exported = json.loads(data.dumps(data.export_all(session, now)))
    person = exported["people"][0]
    assert [r["slug"] for r in person["lesson_reads"]] == ["the-first-text"]
    assert person["journal_entries"][0]["lesson_slug"] == "slips"
    journal_signals = [s for s in person["safety_signals"] if s["source"] == "journal"]
    assert journal_signals and journal_signals[0]["source_id"] == 0
    target = make_engine(migrated_sqlite(tmp_path / "copy.db"))
    copy = make_sessionmaker(target)
    with copy() as session, session.begin():
        data.import_all(session, exported)
    with copy() as session, session.begin():
        entry = session.scalars(select(JournalEntry)).one()
        signal = session.scalars(select(SafetySignal).where(SafetySignal.source == "journal"))
        assert signal.one().source_id == entry.id
        user = get_or_create_user(session, "alice", now)
        data.delete_person(session, user)
    with copy() as session:
        assert session.scalar(select(func.count()).select_from(JournalEntry)) == 0
        assert session.scalar(select(func.count()).select_from(LessonRead)) == 0
    target.dispose()
