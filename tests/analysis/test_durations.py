"""Durations in days, one table row per phrase form, plus the things that are not durations."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from secondchance.analysis.durations import (
    DurationMention,
    first_of_kind,
    month_days,
    number_value,
    parse_durations,
)

TODAY = date(2025, 6, 30)


def only(text: str, today: date | None = None) -> DurationMention:
    found = parse_durations(text, today)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("3 days", 3),
        ("two weeks", 14),
        ("2 wks", 14),
        ("six months", 183),  # 6 x 30.44 = 182.6
        ("1 month", 30),
        ("18 months", 548),
        ("a year", 365),
        ("3 years", 1095),
        ("3yrs", 1095),
        ("6mo", 183),
        ("twenty-one days", 21),
        ("twenty one days", 21),
        ("a couple of weeks", 14),
        ("a couple weeks", 14),
        ("couple of months", 61),
        ("a few days", 3),
        ("few months", 91),
        ("several years", 1095),
        ("half a year", 183),
        ("a year and a half", 548),
        ("one and a half years", 548),
        ("two and half years", 913),
        ("1.5 years", 548),
        ("3,5 years", 1278),
        ("1 1/2 years", 548),
        ("a month and a half", 46),
        ("1 year and 3 months", 456),
        ("2 years 4 months", 852),
        ("2-3 months", 76),
        ("two or three weeks", 18),
        ("3+ years", 1095),
    ],
)
def test_it_reads_each_amount_form_in_days(text: str, days: int) -> None:
    assert only(text).days == days


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        ("almost six months", "almost six months"),
        ("over a year", "over a year"),
        ("just under 2 weeks", "just under 2 weeks"),
        ("nearly 3 years", "nearly 3 years"),
    ],
)
def test_it_keeps_the_hedged_number_and_quotes_the_hedge(text: str, quote: str) -> None:
    mention = only(text)
    assert mention.quote == quote
    assert mention.hedged


@pytest.mark.parametrize(
    ("text", "days", "kind"),
    [
        ("It's been two months since we broke up.", 61, "since_breakup"),
        ("It's only been about a month and a half and I feel no better.", 46, "since_breakup"),
        ("It's been exactly 7 months since ex Tom left.", 213, "since_breakup"),
        ("It has now been two months since I was blindsided and discarded.", 61, "since_breakup"),
        ("It is the two month mark of the breakup.", 61, "since_breakup"),
        ("It's been a month of NC.", 30, "other"),
        ("My alcoholic lover of two years broke up with me.", 730, "relationship"),
        ("We had been with each other for over 2 years.", 730, "relationship"),
        ("my past relationship, which lasted three years", 1095, "relationship"),
        ("It’s been two months since the breakup.", 61, "since_breakup"),
        ("two weeks since he left me", 14, "since_breakup"),
        ("He dumped me two weeks ago.", 14, "since_breakup"),
        ("We broke up 3 months ago", 91, "since_breakup"),
        ("I'm 3 months out and still sad", 91, "since_breakup"),
        ("we have been broken up for 6 months", 183, "since_breakup"),
        ("It has been a month.", 30, "since_breakup"),
        ("day 20 post breakup", 20, "since_breakup"),
        ("We were together for 3 years.", 1095, "relationship"),
        ("We dated for almost six months", 183, "relationship"),
        ("I dated this girl for 3 years", 1095, "relationship"),
        ("my girlfriend of four years", 1460, "relationship"),
        ("a 3-year relationship", 1095, "relationship"),
        ("our 2 year anniversary", 730, "relationship"),
        ("after 2 years together", 730, "relationship"),
        ("We broke up after 9 years.", 3285, "relationship"),
        ("I saw her two weeks ago at a party", 14, "ago"),
        ("we met 3 years ago", 1095, "ago"),
        ("It's been 2 months since we met", 61, "other"),
        ("I went to Spain for two weeks", 14, "other"),
        ("day 12 of no contact", 12, "other"),
    ],
)
def test_it_says_what_the_duration_measures(text: str, days: int, kind: str) -> None:
    mention = only(text)
    assert (mention.days, mention.kind) == (days, kind)


@pytest.mark.parametrize(
    ("text", "days", "kind"),
    [
        ("He broke up with me last night.", 1, "since_breakup"),
        ("I cried last night.", 1, "ago"),
        ("She dumped me yesterday", 1, "since_breakup"),
        ("We broke up today", 0, "since_breakup"),
        ("I saw him last week", 7, "ago"),
    ],
)
def test_it_reads_recent_days_by_name(text: str, days: int, kind: str) -> None:
    mention = only(text)
    assert (mention.days, mention.kind) == (days, kind)


def test_it_links_two_amounts_in_one_sentence_to_the_right_things() -> None:
    found = parse_durations("Two weeks ago I ended a nearly 2 year relationship.")
    assert [(d.days, d.kind) for d in found] == [(14, "since_breakup"), (730, "relationship")]
    assert first_of_kind(found, "relationship").quote == "nearly 2 year"


def test_it_reads_out_of_a_relationship_both_ways() -> None:
    found = parse_durations("I'm 3 months out of a 5 year relationship")
    assert [(d.days, d.kind) for d in found] == [(91, "since_breakup"), (1825, "relationship")]


@pytest.mark.parametrize(
    "text",
    [
        "two people",
        "One day he said he loved me",
        "my 3 year old son",
        "my 3-year-old",
        "I'm 25 years old",
        "he is two years older than me",
        "once a week",
        "three times a week",
        "every 2 weeks",
        "7 days a week",
        "the day we met",
        "in 2019",
        "I have 2 kids",
        "her last year of college",
        "",
    ],
)
def test_it_finds_no_duration_where_there_is_none(text: str) -> None:
    assert parse_durations(text) == []


def test_month_names_need_a_reference_date() -> None:
    mention = only("We broke up in February.")
    assert mention.days is None
    assert mention.kind == "since_breakup"
    assert only("We broke up in February.", TODAY).days == (TODAY - date(2025, 2, 15)).days


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("since February", (TODAY - date(2025, 2, 15)).days),
        ("since November", (TODAY - date(2024, 11, 15)).days),  # last November
        ("back in March 2023", (TODAY - date(2023, 3, 15)).days),
        ("on June 3rd", 27),
        ("since June", 15),
    ],
)
def test_it_counts_days_from_a_month_name(text: str, days: int) -> None:
    assert only(text, TODAY).days == days


def test_may_the_verb_is_not_a_month() -> None:
    assert parse_durations("in may be the end", TODAY) == []


def test_month_days_is_never_negative() -> None:
    assert month_days(6, date(2025, 6, 3)) == 2  # the 15th is still ahead: count from the 1st
    assert month_days(1, date(2025, 1, 1), year=2030) == 0


@pytest.mark.parametrize(
    ("word", "value"),
    [("2", 2.0), ("2.5", 2.5), ("a couple of", 2.0), ("twenty-one", 21.0), ("lots", None)],
)
def test_number_value(word: str, value: float | None) -> None:
    assert number_value(word) == value


def test_spans_quote_the_text_exactly() -> None:
    text = "So… it’s been almost six months since we broke up 💔 and we were together 3 yrs."
    for d in parse_durations(text):
        assert text[d.start : d.end] == d.quote


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_gives_valid_spans(text: str) -> None:
    for d in parse_durations(text, TODAY):
        assert text[d.start : d.end] == d.quote
        assert d.days is None or d.days >= 0
        assert d.kind in ("since_breakup", "relationship", "ago", "other")


@pytest.mark.slow
def test_a_megabyte_of_text_is_read_in_one_pass() -> None:
    text = ("We were together for 3 years and broke up two weeks ago. " * 18_000)[:1_000_000]
    found = parse_durations(text)
    assert len(found) > 30_000


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("I have been separated from my wife for two months and it is hard.", 61),
        ("I've been divorced for 6 years and we share the kids.", 2191),
        ("It's almost four months now since she broke up with me.", 122),
    ],
)
def test_time_since_told_around_the_separation(text: str, days: int) -> None:
    found = [m for m in parse_durations(text, None) if m.kind == "since_breakup"]
    assert found and abs(found[0].days - days) <= 2


@pytest.mark.parametrize(
    ("text", "kind", "days"),
    [
        # Hours and minutes are today, not "no figure".
        ("It's been 16 hours and 24 minutes since he broke up with me.", "since_breakup", 1),
        ("She dumped me 5 hours ago.", "since_breakup", 0),
        # "That was..." points back at the breakup told in the sentence before.
        ("He broke up with me over the phone. That was 3 days ago.", "since_breakup", 3),
        ("We went out for 2 years.", "relationship", 730),
    ],
)
def test_hours_pointing_back_and_going_out(text: str, kind: str, days: int) -> None:
    found = first_of_kind(parse_durations(text), kind)
    assert found is not None and found.days == days


def test_pointing_back_needs_a_breakup_just_before() -> None:
    found = parse_durations("We went to the beach. That was 3 days ago.")
    assert [m.kind for m in found] == ["ago"]
