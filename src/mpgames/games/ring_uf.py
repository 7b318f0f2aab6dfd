"""Fixed-ring unforgeability of AOS ring signatures, game `ring.uf` (harness §3; scheme §3.3, §5.7 Exp^uf).

The seed's voucher experiment Exp^uf is Bender–Katz–Morselli's fixed-ring unforgeability under
chosen-message attack: the ring R is the set S of all n honest keys, the signing oracle signs only
for R, and a forgery counts only on a message the oracle never signed. AOS is unforgeable under the
discrete-logarithm assumption in the random-oracle model (forking lemma), so:

* a random σ = (c_0, s_0, …, s_{n−1}) verifies with probability about 1/q. The ring games declare
  the spec's toy group toy-2039 (q = 1019) for the toy tier, so that this rate is measurable: the
  tests find 1/q inside the interval the engine reports;
* whoever computes discrete logarithms forges at will: baby-step giant-step recovers a member's key
  on the toy tier (mpgames.adversaries.ring), so the toy tier is broken by a generic attack while the
  standard tier stays bounded.

`make_ring`, `member_index` and `RING_GROUPS` are shared with `ring.anon`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Protocol

from mpgames.framework.base import Game, budget_table
from mpgames.framework.context import TrialContext
from mpgames.framework.oracles import Oracle
from mpgames.framework.view import View
from mpgames.games.rings import RING_GROUPS, RING_SIZE, make_ring, member_index
from mpgames.games.variants import declared_variants
from mpgames.measure.verdicts import Kind
from mpgames.scheme import ring
from mpgames.scheme.groups import Group
from mpgames.scheme.randomness import RandomSource
from mpgames.scheme.ring import AOS, RingOracle, RingSignature
from mpgames.scheme.schnorr import PublicKey


@dataclass(frozen=True)
class RingForgery:
    """The adversary's output (m*, σ*)."""

    message: bytes
    signature: RingSignature


@dataclass(frozen=True)
class RingUfView(View):
    """What the forger is given: the group, the variant's name, the ring R and O_cert(i, m)."""

    group: Group
    variant: str
    ring: tuple[PublicKey, ...]
    cert: Oracle[[int, bytes], RingSignature]


class RingUfAdversary(Protocol):
    """A ring forger: one stage, from the view to (m*, σ*)."""

    def attack(self, view: RingUfView, rng: RandomSource) -> RingForgery: ...


class RingUnforgeability(Game):
    """
    ┌────────────────────────────────────────────────────────────────────┐
    │ UF: fixed-ring unforgeability of AOS under chosen-message attack   │
    │     (Bender–Katz–Morselli; the seed's Exp^uf)                      │
    │                                                                    │
    │ Given:    the ring R = (pk_0, …, pk_{n−1}) of n honest keys and a  │
    │           signing oracle O_cert(i, m) = Sign(sk_i, R, m), at most  │
    │           q_S = budgets["cert"] queries; Q = messages it signed.   │
    │ Produce:  a forgery (m*, σ*).                                      │
    │ Wins iff  Vrfy_R(m*, σ*) = 1 and m* ∉ Q.                           │
    └────────────────────────────────────────────────────────────────────┘
    """

    id = "ring.uf"
    title = "AOS ring-signature unforgeability (fixed ring)"
    kind = Kind.WIN_LOSE
    notion = (
        "fixed-ring unforgeability of AOS ring signatures under chosen-message attack: with a signing "
        "oracle for any member of the ring, produce a valid ring signature on a message never signed"
    )
    source = "scheme §3.3, §5.7 (Exp^uf); Bender–Katz–Morselli fixed-ring unforgeability"
    variants = declared_variants(id, AOS)
    default_variant = AOS.name
    budgets = budget_table(cert=16)
    groups = RING_GROUPS
    adversary_type: ClassVar[type] = RingUfAdversary

    def experiment(self, ctx: TrialContext, adversary: RingUfAdversary) -> bool:
        group = ctx.group
        # {(pk_i, sk_i)} ← Gen for i < n; R = (pk_0, …, pk_{n−1}).
        members, secret_keys = make_ring(group, RING_SIZE, ctx.rng)

        def cert(i: int, message: bytes) -> RingSignature:
            signer = secret_keys[member_index(i, len(members), "signer index i")]
            return ring.sign(signer, members, message, ctx.rng)

        # O_cert(i, m) adds m to Q (the oracle's log) and returns Sign(sk_i, R, m).
        o_cert = ctx.oracle("cert", cert)
        # A^{O_cert}(R) outputs (m*, σ*).
        view = self.view(ctx, members, o_cert)
        forgery = ctx.play(adversary.attack, view, returns=RingForgery)
        # It wins iff σ* verifies on m* for R and m* was never signed.
        return ctx.judge(self.is_forgery, members, o_cert, forgery)

    def view(
        self, ctx: TrialContext, members: tuple[PublicKey, ...], o_cert: Oracle[[int, bytes], RingSignature]
    ) -> RingUfView:
        """The forger's view, without a hash oracle: it hashes for itself. The random-oracle version
        of the game (mpgames.games.rom) adds H, whose queries a forking reduction answers."""
        return RingUfView(group=ctx.group, variant=ctx.variant.name, ring=members, cert=o_cert)

    @staticmethod
    def is_forgery(
        members: tuple[PublicKey, ...],
        o_cert: Oracle[[int, bytes], RingSignature],
        forgery: RingForgery,
        oracle: RingOracle | None = None,
    ) -> bool:
        """Win: (m*, σ*), already converted at the boundary, such that Vrfy_R(m*, σ*) = 1 and m* ∉ Q.

        `oracle` is the hash to verify with: the real one in the game, a reduction's own when it
        judges the forgery of an adversary it runs in the random-oracle model (reductions/).
        """
        message, signature = forgery.message, forgery.signature
        # σ* verifies on m* for the fixed ring R (a scalar outside Z_q or a wrong count is malformed) …
        valid = ring.verify(members, message, signature, oracle=oracle)
        # … and no member was asked to sign m* (Q holds messages, whoever signed them).
        fresh = all(query.args[1] != message for query in o_cert.log)
        return valid and fresh
