"""The points of sale as a ring (harness §3; scheme §3.4 AOS rings): the groups, the ring size and
the keys of the ring games `ring.uf`, `ring.anon` and of the voucher games, and the check of a
member index the adversary names."""

from __future__ import annotations

from types import MappingProxyType

from mpgames.framework.errors import MalformedQuery
from mpgames.scheme import schnorr
from mpgames.scheme.groups import Group
from mpgames.scheme.randomness import RandomSource
from mpgames.scheme.ring import canonical_ring
from mpgames.scheme.schnorr import PublicKey, SecretKey

# Ring size n: every verification costs n exponentiation pairs, and four members already exercise
# the walk round the ring (signer in the middle, wrap-around at n − 1 → 0).
RING_SIZE = 4


# The spec's toy demo group (q = 1019, where a random ring signature verifies with probability about
# 1/q) and RFC 5114 §2.3.
RING_GROUPS = MappingProxyType({"toy": "toy-2039", "standard": "rfc5114-2048-256"})


def make_ring(group: Group, n: int, rng: RandomSource) -> tuple[tuple[PublicKey, ...], tuple[SecretKey, ...]]:
    """{(pk_i, sk_i)} ← Gen for i < n: the ring R in canonical order and the secret key of each member.

    Index i names R[i] and its key. A key drawn twice (possible only in toy groups) is drawn again,
    since a ring is a set of distinct keys.
    """
    pairs: dict[int, tuple[PublicKey, SecretKey]] = {}
    while len(pairs) < n:
        pk, sk = schnorr.keygen(group, rng)
        pairs.setdefault(pk.y, (pk, sk))
    members = canonical_ring(pk for pk, _ in pairs.values())
    return members, tuple(pairs[pk.y][1] for pk in members)


def member_index(index: int, n: int, what: str) -> int:
    """`index` (an exact int from the boundary) if it is a ring member's index in [0, n); else
    `MalformedQuery`."""
    if not 0 <= index < n:
        raise MalformedQuery(f"{what} must be a ring index in [0, {n})")
    return index
