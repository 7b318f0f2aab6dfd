"""Per-trial seeds (harness §6 "Randomness and reproducibility").

The seed of trial i is SHA-256 over the length-prefixed encoding of (run seed, game id, variant,
adversary id, tier, group name, i). The challenger and the adversary each get their own
`SeededRandom` stream from it, so an adversary that draws more or fewer random numbers cannot shift
the challenger's keys. The trial's outcome therefore depends on these inputs only: the same on any
machine, in any order, with any number of worker processes.

The group name joins the spec's tuple because a tier may be played over several groups (`--group`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from mpgames.scheme.encoding import enc
from mpgames.scheme.randomness import SeededRandom

DOMAIN = b"mpgames/trial-seed/v1"


@dataclass(frozen=True)
class SeedPath:
    """Everything a trial seed is derived from, except the trial index."""

    seed: str
    game: str
    variant: str
    adversary: str
    tier: str
    group: str

    def trial_seed(self, index: int) -> bytes:
        """The 32-byte seed of trial `index`."""
        fields = (self.seed, self.game, self.variant, self.adversary, self.tier, self.group, index)
        return hashlib.sha256(DOMAIN + enc(*fields)).digest()

    def streams(self, index: int) -> tuple[SeededRandom, SeededRandom]:
        """(challenger stream, adversary stream) of trial `index`."""
        base = self.trial_seed(index)
        return SeededRandom(base + b"/challenger"), SeededRandom(base + b"/adversary")
