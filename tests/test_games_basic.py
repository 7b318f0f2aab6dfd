"""The first games against their null and reference adversaries (harness §3, §4, §7).

Each reference attack is shown both ways: broken against the variant (or tier) it targets and
bounded against the fix, so each verdict below is one the same code can also fail to reach.
Standard-tier runs are few and short (2048-bit arithmetic costs about a millisecond an operation).
"""

from __future__ import annotations

import pytest

from mpgames.adversaries.registry import adversaries_for, all_adversaries, get_adversary, resolve
from mpgames.cli.explain import explain, win_predicates
from mpgames.framework.engine import Engine, make_spec, play_trial
from mpgames.framework.errors import UsageError
from mpgames.games.ch_cr import ChameleonCollision, Collision
from mpgames.games.ch_key_exposure import ChameleonKeyExposure
from mpgames.games.dl import DiscreteLog
from mpgames.games.registry import all_games, game_ids, get_game
from mpgames.games.sig_euf_cma import Forgery, SchnorrEufCma
from mpgames.measure.verdicts import Kind, Thresholds, Verdict
from mpgames.scheme import chameleon, schnorr
from mpgames.scheme.groups import named_group
from mpgames.suites.demo import STANDARD_TIER_BUDGET, default_suite, demo_budget

TOY_CASES = [
    ("dl", "subgroup", "dl.random-guess", Verdict.BOUNDED),
    ("dl", "subgroup", "dl.bsgs", Verdict.BROKEN),
    ("sig.euf-cma", "schnorr", "sig.random-forgery", Verdict.BOUNDED),
    ("sig.euf-cma", "schnorr", "sig.nonce-reuse", Verdict.BOUNDED),
    ("sig.euf-cma", "schnorr-nonce-reuse", "sig.nonce-reuse", Verdict.BROKEN),
    ("ch.cr", "kr", "ch.random-collision", Verdict.BOUNDED),
    ("ch.cr", "kr", "ch.bsgs-collision", Verdict.BROKEN),
    ("ch.key-exposure", "adm", "ch.random-trapdoor", Verdict.BOUNDED),
    ("ch.key-exposure", "kr", "ch.random-trapdoor", Verdict.BOUNDED),
    ("ch.key-exposure", "kr", "ch.kr-extract", Verdict.BROKEN),
    ("ch.key-exposure", "adm", "ch.kr-extract", Verdict.BOUNDED),
    ("hash.preimage", "trunc", "hash.preimage-random", Verdict.BOUNDED),
    ("hash.preimage", "trunc", "hash.preimage-search", Verdict.BROKEN),
]


@pytest.fixture(scope="module")
def engine():
    with Engine(jobs=1) as shared:
        yield shared


@pytest.mark.parametrize(("game", "variant", "adversary", "verdict"), TOY_CASES)
def test_toy_tier_verdicts(engine, game, variant, adversary, verdict):
    result = engine.run(get_game(game), variant, get_adversary(adversary), "toy", max_trials=200, seed="t")
    assert result.estimate.verdict is verdict
    assert result.expect == verdict.value
    assert result.expectation_met is True
    assert not result.lost


@pytest.mark.parametrize(
    ("game", "variant", "adversary"),
    [("sig.euf-cma", "schnorr-nonce-reuse", "sig.nonce-reuse"), ("ch.key-exposure", "kr", "ch.kr-extract")],
)
def test_algebraic_attacks_break_the_standard_tier_too(engine, game, variant, adversary):
    result = engine.run(
        get_game(game), variant, get_adversary(adversary), "standard", max_trials=25, seed="t"
    )
    assert result.estimate.verdict is Verdict.BROKEN
    assert result.group == "rfc5114-2048-256"


@pytest.mark.parametrize(("game", "adversary"), [("dl", "dl.bsgs"), ("ch.cr", "ch.bsgs-collision")])
def test_budgeted_generic_attacks_fail_on_the_standard_tier(game, adversary):
    spec = make_spec(get_game(game), None, get_adversary(adversary), "standard", seed="t")
    outcomes = [play_trial(spec, i) for i in range(2)]
    assert not any(o.won for o in outcomes)
    assert all(o.error is None for o in outcomes)  # a plain loss: the budget ran out, no fault
    assert get_adversary(adversary).expected_verdict(spec.variant, "standard") == "bounded"


def test_the_word_search_spends_its_budget_in_vain_on_the_full_hash():
    spec = make_spec(
        get_game("hash.preimage"), "full", get_adversary("hash.preimage-search"), "toy", seed="t"
    )
    outcomes = [play_trial(spec, i) for i in range(3)]
    assert not any(o.won for o in outcomes)
    assert all(o.error is None and o.query_count("f") == spec.game.budgets["f"] for o in outcomes)


# -- win predicates on hand-made outputs ---------------------------------------------------------------


def _trial(game, adversary_cls, variant=None, group="toy-64-20"):
    return play_trial(make_spec(game, variant, adversary_cls, "toy", seed="p", group=group), 0)


def _fixed(game_id, output_of):
    """An adversary (class) for `game_id` whose output is `output_of(view)`."""
    base = adversaries_for(game_id)[0]
    return type(
        "Fixed", (base,), {"id": f"test.fixed-{game_id}", "attack": lambda self, view, rng: output_of(view)}
    )


def test_dl_out_of_range_answer_is_a_counted_malformed_output():
    q = named_group("toy-64-20").q
    assert _trial(DiscreteLog, _fixed("dl", lambda view: q)).error == "InvalidScalarError"
    # A bool is no answer: the boundary refuses it before the game sees it.
    assert _trial(DiscreteLog, _fixed("dl", lambda view: True)).error == "MalformedOutput"


def test_a_replayed_oracle_signature_is_not_a_forgery():
    def replay(view):
        message = b"signed by the oracle"
        return Forgery(message, view.sign(message))

    outcome = _trial(SchnorrEufCma, _fixed("sig.euf-cma", replay))
    assert not outcome.won and outcome.error is None and outcome.query_count("sign") == 1


@pytest.mark.parametrize(
    ("output", "error"),
    [
        (None, "MalformedOutput"),
        (Forgery("text", schnorr.Signature(1, 1)), "MalformedOutput"),
        (Forgery(b"m", (1, 1)), "MalformedOutput"),
        (Forgery(b"m", schnorr.Signature(1, 2**70)), "InvalidScalarError"),
    ],
)
def test_malformed_forgeries_lose_by_type(output, error):
    assert _trial(SchnorrEufCma, _fixed("sig.euf-cma", lambda view: output)).error == error


def test_signing_oracle_rejects_non_bytes_queries():
    outcome = _trial(SchnorrEufCma, _fixed("sig.euf-cma", lambda view: view.sign("text")))
    assert outcome.error == "MalformedQuery"


def test_a_trivial_collision_does_not_count():
    same = _fixed("ch.cr", lambda view: Collision(5, 7, 5, 7))
    assert not _trial(ChameleonCollision, same).won
    out_of_range = _fixed("ch.cr", lambda view: Collision(view.group.q, 0, 1, 0))
    assert _trial(ChameleonCollision, out_of_range).error == "InvalidScalarError"


def test_key_exposure_checks_the_key_range():
    assert (
        _trial(ChameleonKeyExposure, _fixed("ch.key-exposure", lambda view: 0)).error == "InvalidScalarError"
    )


def test_key_exposure_collisions_open_the_published_value():
    """Both variants' oracle answers really are openings of the published hash value."""
    captured = {}

    def opener(view):
        captured.update(view=view, answer=view.collide(b"m1"))
        return 1

    for variant in ("kr", "adm"):
        _trial(ChameleonKeyExposure, _fixed("ch.key-exposure", opener), variant)
        view, answer = captured["view"], captured["answer"]
        if variant == "kr":
            assert chameleon.hash_message(view.pk, b"m1", answer) == view.published.digest
        else:
            assert chameleon.adm_hash(view.pk, b"m1", answer) == view.published.digest


# -- registries, explain and the demo suite ------------------------------------------------------------


def test_registries_list_the_first_games_and_their_adversaries():
    assert set(game_ids()) >= {"dl", "sig.euf-cma", "ch.cr", "ch.key-exposure"}
    for game in all_games():
        found = adversaries_for(game.id)
        assert found and found[0].is_null(), game.id
        assert any(not a.is_null() for a in found), game.id
    assert all(a.targets for a in all_adversaries())


def test_registry_lookups_name_the_choices():
    with pytest.raises(UsageError, match="choose one of"):
        get_game("nope")
    with pytest.raises(UsageError, match="choose one of"):
        get_adversary("nope")
    with pytest.raises(UsageError, match=r"adversaries for dl: dl\.random-guess, dl\.bsgs"):
        resolve("sig.nonce-reuse", "dl")


@pytest.mark.parametrize("game", all_games(), ids=lambda g: g.id)
def test_explain_renders_the_running_code(game):
    text = explain(game)
    assert "┌" in text and game.id in text
    assert "def experiment" in text and "ctx.judge" in text
    for name in win_predicates(game):
        assert f"def {name}" in text
    for variant in game.variants:
        assert variant in text


def test_default_suite_covers_both_outcomes_for_every_game():
    entries = default_suite(all_games(), adversaries_for)
    for game in all_games():
        expected = {e.expect for e in entries if e.game is game}
        assert expected == {"broken", "bounded"}, game.id
    assert any(e.tier == "standard" for e in entries)


@pytest.mark.parametrize(
    ("kind", "n_choices", "budget", "eps0"),
    [
        (Kind.WIN_LOSE, None, 400, 0.05),
        (Kind.GUESS_1_OF_N, 3, 1600, 0.1),
        (Kind.GUESS_1_OF_N, 2, 1600, 0.1),
        (Kind.HIDDEN_BIT, None, 6400, 0.1),
    ],
)
def test_demo_budgets_follow_the_kind(kind, n_choices, budget, eps0):
    assert demo_budget(kind, n_choices) == (budget, Thresholds(eps0=eps0))


def test_costly_bounded_entries_stay_on_the_toy_tier():
    for entry in default_suite(all_games(), adversaries_for):
        assert (entry.max_trials, entry.thresholds) == demo_budget(entry.game.kind, entry.game.n_choices)
        if entry.max_trials > STANDARD_TIER_BUDGET and entry.expect == "bounded":
            assert entry.tier == "toy"
