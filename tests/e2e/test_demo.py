"""The demo account's main pages in a real browser: each renders without console or CSP errors,
has no serious accessibility problems in light and dark mode, fits a 320px screen, and reaches
Help by keyboard.

With SECONDCHANCE_SCREENSHOTS=1 the screenshot test also saves the phone-size PNGs shown in
the README to docs/screenshots/ (otherwise they go to a temporary folder and are thrown away).
"""

from __future__ import annotations

import os
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from e2e.browse import assert_accessible, tab_to
from e2e.conftest import Watch, open_page
from secondchance.models import Activity, Letter, Memory, ReadinessCheck, User
from secondchance.services.demo import fill_demo_account
from secondchance.web.routes import ROUTERS

pytestmark = pytest.mark.e2e

DEMO = ("demo", "just-looking-around")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
# Routes that aren't a page to look at while signed in, and why.
NOT_PAGES = {
    "/healthz": "a health check",
    "/healthz/live": "a health check",
    "/manifest.webmanifest": "an app file",
    "/sw.js": "an app file",
    "/settings/export.json": "a download (the journey opens it)",
    "/settings/export.csv.zip": "a download",
    "/quick-exit": "signs out (test_shell follows it)",
    "/weather": "the neutral page outside the app (test_shell checks it)",
    "/signup": "sends a signed-in person to Today (test_shell checks it signed out)",
    "/login": "checked signed out in test_shell",
    "/journal/{entry_id}/edit": "needs a journal entry, which the demo doesn't have",
    "/calendar/{secret}.ics": "a calendar file for calendar apps (test_reminders opens it)",
}


def _page_paths() -> list[str]:
    """Every GET page of the app, found from its routers, so a new page is checked too."""
    paths = {
        route.path
        for router, prefix in ROUTERS
        if not prefix
        for route in router.routes
        if "GET" in getattr(route, "methods", ())
    }
    # Files for machines under /.well-known/ (security.txt and the like) aren't pages either.
    return sorted(p for p in paths - set(NOT_PAGES) if not p.startswith("/.well-known/"))


MAIN_PAGES = _page_paths()
# Pages shown to anyone, signed in or not, without the Help link (Help needs an account);
# each gives the crisis numbers in its own words instead.
NO_HELP_LINK = {"/offline", "/goodbye"}


@pytest.fixture(scope="module")
def demo(site, signed_in_cookies) -> list:  # type: ignore[no-untyped-def]
    """The six-week example account, ending now: the cookies of a signed-in browser."""
    with site.session() as session:
        fill_demo_account(session, *DEMO, datetime.now(UTC))
    return signed_in_cookies(*DEMO)


@pytest.fixture(scope="module")
def demo_ids(site, demo) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Ids of the demo account's own rows, for the pages with one in their path."""
    with site.session() as session:
        user = session.scalar(select(User).where(User.username == DEMO[0]))
        assert user is not None

        def first(model) -> int:  # type: ignore[no-untyped-def]
            found = session.scalar(
                select(model.id).where(model.user_id == user.id).order_by(model.id.desc())
            )
            assert found is not None, f"the demo account has no {model.__name__}"
            return found

        return {
            "letter_id": first(Letter),
            "memory_id": first(Memory),
            "check_id": first(ReadinessCheck),
            "slug": "the-first-text",  # a lesson (not a row): the demo is in step 4
            # The edit and delete pages, shown for one of the demo's activities.
            "kind": "activity",
            "entry_id": first(Activity),
        }


def _filled(path: str, ids: dict[str, int]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(ids[m.group(1)]), path)


# Pages known to be too wide at 320px, with what makes them so (none at the moment).
TOO_WIDE: dict[str, str] = {}
NARROW = {"width": 320, "height": 640}


@pytest.fixture(scope="module")
def demo_browsers(chromium, site, demo):  # type: ignore[no-untyped-def]
    """One signed-in browser (context and page) per theme, going from page to page.

    A fresh context per page cost about a third of each check (the context, and every style
    sheet and script fetched again); a person's browser goes from page to page the same way.
    Service workers are blocked so that every page still comes from the server, as on a first
    visit, and not through the worker the first page would install.
    """
    opened: dict[str, tuple] = {}

    def browser_for(theme: str):  # type: ignore[no-untyped-def]
        if theme not in opened:
            watch = Watch()
            page = open_page(
                chromium, site, watch, dark=theme == "dark", cookies=demo, service_workers="block"
            )
            opened[theme] = (page, watch)
        return opened[theme]

    yield browser_for
    for page, _ in opened.values():
        page.context.close()


@pytest.fixture
def demo_page(request: pytest.FixtureRequest, demo_browsers):  # type: ignore[no-untyped-def]
    """The theme's open page, failing the test on what the browser saw while it ran (as
    ``pages`` does)."""
    page, watch = demo_browsers(request.node.callspec.params["theme"])
    for seen in (watch.console_errors, watch.script_errors, watch.csp_violations):
        seen.clear()  # what the page before saw was that test's to report
    watch.server_errors.clear()
    yield page
    problems = watch.problems()
    assert not problems, "the browser saw problems:\n" + "\n".join(problems)


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("path", MAIN_PAGES)
def test_main_page_is_accessible_and_reaches_help_by_keyboard(
    demo_page, demo_ids, path: str, theme: str
) -> None:
    page = demo_page
    response = page.goto(_filled(path, demo_ids))
    assert response is not None and response.status == 200, f"{path} answered {response.status}"
    assert_accessible(page)
    if theme == "light":
        # The same page on a 320px screen, once per page (in the light theme, as ever).
        _assert_fits_320_pixels(page, path)
    if path in NO_HELP_LINK:
        return
    tab_to(page, "Help now")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/help$"))


def _assert_fits_320_pixels(page, path: str) -> None:  # type: ignore[no-untyped-def]
    """Narrow the open page to 320px and back: nothing may stick out sideways.

    Checked on the page already open rather than on a page of its own, which cost a browser
    context and a page load per path; the layout is the browser's at 320px either way.
    """
    phone = page.viewport_size
    page.set_viewport_size(NARROW)
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    page.set_viewport_size(phone)
    if path in TOO_WIDE:  # strict, so a fix shows up
        assert overflow > 0, f"{path} fits a 320px screen now: take it out of TOO_WIDE"
        return
    assert overflow <= 0, f"{path} is {overflow}px wider than a 320px screen"


def _compose_with_review(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("textbox", name=re.compile(r"^Your (first text|next message) to")).click()
    with page.expect_response(lambda r: r.url.endswith("/step4/review")):
        page.keyboard.type("Haha, I miss you! Saw a goat today and thought of the wedding")
    marked = page.locator("#review .draft-marked")
    expect(marked.locator("mark").first).to_be_visible()
    # The verdict and the marked draft in the middle of the picture.
    marked.evaluate("element => element.scrollIntoView({block: 'center'})")


# (file name, page, what to do there before the picture)
SHOTS = [
    ("today", "/", None),
    ("checkin", "/checkin", None),
    ("sos", "/sos", None),
    ("compose", "/step4/compose", _compose_with_review),
    ("insights", "/insights", None),
    ("help", "/help", None),
]


def test_screenshots_of_the_main_pages_at_phone_size(pages, site, demo, tmp_path: Path) -> None:
    page = pages(scale=2, cookies=demo)
    taken = []
    for name, path, before in SHOTS:
        page.goto(path)
        if before:
            before(page)
        target = tmp_path / f"{name}.png"
        page.screenshot(path=target, animations="disabled", caret="hide")
        assert target.stat().st_size < 300_000, f"{name}.png is too large to keep in the repo"
        taken.append(target)
    assert taken, "no page to take a picture of"
    if os.environ.get("SECONDCHANCE_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for picture in taken:
            shutil.copyfile(picture, SCREENSHOTS / picture.name)
