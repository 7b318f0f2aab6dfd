"""Pebbled chain storage (spec §4.3, chain step 3): every word equals the naive chain, O(log n) words
stored, amortized O(log n) hashes per revealed word (counted by mpgames.scheme.metering)."""

from __future__ import annotations

import functools
import math

import pytest
from hypothesis import given, note
from hypothesis import strategies as st

from mpgames.scheme.errors import SchemeError
from mpgames.scheme.metering import metered
from mpgames.scheme.payword import ChainHash
from mpgames.scheme.pebbling import PebbledChain

CID = b"\x5a" * 32
CHAIN_HASH = ChainHash()
STEP = functools.partial(CHAIN_HASH.step, CID)
# Storage constant: at most c·log2(n) + c words with c = 2 (the exact bound is ⌈log2 n⌉ + 2).
C = 2
# n up to 2^10: every n up to 64, and the powers of two with their neighbours above that.
SIZES = sorted(
    {*range(1, 65), *(k + d for k in (2**e for e in range(7, 11)) for d in (-1, 0, 1) if k + d <= 1024)}
)


def naive(n: int) -> list[bytes]:
    """[w_0, …, w_n] computed and stored in full."""
    chain = [CHAIN_HASH.seed_word(CID, n.to_bytes(2, "big"))]
    for i in range(n, 0, -1):
        chain.append(STEP(i, chain[-1]))
    return chain[::-1]


def log2_ceil(n: int) -> int:
    return (n - 1).bit_length()


@pytest.mark.parametrize("n", SIZES)
def test_words_storage_and_hashes(n: int) -> None:
    expected = naive(n)
    with metered() as setup:
        chain = PebbledChain(STEP, n, expected[n])
    assert chain.anchor == expected[0]
    assert setup.hashes == n  # the walk down to w_0, nothing more
    most_stored = chain.stored_words
    with metered() as reveal:
        for j in range(1, n + 1):
            assert chain.word(j) == expected[j]
            most_stored = max(most_stored, chain.stored_words)
    assert most_stored <= log2_ceil(n) + 2 <= C * math.log2(n) + C
    # Amortized: at most ⌈log2 n⌉/2 hashes per revealed word.
    assert reveal.hashes <= n * log2_ceil(n) / 2


@given(n=st.integers(min_value=1, max_value=200), data=st.data())
def test_skipping_words_multi_coin_payments(n: int, data: st.DataObject) -> None:
    """Revealing any increasing subsequence (a payer paying several coins at once) gives the right words."""
    wanted = sorted(data.draw(st.sets(st.integers(min_value=1, max_value=n), min_size=1)))
    note(f"n={n} reveal {wanted}")
    expected = naive(n)
    chain = PebbledChain(STEP, n, expected[n])
    for j in wanted:
        assert chain.word(j) == expected[j]
        assert chain.stored_words <= log2_ceil(n) + 2


def test_the_last_word_can_be_read_again_but_not_earlier_ones() -> None:
    expected = naive(16)
    chain = PebbledChain(STEP, 16, expected[16])
    assert chain.word(5) == expected[5]
    assert chain.word(5) == expected[5]
    with pytest.raises(SchemeError):
        chain.word(4)


@pytest.mark.parametrize("j", [0, 17, -1, True])
def test_indices_outside_the_chain_raise(j: int) -> None:
    chain = PebbledChain(STEP, 16, b"\x00" * 32)
    with pytest.raises(SchemeError):
        chain.word(j)


@pytest.mark.parametrize("n", [0, -3, True])
def test_empty_chains_are_refused(n: int) -> None:
    with pytest.raises(SchemeError):
        PebbledChain(STEP, n, b"\x00" * 32)
