"""The game registry: game id -> Game class (harness §3, §4 "Discovery", §8 registry manifest).

Built-in games are listed as "module:Class" references, one line each, and imported on first use;
registering a new game is one line in `BUILTIN_GAMES`.

A game that is not built in is a plugin (docs/plugins.md), named where a game id is expected:

* a single file, `path/to/file.py:ClassName`; named without its class (`path/to/file.py`), the
  file's game classes are listed, read from its syntax (the file is not run);
* an entry point of the group `mpgames.games` of an installed distribution, named after the game's
  id, e.g. in its pyproject.toml

      [project.entry-points."mpgames.games"]
      "lab.cdh" = "lab_games:ComputationalDiffieHellman"

A plugin game is the challenger, trusted code: it is imported into this process (a file once per
process, by mpgames.framework.plugin_files) and played by the same engine as a built-in game, with
the same boundary checks, budgets, time limits and isolation of its adversaries. It must be a
`Game` subclass (checked when it is defined, mpgames.framework.base) and may not take a built-in
game's id. Once loaded it is also known by its id, which is how an adversary's `targets` name it
(mpgames.adversaries.registry). Whatever goes wrong while loading is a `UsageError` naming the plugin:
one line and exit status 2 on the CLI.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from types import MappingProxyType

from mpgames.framework.base import Game
from mpgames.framework.errors import UsageError
from mpgames.framework.plugin_files import (
    entry_point_reference,
    file_parts,
    is_file_reference,
    load_entry_point,
    load_file,
    load_reference,
    module_source,
    no_class_named,
)

ENTRY_POINT_GROUP = "mpgames.games"
# What a plugin game's id may hold: it names files (a win vector's) and is typed on command lines.
PLUGIN_ID = re.compile(r"[A-Za-z0-9_.+-]{1,100}")

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


# The plugin games loaded in this process, by id: each is a class of a file or an entry point, kept so
# that the id of a loaded plugin names it afterwards (an adversary's `targets`, a vector's game).
_PLUGINS: dict[str, type[Game]] = {}


def get_game(name: str) -> type[Game]:
    """The game class `name` names: a file reference "path/to/file.py:Class", or an id
    (`game_by_id`). `UsageError` for a file that cannot be loaded or whose class fails the checks."""
    parts = file_parts(name)
    if parts is None:
        return game_by_id(name)
    if not is_file_reference(name):
        raise no_class_named(*parts, "game")
    return _plugin(name, load_file)


def game_by_id(game_id: str) -> type[Game]:
    """The game of id `game_id`: a built-in game, a plugin game loaded before, or an entry point of
    the group `mpgames.games`; never a file (what an adversary names in its `targets` is an id, so it
    cannot have a file of its choosing imported into the challenger). `UsageError` naming the known
    ids otherwise."""
    builtin = _games()
    if game_id in builtin:
        return builtin[game_id]
    if game_id in _PLUGINS:
        return _PLUGINS[game_id]
    reference = entry_point_reference(ENTRY_POINT_GROUP, game_id)
    if reference is None:
        raise UsageError(
            f"unknown game {game_id!r}; choose one of {', '.join(game_ids())}, or path/to/file.py:ClassName"
        )
    cls = _plugin(reference, load_entry_point)
    if cls.id != game_id:
        raise UsageError(f"entry point {game_id!r} loads a game with id {cls.id!r}; name it so")
    return cls


def _plugin(reference: str, load: Callable[[str], object]) -> type[Game]:
    """The plugin game `reference` names, loaded by `load`, checked, and registered by its id. (A
    class that fails the checks of `Game` raised `TypeError` when it was defined, while its module
    was imported: `load` reports that as the plugin's `UsageError`.)"""
    cls = load(reference)
    if not (isinstance(cls, type) and issubclass(cls, Game)):
        raise UsageError(f"plugin {reference}: it is not a Game subclass")
    if "id" not in cls.__dict__:
        raise UsageError(f'plugin {reference}: class {cls.__name__} declares no id of its own (id = "...")')
    if not (isinstance(cls.id, str) and PLUGIN_ID.fullmatch(cls.id)):
        raise UsageError(f"plugin {reference}: its id {cls.id!r} may hold only letters, digits and _ . + -")
    if cls.id in _games():
        raise UsageError(f"plugin {reference}: id {cls.id!r} belongs to a built-in game; rename it")
    known = _PLUGINS.setdefault(cls.id, cls)
    if known is not cls:
        raise UsageError(
            f"plugin {reference}: id {cls.id!r} belongs to the game {_origin(known)} loaded before; rename it"
        )
    return cls


def _origin(cls: type[Game]) -> str:
    """Where a plugin game was loaded from: its file and class, or its module and class."""
    return f"{module_source(cls.__module__)}:{cls.__qualname__}"
