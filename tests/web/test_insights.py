"""The insights page and API: charts from what was logged, kind when there's nothing yet."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta
from html import unescape

import pytest

from secondchance.services.checkins import CheckInInput, save_checkin
from secondchance.services.contact import log_contact, log_urge, start_no_contact
from secondchance.services.people import find_user
from secondchance.services.selfcare import log_activity
from webtools import FROZEN, Browser

NOW = datetime.fromisoformat(FROZEN).astimezone(UTC)
TODAY = date(2026, 11, 18)  # in London, where alice lives

pytestmark = pytest.mark.usefixtures("frozen")


def fill(app, username: str = "alice") -> None:  # type: ignore[no-untyped-def]
    """Two weeks of check-ins (exercise on the better days), urges and one slip."""
    with app.state.sessions() as session, session.begin():
        user = find_user(session, username)
        start_no_contact(session, user, NOW, started_at=NOW - timedelta(days=14))
        for offset in range(14):
            day = TODAY - timedelta(days=offset)
            better = offset % 2 == 0
            save_checkin(
                session,
                user,
                CheckInInput(mood=7 if better else 4, social_checks=offset % 3, day=day),
                NOW,
            )
            if better:
                log_activity(session, user, NOW, kind="exercise", day=day)
        log_urge(session, user, NOW, intensity=8, at=NOW - timedelta(days=3))
        log_urge(session, user, NOW, intensity=9, outcome="acted", at=NOW - timedelta(days=9))
        log_contact(
            session, user, NOW, direction="you_to_ex", channel="text", at=NOW - timedelta(days=9)
        )


def svgs(html: str) -> list[ET.Element]:
    found = []
    rest = html
    while "<svg" in rest:
        start = rest.index("<svg")
        end = rest.index("</svg>", start) + len("</svg>")
        found.append(ET.fromstring(rest[start:end]))
        rest = rest[end:]
    return found


def test_a_new_person_sees_encouragement_not_empty_charts(alice: Browser) -> None:
    page = alice.get("/insights")
    assert page.status_code == 200
    text = unescape(page.text)
    assert "<svg" not in page.text.split("<main")[1]
    assert "Your mood line starts with your first check-in" in text
    assert "No contact hasn't started yet" in text
    assert "Not enough days yet" in text


def test_logged_days_become_five_charts_with_words_and_tables(alice: Browser) -> None:
    fill(alice.client.app)
    page = alice.get("/insights")
    text = unescape(page.text)
    charts = svgs(page.text.split("<main")[1])
    assert len(charts) == 5
    assert all(c.get("role") == "img" for c in charts)
    assert "Mood over the last 30 days: 14 check-ins, from 4 to 7 out of 10." in text
    assert "Urges over the last 30 days: 2 in all. You rode out 1 and acted on 1." in text
    assert "1 slip, and every other day still counts" in text
    assert "with exercise 7.0, without 4.0" in text
    assert "they don't prove one causes the other" in text
    # The numbers, for screen readers, as a table per chart.
    assert text.count("<caption>") == 5
    assert 'class="visually-hidden"' in page.text


def test_the_range_links_swap_only_the_charts_with_htmx(alice: Browser) -> None:
    fill(alice.client.app)
    full = alice.get("/insights?days=90")
    assert 'aria-current="true"' in full.text and "the last 90 days" in full.text
    partial = alice.htmx("GET", "/insights?days=90")
    assert partial.status_code == 200
    assert "<html" not in partial.text and 'id="charts"' in partial.text
    mood = svgs(partial.text)[0]
    dots = mood.findall("{http://www.w3.org/2000/svg}circle")
    assert len(dots) == 14


def test_the_api_gives_the_series(alice: Browser) -> None:
    fill(alice.client.app)
    response = alice.api("GET", "/api/v1/insights?days=30")
    assert response.status_code == 200
    body = response.json()
    assert body["end"] == "2026-11-18" and len(body["mood"]) == 30
    assert body["mood"][-1] == {"day": "2026-11-18", "mood": 7, "average": pytest.approx(5.71)}
    assert sum(u["acted"] for u in body["urges"]) == 1
    assert body["timeline"]["slips"] == 1 and body["timeline"]["started_on"] == "2026-11-04"
    exercise = body["better_days"][0]
    assert exercise["kind"] == "exercise" and exercise["difference"] == 3.0


@pytest.mark.parametrize("days", ["3", "400", "lots"])
def test_a_range_that_makes_no_sense_is_refused(alice: Browser, days: str) -> None:
    assert alice.api("GET", f"/api/v1/insights?days={days}").status_code == 422
    assert alice.get(f"/insights?days={days}").status_code == 422


def test_bob_sees_only_his_own_insights(alice: Browser, bob: Browser) -> None:
    fill(alice.client.app)
    body = bob.api("GET", "/api/v1/insights").json()
    assert all(p["mood"] is None for p in body["mood"])
    assert body["timeline"]["started_on"] is None
    assert "Your mood line starts with your first check-in" in unescape(bob.get("/insights").text)


def test_anonymous_is_sent_to_sign_in(browser: Browser) -> None:
    page = browser.get("/insights?days=90")
    assert page.status_code == 303
    assert page.headers["location"] == "/login?next=/insights?days=90"
    assert browser.client.get("/api/v1/insights").status_code == 401
