"""Microcoins (spec §4): MC-B payer and payee, the ledger rules of §4.3, the variants and their attacks
(MC-0 key exposure versus MC-0′, truncated-hash preimage search, a commitment that does not bind n)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, replace

import pytest
from hypothesis import given, note
from hypothesis import strategies as st
from scipy.stats import binomtest

from mpgames.adversaries.microcoin import mc0_extract_key, mc0_forge_coin
from mpgames.scheme.chameleon import adm_collision, extract_key, message_scalar
from mpgames.scheme.errors import (
    ContextReusedError,
    DecodeError,
    RuleViolation,
    SchemeError,
    VerificationError,
)
from mpgames.scheme.groups import Group, named_group
from mpgames.scheme.ledger import Ledger
from mpgames.scheme.metering import metered
from mpgames.scheme.microcoin import (
    MC_B,
    VARIANTS,
    Aux,
    ChainTerms,
    Channel,
    Commit,
    Link,
    MicrocoinVariant,
    OpeningCoin,
    OpeningGen,
    PayWordCoin,
    PayWordGen,
    RootHash,
    accept_link,
    coin_message,
    decode_coin,
    get_variant,
    link_randomness,
    microcoin_gen,
    truncated_variant,
)
from mpgames.scheme.microcoin_tx import CommitTx, RedeemTx, RefundTx, Rule
from mpgames.scheme.payword import link_message
from mpgames.scheme.pebbling import PebbledChain
from mpgames.scheme.randomness import SeededRandom
from mpgames.scheme.schnorr import SecretKey, keygen, sign, verify

TOY = named_group("toy-2039")
# Claims that a computed key is NOT x run where a wrong value hits x with probability 2^-32, not 1/1019.
WIDE = named_group("toy-128-32")

B, N, EXPIRY, FUNDS = 40, 8, 20, 100
V = B // N


@dataclass
class World:
    """A ledger with a funded payer U, a payee R, and U's MicroCoinGen for R."""

    ledger: Ledger
    payer: SecretKey
    payee: SecretKey
    gen: PayWordGen | OpeningGen
    rng: SeededRandom

    @property
    def commit_tx(self) -> CommitTx:
        return CommitTx(self.gen.commit, self.gen.signature)


def world(
    variant: MicrocoinVariant = MC_B,
    *,
    group: Group = TOY,
    b: int = B,
    n: int = N,
    funds: int | None = None,
    seed: int = 0,
) -> World:
    """Keys, funding (FUNDS, or b if larger) and the signed commitment, not yet on the ledger."""
    rng = SeededRandom(f"microcoin/{variant.name}/{seed}")
    payer, payee = keygen(group, rng)[1], keygen(group, rng)[1]
    while payee.x == payer.x:  # in a 1019-element group two keys coincide now and then
        payee = keygen(group, rng)[1]
    ledger = Ledger()
    ledger.mint(payer.public, max(FUNDS, b) if funds is None else funds)
    gen = microcoin_gen(payer, payee.public, b, n, EXPIRY, variant=variant, rng=rng)
    return World(ledger, payer, payee, gen, rng)


def opened(
    variant: MicrocoinVariant = MC_B, *, group: Group = TOY, b: int = B, n: int = N, seed: int = 0
) -> tuple[World, Aux, Channel]:
    """Committed on the ledger, chain generated and linked, accepted by the payee."""
    w = world(variant, group=group, b=b, n=n, seed=seed)
    w.ledger.submit(w.commit_tx)
    if isinstance(w.gen, PayWordGen):
        w.gen.chain()
        w.gen.link()
    aux = w.gen.aux
    return w, aux, accept_link(aux, w.ledger, w.payee.public)


def attacker_link(w: World, n_chain: int, link_terms: ChainTerms) -> tuple[Aux, PebbledChain]:
    """A trapdoor holder links a chain of n_chain words, declaring link_terms, to the committed root."""
    gen = w.gen
    chain_hash = gen.commit.variant.chain_hash
    top = chain_hash.seed_word(gen.cid, b"another chain")
    chain = PebbledChain(functools.partial(chain_hash.step, gen.cid), n_chain, top)
    r = link_randomness(w.payer, gen.root_opening, gen.cid, link_terms, chain.anchor)
    carried = None if gen.commit.variant.binds_terms else link_terms
    return Aux(gen.commit, gen.signature, Link(chain.anchor, r, carried)), chain


def state(ledger: Ledger, cid: bytes) -> tuple[object, ...]:
    """Everything a rejected transaction must leave as it was."""
    output = (ledger.locked(cid).released,) if ledger.has_output(cid) else ()
    return ledger.balances(), ledger.total_value(), len(ledger.log), output


# -- variants ---------------------------------------------------------------------------------------------


def test_variant_registry() -> None:
    assert set(VARIANTS) == {"mc-b", "mc-0", "mc-0-adm", "mc-b-trunc", "mc-b-unbound-n"}
    assert {name for name, v in VARIANTS.items() if v.broken} == {"mc-0", "mc-b-trunc", "mc-b-unbound-n"}
    assert VARIANTS["mc-b-unbound-n"].breaks == ("mc.type1",)
    assert get_variant("mc-b") is MC_B
    assert truncated_variant(8).chain_hash.bits == 8
    assert "κ = 8" in truncated_variant(8).description
    with pytest.raises(SchemeError, match="mc-b"):
        get_variant("mc-z")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"broken": True},  # broken without naming a game
        {"root_hash": RootHash.ADM},  # a chain needs a KR root
        {"truncate_bits": 0},
    ],
)
def test_inconsistent_variants_are_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(SchemeError):
        replace(MC_B, **kwargs)


# -- payer ------------------------------------------------------------------------------------------------


def test_payer_validates_and_orders_its_phases() -> None:
    rng = SeededRandom(1)
    payer, payee = keygen(TOY, rng)[1], keygen(TOY, rng)[1]
    with pytest.raises(SchemeError, match="multiple"):
        microcoin_gen(payer, payee.public, 41, 8, EXPIRY, rng=rng)
    with pytest.raises(SchemeError):
        OpeningGen(payer, payee.public, 40, 8, EXPIRY, variant=MC_B, rng=rng)
    gen = microcoin_gen(payer, payee.public, 40, 8, EXPIRY, rng=rng)
    assert isinstance(gen, PayWordGen)
    with pytest.raises(SchemeError):
        gen.link()  # no chain yet
    with pytest.raises(SchemeError):
        gen.coin(1)
    gen.chain()
    with pytest.raises(SchemeError):
        gen.chain()
    gen.link()
    for j in (0, 9):
        with pytest.raises(SchemeError):
            gen.coin(j)
    assert gen.commit.terms == ChainTerms(8, 5)


def test_payer_stores_logarithmically_many_words() -> None:
    w = world(n=256, b=256)
    w.ledger.submit(w.commit_tx)
    w.gen.chain()
    for j in range(1, 257, 3):
        w.gen.coin(j)
        assert w.gen.stored_words <= (256).bit_length() + 1  # ⌈log2 256⌉ + 2


def test_second_link_is_refused_and_forcing_it_exposes_the_key() -> None:
    """A second opening of the root is a chameleon collision: extract_key gives x."""
    w, aux, _ = opened()
    gen = w.gen
    assert isinstance(gen, PayWordGen)
    with pytest.raises(ContextReusedError):
        gen.link()
    # Forced through the algebra: link another chain to the same root.
    other, _ = attacker_link(w, N, gen.terms)
    assert aux.link is not None and other.link is not None
    m1, m2 = (message_scalar(TOY, link_message(aux.cid, N, V, a.link.w0)) for a in (aux, other))
    assert extract_key(TOY, m1, aux.link.r, m2, other.link.r) == w.payer.x
    # One opening alone reveals nothing: the same message twice gives no equation.
    with pytest.raises(SchemeError):
        extract_key(TOY, m1, aux.link.r, m1, aux.link.r)


# -- payee: AcceptLink and Transact -----------------------------------------------------------------------


def test_transact_is_incremental_and_multi_coin() -> None:
    w, _, channel = opened()
    assert channel.transact(w.gen.coin(1)) == V
    assert channel.transact(w.gen.coin(2)) == V
    assert channel.transact(w.gen.coin(5)) == 3 * V  # w_5 pays coins 3, 4 and 5
    assert (channel.j_last, channel.received) == (5, 5 * V)
    assert channel.last_coin == w.gen.coin(5)


def test_transact_costs_hashes_only() -> None:
    """MC-B: verifying k coins at once is k chain steps, no exponentiation (spec §4.1 claims 2–4)."""
    w, _, channel = opened()
    channel.transact(w.gen.coin(2))
    coin = w.gen.coin(6)
    with metered() as ops:
        channel.transact(coin)
    assert (ops.hashes, ops.exponentiations) == (4, 0)


@pytest.mark.parametrize("variant", [VARIANTS["mc-0"], VARIANTS["mc-0-adm"]], ids=lambda v: v.name)
def test_root_opening_coins_pay_too(variant: MicrocoinVariant) -> None:
    w, _, channel = opened(variant)
    assert channel.transact(w.gen.coin(1)) == V
    assert channel.transact(w.gen.coin(4)) == 3 * V
    with pytest.raises(VerificationError):
        channel.transact(w.gen.coin(4))


def test_old_wrong_and_foreign_coins_are_refused_and_change_nothing() -> None:
    w, aux, channel = opened()
    channel.transact(w.gen.coin(3))
    coin5 = w.gen.coin(5)
    refused = [
        PayWordCoin(aux.cid, 3, coin5.word),  # the right word at the wrong index
        PayWordCoin(aux.cid, 5, bytes(32)),  # a wrong word
        PayWordCoin(bytes(32), 5, coin5.word),  # another channel
        PayWordCoin(aux.cid, 2, coin5.word),  # below j_last
        PayWordCoin(aux.cid, N + 1, coin5.word),  # beyond n
        PayWordCoin(aux.cid, 5, coin5.word[:16]),  # malformed
    ]
    for coin in refused:
        with pytest.raises(VerificationError):
            channel.check(coin)
        with pytest.raises(VerificationError):
            channel.transact(coin)
    assert (channel.j_last, channel.received) == (3, 3 * V)
    assert channel.transact(coin5) == 2 * V


def test_index_beyond_n_is_refused_even_with_a_valid_chain() -> None:
    """Type I against MC-B: the trapdoor holder links a chain of 2n words (the link names n, as COMMIT
    binds it). Word n+1 hashes correctly down to w_0, yet Transact refuses index n+1."""
    w, _, _ = opened()
    longer, chain = attacker_link(w, 2 * N, ChainTerms(N, V))
    channel = accept_link(longer, w.ledger, w.payee.public)
    w_n = chain.word(N)
    assert channel.transact(PayWordCoin(w.gen.cid, N, w_n)) == N * V
    beyond = PayWordCoin(w.gen.cid, N + 1, chain.word(N + 1))
    assert longer.commit.variant.chain_hash.verify(w.gen.cid, N + 1, beyond.word, N, w_n)
    with pytest.raises(VerificationError, match="outside"):
        channel.transact(beyond)
    # Declaring 2n in the link instead breaks the link equation: COMMIT binds n.
    relinked, _ = attacker_link(w, 2 * N, ChainTerms(2 * N, V))
    assert relinked.terms == ChainTerms(N, V)
    with pytest.raises(VerificationError, match="link"):
        accept_link(relinked, w.ledger, w.payee.public)


def test_unbound_n_lets_the_payer_overspend() -> None:
    """Type I against "mc-b-unbound-n": COMMIT omits n, the link says 2n, the payee accepts 2b; the
    ledger then refuses to redeem the surplus (the extended Type I win: an accepted coin fails)."""
    w, _, _ = opened(VARIANTS["mc-b-unbound-n"])
    longer, chain = attacker_link(w, 2 * N, ChainTerms(2 * N, V))
    channel = accept_link(longer, w.ledger, w.payee.public)
    channel.transact(PayWordCoin(w.gen.cid, 2 * N, chain.word(2 * N)))
    assert channel.received == 2 * B > w.gen.commit.b
    before = state(w.ledger, w.gen.cid)
    tx = RedeemTx.create(w.payee, longer, channel.last_coin, w.rng)
    with pytest.raises(RuleViolation) as err:
        w.ledger.submit(tx)
    assert err.value.rule == Rule.EXCEEDS_LOCKED
    assert state(w.ledger, w.gen.cid) == before


@pytest.mark.parametrize(
    ("tamper", "reason"),
    [
        ("payee", "another payee"),
        ("margin", "expires"),
        ("link", "link equation"),
        ("unrecorded", "not on the ledger"),
        ("redeemed", "already redeemed"),
    ],
)
def test_accept_link_refusals(tamper: str, reason: str) -> None:
    w, aux, channel = opened()
    assert channel.j_last == 0  # the honest Aux is accepted
    me = w.payee.public
    margin = 1
    if tamper == "payee":
        me = w.payer.public
    elif tamper == "margin":
        margin = EXPIRY + 1
    elif tamper == "link":
        assert aux.link is not None
        aux = replace(aux, link=replace(aux.link, r=(aux.link.r + 1) % TOY.q))
    elif tamper == "unrecorded":
        aux = _unrecorded_aux()
    else:
        channel.transact(w.gen.coin(1))
        w.ledger.submit(RedeemTx.create(w.payee, aux, w.gen.coin(1), w.rng))
    with pytest.raises(VerificationError, match=reason):
        accept_link(aux, w.ledger, me, margin=margin)


def _unrecorded_aux() -> Aux:
    """A linked Aux whose COMMIT never reached the ledger."""
    other = world(seed=1)
    assert isinstance(other.gen, PayWordGen)
    other.gen.chain()
    return other.gen.link()


# -- Type II: truncated chain hash ------------------------------------------------------------------------


def preimage_search(variant: MicrocoinVariant, positions: int, seed: int) -> tuple[int, int]:
    """The payee holds c_0..c_l and guesses one random word for index l+1, at each l < positions.

    Returns (successes, guesses). Each index is a fresh function of the guess (the step is
    index-bound), so the guesses are independent trials. A guess succeeds if it is the true word
    w_{l+1} (probability 2^−κ) or another preimage of w_l (probability 2^−κ each): p = 2^(1−κ) − 2^(−2κ).
    """
    w, _, channel = opened(variant, n=positions + 1, b=positions + 1, seed=seed)
    rng = SeededRandom(f"preimage-search/{seed}")
    bits, word_len = variant.chain_hash.bits, variant.chain_hash.word_len
    successes = 0
    for held in range(positions):
        word = (rng.randbelow(2**bits) << (8 * word_len - bits)).to_bytes(word_len, "big")  # a κ-bit word
        guess = PayWordCoin(w.gen.cid, held + 1, word)
        try:
            channel.check(guess)
        except VerificationError:
            pass
        else:
            successes += 1
        channel.transact(w.gen.coin(held + 1))  # the honest payer pays the next coin
    return successes, positions


@pytest.mark.parametrize("kappa", [8, 12])
def test_truncated_chain_falls_to_preimage_search(kappa: int) -> None:
    guesses = 4000 if kappa == 8 else 16000  # about 31 and 16 expected successes
    successes, tries = preimage_search(truncated_variant(kappa), guesses, seed=kappa)
    p = 2.0 ** (1 - kappa) - 2.0 ** (-2 * kappa)
    interval = binomtest(successes, tries).proportion_ci(confidence_level=0.999, method="exact")
    summary = f"κ={kappa}: {successes}/{tries}, 99.9% CI [{interval.low:.5f}, {interval.high:.5f}], p={p:.5f}"
    assert interval.low <= p <= interval.high, summary
    assert interval.low > 0  # the attack works: the rate is bounded away from zero


def test_full_hash_resists_the_same_search() -> None:
    successes, _ = preimage_search(MC_B, 4000, seed=8)
    assert successes == 0


# -- MC-0 key exposure versus MC-0′ -----------------------------------------------------------------------


def test_mc0_two_coins_expose_the_key_and_the_payee_mints_the_rest() -> None:
    w, aux, channel = opened(VARIANTS["mc-0"])
    c1, c2 = w.gen.coin(1), w.gen.coin(2)
    channel.transact(c1)
    channel.transact(c2)
    assert isinstance(c1, OpeningCoin) and isinstance(c2, OpeningCoin)
    x = mc0_extract_key(aux, c1, c2)
    assert x == w.payer.x
    # Coin n, which the payer never issued, is accepted and redeemed for the whole deposit.
    forged = mc0_forge_coin(aux, x, c2, N)
    assert channel.transact(forged) == (N - 2) * V
    w.ledger.submit(RedeemTx.create(w.payee, aux, forged, w.rng))
    assert w.ledger.balance(w.payee.public) == B
    # x is also the payer's signing key.
    assert verify(sign(SecretKey(TOY, x), b"anything", w.rng), w.payer.public, b"anything")


def test_mc0_adm_openings_do_not_expose_the_key() -> None:
    """MC-0′: the same algebra on two ADM coins gives a wrong key, and coins made with it fail."""
    variant = VARIANTS["mc-0-adm"]
    w, aux, channel = opened(variant, group=WIDE)
    c1, c2 = w.gen.coin(1), w.gen.coin(2)
    channel.transact(c1)
    channel.transact(c2)
    assert isinstance(c1, OpeningCoin) and isinstance(c2, OpeningCoin)
    guess = mc0_extract_key(aux, c1, c2)
    assert guess != w.payer.x
    message = coin_message(aux.cid, N)
    with_guess = adm_collision(SecretKey(WIDE, guess), aux.commit.root, message, w.rng)
    with pytest.raises(VerificationError):
        channel.check(OpeningCoin(WIDE, aux.cid, N, with_guess.r, with_guess.s))
    # The same forgery with the real key would pass: the check can tell them apart.
    with_key = adm_collision(w.payer, aux.commit.root, message, w.rng)
    assert channel.check(OpeningCoin(WIDE, aux.cid, N, with_key.r, with_key.s)) == (N - 2) * V


def test_extraction_needs_two_coins_of_the_channel() -> None:
    w, aux, _ = opened(VARIANTS["mc-0"])
    c1 = w.gen.coin(1)
    assert isinstance(c1, OpeningCoin)
    with pytest.raises(SchemeError):
        mc0_extract_key(aux, c1, c1)
    with pytest.raises(SchemeError):
        mc0_extract_key(aux, c1, replace(c1, cid=bytes(32), index=2))


# -- ledger: the full flow --------------------------------------------------------------------------------


def test_commit_pay_several_coins_redeem() -> None:
    w, aux, channel = opened()
    ledger, payer, payee = w.ledger, w.payer.public, w.payee.public
    assert (ledger.balance(payer), ledger.total_value()) == (FUNDS - B, FUNDS)
    for j in (1, 2, 5, 6):
        channel.transact(w.gen.coin(j))
    assert channel.received == 6 * V
    ledger.advance(EXPIRY - 1)  # redeem at the last moment
    ledger.submit(RedeemTx.create(w.payee, aux, channel.last_coin, w.rng))
    assert ledger.balance(payee) == 6 * V
    assert ledger.balance(payer) == FUNDS - 6 * V
    assert ledger.total_value() == ledger.minted == FUNDS
    assert ledger.locked(aux.cid).released


def test_refund_after_expiry() -> None:
    w, aux, _ = opened()
    ledger = w.ledger
    ledger.advance(EXPIRY)
    ledger.submit(RefundTx.create(w.payer, aux.cid, w.rng))
    assert ledger.balance(w.payer.public) == FUNDS
    assert ledger.total_value() == ledger.minted


# -- ledger: every rule rejects and changes nothing -------------------------------------------------------


def _signed(w: World, commit: Commit) -> CommitTx:
    return CommitTx(commit, sign(w.payer, commit.to_bytes(), w.rng))


COMMIT_CASES: dict[str, tuple[Callable[[World], CommitTx], str]] = {
    "bad signature": (
        lambda w: CommitTx(w.gen.commit, replace(w.gen.signature, s=(w.gen.signature.s + 1) % TOY.q)),
        Rule.COMMIT_SIGNATURE,
    ),
    "malformed signature": (
        lambda w: CommitTx(w.gen.commit, replace(w.gen.signature, e=TOY.q)),
        Rule.COMMIT_SIGNATURE,
    ),
    "signed by another key": (
        lambda w: CommitTx(w.gen.commit, sign(w.payee, w.gen.commit.to_bytes(), w.rng)),
        Rule.COMMIT_SIGNATURE,
    ),
    "non-member R_root": (lambda w: _signed(w, replace(w.gen.commit, root=TOY.p - 1)), Rule.ROOT),
    "n·v != b": (lambda w: _signed(w, replace(w.gen.commit, terms=ChainTerms(N, V + 1))), Rule.TERMS),
    "expiry not in the future": (lambda w: _signed(w, replace(w.gen.commit, expiry=0)), Rule.EXPIRY_PAST),
}


@pytest.mark.parametrize("case", COMMIT_CASES)
def test_commit_rules(case: str) -> None:
    build, rule = COMMIT_CASES[case]
    w = world()
    tx = build(w)
    before = state(w.ledger, tx.commit.cid)
    with pytest.raises(RuleViolation) as err:
        w.ledger.submit(tx)
    assert err.value.rule == rule
    assert state(w.ledger, tx.commit.cid) == before
    w.ledger.submit(w.commit_tx)  # the honest commitment passes the same ledger


def test_commit_needs_the_balance_and_is_recorded_once() -> None:
    poor = world(funds=B - 1)
    before = state(poor.ledger, poor.gen.cid)
    with pytest.raises(RuleViolation) as err:
        poor.ledger.submit(poor.commit_tx)
    assert err.value.rule == Rule.BALANCE
    assert state(poor.ledger, poor.gen.cid) == before
    w = world()
    w.ledger.submit(w.commit_tx)
    before = state(w.ledger, w.gen.cid)
    with pytest.raises(RuleViolation) as err:
        w.ledger.submit(w.commit_tx)
    assert err.value.rule == Rule.DUPLICATE
    assert state(w.ledger, w.gen.cid) == before


def _paid(w: World, channel: Channel, j: int = 3) -> PayWordCoin:
    coin = w.gen.coin(j)
    channel.transact(coin)
    assert isinstance(coin, PayWordCoin)
    return coin


def _redeem_twice(w: World, aux: Aux, channel: Channel) -> RedeemTx:
    tx = RedeemTx.create(w.payee, aux, _paid(w, channel), w.rng)
    w.ledger.submit(tx)
    return tx


def _expired(w: World, aux: Aux, channel: Channel) -> RedeemTx:
    w.ledger.advance(EXPIRY)
    return RedeemTx.create(w.payee, aux, _paid(w, channel), w.rng)


def _beyond_n(w: World, aux: Aux, channel: Channel) -> RedeemTx:
    longer, chain = attacker_link(w, 2 * N, ChainTerms(N, V))
    return RedeemTx.create(w.payee, longer, PayWordCoin(aux.cid, N + 1, chain.word(N + 1)), w.rng)


def _broken_chain(w: World, aux: Aux, channel: Channel) -> RedeemTx:
    coin = _paid(w, channel)
    return RedeemTx.create(w.payee, aux, replace(coin, word=bytes([coin.word[0] ^ 1]) + coin.word[1:]), w.rng)


def _bad_link(w: World, aux: Aux, channel: Channel) -> RedeemTx:
    assert aux.link is not None
    tx = RedeemTx.create(w.payee, aux, _paid(w, channel), w.rng)
    return replace(tx, link=replace(aux.link, r=(aux.link.r + 1) % TOY.q))


REDEEM_CASES: dict[str, tuple[Callable[[World, Aux, Channel], RedeemTx], str]] = {
    "wrong payee signature": (
        lambda w, aux, ch: RedeemTx.create(w.payer, aux, _paid(w, ch), w.rng),
        Rule.PAYEE_SIGNATURE,
    ),
    "expired": (_expired, Rule.EXPIRED),
    "double redeem": (_redeem_twice, Rule.REDEEMED),
    "j > n": (_beyond_n, Rule.INDEX),
    "j = 0": (
        lambda w, aux, ch: RedeemTx.create(w.payee, aux, PayWordCoin(aux.cid, 0, aux.link.w0), w.rng),
        Rule.INDEX,
    ),
    "broken chain": (_broken_chain, Rule.CHAIN),
    "bad link": (_bad_link, Rule.LINK),
    "unknown commitment": (
        lambda w, aux, ch: RedeemTx.create(w.payee, aux, replace(_paid(w, ch), cid=bytes(32)), w.rng),
        Rule.UNKNOWN,
    ),
}


@pytest.mark.parametrize("case", REDEEM_CASES)
def test_redeem_rules(case: str) -> None:
    build, rule = REDEEM_CASES[case]
    w, aux, channel = opened()
    tx = build(w, aux, channel)
    before = state(w.ledger, aux.cid)
    with pytest.raises(RuleViolation) as err:
        w.ledger.submit(tx)
    assert err.value.rule == rule
    assert state(w.ledger, aux.cid) == before


def test_refund_rules() -> None:
    w, aux, _ = opened()
    early = RefundTx.create(w.payer, aux.cid, w.rng)
    forged = RefundTx.create(w.payee, aux.cid, w.rng)
    for tx, rule, advance in ((early, Rule.NOT_EXPIRED, 0), (forged, Rule.REFUND_SIGNATURE, EXPIRY)):
        w.ledger.advance(advance)
        before = state(w.ledger, aux.cid)
        with pytest.raises(RuleViolation) as err:
            w.ledger.submit(tx)
        assert err.value.rule == rule
        assert state(w.ledger, aux.cid) == before
    w.ledger.submit(early)  # now valid: T_exp has passed
    with pytest.raises(RuleViolation) as err:
        w.ledger.submit(early)
    assert err.value.rule == Rule.REDEEMED


# -- encodings --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", VARIANTS)
def test_encodings_round_trip_and_reject_truncation(name: str) -> None:
    variant = VARIANTS[name]
    w, aux, _ = opened(variant)
    coin = w.gen.coin(3)
    for data, decode, value in (
        (coin.to_bytes(), functools.partial(decode_coin, TOY, variant), coin),
        (aux.to_bytes(), functools.partial(Aux.from_bytes, TOY, variant), aux),
        (aux.commit.to_bytes(), functools.partial(Commit.from_bytes, TOY, variant), aux.commit),
    ):
        assert decode(data) == value
        for cut in (data[:-1], data[: len(data) // 2], data[:3], data + b"\x00"):
            with pytest.raises(DecodeError):
                decode(cut)


def test_decoding_validates_fields() -> None:
    w, aux, _ = opened(truncated_variant(12))
    variant = aux.variant
    coin = w.gen.coin(1)
    spare_bit = replace(coin, word=coin.word[:1] + bytes([coin.word[1] | 1]))
    with pytest.raises(DecodeError, match="chain word"):
        decode_coin(TOY, variant, spare_bit.to_bytes())
    with pytest.raises(DecodeError, match="another group"):
        Aux.from_bytes(named_group("toy-2579"), variant, aux.to_bytes())
    with pytest.raises(DecodeError):
        Aux.from_bytes(TOY, MC_B, aux.to_bytes())  # a 12-bit w_0 is not an MC-B word
    non_member = replace(aux.commit, root=TOY.p - 1).to_bytes()
    with pytest.raises(DecodeError, match="R_root"):
        Commit.from_bytes(TOY, variant, non_member)
    no_coins = replace(aux.commit, terms=None, variant=VARIANTS["mc-b-unbound-n"]).to_bytes()
    with pytest.raises(DecodeError):
        Commit.from_bytes(TOY, variant, no_coins)


ENCODED_AUX = opened()[1].to_bytes()


@given(cut=st.integers(min_value=0, max_value=10_000))
def test_any_prefix_of_an_aux_is_refused(cut: int) -> None:
    data = ENCODED_AUX
    cut %= len(data)
    note(f"{cut} of {len(data)} bytes")
    with pytest.raises(DecodeError):
        Aux.from_bytes(TOY, MC_B, data[:cut])


# -- property: any prefix, any grouping, credits exactly j·v ----------------------------------------------


@given(
    n=st.integers(min_value=1, max_value=24),
    v=st.integers(min_value=1, max_value=5),
    data=st.data(),
)
def test_any_grouping_of_a_prefix_credits_j_times_v(n: int, v: int, data: st.DataObject) -> None:
    j = data.draw(st.integers(min_value=1, max_value=n), label="j")
    cuts = data.draw(
        st.sets(st.integers(min_value=1, max_value=j - 1)) if j > 1 else st.just(set()), label="cuts"
    )
    payments = sorted(cuts | {j})  # pay coins (0, c1], (c1, c2], …, (ck, j], each by its last word
    w, aux, channel = opened(n=n, b=n * v, seed=n * 31 + v)
    credited = sum(channel.transact(w.gen.coin(c)) for c in payments)
    note(f"n={n} v={v} payments={payments}")
    assert credited == channel.received == j * v
    w.ledger.submit(RedeemTx.create(w.payee, aux, channel.last_coin, w.rng))
    assert w.ledger.balance(w.payee.public) == j * v
    assert w.ledger.total_value() == w.ledger.minted


# -- the standard group -----------------------------------------------------------------------------------


@pytest.mark.slow
def test_rfc5114_round_trip(std: Group) -> None:
    w, aux, channel = opened(group=std)
    assert Aux.from_bytes(std, MC_B, aux.to_bytes()) == aux
    channel.transact(w.gen.coin(2))
    channel.transact(decode_coin(std, MC_B, w.gen.coin(7).to_bytes()))
    w.ledger.submit(RedeemTx.create(w.payee, aux, channel.last_coin, w.rng))
    assert w.ledger.balance(w.payee.public) == 7 * V
    assert w.ledger.total_value() == w.ledger.minted
