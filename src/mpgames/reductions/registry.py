"""The reductions by name, and the inner adversaries they run (harness §5).

Built-in reductions are "module:Class" references, one line each, like the game and adversary
registries. An inner adversary is named by id: one the reduction ships with (mpgames.reductions.inner and
the adversaries it reuses), a registered adversary, or a plugin (an entry point of the group
`mpgames.adversaries`, or "path/to/file.py:ClassName", mpgames.adversaries.plugins). It must play the
reduction's inner game: a plugin is checked here against the inner game itself.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from types import MappingProxyType

from mpgames.adversaries import plugins
from mpgames.adversaries.base import Adversary
from mpgames.adversaries.registry import adversary_ids, get_adversary
from mpgames.framework.errors import UsageError
from mpgames.games.registry import load_reference
from mpgames.reductions.base import Reduction

BUILTIN_REDUCTIONS: tuple[str, ...] = (
    "mpgames.reductions.collision:CollisionToDl",
    "mpgames.reductions.coin:CoinToDl",
    "mpgames.reductions.forking:SchnorrForking",
    "mpgames.reductions.forking:RingForking",
    "mpgames.reductions.preimage:ChainToPreimage",
    "mpgames.reductions.detection:DetectionToExtract",
)


@functools.cache
def _reductions() -> Mapping[str, type[Reduction]]:
    table: dict[str, type[Reduction]] = {}
    for reference in BUILTIN_REDUCTIONS:
        cls = load_reference(reference)
        if not (isinstance(cls, type) and issubclass(cls, Reduction)):
            raise TypeError(f"{reference} is not a Reduction subclass")
        if cls.name in table:
            raise TypeError(f"reduction {cls.name!r} is registered twice ({reference})")
        table[cls.name] = cls
    return MappingProxyType(table)


def reduction_ids() -> tuple[str, ...]:
    return tuple(_reductions())


def all_reductions() -> tuple[type[Reduction], ...]:
    return tuple(_reductions().values())


def get_reduction(name: str) -> type[Reduction]:
    """The reduction called `name`; `UsageError` naming the known ones otherwise."""
    try:
        return _reductions()[name]
    except KeyError:
        raise UsageError(f"unknown reduction {name!r}; choose one of {', '.join(reduction_ids())}") from None


def inner_adversary(reduction: type[Reduction], adversary_id: str) -> type[Adversary]:
    """The inner adversary `adversary_id` for `reduction` (module docstring); `UsageError` otherwise."""
    shipped = {cls.id: cls for cls in reduction.inner_adversaries}
    if adversary_id in shipped:
        return shipped[adversary_id]
    builtin = adversary_ids()
    if adversary_id in builtin:
        return get_adversary(adversary_id)
    # A reduction runs its inner adversary's code itself, in this process: a plugin is trusted here.
    found = plugins.find(adversary_id, _plays_inner_game(reduction), builtin, trusted=True)
    if found is None:
        known = ", ".join(shipped)
        raise UsageError(
            f"unknown adversary {adversary_id!r} for {reduction.name}; choose one of {known}, a registered "
            "adversary of its inner game, or path/to/file.py:ClassName"
        )
    return found


def _plays_inner_game(reduction: type[Reduction]) -> plugins.Check:
    """The plugin check for an inner adversary: an `Adversary` class that `Reduction.around` accepts."""

    def check(reference: str, loaded: object) -> type[Adversary]:
        if not (isinstance(loaded, type) and issubclass(loaded, Adversary)):
            raise TypeError(f"{reference} is not an Adversary subclass")
        reduction.around(loaded)  # targets the inner game, implements its stages (UsageError otherwise)
        return loaded

    return check
