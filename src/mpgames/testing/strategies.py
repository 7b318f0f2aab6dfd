"""Hypothesis strategies for scheme objects, for property tests in users' own suites (harness §8).

    from hypothesis import given
    from mpgames.testing.strategies import groups, keypairs

    @given(groups("toy").flatmap(keypairs))
    def test_keys_match(pair): ...

Every strategy yields *valid* objects, built with the scheme's own code: a group of the requested
tier, keys with pk = g^x, vouchers that verify, coins a payee's channel accepts, assertions that
verify. A test then mutates them to probe validation, or feeds them to its own code. Strategies that
need randomness draw an integer seed and use `SeededRandom(seed)`, so an example is reproducible from
what Hypothesis prints, and shrinks towards seed 0 and the smallest sizes.

Strategies of objects that live in a group take the `Group` itself: combine them with `groups(...)`
through `flatmap`, e.g. `groups("toy").flatmap(vouchers)`. Standard-tier groups make every
exponentiation cost about a millisecond; keep `max_examples` small for them.

Hypothesis is imported here and by the attack search (mpgames.fuzz); the pytest plugin imports
neither.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from mpgames.scheme import assertions as aa
from mpgames.scheme.assertions import Assertion, AssertionPublicKey
from mpgames.scheme.groups import GROUP_NAMES, TIERS, Group, named_group, toy_group
from mpgames.scheme.microcoin import Aux, Coin, PayWordGen, get_variant, microcoin_gen
from mpgames.scheme.randomness import SeededRandom
from mpgames.scheme.schnorr import PublicKey, SecretKey, Signature, keygen, sign
from mpgames.scheme.vouchers import (
    CID_LEN,
    Mp1State,
    Mp2State,
    Mp3State,
    RingVoucher,
    SchnorrVoucher,
    Voucher,
)

# Bounds that keep examples cheap while covering the edge cases: one coin and several, a ring of
# one and of a few members, trees of one level and of several.
MAX_COINS = 8
MAX_COIN_VALUE = 5
MAX_RING = 4
MAX_DEPTH = 4
# Amounts in voucher states: full u64 range would be valid, 2^32 keeps them readable in failures.
MAX_AMOUNT = 2**32
# Expiry of generated microcoin commitments (ledger time units); any positive value will do.
COIN_EXPIRY = 100
VOUCHER_KINDS = ("micropay1", "micropay2", "micropay3")


class SignedMessage(NamedTuple):
    """A message, a Schnorr signature on it and the key it verifies under."""

    pk: PublicKey
    message: bytes
    signature: Signature


class SignedVoucher(NamedTuple):
    """A voucher and what it verifies against: `voucher.verify(verifier)` is True.

    The verifier is the signing point of sale's key (Micropay 1 and 2) or the ring of all points of
    sale (Micropay 3).
    """

    voucher: Voucher
    verifier: PublicKey | tuple[PublicKey, ...]


class PaidCoin(NamedTuple):
    """A microcoin and the Aux of its channel: `Channel(aux).check(coin)` credits `value`."""

    aux: Aux
    coin: Coin
    value: int


class AssertedStatement(NamedTuple):
    """An assertion τ of statement st in context ct: `mpgames.scheme.assertions.verify(apk, ct, st,
    tau)` is True."""

    apk: AssertionPublicKey
    ct: int
    st: bytes
    tau: Assertion


@functools.cache
def _names(tier: str) -> tuple[str, ...]:
    return tuple(name for name in GROUP_NAMES if named_group(name).tier == tier)


def groups(tier: str | None = None) -> SearchStrategy[Group]:
    """The named groups of `tier` ("toy" or "standard"), or of both; toy groups shrink first."""
    if tier is not None and tier not in TIERS:
        raise ValueError(f"unknown tier {tier!r}; choose one of {', '.join(TIERS)}")
    names = [name for t in TIERS if tier in (None, t) for name in _names(t)]
    return st.sampled_from(names).map(named_group)


def toy_groups(min_q_bits: int = 8, max_q_bits: int = 24) -> SearchStrategy[Group]:
    """Generated toy groups (`mpgames.scheme.groups.toy_group`) with a q of min_q_bits to max_q_bits bits."""
    if not 4 <= min_q_bits <= max_q_bits <= 64:
        raise ValueError("toy groups need 4 <= min_q_bits <= max_q_bits <= 64")
    # p of 64 bits at least, as in the named toy groups; 16 bits above q beyond that.
    return st.integers(min_q_bits, max_q_bits).map(lambda bits: toy_group(bits, max(64, bits + 16)))


def scalars(group: Group) -> SearchStrategy[int]:
    """Elements of Z_q."""
    return st.integers(0, group.q - 1)


def secrets(group: Group) -> SearchStrategy[int]:
    """Non-zero scalars: valid secret keys and nonces."""
    return st.integers(1, group.q - 1)


def elements(group: Group) -> SearchStrategy[int]:
    """Elements of the order-q subgroup other than 1 (valid public keys y = g^x)."""
    return secrets(group).map(group.gexp)


def _keypair(group: Group, x: int) -> tuple[PublicKey, SecretKey]:
    sk = SecretKey(group, x)
    return sk.public, sk


def keypairs(group: Group) -> SearchStrategy[tuple[PublicKey, SecretKey]]:
    """(pk, sk) with pk = g^x, like `schnorr.keygen`."""
    return secrets(group).map(functools.partial(_keypair, group))


def _rng(draw: st.DrawFn) -> SeededRandom:
    """A generator from a drawn seed: reproducible from the printed example, shrinks to seed 0."""
    return SeededRandom(draw(st.integers(0, 2**32 - 1)))


def signed_messages(group: Group) -> SearchStrategy[SignedMessage]:
    """A valid Schnorr signature on a short message, with its key."""

    @st.composite
    def build(draw: st.DrawFn) -> SignedMessage:
        pk, sk = draw(keypairs(group))
        message = draw(st.binary(max_size=64))
        signature = sign(sk, message, _rng(draw))
        return SignedMessage(pk, message, signature)

    return build()


def _amounts(draw: st.DrawFn) -> tuple[int, int]:
    """(deposit d, paid b) with b <= d."""
    deposit = draw(st.integers(0, MAX_AMOUNT))
    return deposit, draw(st.integers(0, deposit))


def _distinct_keys(group: Group, count: int, rng: SeededRandom) -> list[SecretKey]:
    """`count` secret keys with distinct public keys (a ring must not list a key twice)."""
    if count >= group.q:
        raise ValueError(f"a group with q = {group.q} has fewer than {count} distinct keys")
    keys: dict[int, SecretKey] = {}
    while len(keys) < count:
        sk = keygen(group, rng)[1]
        keys.setdefault(sk.x, sk)
    return list(keys.values())


def vouchers(group: Group, kind: str | None = None) -> SearchStrategy[SignedVoucher]:
    """A voucher that verifies: Micropay 1 or 2 (Schnorr-signed) or 3 (ring-signed); `kind` picks one.

    kind is "micropay1", "micropay2", "micropay3" or None for any of them.
    """
    if kind is not None and kind not in VOUCHER_KINDS:
        raise ValueError(f"unknown voucher kind {kind!r}; choose one of {', '.join(VOUCHER_KINDS)}")

    @st.composite
    def build(draw: st.DrawFn) -> SignedVoucher:
        chosen = kind or draw(st.sampled_from(VOUCHER_KINDS))
        rng = _rng(draw)
        deposit, paid = _amounts(draw)
        index = draw(st.integers(0, MAX_AMOUNT))
        expiry = draw(st.integers(0, MAX_AMOUNT))
        cid = rng.randbytes(CID_LEN)
        if chosen == "micropay1":
            signer = keygen(group, rng)[1]
            state = Mp1State(keygen(group, rng)[0], deposit, paid, cid)
            return SignedVoucher(SchnorrVoucher.issue(signer, state, rng), signer.public)
        if chosen == "micropay2":
            signer = keygen(group, rng)[1]
            pos = draw(st.integers(0, MAX_RING - 1))
            state2 = Mp2State(cid, expiry, deposit, index, paid, pos)
            return SignedVoucher(SchnorrVoucher.issue(signer, state2, rng), signer.public)
        size = draw(st.integers(1, min(MAX_RING, group.q - 1)))
        keys = _distinct_keys(group, size, rng)
        members = tuple(sk.public for sk in keys)
        signer = keys[draw(st.integers(0, size - 1))]
        valid_until = draw(st.integers(0, expiry))
        state3 = Mp3State(cid, expiry, valid_until, deposit, index, paid)
        return SignedVoucher(RingVoucher.issue(signer, members, state3, rng), members)

    return build()


def coins(group: Group, variant: str = "mc-b") -> SearchStrategy[PaidCoin]:
    """A microcoin of the named variant (`mpgames.scheme.microcoin.VARIANTS`) with the Aux of its channel.

    The channel commits n <= MAX_COINS coins of value v; the coin is c_j for a drawn j, so a fresh
    `Channel(aux)` credits j·v for it.
    """
    chosen = get_variant(variant)

    @st.composite
    def build(draw: st.DrawFn) -> PaidCoin:
        n = draw(st.integers(1, MAX_COINS))
        value = draw(st.integers(1, MAX_COIN_VALUE))
        j = draw(st.integers(1, n))
        rng = _rng(draw)
        payer, payee = keygen(group, rng)[1], keygen(group, rng)[0]
        gen = microcoin_gen(payer, payee, n * value, n, COIN_EXPIRY, variant=chosen, rng=rng)
        if isinstance(gen, PayWordGen):
            gen.chain()
            gen.link()
        return PaidCoin(gen.aux, gen.coin(j), j * value)

    return build()


def assertions(
    group: Group, variant: aa.Variant = aa.FIXED, max_depth: int = MAX_DEPTH
) -> SearchStrategy[AssertedStatement]:
    """An accountable assertion (scheme §3.4) of a short statement in a drawn context, with its apk."""
    if variant not in aa.VARIANTS:
        raise ValueError(f"unknown assertion variant {variant!r}; choose one of {aa.VARIANTS}")
    # The published RKS leaf layout cannot fix a root for a tree of one level.
    min_depth = 2 if variant == aa.RKS_AS_PUBLISHED else 1
    if max_depth < min_depth:
        raise ValueError(f"max_depth must be at least {min_depth} for variant {variant}")

    @st.composite
    def build(draw: st.DrawFn) -> AssertedStatement:
        depth = draw(st.integers(min_depth, max_depth))
        ct = draw(st.integers(0, (1 << depth) - 1))
        statement = draw(st.binary(max_size=32))
        sk = draw(keypairs(group))[1]
        rng = _rng(draw)
        apk, asserter = aa.generate(sk, depth, rng, variant=variant)
        return AssertedStatement(apk, ct, statement, asserter.assert_(ct, statement))

    return build()
