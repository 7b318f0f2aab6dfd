"""Per-trial seeds (harness §6 "Randomness and reproducibility").

A trial's randomness is derived from its seed path (run seed, game id, variant, adversary id, tier,
group name) and its index i alone. The challenger and the adversary each get their own stream, so
an adversary that draws more or fewer random numbers cannot shift the challenger's keys. The
trial's outcome therefore depends on these inputs only: the same on any machine, in any order,
with any executor and any number of workers. The group name joins the tuple because a tier may be
played over several groups (`--group`).

The derivation is versioned (`SEEDS`): runs, vectors and replays record the version they were
played with, and every version stays playable, so a saved trial replays forever.

* **v2** (the current one): the path key K = SHA-256("mpgames/trial-seed/v2" ‖ enc(path)), once per
  run; the trial key k_i = BLAKE2b-256(enc(i)) keyed with K, one keyed hash per trial; the two
  streams are `HashStream(k_i, "challenger")` and `HashStream(k_i, "adversary")` (counter-mode
  BLAKE2b, mpgames.scheme.randomness): a trial's set-up costs three short hashes.
* **v1**: the trial seed s_i = SHA-256("mpgames/trial-seed/v1" ‖ enc(path, i)); the streams are
  `SeededRandom(s_i ‖ "/challenger")` and `SeededRandom(s_i ‖ "/adversary")` (Python's Mersenne
  Twister, whose 624-word set-up cost more than the toy games it seeded).

Secret coins (harness §6a, isolated runs): with a run key R, a secret of 32 bytes drawn with
`secrets`, the challenger's stream of trial i is keyed by HMAC-SHA-256(R, "mpgames/challenger-coins/vN"
‖ enc(path, i)) instead, so that an adversary who knows the run seed (it is public: on the command
line, in reports) cannot recompute the challenger's keys. The adversary's stream stays derived
from the seed, so its behaviour is reproducible from the seed alone; the run's manifest records R
after the run, and `mpgames replay --run-key` replays any trial exactly.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from functools import cached_property

from mpgames.framework.errors import UsageError
from mpgames.scheme.encoding import U64_MAX, enc, enc_u64
from mpgames.scheme.randomness import HashStream, RandomSource, SeededRandom

# The seed derivations, oldest first; runs are played with the last one.
SEEDS_V1, SEEDS_V2 = 1, 2
SEED_DERIVATIONS = (SEEDS_V1, SEEDS_V2)
SEEDS = SEEDS_V2
_DOMAIN = {SEEDS_V1: b"mpgames/trial-seed/v1", SEEDS_V2: b"mpgames/trial-seed/v2"}
_KEYED_DOMAIN = {SEEDS_V1: b"mpgames/challenger-coins/v1", SEEDS_V2: b"mpgames/challenger-coins/v2"}
_CHALLENGER, _ADVERSARY = b"challenger", b"adversary"
# The largest trial index: both derivations encode the index as a u64.
MAX_TRIAL = U64_MAX
# Bytes of a run key.
RUN_KEY_BYTES = 32


def new_run_key() -> bytes:
    """A fresh secret run key."""
    return secrets.token_bytes(RUN_KEY_BYTES)


def checked_derivation(value: object, what: str = "seed derivation") -> int:
    """`value` if it names a seed derivation this harness plays, else a `UsageError`."""
    if type(value) is not int or value not in SEED_DERIVATIONS:
        known = ", ".join(str(version) for version in SEED_DERIVATIONS)
        raise UsageError(f"{what} must be one of {known}, got {value!r}")
    return value


def adversary_stream(derivation: int, material: bytes) -> RandomSource:
    """The adversary's generator from what `SeedPath.adversary_seed` gave (an isolated adversary's
    process builds it from the bytes its host sends)."""
    if checked_derivation(derivation) == SEEDS_V1:
        return SeededRandom(material)
    return HashStream(material, _ADVERSARY)


@dataclass(frozen=True)
class SeedPath:
    """Everything a trial's randomness is derived from, except the trial index."""

    seed: str
    game: str
    variant: str
    adversary: str
    tier: str
    group: str
    derivation: int = SEEDS

    def __post_init__(self) -> None:
        checked_derivation(self.derivation)

    @cached_property
    def _path(self) -> bytes:
        return enc(self.seed, self.game, self.variant, self.adversary, self.tier, self.group)

    @cached_property
    def _path_key(self) -> bytes:
        return hashlib.sha256(_DOMAIN[SEEDS_V2] + self._path).digest()

    def _fields(self, index: int) -> bytes:
        return self._path + enc(index)

    def trial_seed(self, index: int) -> bytes:
        """The 32-byte seed (v1) or key (v2) of trial `index`."""
        if self.derivation == SEEDS_V1:
            return hashlib.sha256(_DOMAIN[SEEDS_V1] + self._fields(index)).digest()
        return hashlib.blake2b(enc_u64(index), key=self._path_key, digest_size=32).digest()

    def adversary_seed(self, index: int) -> bytes:
        """What the adversary's generator of trial `index` is built from (`adversary_stream`)."""
        return self._adversary_material(self.trial_seed(index))

    def _adversary_material(self, seed: bytes) -> bytes:
        return seed + b"/adversary" if self.derivation == SEEDS_V1 else seed

    def _challenger_stream(self, seed: bytes, index: int, run_key: bytes | None) -> RandomSource:
        """The challenger's generator of trial `index` (whose seed is `seed`): from the seed, or keyed
        by a run key."""
        if run_key is not None:
            key = hmac.digest(run_key, _KEYED_DOMAIN[self.derivation] + self._fields(index), "sha256")
            return SeededRandom(key) if self.derivation == SEEDS_V1 else HashStream(key, _CHALLENGER)
        if self.derivation == SEEDS_V1:
            return SeededRandom(seed + b"/challenger")
        return HashStream(seed, _CHALLENGER)

    def streams(self, index: int, run_key: bytes | None = None) -> tuple[RandomSource, RandomSource]:
        """(challenger stream, adversary stream) of trial `index`."""
        seed = self.trial_seed(index)
        challenger = self._challenger_stream(seed, index, run_key)
        return challenger, adversary_stream(self.derivation, self._adversary_material(seed))
