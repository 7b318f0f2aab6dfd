"""The adversary registry: adversary id -> Adversary class (harness §4 "Discovery").

Built-in adversaries are listed as "module:Class" references, one line each, imported on first
use; registering a new adversary is one line in `BUILTIN_ADVERSARIES`. An id that is not built in
may name a plugin, an entry point of the group `mpgames.adversaries` or "path/to/file.py:ClassName"
(mpgames.adversaries.plugins), which goes through the same checks.
Each adversary is checked against the game registry: its targets must exist (game ids: a built-in
game, a plugin game loaded before, or an entry point; never a file), and every variant a reference
attack claims to break (`expect`, `also_breaks`) must belong to one of them. An adversary plays the
games it targets and their variant games (`Game.targeted_by`, docs/plugins.md).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from types import MappingProxyType

from mpgames.adversaries import plugins
from mpgames.adversaries.base import Adversary
from mpgames.framework.errors import UsageError
from mpgames.framework.plugin_files import load_reference
from mpgames.games.registry import game_by_id, get_game

BUILTIN_ADVERSARIES: tuple[str, ...] = (
    "mpgames.adversaries.dl:RandomLogGuess",
    "mpgames.adversaries.dl:BabyStepGiantStep",
    "mpgames.adversaries.sig:RandomForgery",
    "mpgames.adversaries.sig:NonceReuseForger",
    "mpgames.adversaries.sig:BsgsForger",
    "mpgames.adversaries.rom:RomRandomForgery",
    "mpgames.adversaries.rom:RomBsgsForgery",
    "mpgames.adversaries.chameleon:RandomCollision",
    "mpgames.adversaries.chameleon:BsgsCollision",
    "mpgames.adversaries.chameleon:RandomTrapdoorGuess",
    "mpgames.adversaries.chameleon:KrKeyExtraction",
    "mpgames.adversaries.ring:RandomRingForgery",
    "mpgames.adversaries.ring:BsgsRingForgery",
    "mpgames.adversaries.ring:RandomBitGuess",
    "mpgames.adversaries.ring:CoinRecomputation",
    "mpgames.adversaries.rom:RomRandomRingForgery",
    "mpgames.adversaries.rom:RomBsgsRingForgery",
    "mpgames.adversaries.assertions:RandomKeyGuess",
    "mpgames.adversaries.assertions:SiblingLeak",
    "mpgames.adversaries.assertions:HonestEquivocator",
    "mpgames.adversaries.assertions:UnboundEquivocation",
    "mpgames.adversaries.assertions:LeafCollisionEquivocation",
    "mpgames.adversaries.microcoin:HonestPayer",
    "mpgames.adversaries.microcoin:Overspend",
    "mpgames.adversaries.microcoin:RandomCoin",
    "mpgames.adversaries.microcoin:KeyExposure",
    "mpgames.adversaries.microcoin:PreimageSearch",
    "mpgames.adversaries.microcoin:BsgsMint",
    "mpgames.adversaries.hash:RandomPreimage",
    "mpgames.adversaries.hash:WordSearch",
    "mpgames.adversaries.micropay:RandomVoucherForgery",
    "mpgames.adversaries.micropay:BalanceRewind",
    "mpgames.adversaries.micropay:RandomSignerGuess",
    "mpgames.adversaries.micropay:ReadSigner",
    "mpgames.adversaries.micropay:HonestPayer",
    "mpgames.adversaries.micropay:TwoPosDoubleSpend",
    "mpgames.adversaries.micropay:LeafCollisionDoubleSpend",
    "mpgames.adversaries.micropay:HonestShopper",
    "mpgames.adversaries.micropay:SlotForks",
)


def _checked(reference: str, cls: object) -> type[Adversary]:
    if not (isinstance(cls, type) and issubclass(cls, Adversary)):
        raise TypeError(f"{reference} is not an Adversary subclass")
    adversary_id = getattr(cls, "id", None)
    if not isinstance(adversary_id, str) or not adversary_id:
        raise TypeError(f'class {cls.__name__} declares no id (a non-empty string: id = "...")')
    games = [game_by_id(target) for target in cls.targets]
    for game in games:
        missing = [s for s in game.stages if not cls.implements_stage(s)]
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


def get_adversary(adversary_id: str, *, trusted: bool = False) -> type[Adversary]:
    """The adversary class of `adversary_id`, built in or a plugin (isolated unless `trusted`:
    mpgames.adversaries.plugins); `UsageError` naming the known ids otherwise."""
    builtin = _adversaries()
    if adversary_id in builtin:
        return builtin[adversary_id]
    plugin = plugins.find(adversary_id, _checked, builtin, trusted=trusted)
    if plugin is None:
        known = ", ".join(adversary_ids())
        raise UsageError(
            f"unknown adversary {adversary_id!r}; choose one of {known}, or path/to/file.py:ClassName"
        )
    return plugin


def adversaries_for(game_id: str) -> tuple[type[Adversary], ...]:
    """The adversaries that play the game `game_id` (`Game.targeted_by`: those of the game it is a
    variant of too): null adversaries first, then reference attacks."""
    game = get_game(game_id)
    targeting = [cls for cls in all_adversaries() if game.targeted_by(cls.targets)]
    return tuple(sorted(targeting, key=lambda cls: not cls.is_null()))


def resolve(adversary_id: str, game_id: str, *, trusted: bool = False) -> type[Adversary]:
    """The adversary `adversary_id`, which must play the game `game_id` (`UsageError` otherwise)."""
    cls = get_adversary(adversary_id, trusted=trusted)
    if not get_game(game_id).targeted_by(cls.targets):
        choices = ", ".join(a.id for a in adversaries_for(game_id)) or "none registered"
        raise UsageError(
            f"adversary {adversary_id} does not target {game_id}; adversaries for {game_id}: {choices}"
        )
    return cls
