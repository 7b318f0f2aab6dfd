"""The adversary registry: adversary id -> Adversary class (harness §4 "Discovery").

Built-in adversaries are listed as "module:Class" references, one line each, imported on first
use; registering a new adversary is one line in `BUILTIN_ADVERSARIES`. An id that is not built in
may name a plugin, an entry point of the group `mpgames.adversaries` or "path/to/file.py:ClassName"
(adversaries/plugins.py), which goes through the same checks.
Each adversary is checked against the game registry: its targets must exist, and every variant a
reference attack claims to break (`expect`, `also_breaks`) must belong to one of them.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from types import MappingProxyType

from adversaries import plugins
from adversaries.base import Adversary
from games.errors import UsageError
from games.registry import get_game, load_reference

BUILTIN_ADVERSARIES: tuple[str, ...] = (
    "adversaries.dl:RandomLogGuess",
    "adversaries.dl:BabyStepGiantStep",
    "adversaries.sig:RandomForgery",
    "adversaries.sig:NonceReuseForger",
    "adversaries.rom:RomRandomForgery",
    "adversaries.rom:RomBsgsForgery",
    "adversaries.chameleon:RandomCollision",
    "adversaries.chameleon:BsgsCollision",
    "adversaries.chameleon:RandomTrapdoorGuess",
    "adversaries.chameleon:KrKeyExtraction",
    "adversaries.ring:RandomRingForgery",
    "adversaries.ring:BsgsRingForgery",
    "adversaries.ring:RandomBitGuess",
    "adversaries.ring:CoinRecomputation",
    "adversaries.rom:RomRandomRingForgery",
    "adversaries.rom:RomBsgsRingForgery",
    "adversaries.assertions:RandomKeyGuess",
    "adversaries.assertions:SiblingLeak",
    "adversaries.assertions:HonestEquivocator",
    "adversaries.assertions:UnboundEquivocation",
    "adversaries.assertions:LeafCollisionEquivocation",
    "adversaries.microcoin:HonestPayer",
    "adversaries.microcoin:Overspend",
    "adversaries.microcoin:RandomCoin",
    "adversaries.microcoin:KeyExposure",
    "adversaries.microcoin:PreimageSearch",
    "adversaries.microcoin:BsgsMint",
    "adversaries.hash:RandomPreimage",
    "adversaries.hash:WordSearch",
    "adversaries.micropay:RandomVoucherForgery",
    "adversaries.micropay:BalanceRewind",
    "adversaries.micropay:RandomSignerGuess",
    "adversaries.micropay:ReadSigner",
    "adversaries.micropay:HonestPayer",
    "adversaries.micropay:TwoPosDoubleSpend",
    "adversaries.micropay:LeafCollisionDoubleSpend",
    "adversaries.micropay:HonestShopper",
    "adversaries.micropay:SlotForks",
)


def _checked(reference: str, cls: object) -> type[Adversary]:
    if not (isinstance(cls, type) and issubclass(cls, Adversary)):
        raise TypeError(f"{reference} is not an Adversary subclass")
    games = [get_game(target) for target in cls.targets]
    for game in games:
        missing = [s for s in game.stages if getattr(cls, s, None) is getattr(Adversary, s, None)]
        if missing:
            raise TypeError(f"adversary {cls.id} lacks the stage(s) {', '.join(missing)} of {game.id}")
    for broken in cls.broken_variants():
        if not any(broken in game.variants for game in games):
            raise TypeError(
                f"adversary {cls.id} claims to break {broken!r}, a variant of none of its targets"
            )
    return cls


@functools.cache
def _adversaries() -> Mapping[str, type[Adversary]]:
    table: dict[str, type[Adversary]] = {}
    for reference in BUILTIN_ADVERSARIES:
        cls = _checked(reference, load_reference(reference))
        if cls.id in table:
            raise TypeError(f"adversary id {cls.id!r} is registered twice ({reference})")
        table[cls.id] = cls
    return MappingProxyType(table)


def adversary_ids() -> tuple[str, ...]:
    return tuple(_adversaries())


def all_adversaries() -> tuple[type[Adversary], ...]:
    return tuple(_adversaries().values())


def get_adversary(adversary_id: str) -> type[Adversary]:
    """The adversary class of `adversary_id`, built in or a plugin; `UsageError` naming the known ids
    otherwise."""
    builtin = _adversaries()
    if adversary_id in builtin:
        return builtin[adversary_id]
    plugin = plugins.find(adversary_id, _checked, builtin)
    if plugin is None:
        known = ", ".join(adversary_ids())
        raise UsageError(
            f"unknown adversary {adversary_id!r}; choose one of {known}, or path/to/file.py:ClassName"
        )
    return plugin


def adversaries_for(game_id: str) -> tuple[type[Adversary], ...]:
    """The adversaries targeting `game_id`: null adversaries first, then reference attacks."""
    targeting = [cls for cls in all_adversaries() if game_id in cls.targets]
    return tuple(sorted(targeting, key=lambda cls: not cls.is_null()))


def resolve(adversary_id: str, game_id: str) -> type[Adversary]:
    """The adversary `adversary_id`, which must target `game_id` (`UsageError` otherwise)."""
    cls = get_adversary(adversary_id)
    if game_id not in cls.targets:
        choices = ", ".join(a.id for a in adversaries_for(game_id)) or "none registered"
        raise UsageError(
            f"adversary {adversary_id} does not target {game_id}; adversaries for {game_id}: {choices}"
        )
    return cls
