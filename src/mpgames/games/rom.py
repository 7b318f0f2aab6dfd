"""Random-oracle versions of the signature games, inner games of the forking reductions (harness §3, §5).

`sig.euf-cma.rom` and `ring.uf.rom` are `sig.euf-cma` and `ring.uf` with the challenge hash offered
as one more oracle, H, with a budget q_H. The games are otherwise the same: H answers the real hash,
and the win predicates verify with it. What changes is what a reduction can do: an adversary that
hashes through H lets the reduction answer, index and program its queries, which is how the forking
lemma rewinds it (mpgames.reductions.forking). An adversary that computes the hash itself still plays
these games, but no reduction can fork it: Python is no sandbox, and the random-oracle model is an
assumption about how the adversary hashes.

Their null adversaries and reference attacks are in mpgames.adversaries.rom.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from mpgames.framework.base import budget_table
from mpgames.framework.context import TrialContext
from mpgames.framework.oracles import Oracle
from mpgames.games.ring_uf import RingForgery, RingUfView, RingUnforgeability
from mpgames.games.sig_euf_cma import EufCmaView, Forgery, SchnorrEufCma
from mpgames.scheme import ring, schnorr
from mpgames.scheme.groups import Group
from mpgames.scheme.randomness import RandomSource
from mpgames.scheme.ring import RingOracle, RingSignature
from mpgames.scheme.schnorr import ChallengeOracle, PublicKey, Signature

# q_H of sig.euf-cma.rom: small, so that the forking lemma's loss (a factor of about q_H for the worst
# forger) is measured within a few hundred trials.
SIG_HASH_BUDGET = 8
# q_H of ring.uf.rom: the links of eight signatures on a ring of n = 4.
RING_HASH_BUDGET = 32


def _commitment(group: Group, commitment: int) -> int:
    """A hash input R (an exact int from the boundary): an element of the group, the identity
    included (g^α for α = 0); ⊥ (`InvalidElementError`) otherwise."""
    return commitment if commitment == group.identity else group.check_element(commitment, "commitment R")


def schnorr_hash(pk: PublicKey, oracle: ChallengeOracle) -> Callable[[int, bytes], int]:
    """O_H(R, m) = oracle(R, m) on checked input: the real H_q(R, y, m) in the game, a reduction's own
    oracle when it simulates the game."""
    group = pk.group

    def hash_(commitment: int, message: bytes) -> int:
        return oracle(_commitment(group, commitment), message)

    return hash_


def ring_hash(members: tuple[PublicKey, ...], oracle: RingOracle) -> Callable[[bytes, int], int]:
    """O_H(m, R) = oracle(m, R) on checked input, for the game's fixed ring L."""
    group = members[0].group

    def hash_(message: bytes, commitment: int) -> int:
        return oracle(message, _commitment(group, commitment))

    return hash_


@dataclass(frozen=True)
class EufCmaRomView(EufCmaView):
    """The view of sig.euf-cma with H(R, m) = H_q(R, y, m) as an oracle."""

    H: Oracle[[int, bytes], int]


class EufCmaRomAdversary(Protocol):
    """A forger in the random-oracle model: one stage, from the view to (m*, σ*)."""

    def attack(self, view: EufCmaRomView, rng: RandomSource) -> Forgery: ...


@dataclass(frozen=True)
class RingUfRomView(RingUfView):
    """The view of ring.uf with H(m, R') = H_q("RS/AOS", R, m, R') as an oracle."""

    H: Oracle[[bytes, int], int]


class RingUfRomAdversary(Protocol):
    """A ring forger in the random-oracle model: one stage, from the view to (m*, σ*)."""

    def attack(self, view: RingUfRomView, rng: RandomSource) -> RingForgery: ...


class SchnorrEufCmaRom(SchnorrEufCma):
    """
    ┌────────────────────────────────────────────────────────────────────┐
    │ EUF-CMA in the random-oracle model                                 │
    │                                                                    │
    │ Given:    pk, a signing oracle Sign(sk, ·) (q_S = budgets["sign"]) │
    │           and the hash H(R, m) = H_q(R, y, m) as an oracle         │
    │           (q_H = budgets["H"]).                                    │
    │ Produce:  a forgery (m*, σ*).                                      │
    │ Wins iff  σ* verifies on m* under pk and m* was never signed.      │
    └────────────────────────────────────────────────────────────────────┘
    """

    id = "sig.euf-cma.rom"
    title = "Schnorr EUF-CMA, random-oracle model"
    notion = "sig.euf-cma with the challenge hash offered as an oracle, for the forking reduction"
    source = "scheme §3.1; harness §5 (Pointcheval–Stern forking lemma)"
    budgets = budget_table(**SchnorrEufCma.budgets, H=SIG_HASH_BUDGET)
    adversary_type = EufCmaRomAdversary

    def view(self, ctx: TrialContext, pk: PublicKey, signing: Oracle[[bytes], Signature]) -> EufCmaRomView:
        """The view with H, which answers the real challenge hash of the game's key."""
        o_hash = ctx.oracle("H", schnorr_hash(pk, functools.partial(schnorr.challenge, pk)))
        return EufCmaRomView(group=ctx.group, variant=ctx.variant.name, pk=pk, sign=signing, H=o_hash)


class RingUnforgeabilityRom(RingUnforgeability):
    """
    ┌────────────────────────────────────────────────────────────────────┐
    │ UF of AOS in the random-oracle model (fixed ring)                  │
    │                                                                    │
    │ Given:    the ring R, O_cert(i, m) = Sign(sk_i, R, m)              │
    │           (q_S = budgets["cert"]) and the hash                     │
    │           H(m, R') = H_q("RS/AOS", R, m, R') as an oracle          │
    │           (q_H = budgets["H"]).                                    │
    │ Produce:  a forgery (m*, σ*).                                      │
    │ Wins iff  Vrfy_R(m*, σ*) = 1 and m* was never signed.              │
    └────────────────────────────────────────────────────────────────────┘
    """

    id = "ring.uf.rom"
    title = "AOS ring-signature unforgeability, random-oracle model"
    notion = "ring.uf with the ring's hash offered as an oracle, for the forking reduction"
    source = "scheme §3.3; harness §5 (forking lemma, Abe–Ohkubo–Suzuki)"
    budgets = budget_table(**RingUnforgeability.budgets, H=RING_HASH_BUDGET)
    adversary_type = RingUfRomAdversary

    def view(
        self, ctx: TrialContext, members: tuple[PublicKey, ...], o_cert: Oracle[[int, bytes], RingSignature]
    ) -> RingUfRomView:
        """The view with H, which answers the real hash of the game's ring."""
        o_hash = ctx.oracle("H", ring_hash(members, ring.challenge_oracle(members)))
        return RingUfRomView(group=ctx.group, variant=ctx.variant.name, ring=members, cert=o_cert, H=o_hash)
