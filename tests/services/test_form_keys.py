"""Form keys: claimed once per person, freed after an error, forgotten after a day."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from secondchance.models import FormKey, User
from secondchance.services.form_keys import KEEP, claim, release


def test_a_key_is_claimed_once(session: Session, alice: User, now) -> None:  # type: ignore[no-untyped-def]
    assert claim(session, alice, "k1", now)
    assert not claim(session, alice, "k1", now + timedelta(seconds=1))
    assert claim(session, alice, "k2", now)


def test_a_released_key_can_be_claimed_again(session: Session, alice: User, now) -> None:  # type: ignore[no-untyped-def]
    assert claim(session, alice, "k1", now)
    release(session, alice, "k1")
    assert claim(session, alice, "k1", now)


def test_keys_are_each_persons_own(session: Session, alice: User, bob: User, now) -> None:  # type: ignore[no-untyped-def]
    assert claim(session, alice, "same", now)
    assert claim(session, bob, "same", now)


def test_a_key_older_than_a_day_is_forgotten(session: Session, alice: User, now) -> None:  # type: ignore[no-untyped-def]
    assert claim(session, alice, "old", now)
    later = now + KEEP + timedelta(seconds=1)
    assert claim(session, alice, "new", later)
    kept = session.scalars(select(FormKey.key).where(FormKey.user_id == alice.id)).all()
    assert kept == ["new"]


def test_an_empty_or_overlong_key_guards_nothing(session: Session, alice: User, now) -> None:  # type: ignore[no-untyped-def]
    for key in ("", "x" * 65):
        assert claim(session, alice, key, now) and claim(session, alice, key, now)
    assert session.scalars(select(FormKey)).all() == []
