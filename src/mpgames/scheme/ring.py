"""AOS ring signatures, discrete-log version (spec §3.3; Abe–Ohkubo–Suzuki, ASIACRYPT 2002).

A ring L = (y_0, …, y_{n−1}) of Schnorr public keys in one group, ordered canonically (sorted by their
encoded bytes), so that a ring is a set: every signer and verifier hashes the same L whatever order
it was handed over in ("fixed-ring" semantics). With all indices mod n:

* Sign(x_π, L, m): α ←$ Z_q, c_{π+1} = H_q("RS/AOS", L, m, g^α); for i = π+1, …, π−1:
  s_i ←$ Z_q, c_{i+1} = H_q("RS/AOS", L, m, g^(s_i)·y_i^(c_i)); s_π = α − x_π·c_π. σ = (c_0, s_0, …, s_{n−1}).
* Vrfy_L(m, σ): c ← c_0; for i = 0 … n−1: c ← H_q("RS/AOS", L, m, g^(s_i)·y_i^c); accept iff c = c_0.

Ring members are validated wherever a ring is used (`canonical_ring` calls `check_public_key` on
each; membership answers are cached by value), so verification of known keys costs exactly n
exponentiation pairs and n hashes. Every s_i is uniform and c_0 is a hash output
whoever signs: the signature says nothing about π, even to someone holding every secret key.

Variants the games compare (`mpgames.scheme.variants`): `AOS`, the signer above with fresh uniform
coins, and `DETERMINISTIC`, a broken signer that draws all of its coins (α and the s_i) from a
generator seeded with PRF_x(L, m), the way RFC 6979 derandomises Schnorr signatures
(`derived_coins`, `signing_coins`): once the keys are exposed, re-signing shows who signed.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from mpgames.scheme.encoding import FieldReader, enc
from mpgames.scheme.errors import DecodeError, SchemeError
from mpgames.scheme.groups import Group
from mpgames.scheme.hashing import Tag, hash256, hash_to_scalar
from mpgames.scheme.integers import checked_int
from mpgames.scheme.randomness import RandomSource, SeededRandom
from mpgames.scheme.schnorr import PublicKey, SecretKey, check_message, check_public_key
from mpgames.scheme.variants import ConstructionVariant

AOS = ConstructionVariant(
    "aos",
    broken=False,
    description="AOS ring signatures (discrete-log version) over a fixed ring of n honest keys",
    described=(("ring.anon", "AOS with fresh uniform coins: σ is independent of the signer (perfect)"),),
)
DETERMINISTIC = ConstructionVariant(
    "aos-deterministic",
    broken=True,
    description="coins from a PRF of the signer's key and the message: with the keys exposed, re-signing "
    "as i0 reproduces σ iff i0 signed",
    breaks=("ring.anon",),
)
# Domain label of the deterministic signer's PRF, inside the ring signature's own hash tag.
COINS_LABEL = b"coins"


@dataclass(frozen=True)
class RingSignature:
    """σ = (c_0, s_0, …, s_{n−1}): the first challenge and one response per ring member (canonical order)."""

    c0: int
    s: tuple[int, ...]

    def __post_init__(self) -> None:
        if not isinstance(self.s, tuple | list):
            raise SchemeError("ring signature responses must be a sequence of scalars")
        object.__setattr__(self, "s", tuple(self.s))

    def to_bytes(self, group: Group) -> bytes:
        c0 = group.check_scalar(self.c0, "ring signature c0")
        responses = tuple(
            group.scalar_bytes(group.check_scalar(s, "ring signature response")) for s in self.s
        )
        return enc(Tag.RS_AOS, group.scalar_bytes(c0), responses)

    @classmethod
    def from_bytes(cls, group: Group, data: bytes, ring_size: int) -> RingSignature:
        """Decode a signature for a ring of `ring_size` members; `DecodeError` on any malformed field."""
        ring_size = checked_int(ring_size, "ring signature: ring_size", minimum=1, error=DecodeError)
        reader = FieldReader(data, "ring signature")
        reader.tag(Tag.RS_AOS)
        c0 = reader.scalar(group, "c0")
        responses = reader.nested("s")
        s = tuple(responses.scalar(group, f"s_{i}") for i in range(ring_size))
        responses.done()
        reader.done()
        return cls(c0, s)


def canonical_ring(keys: Iterable[PublicKey]) -> tuple[PublicKey, ...]:
    """The ring as a set: members sorted by their encoded bytes.

    Raises `SchemeError` for an empty ring, a member that is not a valid `PublicKey` (checked again
    whoever built it), members from different groups, or a key listed twice.
    """
    members = tuple(check_public_key(pk, what=f"ring member {i}") for i, pk in enumerate(keys))
    if not members:
        raise SchemeError("a ring needs at least one member")
    for i, pk in enumerate(members):
        if pk.group != members[0].group:
            raise SchemeError(f"ring member {i} belongs to a different group")
    ordered = tuple(sorted(members, key=PublicKey.to_bytes))
    if any(a.y == b.y for a, b in pairwise(ordered)):
        raise SchemeError("a ring must not list the same key twice")
    return ordered


def _encode_ring(ring: Sequence[PublicKey]) -> bytes:
    """L as it enters every hash: one nested field listing the encoded keys."""
    return enc(*(pk.to_bytes() for pk in ring))


def _challenge(group: Group, encoded_ring: bytes, message: bytes, commitment: int) -> int:
    """H_q("RS/AOS", L, m, commitment)."""
    return hash_to_scalar(group.q, Tag.RS_AOS, encoded_ring, message, group.element_bytes(commitment))


# The hash of one ring L, (m, commitment) -> H_q("RS/AOS", L, m, commitment). `sign` and `verify` take
# another one only in random-oracle games and reductions (harness §5), which program their own oracle.
RingOracle = Callable[[bytes, int], int]


def challenge_oracle(ring: Sequence[PublicKey]) -> RingOracle:
    """The real H_q("RS/AOS", L, ·, ·) of the ring L (canonical order; `SchemeError` for a bad ring)."""
    return _real_oracle(canonical_ring(ring))


def _real_oracle(members: Sequence[PublicKey]) -> RingOracle:
    return functools.partial(_challenge, members[0].group, _encode_ring(members))


def _next_challenge(pk: PublicKey, oracle: RingOracle, message: bytes, s: int, c: int) -> int:
    """c_{i+1} = H(m, g^(s_i) · y_i^(c_i)): one link of the ring (one exponentiation pair)."""
    group = pk.group
    return oracle(message, group.mul(group.gexp(s), group.exp(pk.y, c)))


def sign(
    sk: SecretKey,
    ring: Sequence[PublicKey],
    message: bytes,
    rng: RandomSource | None = None,
    *,
    oracle: RingOracle | None = None,
) -> RingSignature:
    """σ ← Sign(x_π, L, m). The signer's index π is found from its public key (`SchemeError` if absent).

    `oracle` replaces H_q("RS/AOS", L, ·, ·) (random-oracle games and reductions); the real hash by default.
    """
    members = canonical_ring(ring)
    group = sk.group
    if members[0].group != group:
        raise SchemeError("the signing key and the ring belong to different groups")
    own = sk.public.y
    try:
        pi = next(i for i, pk in enumerate(members) if pk.y == own)
    except StopIteration:
        raise SchemeError("the signer's public key is not in the ring") from None
    n = len(members)
    hash_ = _real_oracle(members) if oracle is None else oracle
    s = [0] * n
    c = [0] * n
    # Open the ring at π + 1 with a fresh commitment g^α.
    alpha = group.random_scalar(rng)
    c[(pi + 1) % n] = hash_(message, group.gexp(alpha))
    # Walk round the ring from π + 1 to π − 1 with random responses.
    for step in range(1, n):
        i = (pi + step) % n
        s[i] = group.random_scalar(rng)
        c[(i + 1) % n] = _next_challenge(members[i], hash_, message, s[i], c[i])
    # Close the ring: g^(s_π) · y_π^(c_π) = g^α.
    s[pi] = (alpha - sk.x * c[pi]) % group.q
    return RingSignature(c[0], tuple(s))


def verify(
    ring: Sequence[PublicKey], message: bytes, sig: RingSignature, *, oracle: RingOracle | None = None
) -> bool:
    """Vrfy_L(m, σ): recompute the n links from c_0 and accept iff the ring closes.

    Malformed input raises: `SchemeError` for a bad ring or a response count that is not the ring size,
    `InvalidScalarError` for a scalar outside Z_q. A well-formed signature that does not verify gives False.
    `oracle` replaces H_q("RS/AOS", L, ·, ·), as in `sign`.
    """
    members = canonical_ring(ring)
    group, message = members[0].group, check_message(message)
    if not isinstance(sig, RingSignature):
        raise SchemeError("expected a RingSignature")
    c0, given = sig.c0, sig.s
    if type(given) is not tuple:
        raise SchemeError("ring signature responses must be a tuple of scalars")
    if len(given) != len(members):
        raise SchemeError(f"ring signature has {len(given)} responses for a ring of {len(members)}")
    c0 = group.check_scalar(c0, "ring signature c0")
    responses = [group.check_scalar(s, "ring signature response") for s in given]
    hash_ = _real_oracle(members) if oracle is None else oracle
    c = c0
    for pk, s in zip(members, responses, strict=True):
        c = _next_challenge(pk, hash_, message, s, c)
    return c == c0


def derived_coins(sk: SecretKey, members: tuple[PublicKey, ...], message: bytes) -> SeededRandom:
    """The deterministic signer's coins: a generator seeded with
    PRF_x(L, m) = H_256("RS/AOS", "coins", x, L, m), a keyed hash of the ring and the message."""
    ring_bytes = enc(*(pk.to_bytes() for pk in canonical_ring(members)))
    return SeededRandom(hash256(Tag.RS_AOS, COINS_LABEL, sk.group.scalar_bytes(sk.x), ring_bytes, message))


def signing_coins(
    variant: str, sk: SecretKey, members: tuple[PublicKey, ...], message: bytes, rng: RandomSource
) -> RandomSource:
    """The coins the named variant signs m with: `rng` itself (`AOS`), or `derived_coins`
    (`DETERMINISTIC`)."""
    if variant not in (AOS.name, DETERMINISTIC.name):
        raise SchemeError(f"unknown ring-signature variant {variant!r}")
    return derived_coins(sk, members, message) if variant == DETERMINISTIC.name else rng
