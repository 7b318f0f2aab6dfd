"""Game classes a plugin file may hold, for tests/test_game_plugins.py: a game of its own and the
ones the registry refuses."""

from __future__ import annotations

from mpgames.games.dl import DiscreteLog


class DlCopy(DiscreteLog):
    """dl under an id of its own: a plugin game."""

    id = "test.dl-copy"


class DlCopyAgain(DiscreteLog):
    """Another class under the id of DlCopy."""

    id = "test.dl-copy"


class Impostor(DiscreteLog):
    """dl under dl's own id."""

    id = "dl"


class Unnamed(DiscreteLog):
    """A subclass that declares no id of its own (it would play as dl)."""


class PathId(DiscreteLog):
    """A game whose id would name a file elsewhere."""

    id = "../../escape"


class NotAGame:
    """A class with an id that is no Game."""

    id = "test.not-a-game"
