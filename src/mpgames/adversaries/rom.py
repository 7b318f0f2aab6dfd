"""Adversaries of the random-oracle signature games `sig.euf-cma.rom` and `ring.uf.rom` (harness §4, §5).

* `sig.rom-bsgs-forgery` (sig.euf-cma.rom): x by budgeted baby-step giant-step, then q_H candidate
  commitments hashed through H, and the candidate the answers select (their sum mod q_H) signed. A
  real forger, and the forking lemma's worst case: a rerun with fresh answers from the selected query
  on selects the same query again with probability 1/q_H only.
* `ring.rom-bsgs-forgery` (ring.uf.rom): a member's key by BSGS, then one AOS signature whose links go
  through H.
* `sig.rom-random-forgery`, `ring.rom-random-forgery`: the null adversaries of mpgames.adversaries.sig and
  mpgames.adversaries.ring, retargeted to the random-oracle games (they never query H).

The BSGS forgers are generic attacks: they break the toy tier only. They are the inner adversaries
of the forking reductions (mpgames.reductions.forking). A recovered key signs whatever the signer's nonces
are, so `sig.rom-bsgs-forgery` breaks `schnorr-nonce-reuse` on the toy tier as well (`also_breaks`).
"""

from __future__ import annotations

from mpgames.adversaries import ring as ring_attacks
from mpgames.adversaries import sig as sig_attacks
from mpgames.adversaries.base import Adversary
from mpgames.adversaries.dl import recovered_log
from mpgames.games.ring_uf import RingForgery
from mpgames.games.rom import (
    EufCmaRomAdversary,
    EufCmaRomView,
    RingUfRomAdversary,
    RingUfRomView,
    RingUnforgeabilityRom,
    SchnorrEufCmaRom,
)
from mpgames.games.sig_euf_cma import Forgery
from mpgames.scheme import ring
from mpgames.scheme.randomness import RandomSource
from mpgames.scheme.schnorr import SecretKey, Signature


class RomRandomForgery(sig_attacks.RandomForgery, EufCmaRomAdversary):
    """Null adversary of sig.euf-cma.rom: uniform (e, s) on a fresh message, no query to H."""

    id = "sig.rom-random-forgery"
    targets = (SchnorrEufCmaRom.id,)


class RomBsgsForgery(Adversary, EufCmaRomAdversary):
    """Reference attack: BSGS key recovery, q_H candidates hashed through H, the selected one signed."""

    id = "sig.rom-bsgs-forgery"
    label = "BSGS key, sign the candidate the H answers select"
    targets = (SchnorrEufCmaRom.id,)
    expect = "breaks:schnorr"
    breaks_tiers = ("toy",)
    also_breaks = ("schnorr-nonce-reuse",)  # the key by BSGS, whatever the nonces

    def attack(self, view: EufCmaRomView, rng: RandomSource) -> Forgery:
        group, pk = view.group, view.pk
        x = recovered_log(group, pk.y, rng)
        if x is None:  # the step budget ran out (standard tier)
            return sig_attacks.random_forgery(group, rng)
        # One candidate commitment R_j = g^(k_j) per hash query the game allows.
        nonces = [group.random_secret(rng) for _ in range(view.H.budget or 0)]
        challenges = [view.H(group.gexp(k), sig_attacks.TARGET) for k in nonces]
        # The answers choose which candidate to sign: fresh answers choose anew.
        chosen = sum(challenges) % len(nonces)
        k, e = nonces[chosen], challenges[chosen]
        return Forgery(sig_attacks.TARGET, Signature(e, (k + e * x) % group.q))


class RomRandomRingForgery(ring_attacks.RandomRingForgery, RingUfRomAdversary):
    """Null adversary of ring.uf.rom: a uniform ring signature on a fresh message, no query to H."""

    id = "ring.rom-random-forgery"
    targets = (RingUnforgeabilityRom.id,)


class RomBsgsRingForgery(Adversary, RingUfRomAdversary):
    """Reference attack: a member's key by BSGS, then an AOS signature whose links are hashed through H."""

    id = "ring.rom-bsgs-forgery"
    label = "BSGS key of one member, sign through H"
    targets = (RingUnforgeabilityRom.id,)
    expect = "breaks:aos"
    breaks_tiers = ("toy",)

    def attack(self, view: RingUfRomView, rng: RandomSource) -> RingForgery:
        group, members = view.group, view.ring
        x = recovered_log(group, members[0].y, rng)
        if x is None:
            return ring_attacks.random_forgery(group, members, rng)
        signature = ring.sign(SecretKey(group, x), members, ring_attacks.TARGET, rng, oracle=view.H)
        return RingForgery(ring_attacks.TARGET, signature)
