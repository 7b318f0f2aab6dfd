"""Per-trial seeds (harness §6 "Randomness and reproducibility").

The seed of trial i is SHA-256 over the length-prefixed encoding of (run seed, game id, variant,
adversary id, tier, group name, i). The challenger and the adversary each get their own
`SeededRandom` stream from it, so an adversary that draws more or fewer random numbers cannot shift
the challenger's keys. The trial's outcome therefore depends on these inputs only: the same on any
machine, in any order, with any number of worker processes.

The group name joins the spec's tuple because a tier may be played over several groups (`--group`).

Secret coins (harness §6a, isolated runs): with a run key K, a secret of 32 bytes drawn with
`secrets`, the challenger's stream of trial i comes from HMAC-SHA-256(K, the same fields) instead,
so that an adversary who knows the run seed (it is public: on the command line, in reports)
cannot recompute the challenger's keys. The adversary's stream stays derived from the seed, so its
behaviour is reproducible from the seed alone; the run's manifest records K after the run, and
`mpgames replay --run-key` replays any trial exactly.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from mpgames.scheme.encoding import enc
from mpgames.scheme.randomness import SeededRandom

DOMAIN = b"mpgames/trial-seed/v1"
KEYED_DOMAIN = b"mpgames/challenger-coins/v1"
# Bytes of a run key.
RUN_KEY_BYTES = 32


def new_run_key() -> bytes:
    """A fresh secret run key."""
    return secrets.token_bytes(RUN_KEY_BYTES)


@dataclass(frozen=True)
class SeedPath:
    """Everything a trial seed is derived from, except the trial index."""

    seed: str
    game: str
    variant: str
    adversary: str
    tier: str
    group: str

    def _fields(self, index: int) -> bytes:
        return enc(self.seed, self.game, self.variant, self.adversary, self.tier, self.group, index)

    def trial_seed(self, index: int) -> bytes:
        """The 32-byte seed of trial `index`."""
        return hashlib.sha256(DOMAIN + self._fields(index)).digest()

    def adversary_seed(self, index: int) -> bytes:
        """What the adversary's generator of trial `index` is seeded with."""
        return self.trial_seed(index) + b"/adversary"

    def challenger_seed(self, index: int, run_key: bytes | None = None) -> bytes:
        """What the challenger's generator of trial `index` is seeded with: from the seed, or keyed."""
        if run_key is None:
            return self.trial_seed(index) + b"/challenger"
        return hmac.digest(run_key, KEYED_DOMAIN + self._fields(index), "sha256")

    def streams(self, index: int, run_key: bytes | None = None) -> tuple[SeededRandom, SeededRandom]:
        """(challenger stream, adversary stream) of trial `index`."""
        return SeededRandom(self.challenger_seed(index, run_key)), SeededRandom(self.adversary_seed(index))
