"""What the benchmarks share: timing a function over many texts, and percentiles."""

from __future__ import annotations

import time
from collections.abc import Callable


def timings(fn: Callable[[str], object], texts: list[str], rounds: int = 3) -> list[float]:
    """Return milliseconds per call of ``fn`` on each text, the best of ``rounds`` for each.

    The first call (lexicons and models loading) happens before any timing.
    """
    fn(texts[0])
    best = [float("inf")] * len(texts)
    for _ in range(rounds):
        for index, text in enumerate(texts):
            started = time.perf_counter()
            fn(text)
            best[index] = min(best[index], (time.perf_counter() - started) * 1000)
    return best


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[int(0.95 * (len(ordered) - 1))]
