"""A plugin file whose game lacks declarations: `Game` refuses it when it is defined, for
tests/test_game_plugins.py."""

from __future__ import annotations

from mpgames.framework.base import Game


class Incomplete(Game):
    """A game with an id and nothing else."""

    id = "test.incomplete"
