"""The command line fed anything: numbers too big or negative, any Unicode in notes and titles,
nulls and undecodable bytes on standard input, a megabyte of text. Every answer is a result
or one clear line (exit 1, or 2 for a malformed option), never a traceback."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from secondchance.cli import app

FUZZ = settings(
    max_examples=15, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)
# argv can't carry \x00 or lone surrogates (the OS refuses them), so those go through stdin.
ARG = st.one_of(
    st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), max_size=60),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(["", "-1", "0", "1e308", "NaN", "🙂" * 50, "2026-02-30", "--", "-"]),
)
STDIN = st.one_of(
    st.binary(max_size=200),
    st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.just(b"\x00" * 10),
    st.just(b"\xff\xfe\xfd"),
)
INIT = [
    "init", "--name", "Alice", "--ex-name", "Sam", "--pronouns", "he", "--who-ended", "ex",
    "--goal", "reconcile", "--country", "GB", "--timezone", "Europe/London",
]  # fmt: skip


@pytest.fixture
def cli(db_url: str):  # type: ignore[no-untyped-def]
    runner = CliRunner()
    env = {"SECONDCHANCE_DATABASE_URL": db_url, "SECONDCHANCE_USER": "alice"}

    def run(*args: str, input: bytes | None = None) -> Any:
        return runner.invoke(app, list(args), input=input, env=env, catch_exceptions=True)

    assert run(*INIT).exit_code == 0
    return run


def clear(result: Any, label: str) -> None:
    assert result.exit_code in (0, 1, 2), f"{label}: exit {result.exit_code}\n{result.output}"
    assert "Traceback" not in result.output, f"{label}: {result.output}"
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), f"{label}: {result.exception!r}"


@pytest.mark.slow
def test_every_command_answers_anything_typed_on_the_command_line(cli) -> None:  # type: ignore[no-untyped-def]
    @FUZZ
    @given(a=ARG, b=ARG)
    def commands(a: str, b: str) -> None:
        for args in [
            ("checkin", "--mood", a, "--note", b),
            ("checkin", "--mood", "5", "--feel", a, "--social-checks", b),
            ("urge", a, "--trigger", b),
            ("memory", "add", a, "--tags", b),
            ("letter", "write", a, "--seal-until", b),
            ("letter", "read", a),
            ("memory", "remove", a),
            ("contact", "--from", a, "--channel", b),
            ("activity", a, "--note", b),
            ("targets", "--exercise", a, "--fun", b),
            ("history", "--kind", a, "--days", b),
            ("review", a, "--stage", b),
            ("story", a, "--country", b),
            ("init", "--name", a, "--timezone", b),
        ]:
            clear(cli(*args), " ".join(args)[:200])

    commands()


@pytest.mark.slow
def test_standard_input_may_hold_anything(cli) -> None:  # type: ignore[no-untyped-def]
    @FUZZ
    @given(data=STDIN)
    def stdin(data: bytes) -> None:
        for args in [("letter", "write", "-"), ("review", "-"), ("story", "-")]:
            clear(cli(*args, input=data), f"{' '.join(args)} < {data[:40]!r}")

    stdin()


def test_a_megabyte_note_is_refused_clearly(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("checkin", "--mood", "5", "--note", "a" * 1_048_576)
    assert result.exit_code == 1 and "too long" in result.output
    letter = cli("letter", "write", "-", input=("💔" * 262_144).encode())
    assert letter.exit_code == 1 and "too long" in letter.output


def test_bytes_that_are_not_utf8_on_standard_input_are_one_clear_line(cli) -> None:  # type: ignore[no-untyped-def]
    """Found by the fuzzer above: a UnicodeDecodeError traceback."""
    for args in [("letter", "write", "-"), ("review", "-"), ("story", "-")]:
        result = cli(*args, input=b"\xff\xfe\xfd")
        assert result.exit_code == 1, args
        assert "isn't UTF-8 text" in result.output and "Traceback" not in result.output
