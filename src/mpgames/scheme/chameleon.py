"""Discrete-log chameleon hashes (spec §3.2).

* Krawczyk–Rabin: Ch(m; r) = g^m · y^r. The trapdoor x finds collisions, and any collision reveals
  x (`extract_key`): the extractability that accountable assertions need, and the key-exposure
  problem that breaks the literal microcoin reading (MC-0, spec §4.2).
* Ateniese–de Medeiros: C = r − ((y^e · g^s mod p) mod q), e = H_q(m, r). A collision is essentially
  a Schnorr signature, so published collisions do not expose x (MC-0′).

Seed API mapping: CHashGen(pk, r, m) = `hash_message(pk, m, r)`; CollComp(sk, pk, r, m, m') =
`collision(sk, μ(m), r, μ(m'))` with the unchanged hash value.

Variants the games compare (`mpgames.scheme.variants`): `KR` (broken for key exposure) and `ADM`,
each as the trapdoor holder uses it (`TRAPDOOR_HASHES`): publish a first value, then collide it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Protocol

from mpgames.scheme.errors import SchemeError
from mpgames.scheme.groups import Group
from mpgames.scheme.hashing import Tag, hash_to_scalar
from mpgames.scheme.randomness import RandomSource
from mpgames.scheme.schnorr import PublicKey, SecretKey, check_message, check_public_key
from mpgames.scheme.variants import ConstructionVariant

# Domain tag of the ADM inner hash e = H_q(m, r) (spec §3.2 leaves the tag open).
TAG_CH_ADM = b"CH/ADM"


# -- Krawczyk–Rabin ---------------------------------------------------------------------------------


def message_scalar(group: Group, message: bytes) -> int:
    """μ(M) = H_q("CH/MSG", M): a byte-string message mapped into Z_q."""
    return hash_to_scalar(group.q, Tag.CH_MSG, message)


def accas_message_scalar(group: Group, message: bytes) -> int:
    """μ(M) as the accountable-assertions reference code computes it (real-or-random/accas,
    `ChameleonHash::digest`): d = SHA-256(M), re-hashed (d = SHA-256(d)) until d < q. With
    secp256k1 and SEC1 encodings, `ch(pk, accas_message_scalar(group, M), r)` is that code's
    CH(M, r) = d·G + r·Y."""
    check_message(message)
    if group.q.bit_length() != 256:  # re-hashing until d < q would take 2^256/q tries
        raise SchemeError("the accas encoding needs a group of 256-bit order (secp256k1)")
    digest = hashlib.sha256(message).digest()
    while int.from_bytes(digest, "big") >= group.q:
        digest = hashlib.sha256(digest).digest()
    return int.from_bytes(digest, "big")


def ch(pk: PublicKey, m: int, r: int) -> int:
    """Ch(m; r) = g^m · y^r mod p for scalars m, r (two exponentiations); pk is checked first."""
    pk = check_public_key(pk, what="chameleon public key")
    group = pk.group
    group.check_scalar(m, "chameleon message")
    group.check_scalar(r, "chameleon randomness")
    return group.mul(group.gexp(m), group.exp(pk.y, r))


def ch_with_trapdoor(sk: SecretKey, m: int, r: int) -> int:
    """The same value computed by the key owner: g^((m + x·r) mod q) (one exponentiation)."""
    group = sk.group
    group.check_scalar(m, "chameleon message")
    group.check_scalar(r, "chameleon randomness")
    return group.gexp((m + sk.x * r) % group.q)


def hash_message(pk: PublicKey, message: bytes, r: int) -> int:
    """CHashGen(pk, r, M) = Ch(μ(M); r)."""
    pk = check_public_key(pk, what="chameleon public key")
    return ch(pk, message_scalar(pk.group, check_message(message, "chameleon message")), r)


def collision(sk: SecretKey, m: int, r: int, m_new: int) -> int:
    """Col(x, m, r, m') = r' = r + (m − m')·x^(−1) mod q, so that Ch(m'; r') = Ch(m; r)."""
    group = sk.group
    for value, what in ((m, "chameleon message"), (r, "chameleon randomness"), (m_new, "new message")):
        group.check_scalar(value, what)
    return (r + (m - m_new) * group.inv_scalar(sk.x)) % group.q


def extract_key(group: Group, m0: int, r0: int, m1: int, r1: int) -> int:
    """x = (m0 − m1)·(r1 − r0)^(−1) mod q from two openings of one value (requires m0 ≠ m1).

    The caller checks that both openings hash to the same value; this is pure algebra.
    """
    if (m0 - m1) % group.q == 0:
        raise SchemeError("two openings with the same message reveal nothing")
    return (m0 - m1) * group.inv_scalar(r1 - r0) % group.q


# -- Ateniese–de Medeiros (key-exposure free) -------------------------------------------------------


@dataclass(frozen=True)
class AdmOpening:
    """The randomness (r, s) that opens an ADM hash value C to a message."""

    r: int
    s: int


def _adm_challenge(group: Group, message: bytes, r: int) -> int:
    return hash_to_scalar(group.q, TAG_CH_ADM, message, group.scalar_bytes(r))


def adm_hash(pk: PublicKey, message: bytes, opening: AdmOpening) -> int:
    """C = r − ((y^e · g^s mod p) mod q) mod q with e = H_q(M, r); pk and M are checked first."""
    pk = check_public_key(pk, what="chameleon public key")
    group, message = pk.group, check_message(message, "ADM message")
    if not isinstance(opening, AdmOpening):
        raise SchemeError("expected an AdmOpening")
    r = group.check_scalar(opening.r, "ADM r")
    s = group.check_scalar(opening.s, "ADM s")
    e = _adm_challenge(group, message, r)
    return (r - group.mul(group.exp(pk.y, e), group.gexp(s)) % group.q) % group.q


def adm_random_opening(group: Group, rng: RandomSource | None = None) -> AdmOpening:
    return AdmOpening(group.random_scalar(rng), group.random_scalar(rng))


def adm_collision(sk: SecretKey, digest: int, message: bytes, rng: RandomSource | None = None) -> AdmOpening:
    """An opening of `digest` to `message`: r' = C + (g^k' mod p mod q), s' = k' − e'·x."""
    group = sk.group
    k = group.random_scalar(rng)
    r = (digest + group.gexp(k) % group.q) % group.q
    e = _adm_challenge(group, message, r)
    return AdmOpening(r, (k - e * sk.x) % group.q)


# -- the variants, as the trapdoor holder uses them -------------------------------------------------

KR = ConstructionVariant(
    "kr",
    broken=True,
    description="Krawczyk–Rabin Ch(m; r) = g^m · y^r, collision resistant under DL",
    breaks=("ch.key-exposure",),
    described=(("ch.key-exposure", "Krawczyk–Rabin: any two openings of one value reveal x (MC-0)"),),
)
ADM = ConstructionVariant(
    "adm", broken=False, description="Ateniese–de Medeiros: openings are Schnorr-like and hide x (MC-0′)"
)


@dataclass(frozen=True)
class PublishedHash:
    """A hash value C with its first opening: C = Ch(μ(M0); r0) for KR, or ADM's (r, s)."""

    digest: int
    message: bytes
    opening: int | AdmOpening


class _KrHash:
    """Krawczyk–Rabin as the trapdoor holder uses it: hash, then open to a new message."""

    @staticmethod
    def publish(pk: PublicKey, message: bytes, rng: RandomSource) -> PublishedHash:
        r0 = pk.group.random_scalar(rng)
        return PublishedHash(hash_message(pk, message, r0), message, r0)

    @staticmethod
    def collide(sk: SecretKey, first: PublishedHash, message: bytes, rng: RandomSource) -> int:
        group = sk.group
        m0 = message_scalar(group, first.message)
        if not isinstance(first.opening, int):
            raise TypeError("a Krawczyk–Rabin opening is a scalar")
        return collision(sk, m0, first.opening, message_scalar(group, message))


class _AdmHash:
    """Ateniese–de Medeiros as the trapdoor holder uses it."""

    @staticmethod
    def publish(pk: PublicKey, message: bytes, rng: RandomSource) -> PublishedHash:
        opening = adm_random_opening(pk.group, rng)
        return PublishedHash(adm_hash(pk, message, opening), message, opening)

    @staticmethod
    def collide(sk: SecretKey, first: PublishedHash, message: bytes, rng: RandomSource) -> AdmOpening:
        return adm_collision(sk, first.digest, message, rng)


class TrapdoorHash(Protocol):
    """A chameleon hash as its trapdoor holder uses it: publish a first value, then collide it."""

    @staticmethod
    def publish(pk: PublicKey, message: bytes, rng: RandomSource) -> PublishedHash: ...

    @staticmethod
    def collide(
        sk: SecretKey, first: PublishedHash, message: bytes, rng: RandomSource
    ) -> int | AdmOpening: ...


# Each variant's trapdoor hash, by name.
TRAPDOOR_HASHES: Mapping[str, type[TrapdoorHash]] = MappingProxyType({KR.name: _KrHash, ADM.name: _AdmHash})
