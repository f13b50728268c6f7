"""Reminders against the real database, and the real encrypted push request.

The push service is the one network edge: a tiny HTTP server on 127.0.0.1 stands in for it,
and decrypts what the sender posted with the subscription keys this test made, as a browser
would.
"""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from icalendar import Calendar
from py_vapid import Vapid02
from sqlalchemy import func, select

from conftest import make_person
from secondchance.db import transaction
from secondchance.models import PushSubscription, ReminderSent, ServerKey
from secondchance.remind import run_once
from secondchance.services import calendar, push, reminders
from secondchance.services.checkins import CheckInInput, save_checkin
from secondchance.services.contact import start_no_contact
from secondchance.services.errors import InputError, NotFound
from secondchance.services.reminders import ReminderInput, claim_due, save_settings

LOOPBACK = ("127.0.0.1",)
# 20:30 on Wednesday 18 November 2026 in London (GMT): after an 20:00 reminder time.
EVENING = datetime(2026, 11, 18, 20, 30, tzinfo=UTC)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Browser:
    """A browser's push keys, made here: what pushManager.subscribe() would make."""

    def __init__(self) -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.auth = b"sixteen byte sec"
        raw = self.key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        self.p256dh = b64(raw)

    def decrypt(self, body: bytes) -> dict:
        plain = http_ece.decrypt(
            body, private_key=self.key, auth_secret=self.auth, version="aes128gcm"
        )
        return json.loads(plain)


class PushService:
    """A push service on 127.0.0.1 that keeps every request it is sent."""

    def __init__(self, status: int = 201) -> None:
        self.requests: list[tuple[str, dict[str, str], bytes]] = []
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", "0"))
                body = self.rfile.read(length)
                headers = {k.lower(): v for k, v in self.headers.items()}
                service.requests.append((self.path, headers, body))
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def service() -> Iterator[PushService]:
    found = PushService()
    yield found
    found.close()


def wants_push(session, user, now=EVENING, **more) -> None:  # type: ignore[no-untyped-def]
    form = {"push_on": True, "calendar_on": False, "at": "20:00", **more}
    save_settings(session, user, ReminderInput(**form), now)  # type: ignore[arg-type]


def subscribe(session, user, browser: Browser, endpoint: str) -> None:  # type: ignore[no-untyped-def]
    push.subscribe(session, user, endpoint, browser.p256dh, b64(browser.auth), EVENING, LOOPBACK)


def test_a_person_without_a_check_in_is_claimed_once_a_day(session, alice, bob) -> None:
    wants_push(session, alice)
    wants_push(session, bob)
    subscribe(session, alice, Browser(), "http://127.0.0.1:9/alice")
    subscribe(session, bob, Browser(), "http://127.0.0.1:9/bob")
    save_checkin(session, bob, CheckInInput(mood=6), EVENING)
    claimed = claim_due(session, EVENING)
    assert [c.user_id for c in claimed] == [alice.id], "bob checked in today: no reminder"
    assert claimed[0].day.isoformat() == "2026-11-18"
    assert [t.endpoint for t in claimed[0].targets] == ["http://127.0.0.1:9/alice"]
    assert claim_due(session, EVENING + timedelta(minutes=1)) == []
    count = select(func.count()).select_from(ReminderSent)
    assert session.scalar(count) == 1


def test_nobody_is_claimed_before_their_time_or_without_a_device(session, alice, bob) -> None:
    wants_push(session, alice)
    wants_push(session, bob)
    subscribe(session, alice, Browser(), "http://127.0.0.1:9/alice")
    assert claim_due(session, EVENING.replace(hour=19)) == []
    assert [c.user_id for c in claim_due(session, EVENING)] == [alice.id]


def test_protection_keeps_reminders_silent_unless_asked(session, alice, bob) -> None:
    for person in (alice, bob):
        subscribe(session, person, Browser(), f"http://127.0.0.1:9/{person.username}")
        save_checkin(
            session, person, CheckInInput(mood=3, note="he hit me", day="2026-11-17"), EVENING
        )
    wants_push(session, alice)
    wants_push(session, bob, even_in_protection=True)
    assert reminders.next_reminder(session, alice, EVENING).why == "protection"
    assert [c.user_id for c in claim_due(session, EVENING)] == [bob.id]


def test_quiet_hours_and_time_zones_come_from_the_person(session, person) -> None:
    kiri = person("kiri", timezone="Pacific/Auckland", country="NZ")
    wants_push(session, kiri, at="07:00", quiet_start="22:00", quiet_end="08:00")
    subscribe(session, kiri, Browser(), "http://127.0.0.1:9/kiri")
    # 18:30 UTC is 07:30 on the 19th in Auckland: after the time, but still quiet until 08:00.
    assert claim_due(session, EVENING.replace(hour=18)) == []
    found = reminders.next_reminder(session, kiri, EVENING.replace(hour=18))
    assert found.next_at == datetime(2026, 11, 18, 19, 0, tzinfo=UTC)
    assert [
        c.day.isoformat() for c in claim_due(session, datetime(2026, 11, 18, 19, 5, tzinfo=UTC))
    ] == ["2026-11-19"]


def test_settings_refuse_a_wrong_time_or_half_quiet_hours(session, alice) -> None:
    with pytest.raises(InputError) as wrong:
        wants_push(session, alice, at="8pm")
    assert wrong.value.field == "at"
    with pytest.raises(InputError) as half:
        wants_push(session, alice, quiet_start="22:00")
    assert half.value.field == "quiet_end"


def test_a_subscription_must_name_a_push_service_and_real_keys(session, alice) -> None:
    browser = Browser()
    for endpoint in ("http://169.254.169.254/latest", "https://example.org/push", "ftp://x"):
        with pytest.raises(InputError):
            push.subscribe(session, alice, endpoint, browser.p256dh, b64(browser.auth), EVENING)
    with pytest.raises(InputError):
        push.subscribe(
            session, alice, "https://fcm.googleapis.com/fcm/send/x", "AAAA", "BBBB", EVENING
        )
    row = push.subscribe(
        session,
        alice,
        "https://fcm.googleapis.com/fcm/send/abc",
        browser.p256dh,
        b64(browser.auth),
        EVENING,
    )
    assert row.user_id == alice.id and push.device_count(session, alice) == 1


def test_a_shared_browser_moves_to_whoever_subscribed_last(session, alice, bob) -> None:
    browser = Browser()
    subscribe(session, alice, browser, "http://127.0.0.1:9/shared")
    subscribe(session, bob, browser, "http://127.0.0.1:9/shared")
    assert push.device_count(session, alice) == 0 and push.device_count(session, bob) == 1


def test_the_vapid_keys_are_made_once_and_kept(session) -> None:
    assert push.vapid_keys(session) is None
    first = push.ensure_vapid_keys(session, EVENING)
    assert push.ensure_vapid_keys(session, EVENING) == first
    assert session.scalar(select(func.count()).select_from(ServerKey)) == 1
    assert len(base64.urlsafe_b64decode(first.public_key + "=")) == 65


def test_the_sender_posts_an_encrypted_signed_message_the_browser_can_read(
    factory, service: PushService
) -> None:
    phone, laptop = Browser(), Browser()
    with transaction(factory) as session:
        alice = make_person(session, "alice")
        make_person(session, "bob")
        wants_push(session, alice)
        subscribe(session, alice, phone, f"{service.url}/push/phone")
        subscribe(session, alice, laptop, f"{service.url}/push/laptop")
    done = run_once(
        factory, EVENING, holder="test", subject="mailto:ops@example.org", allowed=LOOPBACK
    )
    assert (done.people, done.sent, done.failed) == (1, 2, 0)
    paths = sorted(path for path, _, _ in service.requests)
    assert paths == ["/push/laptop", "/push/phone"]
    with transaction(factory) as session:
        public_key = push.vapid_keys(session).public_key  # type: ignore[union-attr]
    for path, headers, body in service.requests:
        browser = phone if path.endswith("phone") else laptop
        message = browser.decrypt(body)
        assert message["body"] == reminders.MESSAGE["body"] and message["url"] == "/checkin"
        assert "Sam" not in json.dumps(message), "nothing about the ex on a lock screen"
        assert headers["content-encoding"] == "aes128gcm"
        assert int(headers["ttl"]) > 0
        auth = headers["authorization"]
        assert auth.startswith("vapid t=") and f"k={public_key}" in auth
        assert Vapid02.verify(auth), "the VAPID signature checks out with the server's key"
        with pytest.raises(Exception):  # noqa: B017 - another browser's keys can't read it
            (laptop if browser is phone else phone).decrypt(body)
    again = run_once(
        factory,
        EVENING + timedelta(minutes=5),
        holder="test",
        subject="mailto:x@y.org",
        allowed=LOOPBACK,
    )
    assert again.people == 0 and len(service.requests) == 2, "once a day"


def test_a_browser_the_push_service_calls_gone_is_forgotten(factory) -> None:
    gone = PushService(status=410)
    try:
        with transaction(factory) as session:
            alice = make_person(session, "alice")
            wants_push(session, alice)
            subscribe(session, alice, Browser(), f"{gone.url}/push/old")
        done = run_once(factory, EVENING, holder="test", subject="", allowed=LOOPBACK)
        assert (done.sent, done.failed, done.forgotten) == (0, 1, 1)
        with transaction(factory) as session:
            assert session.scalar(select(func.count()).select_from(PushSubscription)) == 0
    finally:
        gone.close()


def test_one_process_holds_the_sender_lease_at_a_time(factory) -> None:
    with transaction(factory) as session:
        assert reminders.claim_lease(session, "one", EVENING, 120)
    with transaction(factory) as session:
        assert not reminders.claim_lease(session, "two", EVENING + timedelta(seconds=60), 120)
        assert reminders.claim_lease(session, "one", EVENING + timedelta(seconds=60), 120)
    with transaction(factory) as session:
        assert reminders.claim_lease(session, "two", EVENING + timedelta(seconds=181), 120)
    skipped = run_once(factory, EVENING + timedelta(seconds=200), holder="one", subject="")
    assert skipped.skipped


def test_the_calendar_feed_parses_and_needs_its_secret(session, alice, now) -> None:
    start_no_contact(session, alice, now - timedelta(days=5), started_at=now - timedelta(days=5))
    row = save_settings(
        session, alice, ReminderInput(push_on=False, calendar_on=True, at="21:15"), now
    )
    assert row.calendar_secret and len(row.calendar_secret) >= 30
    body = calendar.feed(session, row.calendar_secret, now, "https://coach.example/")
    parsed = Calendar.from_ical(body)
    events = {str(e["uid"]).split("-")[0]: e for e in parsed.walk("VEVENT")}
    checkin = events["checkin"]
    start = checkin.decoded("dtstart")
    assert (start.hour, start.minute, str(start.tzinfo)) == (21, 15, "Europe/London")
    assert checkin["rrule"]["FREQ"] == ["DAILY"]
    assert "https://coach.example/checkin" in str(checkin["description"])
    end = events["no"]
    # Five days in on 18 November, of the 21 she set: day 21 is 4 December.
    assert end.decoded("dtstart").isoformat() == "2026-12-04"
    assert str(end["summary"]) == "Day 21 of no contact"
    assert parsed.walk("VTIMEZONE"), "the time zone travels with the feed"
    secret = row.calendar_secret
    one_off = secret[:-1] + ("B" if secret.endswith("A") else "A")  # one character wrong
    for wrong in ("", "x" * 80, one_off, secret.upper(), "not-the-secret"):
        with pytest.raises(NotFound):
            calendar.feed(session, wrong, now, "https://coach.example/")
    old = row.calendar_secret
    new = reminders.new_calendar_link(session, alice, now)
    assert new != old
    with pytest.raises(NotFound):
        calendar.feed(session, old, now, "https://coach.example/")
    save_settings(session, alice, ReminderInput(push_on=False, calendar_on=False, at="21:15"), now)
    with pytest.raises(NotFound):
        calendar.feed(session, new, now, "https://coach.example/")


def test_a_day_logged_between_looking_and_claiming_gets_no_reminder(session, alice) -> None:
    wants_push(session, alice)
    subscribe(session, alice, Browser(), "http://127.0.0.1:9/alice")
    due = reminders.due_now(session, EVENING)
    assert due == [(alice.id, EVENING.date())]
    save_checkin(session, alice, CheckInInput(mood=7), EVENING)
    assert reminders.claim(session, due, EVENING) == []
