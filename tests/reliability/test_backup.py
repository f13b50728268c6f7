"""Backups taken while writers keep writing: each one is a consistent moment, equal to an
export of the live database at that moment, and restores into an empty database."""

from __future__ import annotations

from pathlib import Path

import pytest

from reliability.backup import run_backup_under_load

pytestmark = [pytest.mark.reliability, pytest.mark.slow]


def test_backups_under_load_equal_the_live_export_of_their_moment(tmp_path: Path) -> None:
    report = run_backup_under_load(tmp_path, writers=3, rounds=2, seed=20261118)
    print(report.summary())
    assert not report.problems(), report.problems()
    assert report.locked == 2 and report.free == 2, report.summary()
