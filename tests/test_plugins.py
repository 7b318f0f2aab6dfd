"""Adversary plugins: one-file references and entry points (harness §4 "Discovery";
mpgames.adversaries.plugins).

A plugin runs under the rules of a built-in adversary (view, budgets, time limit, seeded generator),
is checked like one, and appears in reports under its own id. The fixtures are in tests/plugins/.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from mpgames import cli
from mpgames.adversaries import plugins
from mpgames.adversaries.registry import get_adversary
from mpgames.framework.engine import Engine, make_spec, play_trial
from mpgames.framework.errors import UsageError
from mpgames.games.registry import get_game

ROOT = Path(__file__).resolve().parents[1]
PLUGINS = Path(__file__).resolve().parent / "plugins"
ATTACKS = PLUGINS / "student_attacks.py"


def _ref(name: str, path: Path = ATTACKS) -> str:
    return f"{path}:{name}"


def _main(capsys, *argv: str) -> tuple[int, str, str]:
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def installed(tmp_path, monkeypatch):
    """A distribution `mpgames-test-plugin` on sys.path, declaring two entry points of the group."""
    dist = tmp_path / "mpgames_test_plugin-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: mpgames-test-plugin\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(
        f"[{plugins.ENTRY_POINT_GROUP}]\n"
        "test.ep-collision = mpgames_test_plugin:EntryPointCollision\n"
        "test.misnamed = mpgames_test_plugin:Misnamed\n"
    )
    monkeypatch.syspath_prepend(str(PLUGINS))
    monkeypatch.syspath_prepend(str(tmp_path))


# -- one file ---------------------------------------------------------------------------------------


def test_a_file_plugin_runs_and_is_reported(capsys):
    status, out, _ = _main(
        capsys, "run", "dl", "--adversary", _ref("StudentBsgs"), "--max-trials", "25", "--jobs", "1"
    )
    assert status == 0
    row = next(line for line in out.splitlines() if "student.bsgs" in line)
    assert "broken" in row and "broken ✓" in row


def test_a_file_is_imported_once_and_its_class_reaches_worker_processes():
    cls = get_adversary(_ref("StudentBsgs"))
    assert get_adversary(_ref("StudentBsgs")) is cls
    game = get_game("dl")
    with Engine(jobs=2) as engine:
        parallel = engine.run(game, None, cls, "toy", max_trials=25, seed="p")
    serial = Engine(jobs=1).run(game, None, cls, "toy", max_trials=25, seed="p")
    assert parallel.estimate == serial.estimate and parallel.estimate.wins == 7


def test_a_plugin_loses_a_trial_for_one_query_over_budget_even_when_it_catches_the_refusal():
    spec = make_spec(get_game("sig.euf-cma"), None, get_adversary(_ref("GreedySigner")), "toy", seed="b")
    outcome = play_trial(spec, 0)
    assert not outcome.won and outcome.error == "BudgetExceeded"
    assert outcome.query_count("sign") == get_game("sig.euf-cma").budgets["sign"]


def test_a_plugin_that_never_returns_loses_its_trial_to_the_time_limit():
    spec = make_spec(get_game("dl"), None, get_adversary(_ref("Sleeper")), "toy", seed="t", time_limit=0.1)
    outcome = play_trial(spec, 0)
    assert not outcome.won and outcome.error == "Timeout"


def test_a_plugin_draws_its_coins_from_the_seeded_generator_of_its_trial():
    spec = make_spec(get_game("dl"), None, get_adversary(_ref("Dice")), "toy", seed="d")
    first, again, other = play_trial(spec, 3), play_trial(spec, 3), play_trial(spec, 4)
    assert first.output == again.output != other.output


@pytest.mark.parametrize(
    ("reference", "message"),
    [
        (_ref("X", PLUGINS / "missing.py"), "no such file"),
        (_ref("Nope"), "student_attacks.py defines no Nope"),
        (_ref("NotAnAdversary"), "is not an Adversary subclass"),
        (_ref("Impostor"), "id 'dl.bsgs' belongs to a built-in adversary"),
        (_ref("Stranger"), "unknown game 'no.such-game'"),
        (
            _ref("Anything", PLUGINS / "broken_plugin.py"),
            "importing it raised RuntimeError: this plugin is broken",
        ),
        (_ref("Anything", PLUGINS / "exiting_plugin.py"), "raised SystemExit: 0"),
    ],
)
@pytest.mark.parametrize("trusted", [True, False], ids=["trusted", "isolated"])
def test_a_bad_file_plugin_is_a_usage_error_naming_it(reference, message, trusted):
    with pytest.raises(UsageError, match=re.escape(message)) as raised:
        get_adversary(reference, trusted=trusted)
    assert str(raised.value).startswith("plugin ")


@pytest.mark.parametrize("trusted", [True, False], ids=["trusted", "isolated"])
def test_a_class_without_an_id_is_a_usage_error(trusted):
    with pytest.raises(UsageError, match=r"plugin .*:Nameless: .*id"):
        get_adversary(_ref("Nameless"), trusted=trusted)


def test_on_the_command_line_a_bad_plugin_is_one_line_and_status_2(capsys):
    status, out, err = _main(capsys, "run", "dl", "--adversary", _ref("Impostor"))
    assert status == cli.USAGE_ERROR and out == ""
    assert err.count("\n") == 1 and "belongs to a built-in adversary" in err


def test_a_file_named_without_its_class_lists_the_adversary_classes_it_defines(capsys):
    status, out, err = _main(capsys, "run", "dl", "--adversary", str(ATTACKS))
    assert (status, out) == (2, "") and err.count("\n") == 1
    assert f"give {ATTACKS}:Class, one of: StudentBsgs, Dice, GreedySigner, Sleeper, Impostor," in err
    assert "Nameless" not in err and "NotAnAdversary" not in err  # classes without an id
    assert "dl.random-guess" not in err  # not the built-in ids
    with pytest.raises(UsageError, match=r"^'not an id' is not a class name: give .*: StudentBsgs"):
        get_adversary(f"{ATTACKS}:not an id")


@pytest.mark.parametrize("trusted", [True, False], ids=["trusted", "isolated"])
@pytest.mark.parametrize("plugin", ["broken_plugin.py", "exiting_plugin.py"])
def test_a_file_is_read_not_run_to_list_its_classes(plugin, trusted):
    with pytest.raises(UsageError, match=f"^{plugin} defines no adversary class"):
        get_adversary(str(PLUGINS / plugin), trusted=trusted)


def test_only_a_py_path_with_a_class_name_is_a_file_reference():
    assert plugins.is_file_reference("a/b.py:Cls") and plugins.is_file_reference("b.py:Cls")
    assert not plugins.is_file_reference("dl.bsgs")
    assert not plugins.is_file_reference("b.txt:Cls") and not plugins.is_file_reference("b.py:not an id")


# -- entry points ------------------------------------------------------------------------------------


def test_an_entry_point_plugin_runs_and_is_reported(installed, capsys):
    status, out, _ = _main(
        capsys, "run", "ch.cr", "--adversary", "test.ep-collision", "--max-trials", "25", "--jobs", "1"
    )
    assert status == 0
    row = next(line for line in out.splitlines() if "test.ep-collision" in line)
    assert "broken ✓" in row


def test_without_the_distribution_the_entry_point_id_is_unknown():
    with pytest.raises(UsageError, match=re.escape("unknown adversary 'test.ep-collision'")):
        get_adversary("test.ep-collision")


def test_an_entry_point_must_be_named_after_the_id_it_loads(installed):
    with pytest.raises(UsageError, match=re.escape("loads an adversary with id 'test.misnamed-id'")):
        get_adversary("test.misnamed")


# -- plugins inside reductions, and the documented example ---------------------------------------------


def test_an_entry_point_plugin_is_an_inner_adversary_of_a_reduction(installed, capsys):
    status, out, _ = _main(
        capsys, "reduce", "cr-dl", "--inner", "test.ep-collision", "--max-trials", "10", "--json"
    )
    assert status == 0
    (row,) = json.loads(out)["reductions"]
    assert row["inner"]["adversary"] == "test.ep-collision"
    assert row["outer"]["adversary"] == "cr-dl[test.ep-collision]"
    assert row["outer"]["estimate"]["wins"] == row["inner"]["estimate"]["wins"] == 10


def _documented_example() -> str:
    text = (ROOT / "docs" / "adversaries.md").read_text(encoding="utf-8")
    return next(
        block
        for block in re.findall(r"```python\n(.*?)```", text, re.S)
        if "class BirthdayCollision" in block
    )


def test_the_documented_example_works_when_copied_into_a_new_file(tmp_path, capsys):
    path = tmp_path / "birthday.py"
    path.write_text(_documented_example(), encoding="utf-8")
    reference = f"{path}:BirthdayCollision"
    status, out, _ = _main(
        capsys, "run", "ch.cr", "--adversary", reference, "--max-trials", "25", "--jobs", "1"
    )
    assert status == 0
    assert "student.birthday-collision" in out and "broken ✓" in out
    status, out, _ = _main(capsys, "reduce", "cr-dl", "--inner", reference, "--max-trials", "10", "--json")
    (row,) = json.loads(out)["reductions"]
    assert status == 0 and row["outer"]["estimate"]["wins"] == 10


_DECLARED_ONLY = '''\
from mpgames.adversaries.base import Adversary
from mpgames.games.sig_euf_cma import EufCmaAdversary, Forgery


class DeclaredOnly(Adversary, EufCmaAdversary):
    """Subclasses the game's Protocol but defines no stage: the Protocol's declaration is no method."""

    id = "student.declared-only"
    label = "declared only"
    targets = ("sig.euf-cma",)
    expect = "null"


class Defined(DeclaredOnly):
    id = "student.defined"

    def attack(self, view, rng):
        return Forgery(b"m", view.sign(b"other"))
'''


@pytest.mark.parametrize("trusted", [True, False], ids=["trusted", "isolated"])
def test_a_protocol_stage_declared_but_not_defined_is_refused_when_loaded(tmp_path, trusted):
    path = tmp_path / "declared.py"
    path.write_text(_DECLARED_ONLY, encoding="utf-8")
    with pytest.raises(UsageError, match="lacks the stage"):
        get_adversary(f"{path}:DeclaredOnly", trusted=trusted)
    # The opposite: the same class with the stage defined loads and plays.
    defined = get_adversary(f"{path}:Defined", trusted=trusted)
    spec = make_spec(get_game("sig.euf-cma"), None, defined, "toy", seed="s", isolated=not trusted)
    assert play_trial(spec, 0).error is None
