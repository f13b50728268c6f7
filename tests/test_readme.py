"""The README names only what a clone of the repository has: every file or folder it points to
exists, nothing points outside the project (no ``../shared``), and "Fix a mistake" shows the
undo and edit screenshots."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
# Paths written in backticks or as links, relative to the project or to src/secondchance.
IN_TICKS = re.compile(r"`((?:\.ci|tests|src|docs|analysis|program|bench)/[\w./-]*)`")
IN_LINKS = re.compile(r"\]\((?!https?:|#|mailto:)([^)\s]+)\)")
PACKAGE = ROOT / "src" / "secondchance"


def test_the_readme_points_to_nothing_outside_the_project() -> None:
    assert "../" not in README


def test_every_path_the_readme_names_is_in_the_repository() -> None:
    named = set(IN_TICKS.findall(README)) | set(IN_LINKS.findall(README))
    assert named, "the README names no paths: the pattern is wrong"
    missing = [p for p in named if not ((ROOT / p).exists() or (PACKAGE / p).exists())]
    assert missing == []


def test_fix_a_mistake_shows_undo_and_edit() -> None:
    assert "docs/screenshots/undo.png" in README and "docs/screenshots/edit.png" in README
    assert (ROOT / "docs/screenshots/undo.png").stat().st_size > 10_000
    assert (ROOT / "docs/screenshots/edit.png").stat().st_size > 10_000
    assert "--data DIR" in README  # eval says what to pass for the corpora not shipped
