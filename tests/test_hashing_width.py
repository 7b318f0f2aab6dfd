"""H_q and the PRF are statistically uniform for every supported group (spec §2.4; docs/scheme.md "Hashing").

For |q| ≤ 256 both stay the spec's formulas (SHA-512 / HMAC-SHA-512, then mod q), so every known
answer is unchanged. For a wider q (the safe-prime groups, |q| = 2047) a 512-bit value reduced mod q
would never exceed 2^512; the value is then |q| + 256 bits, rounded up to whole bytes, before the
reduction:

* H_q(tag, *f) = int(SHAKE-256(tag || enc(*f)), L bytes) mod q,
* PRF_k(tag, *f) = int(first L bytes of T_1 || T_2 || …) mod q,
  T_i = HMAC-SHA-512(k, [i]_4 || tag || enc(*f)),

with L = ceil((|q| + 256) / 8) and [i]_4 the 4-byte big-endian counter from 1. Each expected value
below is computed here from hashlib/hmac and a hand-written encoding, not through mpgames.scheme.hashing.
"""

from __future__ import annotations

import hashlib
import hmac

import pytest

from mpgames.scheme.groups import GROUP_NAMES, named_group
from mpgames.scheme.hashing import hash_to_scalar, prf_scalar

TAG = b"AA/X"
KEY = bytes(range(32))
SAFE_PRIME_GROUPS = ("rfc3526-group14", "rfc7919-ffdhe2048")
NARROW_GROUPS = tuple(name for name in GROUP_NAMES if name not in SAFE_PRIME_GROUPS)


def _encoded(level: int, index: int, label: bytes) -> bytes:
    """enc(level, index, label) by hand: 4-byte length prefixes, 8-byte small integers."""
    parts = (level.to_bytes(8, "big"), index.to_bytes(8, "big"), label)
    return b"".join(len(part).to_bytes(4, "big") + part for part in parts)


def _sha512_mod(q: int, data: bytes) -> int:
    return int.from_bytes(hashlib.sha512(data).digest(), "big") % q


def _hmac512_mod(key: bytes, q: int, data: bytes) -> int:
    return int.from_bytes(hmac.new(key, data, hashlib.sha512).digest(), "big") % q


def _wide_bytes(q: int) -> int:
    return (q.bit_length() + 256 + 7) // 8


def _shake_mod(q: int, data: bytes) -> int:
    return int.from_bytes(hashlib.shake_256(data).digest(_wide_bytes(q)), "big") % q


def _hmac_counter_mod(key: bytes, q: int, data: bytes) -> int:
    length = _wide_bytes(q)
    count = -(-length // 64)
    blocks = b"".join(
        hmac.new(key, i.to_bytes(4, "big") + data, hashlib.sha512).digest() for i in range(1, count + 1)
    )
    return int.from_bytes(blocks[:length], "big") % q


INPUTS = [(0, 0, b""), (3, 5, b"leaf"), (10, 1023, bytes(100))]


@pytest.mark.parametrize("name", NARROW_GROUPS)
def test_groups_up_to_256_bits_keep_sha512_and_hmac_sha512(name: str) -> None:
    q = named_group(name).q
    assert q.bit_length() <= 256
    for level, index, label in INPUTS:
        data = TAG + _encoded(level, index, label)
        assert hash_to_scalar(q, TAG, level, index, label) == _sha512_mod(q, data)
        assert prf_scalar(KEY, q, TAG, level, index, label) == _hmac512_mod(KEY, q, data)


def test_the_width_switches_above_256_bits() -> None:
    """The rule depends on |q| alone: 256 bits keeps the 512-bit formulas, 257 bits widens them."""
    data = TAG + _encoded(1, 2, b"x")
    narrow, wide = 2**256 - 189, 2**256 + 297
    assert narrow.bit_length() == 256 and wide.bit_length() == 257
    assert hash_to_scalar(narrow, TAG, 1, 2, b"x") == _sha512_mod(narrow, data)
    assert prf_scalar(KEY, narrow, TAG, 1, 2, b"x") == _hmac512_mod(KEY, narrow, data)
    assert _wide_bytes(wide) == 65  # 513 bits, rounded up
    assert hash_to_scalar(wide, TAG, 1, 2, b"x") == _shake_mod(wide, data)
    assert prf_scalar(KEY, wide, TAG, 1, 2, b"x") == _hmac_counter_mod(KEY, wide, data)


@pytest.mark.parametrize("name", SAFE_PRIME_GROUPS)
def test_safe_prime_groups_use_the_wide_output(name: str) -> None:
    q = named_group(name).q
    assert q.bit_length() == 2047 and _wide_bytes(q) == 288
    for level, index, label in INPUTS:
        data = TAG + _encoded(level, index, label)
        h, f = hash_to_scalar(q, TAG, level, index, label), prf_scalar(KEY, q, TAG, level, index, label)
        assert h == _shake_mod(q, data) != _sha512_mod(q, data)
        assert f == _hmac_counter_mod(KEY, q, data) != _hmac512_mod(KEY, q, data)


@pytest.mark.parametrize("name", SAFE_PRIME_GROUPS)
def test_safe_prime_values_cover_the_whole_range(name: str) -> None:
    """A 512-bit value mod a 2047-bit q is below 2^512; a uniform one is below 2^512 with probability
    2^-1535. Over 64 inputs the values must all be above 2^512 and spread over [0, q)."""
    q = named_group(name).q
    for scalar in (
        lambda i: hash_to_scalar(q, TAG, i),
        lambda i: prf_scalar(KEY, q, TAG, i),
    ):
        values = [scalar(i) for i in range(64)]
        assert all(2**512 < value < q for value in values)
        assert len(set(values)) == 64
        assert min(values) < q // 4 and max(values) > 3 * q // 4
        assert sum(value > q // 2 for value in values) in range(16, 49)
