"""Game and variant plugins (docs/plugins.md; mpgames.games.registry, mpgames.framework.plugin_files).

A game from a file or an entry point is played as a built-in game is: its adversaries isolated, on
forked workers and on Dask, its wins saved and replayed, in suites; a variant game adds a broken
variant to a built-in game, which the game's own adversaries play too. The worked example of
docs/plugins.md is copied to a temporary folder and its commands are run as documented. Fixtures
of bad plugins are in tests/plugins/.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mpgames import cli
from mpgames.adversaries.registry import adversaries_for, get_adversary, resolve
from mpgames.framework import engine as engine_module
from mpgames.framework.base import Variant
from mpgames.framework.engine import Engine, make_spec, play_trial
from mpgames.framework.errors import UsageError
from mpgames.framework.isolation.host import close_servers
from mpgames.framework.plugin_files import module_name, module_source
from mpgames.games.dl import DiscreteLog
from mpgames.games.registry import ENTRY_POINT_GROUP, game_by_id, get_game
from mpgames.games.rom import EufCmaRomAdversary
from mpgames.games.sig_euf_cma import SchnorrEufCma
from mpgames.games.variants import extended_variants
from mpgames.measure.verdicts import Kind
from mpgames.vectors import load_vector

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "plugins.md"
EXAMPLES = ROOT / "docs" / "examples" / "plugins"
PLUGINS = Path(__file__).resolve().parent / "plugins"
CDH = f"{EXAMPLES / 'cdh_game.py'}:ComputationalDiffieHellman"
CDH_ATTACK = f"{EXAMPLES / 'cdh_attack.py'}:ExponentSearch"
SHORT_NONCE = f"{EXAMPLES / 'short_nonce.py'}:ShortNonceEufCma"
NONCE_SEARCH = f"{EXAMPLES / 'short_nonce_attack.py'}:NonceSearch"
GAMES = PLUGINS / "game_plugins.py"
KEY = ["--run-key", "00" * 32]


def _main(capsys, *argv: str) -> tuple[int, str, str]:
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def _verdict(out: str, game_id: str) -> str:
    """The verdict of the one row of `game_id` in a run's table."""
    rows = [line for line in out.splitlines() if line.startswith(f"| {game_id} ")]
    assert len(rows) == 1, out
    return [cell.strip() for cell in rows[0].strip("|").split("|")][6]


# -- the worked example of docs/plugins.md, as documented -------------------------------------------


def _documented_commands() -> list[tuple[list[str], str | None]]:
    """The `mpgames` lines of the page's sh blocks: (argv, the verdict its comment names or None)."""
    blocks = "\n".join(re.findall(r"```sh\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S))
    found = []
    for line in blocks.splitlines():
        command, _, comment = line.partition("#")
        words = shlex.split(command)
        if words and words[0] == "mpgames":
            found.append((words[1:], comment.strip() or None))
    return found


def test_the_documented_commands_give_the_documented_verdicts(tmp_path):
    """Each command in a process of its own, as a user runs it, in a folder holding copies of the
    example files (a process knows one game by each id: these copies are not the committed files)."""
    for example in EXAMPLES.glob("*.py"):
        shutil.copy(example, tmp_path)
    commands = _documented_commands()
    verdicts = [verdict for _, verdict in commands]
    assert verdicts.count("broken") == verdicts.count("bounded") == 3
    for argv, verdict in commands:
        # One job; a student's adversary is isolated and plays against secret coins: those of the
        # all-zero run key, so that the rows are always the same.
        file_adversary = "--adversary" in argv and ".py:" in argv[argv.index("--adversary") + 1]
        extra = [*(["--jobs", "1"] if argv[0] == "run" else []), *(KEY if file_adversary else [])]
        done = subprocess.run(
            [sys.executable, "-m", "mpgames", *argv, *extra],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert (done.returncode, done.stderr) == (0, ""), (argv, done.stderr)
        if verdict is not None:
            game_id = "lab.cdh" if argv[1].startswith("cdh_game.py") else "sig.euf-cma+short-nonce"
            assert _verdict(done.stdout, game_id) == verdict, (argv, done.stdout)
        if "short_nonce_attack.py:NonceSearch" in argv:
            assert "isolated: lab.nonce-search ran in processes of its own" in done.stdout


def test_the_page_shows_the_example_files_as_committed():
    code = "\n".join(path.read_text(encoding="utf-8") for path in EXAMPLES.glob("*.py"))
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    lines = [line for block in blocks for line in block.splitlines() if line.strip() and "..." not in line]
    assert len(lines) >= 30
    assert [line for line in lines if line not in code] == []


def test_a_file_named_without_its_class_lists_its_game_classes(capsys):
    status, out, err = _main(capsys, "run", str(GAMES))
    assert (status, out) == (2, "") and err.count("\n") == 1
    assert f"give {GAMES}:Class, one of: DlCopy, DlCopyAgain, Impostor, PathId, NotAGame" in err
    assert "Unnamed" not in err  # no id of its own
    status, _, err = _main(capsys, "run", str(PLUGINS / "exiting_plugin.py"))  # read, not run
    assert status == 2 and "exiting_plugin.py defines no game class" in err


# -- loading failures: one line, exit status 2 ------------------------------------------------------


@pytest.mark.parametrize(
    ("reference", "message"),
    [
        (f"{PLUGINS / 'missing.py'}:X", "no such file"),
        (f"{GAMES}:Nope", "game_plugins.py defines no Nope"),
        (f"{PLUGINS / 'broken_plugin.py'}:X", "importing it raised RuntimeError: this plugin is broken"),
        (f"{PLUGINS / 'exiting_plugin.py'}:X", "importing it raised SystemExit: 0"),
        (f"{GAMES}:NotAGame", "it is not a Game subclass"),
        (f"{PLUGINS / 'student_attacks.py'}:StudentBsgs", "it is not a Game subclass"),
        (
            f"{PLUGINS / 'malformed_game.py'}:Incomplete",
            "importing it raised TypeError: game test.incomplete: missing class attribute(s) title, kind",
        ),
        (f"{GAMES}:Impostor", "id 'dl' belongs to a built-in game; rename it"),
        (f"{GAMES}:Unnamed", "class Unnamed declares no id of its own"),
        (f"{GAMES}:PathId", "its id '../../escape' may hold only letters, digits and _ . + -"),
    ],
)
@pytest.mark.parametrize("command", ["run", "explain", "fuzz"])
def test_a_game_that_cannot_be_loaded_is_one_line_and_status_2(capsys, reference, message, command):
    status, out, err = _main(capsys, command, reference)
    assert (status, out) == (cli.USAGE_ERROR, "")
    file = reference.rpartition(":")[0]
    assert err.count("\n") == 1 and message in err and f"plugin {file}" in err, err


def test_two_plugin_games_may_not_share_an_id():
    first = get_game(f"{GAMES}:DlCopy")
    assert get_game(f"{GAMES}:DlCopy") is first and get_game("test.dl-copy") is first
    clash = r"id 'test.dl-copy' belongs to the game .*/game_plugins\.py:DlCopy loaded before"
    with pytest.raises(UsageError, match=clash):
        get_game(f"{GAMES}:DlCopyAgain")


def test_a_plugin_game_is_searched_as_a_built_in_one(capsys):
    status, out, err = _main(capsys, "fuzz", CDH, "--variant", "short-exponent", "--budget", "5")
    assert (status, err) == (0, "") and "searched 5 plans" in out


def test_an_unknown_game_names_the_plugin_forms():
    with pytest.raises(UsageError, match=r"unknown game 'no.such'; choose one of dl, .*path/to/file.py"):
        get_game("no.such")


@pytest.mark.parametrize("trusted", [True, False], ids=["trusted", "isolated"])
def test_an_adversary_cannot_have_a_file_imported_by_naming_it_as_its_target(trusted):
    """A target is an id: the file an adversary names there is never imported into the challenger
    (tripwire_game.py raises if it is); the same text as a game on the command line loads it."""
    with pytest.raises(UsageError, match=r"unknown game '.*tripwire_game.py:Tripwire'"):
        get_adversary(f"{PLUGINS / 'tripwire_target.py'}:FileTarget", trusted=trusted)
    assert module_name((PLUGINS / "tripwire_game.py").resolve()) not in sys.modules
    with pytest.raises(UsageError, match=r"tripwire_game\.py was imported"):
        get_game(f"{PLUGINS / 'tripwire_game.py'}:Tripwire")


# -- entry points -----------------------------------------------------------------------------------


@pytest.fixture
def installed_games(tmp_path, monkeypatch):
    """A distribution on sys.path declaring two entry points of the group `mpgames.games`."""
    dist = tmp_path / "mpgames_test_games-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: mpgames-test-games\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(
        f"[{ENTRY_POINT_GROUP}]\n"
        "test.ep-dl = mpgames_test_games:EntryPointDl\n"
        "test.ep-misnamed = mpgames_test_games:EntryPointDl\n"
    )
    monkeypatch.syspath_prepend(str(PLUGINS))
    monkeypatch.syspath_prepend(str(tmp_path))


def test_an_entry_point_names_a_game_by_its_id(installed_games, capsys):
    game = game_by_id("test.ep-dl")  # as an adversary's target names it
    assert game.id == "test.ep-dl" and game.__module__ == "mpgames_test_games"
    assert get_game("test.ep-dl") is game
    status, out, _ = _main(capsys, "list", "--json", "--game", "test.ep-dl")
    assert status == 0 and "test.ep-dl" in [g["id"] for g in json.loads(out)["games"]]
    status, out, err = _main(capsys, "explain", "test.ep-misnamed")
    assert (status, out) == (2, "") and err.count("\n") == 1
    assert "entry point 'test.ep-misnamed' loads a game with id 'test.ep-dl'; name it so" in err


# -- a variant game ---------------------------------------------------------------------------------


def test_a_variant_game_is_played_by_the_adversaries_of_its_game_and_by_its_own():
    game = get_game(SHORT_NONCE)
    assert game.played_as() == ("sig.euf-cma+short-nonce", "sig.euf-cma")
    assert list(game.variants) == ["schnorr", "schnorr-nonce-reuse", "short-nonce"]
    assert game.variant("short-nonce").broken and not game.variant("schnorr").broken
    ids = [a.id for a in adversaries_for(game.id)]
    assert ids == [a.id for a in adversaries_for("sig.euf-cma")] and "sig.nonce-reuse" in ids
    assert resolve(NONCE_SEARCH, game.id).id == "lab.nonce-search"
    # The opposite: its own attack does not play the game it extends, nor the ROM subclass's
    # adversaries the variant game.
    with pytest.raises(UsageError, match=r"does not target sig\.euf-cma;"):
        resolve(NONCE_SEARCH, "sig.euf-cma")
    with pytest.raises(UsageError, match=re.escape("does not target sig.euf-cma+short-nonce")):
        resolve("sig.rom-random-forgery", game.id)


def _variant_game(**declared: object) -> type:
    body = {
        "__doc__": "A variant game under test.",
        "id": "test.variant",
        "variant_of": "sig.euf-cma",
        "variants": extended_variants(SchnorrEufCma, Variant("weak", broken=True, description="weak")),
        **declared,
    }
    return type("VariantUnderTest", (SchnorrEufCma,), body)


def test_a_well_formed_variant_game_passes_its_checks():
    assert _variant_game().played_as() == ("test.variant", "sig.euf-cma")


@pytest.mark.parametrize(
    ("declared", "message"),
    [
        ({"variant_of": "dl"}, "variant_of = 'dl' names none of its base classes"),
        ({"id": "sig.euf-cma"}, "a variant game takes an id of its own"),
        ({"budgets": {"sign": 17}}, "keeps its budgets"),
        ({"kind": Kind.HIDDEN_BIT}, "keeps its kind"),
        ({"adversary_type": EufCmaRomAdversary}, "keeps its adversary_type"),
        ({"variants": SchnorrEufCma.variants}, "adds a variant to it"),
        (
            {
                "variants": extended_variants(DiscreteLog, Variant("weak", broken=True, description="w")),
                "default_variant": "weak",
            },
            "keeps its variant(s) schnorr, schnorr-nonce-reuse",
        ),
    ],
)
def test_a_variant_game_that_changes_its_game_is_refused_when_defined(declared, message):
    with pytest.raises(TypeError, match=re.escape(message)):
        _variant_game(**declared)


def test_a_new_variant_may_not_take_a_name_of_the_game():
    with pytest.raises(TypeError, match="the variant name\\(s\\) schnorr are taken"):
        extended_variants(SchnorrEufCma, Variant("schnorr", broken=True, description="again"))


def test_the_hook_plays_the_game_s_own_variants_as_the_game_does():
    """The variant game's honest and nonce-reuse variants play exactly as sig.euf-cma's: the same
    trial, move for move, but for the game id in the seed (so the same seed path is forced here)."""
    game, adversary = get_game(SHORT_NONCE), get_adversary("sig.nonce-reuse")
    for variant, won in (("schnorr-nonce-reuse", True), ("schnorr", False)):
        outcomes = [
            play_trial(make_spec(cls, variant, adversary, "toy", seed="hook", tracing=True), 0)
            for cls in (game, SchnorrEufCma)
        ]
        assert [o.won for o in outcomes] == [won, won]
        assert [entry.step for entry in outcomes[0].transcript] == [e.step for e in outcomes[1].transcript]


# -- isolation, workers, Dask -----------------------------------------------------------------------


def test_the_adversary_s_process_imports_the_game_file_to_read_its_views(monkeypatch):
    """An isolated adversary decodes the game's view records by their module's name, which only the
    game's file gives: the sandbox imports the file (`module_source`). Named by its module alone, the
    game cannot be read there, and every trial is lost as a fault."""
    game, attack = get_game(CDH), get_adversary(CDH_ATTACK)
    assert module_source(game.__module__) == str(EXAMPLES / "cdh_game.py")
    options = {"max_trials": 20, "seed": "iso", "run_key": bytes(32)}
    with Engine(1) as engine:
        result = engine.run(game, "short-exponent", attack, "toy", **options)
    assert result.trust == "isolated" and result.estimate.verdict.value == "broken"
    close_servers()  # a fresh adversary's process, which has not imported the file yet
    monkeypatch.setattr(engine_module, "module_source", lambda name: name)
    with Engine(1) as engine:
        unread = engine.run(game, "short-exponent", attack, "toy", **options)
    assert unread.estimate.wins == 0 and sum(unread.lost.values()) == unread.estimate.trials


def test_a_file_game_plays_on_forked_workers_as_on_one_job():
    game, attack = get_game(CDH), get_adversary(CDH_ATTACK, trusted=True)
    with Engine(2) as engine:
        parallel = engine.run(game, "short-exponent", attack, "toy", max_trials=30, seed="w")
    serial = Engine(1).run(game, "short-exponent", attack, "toy", max_trials=30, seed="w")
    assert parallel.estimate == serial.estimate and parallel.estimate.wins > 0


@pytest.mark.parametrize("trusted", [True, False], ids=["trusted", "isolated"])
def test_a_file_game_plays_on_dask_workers_as_on_one_job(trusted):
    game, attack = get_game(SHORT_NONCE), get_adversary(NONCE_SEARCH, trusted=trusted)
    options = {"max_trials": 30, "seed": "dask", **({} if trusted else {"run_key": bytes(range(32))})}
    seen: list = []
    with Engine(2, executor="dask") as engine:
        result = engine.run(game, "short-nonce", attack, "toy", on_outcome=seen.append, **options)
    expected: list = []
    with Engine(1) as engine:
        reference = engine.run(game, "short-nonce", attack, "toy", on_outcome=expected.append, **options)
    assert [o.comparable() for o in seen] == [o.comparable() for o in expected]
    assert result.estimate == reference.estimate and result.estimate.wins > 0 and not result.lost


# -- the other commands -----------------------------------------------------------------------------


def test_a_win_against_a_file_game_replays_from_its_vector(capsys, tmp_path):
    argv = ["run", SHORT_NONCE, "--variant", "short-nonce", "--adversary", NONCE_SEARCH, "--jobs", "1", *KEY]
    assert cli.main([*argv, "--max-trials", "10", "--save-wins", str(tmp_path)]) == 0
    capsys.readouterr()
    path = sorted(tmp_path.glob("*.json"))[0]
    assert load_vector(path).game_source == str(EXAMPLES / "short_nonce.py") + ":ShortNonceEufCma"
    status, out, err = _main(capsys, "replay", "--vector", str(path))
    assert (status, err) == (0, "") and out.splitlines()[-1].startswith("matches the vector: won")
    # The opposite: a game_source that now holds another game is refused, not replayed as this one.
    data = json.loads(path.read_text(encoding="utf-8"))
    data["game_source"] = CDH
    path.write_text(json.dumps(data), encoding="utf-8")
    status, _, err = _main(capsys, "replay", "--vector", str(path))
    assert status == 2 and "is now game 'lab.cdh', not 'sig.euf-cma+short-nonce'" in err, err


def test_replay_plays_one_trial_of_a_file_game(capsys):
    status, out, err = _main(
        capsys, "replay", CDH, "--variant", "short-exponent", "--adversary", CDH_ATTACK, "--trial", "0", *KEY
    )
    assert (status, err) == (0, "") and "lab.cdh" in out and "won" in out


def test_a_suite_names_a_game_file_relative_to_its_folder(capsys, tmp_path):
    """The built-in nonce-reuse forger against two variants of the variant game, named by a path
    relative to the suite file (the forger is built in, so the suite's seed fixes every trial)."""
    game = os.path.relpath(EXAMPLES / "short_nonce.py", tmp_path)
    entries = "".join(
        f'[[entry]]\ngame = "{game}:ShortNonceEufCma"\nvariant = "{variant}"\n'
        f'adversary = "sig.nonce-reuse"\ntier = "toy"\nexpect = "{expect}"\n\n'
        for variant, expect in (("schnorr-nonce-reuse", "broken"), ("short-nonce", "bounded"))
    )
    suite = tmp_path / "lab.toml"
    suite.write_text(f'seed = "lab"\nalpha = 0.05\n\n{entries}', encoding="utf-8")
    status, out, err = _main(capsys, "check", str(suite), "--jobs", "1")
    assert status == 0 and "2 passed, 0 failed" in err and err.endswith("PASS\n"), out
    assert out.count("sig.euf-cma+short-nonce") == 2
    # The forger's declaration knows nothing of short-nonce: the row shows the suite's claim, judged.
    assert "bounded ✓" in out.splitlines()[3] and "short-nonce" in out.splitlines()[3]
    # The opposite, twice: the suite's own claim that it breaks short-nonce is measured, and fails...
    text = suite.read_text(encoding="utf-8")
    null = f'[[entry]]\ngame = "{game}:ShortNonceEufCma"\nadversary = "sig.random-forgery"\ntier = "toy"\n'
    suite.write_text(text.replace('"bounded"', '"broken"') + null + 'expect = "bounded"\n', encoding="utf-8")
    status, out, err = _main(capsys, "check", str(suite), "--jobs", "1")
    assert status == 1 and "broken ✗ contradicted" in out, out
    # ...while a claim against a variant it was declared for, contradicting the registry, is refused
    # before anything runs.
    suite.write_text(text.replace('"broken"', '"bounded"'), encoding="utf-8")
    status, _, err = _main(capsys, "check", str(suite), "--jobs", "1")
    assert status == 2 and "contradicts the registry" in err


def test_check_keeps_the_entries_of_a_game_file_by_the_id_it_declares(capsys, tmp_path):
    """`--game ID` names a game the suite loads from a file, whose id this process does not know
    before the suite is read."""
    (tmp_path / "suite_game.py").write_text(
        "from mpgames.framework.base import Variant\n"
        "from mpgames.games.dl import DiscreteLog\n"
        "from mpgames.games.variants import extended_variants\n\n\n"
        "class SuiteDl(DiscreteLog):\n"
        '    """dl with one more variant, under an id only this suite names."""\n\n'
        '    id = "test.suite-dl"\n'
        '    variant_of = "dl"\n'
        '    variants = extended_variants(DiscreteLog, Variant("again", broken=False, description="dl"))\n',
        encoding="utf-8",
    )
    entries = "".join(
        f'[[entry]]\ngame = "suite_game.py:SuiteDl"\nadversary = "{adversary}"\ntier = "toy"\n'
        f'expect = "{expect}"\n\n'
        for adversary, expect in (("dl.bsgs", "broken"), ("dl.random-guess", "bounded"))
    )
    suite = tmp_path / "dl.toml"
    suite.write_text(f'seed = "dl"\nalpha = 0.05\n\n{entries}', encoding="utf-8")
    with pytest.raises(UsageError, match=r"unknown game 'test\.suite-dl'"):
        get_game("test.suite-dl")
    status, out, err = _main(capsys, "check", str(suite), "--jobs", "1", "--game", "test.suite-dl")
    assert status == 0 and "2 passed, 0 failed" in err, out
    status, _, err = _main(capsys, "check", str(suite), "--jobs", "1", "--game", "dl")
    assert status == 2 and "no entry plays dl" in err


def test_list_shows_a_plugin_game_with_the_adversaries_that_play_it(capsys):
    status, out, _ = _main(capsys, "list", "--json", "--game", SHORT_NONCE, "--game", CDH)
    assert status == 0
    games = {game["id"]: game for game in json.loads(out)["games"]}
    assert "sig.nonce-reuse" in games["sig.euf-cma+short-nonce"]["adversaries"]
    assert games["lab.cdh"]["adversaries"] == []  # its attack is a file, not registered
    assert [v["name"] for v in games["lab.cdh"]["variants"]] == ["uniform", "short-exponent"]
    status, out, _ = _main(capsys, "list", "--json")
    assert "lab.cdh" not in [game["id"] for game in json.loads(out)["games"]]


def test_the_pytest_fixture_takes_a_game_reference(mpgames_run):
    broken = mpgames_run(CDH, CDH_ATTACK, variant="short-exponent", max_trials=20)
    assert broken.estimate.verdict.value == "broken"


def test_an_assignment_grades_a_submission_against_its_own_variant_game(capsys, tmp_path):
    """The usual assignment: a broken variant in a file next to the assignment, attacked by a
    student's class, which passes against the broken variant and fails against the honest one."""
    game = os.path.relpath(EXAMPLES / "short_nonce.py", tmp_path)  # read from the assignment's folder
    submission = tmp_path / "student.py"
    shutil.copy(EXAMPLES / "short_nonce_attack.py", submission)
    tasks = "".join(
        f'[[task]]\nname = "{variant}"\nclass = "NonceSearch"\ngame = "{game}:ShortNonceEufCma"\n'
        f'variant = "{variant}"\ntier = "toy"\npoints = 10\n\n'
        for variant in ("short-nonce", "schnorr")
    )
    assignment = tmp_path / "assignment.toml"
    assignment.write_text(f'seed = "lab"\nmax_trials = 200\n\n{tasks}', encoding="utf-8")
    out_dir = tmp_path / "grades"
    status = cli.main(["grade", str(assignment), str(submission), "--out", str(out_dir), "--jobs", "1"])
    capsys.readouterr()
    assert status == 0
    graded = json.loads((out_dir / "grades.json").read_text(encoding="utf-8"))["submissions"][0]["tasks"]
    assert {task["task"]: task["status"] for task in graded} == {"short-nonce": "passed", "schnorr": "failed"}


def test_an_adversary_claims_nothing_about_a_variant_added_after_it_was_declared(capsys):
    get_game(SHORT_NONCE)
    generic = get_adversary("sig.bsgs-forgery")  # breaks every signer of the toy tier, by its key
    assert generic.expected_verdict("schnorr", "toy") == "broken"
    assert generic.expected_verdict("short-nonce", "toy") is None  # a variant it never heard of
    assert get_adversary("sig.nonce-reuse").expected_verdict("schnorr", "toy") == "bounded"
    assert get_adversary("sig.random-forgery").expected_verdict("short-nonce", "toy") == "bounded"  # null
    status, out, _ = _main(capsys, "run", SHORT_NONCE, "--variant", "short-nonce", "--jobs", "1")
    rows = {line.split("|")[3].strip(): line for line in out.splitlines() if "short-nonce" in line}
    assert status == 0 and "contradicted" not in out
    assert "broken" in rows["sig.bsgs-forgery"] and "| —" in rows["sig.bsgs-forgery"]
    assert "bounded ✓" in rows["sig.random-forgery"]
