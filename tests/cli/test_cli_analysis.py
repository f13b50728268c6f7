"""`review`, `story` and `eval` from the command line."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from secondchance.cli import app

runner = CliRunner()


def run(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), input=input, catch_exceptions=False)


def test_review_json_has_the_stable_schema_and_exact_spans() -> None:
    text = "I miss you so much, can we talk?"
    result = run("review", text, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"verdict", "score", "findings", "suggestions"}
    assert data["verdict"] == "dont_send" and 0 <= data["score"] < 40
    miss = next(f for f in data["findings"] if f["rule"] == "miss_you")
    assert set(miss) == {"rule", "kind", "severity", "start", "end", "message"}
    assert "miss you" in text[miss["start"] : miss["end"]]
    assert miss["kind"] == "problem" and miss["severity"] == "block"


def test_review_reads_stdin_and_files_and_uses_memories(tmp_path) -> None:
    from_stdin = run("review", "-", "--json", input="hey\n")
    assert json.loads(from_stdin.output)["verdict"] != "send"
    draft = tmp_path / "draft.txt"
    draft.write_text("Haha saw a goat today and thought of Sam's wedding", encoding="utf-8")
    result = run(
        "review",
        *("--file", str(draft), "--memory", "The goat at Sam's wedding: chaos"),
        *("--at", "2026-03-04 12:00"),
    )
    assert result.exit_code == 0
    assert "Good to send" in result.output and "shared_memory" in result.output


def test_review_suggests_waiting_until_morning_late_at_night() -> None:
    text = "Haha remember the goat at the wedding? 😂"
    late = json.loads(run("review", text, "--at", "2026-03-04 01:30", "--json").output)
    noon = json.loads(run("review", text, "--at", "2026-03-04 12:00", "--json").output)
    assert "late_night" in {f["rule"] for f in late["findings"]}
    assert "late_night" not in {f["rule"] for f in noon["findings"]}
    bad = run("review", text, "--at", "half past one")
    assert bad.exit_code == 1 and "2026-03-14 21:30" in bad.output


def test_review_explains_bad_options_in_one_line() -> None:
    result = run("review", "hi", "--stage", "later")
    assert result.exit_code == 1 and "first or ongoing" in result.output
    missing = run("review")
    assert missing.exit_code == 1 and "argument" in missing.output


def test_story_json_and_the_readable_version() -> None:
    story = (
        "We broke up two months ago after three years together. He ended it. "
        "I drunk texted him last week."
    )
    data = json.loads(run("story", story, "--json").output)
    assert data["facts"]["days_since_breakup"] == 61
    assert data["facts"]["who_ended"] == "ex"
    quotes = {e["about"]: e["quote"] for e in data["evidence"]}
    assert quotes["relationship_days"] == "three years"
    readable = run("story", story).output
    assert "Where to start" in readable and "“two months ago”" in readable


def test_story_puts_help_first_for_a_crisis() -> None:
    result = run("story", "Since he left I don't want to be alive anymore.", "--country", "GB")
    assert result.exit_code == 0
    first = result.output.splitlines()[0]
    assert "You matter" in first
    assert "116 123" in result.output


def test_story_counts_a_month_name_from_today() -> None:
    data = json.loads(
        run("story", "We broke up in February and I still miss him.", "--json").output
    )
    assert data["facts"]["days_since_breakup"] is not None


def test_a_short_note_is_not_read_as_a_story() -> None:
    result = run("story", "Great post, thank you!")
    assert "Tell me a bit more" in result.output


def test_eval_without_data_says_so_instead_of_crashing(tmp_path) -> None:
    result = run("eval", "--data", str(tmp_path), "--task", "review", "--json")
    assert result.exit_code == 0, result.output
    tables = json.loads(result.output)
    assert tables and all("title" in t for t in tables)
    bad = run("eval", "--task", "tarot")
    assert bad.exit_code == 1 and "unknown tarot" in bad.output


def test_eval_without_the_public_data_says_what_to_pass(tmp_path) -> None:
    result = run("eval", "--task", "review", "--data", str(tmp_path))
    assert result.exit_code == 0, result.output
    said = result.output + (result.stderr if result.stderr_bytes is not None else "")
    assert "The public data sets are not in" in said and "--data DIR" in said
    assert "real texts to an ex" in result.output  # the sets in the repository still count
