"""The `mpgames` command line: list, run, explain, replay, demo and bad input (harness §3, §6, §9, §10)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mpgames import cli
from mpgames.cli import terminal
from mpgames.games.registry import game_ids
from mpgames.reports import tables

FAST = ["--jobs", "1"]
ROOT = Path(__file__).resolve().parents[1]


def _main(capsys, *argv: str) -> tuple[int, str, str]:
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_list_names_games_variants_tiers_and_adversaries(capsys):
    status, out, _ = _main(capsys, "list")
    assert status == 0
    for text in (
        "sig.euf-cma",
        "schnorr-nonce-reuse*",
        "toy=toy-64-20",
        "sign≤16",
        "ch.kr-extract",
        "breaks:kr",
        "also breaks",
    ):
        assert text in out


def test_list_json_parses(capsys):
    status, out, _ = _main(capsys, "list", "--json")
    listing = json.loads(out)
    assert status == 0
    assert [g["id"] for g in listing["games"]] == list(game_ids())
    sig = next(g for g in listing["games"] if g["id"] == "sig.euf-cma")
    assert sig["budgets"] == {"sign": 16} and sig["tiers"]["standard"] == "rfc5114-2048-256"
    assert {"id": "dl.bsgs", "breaks_tiers": ["toy"], "also_breaks": []}.items() <= next(
        a for a in listing["adversaries"] if a["id"] == "dl.bsgs"
    ).items()
    forger = next(a for a in listing["adversaries"] if a["id"] == "sig.bsgs-forgery")
    assert forger["also_breaks"] == ["schnorr-nonce-reuse"]


def test_run_one_adversary_prints_the_table(capsys):
    status, out, _ = _main(capsys, "run", "dl", "--adversary", "dl.bsgs", *FAST)
    assert status == 0
    assert "dl.bsgs" in out and "broken" in out and "n=7" in out


def test_run_without_adversary_plays_null_and_reference_json(capsys):
    argv = ["run", "sig.euf-cma", "--variant", "schnorr-nonce-reuse", "--max-trials", "50", "--json", *FAST]
    status, out, _ = _main(capsys, *argv)
    document = json.loads(out)
    assert status == 0
    rows = {r["adversary"]: r for r in document["results"]}
    assert set(rows) == {"sig.random-forgery", "sig.nonce-reuse", "sig.bsgs-forgery"}
    assert rows["sig.nonce-reuse"]["estimate"]["verdict"] == "broken"
    assert rows["sig.bsgs-forgery"]["estimate"]["verdict"] == "broken"  # the toy key falls to BSGS
    assert rows["sig.random-forgery"]["estimate"]["verdict"] == "inconclusive"  # 50 trials are too few
    assert document["meta"]["seed"] == "0"


def test_run_out_writes_the_run_folder(capsys, tmp_path):
    folder = tmp_path / "run"
    status, _, err = _main(capsys, "run", "ch.key-exposure", "--variant", "kr", "--out", str(folder), *FAST)
    assert status == 0 and str(folder) in err
    assert {p.name for p in folder.iterdir()} >= {"summary.md", "results.json", "manifest.json"}
    assert json.loads((folder / "manifest.json").read_text())["seed"] == "0"


def test_run_plan_prints_the_trials_needed(capsys):
    status, out, _ = _main(capsys, "run", "dl", "--plan", "--max-trials", "100")
    assert status == 0 and "not enough" in out
    status, out, _ = _main(capsys, "run", "dl", "--plan", "--json")
    assert json.loads(out)["enough"] is True


def test_explain_prints_the_game_from_its_code(capsys):
    status, out, _ = _main(capsys, "explain", "sig.euf-cma")
    assert status == 0
    assert "EUF-CMA" in out and "sign: at most 16 queries" in out
    assert "def experiment" in out and "def is_forgery" in out


def test_replay_trace_matches_the_run(capsys):
    argv = ["--variant", "kr", "--adversary", "ch.kr-extract", "--seed", "7", "--trial", "2"]
    status, out, _ = _main(capsys, "replay", "ch.key-exposure", *argv, "--trace")
    assert status == 0
    assert "query collide" in out and "judge" in out and "result: won" in out
    status, out, _ = _main(capsys, "replay", "ch.key-exposure", *argv, "--json")
    outcome = json.loads(out)["outcome"]
    assert outcome["index"] == 2 and outcome["won"] is True and outcome["transcript"]


def test_demo_plays_the_default_suite(capsys):
    status, out, err = _main(capsys, "demo", "--game", "ch.key-exposure", *FAST)
    assert status == 0
    assert out.count("ch.key-exposure") == 5
    assert "5 of 5 expectations met" in err


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["run", "nope"], "unknown game 'nope'"),
        (["run", "dl", "--variant", "nope"], "no variant 'nope'"),
        (["run", "dl", "--adversary", "nope"], "unknown adversary 'nope'"),
        (["run", "dl", "--adversary", "sig.nonce-reuse"], "does not target dl"),
        (["run", "dl", "--tier", "huge"], "no tier 'huge'"),
        (["run", "dl", "--group", "toy-99"], "unknown group"),
        (["run", "dl", "--tier", "toy", "--group", "rfc5114-1024-160"], "belongs to tier"),
        (["run", "dl", "--max-trials", "0"], "not a positive integer"),
        (["run", "dl", "--jobs", "two"], "not a positive integer"),
        (["run", "dl", "--time-limit", "-1"], "not a positive number"),
        (["run", "dl", "--eps0", "1.5"], "strictly between 0 and 1"),
        (["run", "dl", "--eps0", "0.3", "--eps1", "0.2"], "must not exceed"),
        (["run", "mp.ul", "--eps1", "0.7"], "eps1 = 0.7 is not below the largest possible advantage 0.6667"),
        (["run", "dl", "--bogus"], "unrecognized arguments"),
        (["run", "dl", "--seed", ""], "argument --seed: a seed must not be empty"),
        (["run", "dl", "--seed", "\udcff"], "is not UTF-8 text"),  # the byte 0xff in argv
        (["replay", "dl", "--adversary", "dl.bsgs", "--trial", "0", "--seed", ""], "must not be empty"),
        (["demo", "--seed", ""], "argument --seed: a seed must not be empty"),
        (["reduce", "--seed", ""], "argument --seed: a seed must not be empty"),
        (["fuzz", "dl", "--seed", ""], "argument --seed: a seed must not be empty"),
        (["plot-wall", "--out", "x", "--seed", ""], "argument --seed: a seed must not be empty"),
        (["run", "dl", "--fixed", "0"], "not a positive integer"),
        (["run", "dl", "--fixed", "10", "--max-trials", "5"], "not allowed with argument --fixed"),
        (["run", "dl", "--executor", "ray"], "invalid choice"),
        (["run", "dl", "--scheduler", "tcp://127.0.0.1:8786"], "goes with --executor dask"),
        (["check", "x.toml", "--executor", "ray"], "invalid choice"),
        (["replay", "dl", "--adversary", "dl.bsgs"], "--trial"),
        (["replay", "dl", "--adversary", "dl.bsgs", "--trial", "-1"], "not a trial index"),
        (["replay", "dl", "--adversary", "dl.bsgs", "--trial", str(2**64)], "(0 to 18446744073709551615)"),
        (["replay"], "give GAME --adversary A --trial I or --vector FILE"),
        (["replay", "--adversary", "dl.bsgs", "--trial", "0"], "(missing GAME)"),
        (["replay", "dl", "--trial", "0", "--vector", "v.json"], "give it without GAME, --trial"),
        (["replay", "--tier", "toy", "--vector", "v.json"], "give it without --tier"),
        (["explain", "nope"], "unknown game"),
        (["demo", "--game", "nope"], "unknown game"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_bad_input_is_one_line_on_stderr_and_status_2(capsys, argv, fragment):
    try:
        status = cli.main(argv)
    except SystemExit as exit_:  # argparse's own errors
        status = exit_.code
    out, err = capsys.readouterr()
    assert status == 2
    assert out == ""
    assert err.count("\n") == 1 and fragment in err
    assert "Traceback" not in err


# Bytes that are not UTF-8 (0xff never starts a character), with a NUL as binary files have.
BINARY = bytes([0xFF, 0xFE, 0x00, 0x81]) * 64


@pytest.mark.parametrize(
    "argv",
    [["check", "{path}"], ["replay", "--vector", "{path}"], ["grade", "{path}", "submission.py"]],
    ids=["suite", "vector", "assignment"],
)
def test_a_binary_input_file_is_one_line_and_status_2(capsys, tmp_path, argv):
    path = tmp_path / "binary"
    path.write_bytes(BINARY)
    status, out, err = _main(capsys, *(arg.format(path=path) for arg in argv))
    assert (status, out) == (2, "")
    assert err.count("\n") == 1 and f"{path}: not UTF-8 text" in err


def test_bad_out_folder_is_a_usage_error(capsys, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    status, _, err = _main(capsys, "run", "dl", "--adversary", "dl.bsgs", "--out", str(blocker / "x"), *FAST)
    assert status == 2 and err.count("\n") == 1 and "cannot write the run folder" in err


def test_an_unwritable_output_is_refused_before_any_trial(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(cli, "_play", lambda *args: pytest.fail("run played before it checked its outputs"))
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    status, _, err = _main(capsys, "run", "dl", "--save-wins", str(blocker / "wins"), *FAST)
    assert (
        status == 2
        and err
        == f"mpgames run: error: cannot write the vectors folder {blocker / 'wins'}: Not a directory\n"
    )


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600)])
def test_result_files_have_the_mode_of_the_umask(capsys, tmp_path, umask, mode):
    previous = os.umask(umask)
    try:
        argv = ["run", "dl", "--adversary", "dl.bsgs", "--max-trials", "25", *FAST]
        status, _, _ = _main(
            capsys, *argv, "--out", str(tmp_path / "run"), "--save-wins", str(tmp_path / "wins")
        )
    finally:
        os.umask(previous)
    assert status == 0
    written = [*(tmp_path / "run").iterdir(), *(tmp_path / "wins").iterdir()]
    assert len(written) > 3 and {path.stat().st_mode & 0o777 for path in written} == {mode}


def test_unencodable_characters_fall_back_to_ascii_stand_ins():
    text = "broken ✓, ✗ contradicted, Adv ≥ 0.27, α = 0.01, ε0 — ⌊x⌋"
    assert (
        text.encode("ascii", terminal.ASCII_FALLBACK)
        == b"broken ok, x contradicted, Adv >= 0.27, alpha = 0.01, eps0 - ?x?"
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["run", "dl", "--adversary", "dl.bsgs", "--max-trials", "25"],
        ["check", "tests/suites/calibration.toml"],
    ],
    ids=["run", "check"],
)
def test_a_stdout_that_is_not_utf8_shows_the_table_with_ascii_stand_ins(argv):
    done = subprocess.run(
        [sys.executable, "-m", "mpgames", *argv, *FAST],
        env={**os.environ, "PYTHONIOENCODING": "ascii"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="ascii",
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "broken ok" in done.stdout
    table = [line for line in done.stdout.splitlines() if line.startswith("|")]
    assert len(table) > 2 and len(_column_edges(table)) == 1


def _column_edges(lines: list[str]) -> set[tuple[int, ...]]:
    """The positions of the column separators of each line of a github table (one set: aligned)."""
    return {tuple(i for i, char in enumerate(line) if char == "|") for line in lines}


def test_a_table_is_laid_out_from_ascii_cells_so_its_columns_stay_aligned():
    rows = [["broken ✓", "Adv ≥ 0.27 (α = 0.01)"], ["bounded", "Adv < 0.1"]]
    headers = ["verdict", "estimate"]
    laid_out = tables.table_text(rows, headers, ascii=True, tablefmt="github")
    assert "broken ok" in laid_out and laid_out.isascii()
    assert len(_column_edges(laid_out.splitlines())) == 1
    # The opposite: the same table laid out first and written with the stand-ins shifts its columns.
    written = tables.table_text(rows, headers, tablefmt="github").encode("ascii", terminal.ASCII_FALLBACK)
    assert len(_column_edges(written.decode("ascii").splitlines())) > 1


PRINTER = """from mpgames.adversaries.base import Adversary

class Printer(Adversary):
    id = "test.printer"
    label = "prints while it plays"
    targets = ("dl",)
    expect = "null"

    def attack(self, view, rng):
        print("a line from the adversary")
        return 0
"""


def test_what_a_trusted_adversary_prints_goes_to_stderr_not_into_the_json(capsys, tmp_path):
    path = tmp_path / "printer.py"
    path.write_text(PRINTER, encoding="utf-8")
    argv = ["run", "dl", "--adversary", f"{path}:Printer", "--trusted", "--json", "--max-trials", "25"]
    status, out, err = _main(capsys, *argv, *FAST)
    assert status == 0
    assert json.loads(out)["results"][0]["adversary"] == "test.printer"
    assert err.count("a line from the adversary") == 25


def test_the_console_module_exits_2_without_a_traceback():
    done = subprocess.run(
        [sys.executable, "-m", "mpgames", "run", "dl", "--adversary", "ch.kr-extract"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "does not target dl" in done.stderr


def test_walkthrough_narrates_detection_and_the_microcoin_payment(capsys):
    status, out, _ = _main(capsys, "walkthrough", "--seed", "3")
    assert status == 0
    assert "g^x == pk_A: True" in out and "refused: blacklisted" in out
    assert "verifies it by hashing alone" in out


def test_a_chosen_group_is_named_beside_the_tier(capsys):
    args = ("run", "dl", "--adversary", "dl.bsgs", "--max-trials", "25")
    status, out, _ = _main(capsys, *args, "--group", "toy-ec-20")
    assert status == 0 and "| toy (toy-ec-20) |" in out
    status, out, _ = _main(capsys, *args, "--group", "toy-ec-20", "--json")
    (record,) = json.loads(out)["results"]
    assert record["group"] == "toy-ec-20" and record["group_chosen"] is True
    # The opposite: the game's own group for the tier is not named, in the table or the record.
    status, out, _ = _main(capsys, *args, "--group", "toy-64-20")
    assert status == 0 and "| toy    |" in out and "toy-64-20" not in out.split("\n")[2]
    status, out, _ = _main(capsys, *args, "--json")
    assert json.loads(out)["results"][0]["group_chosen"] is False


def test_the_walkthrough_plays_on_the_blockchain_curve_and_refuses_an_unknown_group(capsys):
    status, out, _ = _main(capsys, "walkthrough", "--seed", "3", "--group", "secp256k1")
    assert status == 0 and "Group: secp256k1 (tier standard)" in out
    assert "g^x == pk_A: True" in out and "refused: blacklisted" in out
    status, _, err = _main(capsys, "walkthrough", "--group", "nope")
    assert status == 2 and "unknown group 'nope'" in err and err.count("\n") == 1


class _ClosedPipe:
    """A stdout whose reader has gone away."""

    def __init__(self, fd: int) -> None:
        self._fd = fd

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self) -> None:
        pass

    def fileno(self) -> int:
        return self._fd


def test_a_closed_stdout_ends_quietly(monkeypatch, capfd, tmp_path):
    """`mpgames list | head -1` when head has already exited: status 141, nothing on stderr."""
    with open(tmp_path / "sink", "w") as sink:
        monkeypatch.setattr(sys, "stdout", _ClosedPipe(sink.fileno()))
        assert cli.main(["list"]) == 141
    assert capfd.readouterr().err == ""
