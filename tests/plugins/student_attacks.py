"""One-file adversaries for tests/test_plugins.py, loaded as `tests/plugins/student_attacks.py:ClassName`.

Some play by the rules, some break them on purpose, and some are not valid plugins at all: each test
names the class it needs.
"""

from __future__ import annotations

from mpgames.adversaries.base import Adversary
from mpgames.adversaries.dlog import bsgs
from mpgames.framework.view import View
from mpgames.games.sig_euf_cma import Forgery
from mpgames.scheme.randomness import RandomSource
from mpgames.scheme.schnorr import Signature


class StudentBsgs(Adversary):
    """Baby-step giant-step without a budget: breaks dl on the toy tier."""

    id = "student.bsgs"
    label = "unbudgeted baby-step giant-step"
    targets = ("dl",)
    expect = "breaks:subgroup"
    breaks_tiers = ("toy",)

    def attack(self, view: View, rng: RandomSource) -> int:
        x = bsgs(view.group, view.h)
        return view.group.random_secret(rng) if x is None else x


class Dice(Adversary):
    """A uniform guess: its output shows the generator the harness hands it."""

    id = "student.dice"
    label = "uniform guess"
    targets = ("dl",)
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> int:
        return view.group.random_secret(rng)


class GreedySigner(Adversary):
    """Asks for one signature more than the budget allows, and swallows the refusal."""

    id = "student.greedy-signer"
    label = "one signing query too many"
    targets = ("sig.euf-cma",)
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> Forgery:
        for i in range(view.sign.budget + 1):
            try:
                view.sign(f"message {i}".encode())
            except Exception:  # the refusal is caught; the trial is lost all the same
                break
        return Forgery(b"fresh", Signature(0, 0))


class Sleeper(Adversary):
    """Never returns."""

    id = "student.sleeper"
    label = "endless loop"
    targets = ("dl",)
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> int:
        while True:
            pass


class Impostor(Adversary):
    """Takes the id of a built-in adversary."""

    id = "dl.bsgs"
    label = "not the built-in one"
    targets = ("dl",)
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> int:
        return 1


class Stranger(Adversary):
    """Targets a game that does not exist."""

    id = "student.stranger"
    label = "lost"
    targets = ("no.such-game",)
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> int:
        return 1


class Nameless(Adversary):
    """An Adversary subclass without an id: a base class, not an adversary that can be played."""

    label = "nameless"
    targets = ("dl",)
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> int:
        return 1


class NotAnAdversary:
    """A class, but not an Adversary."""
