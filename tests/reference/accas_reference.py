"""An independent reference of the accountable-assertions code of RKS (`real-or-random/accas`), for
interoperability tests of the tree as published on secp256k1.

Written from that code's `Authenticator`, `ChameleonHash`, `Prf` and `Node` (C++ on libsecp256k1) with
its byte layouts: contexts of CT_LEN = 8 bytes (depth 64), chameleon values as 33-byte SEC1 points,
digests d = SHA-256(m) re-hashed until d < n, node digests SHA-256(left ‖ right), the leaf oracle
HMAC-SHA-256("RandomOracleGRandomOracleGRandom", C ‖ r) ‖ 0x00, and the PRF HMAC-SHA-256 keyed by
SHA-256(dsk) over a prefix byte and the node's bytes (`Node::toBytes`, reproduced as it runs: 16 zero
bytes, the level, then the low 7 bytes of the index). Arithmetic is `ec_reference` (affine); it
shares no code with `mpgames`. Slow (about a second per assertion), and meant to be.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from tests.reference import ec_reference as ec

P = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F
N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
G = (
    0x79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798,
    0x483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8,
)
CT_LEN = 8
DEPTH = 8 * CT_LEN
ORACLE_KEY = b"RandomOracleGRandomOracleGRandom"


def _b32(n: int) -> bytes:
    return n.to_bytes(32, "big")


def _point(k: int) -> ec.Point:
    return ec.mul(P, 0, G, k)


def digest(message: bytes) -> int:
    """`ChameleonHash::digest(digest_t&, const mesg_t&)`."""
    d = hashlib.sha256(message).digest()
    while int.from_bytes(d, "big") >= N:
        d = hashlib.sha256(d).digest()
    return int.from_bytes(d, "big")


def node_digest(left: bytes, right: bytes) -> int:
    """`ChameleonHash::digest(digest_t&, hash_t, hash_t)`, read as the scalar `ch` takes."""
    return int.from_bytes(hashlib.sha256(left + right).digest(), "big") % N


def random_oracle(chash: bytes, r: int) -> bytes:
    """`ChameleonHash::randomOracle`: 32 HMAC bytes and a zero byte."""
    return hmac.new(ORACLE_KEY, chash + _b32(r), "sha256").digest() + b"\x00"


def node_bytes(level: int, from_left: int) -> bytes:
    """`Node::toBytes` as it runs with CT_LEN = 8 (one 64-bit limb)."""
    return bytes(16) + bytes([level & 0xFF]) + bytes((from_left >> (8 * i)) & 0xFF for i in range(6, -1, -1))


@dataclass(frozen=True)
class Token:
    """`Authenticator::token_t`: per level, leaf first, the sibling's value and the opening r."""

    chs: tuple[bytes, ...]
    rs: tuple[int, ...]


class Authenticator:
    """`Authenticator` built from a secret key dsk (32 bytes, big-endian, 0 < dsk < n)."""

    def __init__(self, dsk: int) -> None:
        self.sk = dsk
        self.pk = ec.sec1_compressed(P, _point(dsk))
        self._prf_key = hashlib.sha256(_b32(dsk)).digest()
        left, right = self._ch(*self._prf(1, 0)), self._ch(*self._prf(1, 1))
        self.root = node_digest(left, right)

    def _prf(self, level: int, index: int) -> tuple[int, int]:
        data = node_bytes(level, index)
        x, r = (hmac.new(self._prf_key, prefix + data, "sha256").digest() for prefix in (b"X", b"R"))
        return int.from_bytes(x, "big") % N, int.from_bytes(r, "big")

    def _ch(self, m: int, r: int) -> bytes:
        """`ChameleonHash::ch` with the secret key: (m + sk·r)·G."""
        return ec.sec1_compressed(P, _point((m + self.sk * r) % N))

    def authenticate(self, ct: int, st: bytes) -> Token:
        subtree, level, index = digest(st), DEPTH, ct
        chs, rs = [], []
        while level > 0:
            x, r = self._prf(level, index)
            chash = self._ch(x, r)
            r_open = ((x - subtree) * pow(self.sk, -1, N) + r) % N  # `ChameleonHash::collision`
            if level == DEPTH:
                chash = random_oracle(chash, r_open)
            sibling = self._ch(*self._prf(level, index ^ 1))
            chs.append(sibling)
            rs.append(r_open)
            subtree = node_digest(sibling, chash) if index & 1 else node_digest(chash, sibling)
            level, index = level - 1, index >> 1
        assert subtree == self.root
        return Token(tuple(chs), tuple(rs))


def verify(pk: bytes, root: int, token: Token, ct: int, st: bytes) -> bool:
    """`Authenticator::verify` with the public key (pk, rootDigest) only: Ch(m, r) = m·G + r·Y."""
    y = ec.sec1_decode(P, 0, 7, pk)
    assert not isinstance(y, str)
    subtree, index = digest(st), ct
    for level, (sibling, r) in zip(range(DEPTH, 0, -1), zip(token.chs, token.rs, strict=True), strict=True):
        chash = ec.sec1_compressed(P, ec.add(P, 0, _point(subtree), ec.mul(P, 0, y, r)))
        if level == DEPTH:
            chash = random_oracle(chash, r)
        subtree = node_digest(sibling, chash) if index & 1 else node_digest(chash, sibling)
        index >>= 1
    return subtree == root
