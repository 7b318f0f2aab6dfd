"""`hash.preimage`: one-wayness of one step of the PayWord chain hash (harness §3, §5).

The assumption game of the `pw-preimage` reduction (mpgames.reductions.preimage): one step
f = H_κ("MC/PW", cid, 1, ·) of the chain hash, at a fresh channel id, given as an oracle O_f, and
y = f(w) for a uniform word w; find w' with f(w') = y. For κ = 256 (variant `full`) that is out of
reach; for κ = 12 (`trunc`, the hash of mc-b-trunc) q_f queries succeed with probability about
q_f·2^(1−κ). The group of the tier plays no part in the game; the view carries it for reductions
that simulate a game over it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from mpgames.framework.base import Game, budget_table
from mpgames.framework.context import TrialContext
from mpgames.framework.errors import MalformedOutput, MalformedQuery
from mpgames.framework.oracles import Oracle
from mpgames.framework.view import View
from mpgames.games.microcoins import HASH_BUDGET
from mpgames.games.variants import declared_variants
from mpgames.measure.verdicts import Kind
from mpgames.scheme.groups import Group
from mpgames.scheme.microcoin import CHAIN_HASHES, CID_LEN, FULL_HASH, TRUNCATED_HASH
from mpgames.scheme.payword import ChainHash
from mpgames.scheme.randomness import RandomSource

TRUNC = "mc-b-trunc"
# The index of the step f: any fixed index names one function of the family.
STEP_INDEX = 1


def chain_word(chain_hash: ChainHash, value: int) -> bytes:
    """The κ-bit chain word of `value` < 2^κ: `word_len` bytes with the spare low bits clear."""
    spare = 8 * chain_hash.word_len - chain_hash.bits
    return (value << spare).to_bytes(chain_hash.word_len, "big")


def random_word(chain_hash: ChainHash, rng: RandomSource) -> bytes:
    """A uniform κ-bit chain word."""
    return chain_word(chain_hash, rng.randbelow(2**chain_hash.bits))


@dataclass(frozen=True)
class HashPreimageView(View):
    """What the inverter is given: the group, the variant's name, κ, the image y and O_f."""

    group: Group
    variant: str
    bits: int
    y: bytes
    f: Oracle[[bytes], bytes]


class HashPreimageAdversary(Protocol):
    """An inverter of f: one stage, from the view to a word w'."""

    def attack(self, view: HashPreimageView, rng: RandomSource) -> bytes: ...


class ChainHashPreimage(Game):
    """
    ┌────────────────────────────────────────────────────────────────────┐
    │ PRE: preimage of one step of the chain hash                        │
    │                                                                    │
    │ Given:    f = H_κ("MC/PW", cid, 1, ·) for a fresh channel id cid,  │
    │           as an oracle O_f (q_f = budgets["f"] queries), and       │
    │           y = f(w) for a uniform κ-bit word w.                     │
    │ Produce:  a word w'.                                               │
    │ Wins iff  f(w') = y.                                               │
    └────────────────────────────────────────────────────────────────────┘
    """

    id = "hash.preimage"
    title = "Chain-hash preimage"
    kind = Kind.WIN_LOSE
    notion = "one-wayness of one step of the PayWord chain hash, full or cut to κ bits"
    source = "scheme §4.3, §4.4; harness §5 (assumption game of a reduction)"
    variants = declared_variants(id, FULL_HASH, TRUNCATED_HASH)
    default_variant = FULL_HASH.name
    budgets = budget_table(f=HASH_BUDGET)
    adversary_type = HashPreimageAdversary

    def experiment(self, ctx: TrialContext, adversary: HashPreimageAdversary) -> bool:
        chain_hash = CHAIN_HASHES[ctx.variant.name]
        # A fresh step f = H_κ("MC/PW", cid, 1, ·) and the image y of a uniform word.
        cid = ctx.rng.randbytes(CID_LEN)
        step = functools.partial(chain_hash.step, cid, STEP_INDEX)
        w = random_word(chain_hash, ctx.rng)
        y = step(w)
        ctx.trace("challenge", cid=cid, w=w, y=y)

        def f(word: bytes) -> bytes:
            if not chain_hash.is_word(word):
                raise MalformedQuery(f"f takes {chain_hash.bits}-bit words")
            return step(word)

        # The adversary sees y and O_f (and the group, for reductions that simulate a game over it).
        view = HashPreimageView(
            group=ctx.group, variant=ctx.variant.name, bits=chain_hash.bits, y=y, f=ctx.oracle("f", f)
        )
        guess = ctx.play(adversary.attack, view, returns=bytes)
        # It wins iff f(w') = y.
        return ctx.judge(self.found_preimage, chain_hash, step, y, guess)

    @staticmethod
    def found_preimage(chain_hash: ChainHash, step: Callable[[bytes], bytes], y: bytes, word: bytes) -> bool:
        """Win: w' is a κ-bit word (else a malformed output) and f(w') = y."""
        if not chain_hash.is_word(word):
            raise MalformedOutput(f"the preimage must be a {chain_hash.bits}-bit word")
        return step(word) == y
