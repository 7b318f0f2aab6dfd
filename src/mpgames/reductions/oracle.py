"""The random oracle a reduction answers, and the signatures it simulates with it (harness §5).

In the random-oracle model the hash is an oracle that the reduction answers itself. `RandomOracle`
samples lazily into Z_q and numbers the points the inner adversary asks in the order they are first
asked: point j gets answer h_j, taken from `prefix` while it lasts and from a tape after that. That is
the forking lemma's indexing: a rerun with the same coins and the same prefix h_1 … h_(J−1) asks the
same first J points, and from point J on gets fresh answers.

A reduction that does not know the signing key signs by programming the oracle (the honest-verifier
simulation): it picks the answer first and defines the hash input after it. Programmed points carry
no index; programming a point that is already defined is the simulation's bad event, and the caller
aborts the run. Probability: at most (points defined)/q per signature.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

from mpgames.scheme.groups import Group
from mpgames.scheme.randomness import RandomSource
from mpgames.scheme.ring import RingSignature
from mpgames.scheme.schnorr import PublicKey, Signature


class RandomOracle:
    """A lazily sampled, programmable random oracle into Z_q with indexed fresh points."""

    # The reduction's state: a `View` refuses to carry it.
    is_challenger_object = True

    def __init__(self, q: int, tape: RandomSource, prefix: Sequence[int] = ()) -> None:
        self._q = q
        self._tape = tape
        self._prefix = tuple(prefix)
        self._table: dict[Hashable, int] = {}
        self._index: dict[Hashable, int] = {}
        self._answers: list[int] = []

    def __call__(self, *point: Hashable) -> int:
        """H(point): the defined value, or the next answer h_j for a point asked for the first time."""
        if point not in self._table:
            j = len(self._answers)
            value = self._prefix[j] if j < len(self._prefix) else self._tape.randbelow(self._q)
            self._table[point] = value
            self._index[point] = j
            self._answers.append(value)
        return self._table[point]

    def program(self, point: tuple[Hashable, ...], value: int) -> bool:
        """Define H(point) = value; False (nothing changed) if the point is already defined."""
        if point in self._table:
            return False
        self._table[point] = value
        return True

    def define(self, point: tuple[Hashable, ...], rng: RandomSource) -> int:
        """H(point) for the simulator: the defined value, or a programmed one from `rng` (no index)."""
        if point not in self._table:
            self._table[point] = rng.randbelow(self._q)
        return self._table[point]

    def index(self, point: tuple[Hashable, ...]) -> int | None:
        """j for the j-th point asked (from 0), None for a programmed or undefined point."""
        return self._index.get(point)

    @property
    def answers(self) -> tuple[int, ...]:
        """h_1, h_2, …: the answers to the indexed points, in order."""
        return tuple(self._answers)


def schnorr_commitment(group: Group, y: int, e: int, s: int) -> int:
    """R = g^s · y^(−e): the commitment a Schnorr signature (e, s) under y verifies against."""
    return group.mul(group.gexp(s), group.exp(y, group.q - e))


def simulated_schnorr(pk: PublicKey, rng: RandomSource) -> tuple[int, Signature]:
    """(R, σ): uniform σ = (e, s) and R = g^s·y^(−e), a transcript made without x. σ verifies on m once
    the oracle answers e at (R, m)."""
    group = pk.group
    e, s = group.random_scalar(rng), group.random_scalar(rng)
    return schnorr_commitment(group, pk.y, e, s), Signature(e, s)


def ring_commitment(pk: PublicKey, s: int, c: int) -> int:
    """g^s · y^c: the link of an AOS ring signature at a member with response s and challenge c."""
    group = pk.group
    return group.mul(group.gexp(s), group.exp(pk.y, c))


def simulated_ring_signature(
    members: Sequence[PublicKey], message: bytes, oracle: RandomOracle, rng: RandomSource
) -> RingSignature | None:
    """σ = (c_0, s_0, …, s_{n−1}) for the ring, made without any member's key: uniform c_0 and s_i, the
    links walked with the oracle (undefined points programmed from `rng`) and the last link programmed
    to close the ring at c_0. None if that point is already defined (the bad event)."""
    group = members[0].group
    c0 = group.random_scalar(rng)
    responses = tuple(group.random_scalar(rng) for _ in members)
    c = c0
    for pk, s in zip(members[:-1], responses, strict=False):
        c = oracle.define((message, ring_commitment(pk, s, c)), rng)
    closing = (message, ring_commitment(members[-1], responses[-1], c))
    return RingSignature(c0, responses) if oracle.program(closing, c0) else None
