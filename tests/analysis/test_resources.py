"""Help lines by country: right numbers, a fallback that always helps, app-added lines."""

from __future__ import annotations

import pytest

from secondchance.analysis import resources, safety
from secondchance.analysis.resources import Resource, abuse_lines, crisis_lines


def contacts(lines: list[Resource]) -> str:
    return " | ".join(r.contact for r in lines)


@pytest.mark.parametrize(
    ("country", "crisis", "danger"),
    [
        ("US", "988", "911"),
        ("GB", "116 123", "999"),
        ("IE", "116 123", "112"),
        ("AU", "13 11 14", "000"),
        ("CA", "9-8-8", "911"),
        ("NZ", "1737", "111"),
    ],
)
def test_it_lists_the_national_crisis_line_then_the_emergency_number(country, crisis, danger):
    lines = crisis_lines(country)
    assert crisis in lines[0].contact
    assert lines[-1].kind == "emergency"
    assert danger in lines[-1].contact
    assert all(r.country == country for r in lines)


@pytest.mark.parametrize(
    ("country", "number"),
    [
        ("US", "1-800-799-7233"),
        ("GB", "0808 2000 247"),
        ("IE", "1800 341 900"),
        ("AU", "1800 737 732"),
        ("NZ", "0800 733 843"),
        ("CA", "findahelpline.com"),
    ],
)
def test_it_lists_the_domestic_abuse_line(country, number):
    assert number in contacts(abuse_lines(country))


def test_it_mentions_texting_start_to_the_us_hotline():
    assert "START to 88788" in contacts(abuse_lines("US"))


@pytest.mark.parametrize("country", ["gb", " uk ", "Uk"])
def test_it_accepts_any_case_and_the_common_uk_alias(country):
    assert crisis_lines(country) == crisis_lines("GB")


@pytest.mark.parametrize("country", [None, "", "FR", "ZZ", "not a country"])
def test_it_falls_back_to_worldwide_help_for_unknown_countries(country):
    lines = crisis_lines(country)
    text = contacts(lines)
    assert "findahelpline.com" in text
    for number in ("112", "911", "999"):
        assert number in text
    assert all(r.country is None for r in lines)
    assert "http" not in text  # plain text only: the app loads nothing from third parties


def test_resources_are_frozen_and_serialise_plainly():
    line = crisis_lines("US")[0]
    with pytest.raises(AttributeError):
        line.name = "changed"  # type: ignore[misc]
    assert set(line.to_dict()) >= {"name", "contact", "country"}
    assert line.to_dict()["country"] == "US"


def test_overrides_add_lines_first_without_dropping_the_built_in_ones():
    extra = {"countries": {"US": {"crisis": [{"name": "Campus line", "contact": "555-0100"}]}}}
    lines = crisis_lines("US", overrides=extra)
    assert lines[0].contact == "555-0100"
    assert "988" in contacts(lines)
    assert lines[-1].kind == "emergency"


def test_overrides_can_add_a_country_with_its_own_emergency_number():
    germany = {"emergency": "112", "abuse": [{"name": "Hilfe", "contact": "116 016"}]}
    extra = {"countries": {"DE": germany}}
    lines = abuse_lines("de", overrides=extra)
    assert [r.contact for r in lines] == ["116 016", "Call 112"]


def test_overrides_repeating_a_built_in_number_do_not_show_it_twice():
    extra = {"countries": {"US": {"crisis": [{"name": "988", "contact": "Call or text 988"}]}}}
    assert contacts(crisis_lines("US", overrides=extra)).count("988") == 1


def test_for_result_gives_crisis_then_abuse_lines_and_one_emergency_number():
    result = safety.check("I want to die. He hit me again last night.")
    lines = resources.for_result(result, "US")
    assert [r.kind for r in lines] == ["crisis", "abuse", "emergency"]


def test_for_result_is_empty_when_nothing_was_found():
    assert resources.for_result(safety.check("We had pizza."), "GB") == []


def test_every_listed_country_has_crisis_abuse_and_emergency_help():
    for code in resources.countries():
        assert crisis_lines(code)[0].kind == "crisis"
        assert abuse_lines(code)[0].kind == "abuse"
        assert crisis_lines(code)[-1].kind == "emergency"
