"""Domain-separated hashing and the PRF (spec §2.4).

* `hash_to_scalar(q, tag, *f)` = int(SHA-512(tag || enc(*f))) mod q — H_q. The 512-bit output keeps
  the reduction bias below 2^-256 for q of up to 256 bits.
* `hash256(tag, *f)` = SHA-256(tag || enc(*f)) — H_256, for chains, Merkle nodes, leaf wrappers, ids.
* `prf_scalar(key, q, tag, *f)` = int(HMAC-SHA-512(key, tag || enc(*f))) mod q — PRF_k.

Each call is counted by `scheme.metering`.
"""

from __future__ import annotations

import hashlib
import hmac

from scheme.encoding import Field, enc
from scheme.metering import count_hash


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
    """H_q: a scalar in Z_q."""
    count_hash()
    return int.from_bytes(hashlib.sha512(tag + enc(*fields)).digest(), "big") % q


def hash256(tag: bytes, *fields: Field) -> bytes:
    """H_256: 32 bytes."""
    count_hash()
    return hashlib.sha256(tag + enc(*fields)).digest()


def prf_scalar(key: bytes, q: int, tag: bytes, *fields: Field) -> int:
    """PRF_k: a pseudorandom scalar in Z_q."""
    count_hash()
    return int.from_bytes(hmac.new(key, tag + enc(*fields), hashlib.sha512).digest(), "big") % q
