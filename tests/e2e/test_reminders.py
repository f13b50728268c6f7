"""Reminders in a real browser: choosing a time, seeing the next reminder, the calendar feed,
and asking for notifications as far as headless Chromium goes (it has no push service to
reach here, so subscribing ends in a kind "couldn't", never an error)."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

from e2e.browse import axe_violations, new_person

pytestmark = pytest.mark.e2e

NEXT = re.compile(r"Your next reminder: (now|today at 07:45|tomorrow at 07:45)")


def fetch(url: str) -> tuple[int, str, str]:
    """Open ``url`` as a calendar app would: no cookies, no browser."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            body = response.read().decode()
            return response.status, response.headers["content-type"], body
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("content-type", ""), ""


def test_choosing_a_time_shows_the_next_reminder_and_a_working_calendar_link(page, site) -> None:
    new_person(page, "reminders")
    page.goto("/settings")
    section = page.locator("#reminders")
    expect(section.get_by_role("heading", name="Reminders")).to_be_visible()
    expect(section).to_contain_text("Reminders on your devices are off.")
    page.get_by_label("Remind me at").fill("07:45")
    page.get_by_label("From").fill("23:00")
    page.get_by_label("Until").fill("06:30")
    page.get_by_label("Send reminders to my devices").check()
    page.get_by_label("Keep a private calendar feed").check()
    page.get_by_role("button", name="Save reminders").click()

    expect(page.get_by_role("status").first).to_contain_text("Reminders saved.")
    expect(page.locator("[data-next-reminder]")).to_have_text(NEXT)
    expect(page.get_by_label("Remind me at")).to_have_value("07:45")
    expect(page.get_by_label("Until")).to_have_value("06:30")
    assert not axe_violations(page)

    link = page.get_by_label("Your calendar link").input_value()
    assert re.fullmatch(rf"{re.escape(site.url)}/calendar/[\w-]+\.ics", link), link
    status, kind, body = fetch(link)
    assert status == 200 and kind.startswith("text/calendar")
    assert "BEGIN:VCALENDAR" in body and "DTSTART;TZID=Europe/London:" in body
    assert re.search(r"DTSTART;TZID=Europe/London:\d{8}T074500", body)
    assert "RRULE:FREQ=DAILY" in body

    page.get_by_role("button", name="Make a new link").click()
    expect(page.get_by_role("status").first).to_contain_text("new calendar link")
    new_link = page.get_by_label("Your calendar link").input_value()
    assert new_link != link
    assert fetch(link)[0] == 404, "the old link stops working"
    assert fetch(new_link)[0] == 200


def test_asking_for_notifications_says_kindly_when_the_browser_cannot(page) -> None:
    new_person(page, "reminders-push")
    # Playwright's contexts are incognito, where Chromium itself logs that push can't work.
    page.watch.expect("does not support the Push API")  # type: ignore[attr-defined]
    page.context.grant_permissions(["notifications"])
    page.goto("/settings")
    allow = page.get_by_role("button", name="Allow reminders on this device")
    expect(allow).to_be_visible()
    allow.click()
    status = page.locator("[data-push-status]")
    # Headless Chromium has no push service here: the page says so and offers the calendar.
    # (Where one answers, it says "Done" and the device is counted.)
    expect(status).to_contain_text(re.compile(r"couldn't turn on reminders|Done\."), timeout=20_000)
    expect(allow).to_be_enabled()


def test_the_service_worker_shows_a_pushed_reminder(page, site) -> None:
    """The browser's debugging protocol hands the service worker a push message, as a push
    service would after decrypting nothing (the browser decrypts; see tests/services)."""
    new_person(page, "reminders-sw")
    page.context.grant_permissions(["notifications"])
    page.goto("/settings")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    cdp = page.context.new_cdp_session(page)
    registrations: list[dict] = []  # type: ignore[type-arg]
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda e: registrations.extend(e["registrations"]),
    )
    cdp.send("ServiceWorker.enable")
    for _ in range(50):  # the registrations are reported as events, soon after enabling
        if registrations:
            break
        page.wait_for_timeout(100)
    (registration,) = [r for r in registrations if not r.get("isDeleted")]
    message = json.dumps(
        {"title": "secondchance", "body": "A minute for yourself?", "url": "/checkin", "tag": "x"}
    )
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": site.url, "registrationId": registration["registrationId"], "data": message},
    )
    shown = page.evaluate(
        """async () => {
          const reg = await navigator.serviceWorker.ready;
          for (let i = 0; i < 50; i++) {
            const found = await reg.getNotifications();
            if (found.length) return found.map(n => [n.title, n.body, n.data.url]);
            await new Promise(r => setTimeout(r, 100));
          }
          return [];
        }"""
    )
    assert shown == [["secondchance", "A minute for yourself?", "/checkin"]]
