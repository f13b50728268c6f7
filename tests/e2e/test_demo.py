"""The demo account's main pages in a real browser: each renders without console or CSP errors,
has no serious accessibility problems in light and dark mode, and reaches Help by keyboard.

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

from e2e.browse import assert_accessible, routed, sign_in, tab_to
from secondchance.services.demo import fill_demo_account

pytestmark = pytest.mark.e2e

DEMO = ("demo", "just-looking-around")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
# Every page a person reaches from the tabs and the More menu.
MAIN_PAGES = [
    "/",
    "/checkin",
    "/sos",
    "/letters",
    "/contact",
    "/focus",
    "/memories",
    "/step4",
    "/step4/ready",
    "/step4/compose",
    "/step4/talk",
    "/insights",
    "/story",
    "/more",
    "/settings",
    "/help",
    "/help/plan",
    "/welcome",
]


@pytest.fixture(scope="module")
def demo(site):  # type: ignore[no-untyped-def]
    """The six-week example account, ending now."""
    with site.session() as session:
        fill_demo_account(session, *DEMO, datetime.now(UTC))
    return DEMO


def _built(site, path: str) -> None:  # type: ignore[no-untyped-def]
    if not routed(site, path):
        pytest.skip(f"{path} is not built yet")


@pytest.mark.parametrize("path", MAIN_PAGES)
def test_main_page_is_accessible_and_reaches_help_by_keyboard(
    themed_page, site, demo, path: str
) -> None:
    _built(site, path)
    page = themed_page
    sign_in(page, *demo)
    response = page.goto(path)
    assert response is not None and response.status == 200, f"{path} answered {response.status}"
    assert_accessible(page)
    tab_to(page, "Help now")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/help$"))


def _compose_with_review(page) -> None:  # type: ignore[no-untyped-def]
    box = page.get_by_role("textbox").first
    box.click()
    with page.expect_response(re.compile(r"/step4/review")):
        page.keyboard.type("Haha, I miss you. Saw a goat today and thought of the wedding!")
    expect(page.locator("mark.mark-problem").first).to_be_visible()


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
    page = pages(scale=2)
    sign_in(page, *demo)
    taken = []
    for name, path, before in SHOTS:
        if not routed(site, path):
            continue
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
