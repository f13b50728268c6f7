"""The layers in DESIGN.md hold: the rules and the reading are pure, the services stay below the
faces. Read from the source, so a crossing fails here before it spreads."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "secondchance"

# What each layer must never import (module prefixes under ``secondchance``, plus the ORM).
FORBIDDEN = {
    "program": ("models", "db", "services", "web", "cli", "sqlalchemy", "fastapi"),
    "analysis": ("models", "db", "services", "web", "cli", "sqlalchemy", "fastapi"),
    "services": ("web", "cli"),
}


def imported_modules(path: Path) -> set[str]:
    """Return every module ``path`` imports, absolute, as written (``secondchance.x.y``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def crossings(layer: str) -> list[str]:
    banned = FORBIDDEN[layer]
    bad = []
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        for module in imported_modules(path):
            parts = module.split(".")
            inner = parts[1] if parts[0] == "secondchance" and len(parts) > 1 else None
            if inner in banned or parts[0] in banned:
                bad.append(f"{path.relative_to(PACKAGE)} imports {module}")
    return bad


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_it_keeps_each_layer_to_what_it_may_import(layer: str) -> None:
    assert crossings(layer) == []


def test_it_notices_a_crossing(tmp_path: Path) -> None:
    # The walker itself must see a crossing, or the test above could never fail.
    source = tmp_path / "rule.py"
    source.write_text("from secondchance.models import Contact\nimport sqlalchemy\n")
    assert imported_modules(source) >= {"secondchance.models.Contact", "sqlalchemy"}
