"""The payee's fast path (`Channel.check` on an exact `PayWordCoin` of exact values) and the chain-step
encoding it uses: byte-for-byte the spec's hashes, counted as before, and the same credit or refusal as
the generic path — a canonical copy, then the channel checks and `coin_proof_holds` — for honest and
hostile coins alike (docs/scheme.md "Validation at every check")."""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import pickle
from collections.abc import Callable
from typing import cast

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mpgames.scheme.encoding import U64_MAX, enc, enc_u64_bytes
from mpgames.scheme.errors import VerificationError
from mpgames.scheme.groups import named_group
from mpgames.scheme.hashing import Tag, hash256, hash256_u64_bytes, hash_prefix
from mpgames.scheme.ledger import Ledger
from mpgames.scheme.metering import metered
from mpgames.scheme.microcoin import (
    MC_B,
    VARIANTS,
    Channel,
    Coin,
    MicrocoinVariant,
    PayWordCoin,
    PayWordGen,
    accept_link,
    coin_proof_holds,
    microcoin_gen,
)
from mpgames.scheme.microcoin_tx import CommitTx
from mpgames.scheme.payword import ChainHash, step_prefix
from mpgames.scheme.randomness import SeededRandom
from mpgames.scheme.revalidate import NotCanonicalError, canonical
from mpgames.scheme.schnorr import keygen

TOY = named_group("toy-2039")
B, N = 40, 8
COIN = cast("type[Coin]", Coin)

cids = st.binary(min_size=32, max_size=32)
u64s = st.integers(min_value=0, max_value=U64_MAX)
# Every kind of Python int enc can be handed: in the u64 range, negative, and too wide.
any_ints = st.one_of(u64s, st.integers(max_value=-1), st.integers(min_value=U64_MAX + 1, max_value=2**80))


# -- hostile values ------------------------------------------------------------------------------------


class LyingBytes(bytes):
    """Equal to everything, of length 32 whatever it holds."""

    def __eq__(self, other: object) -> bool:
        return True

    def __ne__(self, other: object) -> bool:
        return False

    def __hash__(self) -> int:
        return 0

    def __len__(self) -> int:
        return 32


class LyingInt(int):
    """Equal to everything, inside every range, and reports another value through __int__/__index__."""

    def __eq__(self, other: object) -> bool:
        return True

    def __ne__(self, other: object) -> bool:
        return False

    def __lt__(self, other: object) -> bool:
        return True

    def __le__(self, other: object) -> bool:
        return True

    def __gt__(self, other: object) -> bool:
        return True

    def __ge__(self, other: object) -> bool:
        return True

    def __hash__(self) -> int:
        return 0

    def __int__(self) -> int:
        return 1

    def __index__(self) -> int:
        return 1


class SubCoin(PayWordCoin):
    """A subclass: its fields are converted to their true values, as of any PayWordCoin."""


class PropertyCoin(PayWordCoin):
    """A subclass whose word is a property answering with a lying bytes object (made with `forged`)."""

    @property  # type: ignore[misc]
    def word(self) -> bytes:
        return LyingBytes(bytes(32))


def forged(cls: type[PayWordCoin] = PayWordCoin, **fields: object) -> PayWordCoin:
    """A coin of type cls made with object.__new__, holding only the given fields (unchecked)."""
    coin = object.__new__(cls)
    for name, value in fields.items():
        object.__setattr__(coin, name, value)
    return coin


def replaced(coin: PayWordCoin, **fields: object) -> PayWordCoin:
    """A constructed coin whose fields were then replaced with object.__setattr__."""
    out = PayWordCoin(coin.cid, coin.index, coin.word)
    for name, value in fields.items():
        object.__setattr__(out, name, value)
    return out


# -- the channel and the generic path ------------------------------------------------------------------


def opened(variant: MicrocoinVariant = MC_B, seed: int = 0) -> tuple[dict[int, PayWordCoin], Channel]:
    """A payee's channel of n = N coins, and the payer's coins c_1 … c_N."""
    rng = SeededRandom(f"fast-path/{variant.name}/{seed}")
    payer, payee = keygen(TOY, rng)[1], keygen(TOY, rng)[1]
    while payee.x == payer.x:
        payee = keygen(TOY, rng)[1]
    ledger = Ledger()
    ledger.mint(payer.public, B)
    gen = microcoin_gen(payer, payee.public, B, N, 20, variant=variant, rng=rng)
    assert isinstance(gen, PayWordGen)
    ledger.submit(CommitTx(gen.commit, gen.signature))
    gen.chain()
    gen.link()
    return {j: gen.coin(j) for j in range(1, N + 1)}, accept_link(gen.aux, ledger, payee.public)


def generic_check(channel: Channel, coin: object) -> int:
    """`Channel.check` as it was before the fast path: a canonical copy, the channel's cid and index
    checks, then `coin_proof_holds` against the last coin held."""
    try:
        coin = canonical(coin, COIN, "the coin")
    except NotCanonicalError as err:
        raise VerificationError(str(err)) from err
    aux = channel.aux
    if coin.cid != aux.cid:
        raise VerificationError("not a coin of this channel")
    n, j_last = aux.terms.n, channel.j_last
    if not j_last < coin.index <= n:
        raise VerificationError(f"coin index {coin.index} is outside ({j_last}, {n}]")
    assert aux.link is not None
    last = channel.last_coin if j_last else PayWordCoin(aux.cid, 0, aux.link.w0)
    assert isinstance(last, PayWordCoin)
    if not coin_proof_holds(aux.commit, coin, last):
        raise VerificationError(f"coin {coin.index} does not verify")
    return (coin.index - j_last) * aux.terms.v


def outcome(check: Callable[[Channel, object], int], channel: Channel, coin: object) -> tuple[object, int]:
    """(the credit, or the refusal's message) and the hash calls made deciding it."""
    with metered() as counts:
        try:
            result: object = check(channel, coin)
        except VerificationError as err:
            result = ("refused", str(err))
    return result, counts.hashes


def fast_check(channel: Channel, coin: object) -> int:
    return channel.check(cast(Coin, coin))


def assert_same(channel: Channel, coin: object) -> tuple[object, int]:
    """check(coin) decides as the generic path does, with as many hashes, and stores nothing."""
    before = (channel.j_last, channel.last_coin)
    fast = outcome(fast_check, channel, coin)
    assert fast == outcome(generic_check, channel, coin)
    assert (channel.j_last, channel.last_coin) == before
    return fast


# -- encoding and hashing: the same bytes, counted the same ------------------------------------------


@given(n=any_ints, data=st.binary(max_size=80))
def test_enc_u64_bytes_is_enc(n: int, data: bytes) -> None:
    """The one-call layout of (n, data) is enc's, and an n enc refuses is refused with enc's error."""
    try:
        expected: object = enc(n, data)
    except Exception as err:  # enc's own refusal of an n outside the u64 range
        with pytest.raises(type(err)) as raised:
            enc_u64_bytes(n, data)
        assert str(raised.value) == str(err)
        return
    assert enc_u64_bytes(n, data) == expected


@pytest.mark.parametrize(
    "n, data",
    [(True, b"w"), (LyingInt(7), b"w"), (3, LyingBytes(b"abc")), (3, bytearray(b"abc")), (3, "text")],
)
def test_enc_u64_bytes_hands_other_types_to_enc(n: object, data: object) -> None:
    try:
        expected: object = enc(n, data)  # type: ignore[arg-type]
    except Exception as err:
        with pytest.raises(type(err)):
            enc_u64_bytes(n, data)  # type: ignore[arg-type]
        return
    assert enc_u64_bytes(n, data) == expected  # type: ignore[arg-type]


@given(cid=st.binary(max_size=40), i=any_ints, word=st.binary(max_size=40))
def test_the_prefixed_step_hash_is_the_spec_hash(cid: bytes, i: int, word: bytes) -> None:
    """H_256("MC/PW", cid, i, w) through the channel's prefix: the same bytes (or error), one count."""
    try:
        with metered() as spec_counts:
            expected: object = hash256(Tag.MC_PW, cid, i, word)
    except Exception as err:
        with metered() as counts, pytest.raises(type(err)):
            hash256_u64_bytes(step_prefix(cid), i, word)
        assert counts.hashes == spec_counts.hashes == 1
        return
    assert expected == hashlib.sha256(b"MC/PW" + enc(cid, i, word)).digest()
    with metered() as counts:
        assert hash256_u64_bytes(step_prefix(cid), i, word) == expected
        assert hash256(step_prefix(cid), i, word) == expected
    assert counts.hashes == 2 and spec_counts.hashes == 1


@given(
    head=st.lists(st.one_of(st.binary(max_size=8), u64s, st.text(max_size=5)), max_size=3),
    tail=st.lists(st.one_of(st.binary(max_size=8), u64s, st.text(max_size=5)), max_size=3),
)
def test_hash_prefix_holds_the_leading_fields(
    head: list[bytes | int | str], tail: list[bytes | int | str]
) -> None:
    assert hash256(hash_prefix(Tag.AA_NODE, *head), *tail) == hash256(Tag.AA_NODE, *head, *tail)


@given(kappa=st.one_of(st.none(), st.integers(min_value=1, max_value=256)), cid=cids, data=st.data())
def test_chain_steps_and_verification_are_the_spec_formula(
    kappa: int | None, cid: bytes, data: st.DataObject
) -> None:
    """step, descend, verify and the channel-bound descender against the step written out from the spec."""
    chain = ChainHash(kappa)
    j = data.draw(st.integers(min_value=0, max_value=5), label="j")
    to = data.draw(st.integers(min_value=0, max_value=j), label="to")
    top = data.draw(st.binary(min_size=chain.word_len, max_size=chain.word_len), label="w_j")
    top = chain._cut(top)

    def spec_step(i: int, word: bytes) -> bytes:
        return chain._cut(hashlib.sha256(b"MC/PW" + enc(cid, i, word)).digest())

    word = top
    for i in range(j, to, -1):
        assert chain.step(cid, i, word) == spec_step(i, word)
        word = spec_step(i, word)
    with metered() as counts:
        assert chain.descend(cid, j, top, to) == word
    assert counts.hashes == j - to
    with metered() as counts:
        assert chain.descender(cid)(j, top, to) == word
    assert counts.hashes == j - to
    assert chain.verify(cid, j, top, to, word)
    assert j == to or not chain.verify(cid, to, top, j, word)  # j_last above j is refused


# -- the fast path decides as the generic path --------------------------------------------------------


def test_honest_coins_are_credited_alike_with_one_hash_per_step() -> None:
    coins, channel = opened()
    credit, hashes = assert_same(channel, coins[3])
    assert (credit, hashes) == (3 * (B // N), 3)
    channel.transact(coins[3])
    for j in (4, 5, N):
        assert assert_same(channel, coins[j]) == ((j - 3) * (B // N), j - 3)


def test_truncated_and_unbound_variants_decide_alike() -> None:
    for name in ("mc-b-trunc", "mc-b-unbound-n"):
        coins, channel = opened(VARIANTS[name])
        channel.transact(coins[2])
        for coin in (coins[5], replaced(coins[5], word=bytes(len(coins[5].word)))):
            assert_same(channel, coin)


def hostile_coins(coins: dict[int, PayWordCoin]) -> dict[str, object]:
    good = coins[5]
    cid, word = good.cid, good.word
    return {
        "honest": good,
        "wrong word": replaced(good, word=bytes(32)),
        "wrong index": replaced(good, index=4),
        "below j_last": coins[2],
        "beyond n": replaced(good, index=N + 1),
        "another channel": replaced(good, cid=bytes(32)),
        "short cid": replaced(good, cid=cid[:5]),
        "index beyond u64": replaced(good, index=2**64 + 5),
        "negative index": replaced(good, index=-1),
        "bool index": replaced(good, index=True),
        "short word": replaced(good, word=word[:16]),
        "word a str": replaced(good, word="w" * 32),
        "cid a bytearray": replaced(good, cid=bytearray(cid)),
        "subclass": SubCoin(cid, 5, word),
        "subclass, wrong word": SubCoin(cid, 5, bytes(32)),
        "subclass, lying word property": forged(PropertyCoin, cid=cid, index=5),
        "subclass, forged": forged(SubCoin, cid=cid, index=5, word=word),
        "lying word, true value right": replaced(good, word=LyingBytes(word)),
        "lying word, true value wrong": replaced(good, word=LyingBytes(bytes(32))),
        "lying word, true value short": replaced(good, word=LyingBytes(word[:3])),
        "lying index, true value 1": replaced(good, index=LyingInt(1)),
        "lying cid": replaced(good, cid=LyingBytes(bytes(32))),
        "lying cid, true value right": replaced(good, cid=LyingBytes(cid)),
        "no fields": forged(),
        "no word": forged(cid=cid, index=5),
        "no index": forged(cid=cid, word=word),
        "all fields, unchecked": forged(cid=cid, index=5, word=word),
        "all fields, bad cid": forged(cid=b"x", index=5, word=word),
        "not a coin": (cid, 5, word),
        "None": None,
    }


def test_hostile_coins_are_refused_or_credited_as_by_the_generic_path() -> None:
    coins, channel = opened()
    channel.transact(coins[2])
    decided = {name: assert_same(channel, coin)[0] for name, coin in hostile_coins(coins).items()}
    credited = {name for name, result in decided.items() if not isinstance(result, tuple)}
    assert credited == {
        "honest",
        "subclass",
        "subclass, forged",
        "lying word, true value right",
        "lying cid, true value right",
        "all fields, unchecked",
    }
    assert decided["no fields"] == ("refused", "the coin.cid cannot be read: AttributeError")
    assert decided["short cid"] == ("refused", "the coin: a channel id is 32 bytes")
    assert channel.j_last == 2


@given(data=st.data())
def test_arbitrary_coins_decide_alike(data: st.DataObject) -> None:
    coins, channel = opened()
    held = data.draw(st.integers(min_value=0, max_value=N - 1), label="j_last")
    if held:
        channel.transact(coins[held])
    cid = data.draw(st.sampled_from([coins[1].cid, bytes(32), coins[1].cid[:31]]), label="cid")
    index = data.draw(st.one_of(st.integers(min_value=-1, max_value=N + 1), any_ints), label="index")
    true_word = coins[index].word if 1 <= index <= N else bytes(32)
    word = data.draw(st.one_of(st.just(true_word), st.binary(min_size=31, max_size=33)), label="word")
    wrap = data.draw(st.sampled_from(["exact", "subclass", "lying word", "lying index", "forged"]))
    coin: object
    if wrap == "subclass":
        coin = forged(SubCoin, cid=cid, index=index, word=word)
    elif wrap == "forged":
        coin = forged(cid=cid, index=index, word=word)
    else:
        coin = forged(
            cid=cid,
            index=LyingInt(index) if wrap == "lying index" else index,
            word=LyingBytes(word) if wrap == "lying word" else word,
        )
    assert_same(channel, coin)


# -- transact stores its own copy ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", [PayWordCoin, SubCoin])
def test_transact_stores_a_fresh_coin_the_caller_cannot_change(kind: type[PayWordCoin]) -> None:
    coins, channel = opened()
    good = coins[3]
    handed = kind(good.cid, good.index, good.word)
    assert channel.transact(handed) == 3 * (B // N)
    stored = channel.last_coin
    assert stored is not handed and type(stored) is PayWordCoin and stored == good
    object.__setattr__(handed, "index", N)
    object.__setattr__(handed, "word", bytes(32))
    assert channel.last_coin == good and channel.j_last == 3
    assert channel.check(coins[4]) == B // N  # the state is still (3, w_3)
    assert channel.received == 3 * (B // N)


def test_a_slotted_coin_copies_pickles_and_replaces() -> None:
    coins, _ = opened()
    coin = coins[4]
    assert pickle.loads(pickle.dumps(coin)) == coin
    assert copy.deepcopy(coin) == coin and copy.copy(coin) == coin
    assert dataclasses.replace(coin, index=5).index == 5
    assert not hasattr(coin, "__dict__")
