"""Type II security of microcoins, game `mc.type2` (harness §3; scheme §4.2–§4.4 Type II).

The adversary is the payee. The challenger, as payer, commits a coin set of A's chosen size to A's
payee key, hands A the coins c_1 … c_l one by one (l ≤ n − 1), then challenges A with an index
l* > l: A must produce a coin that Transact, started from A's state (l, w_l), accepts as coin l*,
i.e. a coin it was never paid. Variants:

* `mc-b`: PayWord words; a win needs a preimage of w_l under a 256-bit hash (or a second opening of
  the root, a discrete logarithm);
* `mc-0` (broken): each coin is a Krawczyk–Rabin opening of the root; two coins give the payer's key
  x (`mpgames.adversaries.microcoin.mc0_extract_key`) and with it every other coin;
* `mc-0-adm`: Ateniese–de Medeiros openings, which do not expose x;
* `mc-b-trunc` (broken in a measured sense): the chain hash is cut to κ = 12 bits. Each uniform
  κ-bit guess w for index l + 1 is accepted with probability 2^(1−κ) − 2^(−2κ) (it is the true word,
  or another preimage of w_l), so q_H hash queries win with probability about q_H·2^(1−κ) while
  q_H ≪ 2^(κ−1). Every trial draws a fresh commitment (a fresh cid), so trials are independent.

The chain hash H is offered as an oracle O_hash with a budget q_H (random-oracle style): a search
that hashes through it is held to the budget. Python is no sandbox, so an adversary that calls
`mpgames.scheme.payword` itself is not; the reference search does not.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from mpgames.framework.base import Game, budget_table
from mpgames.framework.context import TrialContext
from mpgames.framework.errors import MalformedOutput, MalformedQuery
from mpgames.framework.oracles import Oracle
from mpgames.framework.view import View
from mpgames.games.microcoins import FUNDS, HASH_BUDGET, MAX_COINS
from mpgames.games.variants import declared_variants
from mpgames.measure.verdicts import Kind
from mpgames.scheme import schnorr
from mpgames.scheme.errors import VerificationError
from mpgames.scheme.groups import Group
from mpgames.scheme.ledger import Ledger
from mpgames.scheme.microcoin import (
    GAME_TYPE2,
    VARIANTS,
    Aux,
    Channel,
    Coin,
    CoinKind,
    MicroCoinGen,
    MicrocoinVariant,
    OpeningCoin,
    PayWordCoin,
    PayWordGen,
    microcoin_gen,
)
from mpgames.scheme.microcoin_tx import CommitTx
from mpgames.scheme.payword import ChainHash
from mpgames.scheme.randomness import RandomSource
from mpgames.scheme.schnorr import PublicKey, SecretKey

# T_exp of the challenge commitment; the ledger clock stays at 0 during a trial.
EXPIRY = 100
# Stages of the Type II adversary: set up and collect coins, then forge the challenge coin.
QUERY = "query"
FORGE = "forge"


@dataclass(frozen=True)
class TypeTwoQueryView(View):
    """What the payee is given to collect coins: the payer's pk and funds, O_setup, O_coin and O_hash."""

    group: Group
    variant: str
    pk: PublicKey
    funds: int
    setup: Oracle[[int, int, PublicKey], Aux]
    coin: Oracle[[], Coin]
    hash: Oracle[[bytes, int, bytes], bytes]


@dataclass(frozen=True)
class TypeTwoForgeView(View):
    """What the payee is given to forge: the challenge index l* and O_hash(cid, i, w)."""

    challenge: int
    hash: Oracle[[bytes, int, bytes], bytes]


class TypeTwoAdversary(Protocol):
    """A payee: two stages, collect coins (output unread), then forge coin l*."""

    def query(self, view: TypeTwoQueryView, rng: RandomSource) -> None: ...

    def forge(self, view: TypeTwoForgeView, rng: RandomSource) -> Coin: ...


def coin_class(variant: MicrocoinVariant) -> type[PayWordCoin] | type[OpeningCoin]:
    """The coin type of a variant: a chain word, or an opening of the root."""
    return PayWordCoin if variant.coins is CoinKind.PAYWORD else OpeningCoin


def check_setup_query(group: Group, b: int, n: int, payee: PublicKey) -> tuple[int, int, PublicKey]:
    """The checks of O_setup(b, n, y_R), on arguments converted at the boundary (so the key is a
    validated key): n | b inside the game's limits, a key of the game's group."""
    if payee.group != group:
        raise MalformedQuery("the payee key must belong to the game's group")
    if not 1 <= n <= MAX_COINS or not 1 <= b <= FUNDS or b % n:
        raise MalformedQuery(f"need 1 <= n <= {MAX_COINS} and 1 <= b <= {FUNDS} with n dividing b")
    return b, n, payee


class HonestPayer:
    """The challenger as payer: MicroCoinGen for A's (b, n, y_R), then c_1, c_2, … in order."""

    # Challenger state: a `View` refuses to carry it.
    is_challenger_object = True

    def __init__(self, sk: SecretKey, ledger: Ledger, variant: MicrocoinVariant, rng: RandomSource) -> None:
        self._sk = sk
        self._ledger = ledger
        self._variant = variant
        self._rng = rng
        self._gen: MicroCoinGen | None = None
        self.aux: Aux | None = None
        self._paid: list[Coin] = []

    def setup(self, b: int, n: int, payee: PublicKey) -> Aux:
        """MicroCoinGen(b, sk, pk, n) paying `payee`; the COMMIT goes on the ledger; Aux = c_0 to A."""
        b, n, payee = check_setup_query(self._sk.group, b, n, payee)
        gen = microcoin_gen(self._sk, payee, b, n, EXPIRY, variant=self._variant, rng=self._rng)
        self._ledger.submit(CommitTx(gen.commit, gen.signature))
        if isinstance(gen, PayWordGen):
            gen.chain()
            gen.link()
        self._gen, self.aux = gen, gen.aux
        return gen.aux

    def coin(self) -> Coin:
        """The next coin c_{l+1}; ⊥ before setup and for c_n, which the payer never hands out."""
        if self._gen is None or self.aux is None:
            raise MalformedQuery("no coins before setup")
        j, n = len(self._paid) + 1, self.aux.terms.n
        if j > n - 1:
            raise MalformedQuery(f"A gets at most c_1 … c_(n−1) = c_{n - 1}")
        coin = self._gen.coin(j)
        self._paid.append(coin)
        return coin

    @property
    def paid(self) -> tuple[Coin, ...]:
        """c_1 … c_l, the coins A received."""
        return tuple(self._paid)


def hash_oracle(chain_hash: ChainHash) -> Callable[[bytes, int, bytes], bytes]:
    """O_hash(cid, i, w) = H("MC/PW", cid, i, w), the chain step of the variant."""

    def hash_(cid: bytes, i: int, word: bytes) -> bytes:
        if not chain_hash.is_word(word):
            raise MalformedQuery(f"w must be a {chain_hash.bits}-bit chain word")
        return chain_hash.step(cid, i, word)

    return hash_


class MicrocoinTypeTwo(Game):
    """
    ┌────────────────────────────────────────────────────────────────────┐
    │ Type II: a payee claims more than it received (scheme §4.4)        │
    │                                                                    │
    │ Given:    the payer's pk; O_setup(b, n, y_R) runs MicroCoinGen for │
    │           A's payee key, records COMMIT and returns Aux = c_0      │
    │           (once); O_coin() returns c_1, c_2, … in order, up to     │
    │           c_(n−1); O_hash(cid, i, w) is the chain hash, at most    │
    │           q_H = budgets["hash"] queries.                           │
    │ Then:     l = coins received; l* ←$ {l+1, …, n} is sent to A.      │
    │ Produce:  a coin c.                                                │
    │ Wins iff  c has index l* and Transact, started from (l, w_l),      │
    │           accepts it.                                              │
    └────────────────────────────────────────────────────────────────────┘
    """

    id = GAME_TYPE2
    title = "Microcoins Type II (payee over-claiming)"
    kind = Kind.WIN_LOSE
    notion = (
        "a payee that received the coins c_1 … c_l of a commitment produces a coin of a higher index "
        "l* that the payee's Transact accepts: a coin it was never paid"
    )
    source = "scheme §4.2, §4.3, §4.4 (Type II)"
    variants = declared_variants(id, *(VARIANTS[name] for name in ("mc-b", "mc-0", "mc-0-adm", "mc-b-trunc")))
    default_variant = "mc-b"
    stages = (QUERY, FORGE)
    budgets = budget_table(setup=1, coin=MAX_COINS - 1, hash=HASH_BUDGET)
    adversary_type = TypeTwoAdversary

    def experiment(self, ctx: TrialContext, adversary: TypeTwoAdversary) -> bool:
        group, variant = ctx.group, VARIANTS[ctx.variant.name]
        # (pk, sk) ← KeyGen for the payer, played by the challenger; A gets pk only.
        pk, sk = schnorr.keygen(group, ctx.rng)
        ctx.trace("keygen", x=sk.x, y=pk.y)
        # An honest ledger holds the payer's funds.
        ledger = Ledger()
        ledger.mint(pk, FUNDS)
        payer = HonestPayer(sk, ledger, variant, ctx.rng)
        # A sets up one coin set for its own key (b, n of its choice) and asks for coins in order.
        o_setup = ctx.oracle("setup", payer.setup, phases=(QUERY,))
        o_coin = ctx.oracle("coin", payer.coin, phases=(QUERY,))
        o_hash = ctx.oracle("hash", hash_oracle(variant.chain_hash))
        view = TypeTwoQueryView(
            group=group, variant=variant.name, pk=pk, funds=FUNDS, setup=o_setup, coin=o_coin, hash=o_hash
        )
        ctx.play(adversary.query, view, returns=None, phase=QUERY)
        # Without a coin set there is nothing to over-claim: A loses.
        if payer.aux is None:
            ctx.trace("no coin set")
            return False
        # Challenge: l* ←$ {l+1, …, n}, with l the number of coins A received.
        held, n = len(payer.paid), payer.aux.terms.n
        l_star = held + 1 + ctx.rng.randbelow(n - held)
        ctx.trace("challenge", l=held, n=n, l_star=l_star)
        # A(l*) outputs a coin c.
        forge_view = TypeTwoForgeView(challenge=l_star, hash=o_hash)
        coin = ctx.play(adversary.forge, forge_view, returns=Coin, phase=FORGE)
        # It wins iff Transact from (l, w_l) accepts c as coin l*.
        return ctx.judge(self.claims_unpaid_coin, payer.aux, payer.paid, l_star, coin)

    @staticmethod
    def claims_unpaid_coin(aux: Aux, paid: tuple[Coin, ...], l_star: int, coin: Coin) -> bool:
        """Win: a coin c of the variant's kind and index l* that Transact accepts from
        (j_last, w_last) = (l, w_l)."""
        expected = coin_class(aux.variant)
        if type(coin) is not expected:
            raise MalformedOutput(f"the coin c must be a {expected.__name__}")
        # The payee's state after c_1 … c_l: (j_last, w_last) = (l, w_l).
        channel = Channel(aux)
        if paid:
            channel.transact(paid[-1])
        # c is claimed as coin l* …
        at_challenge = coin.index == l_star
        # … and Transact accepts it.
        accepted = transact_accepts(channel, coin)
        return at_challenge and accepted


def transact_accepts(channel: Channel, coin: Coin) -> bool:
    """Would Transact accept the coin now? (`Channel.check`, without moving the channel.)"""
    try:
        channel.check(coin)
    except VerificationError:
        return False
    return True
