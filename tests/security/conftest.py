"""Fixtures for the bad-input and attack tests: the real app on the real database (SQLite, and
PostgreSQL when configured), with alice and bob signed in through the real forms.

The same shape as tests/web/conftest.py, kept here so these tests stand on their own.
"""

from __future__ import annotations

import pytest

from secondchance.config import Settings
from secondchance.web import create_app
from webtools import Browser, sign_up


@pytest.fixture
def settings(db_url: str) -> Settings:
    return Settings(database_url=db_url, environment="test", secret_key="test-secret-key")


@pytest.fixture
def app(settings: Settings):  # type: ignore[no-untyped-def]
    app = create_app(settings)
    yield app
    app.state.engine.dispose()


@pytest.fixture
def browser(app) -> Browser:  # type: ignore[no-untyped-def]
    return Browser(app)


@pytest.fixture
def alice(app) -> Browser:  # type: ignore[no-untyped-def]
    return sign_up(Browser(app), "alice")


@pytest.fixture
def bob(app) -> Browser:  # type: ignore[no-untyped-def]
    return sign_up(Browser(app), "bob", ex_name="Jo", ex_pronouns="she")
