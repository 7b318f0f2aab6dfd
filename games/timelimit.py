"""Per-trial time limit for adversaries (harness §10: "loops past its time limit ... loses that trial").

`call_with_limit(fn, seconds)` runs `fn()` under a real-time interval timer (`setitimer` and
SIGALRM) in the process that plays the trial: the main thread of the CLI process with `--jobs 1`,
the main thread of each worker process otherwise. When the timer fires, `TrialTimeout` is raised
inside the adversary's code. Pure-Python loops and sleeps are interrupted at once; a single long
call into C (one huge modular exponentiation) is interrupted when it returns.

Off the main thread signals cannot be used; there the limit is checked after the call returns, so
an overlong stage still loses its trial, only later.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable
from typing import NoReturn, TypeVar

from games.errors import TrialTimeout

T = TypeVar("T")


def _raise_timeout(signum: int, frame: object) -> NoReturn:
    raise TrialTimeout("the adversary exceeded the per-trial time limit")


def call_with_limit(fn: Callable[[], T], seconds: float | None) -> T:
    """`fn()`, interrupted by `TrialTimeout` after `seconds` (no limit for None)."""
    if seconds is None:
        return fn()
    if seconds <= 0:
        raise TrialTimeout("no time left in the per-trial time limit")
    if threading.current_thread() is not threading.main_thread():
        start = time.perf_counter()
        result = fn()
        if time.perf_counter() - start > seconds:
            raise TrialTimeout("the adversary exceeded the per-trial time limit")
        return result
    previous = signal.signal(signal.SIGALRM, _raise_timeout)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return fn()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
