"""The typed boundary of each game (harness §3, §4): declared views, oracles and outputs, checked by mypy.

Every game declares its adversary as a Protocol of typed stages (`Game.adversary_type`), and every
registered adversary subclasses the Protocol of the game it plays, so that `make test`'s mypy run
checks each one against its game. These tests show the declaration is complete and that mypy does
refuse an adversary that breaks it (and accepts one that keeps it).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from mypy import api

from mpgames.adversaries.registry import all_adversaries
from mpgames.cli.explain import explain
from mpgames.framework.view import View
from mpgames.games.registry import all_games, get_game

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("game", all_games(), ids=lambda g: g.id)
def test_every_stage_of_every_game_is_declared(game):
    boundary = game.boundary()
    assert tuple(boundary) == game.stages
    for stage in boundary.values():
        assert issubclass(stage.view, View) and stage.view is not View
        assert f"{stage.name}(view: {stage.view.__name__}, rng)" in explain(game)


@pytest.mark.parametrize("adversary", all_adversaries(), ids=lambda a: a.id)
def test_every_registered_adversary_is_typed_against_the_game_it_plays(adversary):
    for target in adversary.target_ids():
        # Subclassed explicitly (a Protocol's issubclass is structural, and off unless runtime-checkable).
        assert get_game(target).adversary_type in adversary.__mro__


def _mypy(tmp_path: Path, body: str) -> tuple[str, int]:
    source = tmp_path / "student.py"
    source.write_text(
        textwrap.dedent(
            """\
            from mpgames.adversaries.base import Adversary
            from mpgames.games.sig_euf_cma import EufCmaAdversary, EufCmaView, Forgery
            from mpgames.scheme.randomness import RandomSource


            class Student(Adversary, EufCmaAdversary):
                id = "student"
                label = "student"
                targets = ("sig.euf-cma",)
                expect = "null"

            """
        )
        + textwrap.indent(textwrap.dedent(body), "    ")
    )
    stdout, _, status = api.run([str(source), "--config-file", str(ROOT / "pyproject.toml")])
    return stdout, status


def test_mypy_accepts_an_adversary_that_keeps_its_games_declaration(tmp_path):
    stdout, status = _mypy(
        tmp_path,
        """\
        def attack(self, view: EufCmaView, rng: RandomSource) -> Forgery:
            signature = view.sign(b"m")
            return Forgery(b"m*", signature)
        """,
    )
    assert status == 0, stdout


@pytest.mark.parametrize(
    ("body", "error"),
    [
        # The wrong output type for the stage.
        (
            "def attack(self, view: EufCmaView, rng: RandomSource) -> int:\n    return 1\n",
            'Return type "int" of "attack" incompatible',
        ),
        # A field the view does not have (the secret key, say).
        (
            "def attack(self, view: EufCmaView, rng: RandomSource) -> Forgery:\n"
            "    return Forgery(b'm', view.sk)\n",
            '"EufCmaView" has no attribute "sk"',
        ),
        # An oracle query of the wrong argument type.
        (
            "def attack(self, view: EufCmaView, rng: RandomSource) -> Forgery:\n"
            "    return Forgery(b'm', view.sign('a str, not bytes'))\n",
            'incompatible type "str"; expected "bytes"',
        ),
    ],
    ids=["output type", "view field", "oracle argument"],
)
def test_mypy_refuses_an_adversary_that_breaks_its_games_declaration(tmp_path, body, error):
    stdout, status = _mypy(tmp_path, body)
    assert status == 1 and error in stdout, stdout
