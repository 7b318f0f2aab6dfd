"""`sig-dl` and `ring-dl`: Schnorr and AOS forgers give discrete logarithms by forking (harness §5).

The forking lemma (Pointcheval–Stern; Bellare–Neven's general form). Let A make at most Q queries to
a random oracle with answers in Z_q, and succeed with probability ε, each success hinging on one of
its queries, the J-th. Run A once with answers h_1 … h_Q. If it succeeds at J, run it again with the
same coins and the same h_1 … h_(J−1), and fresh answers from h_J on. Both runs succeed at the same J
with h_J ≠ h'_J with probability at least ε·(ε/Q − 1/q). Two such forgeries share the commitment
they hinge on (it was fixed before the J-th answer) and differ in its challenge, which gives x.

What is run for real, on toy groups (`mpgames reduce sig-dl`, `ring-dl`): the inner adversary plays
the random-oracle game (mpgames.games.rom) twice per trial, from the same seed, against B's oracle
(`RandomOracle`): the second run replays the first run's answers up to the hinge query and draws fresh
ones from there. Signing queries are answered without the key by programming the oracle, and a
point already defined aborts the run. The extracted x is B's answer in `dl`, judged by the `dl`
game. Nothing is assumed about A beyond hashing through H: a forger that hashes for itself still
plays, but it cannot be forked (B then falls back to a random guess).

* `sig-dl`: pk = h. The forgery (m*, (e, s)) hinges on the query (R, m*), R = g^s·y^−e; two of them
  give x = (s − s′)/(e − e′). Q = q_H + 1 (B asks (R, m*) itself if A did not), and the simulated
  signatures cost ε′ = ε − q_S·(q_S + Q)/q (a programmed point already asked).
* `ring-dl`: the ring is y_i = h·g^(δ_i) for uniform δ_i (distinct, non-identity: distributed as the
  game's ring), so that the key of any member gives x = x_i − δ_i. A valid AOS signature is a cycle
  of n links c_(i+1) = H(m*, g^(s_i)·y_i^(c_i)); some link π is a gap, the query producing c_π asked
  after the query whose input fixed c_π's use, R_π = g^(s_π)·y_π^(c_π). The forgery hinges on that
  producing query (the latest such, by rule); two forgeries with one R_π and c_π ≠ c′_π give
  x_π = (s_π − s′_π)/(c′_π − c_π). Q = q_H + n and ε′ = ε − q_S·(Q + n·q_S)/q.

The bound is evaluated with q_H and q_S the most queries the inner adversary made in any trial of
the inner run (mpgames.reductions.runner).
"""

from __future__ import annotations

from dataclasses import dataclass

from mpgames.adversaries.dl import RandomLogGuess
from mpgames.adversaries.rom import RomBsgsForgery, RomBsgsRingForgery, RomRandomForgery, RomRandomRingForgery
from mpgames.games.dl import DiscreteLog, DlView
from mpgames.games.ring_uf import RingForgery, RingUnforgeability
from mpgames.games.rings import RING_SIZE, member_index
from mpgames.games.rom import (
    EufCmaRomView,
    RingUfRomView,
    RingUnforgeabilityRom,
    SchnorrEufCmaRom,
    ring_hash,
    schnorr_hash,
)
from mpgames.games.sig_euf_cma import Forgery, SchnorrEufCma
from mpgames.reductions.base import SEED_LEN, BoundParameters, Reduction, Simulation
from mpgames.reductions.oracle import (
    RandomOracle,
    ring_commitment,
    schnorr_commitment,
    simulated_ring_signature,
    simulated_schnorr,
)
from mpgames.scheme import schnorr
from mpgames.scheme.groups import Group
from mpgames.scheme.randomness import RandomSource, SeededRandom
from mpgames.scheme.ring import RingSignature, canonical_ring
from mpgames.scheme.schnorr import PublicKey, Signature


def forking_bound(eps: float, queries: int, q: int) -> float:
    """acc·(acc/Q − 1/q) for acc = max(ε, 0): the forking lemma's lower bound on the fork's success."""
    acc = max(eps, 0.0)
    return acc * (acc / queries - 1 / q)


@dataclass(frozen=True)
class ForkRun:
    """One successful run of A: the index J its forgery hinges on, the answers it got, and what the
    extraction needs from the forgery."""

    fork: int
    answers: tuple[int, ...]
    witness: tuple[int, ...]


class Forking(Reduction[DlView]):
    """Run A, rerun it with fresh answers from its hinge query on, extract x from the two forgeries."""

    def reduce(self, view: DlView, rng: RandomSource) -> int | None:
        group = view.group
        seed = rng.randbytes(SEED_LEN)
        first = self.fork_run(view, self.simulation(group, seed), RandomOracle(group.q, _tape(seed, b"1")))
        if first is None:
            return None
        # Same coins, same answers before the hinge query J, fresh answers from J on.
        replayed = RandomOracle(group.q, _tape(seed, b"2"), first.answers[: first.fork])
        second = self.fork_run(view, self.simulation(group, seed), replayed)
        if second is None or second.fork != first.fork:
            return None
        if second.answers[first.fork] == first.answers[first.fork]:
            return None  # h'_J = h_J (probability 1/q): the same forgery twice
        return self.extract(group, first.witness, second.witness)

    def fork_run(self, view: DlView, sim: Simulation, oracle: RandomOracle) -> ForkRun | None:
        """One run of A against `oracle`: its hinge and witness, or None if it did not forge."""
        raise NotImplementedError

    def extract(self, group: Group, first: tuple[int, ...], second: tuple[int, ...]) -> int | None:
        """x from the witnesses of two forgeries hinging on one query."""
        raise NotImplementedError


def _tape(seed: bytes, run: bytes) -> SeededRandom:
    """The fresh answers of one run."""
    return SeededRandom(seed + b"/H/" + run)


class SchnorrForking(Forking):
    """B: pk = h, signatures simulated by programming H, two forgeries on one (R, m*) give x."""

    name = "sig-dl"
    relation = "ε_dl ≥ ε′·(ε′/Q − 1/q), Q = q_H + 1, ε′ = ε − q_S·(q_S + Q)/q"
    inner_game = SchnorrEufCmaRom
    inner_variant = "schnorr"
    outer_game = DiscreteLog
    outer_variant = "subgroup"
    fallback = RandomLogGuess
    inner_adversaries = (RomBsgsForgery, RomRandomForgery)

    @classmethod
    def bound(cls, eps: float, parameters: BoundParameters) -> float:
        signs, queries = parameters.queries("sign"), parameters.queries("H") + 1
        return forking_bound(eps - signs * (signs + queries) / parameters.q, queries, parameters.q)

    def fork_run(self, view: DlView, sim: Simulation, oracle: RandomOracle) -> ForkRun | None:
        group = view.group
        pk = PublicKey(group, view.h)

        def sign(message: bytes) -> Signature:
            commitment, signature = simulated_schnorr(pk, sim.rng)
            if not oracle.program((commitment, message), signature.e):
                sim.abort("a simulated signature needs H at a point already defined")
            return signature

        signing = sim.oracle("sign", sign)
        o_hash = sim.oracle("H", schnorr_hash(pk, oracle))
        view_a = EufCmaRomView(group=group, variant=sim.variant.name, pk=pk, sign=signing, H=o_hash)
        forgery = sim.play("attack", view_a, returns=Forgery)
        # A forgery in B's world: the game's predicate, verified with B's oracle.
        if not sim.judge(SchnorrEufCma.is_forgery, pk, signing, forgery, oracle):
            return None
        e, s = forgery.signature.e, forgery.signature.s
        fork = oracle.index((schnorr_commitment(group, pk.y, e, s), forgery.message))
        return None if fork is None else ForkRun(fork, oracle.answers, (e, s))

    def extract(self, group: Group, first: tuple[int, ...], second: tuple[int, ...]) -> int:
        # One commitment R, two challenges: the algebra of a repeated nonce.
        return schnorr.recover_key_from_nonce_reuse(group, Signature(*first), Signature(*second))


class RingForking(Forking):
    """B: every member's key is h·g^δ_i, signatures simulated by programming H, fork at the gap."""

    name = "ring-dl"
    relation = "ε_dl ≥ ε′·(ε′/Q − 1/q), Q = q_H + n, ε′ = ε − q_S·(Q + n·q_S)/q"
    inner_game = RingUnforgeabilityRom
    inner_variant = "aos"
    outer_game = DiscreteLog
    outer_variant = "subgroup"
    fallback = RandomLogGuess
    inner_adversaries = (RomBsgsRingForgery, RomRandomRingForgery)

    @classmethod
    def bound(cls, eps: float, parameters: BoundParameters) -> float:
        n, signs = RING_SIZE, parameters.queries("cert")
        queries = parameters.queries("H") + n
        return forking_bound(eps - signs * (queries + n * signs) / parameters.q, queries, parameters.q)

    def fork_run(self, view: DlView, sim: Simulation, oracle: RandomOracle) -> ForkRun | None:
        group = view.group
        members, offsets = ring_around(group, view.h, sim.rng)

        def cert(i: int, message: bytes) -> RingSignature:
            member_index(i, len(members), "signer index i")
            signature = simulated_ring_signature(members, message, oracle, sim.rng)
            if signature is None:
                sim.abort("a simulated signature needs H at a point already defined")
            return signature

        o_cert = sim.oracle("cert", cert)
        o_hash = sim.oracle("H", ring_hash(members, oracle))
        view_a = RingUfRomView(group=group, variant=sim.variant.name, ring=members, cert=o_cert, H=o_hash)
        forgery = sim.play("attack", view_a, returns=RingForgery)
        if not sim.judge(RingUnforgeability.is_forgery, members, o_cert, forgery, oracle):
            return None
        hinge = ring_hinge(members, forgery, oracle)
        if hinge is None:
            return None
        fork, pi, commitment, c = hinge
        y = members[pi].y
        return ForkRun(fork, oracle.answers, (y, offsets[y], commitment, c, forgery.signature.s[pi]))

    def extract(self, group: Group, first: tuple[int, ...], second: tuple[int, ...]) -> int | None:
        (y, delta, commitment, c, s), (y2, _, commitment2, c2, s2) = first, second
        if (y, commitment) != (y2, commitment2):
            return None
        # g^s·y^c = g^s′·y^c′ with c ≠ c′: x_π = (s − s′)/(c′ − c), and x = x_π − δ_π.
        x_member = (s - s2) * group.inv_scalar(c2 - c) % group.q
        return (x_member - delta) % group.q


def ring_around(group: Group, h: int, rng: RandomSource) -> tuple[tuple[PublicKey, ...], dict[int, int]]:
    """The ring y_i = h·g^(δ_i), n distinct non-identity keys, and δ by key: the game's ring distribution
    with the DL challenge behind every member."""
    offsets: dict[int, int] = {}
    while len(offsets) < RING_SIZE:
        delta = group.random_scalar(rng)
        y = group.mul(h, group.gexp(delta))
        if y != group.identity:
            offsets.setdefault(y, delta)
    return canonical_ring(PublicKey(group, y) for y in offsets), offsets


def ring_hinge(
    members: tuple[PublicKey, ...], forgery: RingForgery, oracle: RandomOracle
) -> tuple[int, int, int, int] | None:
    """(J, π, R_π, c_π) of a forgery verified with `oracle`: the gap link π whose challenge c_π was
    produced by a query asked after the query of R_π = g^(s_π)·y_π^(c_π), the latest such producer
    being the hinge J. None if a link is not an indexed query (or, impossibly, no link is a gap)."""
    message, signature = forgery.message, forgery.signature
    links, c = [], signature.c0
    for pk, s in zip(members, signature.s, strict=True):
        commitment = ring_commitment(pk, s, c)
        links.append((commitment, c))
        c = oracle(message, commitment)  # defined already: the forgery was verified with this oracle
    found = [oracle.index((message, commitment)) for commitment, _ in links]
    asked = [j for j in found if j is not None]
    if len(asked) < len(found):  # a link that is not an indexed query
        return None
    # c_π comes from link π − 1's query (c_0 from link n − 1's): a gap if that query came later.
    gaps = [(asked[pi - 1], pi) for pi in range(len(links)) if asked[pi - 1] > asked[pi]]
    if not gaps:
        return None
    fork, pi = max(gaps)
    commitment, c = links[pi]
    return fork, pi, commitment, c
