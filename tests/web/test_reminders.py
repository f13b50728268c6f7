"""Reminders through the web: the Settings section, subscribing a browser, the calendar feed,
and the scheduler inside the app."""

from __future__ import annotations

import asyncio
import base64
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from html import unescape

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from fastapi.testclient import TestClient
from icalendar import Calendar

from secondchance.config import Settings
from secondchance.services.people import find_user
from secondchance.web import create_app
from secondchance.web.scheduler import send_reminders_forever
from webtools import FROZEN, Browser, sign_up

NOW = datetime.fromisoformat(FROZEN).astimezone(UTC)  # 15:00 in London, a Wednesday
LINK = re.compile(r'id="calendar-link"[^>]*value="[^"]*/calendar/([^"/]+)\.ics"')


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def browser_keys() -> dict[str, str]:
    key = ec.generate_private_key(ec.SECP256R1())
    raw = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return {"p256dh": b64(raw), "auth": b64(b"0123456789abcdef")}


def text_of(response) -> str:  # type: ignore[no-untyped-def]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.text)).split())


def save(browser: Browser, **fields: str):  # type: ignore[no-untyped-def]
    browser.get("/settings")
    return browser.post("/settings/reminders", {"at": "20:00", **fields})


@pytest.mark.usefixtures("frozen")
def test_settings_show_the_next_reminder_from_the_chosen_time(alice) -> None:
    page = text_of(alice.get("/settings"))
    assert "Reminders" in page and "Reminders on your devices are off." in page
    response = save(alice, at="18:30", push_on="1")
    assert response.status_code == 303 and response.headers["location"] == "/settings#reminders"
    page = text_of(alice.follow(response))
    assert "Reminders saved." in page
    assert "Your next reminder: today at 18:30, only if you haven't checked in by then." in page
    assert "No device is set to receive it yet" in page
    alice.get("/checkin")
    alice.post("/checkin", {"mood": "6"})
    page = text_of(alice.get("/settings"))
    assert "You've checked in today, so nothing more today." in page
    assert "Your next reminder: tomorrow at 18:30" in page


@pytest.mark.usefixtures("frozen")
def test_a_time_inside_quiet_hours_says_none_would_come(alice) -> None:
    save(alice, at="23:00", quiet_start="22:00", quiet_end="07:00", push_on="1")
    page = text_of(alice.get("/settings"))
    assert "23:00 is inside your quiet hours, so no reminder would come." in page


@pytest.mark.usefixtures("frozen")
def test_a_wrong_time_is_explained_next_to_the_field(alice) -> None:
    response = save(alice, at="25:99")
    assert response.status_code == 400
    assert "choose a time like 20:30" in unescape(response.text)
    half = save(alice, quiet_start="22:00")
    assert half.status_code == 400 and "both a start and an end" in unescape(half.text)


@pytest.mark.usefixtures("frozen")
def test_a_browser_subscribes_through_the_api_and_can_be_forgotten(alice, bob) -> None:
    alice.get("/settings")
    body = {"endpoint": "https://fcm.googleapis.com/fcm/send/alice-phone", "keys": browser_keys()}
    response = alice.api("POST", "/api/v1/push/subscriptions", json=body)
    assert response.status_code == 201 and response.json() == {"devices": 1}
    state = alice.api("GET", "/api/v1/reminders").json()
    assert state["push_on"] is True and state["devices"] == 1 and state["why"] == "later"
    assert state["next_at"] == "2026-11-18T20:00:00+00:00"
    assert bob.api("GET", "/api/v1/reminders").json()["devices"] == 0
    page = text_of(alice.get("/settings"))
    assert "Reminders go to 1 device." in page
    forgotten = alice.post("/settings/reminders/devices/forget")
    assert forgotten.status_code == 303
    assert alice.api("GET", "/api/v1/reminders").json()["devices"] == 0


@pytest.mark.usefixtures("frozen")
def test_a_subscription_elsewhere_than_a_push_service_is_refused(alice) -> None:
    alice.get("/settings")
    for endpoint in ("http://127.0.0.1:8000/admin", "https://attacker.example/collect"):
        body = {"endpoint": endpoint, "keys": browser_keys()}
        response = alice.api("POST", "/api/v1/push/subscriptions", json=body)
        assert response.status_code == 422, endpoint
    key = alice.api("GET", "/api/v1/push/key").json()["public_key"]
    assert len(base64.urlsafe_b64decode(key + "=")) == 65
    assert 'data-push-key="' + key + '"' in alice.get("/settings").text


@pytest.mark.usefixtures("frozen")
def test_the_calendar_feed_needs_its_secret_and_a_new_link_retires_the_old(app, alice) -> None:
    save(alice, at="21:00", calendar_on="1")
    page = alice.get("/settings")
    secret = LINK.search(page.text).group(1)  # type: ignore[union-attr]
    stranger = TestClient(app, base_url="http://testserver")  # calendar apps don't sign in
    feed = stranger.get(f"/calendar/{secret}.ics")
    assert feed.status_code == 200
    assert feed.headers["content-type"].startswith("text/calendar")
    parsed = Calendar.from_ical(feed.content)
    (checkin,) = [e for e in parsed.walk("VEVENT") if str(e["uid"]).startswith("checkin")]
    assert checkin.decoded("dtstart").strftime("%H:%M") == "21:00"
    assert "http://testserver/checkin" in str(checkin["description"])
    assert stranger.get(f"/calendar/{secret}x.ics").status_code == 404
    assert stranger.get("/calendar/nothing.ics").status_code == 404
    renewed = alice.post("/settings/reminders/calendar-link")
    assert renewed.status_code == 303
    new_secret = LINK.search(alice.get("/settings").text).group(1)  # type: ignore[union-attr]
    assert new_secret != secret
    assert stranger.get(f"/calendar/{secret}.ics").status_code == 404
    assert stranger.get(f"/calendar/{new_secret}.ics").status_code == 200
    save(alice, at="21:00")  # calendar switched off
    assert stranger.get(f"/calendar/{new_secret}.ics").status_code == 404


def test_the_scheduler_runs_with_the_app_unless_switched_off(db_url: str) -> None:
    on = create_app(Settings(database_url=db_url, environment="test", secret_key="k"))
    with TestClient(on):
        task = on.state.reminder_task
        assert task is not None and not task.done()
    assert task.cancelled() or task.done()
    on.state.engine.dispose()
    off = create_app(
        Settings(database_url=db_url, environment="test", secret_key="k", reminders=False)
    )
    with TestClient(off):
        assert off.state.reminder_task is None
    off.state.engine.dispose()


def test_the_scheduler_sends_a_due_reminder_to_the_push_service(db_url: str) -> None:
    from services.test_reminders import Browser as PushBrowser
    from services.test_reminders import PushService

    service = PushService()
    settings = Settings(
        database_url=db_url, environment="test", secret_key="k", push_hosts=["127.0.0.1"]
    )
    app = create_app(settings)
    try:
        alice = sign_up(Browser(app), "alice")
        alice.get("/settings")
        phone = PushBrowser()
        body = {
            "endpoint": f"{service.url}/push/alice",
            "keys": {"p256dh": phone.p256dh, "auth": b64(phone.auth)},
        }
        assert alice.api("POST", "/api/v1/push/subscriptions", json=body).status_code == 201
        # Midnight: due all day long, whenever this test runs, as nothing is logged.
        save(alice, at="00:00", push_on="1")

        async def until_sent() -> None:
            task = asyncio.create_task(send_reminders_forever(app, interval=0.05))
            for _ in range(200):
                if service.requests:
                    break
                await asyncio.sleep(0.05)
            task.cancel()

        # A loop of its own, on its own thread: a browser test earlier in this worker may have
        # left Playwright's loop running on this one.
        with ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(asyncio.run, until_sent()).result()
        (request,) = service.requests
        assert phone.decrypt(request[2])["url"] == "/checkin"
        with app.state.sessions() as session:
            assert find_user(session, "alice") is not None
    finally:
        service.close()
        app.state.engine.dispose()


@pytest.mark.usefixtures("frozen")
def test_the_api_changes_settings_and_makes_a_new_calendar_link(app, alice, bob) -> None:
    alice.get("/settings")
    body = {"push_on": True, "calendar_on": True, "at": "07:30", "quiet_start": "22:00"}
    refused = alice.api("PUT", "/api/v1/reminders", json=body)
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"] == [
        "body",
        "quiet_end",
    ]
    body["quiet_end"] = "06:00"
    saved = alice.api("PUT", "/api/v1/reminders", json=body).json()
    assert saved["at"] == "07:30" and saved["quiet_end"] == "06:00"
    # 15:00 is after 07:30 and nothing is logged today: one is due now.
    assert saved["next_at"] == "2026-11-18T15:00:00+00:00" and saved["why"] == "due"
    url = saved["calendar_url"]
    assert url.startswith("http://testserver/calendar/") and url.endswith(".ics")
    renewed = alice.api("POST", "/api/v1/reminders/calendar-link").json()["calendar_url"]
    assert renewed != url
    stranger = TestClient(app, base_url="http://testserver")
    assert stranger.get(url.removeprefix("http://testserver")).status_code == 404
    assert stranger.get(renewed.removeprefix("http://testserver")).status_code == 200
    assert bob.api("GET", "/api/v1/reminders").json()["calendar_url"] is None
