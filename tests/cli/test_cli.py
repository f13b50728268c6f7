"""Every command through Typer's CliRunner, on the real database, at a fixed moment."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from typer.testing import CliRunner

from secondchance.cli import app
from secondchance.migrate import head_revision

NOW = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)


@pytest.fixture
def cli(db_url):  # type: ignore[no-untyped-def]
    """Run `secondchance ...` against this test's database at ``NOW`` (or ``at=``)."""
    runner = CliRunner()

    def run(*args: str, input: str | None = None, at: datetime = NOW, user: str = "me"):  # type: ignore[no-untyped-def]
        env = {"SECONDCHANCE_DATABASE_URL": db_url, "SECONDCHANCE_USER": user}
        with time_machine.travel(at, tick=False):
            return runner.invoke(app, list(args), input=input, env=env, catch_exceptions=False)

    return run


def ok(result):  # type: ignore[no-untyped-def]
    assert result.exit_code == 0, result.output
    return result.output


def fails(result, says: str) -> None:  # type: ignore[no-untyped-def]
    assert result.exit_code == 1, result.output
    assert says in result.output
    assert "Traceback" not in result.output


INIT = (
    "init",
    "--name",
    "Alice",
    "--ex-name",
    "Sam",
    "--pronouns",
    "he",
    "--breakup-date",
    "2026-10-20",
    "--who-ended",
    "ex",
    "--goal",
    "reconcile",
    "--country",
    "GB",
    "--timezone",
    "Europe/London",
)


@pytest.fixture
def alice(cli):  # type: ignore[no-untyped-def]
    ok(cli(*INIT))
    return cli


def test_init_with_flags_then_profile_shows_it(cli) -> None:
    assert "Welcome, Alice" in ok(cli(*INIT))
    shown = json.loads(ok(cli("profile", "--json")))
    assert shown["ex_name"] == "Sam" and shown["no_contact_target_days"] == 21
    assert "Updated, Alice" in ok(cli("init", "--target", "30"))
    assert json.loads(ok(cli("profile", "--json")))["no_contact_target_days"] == 30
    assert "breakup date: 2026-10-20" in ok(cli("profile"))


def test_init_asks_for_what_is_missing(cli) -> None:
    answers = "\n".join(
        ["Alice", "Sam", "she", "2026-10-01", "mutual", "move_on", "us", "UTC", "28"]
    )
    ok(cli("init", input=answers + "\n"))
    shown = json.loads(ok(cli("profile", "--json")))
    assert (shown["ex_pronouns"], shown["goal"], shown["country"]) == ("she", "move_on", "US")
    assert shown["no_contact_target_days"] == 28


def test_a_target_under_fourteen_days_is_refused_with_the_reason(cli) -> None:
    fails(cli(*INIT, "--target", "10"), "at least 14 days")
    fails(cli("status"), "secondchance init")  # nothing was half-saved


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--breakup-date", "2026-02-31"), "real date"),
        (("--pronouns", "xe"), "he, she, they"),
        (("--goal", "win"), "reconcile, move_on, undecided"),
        (("--timezone", "Narnia"), "unknown time zone"),
    ],
)
def test_init_refuses_bad_answers(cli, args, says) -> None:
    fails(cli(*INIT, *args), says)


def test_a_week_in_the_program_shows_the_right_step_and_gates(alice) -> None:
    start = NOW - timedelta(days=9)
    ok(alice("start", "--on", f"{start:%Y-%m-%d} 09:00"))
    for n in range(7):
        day = NOW - timedelta(days=6 - n)
        ok(
            alice(
                "checkin",
                "--mood",
                str(4 + n // 2),
                "--feel",
                "sad,hopeful",
                "--social-checks",
                "2",
                "--date",
                f"{day:%Y-%m-%d}",
            )
        )
    ok(alice("urge", "8", "--trigger", "our song", "--instead", "ran"))
    assert "Your streak holds" in ok(
        alice("contact", "--from", "ex", "--channel", "text", "--ignored")
    )
    slip = ok(
        alice(
            "contact",
            "--from",
            "you",
            "--channel",
            "call",
            "--at",
            f"{NOW - timedelta(days=3):%Y-%m-%d} 22:00",
        )
    )
    assert "still count" in slip
    ok(alice("activity", "exercise", "--note", "gym"))
    ok(alice("activity", "gratitude"))
    ok(alice("memory", "add", "The goat at the wedding", "--tags", "goat,wedding", "--inside-joke"))
    state = json.loads(ok(alice("status", "--json")))
    assert state["step"] == 1
    assert state["streaks"] == {
        "started_on": f"{start:%Y-%m-%d}",
        "current": 3,
        "longest": 5,
        "total": 8,
        "slips": [f"{NOW - timedelta(days=3):%Y-%m-%d}"],
    }
    gates = {g["key"]: g for g in state["gates"]}
    assert not gates["no_contact"]["met"]
    emotions = {c["key"]: c for c in gates["emotions"]["checks"]}
    assert emotions["checkins"]["value"] == 7
    assert emotions["social_checks"]["value"] == 2.0 and not emotions["social_checks"]["met"]
    assert 1 <= len(state["actions"]) <= 3
    text = ok(alice("today"))
    assert "Step 1 of 4" in text and "3 of 21 days" in text and "longest 5" in text
    assert "Traceback" not in text


def test_status_before_init_points_to_init(cli) -> None:
    fails(cli("status"), "secondchance init")


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("checkin", "--mood", "11"), "from 1 to 10, not 11"),
        (("checkin", "--mood", "5", "--social-checks", "-2"), "social_checks"),
        (("checkin", "--mood", "5", "--feel", "hangry"), "isn't in the list"),
        (("checkin", "--mood", "5", "--date", "2026-02-30"), "real date"),
        (("checkin",), "mood"),
        (("urge", "0"), "intensity"),
        (("contact", "--from", "neighbour"), "you or ex"),
        (("contact", "--channel", "carrier-pigeon"), "channel"),
        (("contact", "--at", "last tuesday"), "date and time"),
        (("activity", "napping"), "kind"),
        (("letter", "read", "999"), "no letter with id 999"),
        (("letter", "write", "hi", "--seal-until", "2026-01-01"), "after today"),
        (("memory", "remove", "42"), "no memorie"),
        (("ready", "--answers", "yes,no"), "5 answers"),
        (("talk", "--messages", "3"), "isn't open yet"),
        (("history", "--kind", "gossip"), "should be one of"),
        (("export", "--format", "xml"), "json or csv"),
        (("targets", "--exercise", "50"), "from 0 to 21"),
        (("start", "--target", "7"), "at least 14"),
    ],
)
def test_bad_input_is_one_clear_line_and_exit_1(alice, args, says) -> None:
    fails(alice(*args), says)


def test_a_checkin_again_replaces_the_day(alice) -> None:
    assert "Saved" in ok(alice("checkin", "--mood", "4"))
    assert "Updated" in ok(alice("checkin", "--mood", "6", "--cried", "--slept-badly"))
    out = ok(alice("history", "--kind", "checkins"))
    assert out.count("Check-in") == 1 and "mood 6/10" in out


def test_checkin_without_tears_or_sleep_flags_leaves_them_unknown(alice) -> None:
    ok(alice("checkin", "--mood", "5"))
    [row] = json.loads(ok(alice("export")))["people"][0]["checkins"]
    assert (row["cried"], row["slept_well"]) == (None, None)
    ok(alice("checkin", "--mood", "5", "--no-cried", "--slept-well"))
    [row] = json.loads(ok(alice("export")))["people"][0]["checkins"]
    assert (row["cried"], row["slept_well"]) == (False, True)


def test_status_says_when_the_tears_question_needs_answers(alice) -> None:
    ok(alice("checkin", "--mood", "7"))
    out = ok(alice("status"))
    assert "Days you cried: not known yet" in out
    assert "Answer 'Did you cry?' on a few check-ins to see this" in out


def test_urge_can_become_a_letter_and_letters_can_be_sealed(alice) -> None:
    assert "Your letter is kept" in ok(alice("urge", "9", "--letter", "I wanted to say hi"))
    ok(alice("letter", "write", "For later", "--title", "Future me", "--seal-until", "2026-12-25"))
    ok(alice("letter", "write", "-", "--title", "Goodbye", "--final", input="All of it.\n"))
    listed = ok(alice("letter", "list"))
    assert "sealed until 25 December 2026" in listed and "final" in listed
    assert "I wanted to say hi" in ok(alice("letter", "read", "1"))
    fails(alice("letter", "read", "2"), "sealed until")
    assert "For later" in ok(
        alice("letter", "read", "2", at=datetime(2026, 12, 25, 12, tzinfo=UTC))
    )
    assert "All of it." in ok(alice("letter", "read", "3"))


def test_someone_else_cannot_read_alices_letter(alice) -> None:
    ok(alice("letter", "write", "private"))
    ok(alice("init", "--name", "Bob", "--ex-name", "Jo", user="bob"))
    fails(alice("letter", "read", "1", user="bob"), "no letter with id 1")


def test_memories_targets_and_activities(alice) -> None:
    ok(
        alice(
            "memory", "add", "Lisbon", "--text", "custard tarts at the airport", "--tags", "travel"
        )
    )
    listed = json.loads(ok(alice("memory", "list", "--json")))
    assert listed[0]["title"] == "Lisbon" and listed[0]["tags"] == ["travel"]
    ok(alice("memory", "remove", str(listed[0]["id"])))
    assert "No memories yet" in ok(alice("memory", "list"))
    assert "exercise: 5 a week" in ok(alice("targets", "--exercise", "5"))
    assert "Logged going out" in ok(alice("activity", "going-out", "--date", "2026-11-17"))
    assert "calm" in ok(alice("feelings"))


def test_readiness_and_the_move_on_path(alice) -> None:
    assert "Some answers were 'not yet'" in ok(alice("ready", "--answers", "yes,yes,no,yes,yes"))
    assert "Every answer was yes" in ok(alice("ready", "--answers", "y,y,y,y,y"))
    ok(alice("init", "--goal", "move_on"))
    fails(alice("talk", "--messages", "3"), "closure")


def test_the_demo_reaches_step_four_and_talk_gives_pacing(cli) -> None:
    assert "Six weeks" in ok(cli("demo", user="demo"))
    state = json.loads(ok(cli("status", "--json", user="demo")))
    assert (state["step"], state["step4_unlocked"]) == (4, True)
    fails(cli("demo", user="demo"), "already has data")
    ok(cli("demo", "--reset", user="demo"))
    out = ok(cli("talk", "--started-by", "you", "--messages", "6", "--no-reply", user="demo"))
    assert "Give him room to reply" in out


def test_export_import_round_trip_through_the_cli(cli, tmp_path) -> None:
    ok(cli("demo", user="demo"))
    first = ok(cli("export"))
    path = tmp_path / "export.json"
    path.write_text(first, encoding="utf-8")
    other = CliRunner()
    env = {"SECONDCHANCE_DATABASE_URL": f"sqlite:///{tmp_path / 'new.db'}"}
    with time_machine.travel(NOW + timedelta(minutes=5), tick=False):
        result = other.invoke(app, ["import", str(path)], env=env)
        assert "Imported 1 person" in result.output
        second = other.invoke(app, ["export"], env=env).output

    def without_time(text: str) -> list[str]:
        return [line for line in text.splitlines() if '"exported_at"' not in line]

    assert without_time(first) == without_time(second)
    assert first != second
    again = other.invoke(app, ["import", str(path)], env=env)
    assert again.exit_code == 1 and "isn't empty" in again.output


def test_import_refuses_a_file_of_the_wrong_shape(cli, tmp_path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "secondchance-export", "version": 7, "people": []}')
    fails(cli("import", str(bad)), "version 7")
    bad.write_text("not json at all")
    fails(cli("import", str(bad)), "isn't a JSON export")
    fails(cli("import", str(tmp_path / "missing.json")), "doesn't exist")


@pytest.mark.every_database  # a backup on PostgreSQL is pg_dump's job, and says so
def test_csv_export_and_backup(alice, tmp_path, db_url) -> None:
    ok(alice("checkin", "--mood", "5"))
    assert "CSV files" in ok(alice("export", "--format", "csv", "--out", str(tmp_path / "csv")))
    assert (tmp_path / "csv" / "checkins.csv").read_text().count("\n") == 2
    ok(alice("export", "--out", str(tmp_path / "e.json")))
    assert json.loads((tmp_path / "e.json").read_text())["people"][0]["username"] == "me"
    if db_url.startswith("sqlite"):
        assert "Backed up" in ok(alice("backup", str(tmp_path / "b.db")))
    else:
        fails(alice("backup", str(tmp_path / "b.db")), "pg_dump")


def test_delete_all_asks_first(alice) -> None:
    result = alice("delete-all", input="n\n")
    assert result.exit_code == 1 and "Nothing was deleted" in result.output
    ok(alice("status"))
    assert "Everything is deleted" in ok(alice("delete-all", "--yes"))
    fails(alice("status"), "secondchance init")


def test_history_shows_slips_with_compassion(alice) -> None:
    ok(alice("start"))
    ok(alice("contact", "--from", "you", "--note", "drunk text"))
    out = ok(alice("history"))
    assert "a slip (data, not failure)" in out and "drunk text" in out


def test_a_corrupt_database_file_is_a_clear_message(tmp_path) -> None:
    path = tmp_path / "broken.db"
    path.write_bytes(b"\x00garbage" * 500)
    result = CliRunner().invoke(
        app, ["status"], env={"SECONDCHANCE_DATABASE_URL": f"sqlite:///{path}"}
    )
    assert result.exit_code == 1
    assert "not a database secondchance can read" in result.output
    assert "Traceback" not in result.output


@pytest.mark.every_database
def test_db_commands(cli) -> None:
    assert "Already up to date" in ok(cli("db", "upgrade"))
    assert ok(cli("db", "current")).strip() == head_revision()


def test_a_bad_environment_setting_is_explained(db_url) -> None:
    result = CliRunner().invoke(
        app,
        ["status"],
        env={"SECONDCHANCE_DATABASE_URL": db_url, "SECONDCHANCE_ENVIRONMENT": "moon"},
    )
    assert result.exit_code == 1
    assert "SECONDCHANCE_ENVIRONMENT" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ("checkin", "--mood", "2", "--note", "I just want to die, nothing matters"),
        ("letter", "write", "I keep thinking everyone would be better off without me"),
        ("urge", "9", "--trigger", "I don't want to be alive anymore"),
        ("contact", "--from", "ex", "--answered", "--note", "I feel like ending my life"),
    ],
)
def test_crisis_words_anywhere_bring_help_at_once(alice, args) -> None:
    out = ok(alice(*args))
    assert "You matter" in out
    assert "116 123" in out  # Samaritans, for alice in GB


def test_abuse_in_a_note_brings_abuse_help(alice) -> None:
    out = ok(
        alice("checkin", "--mood", "4", "--note", "He hit me again last night and took my phone")
    )
    assert "Your safety comes first" in out
    assert "0808 2000 247" in out


def test_everyday_figures_of_speech_do_not_raise_alarms(alice) -> None:
    out = ok(
        alice(
            "checkin", "--mood", "6", "--note", "This traffic is killing me, I'd die for a coffee"
        )
    )
    assert "You matter" not in out and "safety comes first" not in out


def test_review_draws_on_the_memories_saved_with_memory_add(cli) -> None:  # type: ignore[no-untyped-def]
    ok(cli(*INIT))
    ok(cli("memory", "add", "Karaoke in Lisbon", "--text", "we sang badly all night"))
    said = ok(cli("review", "hey"))
    assert "Lisbon" in said  # the suggested openers are built from the saved memory


def test_review_of_nothing_says_so_plainly(cli) -> None:  # type: ignore[no-untyped-def]
    fails(cli("review", "   "), "is empty")


def test_story_speaks_in_the_words_of_the_web_page(cli) -> None:  # type: ignore[no-untyped-def]
    said = ok(
        cli(
            "story",
            "We were together 3 years. He ended it two months ago because of my drinking. "
            "We work together and still see each other at the office. I want him back.",
        )
    )
    assert "who ended it: they did" in said and "what you want: to try again" in said
    for internal in ("user substance", "is story", "shared workplace", "days since breakup"):
        assert internal not in said


def test_a_slip_logged_by_mistake_and_deleted_leaves_the_streak_as_it_was(alice) -> None:  # type: ignore[no-untyped-def]
    ok(alice("start", "--on", f"{NOW - timedelta(days=9):%Y-%m-%d} 09:00"))
    before = json.loads(ok(alice("status", "--json")))["streaks"]
    ok(alice("contact", "--from", "you", "--note", "wrong tap"))
    assert json.loads(ok(alice("status", "--json")))["streaks"]["current"] == 0
    [contact_id] = re.findall(r"#(\d+) You reached out", ok(alice("history")))
    assert "Nothing was deleted" in alice("delete", "contact", contact_id, input="n\n").output
    said = ok(alice("delete", "contact", contact_id, input="y\n"))
    assert f"Deleted contact #{contact_id}" in said
    assert json.loads(ok(alice("status", "--json")))["streaks"] == before
    fails(alice("delete", "contact", contact_id, "--yes"), "no contact with id")
