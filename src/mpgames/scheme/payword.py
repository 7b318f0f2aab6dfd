"""PayWord chains bound to a channel and an index, and the link message (spec §4.3, §2.4).

A chain of n words is generated from a seed, top down:

    w_n = H_256("MC/SEED", cid, seed),   w_{i−1} = H_256("MC/PW", cid, i, w_i)   for i = n … 1,

and revealed bottom up (w_1, w_2, …). Binding each step to the channel id and the index keeps a
word of one chain or position useless at another. `verify` checks a revealed word against the last
word the verifier holds by hashing down to it; that is the whole of `Transact` for MC-B.

`ChainHash(truncate_bits=κ)` keeps only the first κ bits of every hash (as ceil(κ/8) bytes, the
spare low bits of the last byte cleared). It exists for the "mc-b-trunc" demo variant, where a
preimage search succeeds with probability about tries·2^−κ (spec §4.4, Type II); twice that when
the guesses are κ-bit words, since the true word is then one of the candidates.

The link message M_link = enc("MC/LINK", cid, n, v, w_0) is what the chameleon link opens the
committed root to.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass

from mpgames.scheme.encoding import U64_LEN, enc, u64_bytes_header
from mpgames.scheme.errors import SchemeError
from mpgames.scheme.hashing import Tag, hash256, hash256_u64_bytes, hash_prefix
from mpgames.scheme.integers import checked_int
from mpgames.scheme.metering import count_hash

FULL_BITS = 256


@dataclass(frozen=True)
class ChainHash:
    """The chain step H_256("MC/PW", cid, i, w), optionally truncated to its first κ bits."""

    truncate_bits: int | None = None

    def __post_init__(self) -> None:
        if self.truncate_bits is not None:
            bits = checked_int(
                self.truncate_bits, "truncate_bits (None for the full hash)", minimum=1, maximum=FULL_BITS
            )
            object.__setattr__(self, "truncate_bits", bits)

    @functools.cached_property
    def bits(self) -> int:
        """κ, the number of output bits kept (256 without truncation)."""
        return FULL_BITS if self.truncate_bits is None else self.truncate_bits

    @functools.cached_property
    def word_len(self) -> int:
        """Bytes of a chain word: ceil(κ/8)."""
        return (self.bits + 7) // 8

    def _cut(self, digest: bytes) -> bytes:
        """The first κ bits of a digest, as `word_len` bytes with the spare low bits cleared."""
        if self.truncate_bits is None:
            return digest
        word = bytearray(digest[: self.word_len])
        spare = 8 * self.word_len - self.bits
        word[-1] &= (0xFF << spare) & 0xFF
        return bytes(word)

    def is_word(self, word: object) -> bool:
        """True iff `word` is a well-formed chain word: `word_len` bytes, spare bits clear."""
        return isinstance(word, bytes) and len(word) == self.word_len and self._cut(word) == word

    def seed_word(self, cid: bytes, seed: bytes) -> bytes:
        """w_n = H_256("MC/SEED", cid, seed): the top of a chain."""
        return self._cut(hash256(Tag.MC_SEED, cid, seed))

    def step(self, cid: bytes, i: int, word: bytes) -> bytes:
        """w_{i−1} = H_256("MC/PW", cid, i, w_i)."""
        return self._step(step_prefix(cid), i, word)

    def _step(self, prefix: bytes, i: int, word: bytes) -> bytes:
        """`step` with the channel's `step_prefix` already encoded."""
        digest = hash256_u64_bytes(prefix, i, word)
        return digest if self.truncate_bits is None else self._cut(digest)

    def descend(self, cid: bytes, j: int, word: bytes, to: int) -> bytes:
        """Hash w_j down to w_to (j − to steps), for 0 <= to <= j."""
        if not 0 <= to <= j:
            raise SchemeError(f"cannot descend from index {j} to index {to}")
        return self._descend(step_prefix(cid), j, word, to)

    def _descend(self, prefix: bytes, j: int, word: bytes, to: int) -> bytes:
        for i in range(j, to, -1):
            word = self._step(prefix, i, word)
        return word

    def descender(self, cid: bytes) -> Callable[[int, bytes, int], bytes]:
        """`descend` bound to one channel, for a caller that has checked `is_word(word)` and
        0 <= to <= j <= U64_MAX: (j, word, to) -> w_to. The channel's `step_prefix` is encoded once;
        a full-width chain hashes its steps in one loop, counted once, with the bytes of
        `hash256_u64_bytes` (tests/test_microcoin_fast_path.py)."""
        prefix = step_prefix(cid)
        if self.truncate_bits is not None:
            return functools.partial(self._descend, prefix)
        sha256, width = hashlib.sha256, self.word_len

        def descend(j: int, word: bytes, to: int) -> bytes:
            count_hash(j - to)
            if j == to + 1:  # the usual coin: one step
                return sha256(prefix + u64_bytes_header(U64_LEN, j, width) + word).digest()
            for i in range(j, to, -1):
                word = sha256(prefix + u64_bytes_header(U64_LEN, i, width) + word).digest()
            return word

        return descend

    def verify(self, cid: bytes, j: int, word: bytes, j_last: int, w_last: bytes) -> bool:
        """Does `word` sit at index j of the chain whose word at index j_last (<= j) is w_last?"""
        return self._verify(step_prefix(cid), j, word, j_last, w_last)

    def _verify(self, prefix: bytes, j: int, word: bytes, j_last: int, w_last: bytes) -> bool:
        if not self.is_word(word) or not 0 <= j_last <= j:
            return False
        return hmac.compare_digest(self._descend(prefix, j, word, j_last), w_last)


def step_prefix(cid: bytes) -> bytes:
    """ "MC/PW" || enc(cid): the leading bytes of every step hash of the channel (`hash_prefix`)."""
    return hash_prefix(Tag.MC_PW, cid)


def link_message(cid: bytes, n: int, v: int, w0: bytes) -> bytes:
    """M_link = enc("MC/LINK", cid, n, v, w_0): the message the chameleon link opens the root to."""
    return enc(Tag.MC_LINK, cid, n, v, w0)
