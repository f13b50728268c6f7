"""The CLI answers what was logged with the same reply as the web page."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from typer.testing import CliRunner

from secondchance.cli import app
from secondchance.db import make_engine, make_sessionmaker
from secondchance.services.demo import fill_demo
from secondchance.services.people import find_user

NOW = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)
INIT = (
    *("init", "--name", "Alice", "--ex-name", "Sam", "--pronouns", "he"),
    *("--breakup-date", "2026-10-20", "--who-ended", "ex", "--goal", "reconcile"),
    *("--country", "GB", "--timezone", "Europe/London"),
)


@pytest.fixture
def run(db_url):  # type: ignore[no-untyped-def]
    """Run `secondchance ...` on this test's database at ``at`` (default NOW); return output."""
    runner = CliRunner()
    env = {"SECONDCHANCE_DATABASE_URL": db_url, "SECONDCHANCE_USER": "me"}

    def invoke(*args: str, at: datetime = NOW) -> str:
        with time_machine.travel(at, tick=False):
            result = runner.invoke(app, list(args), env=env, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return " ".join(result.output.split())

    invoke(*INIT)
    return invoke


def test_checkin_prints_the_crying_spiral_after_three_days_of_tears(run) -> None:  # type: ignore[no-untyped-def]
    run("checkin", "--mood", "4", "--cried", "--date", "2026-11-16")
    two = run("checkin", "--mood", "4", "--cried", "--date", "2026-11-17")
    assert "crying-spiral" not in two
    said = run("checkin", "--mood", "4", "--cried", "--social-checks", "12")
    assert "Saved your check-in for Wednesday 18 November." in said
    assert "Tears 3 days running" in said and "One thing to try:" in said
    assert "/lessons/crying-spiral" in said
    assert "Thank you for showing up for yourself" not in said


def test_urge_contact_and_talk_print_their_replies(run) -> None:  # type: ignore[no-untyped-def]
    late = run("urge", "6", "--trigger", "his photos", at=datetime(2026, 11, 18, 22, 5, tzinfo=UTC))
    assert "A late-night urge" in late and "/lessons/weak-moments" in late
    run("start", "--on", "2026-11-08")
    slip = run("contact", "--from", "you", "--channel", "call")
    assert "Your longest run, 9 days without contact, is still yours" in slip
    assert "/lessons/slips" in slip


def test_talk_prints_what_to_do_while_waiting_for_a_reply(run, db_url) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(db_url)
    try:
        with make_sessionmaker(engine)() as session, session.begin():
            fill_demo(session, find_user(session, "me"), NOW)
    finally:
        engine.dispose()
    said = run("talk", "--messages", "1", "--no-reply")
    assert "No reply yet, and that's okay" in said and "Don't send another message" in said
    assert "How to pace it from here:" in said
