"""Per-trial time limit for adversaries (harness §10: "loops past its time limit ... loses that trial").

`call_with_limit(fn, seconds)` runs `fn()` under a real-time interval timer (`setitimer` and
SIGALRM) in the process that plays the trial: the main thread of the CLI process with `--jobs 1`,
the main thread of each worker process otherwise. When the timer fires, `TrialTimeout` is raised
inside the adversary's code. Pure-Python loops and sleeps are interrupted at once; a single long
call into C (one huge modular exponentiation) is interrupted when it returns.

Off the main thread signals cannot be used; there the limit is checked after the call returns, so
an overlong stage still loses its trial, only later. The same check backs up the timer everywhere.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from mpgames.framework.errors import TrialTimeout

T = TypeVar("T")


# After the first alarm the timer keeps firing at this interval until the call ends: a TrialTimeout
# raised where Python ignores exceptions (a garbage-collector callback, a __del__) is raised again.
REPEAT_SECONDS = 0.05


def _timeout() -> TrialTimeout:
    return TrialTimeout("the adversary exceeded the per-trial time limit")


def call_with_limit(fn: Callable[[], T], seconds: float | None) -> T:
    """`fn()`, interrupted by `TrialTimeout` after `seconds` (no limit for None)."""
    if seconds is None:
        return fn()
    if seconds <= 0:
        raise _timeout()
    start = time.perf_counter()
    if threading.current_thread() is not threading.main_thread():
        result = fn()
    else:
        armed = True

        def on_alarm(signum: int, frame: object) -> None:
            if armed:
                raise _timeout()

        previous = signal.signal(signal.SIGALRM, on_alarm)
        signal.setitimer(signal.ITIMER_REAL, seconds, REPEAT_SECONDS)
        try:
            result = fn()
        finally:
            armed = False  # from here on a late alarm is ignored, never raised in challenger code
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    # A stage that returns past its limit (an alarm swallowed, or no signals) still loses.
    if time.perf_counter() - start > seconds:
        raise _timeout()
    return result
