"""SIGKILL the server 20 times at random moments while clients write: nothing acknowledged
is lost, and the SQLite file stays whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from reliability.crash import run_crash

pytestmark = [pytest.mark.reliability, pytest.mark.slow]


def test_it_keeps_every_acknowledged_write_through_20_kills(
    database_url: str, tmp_path: Path
) -> None:
    report = run_crash(database_url, tmp_path, kills=20, writers=3, seed=20261118)
    print(report.summary())
    assert not report.problems(), report.problems()
    # The kills landed while writes were flowing, not only between them.
    assert report.acknowledged >= 20 * 3, report.summary()
    assert min(report.acked_per_kill) >= 1, report.acked_per_kill
