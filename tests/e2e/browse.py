"""What a person does in the browser, written once: sign up, answer the profile questions, run
axe-core on a page, and reach Help from the keyboard."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from playwright.sync_api import Page, expect

PASSWORD = "a long and happy sentence"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
SERIOUS = ("serious", "critical")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def sign_up(page: Page, username: str) -> None:
    """Create an account through the sign-up form; ends on the profile questions."""
    page.goto("/signup")
    page.get_by_label("Choose a name to sign in with").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create my space").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    page.get_by_role("link", name="I've saved them, continue").click()
    expect(page).to_have_url(re.compile(r"/welcome$"))


def answer_profile(
    page: Page, *, name: str = "Alice", ex_name: str = "Sam", timezone: str | None = None
) -> None:
    """Answer the profile questions the way a person would; ends on the page that follows.

    The time zone is the one the browser suggests for the United Kingdom, unless ``timezone``
    is given (typed in, as someone living elsewhere would)."""
    page.get_by_label("Your first name").fill(name)
    page.get_by_label("Your ex's first name").fill(ex_name)
    choose(page, "he")
    choose(page, "They did")
    choose(page, "To get back together")
    page.get_by_label("Where you live").select_option(label="United Kingdom")
    expect(page.get_by_label("Your time zone")).to_have_value("Europe/London")
    if timezone is not None:
        page.get_by_label("Your time zone").fill(timezone)
    page.get_by_role("button", name=re.compile("^(Next|Save)")).click()
    expect(page).not_to_have_url(re.compile(r"/welcome$"))


def choose(page: Page, label: str) -> None:
    """Tick the radio button or checkbox with exactly this label (styled as a chip)."""
    box = page.get_by_label(label, exact=True)
    # Chips hide the native control and show its label: tap what a person sees.
    page.locator("label").filter(has=box).click()
    expect(box).to_be_checked()


def new_person(page: Page, username: str, *, timezone: str | None = None) -> None:
    """Sign up and answer the profile questions; ends on Today, whatever comes in between."""
    sign_up(page, username)
    answer_profile(page, timezone=timezone)
    skip_story(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hi Alice")


def skip_story(page: Page) -> None:
    """From the story question after onboarding, go on to Today without telling it."""
    expect(page).to_have_url(re.compile(r"/welcome/story$"))
    page.get_by_role("link", name="Skip for now").click()
    expect(page).to_have_url(re.compile(r"/$"))


@cache
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def axe_violations(page: Page) -> list[str]:
    """Serious and critical axe-core violations on the page as it is now, one line each.

    axe is evaluated by the browser's debugging protocol, which the page's CSP doesn't govern,
    so the page keeps its real policy while it is checked.
    """
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    found = page.evaluate(
        """async () => {
          const result = await axe.run(document, {resultTypes: ["violations"]});
          return result.violations.map((v) => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
          }));
        }"""
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {', '.join(v['nodes'])}"
        for v in found
        if v["impact"] in SERIOUS
    ]


def assert_accessible(page: Page) -> None:
    problems = axe_violations(page)
    assert not problems, f"axe on {page.url}:\n" + "\n".join(problems)


def tab_to(page: Page, name: str, *, limit: int = 8) -> None:
    """Press Tab from the top of the page until the focused element is called ``name``."""
    # A click on the page's top corner puts the keyboard's starting point there, even when
    # the address has a #fragment that would otherwise start it further down.
    page.mouse.click(0, 0)
    for _ in range(limit):
        page.keyboard.press("Tab")
        label = page.evaluate(
            "() => { const e = document.activeElement;"
            " return e ? (e.getAttribute('aria-label') || e.textContent || '').trim() : ''; }"
        )
        if label.startswith(name):
            return
    raise AssertionError(f"{name!r} not reached with {limit} presses of Tab on {page.url}")


def sign_in(page: Page, username: str, password: str = PASSWORD) -> None:
    """Sign in through the form; ends on Today."""
    page.goto("/login")
    page.get_by_label("Name").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/$"))
