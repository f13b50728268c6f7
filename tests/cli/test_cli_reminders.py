"""`secondchance remind`: one pass of the sender, for cron."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime

import pytest
import time_machine
from typer.testing import CliRunner

from secondchance.cli import app
from secondchance.db import make_engine, make_sessionmaker, transaction
from secondchance.services import push
from secondchance.services.people import find_user
from secondchance.services.reminders import ReminderInput, save_settings
from services.test_reminders import Browser, PushService

EVENING = datetime(2026, 11, 18, 20, 30, tzinfo=UTC)  # after 20:00 in London
INIT = ("init", "--name", "Alice", "--ex-name", "Sam", "--pronouns", "he", "--goal", "reconcile")
INIT_REST = ("--who-ended", "ex", "--country", "GB", "--timezone", "Europe/London")


@pytest.fixture
def cli(db_url):  # type: ignore[no-untyped-def]
    runner = CliRunner()

    def run(*args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
        full = {"SECONDCHANCE_DATABASE_URL": db_url, "SECONDCHANCE_USER": "me", **(env or {})}
        with time_machine.travel(EVENING, tick=False):
            return runner.invoke(app, list(args), env=full, catch_exceptions=False)

    run(*INIT, *INIT_REST)
    return run


def test_remind_sends_what_is_due_once_and_says_so(cli, db_url) -> None:
    service = PushService()
    phone = Browser()
    try:
        engine = make_engine(db_url)
        with transaction(make_sessionmaker(engine)) as session:
            me = find_user(session, "me")
            assert me is not None
            save_settings(session, me, ReminderInput(True, False, "20:00"), EVENING)
            auth = base64.urlsafe_b64encode(phone.auth).rstrip(b"=").decode()
            endpoint = f"{service.url}/push/me"
            push.subscribe(session, me, endpoint, phone.p256dh, auth, EVENING, ("127.0.0.1",))
        engine.dispose()
        hosts = {"SECONDCHANCE_PUSH_HOSTS": '["127.0.0.1"]'}
        first = cli("remind", env=hosts)
        assert first.exit_code == 0, first.output
        assert "Reminded 1 person: 1 sent, 0 not delivered." in first.output
        assert phone.decrypt(service.requests[0][2])["url"] == "/checkin"
        again = cli("remind", "--json", env=hosts)
        assert json.loads(again.output) == {
            "skipped": False,
            "people": 0,
            "sent": 0,
            "failed": 0,
            "forgotten": 0,
        }
        assert len(service.requests) == 1
    finally:
        service.close()


def test_remind_with_nothing_due_says_so(cli) -> None:
    result = cli("remind")
    assert result.exit_code == 0 and "No reminders due right now." in result.output


def test_reminders_shows_and_changes_the_settings(cli) -> None:
    shown = cli("reminders")
    assert shown.exit_code == 0, shown.output
    assert "Reminder time: 20:00 (Europe/London); quiet hours: none" in shown.output
    assert "Reminders on your devices are off." in shown.output
    changed = cli("reminders", "--at", "21:00", "--quiet", "22:00-07:00", "--push", "--calendar")
    assert changed.exit_code == 0, changed.output
    assert "quiet hours: 22:00 to 07:00" in changed.output
    assert "Your next reminder: today at 21:00" in changed.output
    assert "/calendar/" in changed.output
    first = json.loads(cli("reminders", "--json").output)
    renewed = json.loads(cli("reminders", "--new-link", "--json").output)
    assert renewed["calendar_path"] != first["calendar_path"] and renewed["at"] == "21:00"
    cleared = json.loads(cli("reminders", "--no-quiet", "--json").output)
    assert cleared["quiet_start"] is None and cleared["push_on"] is True
    wrong = cli("reminders", "--quiet", "22:00")
    assert wrong.exit_code == 1 and "FROM-UNTIL" in wrong.output
