"""One shape per entity in the API: every answer that reports a safety reading uses the same one."""

from __future__ import annotations

from typing import Any

from secondchance.config import Settings
from secondchance.web.app import create_app


def _schema() -> dict[str, Any]:
    app = create_app(
        Settings(database_url="sqlite://", environment="test", secret_key="only-listing"),
        migrate=False,
    )
    try:
        return app.openapi()
    finally:
        app.state.engine.dispose()


def test_every_safety_reading_in_the_api_has_one_shape() -> None:
    schemas = _schema()["components"]["schemas"]
    holders = {
        name: props["safety"]
        for name, schema in schemas.items()
        if "safety" in (props := schema.get("properties", {}))
    }
    # Saving a check-in, an activity, a letter, an urge, a memory or a conversation, reviewing
    # a draft, finishing a lesson and reading a story all answer with the safety reading.
    assert len(holders) >= 9, sorted(holders)
    shapes = {name: ref.get("$ref") for name, ref in holders.items()}
    assert set(shapes.values()) == {"#/components/schemas/SafetyOut"}, shapes
    fields = set(schemas["SafetyOut"]["properties"])
    assert fields == {"level", "crisis", "concern", "abuse", "evidence", "help"}
