"""Reductions and their tightness runner (harness §5; reductions/).

Each reduction, around its reference inner adversary on the toy tier, solves its outer game at the
rate its declared relation predicts; around the null inner adversary it is a null solver. Mutated
reductions (a wrong extraction, a fork without fresh answers) are reported as violating their
relation, so the check can fail. The simulation's building blocks are tested on their own.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, note
from hypothesis import strategies as st

from mpgames import cli
from mpgames.adversaries.assertions import leaf_collision, leaf_message
from mpgames.adversaries.base import Adversary
from mpgames.adversaries.hash import RandomPreimage
from mpgames.adversaries.microcoin import BsgsMint
from mpgames.adversaries.micropay import LeafCollisionDoubleSpend
from mpgames.adversaries.registry import get_adversary
from mpgames.adversaries.rom import RomBsgsForgery
from mpgames.framework.engine import make_spec, play_trial
from mpgames.framework.errors import UsageError
from mpgames.games.ch_cr import ChameleonCollision
from mpgames.games.hash_preimage import ChainHashPreimage
from mpgames.games.mp_ds import DoubleSpendDetection
from mpgames.games.ring_uf import RingForgery
from mpgames.games.rings import RING_SIZE
from mpgames.games.rom import SIG_HASH_BUDGET, RingUnforgeabilityRom, SchnorrEufCmaRom
from mpgames.games.sig_euf_cma import SchnorrEufCma
from mpgames.measure.estimation import clopper_pearson, estimate
from mpgames.measure.verdicts import Thresholds
from mpgames.reductions.base import BoundParameters, Reduction
from mpgames.reductions.collision import CollisionToDl
from mpgames.reductions.forking import Forking, SchnorrForking, ring_hinge
from mpgames.reductions.oracle import RandomOracle, simulated_ring_signature, simulated_schnorr
from mpgames.reductions.registry import all_reductions, get_reduction, inner_adversary
from mpgames.reductions.runner import Relation, judge_relation, tightness
from mpgames.scheme import ring, schnorr
from mpgames.scheme.groups import named_group
from mpgames.scheme.randomness import SeededRandom
from mpgames.scheme.ring import canonical_ring

TOY = named_group("toy-64-20")
ROOT = Path(__file__).resolve().parents[1]


def _reference(name: str) -> type:
    return get_reduction(name).inner_adversaries[0]


def _null(reduction: type[Reduction]) -> type:
    return next(inner for inner in reduction.inner_adversaries if inner.is_null())


# -- each reduction around its reference attack ---------------------------------------------------------


@pytest.mark.parametrize(("name", "trials"), [("cr-dl", 40), ("mc0-dl", 40), ("ds-extract", 25)])
def test_a_tight_reduction_wins_whenever_its_reference_attack_does(name, trials):
    row = tightness(get_reduction(name), _reference(name), trials=trials, seed="r")
    # The generic attack works on the toy tier, alone and inside the reduction (which plays it on
    # coins of its own): always for the BSGS ones, ds-extract's birthday search with probability
    # about 1 − e^−6 (mpgames.adversaries.micropay).
    wins = row.outer.estimate.wins
    assert min(row.inner.estimate.wins, wins) >= trials - 1
    assert row.status is Relation.NOT_CONTRADICTED  # tight: sampling cannot confirm it with margin
    assert row.outer.lost_total == 0
    # A reduction plays a fixed number of trials: its intervals are exact Clopper–Pearson ones.
    exact = clopper_pearson(wins, trials, row.outer.estimate.thresholds.alpha)
    assert row.outer.estimate.method == "exact" and row.outer.estimate.interval.lower == exact.lower


@pytest.mark.parametrize("name", ["cr-dl", "ring-dl", "ds-extract"])
def test_a_reduction_plays_on_a_toy_curve_as_on_a_toy_group(name):
    row = tightness(get_reduction(name), _reference(name), trials=25, seed="r", group_name="toy-ec-20")
    assert row.inner.group == row.outer.group == "toy-ec-20"
    assert row.inner.estimate.wins == 25 and row.outer.estimate.wins > 0
    assert row.status is not Relation.VIOLATED and row.outer.lost_total == row.inner.lost_total == 0


def test_a_group_of_another_tier_is_refused():
    with pytest.raises(UsageError, match="belongs to tier 'standard'"):
        tightness(get_reduction("cr-dl"), _reference("cr-dl"), "toy", trials=5, group_name="secp256k1")


def test_the_schnorr_fork_succeeds_at_the_worst_case_rate_the_forking_lemma_allows():
    """The reference forger selects its forgery by the hash answers: a rerun keeps it with prob. 1/q_H."""
    row = tightness(get_reduction("sig-dl"), RomBsgsForgery, trials=200, seed="r")
    assert row.inner.estimate.wins == 200 and row.max_queries == {"sign": 0, "H": SIG_HASH_BUDGET}
    # The declared bound at ε = 1: 1·(1/Q − 1/q) with Q = q_H + 1.
    assert row.bound == pytest.approx(1 / (SIG_HASH_BUDGET + 1) - 1 / TOY.q)
    measured = row.outer.estimate.interval
    assert measured.lower <= 1 / SIG_HASH_BUDGET <= measured.upper
    assert row.status is not Relation.VIOLATED and measured.upper < 0.5  # the loss is real


def test_the_ring_fork_extracts_from_an_honestly_signing_forger_almost_every_time():
    """The forger always forges; a fork fails where the rerun's fresh answers make it hinge on
    another query, or repeat the first answer (about 1 % of the trials on toy-2039)."""
    row = tightness(get_reduction("ring-dl"), _reference("ring-dl"), trials=40, seed="r")
    assert row.inner.estimate.wins == 40
    assert 38 <= row.outer.estimate.wins <= 40
    assert row.inner.group == row.outer.group == "toy-2039"  # both runs over the ring games' toy group
    assert row.bound == pytest.approx(1 / (RING_SIZE + RING_SIZE) - 1 / 1019)
    assert row.status is Relation.HOLDS


def test_the_preimage_reduction_pays_for_its_guess_of_the_coins_taken():
    """The search takes 3 of 4 coins: B guesses l among 4 values, so it wins about ε/4 ≥ ε/64."""
    row = tightness(get_reduction("pw-preimage"), _reference("pw-preimage"), trials=60, seed="r")
    inner, outer = row.inner.estimate, row.outer.estimate
    assert 0.3 < inner.success < 0.85
    assert 0 < outer.wins < inner.wins
    assert outer.interval.lower <= inner.success / 4 <= outer.interval.upper
    assert row.status is Relation.HOLDS
    assert row.outer.mean_queries["f"] > 0  # B's queries to O_f are the search's at the embedded step


def test_the_coin_reduction_counts_only_wins_that_take_no_coin():
    """mc.key-exposure breaks MC-0 with two coins: ε₀ = 0, and B (which cannot hand out coins) gets 0."""
    reduction = get_reduction("mc0-dl")
    row = tightness(reduction, inner_adversary(reduction, "mc.key-exposure"), trials=25, seed="r")
    assert row.inner.estimate.wins == 25 and row.epsilon.wins == 0 and row.outer.estimate.wins == 0
    assert row.status is Relation.NOT_CONTRADICTED


# -- around a null adversary, a null solver -------------------------------------------------------------


@pytest.mark.parametrize("reduction", all_reductions(), ids=lambda r: r.name)
def test_a_null_inner_adversary_makes_a_null_solver(reduction):
    row = tightness(reduction, _null(reduction), trials=60, seed="n")
    assert row.inner.estimate.wins == 0
    assert row.outer.estimate.wins == 0 and row.outer.lost_total == 0
    assert row.status is not Relation.VIOLATED


# -- the check can fail ------------------------------------------------------------------------------------


class _WrongKey(CollisionToDl):
    """A mutant: extracts x from the collision, then answers x + 1."""

    def reduce(self, view, rng):
        x = super().reduce(view, rng)
        return None if x is None else (x + 1) % view.group.q


class _SameAnswers(SchnorrForking):
    """A mutant: reruns the forger with the same answers, so both forgeries are one and the same."""

    def reduce(self, view, rng):
        seed = rng.randbytes(32)
        first = self.fork_run(
            view, self.simulation(view.group, seed), RandomOracle(view.group.q, SeededRandom(seed))
        )
        if first is None:
            return None
        replayed = RandomOracle(view.group.q, SeededRandom(b"unused"), first.answers)
        second = self.fork_run(view, self.simulation(view.group, seed), replayed)
        return None if second is None else self.extract(view.group, first.witness, second.witness)


@pytest.mark.parametrize(
    ("mutant", "inner", "trials"),
    [(_WrongKey, "ch.bsgs-collision", 25), (_SameAnswers, "sig.rom-bsgs-forgery", 200)],
)
def test_a_broken_reduction_is_reported_as_violating_its_relation(mutant, inner, trials):
    row = tightness(mutant, inner_adversary(mutant, inner), trials=trials, seed="m")
    assert row.outer.estimate.wins == 0
    assert row.status is Relation.VIOLATED


def test_the_relation_verdict_has_three_outcomes():
    thresholds = Thresholds(alpha=0.01)
    high, low = estimate("win-lose", 95, 100, thresholds), estimate("win-lose", 5, 100, thresholds)
    assert judge_relation(high, 0.5, 0.6) is Relation.HOLDS
    assert judge_relation(low, 0.5, 0.6) is Relation.VIOLATED
    assert judge_relation(low, 0.0, 0.06) is Relation.NOT_CONTRADICTED


# -- the simulation and its building blocks --------------------------------------------------------------


def test_the_random_oracle_indexes_fresh_points_and_replays_a_prefix():
    oracle = RandomOracle(TOY.q, SeededRandom("h"))
    a, b = oracle(1, b"m"), oracle(2, b"m")
    assert oracle(1, b"m") == a and oracle.index((2, b"m")) == 1 and oracle.answers == (a, b)
    assert oracle.program((3, b"m"), 7) and oracle(3, b"m") == 7 and oracle.index((3, b"m")) is None
    assert not oracle.program((1, b"m"), 7)  # a defined point cannot be programmed
    replay = RandomOracle(TOY.q, SeededRandom("other"), prefix=(a,))
    assert replay(9, b"x") == a and replay(10, b"x") != b


def test_simulated_signatures_verify_under_the_programmed_oracle_only():
    pk, _ = schnorr.keygen(TOY, SeededRandom("k"))
    oracle = RandomOracle(TOY.q, SeededRandom("h"))
    commitment, signature = simulated_schnorr(pk, SeededRandom("s"))
    assert oracle.program((commitment, b"m"), signature.e)
    assert schnorr.verify(signature, pk, b"m", oracle=oracle)
    assert not schnorr.verify(signature, pk, b"m")  # the real hash disagrees: made without x
    members = canonical_ring(schnorr.keygen(TOY, SeededRandom(i))[0] for i in range(4))
    sigma = simulated_ring_signature(members, b"m", oracle, SeededRandom("r"))
    assert sigma is not None and ring.verify(members, b"m", sigma, oracle=oracle)
    assert not ring.verify(members, b"m", sigma)


@given(signer=st.integers(0, RING_SIZE - 1), message=st.binary(max_size=8), seed=st.integers(0, 2**16))
def test_an_honest_ring_signature_hinges_on_its_closing_query_at_the_signer(signer, message, seed):
    """The signer opens the ring at π + 1 and closes it last: the gap is at π, the hinge the last query."""
    keys = [schnorr.keygen(TOY, SeededRandom(f"{seed}/{i}")) for i in range(RING_SIZE)]
    members = canonical_ring(pk for pk, _ in keys)
    secret = next(sk for pk, sk in keys if pk == members[signer])
    oracle = RandomOracle(TOY.q, SeededRandom(seed))
    sigma = ring.sign(secret, members, message, SeededRandom(-seed), oracle=oracle)
    fork, pi, _, _ = ring_hinge(members, RingForgery(message, sigma), oracle)
    note(f"asked {len(oracle.answers)} points")
    assert (fork, pi) == (RING_SIZE - 1, signer)


def test_the_leaf_collision_search_finds_equal_leaf_messages_on_a_toy_q_only():
    def statement(nonce: bytes, price: int) -> bytes:
        return nonce + price.to_bytes(4, "big")

    x0, x1 = leaf_collision(TOY.q, statement, (b"r0", b"r1"))
    assert leaf_message(TOY.q, statement(b"r0", x0)) == leaf_message(TOY.q, statement(b"r1", x1))
    assert leaf_collision(named_group("rfc5114-2048-256").q, statement, (b"r0", b"r1")) is None


def test_the_inner_reference_attacks_break_their_games_and_only_where_claimed():
    """mc.bsgs-mint breaks mc-0 and not mc-b; mp.ds-leaf-collision breaks micropay3 and, having no
    assertion to beat, micropay3-no-aa; the ROM forgers break the random-oracle games, the weak
    nonces included; each on the toy tier, in a few trials, as `expected_verdict` claims."""
    for game, variant, adversary, won in [
        (get_reduction("mc0-dl").inner_game, "mc-0", BsgsMint, True),
        (get_reduction("mc0-dl").inner_game, "mc-b", BsgsMint, False),
        (DoubleSpendDetection, "micropay3", LeafCollisionDoubleSpend, True),
        (DoubleSpendDetection, "micropay3-no-aa", LeafCollisionDoubleSpend, True),
        (SchnorrEufCmaRom, "schnorr", RomBsgsForgery, True),
        (SchnorrEufCmaRom, "schnorr-nonce-reuse", RomBsgsForgery, True),
        (RingUnforgeabilityRom, "aos", _reference("ring-dl"), True),
    ]:
        spec = make_spec(game, variant, adversary, "toy", seed="i")
        outcomes = [play_trial(spec, i) for i in range(3)]
        assert all(o.won is won and o.error is None for o in outcomes), (game.id, variant)
        assert adversary.expected_verdict(variant, "toy") == ("broken" if won else "bounded")
        assert adversary.expected_verdict(variant, "standard") == "bounded"


def test_the_generic_inner_adversaries_are_the_registered_ones():
    """The reductions ship the registered generic attacks, so `mpgames run` and `mpgames reduce`
    play the same class under the same id (and so the same coins)."""
    for name, adversary in [("mc0-dl", BsgsMint), ("ds-extract", LeafCollisionDoubleSpend)]:
        reduction = get_reduction(name)
        assert adversary in reduction.inner_adversaries
        assert get_adversary(adversary.id) is adversary
        assert inner_adversary(reduction, adversary.id) is adversary


def test_the_random_oracle_games_add_only_h_to_the_view():
    spec = make_spec(SchnorrEufCmaRom, None, RomBsgsForgery, "toy", seed="v")
    assert play_trial(spec, 0).queries == (("sign", 0), ("H", SIG_HASH_BUDGET))
    assert dict(SchnorrEufCmaRom.budgets) == {**SchnorrEufCma.budgets, "H": SIG_HASH_BUDGET}


def test_the_preimage_game_judges_words_and_refuses_malformed_output():
    assert ChainHashPreimage.variants["trunc"].broken and not ChainHashPreimage.variants["full"].broken
    spec = make_spec(ChainHashPreimage, "trunc", RandomPreimage, "toy", seed="p")
    assert not any(play_trial(spec, i).won for i in range(20))

    class Garbage(RandomPreimage):
        id = "hash.preimage-garbage"

        def attack(self, view, rng):
            return b"not a 12-bit word"

    assert (
        play_trial(make_spec(ChainHashPreimage, "trunc", Garbage, "toy", seed="p"), 0).error
        == "MalformedOutput"
    )


def test_an_inner_adversary_that_raises_makes_the_reduction_fall_back_and_a_timeout_is_not_swallowed():
    class Raising(Adversary):
        id = "test.raising"
        label = "raises"
        targets = (ChameleonCollision.id,)
        expect = "null"

        def attack(self, view, rng):
            raise RuntimeError("inner bug")

    class Slow(Raising):
        id = "test.slow"

        def attack(self, view, rng):
            while True:
                pass

    row = tightness(CollisionToDl, Raising, trials=3, seed="f")
    assert row.inner.lost == {"RuntimeError": 3} and row.outer.lost_total == 0  # B falls back, plainly
    spec = make_spec(
        CollisionToDl.outer_game, None, CollisionToDl.around(Slow), "toy", seed="f", time_limit=0.1
    )
    assert play_trial(spec, 0).error == "Timeout"


def test_a_reduction_refuses_an_inner_adversary_of_another_game():
    with pytest.raises(UsageError, match=r"runs an adversary of ch\.cr"):
        CollisionToDl.around(RomBsgsForgery)
    with pytest.raises(UsageError, match="unknown adversary 'nope' for cr-dl"):
        inner_adversary(CollisionToDl, "nope")


def test_bounds_never_decrease_in_epsilon():
    parameters = BoundParameters(1019, {"sign": 2, "cert": 2, "H": 8})
    grid = [i / 50 for i in range(51)]
    for reduction in all_reductions():
        values = [max(0.0, reduction.bound(eps, parameters)) for eps in grid]
        assert values == sorted(values), reduction.name
    assert issubclass(SchnorrForking, Forking)


# -- the command ---------------------------------------------------------------------------------------


def test_reduce_prints_a_tightness_table_for_all_six(capsys):
    status = cli.main(["reduce", "--max-trials", "5", "--json"])
    rows = json.loads(capsys.readouterr().out)["reductions"]
    assert status == 0
    assert {row["reduction"] for row in rows} == {r.name for r in all_reductions()} and len(
        all_reductions()
    ) == 6
    for row in rows:
        assert row["status"] in {r.value for r in Relation}
        assert row["outer"]["adversary"] == f"{row['reduction']}[{row['inner']['adversary']}]"
        assert row["inner"]["seed"] == row["outer"]["seed"] == "0"


def test_reduce_renders_the_table_and_rejects_bad_input_in_one_line(capsys):
    assert cli.main(["reduce", "cr-dl", "--max-trials", "5"]) == 0
    out = capsys.readouterr().out
    assert "| cr-dl" in out and "Adv_dl ≥ Adv_cr" in out and "not security evidence" in out
    for argv, message in [
        (["reduce", "nope"], "unknown reduction 'nope'"),
        (["reduce", "--inner", "ch.bsgs-collision"], "--inner needs a REDUCTION"),
        (["reduce", "cr-dl", "--inner", "dl.bsgs"], "does not target ch.cr"),
        (["reduce", "cr-dl", "--tier", "huge"], "no tier 'huge'"),
    ]:
        assert cli.main(argv) == cli.USAGE_ERROR
        err = capsys.readouterr().err
        assert message in err and err.count("\n") == 1


def test_the_reductions_guide_quotes_the_code_as_it_is():
    text = (ROOT / "docs" / "reductions.md").read_text(encoding="utf-8")
    quotes = re.findall(r"```python\n# (src/mpgames/reductions/\w+\.py)\n(.*?)```", text, re.S)
    quoted = ("collision", "coin", "forking", "preimage", "detection")
    assert {path for path, _ in quotes} == {f"src/mpgames/reductions/{name}.py" for name in quoted}
    for path, excerpt in quotes:
        assert excerpt in (ROOT / path).read_text(encoding="utf-8"), f"docs/reductions.md misquotes {path}"
