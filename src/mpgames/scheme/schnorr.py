"""Schnorr signatures over a Schnorr group (spec §3.1).

The same key pair serves as the chameleon-hash trapdoor (§3.2), the accountable-assertion key
(§3.4) and the escrow key (§5), as the seed prescribes. `PublicKey` validates its group and subgroup
membership on construction, and `check_public_key` validates them again wherever a key is used to
check something (`verify`, and every check of the scheme): a key object made without its
constructor is refused there. Membership is cached by value (mpgames.scheme.groups), so `verify` of a known
key still costs two exponentiations and one hash.

Variants the games compare (`mpgames.scheme.variants`): `FRESH_NONCES`, the signer above, and
`NONCE_REUSE`, a broken signer that signs everything with one nonce (`variant_signer`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from mpgames.scheme.encoding import FieldReader, enc
from mpgames.scheme.errors import DecodeError, InvalidElementError, InvalidGroupError, SchemeError
from mpgames.scheme.groups import Group, check_group
from mpgames.scheme.hashing import Tag, hash_to_scalar
from mpgames.scheme.randomness import RandomSource
from mpgames.scheme.variants import ConstructionVariant

# The challenge hash for one key y, (R, m) -> H_q(R, y, m). `sign` and `verify` take another one only
# in random-oracle games and reductions (harness §5), which program their own oracle.
ChallengeOracle = Callable[[int, bytes], int]

FRESH_NONCES = ConstructionVariant(
    "schnorr", broken=False, description="Schnorr signatures with a fresh uniform nonce per signature"
)
NONCE_REUSE = ConstructionVariant(
    "schnorr-nonce-reuse",
    broken=True,
    description="the signer reuses one nonce for every signature: two signatures give x",
    breaks=("sig.euf-cma", "sig.euf-cma.rom"),
)


@dataclass(frozen=True)
class PublicKey:
    """y = g^x, checked to lie in the order-q subgroup."""

    group: Group
    y: int

    def __post_init__(self) -> None:
        check_group(self.group, "public key group")
        self.group.check_element(self.y, "public key")

    def to_bytes(self) -> bytes:
        return self.group.element_bytes(self.y)

    @classmethod
    def from_bytes(cls, group: Group, data: bytes) -> PublicKey:
        if not isinstance(data, bytes | bytearray):  # as FieldReader: not len() and int.from_bytes of a str
            raise DecodeError("public key: expected bytes")
        if len(data) != group.element_len:
            raise DecodeError(f"public key must be {group.element_len} bytes")
        y = int.from_bytes(data, "big")
        if not group.is_element(y):
            raise DecodeError("public key is not an element of the order-q subgroup")
        return cls(group, y)


@dataclass(frozen=True, repr=False)
class SecretKey:
    """x in [1, q−1]. Its repr never shows x."""

    group: Group
    x: int

    def __post_init__(self) -> None:
        check_group(self.group, "secret key group")
        self.group.check_secret(self.x)

    def __repr__(self) -> str:
        return f"SecretKey(group={self.group.label}, x=<hidden>)"

    @functools.cached_property
    def public(self) -> PublicKey:
        """pk = g^x, computed once per key."""
        return PublicKey(self.group, self.group.gexp(self.x))


@dataclass(frozen=True)
class Signature:
    """σ = (e, s) with e the challenge and s the response."""

    e: int
    s: int

    def to_bytes(self, group: Group) -> bytes:
        return enc(Tag.SIG_SCHNORR, group.scalar_bytes(self.e), group.scalar_bytes(self.s))

    @classmethod
    def from_bytes(cls, group: Group, data: bytes) -> Signature:
        reader = FieldReader(data, "Schnorr signature")
        reader.tag(Tag.SIG_SCHNORR)
        e, s = reader.scalar(group, "e"), reader.scalar(group, "s")
        reader.done()
        return cls(e, s)


def check_public_key(pk: object, group: Group | None = None, what: str = "public key") -> PublicKey:
    """`pk` if it is a `PublicKey` of a validated group (`group` if given) with y in the subgroup.

    Every check of the scheme calls this on the keys it is handed, whoever built them, and computes
    with the key it returns: the fields are read once, and an object of another type than exactly
    `PublicKey` is replaced by a fresh `PublicKey` holding the values that were checked.
    """
    if not isinstance(pk, PublicKey):
        raise InvalidElementError(f"{what} must be a PublicKey")
    key_group, y = check_group(pk.group, f"{what} group"), pk.y
    if group is not None and key_group != group:
        raise InvalidGroupError(f"{what} belongs to another group")
    key_group.check_element(y, what)
    return pk if type(pk) is PublicKey else PublicKey(key_group, y)


def check_message(message: object, what: str = "message") -> bytes:
    """`message` if it is exactly `bytes` (a subclass could lie in comparisons and hashing)."""
    if type(message) is not bytes:
        raise SchemeError(f"{what} must be bytes")
    return message


def keygen(group: Group, rng: RandomSource | None = None) -> tuple[PublicKey, SecretKey]:
    """pk, sk = KeyGen(): x ←$ [1, q−1], y = g^x."""
    sk = SecretKey(group, group.random_secret(rng))
    return sk.public, sk


def challenge(pk: PublicKey, commitment: int, message: bytes) -> int:
    """e = H_q("SIG/SCHNORR", R, y, m)."""
    group = pk.group
    return hash_to_scalar(group.q, Tag.SIG_SCHNORR, group.element_bytes(commitment), pk.to_bytes(), message)


def sign(
    sk: SecretKey,
    message: bytes,
    rng: RandomSource | None = None,
    *,
    nonce: int | None = None,
    oracle: ChallengeOracle | None = None,
) -> Signature:
    """σ = (e, s): k ←$ [1, q−1], R = g^k, e = H_q(R, y, m), s = k + e·x mod q.

    `nonce` fixes k; it exists only for broken signers: `NONCE_REUSE` (`variant_signer`), and those of
    variant games (docs/plugins.md).
    `oracle` replaces H_q(·, y, ·) (random-oracle games and reductions); the real hash by default.
    """
    group = sk.group
    k = group.random_secret(rng) if nonce is None else group.check_secret(nonce, "nonce")
    e = _challenge_oracle(sk.public, oracle)(group.gexp(k), message)
    return Signature(e, (k + e * sk.x) % group.q)


def variant_signer(variant: str, sk: SecretKey, rng: RandomSource) -> Callable[[bytes], Signature]:
    """Sign(sk, ·) of the named variant, with coins from `rng`: a fresh nonce per signature
    (`FRESH_NONCES`), or one nonce drawn now and used for every signature (`NONCE_REUSE`)."""
    if variant not in (FRESH_NONCES.name, NONCE_REUSE.name):
        raise SchemeError(f"unknown Schnorr variant {variant!r}")
    nonce = sk.group.random_secret(rng) if variant == NONCE_REUSE.name else None

    def sign_message(message: bytes) -> Signature:
        return sign(sk, message, rng, nonce=nonce)

    return sign_message


def verify(sig: Signature, pk: PublicKey, message: bytes, *, oracle: ChallengeOracle | None = None) -> bool:
    """Vrfy(σ, pk, m): R' = g^s · y^(q−e); accept iff H_q(R', y, m) = e.

    Raises `InvalidScalarError` when e or s lies outside Z_q (malformed, not merely wrong).
    `oracle` replaces H_q(·, y, ·), as in `sign`.
    """
    pk = check_public_key(pk)
    group, message = pk.group, check_message(message)
    if not isinstance(sig, Signature):
        raise SchemeError("expected a Schnorr Signature")
    e = group.check_scalar(sig.e, "signature challenge e")
    s = group.check_scalar(sig.s, "signature response s")
    commitment = group.mul(group.gexp(s), group.exp(pk.y, group.q - e))
    return _challenge_oracle(pk, oracle)(commitment, message) == e


def _challenge_oracle(pk: PublicKey, oracle: ChallengeOracle | None) -> ChallengeOracle:
    """The oracle to hash with: the given one, else the real H_q(·, y, ·)."""
    return functools.partial(challenge, pk) if oracle is None else oracle


def recover_key_from_nonce_reuse(group: Group, sig1: Signature, sig2: Signature) -> int:
    """x = (s1 − s2)/(e1 − e2) mod q from two signatures that share a nonce (attack, spec §3.1)."""
    if (sig1.e - sig2.e) % group.q == 0:
        raise SchemeError("the two signatures have the same challenge; nothing to recover")
    return (sig1.s - sig2.s) * group.inv_scalar(sig1.e - sig2.e) % group.q
