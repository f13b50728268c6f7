"""One shape per entity in the API: every answer that reports a safety reading uses the same one."""

from __future__ import annotations

from webtools import api_schema


def test_every_safety_reading_in_the_api_has_one_shape() -> None:
    schemas = api_schema()["components"]["schemas"]
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
