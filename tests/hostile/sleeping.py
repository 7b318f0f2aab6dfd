"""Class 6, adversaries that take their time: one sleeps past any small time limit in every trial,
one only in its first trial, one is merely slow. A run must stop early as "timed out" against the
first, play on against the others, and a slow run must stop cleanly when interrupted or capped
(`tests/test_interrupts.py`).

They play `dl` as null adversaries (a uniform guess when they answer at all). Loadable as file
plugins: `mpgames run dl --adversary tests/hostile/sleeping.py:ClassName`. With `SLEEPING_TRIALS`
set to a path, the slow one appends a line to that file as each of its trials starts, the id of the
process that plays it: a test can signal a run that is under way, or find the workers that played.
The one that sleeps once needs `SLEEPING_ONCE`, the path of a file that does not exist yet.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from mpgames.adversaries.base import Adversary
from mpgames.framework.view import View
from mpgames.scheme.randomness import RandomSource

# Seconds of a sleep that any test's time limit interrupts.
FOREVER = 60.0
# Seconds a slow trial takes: far below the default time limit of 10 s.
SLOW = 0.02


class _Sleeping(Adversary):
    targets = ("dl",)
    expect = "null"

    def guess(self, view: View, rng: RandomSource) -> int:
        return view.group.random_secret(rng)


class SleepsPastTheLimit(_Sleeping):
    id = "hostile.sleeps-past-the-limit"
    label = "sleeps past the time limit in every trial"

    def attack(self, view: View, rng: RandomSource) -> int:
        time.sleep(FOREVER)
        return self.guess(view, rng)


class SleepsInItsFirstTrial(_Sleeping):
    """Only the first trial sleeps: the one that creates the file `SLEEPING_ONCE` names (whichever
    process plays it, a worker's or an isolated adversary's fork)."""

    id = "hostile.sleeps-in-its-first-trial"
    label = "sleeps past the time limit once"

    def attack(self, view: View, rng: RandomSource) -> int:
        try:
            Path(os.environ["SLEEPING_ONCE"]).open("x").close()
        except FileExistsError:
            return self.guess(view, rng)
        time.sleep(FOREVER)
        return self.guess(view, rng)


class Slow(_Sleeping):
    id = "hostile.slow"
    label = f"a uniform guess after {SLOW} s"

    def attack(self, view: View, rng: RandomSource) -> int:
        trials = os.environ.get("SLEEPING_TRIALS")
        if trials:
            with Path(trials).open("a", encoding="utf-8") as file:
                file.write(f"{os.getpid()}\n")
        time.sleep(SLOW)
        return self.guess(view, rng)
