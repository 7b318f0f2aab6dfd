"""The game registry: game id -> Game class (harness §3, §4 "Discovery", §8 registry manifest).

Built-in games are listed as "module:Class" references, one line each, and imported on first use;
registering a new game is one line in `BUILTIN_GAMES`. Python entry points (group `mpgames.games`)
can later feed the same `load_reference` path.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Mapping
from types import MappingProxyType

from mpgames.framework.base import Game
from mpgames.framework.errors import UsageError

BUILTIN_GAMES: tuple[str, ...] = (
    "mpgames.games.dl:DiscreteLog",
    "mpgames.games.sig_euf_cma:SchnorrEufCma",
    "mpgames.games.rom:SchnorrEufCmaRom",
    "mpgames.games.ch_cr:ChameleonCollision",
    "mpgames.games.ch_key_exposure:ChameleonKeyExposure",
    "mpgames.games.ring_uf:RingUnforgeability",
    "mpgames.games.rom:RingUnforgeabilityRom",
    "mpgames.games.ring_anon:RingAnonymity",
    "mpgames.games.aa_secrecy:AssertionSecrecy",
    "mpgames.games.aa_extract:AssertionExtractability",
    "mpgames.games.mc_type1:MicrocoinTypeOne",
    "mpgames.games.mc_type2:MicrocoinTypeTwo",
    "mpgames.games.hash_preimage:ChainHashPreimage",
    "mpgames.games.mp_uf:VoucherUnforgeability",
    "mpgames.games.mp_ul:VoucherUnlinkability",
    "mpgames.games.mp_ds:DoubleSpendDetection",
    "mpgames.games.mp_profit:DoubleSpendProfit",
)


def load_reference(reference: str) -> object:
    """The object named by "package.module:Attribute"."""
    module_name, _, attribute = reference.partition(":")
    return getattr(importlib.import_module(module_name), attribute)


@functools.cache
def _games() -> Mapping[str, type[Game]]:
    table: dict[str, type[Game]] = {}
    for reference in BUILTIN_GAMES:
        cls = load_reference(reference)
        if not (isinstance(cls, type) and issubclass(cls, Game)):
            raise TypeError(f"{reference} is not a Game subclass")
        if cls.id in table:
            raise TypeError(f"game id {cls.id!r} is registered twice ({reference})")
        table[cls.id] = cls
    return MappingProxyType(table)


def game_ids() -> tuple[str, ...]:
    return tuple(_games())


def all_games() -> tuple[type[Game], ...]:
    return tuple(_games().values())


def get_game(game_id: str) -> type[Game]:
    """The game class of `game_id`; `UsageError` naming the known ids otherwise."""
    try:
        return _games()[game_id]
    except KeyError:
        raise UsageError(f"unknown game {game_id!r}; choose one of {', '.join(game_ids())}") from None
