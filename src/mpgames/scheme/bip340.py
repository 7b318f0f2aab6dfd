"""BIP-340 Schnorr signatures on secp256k1 (docs/scheme.md "The curve family"; BIP-340 "Default
signing" and "Verification").

The Schnorr mode of the blockchain's own curve: 32-byte x-only public keys (the point with that x
and an even y), 64-byte signatures (x(R), s), and tagged hashes
H_tag(x) = SHA-256(SHA-256(tag) ‖ SHA-256(tag) ‖ x). Points are the group's elements (SEC1
compressed ints, `mpgames.scheme.curves`): an even y is prefix 2, and lift_x(x) is the element
with prefix 2 and that x if it is one. Every input is validated by value: the group must be the
validated secp256k1 group, keys and messages exact `bytes` of the lengths BIP-340 fixes (any
message length, as BIP-340 now allows), and r < p, s < n.
"""

from __future__ import annotations

import hashlib

from mpgames.scheme.errors import SchemeError
from mpgames.scheme.groups import Group, check_group, named_group
from mpgames.scheme.schnorr import check_message

_BYTES = 32


def tagged_hash(tag: str, data: bytes) -> bytes:
    prefix = hashlib.sha256(tag.encode()).digest()
    return hashlib.sha256(prefix + prefix + data).digest()


def _group() -> Group:
    return check_group(named_group("secp256k1"))


def _x(element: int) -> bytes:
    return (element & ((1 << (8 * _BYTES)) - 1)).to_bytes(_BYTES, "big")


def _even(element: int) -> bool:
    return element >> (8 * _BYTES) == 2


def lift_x(x: int) -> int | None:
    """The element with this x and an even y, or None if x ≥ p or no point has this x."""
    group = _group()
    if not 0 <= x < group.p:
        return None
    element = (2 << (8 * _BYTES)) | x
    return element if group.is_element(element) else None


def _exact(value: object, what: str) -> bytes:
    """`value` if it is exactly `bytes` of BIP-340's 32, else `SchemeError`."""
    if type(value) is not bytes or len(value) != _BYTES:
        raise SchemeError(f"{what} must be {_BYTES} bytes")
    return value


def _secret(group: Group, secret: object) -> int:
    """The secret key d of 32 bytes, 1 ≤ d < n (`InvalidScalarError` otherwise)."""
    return group.check_secret(int.from_bytes(_exact(secret, "secret key"), "big"))


def public_key(secret: bytes) -> bytes:
    """The x-only public key of a 32-byte secret key (1 ≤ d < n)."""
    group = _group()
    return _x(group.gexp(_secret(group, secret)))


def sign(secret: bytes, message: bytes, aux: bytes) -> bytes:
    """BIP-340 default signing with 32 bytes of auxiliary randomness."""
    group = _group()
    n = group.q
    d0 = _secret(group, secret)
    check_message(message)
    P = group.gexp(d0)
    d = d0 if _even(P) else n - d0
    mask = int.from_bytes(tagged_hash("BIP0340/aux", _exact(aux, "aux_rand")), "big")
    t = (d ^ mask).to_bytes(_BYTES, "big")
    k0 = int.from_bytes(tagged_hash("BIP0340/nonce", t + _x(P) + message), "big") % n
    if k0 == 0:
        raise SchemeError("the derived nonce is zero")  # probability 2^-256
    R = group.gexp(k0)
    k = k0 if _even(R) else n - k0
    e = _challenge(_x(R), _x(P), message, n)
    return _x(R) + ((k + e * d) % n).to_bytes(_BYTES, "big")


def verify(public: bytes, message: bytes, signature: bytes) -> bool:
    """BIP-340 verification; malformed keys and signatures give False, as BIP-340 says."""
    group = _group()
    if type(public) is not bytes or type(message) is not bytes or type(signature) is not bytes:
        return False
    if len(public) != _BYTES or len(signature) != 2 * _BYTES:
        return False
    P = lift_x(int.from_bytes(public, "big"))
    r, s = int.from_bytes(signature[:_BYTES], "big"), int.from_bytes(signature[_BYTES:], "big")
    if P is None or r >= group.p or s >= group.q:
        return False
    e = _challenge(signature[:_BYTES], public, message, group.q)
    R = group.mul(group.gexp(s), group.exp(P, group.q - e))
    return group.identity != R and _even(R) and _x(R) == signature[:_BYTES]


def _challenge(rx: bytes, px: bytes, message: bytes, n: int) -> int:
    return int.from_bytes(tagged_hash("BIP0340/challenge", rx + px + message), "big") % n
