"""Isolated adversaries (docs/isolation.md): the cheats of tests/hostile/cheats.py win trusted and
lose isolated; the sandbox's walls hold; isolated runs are reproducible from their run key and play
exactly as trusted ones do against the same coins."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from mpgames.adversaries.registry import all_adversaries, get_adversary
from mpgames.framework import wire
from mpgames.framework.engine import Engine, make_spec, play_trial, run
from mpgames.framework.errors import UsageError
from mpgames.framework.isolation.host import AdversaryServer, Limits, close_servers
from mpgames.games.registry import get_game
from mpgames.games.sig_euf_cma import Forgery
from mpgames.measure.records import ISOLATED, TRUSTED
from mpgames.scheme import schnorr
from mpgames.scheme.groups import named_group
from mpgames.scheme.schnorr import Signature
from tests.hostile.cheats import SEED

CHEATS = Path(__file__).resolve().parent / "hostile" / "cheats.py"
RUN_KEY = bytes(range(32))
WINNING = ["ClosureRead", "FrameWalk", "GcScan", "ClearLog", "PatchVerify", "SeedRecompute"]


def cheat_run(name: str, *, trusted: bool) -> object:
    adversary = get_adversary(f"{CHEATS}:{name}", trusted=trusted)
    return run(get_game("sig.euf-cma"), "schnorr", adversary, "toy", max_trials=25, seed=SEED, jobs=1)


@pytest.mark.parametrize("name", WINNING)
def test_a_cheat_that_wins_trusted_loses_every_trial_isolated(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(schnorr, "verify", schnorr.verify)  # restored after the patching cheat
    trusted = cheat_run(name, trusted=True)
    assert trusted.trust == TRUSTED and trusted.estimate.wins == trusted.estimate.trials
    monkeypatch.undo()  # the challenger's own verifier again, patched in this process by PatchVerify
    isolated = cheat_run(name, trusted=False)
    assert isolated.trust == ISOLATED and isolated.run_key is not None
    assert isolated.estimate.wins == 0 and isolated.estimate.verdict.value != "broken"


def test_the_challengers_memory_is_unreadable_from_the_adversarys_process() -> None:
    result = cheat_run("ReadChallengerMemory", trusted=False)
    assert result.estimate.wins == 0
    assert set(result.lost) == {"PermissionError"}, result.lost  # never "RuntimeError": it read


def test_a_trial_cannot_write_its_server_or_the_next_trials_process() -> None:
    """Nothing carries from one trial to the next: every process of the server is non-dumpable, so a
    trial opens its own memory but not the server's, nor the spare's that plays the next trial."""
    result = cheat_run("WriteServerMemory", trusted=False)
    assert result.estimate.wins == 0
    assert set(result.lost) == {"PermissionError"}, result.lost  # never "RuntimeError": it could write


def test_a_server_takes_trials_after_it_validated_several_groups() -> None:
    """Each group it validates replaces its spare process: the announcements of the replaced ones
    are stale, and the trial takes the spare that has every group validated."""
    server = AdversaryServer(get_adversary("sig.nonce-reuse").source_reference())
    try:
        for name in ("toy-64-20", "toy-2039", "toy-64-20"):
            server.prepare(named_group(name))
        for seed in (bytes([1]) * 32, bytes([2]) * 32):  # two trials' adversary keys
            with server.trial(seed, Limits(5.0)) as trial:
                trial.built(lambda *args, **kwargs: None)
    finally:
        server.close()


@pytest.mark.parametrize("name", ["LingeringThread", "LingeringChild"])
def test_what_a_trial_leaves_behind_is_killed(name: str) -> None:
    result = cheat_run(name, trusted=False)
    assert result.estimate.trials > 0 and result.estimate.wins == 0
    close_servers()
    assert not _sandbox_processes(f"{CHEATS}:{name}")


def test_an_adversary_process_that_dies_while_loading_is_one_usage_error(tmp_path: Path) -> None:
    plugin = tmp_path / "dies.py"
    plugin.write_text("import os\nos._exit(3)\n", encoding="utf-8")
    with pytest.raises(UsageError, match="failed while loading the adversary"):
        get_adversary(f"{plugin}:Anything")


def test_a_keyboard_interrupt_of_the_adversary_is_its_trials_fault() -> None:
    result = cheat_run("RaiseKeyboardInterrupt", trusted=False)
    assert dict(result.lost) == {"KeyboardInterrupt": result.estimate.trials}


def _sandbox_processes(reference: str) -> list[int]:
    """The processes of the sandbox that load `reference` (this checkout's file: other runs on the
    machine do not count)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if b"mpgames.adversaries.sandbox" in command and reference.encode() in command:
                found.append(int(entry.name))
    return found


def test_one_and_two_jobs_give_the_same_isolated_run_for_the_same_run_key() -> None:
    game, adversary = get_game("sig.euf-cma"), get_adversary("sig.nonce-reuse")
    results = []
    for jobs in (1, 2):
        with Engine(jobs) as engine:
            results.append(
                engine.run(
                    game,
                    "schnorr-nonce-reuse",
                    adversary,
                    "toy",
                    max_trials=40,
                    seed="jobs",
                    isolated=True,
                    run_key=RUN_KEY,
                )
            )
    one, two = results
    assert one.estimate == two.estimate and one.lost == two.lost and one.run_key == RUN_KEY.hex()


def test_a_fresh_run_key_changes_the_challengers_coins_and_the_same_key_replays_them() -> None:
    game, adversary = get_game("dl"), get_adversary("dl.random-guess")
    specs = [make_spec(game, None, adversary, "toy", seed="coins", isolated=True) for _ in range(2)]
    assert specs[0].run_key != specs[1].run_key
    first = play_trial(dataclasses.replace(specs[0], tracing=True), 3)
    again = play_trial(dataclasses.replace(specs[0], tracing=True), 3)
    other = play_trial(dataclasses.replace(specs[1], tracing=True), 3)
    assert first.transcript == again.transcript
    assert first.transcript != other.transcript  # the challenge h differs


def test_every_built_in_adversary_plays_isolated_as_it_plays_trusted() -> None:
    """The boundary's codec carries every view, answer and output of every game: the same coins give
    the same outcome in both modes."""
    for adversary in all_adversaries():
        for game_id in adversary.targets:
            game = get_game(game_id)
            for variant in game.variants:
                spec = make_spec(game, variant, adversary, "toy", seed="modes", run_key=RUN_KEY)
                isolated = dataclasses.replace(spec, isolated=adversary.source_reference())
                a, b = play_trial(spec, 0), play_trial(isolated, 0)
                assert (a.won, a.output, a.error, a.queries) == (b.won, b.output, b.error, b.queries), (
                    adversary.id,
                    game_id,
                    variant,
                )


# -- the wire ------------------------------------------------------------------------------------
FORGERY = Forgery(b"m", Signature(3, 4))
ACCEPTED = wire.boundary_types(Forgery)


def test_the_wire_round_trips_the_values_of_the_boundary() -> None:
    values = [None, True, False, 0, -(2**600), 2**2048, b"", b"\x00" * 40, "é", (1, [2, b"3"]), {"k": 1}, 0.5]
    for value in values:
        assert wire.decode_untrusted(wire.encode(value), {}) == value
    decoded = wire.decode_untrusted(wire.encode(FORGERY), ACCEPTED)
    assert type(decoded) is Forgery and decoded == FORGERY
    group = named_group("toy-2039")
    assert wire.decode_public(wire.encode(group), lambda ref: ref) == group


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (wire.encode(FORGERY)[:-1], "ends early"),
        (wire.encode(FORGERY) + b"\x00", "follow the encoded value"),
        (b"Q", "unknown tag"),
        (b"I\x02" + b"\x00\x00\x00\x01\x05", "sign byte"),
        (b"U\xff\xff\xff\xff", "over the limit"),
        (b"U\x00\x00\x00\x01" * 60 + b"N", "deeper than"),
        (wire.encode(named_group("toy-2039")), "not accepted here"),
        (b"O" + wire.encode("sign")[1:] + b"N", "unknown tag"),
    ],
)
def test_the_challenger_refuses_malformed_or_unexpected_bytes(data: bytes, why: str) -> None:
    with pytest.raises(wire.WireError, match=why):
        wire.decode_untrusted(data, ACCEPTED)


def test_a_record_must_carry_its_fields_in_order() -> None:
    swapped = wire.encode(FORGERY).replace(b"message", b"massage")
    with pytest.raises(wire.WireError, match="in order"):
        wire.decode_untrusted(swapped, ACCEPTED)


def _modules_after(statement: str) -> set[str]:
    probe = f"import sys\n{statement}\nprint(' '.join(sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(done.stdout.split())


def test_the_sandbox_process_does_not_load_scipy():
    """Every fork of an adversary's server copies what it imported (docs/benchmarks.md): scipy, which
    only the challenger's interval code needs, stays out; the opposite, a module that uses it, loads it."""
    assert "scipy" not in _modules_after("import mpgames.adversaries.sandbox, mpgames.adversaries.sig")
    assert "scipy" in _modules_after(
        "from mpgames.measure.estimation import clopper_pearson; clopper_pearson(1, 2, 0.1)"
    )
