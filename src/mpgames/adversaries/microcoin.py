"""Adversaries against the microcoin games `mc.type1` and `mc.type2` (harness §4; scheme §4.2–§4.4).

Type I, the payer (`mc.type1`):
* `mc.honest-payer` (null): commits n coins of value v, links its chain and pays an increasing run
  of coins within n.
* `mc.overspend` (reference): commits n coins, then uses the trapdoor to link a chain of 2n words
  to the root, declaring 2n where the COMMIT leaves n open (else the n it binds), and pays c_n and
  c_2n. Against `mc-b-unbound-n` the payee accepts 2b; against `mc-b` it refuses c_2n (index above
  the recorded n) and the payer ends with the b it committed.

Type II, the payee (`mc.type2`):
* `mc.random-coin` (null): takes some coins, then guesses the challenge coin uniformly.
* `mc.key-exposure` (reference): takes c_1 and c_2, computes x = (μ_1 − μ_2)/(r_2 − r_1) and mints
  coin l* (`mc0_extract_key`, `mc0_forge_coin`). It checks g^x = y first: against MC-0′ the algebra
  gives a value unrelated to x, and PayWord coins carry no opening at all, so there it falls back to
  a random guess (a plain loss, never a fault).
* `mc.preimage-search` (reference): takes c_1 … c_(n−1), so that l* = n = l + 1, and tries uniform
  κ-bit words w through the hash oracle until H(cid, l*, w) = w_l, `tries` queries at most. Against
  κ = 12 each try wins with probability 2^(1−κ) − 2^(−2κ); the default `tries` = q_H = 2^(κ−1)
  succeeds in about 59% of the trials (1 − E[(1 − K/2^κ)^tries], K = 1 + Poisson(1) preimages), and
  a budget of 100 tries in about tries·2^(1−κ) ≈ 4.9%. Against the full hash it never succeeds.
* `mc.bsgs-mint` (reference, generic): takes no coin; on MC-0 it solves x = log y and
  t = log(R_root·g^−μ) by budgeted BSGS and opens the root to coin l* with r = t/x. It breaks `mc-0`
  on the toy tier only. A winner that needs no coin is what the reduction `mc0-dl` can simulate
  (mpgames.reductions.coin), whose inner adversary it is.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ClassVar

from mpgames.adversaries.base import Adversary
from mpgames.adversaries.dl import STEP_BUDGET, is_log, recovered_log
from mpgames.adversaries.dlog import bsgs
from mpgames.games.hash_preimage import random_word
from mpgames.games.mc_type1 import TypeOneAdversary, TypeOneCommitView, TypeOnePayView, distinct_keypair
from mpgames.games.mc_type2 import TypeTwoAdversary, TypeTwoForgeView, TypeTwoQueryView
from mpgames.games.microcoins import HASH_BUDGET
from mpgames.scheme.chameleon import extract_key, message_scalar
from mpgames.scheme.errors import SchemeError
from mpgames.scheme.microcoin import (
    SEED_LEN,
    Aux,
    ChainTerms,
    Coin,
    CoinKind,
    Link,
    OpeningCoin,
    PayWordCoin,
    PayWordGen,
    RootHash,
    coin_message,
    get_variant,
    kr_opening_coin,
    link_randomness,
)
from mpgames.scheme.microcoin_tx import CommitTx
from mpgames.scheme.pebbling import PebbledChain
from mpgames.scheme.randomness import RandomSource
from mpgames.scheme.schnorr import SecretKey

# Type I coin sets: n coins of value v (b = n·v), valid for LIFETIME time units from now; honest
# payments advance by 1 to STRIDE coins at a time (one word pays for several coins).
N, V = 8, 5
B = N * V
LIFETIME = 50
STRIDE = 3
# Type II coin sets: n = 4 coins of value 1, so that two coins leave two to forge (l* ∈ {3, 4}).
N2 = 4
B2 = N2

# -- Type I: the payer --------------------------------------------------------------------------------


def commit_coin_set(view: TypeOneCommitView, sk: SecretKey, rng: RandomSource) -> PayWordGen:
    """Commit n coins of value v to the game's payee through the commit oracle; the payer's generator."""
    expiry = view.now + LIFETIME
    gen = PayWordGen(sk, view.payee, B, N, expiry, variant=get_variant(view.variant), rng=rng)
    view.commit(CommitTx(gen.commit, gen.signature))
    return gen


class HonestPayer(Adversary, TypeOneAdversary):
    """Null adversary: commit n coins, link the chain, pay an increasing run of coins within n."""

    id = "mc.honest-payer"
    label = "honest payer, pays within n"
    targets = ("mc.type1",)
    expect = "null"

    def commit(self, view: TypeOneCommitView, rng: RandomSource) -> None:
        self._gen = commit_coin_set(view, SecretKey(view.group, view.x), rng)
        self._gen.chain()
        self._aux = self._gen.link()

    def pay(self, view: TypeOnePayView, rng: RandomSource) -> None:
        view.accept(self._aux)
        j = 1 + rng.randbelow(STRIDE)
        while j <= N:
            view.pay(self._gen.coin(j))
            j += 1 + rng.randbelow(STRIDE)


class Overspend(Adversary, TypeOneAdversary):
    """Reference attack: link a chain of 2n words to the committed root, then pay c_n and c_2n."""

    id = "mc.overspend"
    label = "re-link a 2n-word chain, pay c_n and c_2n"
    targets = ("mc.type1",)
    expect = "breaks:mc-b-unbound-n"

    def commit(self, view: TypeOneCommitView, rng: RandomSource) -> None:
        sk = SecretKey(view.group, view.x)
        gen = commit_coin_set(view, sk, rng)
        commit, chain_hash = gen.commit, gen.commit.variant.chain_hash
        # A chain twice as long as committed, hashed from a fresh seed.
        longer = ChainTerms(2 * N, V)
        top = chain_hash.seed_word(gen.cid, rng.randbytes(SEED_LEN))
        self._chain = PebbledChain(functools.partial(chain_hash.step, gen.cid), longer.n, top)
        # The trapdoor opens the root to it, declaring 2n where COMMIT leaves n open, else the bound n.
        declared = longer if commit.terms is None else commit.terms
        r = link_randomness(sk, gen.root_opening, gen.cid, declared, self._chain.anchor)
        carried = longer if commit.terms is None else None
        self._aux = Aux(commit, gen.signature, Link(self._chain.anchor, r, carried))

    def pay(self, view: TypeOnePayView, rng: RandomSource) -> None:
        view.accept(self._aux)
        for j in (N, 2 * N):
            try:
                view.pay(PayWordCoin(self._aux.cid, j, self._chain.word(j)))
            except SchemeError:  # refused: the payee holds the payer to the committed n
                return


# -- Type II: the payee -------------------------------------------------------------------------------


def random_coin(aux: Aux, index: int, rng: RandomSource) -> Coin:
    """A uniform guess at coin `index`: a random chain word, or a random opening of the root."""
    if aux.variant.coins is CoinKind.PAYWORD:
        return PayWordCoin(aux.cid, index, random_word(aux.variant.chain_hash, rng))
    group = aux.group
    s = group.random_scalar(rng) if aux.variant.root_hash is RootHash.ADM else None
    return OpeningCoin(group, aux.cid, index, group.random_scalar(rng), s)


def mc0_extract_key(aux: Aux, coin_i: OpeningCoin, coin_j: OpeningCoin) -> int:
    """x = (μ_i − μ_j)/(r_j − r_i) from two MC-0 coins (spec §4.2): both open R_root.

    The same algebra on MC-0′ (ADM) coins yields a value unrelated to x.
    """
    if coin_i.cid != aux.cid or coin_j.cid != aux.cid or coin_i.index == coin_j.index:
        raise SchemeError("key extraction needs two coins of this channel with different indices")
    group = aux.group
    m_i = message_scalar(group, coin_message(aux.cid, coin_i.index))
    m_j = message_scalar(group, coin_message(aux.cid, coin_j.index))
    return extract_key(group, m_i, coin_i.r, m_j, coin_j.r)


def mc0_forge_coin(aux: Aux, x: int, known: OpeningCoin, j: int) -> OpeningCoin:
    """Coin j made by whoever holds x and one genuine coin: a payee after `mc0_extract_key`."""
    sk = SecretKey(aux.group, x)
    m_known = message_scalar(aux.group, coin_message(aux.cid, known.index))
    return kr_opening_coin(sk, aux.cid, m_known, known.r, j)


def exposed_key(aux: Aux, first: Coin, second: Coin) -> int | None:
    """x from two coins that open the root, if it is the payer's key (g^x = y); else None."""
    if not (isinstance(first, OpeningCoin) and isinstance(second, OpeningCoin)):
        return None  # PayWord coins carry no opening of the root
    try:
        x = mc0_extract_key(aux, first, second)
    except SchemeError:  # equal openings: nothing to solve
        return None
    return x if is_log(aux.group, x, aux.payer.y) else None


def descend(hash_: Callable[[bytes, int, bytes], bytes], cid: bytes, j: int, word: bytes, to: int) -> bytes:
    """Hash a word at index j down to index `to` through the hash oracle (j − to queries)."""
    for i in range(j, to, -1):
        word = hash_(cid, i, word)
    return word


class _Payee(Adversary, TypeTwoAdversary):
    """Type II skeleton: one coin set for a payee key of its own, `wanted` coins in order, then `forge`."""

    def query(self, view: TypeTwoQueryView, rng: RandomSource) -> None:
        payee, _ = distinct_keypair(view.group, rng, view.pk)
        self.aux: Aux = view.setup(B2, N2, payee)
        self.paid: tuple[Coin, ...] = tuple(view.coin() for _ in range(self.wanted(rng)))

    def wanted(self, rng: RandomSource) -> int:
        """How many coins to take, at most n − 1."""
        raise NotImplementedError


class RandomCoin(_Payee):
    """Null adversary: take 0 … n − 1 coins, then guess the challenge coin uniformly."""

    id = "mc.random-coin"
    label = "random guess of the challenge coin"
    targets = ("mc.type2",)
    expect = "null"

    def wanted(self, rng: RandomSource) -> int:
        return rng.randbelow(N2)

    def forge(self, view: TypeTwoForgeView, rng: RandomSource) -> Coin:
        return random_coin(self.aux, view.challenge, rng)


class KeyExposure(_Payee):
    """Reference attack: the payer's key from two root-opening coins, then mint coin l*."""

    id = "mc.key-exposure"
    label = "key from two coins, then mint the challenge coin"
    targets = ("mc.type2",)
    expect = "breaks:mc-0"

    def wanted(self, rng: RandomSource) -> int:
        return 2

    def forge(self, view: TypeTwoForgeView, rng: RandomSource) -> Coin:
        first, second = self.paid
        x = exposed_key(self.aux, first, second)
        if x is None or not isinstance(first, OpeningCoin):
            return random_coin(self.aux, view.challenge, rng)
        return mc0_forge_coin(self.aux, x, first, view.challenge)


class PreimageSearch(_Payee):
    """Reference attack: take c_1 … c_(n−1), then search the word of coin n through the hash oracle."""

    id = "mc.preimage-search"
    label = f"preimage search, {HASH_BUDGET} hash queries"
    targets = ("mc.type2",)
    expect = "breaks:mc-b-trunc"
    # Hash queries the search may spend: the game's q_H.
    tries: ClassVar[int] = HASH_BUDGET

    def wanted(self, rng: RandomSource) -> int:
        return N2 - 1

    def forge(self, view: TypeTwoForgeView, rng: RandomSource) -> Coin:
        aux, target = self.aux, view.challenge
        if aux.link is None:  # root-opening coins: no chain to search
            return random_coin(aux, target, rng)
        chain_hash = aux.variant.chain_hash
        held = self.paid[-1] if self.paid else PayWordCoin(aux.cid, 0, aux.link.w0)
        for _ in range(self.tries // (target - held.index)):
            guess = random_word(chain_hash, rng)
            if descend(view.hash, aux.cid, target, guess, held.index) == held.proof:
                return PayWordCoin(aux.cid, target, guess)
        # Budget spent without a match: hand in one last, unchecked guess.
        return random_coin(aux, target, rng)


class BsgsMint(Adversary, TypeTwoAdversary):
    """Reference attack (generic, toy tier): no coin taken; on MC-0 the key and the root's discrete log
    by BSGS, then coin l*.

    Ch(μ_l*; r) = g^μ · y^r = R_root iff x·r = log(R_root · g^−μ) = t: with x = log y and t, both by
    baby-step giant-step (`mpgames.adversaries.dl.recovered_log`, `mpgames.adversaries.dlog.bsgs`,
    STEP_BUDGET steps each), r = t/x opens the root to coin l*. Against MC-0′ (ADM openings) and the
    PayWord variants there is nothing this solves, and it hands in a random coin.

    Tiers: it plays both, with the same step budget. On the toy tier (a 20-bit q) both logarithms are
    found; on the standard tier the budget covers a vanishing part of the exponents, both searches
    give up after their steps (milliseconds on a 2048-bit group), and it hands in a random coin and
    loses.
    """

    id = "mc.bsgs-mint"
    label = "no coin: BSGS on y and on the root, open it to coin l*"
    targets = ("mc.type2",)
    expect = "breaks:mc-0"
    breaks_tiers = ("toy",)

    def query(self, view: TypeTwoQueryView, rng: RandomSource) -> None:
        payee, _ = distinct_keypair(view.group, rng, view.pk)
        self.aux: Aux = view.setup(B2, N2, payee)

    def forge(self, view: TypeTwoForgeView, rng: RandomSource) -> Coin:
        aux, j = self.aux, view.challenge
        variant = aux.variant
        if variant.coins is not CoinKind.OPENING or variant.root_hash is not RootHash.KR:
            return random_coin(aux, j, rng)  # a chain word or an ADM opening: nothing to solve
        group = aux.group
        # Ch(μ_l*; r) = g^μ · y^r = R_root  ⇔  x·r = log(R_root · g^−μ) = t.
        x = recovered_log(group, aux.payer.y, rng)
        mu = message_scalar(group, coin_message(aux.cid, j))
        t = bsgs(group, group.mul(aux.commit.root, group.gexp(group.q - mu)), max_steps=STEP_BUDGET)
        if x is None or t is None:  # a budget ran out
            return random_coin(aux, j, rng)
        return OpeningCoin(group, aux.cid, j, t * group.inv_scalar(x) % group.q)
