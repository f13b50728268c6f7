"""Fault tests against real server processes: crash (SIGKILL), concurrency, disk full and
read-only, backup under load. Each test prints its figures (run with ``-s`` to see them);
RELIABILITY.md records them and the longer runs of ``bench/faults_run.py``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reliability.faultkit import POSTGRES_URL, postgres_schema, sqlite_url

NO_POSTGRES = "SECONDCHANCE_TEST_POSTGRES_URL is not set: PostgreSQL fault tests skipped"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "reliability: starts real servers and breaks them (tests/reliability)"
    )


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param(
            "postgres",
            id="postgres",
            marks=pytest.mark.skipif(not POSTGRES_URL, reason=NO_POSTGRES),
        ),
    ]
)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: a new SQLite file, or a PostgreSQL schema of this test's own."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path / "secondchance.db")
        return
    with postgres_schema(request.node.name) as url:
        yield url
