"""Adversaries against the chameleon-hash games `ch.cr` and `ch.key-exposure` (harness §4).

Collision resistance (`ch.cr`):
* `ch.random-collision` (null): two uniform openings; they collide with probability about 1/q.
* `ch.bsgs-collision` (reference): budgeted baby-step giant-step recovers the trapdoor x from
  y = g^x (toy tier only), then r1 = r0 + (m0 − m1)/x opens Ch(m0; r0) to a second message m1.

Key exposure (`ch.key-exposure`):
* `ch.random-trapdoor` (null): a uniform x'.
* `ch.kr-extract` (reference): asks for one collision and solves x = (m0 − m1)/(r1 − r0), which is
  the trapdoor for Krawczyk–Rabin at every tier. Applied to Ateniese–de Medeiros openings (their
  r components) the same algebra yields an unrelated scalar; the attack notices (g^x ≠ y) and
  falls back to a random guess.
"""

from __future__ import annotations

from mpgames.adversaries.base import Adversary
from mpgames.adversaries.dl import budgeted_log, is_log
from mpgames.games.ch_cr import ChCrAdversary, ChCrView, Collision
from mpgames.games.ch_key_exposure import ChKeyExposureAdversary, ChKeyExposureView
from mpgames.scheme import chameleon
from mpgames.scheme.chameleon import AdmOpening
from mpgames.scheme.errors import SchemeError
from mpgames.scheme.randomness import RandomSource
from mpgames.scheme.schnorr import SecretKey

# The message the key-extraction attack asks the trapdoor holder to open the published value to.
SECOND_MESSAGE = b"coin #2"


class RandomCollision(Adversary, ChCrAdversary):
    """Null adversary: two uniform openings."""

    id = "ch.random-collision"
    label = "two random openings"
    targets = ("ch.cr",)
    expect = "null"

    def attack(self, view: ChCrView, rng: RandomSource) -> Collision:
        group = view.group
        return Collision(*(group.random_scalar(rng) for _ in range(4)))


class BsgsCollision(Adversary, ChCrAdversary):
    """Reference attack: recover the trapdoor by budgeted BSGS, then compute a collision with it."""

    id = "ch.bsgs-collision"
    label = "BSGS trapdoor recovery, then collide"
    targets = ("ch.cr",)
    expect = "breaks:kr"
    breaks_tiers = ("toy",)

    def attack(self, view: ChCrView, rng: RandomSource) -> Collision:
        group = view.group
        # x by BSGS (a random guess once the step budget runs out).
        trapdoor = SecretKey(group, budgeted_log(group, view.pk.y, rng))
        # Open Ch(m0; r0) to a second message m1 ≠ m0 with the trapdoor.
        m0, r0 = group.random_scalar(rng), group.random_scalar(rng)
        m1 = (m0 + 1 + group.random_scalar(rng) % (group.q - 1)) % group.q
        return Collision(m0, r0, m1, chameleon.collision(trapdoor, m0, r0, m1))


class RandomTrapdoorGuess(Adversary, ChKeyExposureAdversary):
    """Null adversary: guess the trapdoor uniformly, ignoring the published openings."""

    id = "ch.random-trapdoor"
    label = "random guess of the trapdoor"
    targets = ("ch.key-exposure",)
    expect = "null"

    def attack(self, view: ChKeyExposureView, rng: RandomSource) -> int:
        return view.group.random_secret(rng)


class KrKeyExtraction(Adversary, ChKeyExposureAdversary):
    """Reference attack: one requested collision plus the published opening give the KR trapdoor."""

    id = "ch.kr-extract"
    label = "key extraction from two openings"
    targets = ("ch.key-exposure",)
    expect = "breaks:kr"

    def attack(self, view: ChKeyExposureView, rng: RandomSource) -> int:
        group, published = view.group, view.published
        second = view.collide(SECOND_MESSAGE)
        m0 = chameleon.message_scalar(group, published.message)
        m1 = chameleon.message_scalar(group, SECOND_MESSAGE)
        try:
            x = chameleon.extract_key(group, m0, _randomness(published.opening), m1, _randomness(second))
        except SchemeError:  # equal randomness: the algebra has no solution
            return group.random_secret(rng)
        # The algebra gives the trapdoor only for KR openings: check it against pk.
        return x if is_log(group, x, view.pk.y) else group.random_secret(rng)


def _randomness(opening: int | AdmOpening) -> int:
    """The r of an opening (KR openings are r itself; ADM openings carry (r, s))."""
    return opening.r if isinstance(opening, AdmOpening) else opening
