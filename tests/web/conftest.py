"""Web fixtures: the real app on the real database, and browsers-in-a-client for alice and bob.

Every request goes through the same middleware, CSRF checks and transactions as in production.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import time_machine

from secondchance.config import Settings
from secondchance.web import create_app
from webtools import FROZEN, Browser, sign_up


@pytest.fixture
def settings(db_url: str) -> Settings:
    return Settings(database_url=db_url, environment="test", secret_key="test-secret-key")


@pytest.fixture
def app(settings: Settings):  # type: ignore[no-untyped-def]
    app = create_app(settings)
    yield app
    app.state.engine.dispose()


@pytest.fixture
def frozen() -> Iterator[None]:
    with time_machine.travel(FROZEN, tick=False):
        yield


@pytest.fixture
def browser(app) -> Browser:  # type: ignore[no-untyped-def]
    return Browser(app)


@pytest.fixture
def alice(app) -> Browser:  # type: ignore[no-untyped-def]
    return sign_up(Browser(app), "alice")


@pytest.fixture
def bob(app) -> Browser:  # type: ignore[no-untyped-def]
    return sign_up(Browser(app), "bob", ex_name="Jo", ex_pronouns="she")
