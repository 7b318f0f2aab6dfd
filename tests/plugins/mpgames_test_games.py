"""A game of an installed distribution, declared as an entry point of the group `mpgames.games` by
the fixture `installed_games` of tests/test_game_plugins.py."""

from __future__ import annotations

from mpgames.games.dl import DiscreteLog


class EntryPointDl(DiscreteLog):
    """dl under an id of its own, the name of its entry point."""

    id = "test.ep-dl"
