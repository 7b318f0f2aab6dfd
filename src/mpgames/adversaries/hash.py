"""Adversaries of `hash.preimage`, one step of the PayWord chain hash (harness §4; scheme §4.3, §4.4).

* `hash.preimage-random` (null): one uniform word, no query.
* `hash.preimage-search` (reference, breaks `trunc`): q_f distinct words through O_f, from a random
  start. On κ = 12 bits and q_f = 2^11 it finds a preimage with probability at least 1/2; on the
  256-bit hash of `full` it never does.
"""

from __future__ import annotations

from mpgames.adversaries.base import Adversary
from mpgames.games.hash_preimage import (
    ChainHashPreimage,
    HashPreimageAdversary,
    HashPreimageView,
    chain_word,
    random_word,
)
from mpgames.scheme.microcoin import CHAIN_HASHES
from mpgames.scheme.randomness import RandomSource


class RandomPreimage(Adversary, HashPreimageAdversary):
    """Null adversary of hash.preimage: a uniform word, no query."""

    id = "hash.preimage-random"
    label = "random word"
    targets = (ChainHashPreimage.id,)
    expect = "null"

    def attack(self, view: HashPreimageView, rng: RandomSource) -> bytes:
        return random_word(CHAIN_HASHES[view.variant], rng)


class WordSearch(Adversary, HashPreimageAdversary):
    """Reference attack: consecutive words through O_f, from a random start, until one maps to y."""

    id = "hash.preimage-search"
    label = "search q_f distinct words through O_f"
    targets = (ChainHashPreimage.id,)
    expect = "breaks:trunc"

    def attack(self, view: HashPreimageView, rng: RandomSource) -> bytes:
        chain_hash = CHAIN_HASHES[view.variant]
        words = 2**chain_hash.bits
        start = rng.randbelow(words)
        # q_f distinct words, or every word when O_f is unlimited.
        queries = words if view.f.budget is None else min(view.f.budget, words)
        for offset in range(queries):
            word = chain_word(chain_hash, (start + offset) % words)
            if view.f(word) == view.y:
                return word
        # Budget spent without a match: hand in one last, unchecked guess.
        return random_word(chain_hash, rng)
