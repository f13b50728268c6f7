"""Longer runs of the fault tests in tests/reliability, by hand (CI runs the short ones).

    .venv/bin/python bench/faults_run.py crash --database sqlite --kills 200
    .venv/bin/python bench/faults_run.py crash --database postgres --kills 100
    .venv/bin/python bench/faults_run.py concurrency --database sqlite --clients 50 --ops 100
    .venv/bin/python bench/faults_run.py concurrency --database postgres --clients 50 --ops 100
    .venv/bin/python bench/faults_run.py backup --rounds 10

PostgreSQL runs use SECONDCHANCE_TEST_POSTGRES_URL (default: the local test server), in a
schema of their own that is dropped afterwards. Each run prints its figures, the line that
RELIABILITY.md records, and exits non-zero if anything was lost or failed. Servers listen on
127.0.0.1 only; every wait is bounded.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
os.environ.setdefault(
    "SECONDCHANCE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)

from reliability import faultkit
from reliability.backup import run_backup_under_load
from reliability.concurrency import run_concurrency
from reliability.crash import run_crash


def database(stack: ExitStack, kind: str, workdir: Path) -> str:
    if kind == "sqlite":
        return faultkit.sqlite_url(workdir / "secondchance.db")
    faultkit.POSTGRES_URL = os.environ["SECONDCHANCE_TEST_POSTGRES_URL"]
    return stack.enter_context(faultkit.postgres_schema(f"bench-{os.getpid()}"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenario", choices=["crash", "concurrency", "backup"])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--writers", type=int, default=3)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--ops", type=int, default=100)
    parser.add_argument("--people", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--seed", type=int, default=20261118)
    parser.add_argument("--keep", action="store_true", help="Keep the work folder and logs.")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix=f"sc-faults-{args.scenario}-"))
    with ExitStack() as stack:
        if args.scenario == "backup":
            report = run_backup_under_load(
                workdir, writers=args.writers, rounds=args.rounds, seed=args.seed
            )
        else:
            url = database(stack, args.database, workdir)
            if args.scenario == "crash":
                report = run_crash(
                    url, workdir, kills=args.kills, writers=args.writers, seed=args.seed
                )
            else:
                report = run_concurrency(
                    url,
                    workdir,
                    clients=args.clients,
                    ops=args.ops,
                    people=args.people,
                    seed=args.seed,
                )
    problems = report.problems()
    print(problems or report.summary())
    if args.keep or problems:
        print(f"work folder (server logs): {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
