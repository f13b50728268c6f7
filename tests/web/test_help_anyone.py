"""Help for anyone, anywhere: /help answers signed out, during onboarding and in every state of
an account, with the lines for the chosen or guessed country; SOS and the safety plan open
before onboarding is finished."""

from __future__ import annotations

import re
from html import unescape

import pytest

from secondchance.analysis import resources
from secondchance.web.routes.help import COUNTRY_COOKIE, chosen_country, languages
from webtools import Browser, sign_up

ABUSE_STORY = (
    "We were together two years. He checked my phone every night, told me my friends were bad "
    "for me until I stopped seeing them, and last month he hit me. I left two weeks ago."
)


def text_of(response) -> str:  # type: ignore[no-untyped-def]
    """The page's words, tags dropped and entities read, for asserting on what a person sees."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.text)))


def selected(response) -> str:  # type: ignore[no-untyped-def]
    found = re.search(r'<option value="(\w+)" selected>', response.text)
    assert found, "no country is selected on the Help page"
    return found.group(1)


# --------------------------------------------------------------------------- signed out


def test_it_shows_the_lines_for_a_chosen_country_signed_out(browser: Browser) -> None:
    response = browser.get("/help?country=AU")
    assert response.status_code == 200
    page = text_of(response)
    assert "Lifeline" in page and "13 11 14" in page and "Call 000" in page
    assert "1800RESPECT" in page  # the abuse line too
    assert selected(response) == "AU"
    assert 'href="tel:131114"' in response.text  # one tap to call


def test_the_chosen_country_is_kept_for_next_time(browser: Browser) -> None:
    first = browser.get("/help?country=nz")
    assert COUNTRY_COOKIE in first.cookies
    again = browser.get("/help", headers={"accept-language": "en-US"})
    assert "1737" in text_of(again) and selected(again) == "NZ"


@pytest.mark.parametrize(
    ("header", "expected", "line"),
    [
        ("en-GB,en;q=0.9", "GB", "116 123"),
        ("en-US", "US", "988"),
        ("fr-FR, en-IE;q=0.8", "IE", "1800 341 900"),  # France has no listing of its own yet
        ("en-CA;q=0.2, en-AU;q=0.9", "AU", "13 11 14"),  # the most wanted language first
    ],
)
def test_it_guesses_the_country_from_the_browser_languages(
    browser: Browser, header: str, expected: str, line: str
) -> None:
    response = browser.get("/help", headers={"accept-language": header})
    assert response.status_code == 200
    assert selected(response) == expected and line in text_of(response)


def test_without_a_country_it_gives_the_general_lines_and_emergency_advice(
    browser: Browser,
) -> None:
    response = browser.get("/help", headers={"accept-language": "en"})
    page = text_of(response)
    assert selected(response) == "other"
    assert "findahelpline.com" in page
    assert "112 in Europe, 911 in North America, 999 in the UK" in page


def test_every_listed_country_and_other_can_be_chosen_without_script(browser: Browser) -> None:
    response = browser.get("/help")
    form = re.search(r'<form method="get" action="/help".*?</form>', response.text, re.S)
    assert form, "the country choice is a plain GET form"
    options = re.findall(r'<option value="(\w+)"', form.group())
    assert options == [*resources.country_names(), "other"]
    for code in resources.countries():
        page = text_of(browser.get(f"/help?country={code}"))
        assert resources.crisis_lines(code)[0].contact in page
        assert resources.abuse_lines(code)[0].contact in page


def test_other_points_to_find_a_helpline_without_the_page_asking_it_for_anything(
    browser: Browser,
) -> None:
    response = browser.get("/help?country=other")
    page = text_of(response)
    assert response.status_code == 200 and selected(response) == "other"
    assert "findahelpline.com" in page and "your local emergency number" in page
    # Nothing on the page loads from another site (and the CSP would refuse it anyway).
    assert not re.search(r'(src|href|action)="(https?:)?//', response.text)
    assert "default-src 'self'" in response.headers["content-security-policy"]


def test_a_country_without_a_listing_gets_the_general_lines(browser: Browser) -> None:
    response = browser.get("/help?country=ZZ")
    assert response.status_code == 200 and selected(response) == "other"
    assert "findahelpline.com" in text_of(response)


def test_signed_out_help_has_quick_exit_and_what_to_do_now(browser: Browser) -> None:
    response = browser.get("/help?country=GB")
    page = text_of(response)
    assert 'id="quick-exit"' in response.text and "data-quick-exit" in response.text
    assert "What to do right now" in page and "next few minutes" in page
    assert "My safety plan" not in page  # that needs an account: nothing to show yet


def test_quick_exit_forgets_the_chosen_country(browser: Browser) -> None:
    browser.get("/help?country=AU")
    response = browser.get("/quick-exit")
    assert response.status_code == 303
    assert any(
        c.startswith(f"{COUNTRY_COOKIE}=") and "Max-Age=0" in c
        for c in response.headers.get_list("set-cookie")
    )


@pytest.mark.parametrize("path", ["/login", "/signup"])
def test_the_sign_in_and_sign_up_pages_link_to_help(browser: Browser, path: str) -> None:
    response = browser.get(path)
    assert response.status_code == 200
    assert response.text.count('href="/help"') >= 2  # the header, and a line on the page


# --------------------------------------------------------------------------- mid-onboarding


@pytest.fixture
def newcomer(app) -> Browser:  # type: ignore[no-untyped-def]
    """Signed up a moment ago, profile questions not answered yet."""
    browser = sign_up(Browser(app), "newcomer", profile=False)
    assert browser.get("/").headers["location"] == "/welcome"
    return browser


def test_help_opens_during_onboarding(newcomer: Browser) -> None:
    response = newcomer.get("/help", headers={"accept-language": "en-GB"})
    assert response.status_code == 200
    page = text_of(response)
    assert "Samaritans" in page and "116 123" in page
    assert "My safety plan" in page and "Back to setting up your space" in page


def test_sos_opens_during_onboarding_with_gentle_defaults(newcomer: Browser) -> None:
    response = newcomer.get("/sos")
    assert response.status_code == 200
    page = text_of(response)
    assert "I want to text them" in page and "Ride it out" in page
    assert "Write it down instead" in page  # the letter form waits for the profile
    assert 'action="/sos/letter"' not in response.text


def test_the_safety_plan_can_be_written_during_onboarding(newcomer: Browser) -> None:
    form = newcomer.get("/help/plan")
    assert form.status_code == 200 and "My reasons to keep going" in text_of(form)
    saved = newcomer.post("/help/plan", {"reasons": "My sister\nThe dog needs walks"})
    assert saved.status_code == 303 and saved.headers["location"] == "/help"
    assert "The dog needs walks" in text_of(newcomer.get("/help"))
    assert "The dog needs walks" in text_of(newcomer.get("/sos"))  # her reasons, at SOS


def test_onboarding_still_opens_from_help(newcomer: Browser) -> None:
    assert newcomer.get("/welcome").status_code == 200


# --------------------------------------------------------------------------- signed in


def test_the_profile_country_is_the_default_and_can_be_changed_on_the_page(
    alice: Browser,
) -> None:
    home = alice.get("/help", headers={"accept-language": "en-US"})
    assert selected(home) == "GB" and "116 123" in text_of(home)
    assert "Your profile says United Kingdom" in text_of(home)
    away = alice.get("/help?country=US")
    assert selected(away) == "US" and "988" in text_of(away)
    # The profile stays the default: choosing on the page changes nothing stored of hers.
    assert selected(alice.get("/help")) == "GB"
    assert alice.client.get("/api/v1/profile").json()["country"] == "GB"


def test_help_sos_and_plan_open_for_someone_onboarded(alice: Browser) -> None:
    for path in ("/help", "/sos", "/help/plan"):
        assert alice.get(path).status_code == 200, path
    assert 'action="/sos/letter"' in alice.get("/sos").text


def test_help_and_sos_in_protection_mode(alice: Browser) -> None:
    alice.get("/welcome/story")
    assert alice.post("/welcome/story", {"story": ABUSE_STORY}).status_code in (200, 303)
    assert alice.client.get("/api/v1/status").json()["protection"] is True
    help_page = alice.get("/help")
    assert help_page.status_code == 200
    assert "0808 2000 247" in text_of(help_page)  # the UK domestic-abuse line
    sos = alice.get("/sos")
    assert sos.status_code == 200
    assert "miss you" not in text_of(sos)  # distance is for safety now, not a tactic


# --------------------------------------------------------------------------- the choice


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("", []),
        ("en-GB,en;q=0.9", ["en-GB", "en"]),
        ("fr;q=0.5, en-GB, en;q=0.8", ["en-GB", "en", "fr"]),
        ("*, de;q=0, es;q=oops, it", ["it"]),
    ],
)
def test_languages_are_read_most_wanted_first(header: str, expected: list[str]) -> None:
    assert languages(header) == expected


def test_the_choice_goes_page_then_profile_then_saved_then_languages() -> None:
    assert chosen_country("AU", "GB", "NZ", "en-US") == "AU"
    assert chosen_country(None, "GB", "NZ", "en-US") == "GB"
    assert chosen_country(None, None, "NZ", "en-US") == "NZ"
    assert chosen_country(None, None, None, "en-US") == "US"
    assert chosen_country(None, None, None, "de-DE") is None
    assert chosen_country("other", "GB", None, "en-GB") is None
    assert chosen_country("uk", None, None, "") == "GB"
