"""An adversary that ends the first worker process it plays in (`os._exit`), once per marker file:
the trial that finds no file at $CRASH_ONCE_MARKER creates it and exits; every trial after that, and
every trial when the variable is unset, plays the null guess of `ring.random-guess`. Used to lose a
Dask worker in the middle of a batch (tests/test_executors.py)."""

from __future__ import annotations

import os

from mpgames.adversaries.ring import RandomBitGuess
from mpgames.games.ring_anon import RingAnonView
from mpgames.scheme.randomness import RandomSource


class CrashOnce(RandomBitGuess):
    id = "test.crash-once"
    label = "ends its first worker process, then guesses"

    def attack(self, view: RingAnonView, rng: RandomSource) -> int:
        marker = os.environ.get("CRASH_ONCE_MARKER")
        if marker:
            try:
                os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
            except FileExistsError:
                pass
            else:
                os._exit(1)
        return super().attack(view, rng)
