"""The remembered safety state on the real database: every text a person saves is read, what
it shows stays until their own "I'm safe now", and nobody else ever sees it."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from secondchance.analysis.safety import SafetyResult
from secondchance.db import make_engine, make_sessionmaker
from secondchance.models import (
    Activity,
    CheckIn,
    Contact,
    Letter,
    Memory,
    SafetyClearance,
    SafetySignal,
    Story,
    Urge,
    User,
)
from secondchance.services import data, safety_state
from secondchance.services.checkins import CheckInInput, save_checkin
from secondchance.services.contact import log_contact, log_urge
from secondchance.services.demo import fill_demo
from secondchance.services.errors import InputError
from secondchance.services.letters import write_letter
from secondchance.services.memories import add_memory
from secondchance.services.people import find_user
from secondchance.services.reconnect import log_conversation
from secondchance.services.safety_plan import save_plan
from secondchance.services.selfcare import log_activity
from secondchance.services.status import current_status
from secondchance.services.stories import tell_story

CRISIS = "I want to kill myself"
ABUSE = "he hit me"
ABUSE_STORY = (
    "We were together two years. He checked my phone every night, told me my friends were bad "
    "for me until I stopped seeing them, and last month he hit me. I left two weeks ago."
)
PLAIN_STORY = "We broke up a month ago after a year together. He ended it. I miss him."


def signals_of(session, user) -> list[SafetySignal]:  # type: ignore[no-untyped-def]
    query = select(SafetySignal).where(SafetySignal.user_id == user.id)
    return list(session.scalars(query.order_by(SafetySignal.id)))


def checkin(session, user, when, note="", day=None):  # type: ignore[no-untyped-def]
    return save_checkin(session, user, CheckInInput(mood=5, note=note, day=day), when)[0]


def test_it_remembers_a_crisis_in_a_checkin_note_after_two_ordinary_checkins(
    session, alice, now
) -> None:
    first = checkin(session, alice, now - timedelta(days=2), CRISIS)
    checkin(session, alice, now - timedelta(days=1), "a quiet day, went for a walk")
    checkin(session, alice, now, "better today")
    state = current_status(session, alice, now)
    assert state.recent_crisis and state.safety.crisis and not state.safety.abuse
    assert state.actions[0].key == "help_is_here"
    assert state.safety.since == now - timedelta(days=2)
    [evidence] = state.safety.evidence
    assert (evidence.source, evidence.source_id, evidence.quote) == (
        "checkin",
        first.id,
        "kill myself",
    )
    assert state.to_dict()["safety"]["crisis"] is True


def test_abuse_protection_survives_a_story_told_again_without_the_words(
    session, alice, now
) -> None:
    tell_story(session, alice, ABUSE_STORY, now - timedelta(days=3))
    retold = tell_story(session, alice, PLAIN_STORY, now)
    assert retold.story is not None and not retold.story.abuse
    state = current_status(session, alice, now)
    assert state.protection and state.safety.abuse and state.phase != "reconnected"
    assert state.actions[0].key == "safety_first"
    assert not any(a.key in {"draft_first_text", "decide"} for a in state.actions)
    with pytest.raises(InputError, match="about your safety"):
        log_conversation(session, alice, now, started_by="you", messages=2)


WRITERS = {
    "checkin": (CheckIn, lambda s, u, now, text: checkin(s, u, now, text)),
    "urge": (Urge, lambda s, u, now, text: log_urge(s, u, now, intensity=7, instead=text)),
    "letter": (Letter, lambda s, u, now, text: write_letter(s, u, now, body=text)),
    "memory": (Memory, lambda s, u, now, text: add_memory(s, u, now, title="Us", body=text)),
    "contact": (
        Contact,
        lambda s, u, now, text: log_contact(
            s, u, now, direction="ex_to_you", channel="text", note=text
        )[0],
    ),
    "activity": (
        Activity,
        lambda s, u, now, text: log_activity(s, u, now, kind="exercise", note=text),
    ),
    "story": (Story, lambda s, u, now, text: tell_story(s, u, text, now).story),
}


@pytest.mark.parametrize("source", sorted(WRITERS))
def test_it_remembers_what_every_kind_of_text_shows_in_the_same_transaction(
    session, alice, now, source
) -> None:
    model, write = WRITERS[source]
    row = write(session, alice, now, ABUSE)
    assert isinstance(row, model)
    [found] = signals_of(session, alice)
    assert (found.kind, found.source, found.source_id) == ("abuse", source, row.id)
    [evidence] = found.evidence  # the span is of the text as read (a memory: title and story)
    assert (evidence["rule"], evidence["quote"]) == ("abuse.violence", "hit me")
    assert safety_state.current(session, alice, now).abuse


def test_ordinary_words_leave_no_signal(session, alice, now) -> None:
    checkin(session, alice, now, "I miss him, but the run helped")
    write_letter(session, alice, now, body="I wanted to tell you about my day.")
    assert signals_of(session, alice) == []
    assert safety_state.current(session, alice, now).active == ()


def test_a_conversation_note_that_shows_abuse_turns_step4_into_protection(
    session, alice, now
) -> None:
    fill_demo(session, alice, now - timedelta(hours=1))
    assert current_status(session, alice, now).step4_unlocked
    log_conversation(session, alice, now, started_by="you", messages=3, note=ABUSE)
    state = current_status(session, alice, now + timedelta(minutes=1))
    assert state.protection and not state.step4_unlocked
    assert [s.source for s in signals_of(session, alice)] == ["conversation"]


def test_saving_the_same_day_again_with_the_same_note_remembers_it_once(
    session, alice, now
) -> None:
    checkin(session, alice, now, CRISIS)
    checkin(session, alice, now + timedelta(minutes=5), CRISIS)
    assert len(signals_of(session, alice)) == 1


def test_the_safety_plan_remembers_abuse_but_not_its_own_warning_signs(session, alice, now) -> None:
    save_plan(session, alice, {"warning_signs": CRISIS}, now)
    assert signals_of(session, alice) == []
    save_plan(session, alice, {"people": "He hit me before. Call my sister."}, now)
    [found] = signals_of(session, alice)
    assert (found.kind, found.source, found.source_id) == ("abuse", "safety_plan", None)


def test_clearing_is_the_persons_own_act_and_is_logged(session, alice, now) -> None:
    checkin(session, alice, now - timedelta(days=1), CRISIS)
    tell_story(session, alice, ABUSE_STORY, now - timedelta(days=1))
    row = safety_state.clear(session, alice, now, ["crisis"], note="talked to my sister")
    assert row is not None and row.kinds == ["crisis"] and row.note == "talked to my sister"
    state = safety_state.current(session, alice, now + timedelta(minutes=1))
    assert not state.crisis and state.abuse  # only what was chosen is set aside
    assert safety_state.clearances(session, alice) == [row]
    later = now + timedelta(days=1)
    checkin(session, alice, later, CRISIS)
    assert safety_state.current(session, alice, later).crisis  # a later signal turns it back on


def test_clearing_everything_clears_concern_hidden_under_crisis(session, alice, now) -> None:
    safety_state.record(
        session, alice, SafetyResult(False, False, concern=True), "draft", None, now
    )
    checkin(session, alice, now, CRISIS)
    assert safety_state.current(session, alice, now).active == ("crisis",)
    row = safety_state.clear(session, alice, now + timedelta(minutes=1))
    assert row is not None and row.kinds == ["crisis", "concern"]
    assert safety_state.current(session, alice, now + timedelta(minutes=2)).active == ()


def test_clearing_when_nothing_is_on_writes_nothing(session, alice, now) -> None:
    assert safety_state.clear(session, alice, now) is None
    assert session.scalar(select(func.count()).select_from(SafetyClearance)) == 0


def test_an_unknown_kind_is_refused(session, alice, now) -> None:
    with pytest.raises(InputError, match="kinds"):
        safety_state.clear(session, alice, now, ["everything"])
    with pytest.raises(InputError, match="source"):
        safety_state.record(session, alice, SafetyResult(True, False), "diary", None, now)


def test_bob_never_sees_alices_state(session, alice, bob, now) -> None:
    checkin(session, alice, now, CRISIS)
    tell_story(session, alice, ABUSE_STORY, now)
    assert safety_state.current(session, bob, now).active == ()
    assert safety_state.clear(session, bob, now) is None
    bobs = current_status(session, bob, now)
    assert not (bobs.protection or bobs.recent_crisis) and bobs.safety.evidence == ()
    assert safety_state.current(session, alice, now).active == ("crisis", "abuse")


def test_quotes_are_kept_short(session, alice, now) -> None:
    long = SafetyResult(True, False, evidence=(_evidence("crisis.x", "w" * 500),))
    [row] = safety_state.record(session, alice, long, "draft", None, now)
    assert len(row.evidence[0]["quote"]) == safety_state.QUOTE_MAX


def _evidence(about: str, quote: str):  # type: ignore[no-untyped-def]
    from secondchance.analysis.evidence import Evidence

    return Evidence(about, quote, 0, len(quote))


# --------------------------------------------------------------------------- export and import


@pytest.fixture
def with_state(factory, now):  # type: ignore[no-untyped-def]
    """alice: a crisis note (cleared), an abuse story, a memory removed; bob: nothing. Committed."""
    from secondchance.services.memories import remove_memory
    from secondchance.services.people import ProfileInput, get_or_create_user, save_profile

    with factory() as session, session.begin():
        for name in ("alice", "bob"):
            user = get_or_create_user(session, name, now)
            save_profile(session, user, ProfileInput(name=name, ex_name="Sam"), now)
        alice = find_user(session, "alice")
        checkin(session, alice, now - timedelta(days=3), "fine")
        memory = add_memory(session, alice, now - timedelta(days=3), title="Us", body=ABUSE)
        checkin(session, alice, now - timedelta(days=2), CRISIS, day="2026-11-16")
        safety_state.clear(session, alice, now - timedelta(days=1), ["crisis"])
        tell_story(session, alice, ABUSE_STORY, now - timedelta(hours=2))
        remove_memory(session, alice, memory.id)
    return factory


def export_of(factory, now) -> dict:  # type: ignore[no-untyped-def]
    with factory() as session:
        return json.loads(data.dumps(data.export_all(session, now)))


def fresh(url: str):  # type: ignore[no-untyped-def]
    engine = make_engine(url)
    return engine, make_sessionmaker(engine)


def test_export_and_import_keep_the_state_and_link_each_signal_to_its_row(
    with_state, now, tmp_path, migrated_sqlite
) -> None:
    exported = export_of(with_state, now)
    alice = exported["people"][0]
    sources = [(s["kind"], s["source"], s["source_id"]) for s in alice["safety_signals"]]
    # By place in the export's lists: the memory is gone, the check-in is the second, the story
    # the first; ids never appear.
    assert sources == [("abuse", "memory", None), ("crisis", "checkin", 1), ("abuse", "story", 0)]
    assert alice["safety_clearances"][0]["kinds"] == ["crisis"]
    assert exported["people"][1]["safety_signals"] == []
    engine, copy = fresh(migrated_sqlite(tmp_path / "copy.db"))
    with copy() as session, session.begin():
        data.import_all(session, exported)
    with copy() as session:
        user = find_user(session, "alice")
        state = safety_state.current(session, user, now)
        assert state.abuse and not state.crisis
        checkin_signal = next(s for s in signals_of(session, user) if s.source == "checkin")
        assert session.get(CheckIn, checkin_signal.source_id).note == CRISIS
        assert safety_state.current(session, find_user(session, "bob"), now).active == ()
    again = export_of(copy, now)
    assert again == exported
    engine.dispose()


def test_an_account_import_keeps_the_state_too(with_state, now, tmp_path, migrated_sqlite) -> None:
    exported = export_of(with_state, now)
    exported["people"] = exported["people"][:1]
    engine, copy = fresh(migrated_sqlite(tmp_path / "copy.db"))
    with copy() as session, session.begin():
        carol = make_user(session, "carol", now)
        counts = data.import_person(session, carol, data.person_from_export(exported))
        assert counts["safety_signals"] == 3 and counts["safety_clearances"] == 1
    with copy() as session:
        carol = find_user(session, "carol")
        assert safety_state.current(session, carol, now).active == ("abuse",)
        story_signal = next(s for s in signals_of(session, carol) if s.source == "story")
        assert session.get(Story, story_signal.source_id).user_id == carol.id
    engine.dispose()


def make_user(session, name, now):  # type: ignore[no-untyped-def]
    from secondchance.services.people import get_or_create_user

    return get_or_create_user(session, name, now)


def test_an_older_export_keeps_protection_from_its_stories(
    with_state, now, tmp_path, migrated_sqlite
) -> None:
    exported = export_of(with_state, now)
    for person in exported["people"]:
        del person["safety_signals"], person["safety_clearances"]
    engine, copy = fresh(migrated_sqlite(tmp_path / "copy.db"))
    with copy() as session, session.begin():
        data.import_all(session, exported)
    with copy() as session:
        alice = find_user(session, "alice")
        found = [(s.kind, s.source) for s in signals_of(session, alice)]
        assert found == [("abuse", "story")]
        assert safety_state.current(session, alice, now).abuse
    engine.dispose()


def test_a_signal_with_a_made_up_kind_or_long_quote_is_refused_on_account_import(
    with_state, now, tmp_path
) -> None:
    exported = export_of(with_state, now)
    person = exported["people"][0]
    person["safety_signals"][0]["kind"] = "everything"
    with pytest.raises(InputError, match="kind"):
        data._rows_from(person, User(id=1))
    person["safety_signals"][0]["kind"] = "abuse"
    person["safety_signals"][0]["evidence"] = [
        {"rule": "x", "quote": "q" * 999, "start": 0, "end": 1}
    ]
    with pytest.raises(InputError, match="longer"):
        data._rows_from(person, User(id=1))


def test_delete_removes_the_state_and_leaves_bobs(with_state) -> None:
    with with_state() as session, session.begin():
        data.delete_person(session, find_user(session, "alice"))
    with with_state() as session:
        assert session.scalar(select(func.count()).select_from(SafetySignal)) == 0
        assert session.scalar(select(func.count()).select_from(SafetyClearance)) == 0
        assert find_user(session, "bob") is not None


def test_a_demo_reset_removes_the_state(with_state, now) -> None:
    with with_state() as session, session.begin():
        alice = find_user(session, "alice")
        data.delete_history(session, alice)
        assert signals_of(session, alice) == []
        assert safety_state.clearances(session, alice) == []
