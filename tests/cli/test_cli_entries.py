"""`secondchance edit` and `delete`: fixing any entry from the terminal."""

from __future__ import annotations

import json
import re
from datetime import timedelta

from cli import test_cli
from cli.test_cli import NOW, fails, ok

# The same people as the other CLI tests: a database per test, alice already set up.
cli = test_cli.cli
alice = test_cli.alice


def streaks(alice) -> dict:  # type: ignore[no-untyped-def]
    return json.loads(ok(alice("status", "--json")))["streaks"]


def only_id(alice, pattern: str) -> str:  # type: ignore[no-untyped-def]
    [found] = re.findall(pattern, ok(alice("history")))
    return found


def test_history_shows_an_id_for_every_kind_it_lists(alice) -> None:  # type: ignore[no-untyped-def]
    ok(alice("contact", "--from", "you"))
    ok(alice("urge", "6"))
    ok(alice("checkin", "--mood", "5"))
    ok(alice("activity", "exercise"))
    ok(alice("memory", "add", "Goat at the wedding"))
    ok(alice("letter", "write", "Dear you", "--title", "First"))
    said = ok(alice("history"))
    for what in (
        "You reached out",
        "Urge 6/10",
        "Check-in: mood 5/10",
        "exercise",
        "Memory: Goat at the wedding",
        "Letter: First",
    ):
        assert re.search(rf"#\d+ {what}", said), said


def test_a_slip_edited_into_a_message_let_be_gives_the_streak_back(alice) -> None:  # type: ignore[no-untyped-def]
    ok(alice("start", "--on", f"{NOW - timedelta(days=9):%Y-%m-%d} 09:00"))
    before = streaks(alice)
    ok(alice("contact", "--from", "you", "--note", "wrong tap"))
    assert streaks(alice)["current"] == 0
    contact_id = only_id(alice, r"#(\d+) You reached out")
    said = ok(alice("edit", "contact", contact_id, "--direction", "ex_to_you", "--answered", "no"))
    assert f"Changed contact #{contact_id}" in said
    assert streaks(alice) == before
    assert re.search(rf"#{contact_id} They reached out .* you let it be", ok(alice("history")))


def test_every_kind_can_be_edited_and_deleted(alice) -> None:  # type: ignore[no-untyped-def]
    ok(alice("urge", "6"))
    ok(alice("checkin", "--mood", "5", "--date", f"{NOW - timedelta(days=2):%Y-%m-%d}"))
    ok(alice("activity", "exercise"))
    urge = only_id(alice, r"#(\d+) Urge")
    checkin = only_id(alice, r"#(\d+) Check-in")
    activity = only_id(alice, r"#(\d+) exercise")
    ok(alice("edit", "urge", urge, "--intensity", "3", "--trigger", "his song"))
    ok(alice("edit", "checkin", checkin, "--mood=7", "--emotions", "hopeful,calm"))
    ok(alice("edit", "activity", activity, "--kind", "gratitude", "--note", "sunny walk"))
    said = ok(alice("history"))
    assert f"#{urge} Urge 3/10, rode it out  his song" in said
    assert f"#{checkin} Check-in: mood 7/10 hopeful, calm" in said
    assert f"#{activity} gratitude  sunny walk" in said
    for kind, entry in (("urge", urge), ("checkin", checkin), ("activity", activity)):
        assert f"Deleted {kind} #{entry}" in ok(alice("delete", kind, entry, "--yes"))
    assert "Nothing logged" in ok(alice("history"))


def test_memories_and_letters_are_edited_by_the_ids_their_lists_show(alice) -> None:  # type: ignore[no-untyped-def]
    [memory] = re.findall(r"#(\d+)", ok(alice("memory", "add", "Goat at the wedding")))
    ok(alice("edit", "memory", memory, "--title", "The goat", "--tags", "wedding,laugh"))
    assert "The goat" in ok(alice("memory", "list"))
    [letter] = re.findall(r"#(\d+)", ok(alice("letter", "write", "Dear you")))
    ok(alice("edit", "letter", letter, "--title", "First"))
    assert "First" in ok(alice("letter", "list"))
    ok(alice("delete", "memory", memory, "--yes"))
    ok(alice("delete", "letter", letter, "--yes"))
    assert "The goat" not in ok(alice("memory", "list"))


def test_a_bad_edit_says_why_and_changes_nothing(alice) -> None:  # type: ignore[no-untyped-def]
    ok(alice("urge", "6"))
    urge = only_id(alice, r"#(\d+) Urge")
    fails(alice("edit", "urge", urge, "--intensity", "11"), "intensity")
    fails(alice("edit", "urge", urge, "--colour", "red"), "you can change --intensity")
    fails(alice("edit", "urge", urge), "say what to change")
    fails(alice("edit", "feelings", urge, "--mood", "3"), "should be one of contact")
    fails(alice("edit", "urge", "999", "--intensity", "3"), "no urge with id 999")
    assert f"#{urge} Urge 6/10" in ok(alice("history"))


def test_deleting_asks_first_and_someone_elses_entry_is_not_found(alice, cli) -> None:  # type: ignore[no-untyped-def]
    ok(alice("urge", "6"))
    urge = only_id(alice, r"#(\d+) Urge")
    assert "Nothing was deleted" in alice("delete", "urge", urge, input="n\n").output
    ok(cli(*test_cli.INIT, user="bob"))
    fails(cli("delete", "urge", urge, "--yes", user="bob"), f"no urge with id {urge}")
    fails(cli("edit", "urge", urge, "--intensity", "1", user="bob"), f"no urge with id {urge}")
    assert f"#{urge} Urge 6/10" in ok(alice("history"))


def test_crisis_words_in_an_edit_show_help_at_once(alice) -> None:  # type: ignore[no-untyped-def]
    ok(alice("urge", "6"))
    urge = only_id(alice, r"#(\d+) Urge")
    said = ok(alice("edit", "urge", urge, "--trigger", "I want to kill myself"))
    assert "988" in said or "116 123" in said or "Samaritans" in said
