"""What one live review (``POST /step4/review``) costs the server, in process: CPU, statements.

Run: ``.venv/bin/python bench/bench_live_review.py [--backend sqlite|postgres] [--calls N]
[--state DIR] [--profile N] [--dump FILE]``. Seeds ``bench_http.py``'s people (a year of history
each) once into DIR, as ``bench_checkin.py`` does (the two may share a DIR), builds the real app
(``create_app``) and sends it the live review as raw ASGI calls, the request ``rotate.lua``
sends: the person's session and CSRF cookies, the CSRF header, ``HX-Request``, and a draft
that is one of the bench's six with a made-up last word, so every draft is new.

Prints the process's CPU time (every thread), the wall time and the SQL statements per review.
``--profile N`` prints the N heaviest functions by cumulative time (cProfile). ``--dump FILE``
writes every answer (status, headers but the date, body) to FILE, so that two versions of
the app can be compared byte for byte on the same drafts.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

from secondchance.web.app import create_app

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_checkin  # the seeding in a reusable folder, the statement counter
import bench_http

# rotate.lua's drafts: what someone might type as a first text.
DRAFTS = (
    "Haha I saw a goat today and thought of the wedding",
    "Hey! Hope the new job is going well. Did you ever finish that book?",
    "I miss you so much, can we talk about us?",
    "Saw the best street food place near the market, you'd love it",
    "Happy birthday! Hope it's a good one",
    "Why didn't you answer me? I've been waiting all night",
)


def made_up_word(k: int) -> str:
    """A word of letters spelled from k, as rotate.lua spells it: distinct for every k."""
    letters = []
    while True:
        letters.append(chr(97 + k % 26))
        k //= 26
        if k == 0:
            return "".join(letters)


def draft_for(n: int) -> str:
    return f"{DRAFTS[n % len(DRAFTS)]} {made_up_word(n * 16)}"


async def call(app: Any, person: bench_http.Person, body: bytes) -> tuple[int, list, bytes]:
    """One ASGI request; returns the status, the headers and the body."""
    headers = [
        (b"cookie", f"sc_session={person.session}; sc_csrf={person.csrf}".encode()),
        (b"x-csrf-token", person.csrf.encode()),
        (b"hx-request", b"true"),
        (b"content-type", b"application/x-www-form-urlencoded"),
    ]
    return await bench_checkin.post(app, "/step4/review", headers, body)


async def run(
    app: Any, people: list[bench_http.Person], calls: int, start: int, dump: Any = None
) -> None:
    for n in range(start, start + calls):
        body = f"draft={quote_plus(draft_for(n))}".encode()
        status, headers, answer = await call(app, people[n % len(people)], body)
        if status != 200:
            raise RuntimeError(f"live review answered {status}: {answer[:300]!r}")
        if dump is not None:
            kept = [(k, v) for k, v in headers if k.lower() not in (b"date", b"set-cookie")]
            dump.write(f"--- {n} {status} {kept!r}\n".encode() + answer + b"\n")


def main() -> int:
    parser = bench_checkin.arguments(__doc__.splitlines()[0])
    parser.add_argument("--dump", type=Path, help="write every answer here")
    return bench_checkin.in_state(parser.parse_args(), measure, "bench_review_")


def measure(args: argparse.Namespace, state: Path) -> int:
    """Seed (unless ``state`` holds a seeded database) and measure as ``args`` say."""
    settings, people = bench_checkin.seeded(args.backend, state)
    app = create_app(settings)
    counter = bench_checkin.Counter(app.state.engine, sqlite=False)
    # Warm up: caches, the pool, and every person's kept status (the bench's people review
    # all day long), with drafts the measured run does not send.
    asyncio.run(run(app, people, len(people) * 2, 10_000_000))
    counter.statements = 0
    dump = args.dump.open("wb") if args.dump else None
    cpu, wall = bench_checkin.timed(
        lambda: asyncio.run(run(app, people, args.calls, 0, dump)), args.profile
    )
    if dump:
        dump.close()
    print(
        f"{args.backend}: {args.calls} live reviews, CPU {cpu * 1000 / args.calls:.3f} ms, "
        f"wall {wall * 1000 / args.calls:.3f} ms, "
        f"statements {counter.statements / args.calls:.1f} per review; "
        f"load {os.getloadavg()[0]:.1f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
