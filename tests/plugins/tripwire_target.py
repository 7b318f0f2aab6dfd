"""An adversary whose targets name a game file, for tests/test_game_plugins.py: a target is a game
id, so the file is never imported."""

from __future__ import annotations

from pathlib import Path

from mpgames.adversaries.base import Adversary
from mpgames.games.dl import DlView
from mpgames.scheme.randomness import RandomSource


class FileTarget(Adversary):
    """Targets a file reference instead of a game id."""

    id = "test.file-target"
    label = "names a file as its target"
    targets = (f"{Path(__file__).with_name('tripwire_game.py')}:Tripwire",)
    expect = "null"

    def attack(self, view: DlView, rng: RandomSource) -> int:
        return 1
