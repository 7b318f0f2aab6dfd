"""Regression vectors (harness §6): every committed won trial in tests/vectors/wins/ replays to the same
outcome, every reference attack has one, and a vector that no longer matches is reported.

Add or refresh vectors with `mpgames run GAME --variant V --adversary A --save-wins tests/vectors/wins`
(docs/suites.md); a vector that stops replaying means the game, the attack or the transcript changed.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from mpgames import cli
from mpgames.adversaries.registry import all_adversaries
from mpgames.framework.outcome import TraceEntry
from mpgames.framework.seeds import SEEDS, SEEDS_V1
from mpgames.games.registry import get_game
from mpgames.vectors import (
    MAX_SAVED_WINS,
    SCHEMA,
    SCHEMA_V1,
    VectorError,
    WinVector,
    bug_type,
    check_vector,
    load_vector,
)

WINS = Path(__file__).parent / "vectors" / "wins"
VECTORS = sorted(WINS.glob("*.json"))


@pytest.mark.parametrize("path", VECTORS, ids=lambda p: p.stem)
def test_committed_vector_replays_to_the_same_win(path):
    vector = load_vector(path)
    assert check_vector(vector) == []
    assert path.name == vector.filename()


def test_every_reference_attack_has_a_toy_vector():
    vectors = [load_vector(path) for path in VECTORS]
    attacks = {a.id for a in all_adversaries() if not a.is_null()}
    assert {v.adversary for v in vectors if v.tier == "toy"} == attacks
    # A win against a variant flagged broken is a known weakness; against a sound variant it is a
    # generic attack (toy tier only) winning through the small group, e.g. a birthday collision.
    generic = {a.id for a in all_adversaries() if a.breaks_tiers == ("toy",)}
    for vector in vectors:
        flagged = get_game(vector.game).variants[vector.variant].broken
        assert vector.bug_type == ("KNOWN_WEAKNESS" if flagged else "WEAK_PARAMETERS"), vector.filename()
        assert flagged or vector.adversary in generic, vector.filename()
    # Each vector is a win its adversary claims (`expected_verdict`), not a lucky one.
    for vector in vectors:
        claimed = next(a for a in all_adversaries() if a.id == vector.adversary)
        assert claimed.expected_verdict(vector.variant, vector.tier) == "broken", vector.filename()


def _vector_data() -> dict:
    return json.loads(
        (WINS / "sig.euf-cma_schnorr-nonce-reuse_sig.nonce-reuse_toy_svectors_t0.json").read_text()
    )


def test_a_vector_that_no_longer_matches_says_what_moved():
    data = _vector_data()
    data["parameters"]["budgets"]["sign"] = 1  # the vector was recorded with a budget of 16
    assert check_vector(WinVector.from_dict(data)) == ["parameters changed: budgets"]

    data = _vector_data()
    data["seed"] = "another seed"  # another trial: other keys, so another transcript
    problems = check_vector(WinVector.from_dict(data))
    assert problems == [problems[0]] and problems[0].startswith(
        "transcript differs at step 1: saved 'keygen: x="
    )

    data = _vector_data()
    data["variant"] = "schnorr"  # the fix: the attack no longer wins
    problems = check_vector(WinVector.from_dict(data))
    assert problems[0] == "the trial is no longer won"


def test_vectors_are_validated_when_read(tmp_path):
    data = _vector_data()
    data["transcript"][0]["data"]["x"] = "1"  # edited by hand: the digest no longer matches
    with pytest.raises(VectorError, match="does not match the stored transcript"):
        WinVector.from_dict(data)
    for key, value, message in [
        ("schema", "v0", "schema is 'v0'"),
        ("trial", -1, "trial must be an integer in"),
        ("trial", 2**64, r"trial must be an integer in \[0, 18446744073709551615\]"),
        ("tier", "huge", "tier must be one of"),
        ("transcript_digest", "XYZ", "64 lowercase hex digits"),
        ("note", {"bugType": "BAD", "description": "", "effect": ""}, "bugType must be one of"),
        ("transcript", [{"step": 1}], "transcript step 1 must be"),
    ]:
        data = {**_vector_data(), key: value}
        with pytest.raises(VectorError, match=message):
            WinVector.from_dict(data)
    with pytest.raises(VectorError, match="missing key 'note'"):
        WinVector.from_dict({k: v for k, v in _vector_data().items() if k != "note"})
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    with pytest.raises(VectorError, match="not valid JSON"):
        load_vector(tmp_path / "bad.json")


V1_VECTOR = Path(__file__).parent / "vectors" / "wins-v1" / "dl_subgroup_dl.bsgs_toy_svectors_t0.json"


def test_a_v1_vector_replays_with_the_first_seed_derivation():
    """Saved before the seed derivation changed, it still replays: its trial is played with v1."""
    vector = load_vector(V1_VECTOR)
    assert vector.seeds == SEEDS_V1 and vector.spec().seeds == SEEDS_V1
    assert check_vector(vector) == []
    # The same trial under the current derivation is another trial: its transcript differs.
    current = dataclasses.replace(vector, seeds=SEEDS)
    assert any(problem.startswith("transcript differs at step 1") for problem in check_vector(current))
    # Written again, it is a v2 vector that keeps its derivation.
    assert WinVector.from_dict(vector.as_dict()).seeds == SEEDS_V1


def test_the_seed_derivation_of_a_vector_is_validated():
    data = _vector_data()
    assert data["schema"] == SCHEMA and data["seeds"] == SEEDS
    for value in (3, "2", True, None):
        with pytest.raises(VectorError, match="seeds must be one of 1, 2"):
            WinVector.from_dict({**data, "seeds": value})
    with pytest.raises(VectorError, match="missing key 'seeds'"):
        WinVector.from_dict({k: v for k, v in data.items() if k != "seeds"})
    with pytest.raises(VectorError, match="a v1 vector has no 'seeds' key"):
        WinVector.from_dict({**data, "schema": SCHEMA_V1})


def _replay(capsys, *argv) -> tuple[int, str, str]:
    status = cli.main(["replay", "--vector", *map(str, argv)])
    out, err = capsys.readouterr()
    return status, out, err


def test_replay_vector_prints_the_steps_and_exits_0_when_the_vector_holds(capsys):
    path = WINS / "sig.euf-cma_schnorr-nonce-reuse_sig.nonce-reuse_toy_svectors_t0.json"
    vector = load_vector(path)
    status, out, err = _replay(capsys, path)
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].startswith("sig.euf-cma variant=schnorr-nonce-reuse adversary=sig.nonce-reuse tier=toy")
    assert lines[1] == "note: KNOWN_WEAKNESS: nonce-reuse key recovery, then sign"
    assert lines[2 : 2 + len(vector.transcript)] == [
        f"  {number:2}. {entry.format()}" for number, entry in enumerate(vector.transcript, 1)
    ]
    assert lines[-1] == f"matches the vector: won, digest {vector.digest}"
    status, out, _ = _replay(capsys, path, "--json")
    assert status == 0 and json.loads(out)["problems"] == []


def test_replay_vector_exits_1_when_the_replay_differs(capsys, tmp_path):
    """A well-formed vector whose transcript and digest were altered together no longer matches."""
    vector = load_vector(WINS / "dl_subgroup_dl.bsgs_toy_svectors_t0.json")
    altered = dataclasses.replace(
        vector, transcript=(TraceEntry("challenge", (("x", "1"),)), *vector.transcript[1:])
    )
    assert altered.digest != vector.digest
    path = tmp_path / "altered.json"
    path.write_text(json.dumps(altered.as_dict()), encoding="utf-8")
    status, out, err = _replay(capsys, path)
    assert (status, err) == (1, "")
    assert f"result: won; transcript digest {vector.digest}" in out  # the replay is the committed trial
    assert "does not match the vector:\n  - transcript differs at step 1: saved 'challenge: x=1'" in out
    status, out, _ = _replay(capsys, path, "--json")
    assert status == 1 and len(json.loads(out)["problems"]) == 1


def test_replay_vector_bad_files_are_one_line_on_stderr_and_status_2(capsys, tmp_path):
    edited = _vector_data()
    edited["transcript_digest"] = "0" * 64  # the digest alone edited: the file contradicts itself
    files = {"edited.json": json.dumps(edited), "bad.json": "{", "list.json": "[]"}
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    for name, fragment in [
        ("missing.json", "cannot read the vector"),
        ("bad.json", "not valid JSON"),
        ("list.json", "must be a JSON object"),
        ("edited.json", "transcript_digest does not match the stored transcript"),
    ]:
        status, out, err = _replay(capsys, tmp_path / name)
        assert (status, out) == (2, "")
        assert err.count("\n") == 1 and fragment in err and str(tmp_path / name) in err


def test_bug_types_follow_the_variant_and_the_tier():
    sig = get_game("sig.euf-cma")
    assert bug_type(sig, "schnorr-nonce-reuse", "standard") == "KNOWN_WEAKNESS"
    assert bug_type(sig, "schnorr", "toy") == "WEAK_PARAMETERS"
    assert bug_type(sig, "schnorr", "standard") == "UNEXPECTED_WIN"


def test_run_save_wins_writes_the_first_won_trials_and_nothing_for_a_null_adversary(capsys, tmp_path):
    argv = ["run", "sig.euf-cma", "--variant", "schnorr-nonce-reuse", "--jobs", "1", "--seed", "t"]
    assert cli.main([*argv, "--max-trials", "200", "--save-wins", str(tmp_path)]) == 0
    # The two attacks that break the variant on the toy tier each write their first wins; the random
    # forger never wins.
    assert f"wrote {2 * MAX_SAVED_WINS} vector(s)" in capsys.readouterr().err
    vectors = [load_vector(path) for path in sorted(tmp_path.iterdir())]
    by_adversary: dict[str, list[int]] = {}
    for vector in vectors:
        assert vector.seed == "t"
        by_adversary.setdefault(vector.adversary, []).append(vector.trial)
    assert {name: sorted(trials) for name, trials in by_adversary.items()} == {
        "sig.nonce-reuse": list(range(MAX_SAVED_WINS)),
        "sig.bsgs-forgery": list(range(MAX_SAVED_WINS)),
    }
    assert all(check_vector(v) == [] for v in vectors)
    assert json.loads(sorted(tmp_path.iterdir())[0].read_text())["schema"] == SCHEMA


def test_run_save_wins_plays_each_trial_once(capsys, monkeypatch, tmp_path):
    sig = get_game("sig.euf-cma")
    experiment, played = sig.experiment, []

    def counted(self, ctx, adversary):
        played.append(ctx.index)
        return experiment(self, ctx, adversary)

    monkeypatch.setattr(sig, "experiment", counted)
    argv = ["run", sig.id, "--variant", "schnorr-nonce-reuse", "--adversary", "sig.nonce-reuse"]
    assert cli.main([*argv, "--jobs", "1", "--seed", "once", "--json", "--save-wins", str(tmp_path)]) == 0
    out, err = capsys.readouterr()
    trials = json.loads(out)["results"][0]["estimate"]["trials"]
    assert played == list(range(trials))  # the vectors come from the run itself, not from a replay
    assert f"wrote {MAX_SAVED_WINS} vector(s)" in err
    assert all(check_vector(load_vector(path)) == [] for path in tmp_path.iterdir())
    assert len(played) == trials + MAX_SAVED_WINS  # each check replays its trial: counting works


def test_check_save_wins_keeps_the_wins_of_attacks_not_lucky_guesses(capsys, tmp_path):
    # The suite's mp.ul-random-guess wins a third of its trials by guessing: its run is bounded.
    suite = Path(__file__).parent / "suites" / "calibration.toml"
    assert cli.main(["check", str(suite), "--jobs", "1", "--save-wins", str(tmp_path / "wins")]) == 0
    assert f"wrote {MAX_SAVED_WINS} vector(s)" in capsys.readouterr().err
    assert {load_vector(p).adversary for p in (tmp_path / "wins").iterdir()} == {"dl.bsgs"}


def test_replay_seeds_plays_a_trial_of_an_older_run(capsys):
    """`mpgames replay --seeds 1` plays the trial a run of the first derivation played: the v1
    vector's transcript, step for step."""
    vector = load_vector(V1_VECTOR)
    argv = ["replay", "dl", "--adversary", "dl.bsgs", "--trial", "0", "--seed", "vectors", "--trace"]
    assert cli.main([*argv, "--seeds", "1"]) == 0
    out = capsys.readouterr().out
    assert all(f". {entry.format()}" in out for entry in vector.transcript)
    assert cli.main(argv) == 0
    assert vector.transcript[0].format() not in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv, message",
    [
        (["dl", "--adversary", "dl.bsgs", "--trial", "0", "--seeds", "3"], "--seeds: '3' is not one of 1, 2"),
        (["--vector", str(V1_VECTOR), "--seeds", "1"], "give it without --seeds"),
    ],
)
def test_replay_refuses_a_bad_seeds_option(capsys, argv, message):
    try:
        status = cli.main(["replay", *argv])
    except SystemExit as exited:  # argparse's own refusal
        status = exited.code
    err = capsys.readouterr().err
    assert status == 2 and message in err and len(err.strip().splitlines()) == 1, err


@pytest.mark.parametrize("trusted", [True, False], ids=["trusted", "isolated"])
def test_a_win_of_a_file_adversary_replays_from_its_vector(capsys, tmp_path, trusted):
    """The vector records where the adversary came from (`source`) and how it played (a run key
    for an isolated run), so that `replay --vector` loads it and plays the same trial."""
    plugin = Path(__file__).parent / "plugins" / "student_attacks.py"
    argv = ["run", "dl", "--adversary", f"{plugin}:StudentBsgs", "--max-trials", "10", "--jobs", "1"]
    assert cli.main([*argv, "--save-wins", str(tmp_path), *(["--trusted"] if trusted else [])]) == 0
    capsys.readouterr()
    path = sorted(tmp_path.glob("*.json"))[0]
    vector = load_vector(path)
    assert vector.source is not None and vector.source.endswith("student_attacks.py:StudentBsgs")
    assert ("run_key" in vector.parameters) is not trusted
    status, out, err = _replay(capsys, path)
    assert (status, err) == (0, ""), out
    assert out.splitlines()[-1].startswith("matches the vector: won")
    # A source that now holds another adversary is refused, not replayed as if it were the same.
    data = json.loads(path.read_text(encoding="utf-8"))
    data["source"] = f"{plugin}:Dice"
    path.write_text(json.dumps(data), encoding="utf-8")
    status, _, err = _replay(capsys, path)
    assert status == 2 and "is now adversary 'student.dice', not 'student.bsgs'" in err, err
