"""Measure the analysis on real public text (``secondchance eval``).

Each task module (``safety``, ``review``, ``story``) exposes
``evaluate(data_dir: Path) -> list[Table]``. The data lives outside the package (by default
``../shared/data`` from the repository, or ``SECONDCHANCE_EVAL_DATA``); the small labelled
development sets built from it live in ``tests/data/`` with their sources.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Table:
    """One printed table: a title, column names, rows of cells and optional footnotes."""

    title: str
    columns: list[str]
    rows: list[list[object]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "title": self.title,
            "columns": self.columns,
            "rows": self.rows,
            "notes": self.notes,
        }


TASKS = ("safety", "review", "story")
