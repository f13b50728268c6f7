"""A way back into a forgotten account (recovery codes), throttling that never locks a person
out, and a demo each visitor has to themselves."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from html import unescape
from typing import Any

import time_machine
from fastapi.testclient import TestClient
from sqlalchemy import select

from secondchance.config import Settings
from secondchance.models import User
from secondchance.web import create_app
from webtools import FROZEN, PASSWORD, Browser

CODE = re.compile(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>")
NEW_PASSWORD = "a brand new sentence"
AT = datetime.fromisoformat(FROZEN)
WAIT = re.compile(r"wait (\d+) (second|minute)")


def _from(app: Any, address: str) -> Browser:
    """A browser on another device, at its own address."""
    browser = Browser(app)
    browser.client = TestClient(app, follow_redirects=False, client=(address, 50000))
    browser.get("/login")
    return browser


def _sign_up_with_codes(browser: Browser, name: str) -> list[str]:
    browser.get("/signup")
    response = browser.post("/signup", {"username": name, "password": PASSWORD})
    assert response.status_code == 200
    return CODE.findall(response.text)


def _reset(browser: Browser, name: str, code: str, password: str = NEW_PASSWORD):  # type: ignore[no-untyped-def]
    browser.get("/forgot")
    return browser.post("/forgot", {"username": name, "code": code, "new_password": password})


def test_sign_up_shows_eight_codes_once_to_download_and_continue(browser: Browser) -> None:
    codes = _sign_up_with_codes(browser, "carol")
    assert len(codes) == 8 and len(set(codes)) == 8
    page = browser.get("/welcome")
    assert not any(code in page.text for code in codes), "shown once, never again"
    download = browser.post("/recovery-codes.txt", {"code": codes})
    assert download.headers["content-disposition"].startswith("attachment")
    assert download.headers["content-type"].startswith("text/plain")
    assert all(code in download.text for code in codes)
    assert "<" not in browser.post("/recovery-codes.txt", {"code": ["<b>x</b>"]}).text


def test_a_forgotten_password_is_reset_with_one_code_which_then_is_spent(app) -> None:  # type: ignore[no-untyped-def]
    codes = _sign_up_with_codes(Browser(app), "dora")
    phone = _from(app, "198.51.100.5")
    login = phone.get("/login")
    assert 'href="/forgot"' in login.text and "Forgot your password?" in login.text
    done = _reset(phone, "Dora", codes[0].upper().replace("-", " "))  # typed loosely
    assert done.status_code == 303 and done.headers["location"] == "/"
    assert phone.follow(done).status_code == 200
    again = _from(app, "198.51.100.6")
    assert again.post("/login", {"username": "dora", "password": NEW_PASSWORD}).status_code == 303
    reused = _reset(_from(app, "198.51.100.7"), "dora", codes[0], "yet another sentence")
    assert reused.status_code == 400 and "was used" in unescape(reused.text)
    assert 'value="dora"' in reused.text, "what was typed is kept"


def test_a_weak_new_password_is_refused_without_spending_the_code(app) -> None:  # type: ignore[no-untyped-def]
    codes = _sign_up_with_codes(Browser(app), "erin")
    phone = _from(app, "198.51.100.8")
    weak = _reset(phone, "erin", codes[1], "short")
    assert weak.status_code == 400 and "at least 10" in weak.text
    assert f'value="{codes[1]}"' in weak.text
    assert _reset(phone, "erin", codes[1]).status_code == 303


def test_new_codes_in_settings_need_the_password_and_replace_the_old(app) -> None:  # type: ignore[no-untyped-def]
    browser = Browser(app)
    old = _sign_up_with_codes(browser, "fay")
    settings = browser.get("/settings")
    assert "You have 8 unused codes" in settings.text
    wrong = browser.post("/settings/recovery-codes", {"password": "not my password"})
    assert wrong.status_code == 400 and "old codes still work" in unescape(wrong.text)
    made = browser.post("/settings/recovery-codes", {"password": PASSWORD})
    new = CODE.findall(made.text)
    assert len(new) == 8 and not set(new) & set(old)
    assert _reset(_from(app, "198.51.100.9"), "fay", old[2]).status_code == 400
    assert _reset(_from(app, "198.51.100.10"), "fay", new[2]).status_code == 303


def test_typos_cost_seconds_and_never_lock_out_the_person(alice: Browser, app, frozen) -> None:  # type: ignore[no-untyped-def]
    guesser = _from(app, "203.0.113.20")
    for _ in range(3):
        wrong = guesser.post("/login", {"username": "alice", "password": "guess guess"})
        assert wrong.status_code == 400
    blocked = guesser.post("/login", {"username": "alice", "password": PASSWORD})
    assert blocked.status_code == 429 and "wait 8 seconds" in blocked.text
    # alice on her own phone, which hasn't failed, gets in with her password at once.
    own_phone = _from(app, "198.51.100.20")
    assert own_phone.post("/login", {"username": "alice", "password": PASSWORD}).status_code == 303
    # And the guesser's wait is over after it: nothing stays locked.
    with time_machine.travel(AT + timedelta(seconds=9), tick=False):
        right = guesser.post("/login", {"username": "alice", "password": PASSWORD})
        assert right.status_code == 303


def test_each_guess_waits_longer_up_to_a_cap(alice: Browser, app, frozen) -> None:  # type: ignore[no-untyped-def]
    guesser = _from(app, "203.0.113.21")
    moment, waits = AT, []
    while len(waits) < 9:
        with time_machine.travel(moment, tick=False):
            response = guesser.post("/login", {"username": "alice", "password": "guess guess"})
        if response.status_code == 429:
            amount, unit = WAIT.search(response.text).groups()  # type: ignore[union-attr]
            waits.append(int(amount) * (60 if unit == "minute" else 1))
            moment += timedelta(seconds=waits[-1])
        else:
            assert response.status_code == 400
    assert waits == sorted(waits) and waits[0] == 8
    assert waits[-1] == 15 * 60, "capped at a quarter of an hour"


def _demo_app(db_url: str):  # type: ignore[no-untyped-def]
    settings = Settings(database_url=db_url, environment="test", secret_key="k" * 20, demo=True)
    return create_app(settings)


def test_try_the_demo_gives_each_visitor_a_private_copy_for_a_day(db_url: str) -> None:
    app = _demo_app(db_url)
    first = _from(app, "198.51.100.30")
    assert "Try the demo" in first.get("/login").text
    started = first.post("/demo")
    assert started.status_code == 303
    assert "Jordan" in first.follow(started).text
    first.get("/memories")
    assert first.post("/memories", {"title": "Something of mine", "body": "x"}).status_code == 303
    second = _from(app, "198.51.100.31")
    second.follow(second.post("/demo"))
    assert "Something of mine" not in second.get("/memories").text
    assert "Pancake Sundays" in second.get("/memories").text
    with app.state.sessions() as session:
        copies = session.scalars(select(User).where(User.demo_until.is_not(None))).all()
        assert len(copies) == 2 and all(c.password_hash is None for c in copies)
    later = _from(app, "198.51.100.32")
    with time_machine.travel(copies[0].demo_until + timedelta(minutes=1), tick=False):
        later.follow(later.post("/demo"))
        assert first.get("/").status_code == 303, "the expired copy is gone, and its session"
    with app.state.sessions() as session:
        assert len(session.scalars(select(User).where(User.demo_until.is_not(None))).all()) == 1


def test_the_demo_is_only_offered_when_the_server_turns_it_on(browser: Browser) -> None:
    assert "Try the demo" not in browser.get("/login").text
    assert browser.post("/demo").headers["location"] == "/login"


def test_the_first_page_welcomes_a_newcomer_and_mentions_the_demo(db_url: str) -> None:
    first = _from(_demo_app(db_url), "198.51.100.40")
    text = unescape(first.follow(first.get("/")).text)  # a first visit: sent to sign in
    assert "Welcome to secondchance" in text
    assert "Welcome back" not in text
    assert "Create your space" in text and "Try the demo" in text
    assert "six weeks of an example" in text
