"""The remembered safety state from the terminal: `status --json`, `safety`, `safety clear`."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from typer.testing import CliRunner

from secondchance.cli import app
from secondchance.services.safety_notice import notice_for

NOW = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)
INIT = ("init", "--name", "Alice", "--ex-name", "Sam", "--pronouns", "he", "--country", "GB")
INIT += ("--timezone", "Europe/London", "--goal", "reconcile")


@pytest.fixture
def cli(db_url):  # type: ignore[no-untyped-def]
    runner = CliRunner()

    def run(*args: str, input: str | None = None, at: datetime = NOW, user: str = "alice"):  # type: ignore[no-untyped-def]
        env = {"SECONDCHANCE_DATABASE_URL": db_url, "SECONDCHANCE_USER": user}
        with time_machine.travel(at, tick=False):
            return runner.invoke(app, list(args), input=input, env=env, catch_exceptions=False)

    return run


def ok(result):  # type: ignore[no-untyped-def]
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def alice(cli):  # type: ignore[no-untyped-def]
    ok(cli(*INIT))
    return cli


def safety_of(cli, **kwargs) -> dict:  # type: ignore[no-untyped-def]
    return json.loads(ok(cli("status", "--json", **kwargs)))["safety"]


def test_it_keeps_a_crisis_in_a_checkin_note_on_status_after_two_ordinary_checkins(alice) -> None:
    said = ok(
        alice("checkin", "--mood", "2", "--note", "I want to kill myself", "--date", "2026-11-16")
    )
    assert "116 123" in said  # help at once, for alice in GB
    ok(alice("checkin", "--mood", "5", "--note", "went for a walk", "--date", "2026-11-17"))
    ok(alice("checkin", "--mood", "6", "--note", "a calmer day"))
    safety = safety_of(alice)
    assert safety["crisis"] is True and safety["abuse"] is False and safety["concern"] is False
    assert safety["since"] == NOW.isoformat()
    assert safety["evidence"][0]["source"] == "checkin"
    assert safety["evidence"][0]["quote"] == "kill myself"
    status = json.loads(ok(alice("status", "--json")))
    assert status["recent_crisis"] is True and status["actions"][0]["id"] == "help_is_here"
    shown = ok(alice("status"))
    assert shown.index("116 123") < shown.index("Step 1 of 4")  # help before the program


def test_safety_shows_the_state_with_help_and_how_to_clear_it(alice) -> None:
    ok(alice("contact", "--from", "ex", "--ignored", "--note", "he hit me"))
    shown = ok(alice("safety"))
    assert "Your safety comes first" in shown and "secondchance safety clear" in shown
    assert "“hit me”" in shown
    assert json.loads(ok(alice("safety", "--json")))["abuse"] is True


def test_clearing_is_the_persons_own_act_and_is_logged(alice) -> None:
    ok(alice("letter", "write", "I want to kill myself", "--title", "tonight"))
    refused = alice("safety", "clear")  # no terminal to ask in, and no --yes
    assert refused.exit_code == 1 and "--yes" in refused.output
    assert safety_of(alice)["crisis"] is True
    declined = alice("safety", "clear", input="n\n")
    assert declined.exit_code == 1  # CliRunner's input isn't a terminal: still refused
    later = NOW + timedelta(hours=1)
    said = ok(alice("safety", "clear", "--yes", "--note", "slept, talked to my sister", at=later))
    assert "Set aside: crisis" in said
    assert safety_of(alice, at=later + timedelta(minutes=1))["crisis"] is False
    exported = json.loads(ok(alice("export")))["people"][0]
    assert exported["safety_clearances"] == [
        {"kinds": ["crisis"], "note": "slept, talked to my sister", "created_at": later.isoformat()}
    ]
    assert "nothing to set aside" in ok(alice("safety", "clear", "--yes", at=later))


def test_bob_never_sees_alices_state(alice, cli) -> None:
    ok(alice("checkin", "--mood", "2", "--note", "I want to kill myself"))
    ok(cli(*INIT, user="bob"))
    assert safety_of(cli, user="bob") == {
        "crisis": False,
        "concern": False,
        "abuse": False,
        "since": None,
        "evidence": [],
    }
    assert "nothing to set aside" in ok(cli("safety", "clear", "--yes", user="bob"))
    assert safety_of(alice)["crisis"] is True


def test_the_cli_shows_the_help_lines_the_one_safety_notice_decides(alice) -> None:  # type: ignore[no-untyped-def]
    # The web app and the API ask the same function (tests/web/test_checkin.py): one decision.
    note = "he hit me and I want to kill myself"
    said = ok(alice("checkin", "--mood", "2", "--note", note))
    expected = notice_for("GB", note)
    assert expected.crisis and expected.abuse and expected.help
    for line in expected.help:
        assert f"{line.name}: {line.contact}" in said
