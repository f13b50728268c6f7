"""`secondchance lesson` and `secondchance journal`, and lesson files checked at start-up."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime

import pytest
import time_machine
from typer.testing import CliRunner

from secondchance.cli import app
from secondchance.config import Settings
from secondchance.program import lessons
from secondchance.program.lessons import LessonError
from secondchance.web import create_app

NOW = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)
INIT = ("init", "--name", "Alice", "--ex-name", "Sam", "--pronouns", "she", "--goal", "reconcile")
INIT_REST = ("--who-ended", "ex", "--country", "GB", "--timezone", "Europe/London")


@pytest.fixture
def cli(db_url):  # type: ignore[no-untyped-def]
    runner = CliRunner()

    def run(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
        env = {"SECONDCHANCE_DATABASE_URL": db_url, "SECONDCHANCE_USER": "me"}
        with time_machine.travel(NOW, tick=False):
            return runner.invoke(app, list(args), input=input, env=env, catch_exceptions=False)

    run(*INIT, *INIT_REST, "--breakup-date", "2026-11-01")
    run("start")
    return run


def ok(result):  # type: ignore[no-untyped-def]
    assert result.exit_code == 0, result.output
    return result.output


def test_lesson_shows_todays_lesson_and_marks_it_read(cli) -> None:
    shown = json.loads(ok(cli("lesson", "--json")))
    assert lessons.by_slug(lessons.all_lessons(), shown["slug"]).step == 1
    assert "{" not in shown["body"] and shown["prompt"]
    listing = ok(cli("lesson", "--all"))
    assert "Step 1" in listing and f"{shown['slug']}:" in listing
    assert f"{shown['slug']}: " in listing and "(read)" in listing
    text = ok(cli("lesson", "social-media"))
    assert "Checking her profile" in text and "Try today:" in text


def test_journal_write_list_edit_delete(cli) -> None:
    said = ok(cli("journal", "write", "A calm evening.", "--lesson", "slips"))
    assert "Kept in your journal (#1)" in said
    entries = json.loads(ok(cli("journal", "list", "--json")))
    assert entries[0]["text"] == "A calm evening." and entries[0]["prompt"]
    ok(cli("journal", "edit", "1", "A calm evening, and a walk."))
    assert "and a walk" in ok(cli("journal"))
    assert "is deleted" in ok(cli("journal", "delete", "1", "--yes"))
    assert "Nothing written yet" in ok(cli("journal", "list"))
    missing = cli("journal", "delete", "1", "--yes")
    assert missing.exit_code == 1 and "Traceback" not in missing.output


def test_a_crisis_in_the_journal_shows_help_at_once(cli) -> None:
    said = ok(cli("journal", "write", "I want to kill myself"))
    assert "116 123" in said
    assert "journal: “kill myself”" in ok(cli("safety"))


@pytest.fixture
def broken_lessons(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """A copy of the shipped lessons with one field a coach got wrong."""
    folder = tmp_path / "lessons"
    shutil.copytree(lessons.DATA_DIR, folder)
    step2 = folder / "step2.toml"
    step2.write_text(step2.read_text().replace("day = 3\n", "day = 0\n", 1), encoding="utf-8")
    monkeypatch.setattr(lessons, "DATA_DIR", folder)
    lessons.all_lessons.cache_clear()
    yield
    lessons.all_lessons.cache_clear()


@pytest.mark.usefixtures("broken_lessons")
def test_a_wrong_lesson_file_stops_the_app_and_the_cli_with_its_name(db_url) -> None:
    settings = Settings(database_url=db_url, environment="test", secret_key="test-secret-key")
    with pytest.raises(LessonError, match=r"step2\.toml: lesson 'weak-moments', field 'day'"):
        create_app(settings)
    result = CliRunner().invoke(app, ["status"], env={"SECONDCHANCE_DATABASE_URL": db_url})
    assert result.exit_code == 1
    assert "step2.toml" in result.output and "field 'day'" in result.output
    assert "Traceback" not in result.output
