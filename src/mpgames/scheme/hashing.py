"""Domain-separated hashing and the PRF (spec §2.4), statistically uniform in Z_q for every group.

Let x = tag || enc(*f) and |q| = q.bit_length().

* `hash_to_scalar(q, tag, *f)` — H_q:
  * |q| ≤ 256 (the spec's formula): int(SHA-512(x)) mod q;
  * |q| > 256: int(SHAKE-256(x) read to L bytes) mod q, with L = ceil((|q| + 256) / 8).
* `hash256(tag, *f)` = SHA-256(x) — H_256, for chains, Merkle nodes, leaf wrappers, ids;
  `hash_prefix(tag, *f)` is x itself, so that leading fields fixed across many calls are encoded once;
  `hash256_u64_bytes(tag, n, data)` is `hash256(tag, n, data)` with a one-call encoding.
* `prf_scalar(key, q, tag, *f)` — PRF_k:
  * |q| ≤ 256 (the spec's formula): int(HMAC-SHA-512(key, x)) mod q;
  * |q| > 256: int(the first L bytes of T_1 || T_2 || … || T_m) mod q, with
    T_i = HMAC-SHA-512(key, [i]_4 || x), [i]_4 the 4-byte big-endian counter, i = 1 … m = ceil(L / 64).

Why the two widths (a documented deviation from spec §2.4, docs/scheme.md "Hashing"): reducing a
uniform v-bit integer mod q leaves a statistical distance below q / 2^v from uniform on Z_q, so v must
be at least |q| + 256 for a bias below 2^-256. SHA-512's 512 bits give that up to |q| = 256 — every
RFC 5114 and toy group, whose known answers therefore do not move. For the safe-prime groups
(rfc3526-group14, rfc7919-ffdhe2048, |q| = 2047) 512 bits reduced mod q are simply values below
2^512, a negligible corner of Z_q. There the value is L bytes ≥ |q| + 256 bits:

* H_q reads SHAKE-256, the SHA-3 extendable-output function, to L bytes: one call over the same
  input x, and any prefix of its output is as good a random-oracle output as SHA-512's.
* The PRF stays keyed HMAC-SHA-512 and expands it in counter mode (NIST SP 800-108 §4.1, counter
  before the fixed data): the blocks are HMAC outputs under k on pairwise distinct inputs (a fixed-width
  counter prefix), hence jointly pseudorandom under HMAC's PRF assumption, with no chaining to get
  wrong and no second key. HKDF-Expand would do as well; it chains each block into the next, which
  buys nothing here since k is already a uniform key.

Each call, of either width, is counted once by `mpgames.scheme.metering`.
"""

from __future__ import annotations

import hashlib
import hmac

from mpgames.scheme.encoding import Field, enc, enc_u64_bytes
from mpgames.scheme.metering import count_hash

# Up to this |q| the spec's 512-bit formulas are used; above it, |q| + WIDE_MARGIN_BITS bits are reduced.
SPEC_WIDTH_MAX_Q_BITS = 256
WIDE_MARGIN_BITS = 256
_COUNTER_BYTES = 4
_HMAC_BLOCK = hashlib.sha512().digest_size


def wide_length(q: int) -> int | None:
    """Bytes hashed before the reduction mod q when |q| > 256 (L = ceil((|q| + 256) / 8)); None otherwise."""
    bits = q.bit_length()
    return None if bits <= SPEC_WIDTH_MAX_Q_BITS else -(-(bits + WIDE_MARGIN_BITS) // 8)


class Tag:
    """ASCII domain tags (spec §2.4, §3.4 AA-2, §4.3)."""

    SIG_SCHNORR = b"SIG/SCHNORR"
    CH_MSG = b"CH/MSG"
    MC_PW = b"MC/PW"
    MC_LINK = b"MC/LINK"
    MC_SEED = b"MC/SEED"
    MC_COMMIT = b"MC/COMMIT"
    MC_CID = b"MC/CID"
    MC_REDEEM = b"MC/REDEEM"
    AA_S = b"AA/S"
    AA_G = b"AA/G"
    AA_NODE = b"AA/NODE"
    AA_X = b"AA/X"
    AA_R = b"AA/R"
    AA2_NONCE = b"AA2/NONCE"
    AA2_LEAF = b"AA2/LEAF"
    AA2_NODE = b"AA2/NODE"
    AA2_E = b"AA2/E"
    RS_AOS = b"RS/AOS"
    MP_STATE = b"MP/STATE"
    MP_TX = b"MP/TX"


def hash_to_scalar(q: int, tag: bytes, *fields: Field) -> int:
    """H_q: a scalar in Z_q (SHA-512 for |q| ≤ 256, SHAKE-256 to |q| + 256 bits above)."""
    count_hash()
    data, length = tag + enc(*fields), wide_length(q)
    digest = hashlib.sha512(data).digest() if length is None else hashlib.shake_256(data).digest(length)
    return int.from_bytes(digest, "big") % q


def hash256(tag: bytes, *fields: Field) -> bytes:
    """H_256: 32 bytes. `tag` may be a `hash_prefix` that already holds the leading fields."""
    count_hash()
    return hashlib.sha256(tag + enc(*fields)).digest()


def hash256_u64_bytes(tag: bytes, n: int, data: bytes) -> bytes:
    """hash256(tag, n, data) — the same bytes, counted the same way — with the two fields laid out by
    `enc_u64_bytes` (one call, not `enc`'s loop): each step of a PayWord chain is one of these."""
    count_hash()
    return hashlib.sha256(tag + enc_u64_bytes(n, data)).digest()


def hash_prefix(tag: bytes, *fields: Field) -> bytes:
    """tag || enc(*fields): the bytes every hash over these leading fields starts with.

    `enc` is the concatenation of the fields' length-prefixed encodings, so for any more fields g,
    hash256(hash_prefix(tag, *f), *g) == hash256(tag, *f, *g), byte for byte and counted once: a hash
    whose leading fields are fixed (a chain's tag and channel id) encodes them once, not per call."""
    return tag + enc(*fields)


def prf_scalar(key: bytes, q: int, tag: bytes, *fields: Field) -> int:
    """PRF_k: a pseudorandom scalar in Z_q (HMAC-SHA-512, in counter mode to |q| + 256 bits if |q| > 256)."""
    count_hash()
    data, length = tag + enc(*fields), wide_length(q)
    if length is None:
        return int.from_bytes(hmac.new(key, data, hashlib.sha512).digest(), "big") % q
    blocks = -(-length // _HMAC_BLOCK)
    stream = b"".join(
        hmac.new(key, i.to_bytes(_COUNTER_BYTES, "big") + data, hashlib.sha512).digest()
        for i in range(1, blocks + 1)
    )
    return int.from_bytes(stream[:length], "big") % q
