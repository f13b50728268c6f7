"""50 clients at once through two app processes (2 workers on SQLite, 2 separate processes
on PostgreSQL): no lost or doubled update, no "database is locked", no 5xx."""

from __future__ import annotations

from pathlib import Path

import pytest

from reliability.concurrency import run_concurrency

pytestmark = [pytest.mark.reliability, pytest.mark.slow]


def test_it_keeps_every_update_of_50_clients_through_two_processes(
    database_url: str, tmp_path: Path
) -> None:
    report = run_concurrency(database_url, tmp_path, clients=50, ops=12, people=5)
    print(report.summary())
    assert not report.problems(), report.problems()
    assert report.requests == 50 * 12
