"""Injectable randomness (spec §2.4, harness §6).

Production code draws from the operating system through `secrets`; games and tests inject a
`SeededRandom` so that every trial is reproducible. Every function of the scheme that needs
randomness takes an optional `rng` argument and falls back to `SYSTEM_RANDOM`.
"""

from __future__ import annotations

import hashlib
import random
import secrets
from typing import Protocol


class RandomSource(Protocol):
    """What the scheme needs from a generator: uniform integers below a bound, and bytes."""

    def randbelow(self, n: int) -> int: ...

    def randbytes(self, n: int) -> bytes: ...


class SystemRandom:
    """Cryptographic randomness from the operating system (`secrets`)."""

    def randbelow(self, n: int) -> int:
        return secrets.randbelow(n)

    def randbytes(self, n: int) -> bytes:
        return secrets.token_bytes(n)


class SeededRandom:
    """Deterministic generator for games and tests; never for real keys.

    The seed may be an int, a string or bytes; it is hashed first, so that nearby seeds give
    unrelated streams.
    """

    def __init__(self, seed: int | str | bytes) -> None:
        if isinstance(seed, int):
            seed = seed.to_bytes((seed.bit_length() + 8) // 8, "big", signed=True)
        elif isinstance(seed, str):
            seed = seed.encode()
        self._random = random.Random(hashlib.sha256(b"mpgames/seed" + seed).digest())

    def randbelow(self, n: int) -> int:
        if n <= 0:
            raise ValueError("randbelow needs a positive bound")
        return self._random.randrange(n)

    def randbytes(self, n: int) -> bytes:
        return self._random.randbytes(n)

    def fork(self, label: str) -> SeededRandom:
        """An independent child stream, e.g. one for the challenger and one for the adversary."""
        return SeededRandom(self.randbytes(32) + label.encode())


SYSTEM_RANDOM = SystemRandom()


def resolve(rng: RandomSource | None) -> RandomSource:
    """The generator to use: the injected one, or the system's."""
    return SYSTEM_RANDOM if rng is None else rng
