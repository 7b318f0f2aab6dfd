"""A plugin file that must never be imported by an adversary's doing, for tests/test_game_plugins.py."""

raise RuntimeError("tripwire_game.py was imported")
