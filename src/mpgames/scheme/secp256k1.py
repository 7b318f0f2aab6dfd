"""secp256k1 on libsecp256k1, through `coincurve` (docs/scheme.md "The curve family").

The parameters are those of SEC 2 §2.4.1. Elements are the ints of `mpgames.scheme.curves` (SEC1
compressed encodings); this module only does their arithmetic faster than the generic Jacobian code:
a scalar multiplication of G uses libsecp256k1's precomputed tables, one of another point its
point multiplication (`tweak_mul`), and a sum its point addition (`combine`). libsecp256k1 has no
point at infinity, so `INFINITY` (0) is handled here: k ≡ 0 (mod n), a sum of a point and its
negative, and the point at infinity as an operand.
"""

from __future__ import annotations

from coincurve import PublicKey

from mpgames.scheme.curves import INFINITY, Curve, negate

SECP256K1 = Curve(
    p=0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F,
    a=0,
    b=7,
    n=0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141,
    g=0x0279BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798,
)

_LEN = 33
# Parsed points remembered (a key or a tree entry is used many times in a trial).
PARSE_CACHE_SIZE = 4096
_PARSED: dict[int, PublicKey] = {}


def _point(u: int) -> PublicKey:
    point = _PARSED.get(u)
    if point is None:
        point = PublicKey(u.to_bytes(_LEN, "big"))
        if len(_PARSED) >= PARSE_CACHE_SIZE:
            del _PARSED[next(iter(_PARSED))]
        _PARSED[u] = point
    return point


def _element(point: PublicKey) -> int:
    return int.from_bytes(point.format(compressed=True), "big")


def base_multiply(k: int) -> int:
    """k·G."""
    k %= SECP256K1.n
    if k == 0:
        return INFINITY
    return _element(PublicKey.from_valid_secret(k.to_bytes(32, "big")))


def multiply(u: int, k: int) -> int:
    """k·u for an element u (validated by the caller) and any integer k."""
    k %= SECP256K1.n
    if k == 0 or u == INFINITY:
        return INFINITY
    return _element(_point(u).multiply(k.to_bytes(32, "big")))


def add(u: int, v: int) -> int:
    """u + v of two elements, either of which may be the point at infinity."""
    if u == INFINITY:
        return v
    if v == INFINITY:
        return u
    if v == negate(SECP256K1, u):
        return INFINITY
    return _element(PublicKey.combine_keys([_point(u), _point(v)]))
