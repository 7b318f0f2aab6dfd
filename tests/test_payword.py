"""PayWord chain hash (spec §4.3, §2.4): the index- and channel-bound step, κ-bit truncation,
verification down to the last known word, and the link message."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, note
from hypothesis import strategies as st

from mpgames.scheme.encoding import enc
from mpgames.scheme.errors import SchemeError
from mpgames.scheme.hashing import Tag
from mpgames.scheme.payword import ChainHash, link_message

CID = bytes(range(32))
OTHER_CID = bytes(32)
FULL = ChainHash()

kappas = st.integers(min_value=1, max_value=256)
words = st.binary(min_size=32, max_size=32)
"""Full-length chain words."""


def naive_chain(chain_hash: ChainHash, cid: bytes, n: int, seed: bytes = b"seed") -> list[bytes]:
    """[w_0, …, w_n] computed top down, one step at a time."""
    chain = [chain_hash.seed_word(cid, seed)]
    for i in range(n, 0, -1):
        chain.append(chain_hash.step(cid, i, chain[-1]))
    return chain[::-1]


# -- the step ---------------------------------------------------------------------------------------------


def test_step_is_the_spec_formula() -> None:
    """w_{i−1} = SHA-256("MC/PW" || enc(cid, i, w_i)), and w_n = SHA-256("MC/SEED" || enc(cid, seed))."""
    w = b"\x07" * 32
    assert FULL.step(CID, 5, w) == hashlib.sha256(b"MC/PW" + enc(CID, 5, w)).digest()
    assert FULL.seed_word(CID, b"s") == hashlib.sha256(b"MC/SEED" + enc(CID, b"s")).digest()
    assert Tag.MC_PW == b"MC/PW"


def test_step_is_bound_to_index_and_channel() -> None:
    w = b"\x01" * 32
    assert FULL.step(CID, 5, w) != FULL.step(CID, 6, w)
    assert FULL.step(CID, 5, w) != FULL.step(OTHER_CID, 5, w)


@given(kappa=kappas, word=words)
def test_truncation_keeps_the_first_kappa_bits(kappa: int, word: bytes) -> None:
    """The κ-bit word is the full word's first κ bits, in ceil(κ/8) bytes with the spare bits cleared."""
    cut = ChainHash(kappa)
    short, full = cut.step(CID, 3, word[: cut.word_len]), FULL.step(CID, 3, word[: cut.word_len])
    note(f"κ={kappa} short={short.hex()} full={full.hex()}")
    assert len(short) == (kappa + 7) // 8 == cut.word_len
    assert int.from_bytes(short, "big") == int.from_bytes(full, "big") >> (256 - kappa) << (
        8 * len(short) - kappa
    )
    assert cut.is_word(short)


def test_kappa_256_is_the_full_hash() -> None:
    assert ChainHash(256).step(CID, 1, b"\x00" * 32) == FULL.step(CID, 1, b"\x00" * 32)
    assert ChainHash(256).bits == FULL.bits == 256


@pytest.mark.parametrize("bad", [0, 257, -8, True, 12.0, "12"])
def test_kappa_is_validated(bad: object) -> None:
    with pytest.raises(SchemeError):
        ChainHash(bad)  # type: ignore[arg-type]


def test_word_shape() -> None:
    cut = ChainHash(12)
    assert cut.is_word(b"\xab\xc0")
    assert not cut.is_word(b"\xab\xc1")  # a spare bit set
    assert not cut.is_word(b"\xab")  # too short
    assert not cut.is_word(b"\xab\xc0\x00")  # too long
    assert not FULL.is_word("not bytes")


# -- verification ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("chain_hash", [FULL, ChainHash(12)], ids=["full", "κ=12"])
def test_verify_accepts_every_pair_of_genuine_words(chain_hash: ChainHash) -> None:
    chain = naive_chain(chain_hash, CID, 12)
    for j_last in range(13):
        for j in range(j_last, 13):
            assert chain_hash.verify(CID, j, chain[j], j_last, chain[j_last])


def test_verify_rejects_wrong_words_indices_and_channels() -> None:
    chain = naive_chain(FULL, CID, 8)
    assert FULL.verify(CID, 5, chain[5], 2, chain[2])
    assert not FULL.verify(CID, 5, chain[6], 2, chain[2])  # another word
    assert not FULL.verify(CID, 6, chain[5], 2, chain[2])  # the word, claimed one index higher
    assert not FULL.verify(CID, 4, chain[5], 2, chain[2])  # … or lower
    assert not FULL.verify(OTHER_CID, 5, chain[5], 2, chain[2])  # the word, on another channel
    assert not FULL.verify(CID, 2, chain[2], 5, chain[5])  # below the known word
    assert not FULL.verify(CID, 5, chain[5][:31], 2, chain[2])  # malformed


def test_descend_range_is_checked() -> None:
    with pytest.raises(SchemeError):
        FULL.descend(CID, 3, b"\x00" * 32, 4)
    with pytest.raises(SchemeError):
        FULL.descend(CID, 3, b"\x00" * 32, -1)


# -- the link message ------------------------------------------------------------------------------------


def test_link_message_layout() -> None:
    w0 = b"\x09" * 32
    assert link_message(CID, 10, 5, w0) == enc(b"MC/LINK", CID, 10, 5, w0)
    assert link_message(CID, 10, 5, w0) != link_message(CID, 5, 10, w0)
