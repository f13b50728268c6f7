"""The safety notice after words are saved: decided once (services/safety_notice), so the web
pages, the JSON API and the command line say the same thing for the same words."""

from __future__ import annotations

from secondchance.services.safety_notice import notice_for, notice_in

CRISIS = "I want to kill myself"
ABUSE = "he hit me"
CONCERN = "I feel empty and numb, I cry every night and I can't see the point of anything anymore."


def names(notice) -> list[str]:  # type: ignore[no-untyped-def]
    return [line.name for line in notice.help]


def test_it_puts_crisis_first_with_the_countrys_crisis_lines() -> None:
    notice = notice_for("GB", "a quiet day", CRISIS)
    assert (notice.level, notice.crisis, notice.abuse, notice.flagged) == (
        "crisis",
        True,
        False,
        True,
    )
    assert any("Samaritans" in name for name in names(notice))
    assert [e.quote for e in notice.evidence] == ["kill myself"]


def test_abuse_alone_gives_the_abuse_lines() -> None:
    notice = notice_for("GB", ABUSE)
    assert (notice.level, notice.flagged) == ("abuse", True)
    assert notice.help and {line.kind for line in notice.help} <= {"abuse", "emergency"}


def test_crisis_and_abuse_list_each_line_once() -> None:
    notice = notice_for("US", CRISIS, ABUSE)
    assert notice.level == "crisis" and notice.abuse
    assert len(names(notice)) == len(set(names(notice)))


def test_a_concern_is_gentle_with_no_list_and_nothing_is_nothing() -> None:
    concern = notice_for("GB", CONCERN)
    assert (concern.level, concern.flagged, concern.help) == ("concern", False, ())
    quiet = notice_for("GB", "", "  ", "went for a walk")
    assert (quiet.level, quiet.help, quiet.evidence) == ("none", (), ())


def test_two_fields_are_read_apart() -> None:
    # "kill" at the end of one field and "myself" at the start of the next are no phrase.
    assert notice_for("GB", "I could kill", "myself a sandwich").level == "none"


def test_it_places_the_help_in_the_persons_own_country(session, alice) -> None:  # type: ignore[no-untyped-def]
    assert names(notice_in(session, alice, CRISIS)) == names(notice_for("GB", CRISIS))


def test_its_json_holds_the_level_and_the_same_lines(session, alice) -> None:  # type: ignore[no-untyped-def]
    notice = notice_in(session, alice, CRISIS)
    data = notice.to_dict()
    assert data["level"] == "crisis" and data["crisis"] is True
    assert [line["name"] for line in data["help"]] == names(notice)
