"""Side-by-side timing for the on-demand benchmarks (not part of the test suite).

`compare` runs several candidate operations in interleaved rounds, so that each ratio is measured
under the same machine load, and reports the median seconds per call of each.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Mapping


def _seconds_per_call(fn: Callable[[], object], calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - start) / calls


def _calibrate(fn: Callable[[], object], target: float) -> int:
    """Calls per sample so that one sample lasts about `target` seconds."""
    calls = 1
    while True:
        if _seconds_per_call(fn, calls) * calls >= target / 4 or calls >= 1 << 20:
            per_call = _seconds_per_call(fn, calls)
            return max(1, int(target / max(per_call, 1e-9)))
        calls *= 4


def compare(
    candidates: Mapping[str, Callable[[], object]], rounds: int = 15, target: float = 0.02
) -> dict[str, float]:
    """Median seconds per call of each candidate, sampled in interleaved rounds."""
    calls = {name: _calibrate(fn, target) for name, fn in candidates.items()}
    samples: dict[str, list[float]] = {name: [] for name in candidates}
    for _ in range(rounds):
        for name, fn in candidates.items():
            samples[name].append(_seconds_per_call(fn, calls[name]))
    return {name: statistics.median(values) for name, values in samples.items()}
