"""Per-trial time limit for adversaries (harness §10: "loops past its time limit ... loses that trial").

`call_with_limit(fn, seconds)` runs `fn()` under a real-time interval timer (`setitimer` and
SIGALRM) in the process that plays the trial: the main thread of the CLI process with `--jobs 1`,
the main thread of each worker process otherwise. When the timer fires, `TrialTimeout` is raised
inside the adversary's code. Pure-Python loops and sleeps are interrupted at once; a single long
call into C (one huge modular exponentiation) is interrupted when it returns.

A batch of trusted trials runs under one clock (`ticking_clock`): the handler is installed and an
interval timer started once, ticking every `TICK_SECONDS`, and each call only sets its deadline,
which the handler checks at each tick; installing a handler and arming a timer for every stage
cost more than a toy game's trial. Outside such a block each call installs the handler, arms a
timer for its own limit, and restores the previous handler when it ends.

Off the main thread signals cannot be used; there the limit is checked after the call returns, so
an overlong stage still loses its trial, only later. The same check backs up the timer everywhere.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from mpgames.framework.errors import TrialTimeout

T = TypeVar("T")


# After the first alarm the timer keeps firing at this interval until the call ends: a TrialTimeout
# raised where Python ignores exceptions (a garbage-collector callback, a __del__) is raised again.
REPEAT_SECONDS = 0.05


def _timeout() -> TrialTimeout:
    return TrialTimeout("the adversary exceeded the per-trial time limit")


# The interval of a batch's clock (`ticking_clock`): how late past its limit a stage is interrupted
# at most; a hundred alarms a second cost the trials well under a thousandth of their time.
TICK_SECONDS = 0.01


class _Clock:
    """The process's SIGALRM handler and what it reads: the deadline (a `time.perf_counter` value)
    of the stage that runs, None between stages, so that an alarm is never raised in challenger
    code; whether a batch's clock ticks (the handler then checks the deadline at each tick)."""

    ticking = False
    thread = 0  # the identifier of the thread whose calls the ticking clock times
    deadline: float | None = None

    @classmethod
    def on_alarm(cls, signum: int, frame: object) -> None:
        deadline = cls.deadline
        if deadline is not None and (not cls.ticking or time.perf_counter() >= deadline):
            raise _timeout()


@contextmanager
def ticking_clock() -> Iterator[None]:
    """Time the calls made in the block with one clock: the handler installed and an interval timer
    started once, so that each call only sets its deadline (no-op off the main thread, or inside
    another such block)."""
    if _Clock.ticking or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGALRM, _Clock.on_alarm)
    signal.setitimer(signal.ITIMER_REAL, TICK_SECONDS, TICK_SECONDS)
    _Clock.thread = threading.get_ident()
    _Clock.ticking = True
    try:
        yield
    finally:
        _Clock.ticking = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _until(fn: Callable[[], T], deadline: float) -> T:
    """`fn()` with its deadline set (restored to the caller's when it ends)."""
    outer, _Clock.deadline = _Clock.deadline, deadline
    try:
        return fn()
    finally:
        _Clock.deadline = outer


def call_with_limit(fn: Callable[[], T], seconds: float | None) -> T:
    """`fn()`, interrupted by `TrialTimeout` after `seconds` (no limit for None)."""
    if seconds is None:
        return fn()
    if seconds <= 0:
        raise _timeout()
    start = time.perf_counter()
    if _Clock.ticking and threading.get_ident() == _Clock.thread:
        result = _until(fn, start + seconds)
    elif threading.current_thread() is not threading.main_thread():
        result = fn()
    else:
        previous = signal.signal(signal.SIGALRM, _Clock.on_alarm)
        signal.setitimer(signal.ITIMER_REAL, seconds, REPEAT_SECONDS)
        try:
            result = _until(fn, start + seconds)  # its deadline cleared first: a late alarm is ignored
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    # A stage that returns past its limit (an alarm swallowed, or no signals) still loses.
    if time.perf_counter() - start > seconds:
        raise _timeout()
    return result
