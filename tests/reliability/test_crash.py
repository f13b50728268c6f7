"""SIGKILL the server at random moments while clients write: nothing acknowledged is lost,
and the SQLite file stays whole.

20 kills on SQLite, where the file's integrity is ours to keep; 10 on PostgreSQL, where the
server's own durability does the rest and our part is the transaction boundary, the same at
every kill. The long runs (100 and 60 kills) are ``bench/faults_run.py crash``: RELIABILITY.md.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from reliability.crash import run_crash

pytestmark = [pytest.mark.reliability, pytest.mark.slow]


KILLS = {"sqlite": 20, "postgresql": 10}


def test_it_keeps_every_acknowledged_write_through_the_kills(
    database_url: str, tmp_path: Path
) -> None:
    kills = KILLS[make_url(database_url).get_backend_name()]
    report = run_crash(database_url, tmp_path, kills=kills, writers=3, seed=20261118, forked=True)
    print(report.summary())
    assert not report.problems(), report.problems()
    # The kills landed while writes were flowing, not only between them.
    assert report.acknowledged >= kills * 3, report.summary()
    assert min(report.acked_per_kill) >= 1, report.acked_per_kill
