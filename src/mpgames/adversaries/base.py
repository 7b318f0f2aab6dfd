"""The adversary interface (harness §4).

An adversary is a class with an `id`, a human `label`, the game ids it `targets`, and what it is
expected to achieve: `expect = "null"` for a baseline (random guess, random forgery) that must come
out bounded, or `expect = "breaks:<variant>"` for a reference attack that must come out broken
against that variant, at the tiers in `breaks_tiers` (all tiers unless it is a generic attack that
only works on toy groups), and bounded everywhere else.

The variant may be a game's default (secure) one: a generic attack breaks it through a small group,
so `expect = "breaks:<default variant>"` with `breaks_tiers = ("toy",)` (e.g. `dl.bsgs`,
`mp.ds-leaf-collision`). A reference attack that also breaks other variants at those same tiers
names them in `also_breaks` (e.g. a BSGS key recovery breaks the weak variant too), so that
`expected_verdict` says what it achieves there; `expect` keeps the one variant it is about, which
`mpgames list`, the game pages and the default suite show.

`attack(view, rng)` receives the game's view (a frozen record of public values and oracles) and
the adversary's own seeded generator, and returns the game's output; a game of several stages
(`Game.stages`, e.g. `("choose", "guess")`) calls one method of that name per stage instead, on the
same instance and generator. A fresh instance plays each trial.

Which stages, views and outputs a game has is its `adversary_type`, a Protocol
(mpgames.framework.base). An adversary subclasses it next to `Adversary`, so that mypy checks its
stages against the game's declaration:

    class RandomForgery(Adversary, EufCmaAdversary):
        def attack(self, view: EufCmaView, rng: RandomSource) -> Forgery: ...
"""

from __future__ import annotations

from typing import ClassVar

from typing_extensions import is_protocol

from mpgames.games.registry import game_by_id
from mpgames.scheme.groups import TIERS

NULL = "null"
BREAKS = "breaks:"


class Adversary:
    """Base class of all adversaries; see the module docstring."""

    id: ClassVar[str]
    label: ClassVar[str]
    targets: ClassVar[tuple[str, ...]]
    expect: ClassVar[str]
    breaks_tiers: ClassVar[tuple[str, ...]] = TIERS
    also_breaks: ClassVar[tuple[str, ...]] = ()
    # True for a class that stands in for an adversary running elsewhere (mpgames.adversaries.isolated).
    isolated_only: ClassVar[bool] = False

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
        if not isinstance(cls.also_breaks, tuple) or not all(isinstance(v, str) for v in cls.also_breaks):
            raise TypeError(f"adversary {cls.id}: also_breaks must be a tuple of variant names")
        if cls.also_breaks and cls.expect == NULL:
            raise TypeError(f"adversary {cls.id}: a null adversary breaks nothing (also_breaks)")

    @classmethod
    def is_null(cls) -> bool:
        return cls.expect == NULL

    @classmethod
    def target_ids(cls) -> tuple[str, ...]:
        """The ids of the games it plays (`targets`)."""
        return cls.targets

    @classmethod
    def source_reference(cls) -> str:
        """What an isolated run's process loads: "package.module:Class"."""
        return f"{cls.__module__}:{cls.__qualname__}"

    @classmethod
    def implements_stage(cls, stage: str) -> bool:
        """True iff the class defines the stage method `stage` (`defines_stage`)."""
        return defines_stage(cls, stage)

    @classmethod
    def broken_variant(cls) -> str | None:
        """The variant a reference attack breaks; None for a null adversary."""
        return None if cls.is_null() else cls.expect[len(BREAKS) :]

    @classmethod
    def broken_variants(cls) -> tuple[str, ...]:
        """Every variant it breaks at `breaks_tiers`: `broken_variant()`, then `also_breaks`."""
        broken = cls.broken_variant()
        return () if broken is None else (broken, *cls.also_breaks)

    @classmethod
    def known_variants(cls) -> frozenset[str]:
        """The variants its declaration speaks of: those of the games it targets (which the registry
        checked exist). A variant that a variant game adds later (docs/plugins.md) is not among them."""
        return frozenset(name for game_id in cls.target_ids() for name in game_by_id(game_id).variants)

    @classmethod
    def expected_verdict(cls, variant: str, tier: str) -> str | None:
        """The verdict to expect: "broken" against a variant it breaks, at a tier where the attack
        applies; "bounded" against the other variants it knows (`known_variants`), and for a null
        adversary against every variant; None where it claims nothing: a variant added after it
        was declared, or a reduction (mpgames.reductions.base)."""
        if variant in cls.broken_variants() and tier in cls.breaks_tiers:
            return "broken"
        return "bounded" if cls.is_null() or variant in cls.known_variants() else None


def defines_stage(cls: type, stage: str) -> bool:
    """True iff `cls`, or a class it derives from, defines the method `stage`: the declaration of a
    game's Protocol, `Adversary` and `object` do not count."""
    for klass in cls.__mro__:
        if stage in vars(klass):
            return klass is not Adversary and klass is not object and not is_protocol(klass)
    return False
