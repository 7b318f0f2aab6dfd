"""The attack search (docs/fuzz.md): it finds, confirms and shrinks a win that needs no algebra, and
finds nothing on the secure variants within the budget, saying what it searched."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import pytest

from mpgames import cli
from mpgames.cli import fuzz as cli_fuzz
from mpgames.cli.fuzz import text
from mpgames.framework import engine
from mpgames.framework.base import Game, Variant, budget_table, variant_table
from mpgames.framework.context import TrialContext
from mpgames.framework.oracles import Oracle
from mpgames.framework.seeds import SEEDS
from mpgames.framework.view import View
from mpgames.fuzz.plan import (
    AnswerOf,
    Attr,
    Build,
    Const,
    Missing,
    Plan,
    Seen,
    StagePlan,
    ViewField,
    evaluate,
    plan_lines,
)
from mpgames.fuzz.search import CONFIRM_TRIALS, search
from mpgames.fuzz.serial import plan_data
from mpgames.games.dl import DlView
from mpgames.games.registry import get_game
from mpgames.measure.verdicts import Kind
from mpgames.scheme import chameleon, schnorr, vouchers
from mpgames.scheme.encoding import enc
from mpgames.scheme.groups import Group, named_group
from mpgames.scheme.randomness import RandomSource
from mpgames.scheme.schnorr import PublicKey
from mpgames.vectors import SCHEMA, transcript_digest


@dataclass(frozen=True)
class Tagged:
    message: bytes
    tag: bytes


@dataclass(frozen=True)
class EchoView(View):
    group: Group
    mac: Oracle[[bytes], bytes]


class EchoAdversary(Protocol):
    def attack(self, view: EchoView, rng: RandomSource) -> Tagged: ...


class Echo(Game):
    """
    ┌──────────────────────────────────────────────────────────────┐
    │ Test game: forge a MAC tag with a tagging oracle             │
    │ Given:    O_mac(m) = MAC(k, m), 4 queries.                   │
    │ Produce:  (m*, t*).  Wins iff t* = MAC(k, m*) (and, in the   │
    │           sound variant, m* was never queried).              │
    └──────────────────────────────────────────────────────────────┘
    """

    id = "test.echo"
    title = "MAC forgery"
    kind = Kind.WIN_LOSE
    notion = "a test game for the attack search"
    source = "tests"
    variants = variant_table(
        Variant("fresh", False, "the predicate checks that m* was never queried"),
        Variant("no-freshness", True, "the predicate forgets to: a queried tag is a win"),
        Variant("buggy-oracle", False, "the tagging oracle fails on the empty message (a KeyError)"),
    )
    default_variant = "fresh"
    budgets = budget_table(mac=4)
    adversary_type = EchoAdversary

    def experiment(self, ctx: TrialContext, adversary: EchoAdversary) -> bool:
        key = ctx.rng.randbytes(32)

        def mac(message: bytes) -> bytes:
            if ctx.variant.name == "buggy-oracle" and not message:
                return {}[message]  # the challenger's bug
            return hashlib.sha256(key + message).digest()

        o_mac = ctx.oracle("mac", mac)
        forgery = ctx.play(adversary.attack, EchoView(group=ctx.group, mac=o_mac), returns=Tagged)
        return ctx.judge(self.forged, ctx.variant.name, mac, o_mac, forgery)

    @staticmethod
    def forged(
        variant: str, mac: Callable[[bytes], bytes], o_mac: Oracle[[bytes], bytes], forgery: Tagged
    ) -> bool:
        valid = forgery.tag == mac(forgery.message)
        return valid and (variant == "no-freshness" or not o_mac.queried(forgery.message))


@dataclass(frozen=True)
class DoubleOpening:
    """Two openings (m0, r0), (m1, r1) of one Krawczyk–Rabin value under `pk`."""

    pk: PublicKey
    m0: int
    r0: int
    m1: int
    r1: int


@dataclass(frozen=True)
class DoubleView(View):
    group: Group
    spent: DoubleOpening


class DoubleAdversary(Protocol):
    def attack(self, view: DoubleView, rng: RandomSource) -> DoubleOpening: ...


class KeyedExtraction(Game):
    """
    ┌──────────────────────────────────────────────────────────────┐
    │ Test game: extraction with an adversarial key (aa.extract    │
    │ with one chameleon hash instead of a tree)                   │
    │ Given:    a payer's double opening of Ch_y (a double spend). │
    │ Produce:  (y', m0, r0, m1, r1).                              │
    │ Wins iff  Ch_y'(m0; r0) = Ch_y'(m1; r1), m0 ≠ m1, and the    │
    │           key extracted from them is not the key of y'.      │
    └──────────────────────────────────────────────────────────────┘
    """

    id = "test.keyed-extraction"
    title = "extraction with an adversarial key"
    kind = Kind.WIN_LOSE
    notion = "a test game for the attack search"
    source = "tests"
    variants = variant_table(Variant("kr", False, "Krawczyk–Rabin: two openings of one value give the key"))
    default_variant = "kr"
    budgets = budget_table()
    adversary_type = DoubleAdversary

    def experiment(self, ctx: TrialContext, adversary: DoubleAdversary) -> bool:
        # The payer opens one value twice, as a double spend does; a generic search cannot make
        # openings under a key of its own, so the view hands it these to mutate.
        pk, sk = schnorr.keygen(ctx.group, ctx.rng)
        m0, r0, m1 = (ctx.group.random_scalar(ctx.rng) for _ in range(3))
        spent = DoubleOpening(pk, m0, r0, m1, chameleon.collision(sk, m0, r0, m1))
        output = ctx.play(adversary.attack, DoubleView(group=ctx.group, spent=spent), returns=DoubleOpening)
        return ctx.judge(self.escapes_extraction, ctx.group, output)

    @staticmethod
    def escapes_extraction(group: Group, out: DoubleOpening) -> bool:
        pk = schnorr.check_public_key(out.pk, group, "y'")
        if chameleon.ch(pk, out.m0, out.r0) != chameleon.ch(pk, out.m1, out.r1) or out.m0 == out.m1:
            return False
        return group.gexp(chameleon.extract_key(group, out.m0, out.r0, out.m1, out.r1)) != pk.y


def test_the_search_finds_confirms_and_shrinks_a_win_that_needs_no_algebra():
    report = search(Echo, "no-freshness", "toy", budget=300, seed="t")
    assert report.stopped == "found" and report.finding is not None
    finding = report.finding
    assert finding.confirmed == finding.of == CONFIRM_TRIALS
    # Shrunk: one query, and its answer handed back as the tag of the queried message.
    ((name, stage),) = finding.plan.stages
    assert name == "attack" and len(stage.calls) == 1
    output = stage.output
    assert isinstance(output, Build) and output.cls is Tagged and output.fields[1] == AnswerOf(0)
    assert any("answer[0] = mac(" in line for line in plan_lines(finding.plan))
    assert any("judge" in line for line in finding.trace)


def test_the_same_search_finds_nothing_when_the_predicate_is_sound():
    report = search(Echo, "fresh", "toy", budget=300, seed="t")
    assert report.finding is None and report.stopped == "budget"
    assert report.plans == 300 and report.trials >= 300 and report.kinds["AnswerOf"] > 0


def test_a_search_that_runs_out_of_plans_says_so():
    # dl's boundary is one integer output with nothing to query: fewer plans than any budget. The
    # report says the space was exhausted, not that the budget was spent.
    small = search(get_game("dl"), None, "toy", budget=5000, seed="sweep")
    assert small.finding is None and small.stopped == "exhausted" and 0 < small.plans < 5000
    spent = search(get_game("dl"), None, "toy", budget=small.plans, seed="sweep")
    assert spent.stopped == "budget"


@pytest.mark.parametrize("game_id", ["dl", "sig.euf-cma", "ch.cr", "ring.uf"])
def test_no_win_on_the_default_variant_within_a_small_budget(game_id):
    report = search(get_game(game_id), None, "toy", budget=60, seed="ci")
    assert report.finding is None
    assert report.plans > 0 and sum(report.kinds.values()) > 0


def test_fuzz_on_the_command_line(capsys):
    status = cli.main(["fuzz", "dl", "--budget", "20", "--json"])
    record = json.loads(capsys.readouterr().out)
    assert status == 0 and record["finding"] is None and record["stopped"] == "budget"
    for argv, message in (
        (["--tier", "huge"], "no tier 'huge'"),
        (["--variant", "nope"], "no variant 'nope'"),
    ):
        status = cli.main(["fuzz", "dl", *argv])
        err = capsys.readouterr().err
        assert status == 2 and message in err and err.count("\n") == 1, err
    for argv, message in ((["--budget", "0"], "positive integer"), (["--time", "-1"], "not a positive")):
        with pytest.raises(SystemExit) as exited:  # argparse's own status 2
            cli.main(["fuzz", "dl", *argv])
        err = capsys.readouterr().err
        assert exited.value.code == 2 and message in err and err.count("\n") == 1, err


def test_it_finds_a_fault_scored_as_a_loss_in_a_hidden_bit_game(monkeypatch):
    """The mutant: a fault scored as a loss. In ring.anon a plan that always faults then has
    Pr[b' = b] = 0, Adv = 1; scored as the challenger's uniform guess (the engine's rule), it has 0."""
    game = get_game("ring.anon")
    assert search(game, None, "toy", budget=40, seed="f").finding is None
    monkeypatch.setattr(engine, "score_fault", lambda game, ctx: False)
    report = search(game, None, "toy", budget=40, seed="f")
    assert report.finding is not None and report.finding.confirmed == CONFIRM_TRIALS, report


def test_a_win_is_saved_as_a_vector_that_replays_while_the_bug_lasts(capsys, monkeypatch, tmp_path):
    """A mutant that scores faults as wins: the search's win is saved with its plan, replays as a
    win under the mutant, and no longer matches once the engine is sound again (the fault is then
    scored as the challenger's guess, a step of its own)."""
    monkeypatch.setattr(engine, "score_fault", lambda game, ctx: True)
    argv = ["fuzz", "ring.anon", "--budget", "40", "--seed", "f", "--save-wins", str(tmp_path)]
    assert cli.main(argv) == 1
    (path,) = tmp_path.glob("*.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["adversary"] == "fuzz.plan" and [s["stage"] for s in data["plan"]["stages"]] == ["attack"]
    capsys.readouterr()
    assert cli.main(["replay", "--vector", str(path)]) == 0
    monkeypatch.undo()
    assert cli.main(["replay", "--vector", str(path)]) == 1
    assert "does not match the vector" in capsys.readouterr().out


def test_an_unwritable_save_wins_folder_is_refused_before_the_search(capsys, monkeypatch, tmp_path):
    monkeypatch.setattr(
        cli_fuzz, "fuzz", lambda args: pytest.fail("the search ran before its output was tried")
    )
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert cli.main(["fuzz", "dl", "--budget", "5", "--save-wins", str(blocker / "wins")]) == 2
    assert capsys.readouterr().err == (
        f"mpgames fuzz: error: cannot write the vectors folder {blocker / 'wins'}: Not a directory\n"
    )
    monkeypatch.undo()  # the opposite: a folder that can be written lets the search run
    assert cli.main(["fuzz", "dl", "--budget", "5", "--save-wins", str(tmp_path / "wins")]) == 0


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda plan: plan["stages"][0].update(calls=[{"oracle": "nope", "args": []}]), "not an oracle"),
        (
            lambda plan: plan["stages"][0].update(
                output={"kind": "Build", "cls": "os:system", "fields": [], "raw": True}
            ),
            "not a record the game's boundary carries",
        ),
        (lambda plan: plan["stages"][0].update(output={"kind": "Edge", "edge": "p^2"}), "no edge case"),
        (lambda plan: plan["stages"].append(plan["stages"][0]), "stages must be attack"),
    ],
)
def test_a_vector_whose_plan_is_not_one_of_the_game_is_one_line_and_status_2(capsys, tmp_path, edit, message):
    plan = plan_data(Plan((("attack", StagePlan((), Const(0))),)))
    edit(plan)
    vector = {
        "schema": SCHEMA, "game": "ring.anon", "variant": "aos", "adversary": "fuzz.plan", "tier": "toy",
        "group": "toy-2039", "seed": "f", "seeds": SEEDS, "trial": 0, "parameters": {}, "transcript": [],
        "transcript_digest": transcript_digest(()),
        "note": {"bugType": "WEAK_PARAMETERS", "description": "", "effect": ""}, "plan": plan,
    }  # fmt: skip
    path = tmp_path / "vector.json"
    path.write_text(json.dumps(vector), encoding="utf-8")
    status = cli.main(["replay", "--vector", str(path)])
    err = capsys.readouterr().err
    assert status == 2 and message in err and err.count("\n") == 1, err


def test_it_finds_a_comparison_of_unnormalized_values(monkeypatch):
    """The mutant: Ch(m; r) taking m and r mod q instead of refusing them outside Z_q. The
    predicate's m0 ≠ m1 then compares unnormalized values, and two integers equal mod q are a
    "collision" (with the real Ch, such an output is malformed and lost)."""
    game = get_game("ch.cr")
    assert search(game, None, "toy", budget=300, seed="m2").finding is None
    real = chameleon.ch
    monkeypatch.setattr(chameleon, "ch", lambda pk, m, r: real(pk, m % pk.group.q, r % pk.group.q))
    report = search(game, None, "toy", budget=300, seed="m2")
    assert report.finding is not None and report.finding.confirmed == CONFIRM_TRIALS, report


def test_it_finds_a_missing_membership_check(monkeypatch):
    """The mutant: membership tested as y^q ≡ 1 (mod p) alone, without 1 < y < p. A key y + p then
    passes; it opens the payer's values as y does, and the extracted key x has g^x = y ≠ y + p. With
    the full check there is no win at all: extraction from a member key is perfect."""
    assert search(KeyedExtraction, None, "toy", budget=300, seed="k").finding is None

    def power_only(self: Group, y: object) -> bool:
        return type(y) is int and pow(y, self.q, self.p) == 1

    monkeypatch.setattr(Group, "is_element", power_only)
    report = search(KeyedExtraction, None, "toy", budget=300, seed="k")
    assert report.finding is not None and report.finding.confirmed == CONFIRM_TRIALS, report
    assert "+ p)" in plan_lines(report.finding.plan)[-1]


def test_it_finds_a_channel_blind_voucher_state(monkeypatch):
    """The mutant: a Micropay 3 state signed without its cid. A voucher the oracle issued then
    vouches for the same state in any other channel, which mp.uf counts as never signed."""
    game = get_game("mp.uf")
    assert search(game, None, "toy", budget=1000, seed="d").finding is None

    def blind(state: vouchers.Mp3State) -> bytes:
        return enc(state.TAG, state.expiry, state.valid_until, state.deposit, state.index, state.paid)

    monkeypatch.setattr(vouchers.Mp3State, "to_bytes", blind)
    report = search(game, None, "toy", budget=1000, seed="d")
    assert report.finding is not None and report.finding.confirmed == CONFIRM_TRIALS, report
    assert "with cid = " in plan_lines(report.finding.plan)[-1]


def test_a_plan_that_makes_the_challenger_fail_is_a_finding_of_a_harness_bug():
    report = search(Echo, "buggy-oracle", "toy", budget=300, seed="t")
    finding = report.finding
    assert finding is not None and finding.bug is not None and "KeyError" in finding.bug, report
    # Shrunk to the output alone: the predicate tags m* = b"" with the same failing function.
    ((_, stage),) = finding.plan.stages
    assert stage.calls == () and isinstance(stage.output, Build) and stage.output.fields[0] == Const(b"")
    assert "CHALLENGER BUG" in text(report)


def test_a_plan_reads_only_the_fields_of_what_it_was_handed():
    """Methods, class attributes and private slots are no source of a plan, whatever a vector file
    names: only the fields of the view records and of the records inside them."""
    group = named_group("toy-64-20")
    seen = Seen(group, {"attack": DlView(group=group, h=group.g)}, [])
    assert evaluate(Attr(ViewField("attack", "group"), "q"), seen) == group.q
    assert evaluate(ViewField("attack", "h"), seen) == group.g
    for expr in (
        ViewField("attack", "names"),
        ViewField("attack", "__class__"),
        Attr(ViewField("attack", "group"), "__class__"),
        Attr(ViewField("attack", "group"), "check_element"),
        Attr(Attr(ViewField("attack", "group"), "q"), "real"),
    ):
        with pytest.raises(Missing):
            evaluate(expr, seen)
