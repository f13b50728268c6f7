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


# The faces (web pages and API, the command line) translate and call services: they never
# query, build or change rows, so they import neither the tables nor the ORM. They may name
# the session type they pass on to services, and the rows services hand them (services.rows).
FACES = ("web", "cli")
FACE_BANNED = ("models", "db", "sqlalchemy")
FACE_ALLOWED = frozenset({"sqlalchemy.orm", "sqlalchemy.orm.Session"})
# The entry points open the engine (through db.py) and turn the database's errors into answers;
# nothing else in a face may.
ENTRY_POINTS: dict[str, frozenset[str]] = {
    "web/app.py": frozenset(
        {
            "secondchance.db",
            "secondchance.db.is_sqlite",
            "secondchance.db.make_engine",
            "secondchance.db.make_page_sessionmaker",
            "secondchance.db.make_sessionmaker",
            "secondchance.db.transaction",
            "sqlalchemy.exc",
            "sqlalchemy.exc.DatabaseError",
            "sqlalchemy.exc.OperationalError",
        }
    ),
    "cli/app.py": frozenset(
        {
            "secondchance.db",
            "secondchance.db.database_exists",
            "secondchance.db.make_engine",
            "secondchance.db.make_sessionmaker",
            "sqlalchemy",
            "sqlalchemy.Engine",
            "sqlalchemy.exc",
            "sqlalchemy.exc.DatabaseError",
            "sqlalchemy.exc.OperationalError",
            "sqlalchemy.orm.sessionmaker",
        }
    ),
}


def face_crossings(path: Path, allowed: frozenset[str] = frozenset()) -> list[str]:
    """Return the imports of the face module ``path`` that reach the tables or the ORM."""
    bad = []
    for module in sorted(imported_modules(path)):
        if module in FACE_ALLOWED or module in allowed:
            continue
        parts = module.split(".")
        inner = parts[1] if parts[0] == "secondchance" and len(parts) > 1 else None
        if inner in FACE_BANNED or parts[0] in FACE_BANNED:
            bad.append(f"{path.name} imports {module}")
    return bad


@pytest.mark.parametrize("face", FACES)
def test_it_keeps_the_faces_off_the_tables_and_the_orm(face: str) -> None:
    bad = []
    for path in sorted((PACKAGE / face).rglob("*.py")):
        name = path.relative_to(PACKAGE).as_posix()
        bad += face_crossings(path, ENTRY_POINTS.get(name, frozenset()))
    assert bad == []


def test_the_named_entry_points_exist() -> None:
    # An exception for a file that moved would quietly allow nothing, or the wrong thing.
    for name in ENTRY_POINTS:
        assert (PACKAGE / name).is_file(), name


def test_it_notices_a_face_reaching_the_tables(tmp_path: Path) -> None:
    route = tmp_path / "route.py"
    route.write_text(
        "from sqlalchemy.orm import Session\n"
        "from secondchance.services.rows import Person\n"
        "from secondchance.models import Profile\n"
        "from sqlalchemy import select\n"
        "def f():\n    from secondchance.db import make_engine\n"
    )
    assert face_crossings(route) == [
        "route.py imports secondchance.db",
        "route.py imports secondchance.db.make_engine",
        "route.py imports secondchance.models",
        "route.py imports secondchance.models.Profile",
        "route.py imports sqlalchemy",
        "route.py imports sqlalchemy.select",
    ]
    assert face_crossings(route, ENTRY_POINTS["cli/app.py"]) == [
        "route.py imports secondchance.models",
        "route.py imports secondchance.models.Profile",
        "route.py imports sqlalchemy.select",
    ]


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_it_keeps_each_layer_to_what_it_may_import(layer: str) -> None:
    assert crossings(layer) == []


def test_it_notices_a_crossing(tmp_path: Path) -> None:
    # The walker itself must see a crossing, or the test above could never fail.
    source = tmp_path / "rule.py"
    source.write_text("from secondchance.models import Contact\nimport sqlalchemy\n")
    assert imported_modules(source) >= {"secondchance.models.Contact", "sqlalchemy"}
