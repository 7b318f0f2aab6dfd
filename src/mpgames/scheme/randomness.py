"""Injectable randomness (spec §2.4, harness §6).

Production code draws from the operating system through `secrets`; games and tests inject a
`SeededRandom` (Python's Mersenne Twister, seeded through SHA-256) so that every trial is
reproducible, and the trials of a run draw from a `HashStream` (BLAKE2b in counter mode under a
32-byte key), which costs one keyed hash to start where a Mersenne Twister costs the set-up of its
624-word state (mpgames.framework.seeds). Every function of the scheme that needs randomness takes
an optional `rng` argument and falls back to `SYSTEM_RANDOM`.
"""

from __future__ import annotations

import hashlib
import operator
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


class HashStream:
    """Deterministic generator of the trials of a run (harness §6): block j is
    BLAKE2b-512(u64(j), key, person), the blocks read in order as one byte stream.

    `randbytes(n)` takes the next n bytes of the stream; `randbelow(n)` takes the next
    ⌈b/8⌉ bytes for b = bit length of n − 1, keeps their b high bits, and draws again while the
    value is ≥ n (rejection sampling: exactly uniform, fewer than two draws on average). The key is
    a trial's 32-byte key, the personalisation (at most 16 bytes) the side it serves, so that two
    sides of one trial read independent streams.
    """

    __slots__ = ("_counter", "_key", "_person", "_pool", "_pos")

    KEY_BYTES = 32

    def __init__(self, key: bytes, person: bytes) -> None:
        if type(key) is not bytes or len(key) != self.KEY_BYTES:
            raise ValueError(f"a stream key is {self.KEY_BYTES} bytes")
        if type(person) is not bytes or len(person) > hashlib.blake2b.PERSON_SIZE:
            raise ValueError(f"a stream's personalisation is at most {hashlib.blake2b.PERSON_SIZE} bytes")
        self._key = key
        self._person = person
        self._counter = 0  # the next block's index
        self._pool = b""  # blocks read from, from `_pos` on
        self._pos = 0

    def randbytes(self, n: int) -> bytes:
        n = operator.index(n)
        if n < 0:
            raise ValueError("randbytes needs a non-negative count")
        start = self._pos
        end = start + n
        pool = self._pool
        if end > len(pool):
            pool = self._pool = pool[start:] + self._blocks(end - len(pool))
            start, end = 0, n
        self._pos = end
        return pool[start:end]

    def _blocks(self, size: int) -> bytes:
        """The next blocks of the stream, at least `size` bytes of them."""
        blocks = []
        for _ in range(-(-size // hashlib.blake2b.MAX_DIGEST_SIZE)):
            blocks.append(
                hashlib.blake2b(self._counter.to_bytes(8, "big"), key=self._key, person=self._person).digest()
            )
            self._counter += 1
        return b"".join(blocks)

    def randbelow(self, n: int) -> int:
        n = operator.index(n)
        if n <= 0:
            raise ValueError("randbelow needs a positive bound")
        bits = (n - 1).bit_length()
        size = (bits + 7) // 8
        excess = 8 * size - bits
        while True:
            value = int.from_bytes(self.randbytes(size), "big") >> excess
            if value < n:
                return value


SYSTEM_RANDOM = SystemRandom()


def resolve(rng: RandomSource | None) -> RandomSource:
    """The generator to use: the injected one, or the system's."""
    return SYSTEM_RANDOM if rng is None else rng
