"""The microcoin payer (spec §4.3 MicroCoinGen: commit, chain, link; §4.2 for root-opening coins)."""

from __future__ import annotations

import functools
from abc import ABC, abstractmethod
from typing import ClassVar

from mpgames.scheme.chameleon import (
    adm_collision,
    adm_hash,
    adm_random_opening,
    ch_with_trapdoor,
    collision,
    message_scalar,
)
from mpgames.scheme.errors import ContextReusedError, SchemeError
from mpgames.scheme.microcoin.records import (
    NONCE_LEN,
    Aux,
    ChainTerms,
    Coin,
    Commit,
    Link,
    OpeningCoin,
    PayWordCoin,
    _small,
)
from mpgames.scheme.microcoin.variants import MC_B, CoinKind, MicrocoinVariant, RootHash
from mpgames.scheme.microcoin.verification import coin_message
from mpgames.scheme.payword import link_message
from mpgames.scheme.pebbling import PebbledChain
from mpgames.scheme.randomness import RandomSource, resolve
from mpgames.scheme.schnorr import PublicKey, SecretKey, sign

# Bytes of the chain seed (spec §4.3: seed ←$ {0,1}^256).
SEED_LEN = 32
# Bytes of the random message an ADM root hashes (its opening is thrown away: coins are collisions).
ADM_ROOT_MESSAGE_LEN = 32


class MicroCoinGen(ABC):
    """The payer's MicroCoinGen(b, sk, pk, n; payee, T_exp), phase 1: the offline commitment.

    Draws the root (R_root = Ch(a; s) with the trapdoor; an ADM hash for MC-0′), fixes v = b/n and
    signs COMMIT. Submit `CommitTx(gen.commit, gen.signature)` to the ledger. The subclass of the
    variant's coin kind (`microcoin_gen` picks it) adds the coins.
    """

    coins: ClassVar[CoinKind]

    def __init__(
        self,
        sk: SecretKey,
        payee: PublicKey,
        b: int,
        n: int,
        expiry: int,
        *,
        variant: MicrocoinVariant = MC_B,
        rng: RandomSource | None = None,
    ) -> None:
        if variant.coins is not self.coins:
            raise SchemeError(f"{variant.name} coins are not made by {type(self).__name__}")
        b = _small(b, "the committed value b", minimum=1)
        n = _small(n, "the number of coins n", minimum=1)
        if b % n:
            raise SchemeError(f"b = {b} is not a multiple of n = {n}: coins have integer values")
        self._sk = sk
        self._rng = resolve(rng)
        self._terms = ChainTerms(n, b // n)
        group = sk.group
        # Step 1.1: a random root; the KR root keeps its opening (a, s) for the trapdoor's later use.
        self._root_opening: tuple[int, int] | None = None
        if variant.root_hash is RootHash.KR:
            a, s = group.random_scalar(self._rng), group.random_scalar(self._rng)
            root = ch_with_trapdoor(sk, a, s)
            self._root_opening = (a, s)
        else:
            message = self._rng.randbytes(ADM_ROOT_MESSAGE_LEN)
            root = adm_hash(sk.public, message, adm_random_opening(group, self._rng))
        # Steps 1.2–1.3: COMMIT (with n and v where the variant binds them) and σ_U.
        nonce = self._rng.randbytes(NONCE_LEN)
        bound = self._terms if variant.binds_terms else None
        self.commit = Commit(variant, nonce, sk.public, payee, b, bound, root, expiry)
        self.signature = sign(sk, self.commit.to_bytes(), self._rng)

    @property
    def cid(self) -> bytes:
        return self.commit.cid

    @property
    def terms(self) -> ChainTerms:
        """(n, v) as the payer chose them."""
        return self._terms

    @property
    def root_opening(self) -> tuple[int, int]:
        """(a, s) with R_root = Ch(a; s): private output, here for attack demos (Type I, re-linking)."""
        if self._root_opening is None:
            raise SchemeError("an ADM root keeps no opening")
        return self._root_opening

    @property
    @abstractmethod
    def aux(self) -> Aux:
        """The public Aux a payee accepts coins with."""

    @abstractmethod
    def coin(self, j: int) -> Coin:
        """Coin c_j, for 1 <= j <= n."""

    def _check_index(self, j: int) -> int:
        j = _small(j, "the coin index", minimum=1)
        if j > self._terms.n:
            raise SchemeError(f"coin index {j} is outside 1..{self._terms.n}")
        return j


def link_randomness(
    sk: SecretKey, root_opening: tuple[int, int], cid: bytes, terms: ChainTerms, w0: bytes
) -> int:
    """r_link = Col(x, a, s, μ(enc("MC/LINK", cid, n, v, w_0))): opens R_root = Ch(a; s) to M_link.

    Stateless: calling it twice for one root (which `PayWordGen.link` refuses) hands out two
    openings of the root, and `chameleon.extract_key` turns those into x.
    """
    a, s = root_opening
    m = message_scalar(sk.group, link_message(cid, terms.n, terms.v, w0))
    return collision(sk, a, s, m)


class PayWordGen(MicroCoinGen):
    """MC-B payer: commit (constructor), then `chain()`, then `link()` once; coins `coin(j)` for rising j."""

    coins = CoinKind.PAYWORD
    _chain: PebbledChain | None = None
    _aux: Aux | None = None

    def chain(self) -> bytes:
        """Phase 2: seed ←$ {0,1}^256, w_n = H_256("MC/SEED", cid, seed), down to w_0 (returned)."""
        if self._chain is not None:
            raise SchemeError("the chain of this commitment already exists")
        chain_hash = self.commit.variant.chain_hash
        top = chain_hash.seed_word(self.cid, self._rng.randbytes(SEED_LEN))
        self._chain = PebbledChain(functools.partial(chain_hash.step, self.cid), self._terms.n, top)
        return self._chain.anchor

    def link(self) -> Aux:
        """Phase 3: r_link opens R_root to M_link. Refused a second time: two openings reveal x."""
        if self._aux is not None:
            raise ContextReusedError("this root is already linked; a second opening would reveal the key")
        if self._chain is None:
            raise SchemeError("generate the chain before linking it")
        w0 = self._chain.anchor
        r = link_randomness(self._sk, self.root_opening, self.cid, self._terms, w0)
        # Where COMMIT does not bind n and v, the link carries them.
        self._aux = Aux(
            self.commit, self.signature, Link(w0, r, None if self.commit.variant.binds_terms else self._terms)
        )
        return self._aux

    @property
    def aux(self) -> Aux:
        if self._aux is None:
            raise SchemeError("the chain is not linked yet")
        return self._aux

    @property
    def stored_words(self) -> int:
        """Chain words the payer holds now (O(log n) by pebbling)."""
        return 0 if self._chain is None else self._chain.stored_words

    def coin(self, j: int) -> PayWordCoin:
        """c_j = (cid, j, w_j); j must not fall below a coin already produced."""
        if self._chain is None:
            raise SchemeError("generate the chain before paying")
        return PayWordCoin(self.cid, j, self._chain.word(self._check_index(j)))


def kr_opening_coin(sk: SecretKey, cid: bytes, m: int, r: int, j: int) -> OpeningCoin:
    """MC-0 coin j from any known opening (m, r) of the root: r_j = Col(x, m, r, μ(enc("coin", cid, j)))."""
    m_j = message_scalar(sk.group, coin_message(cid, j))
    return OpeningCoin(sk.group, cid, j, collision(sk, m, r, m_j))


class OpeningGen(MicroCoinGen):
    """MC-0 / MC-0′ payer: commit (constructor); each coin is a fresh opening of the root."""

    coins = CoinKind.OPENING

    @property
    def aux(self) -> Aux:
        return Aux(self.commit, self.signature, None)

    def coin(self, j: int) -> OpeningCoin:
        """Coin j: a KR collision (MC-0) or an ADM collision (MC-0′) of the root."""
        self._check_index(j)
        if self.commit.variant.root_hash is RootHash.KR:
            a, s = self.root_opening
            return kr_opening_coin(self._sk, self.cid, a, s, j)
        opening = adm_collision(self._sk, self.commit.root, coin_message(self.cid, j), self._rng)
        return OpeningCoin(self._sk.group, self.cid, j, opening.r, opening.s)


def microcoin_gen(
    sk: SecretKey,
    payee: PublicKey,
    b: int,
    n: int,
    expiry: int,
    *,
    variant: MicrocoinVariant = MC_B,
    rng: RandomSource | None = None,
) -> PayWordGen | OpeningGen:
    """MicroCoinGen for the variant: commit now; a PayWord payer then runs `chain()` and `link()`."""
    cls = PayWordGen if variant.coins is CoinKind.PAYWORD else OpeningGen
    return cls(sk, payee, b, n, expiry, variant=variant, rng=rng)
