"""The adversary interface (harness §4).

An adversary is a class with an `id`, a human `label`, the game ids it `targets`, and what it is
expected to achieve: `expect = "null"` for a baseline (random guess, random forgery) that must come
out bounded, or `expect = "breaks:<variant>"` for a reference attack that must come out broken
against that variant, at the tiers in `breaks_tiers` (all tiers unless it is a generic attack that
only works on toy groups), and bounded everywhere else.

`attack(view, rng)` receives the game's view (public values and oracles) and the adversary's own
seeded generator, and returns the game's output; a game of several stages (`Game.stages`, e.g.
`("choose", "guess")`) calls one method of that name per stage instead, on the same instance and
generator. A fresh instance plays each trial.
"""

from __future__ import annotations

from typing import ClassVar

from games.view import View
from scheme.groups import TIERS
from scheme.randomness import RandomSource

NULL = "null"
BREAKS = "breaks:"


class Adversary:
    """Base class of all adversaries; see the module docstring."""

    id: ClassVar[str]
    label: ClassVar[str]
    targets: ClassVar[tuple[str, ...]]
    expect: ClassVar[str]
    breaks_tiers: ClassVar[tuple[str, ...]] = TIERS

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if "id" not in cls.__dict__:
            return
        missing = [a for a in ("label", "targets", "expect") if not hasattr(cls, a)]
        if missing:
            raise TypeError(f"adversary {cls.id}: missing class attribute(s) {', '.join(missing)}")
        if not isinstance(cls.targets, tuple) or not cls.targets:
            raise TypeError(f"adversary {cls.id}: targets must be a non-empty tuple of game ids")
        if cls.expect != NULL and not (cls.expect.startswith(BREAKS) and cls.expect[len(BREAKS) :]):
            raise TypeError(
                f"adversary {cls.id}: expect must be 'null' or 'breaks:<variant>', not {cls.expect!r}"
            )
        if not set(cls.breaks_tiers) <= set(TIERS):
            raise TypeError(f"adversary {cls.id}: breaks_tiers must be among {', '.join(TIERS)}")

    def attack(self, view: View, rng: RandomSource) -> object:
        """Play one trial: read the view, call its oracles, return the game's output.

        Games of several stages (`Game.stages`) call one method per stage instead.
        """
        raise NotImplementedError

    @classmethod
    def is_null(cls) -> bool:
        return cls.expect == NULL

    @classmethod
    def broken_variant(cls) -> str | None:
        """The variant a reference attack breaks; None for a null adversary."""
        return None if cls.is_null() else cls.expect[len(BREAKS) :]

    @classmethod
    def expected_verdict(cls, variant: str, tier: str) -> str:
        """The verdict to expect: "broken" against the variant it breaks, at a tier where the attack
        applies; "bounded" everywhere else."""
        broken = cls.broken_variant() == variant and tier in cls.breaks_tiers
        return "broken" if broken else "bounded"
