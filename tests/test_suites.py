"""Suite files (harness §8): the shipped suites load, the format is validated line by line, budgets
default to the demo's calibration, and Holm's procedure splits the suite's α.

Nothing here plays a trial: tests/test_check.py runs the small suites.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mpgames.adversaries.base import Adversary
from mpgames.adversaries.registry import _checked, adversaries_for, get_adversary
from mpgames.games.registry import all_games, get_game
from mpgames.measure.estimation import estimate
from mpgames.measure.holm import holm
from mpgames.measure.verdicts import Kind, Thresholds, Verdict
from mpgames.suites.demo import default_suite, demo_budget
from mpgames.suites.files import (
    DEFAULT_SUITE,
    SUITES_DIR,
    SuiteError,
    default_suite_toml,
    load_suite,
    suite_toml,
)

CI_SUITE = SUITES_DIR / "ci.toml"
EXERCISES = Path(__file__).resolve().parents[1] / "docs" / "exercises.toml"


def _key(entry) -> tuple[str, str, str, str, str]:
    return (entry.game.id, entry.variant, entry.adversary.id, entry.tier, entry.expect)


# -- the shipped suites ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [DEFAULT_SUITE, CI_SUITE], ids=lambda p: p.name)
def test_shipped_suite_covers_every_game_with_null_and_reference_adversaries(path):
    suite = load_suite(path)
    for game in all_games():
        played = [entry for entry in suite.entries if entry.game is game]
        assert any(e.adversary.is_null() and e.expect == "bounded" for e in played), game.id
        assert any(not e.adversary.is_null() and e.expect == "broken" for e in played), game.id
    assert {entry.tier for entry in suite.entries} == {"toy", "standard"}


def test_ci_suite_is_mostly_toy_and_plays_every_reference_attack():
    """Standard-tier trials on RFC 5114 cost milliseconds each: at most a quarter of the entries. The
    curve family's entries (secp256k1 trials cost a fifth as much) show both verdicts on a curve."""
    suite = load_suite(CI_SUITE)
    standard = [entry for entry in suite.entries if entry.tier == "standard" and entry.group is None]
    assert 0 < len(standard) <= len(suite.entries) // 4
    on_curves = {(e.group, e.expect) for e in suite.entries if e.group is not None}
    assert {("secp256k1", "broken"), ("secp256k1", "bounded"), ("toy-ec-20", "broken")} <= on_curves
    attacks = {a.id for game in all_games() for a in adversaries_for(game.id) if not a.is_null()}
    assert {e.adversary.id for e in suite.entries if e.expect == "broken"} == attacks


@pytest.mark.parametrize("path", [DEFAULT_SUITE, CI_SUITE, EXERCISES], ids=lambda p: p.name)
def test_a_bounded_row_stands_next_to_every_registered_break_of_its_variant_and_tier(path):
    """Where a suite expects some adversary bounded on (game, variant, tier), every registered attack
    that breaks that variant at that tier plays it too, expected broken: a suite shows the best
    registered attack, e.g. the birthday collisions next to the honest payer on the toy tier."""
    suite = load_suite(path)
    played = {(e.game.id, e.variant, e.adversary.id, e.tier, e.expect) for e in suite.entries}
    claimed_bounded = {(e.game.id, e.variant, e.tier) for e in suite.entries if e.expect == "bounded"}
    for game, variant, tier in claimed_bounded:
        for attack in adversaries_for(game):
            if attack.expected_verdict(variant, tier) == "broken":
                assert (game, variant, attack.id, tier, "broken") in played, (game, variant, tier, attack.id)


def test_generic_attacks_on_the_recommended_variant_are_toy_breaks_in_the_demo():
    """mp.ds-leaf-collision and aa.leaf-collision break the default variant on the toy tier only: the
    demo expects them broken there, bounded on the standard tier, next to the bounded null."""
    keys = {_key(e) for e in default_suite(all_games(), adversaries_for)}
    for game, attack, null in [
        ("mp.ds", "mp.ds-leaf-collision", "mp.ds-honest"),
        ("aa.extract", "aa.leaf-collision", "aa.honest-equivocator"),
    ]:
        default = get_game(game).default_variant
        assert get_adversary(attack).broken_variant() == default
        assert (game, default, attack, "toy", "broken") in keys
        assert (game, default, attack, "standard", "bounded") in keys
        assert (game, default, null, "toy", "bounded") in keys


def test_also_breaks_is_part_of_the_expectation(tmp_path):
    """`also_breaks` names further variants an attack breaks at its `breaks_tiers`: the expected
    verdict, the demo's entries and a suite's check all follow it."""
    forger = get_adversary("sig.rom-bsgs-forgery")
    assert forger.broken_variants() == ("schnorr", "schnorr-nonce-reuse")
    assert forger.expected_verdict("schnorr-nonce-reuse", "toy") == "broken"
    assert forger.expected_verdict("schnorr-nonce-reuse", "standard") == "bounded"
    keys = {_key(e) for e in default_suite(all_games(), adversaries_for)}
    assert ("sig.euf-cma.rom", "schnorr-nonce-reuse", forger.id, "toy", "broken") in keys
    entry = (
        '[[entry]]\ngame = "sig.euf-cma.rom"\nvariant = "schnorr-nonce-reuse"\n'
        'adversary = "sig.rom-bsgs-forgery"\ntier = "toy"\nexpect = "bounded"\n'
    )
    with pytest.raises(SuiteError, match="must come out broken against schnorr-nonce-reuse"):
        _load(tmp_path, GOOD + entry)
    assert len(_load(tmp_path, GOOD + entry.replace('"bounded"', '"broken"')).entries) == 3


def test_also_breaks_is_checked_like_expect():
    with pytest.raises(TypeError, match="a null adversary breaks nothing"):

        class NullBreaker(Adversary):
            id = "test.null-breaker"
            label = "null"
            targets = ("dl",)
            expect = "null"
            also_breaks = ("subgroup",)

    class Overclaiming(Adversary):
        id = "test.overclaiming"
        label = "claims a variant of another game"
        targets = ("dl",)
        expect = "breaks:subgroup"
        also_breaks = ("schnorr-nonce-reuse",)

        def attack(self, view, rng):
            return 0

    with pytest.raises(TypeError, match="claims to break 'schnorr-nonce-reuse'"):
        _checked("test:Overclaiming", Overclaiming)


def test_default_toml_is_generated_from_the_demo_suite():
    regenerate = "regenerate it: .venv/bin/python -m mpgames.suites.files > src/mpgames/suites/default.toml"
    assert DEFAULT_SUITE.read_text(encoding="utf-8") == default_suite_toml(), regenerate
    suite = load_suite(DEFAULT_SUITE)
    assert [_key(e) for e in suite.entries] == [_key(e) for e in default_suite(all_games(), adversaries_for)]


def test_entries_without_budgets_take_the_calibration_at_their_level():
    suite = load_suite(DEFAULT_SUITE)
    assert suite.level == pytest.approx(suite.alpha / (2 * len(suite.entries)))
    for entry in suite.entries:
        budget, thresholds = demo_budget(entry.game.kind, entry.game.n_choices, suite.level)
        assert (entry.max_trials, entry.thresholds) == (budget, thresholds)


def test_game_filter_splits_alpha_over_the_entries_kept():
    suite = load_suite(DEFAULT_SUITE, ["ch.key-exposure"])
    assert {entry.game.id for entry in suite.entries} == {"ch.key-exposure"}
    assert suite.level == pytest.approx(suite.alpha / (2 * len(suite.entries)))


# -- the format ------------------------------------------------------------------------------------------

HEADER = 'seed = "s"\nalpha = 0.01\n'
NULL = '[[entry]]\ngame = "dl"\nadversary = "dl.random-guess"\ntier = "toy"\nexpect = "bounded"\n'
BSGS = '[[entry]]\ngame = "dl"\nadversary = "dl.bsgs"\ntier = "toy"\nexpect = "broken"\n'
GOOD = HEADER + NULL + BSGS


def _load(tmp_path: Path, text: str):
    path = tmp_path / "suite.toml"
    path.write_text(text, encoding="utf-8")
    return load_suite(path)


def test_an_entry_may_name_a_group_of_its_tier(tmp_path):
    curve = BSGS.replace('tier = "toy"\n', 'tier = "toy"\ngroup = "toy-ec-20"\n')
    entries = _load(tmp_path, GOOD + curve).entries
    assert [e.place for e in entries] == ["toy", "toy", "toy (toy-ec-20)"] and entries[2].group == "toy-ec-20"
    assert "toy-ec-20" in suite_toml("s", "", "s", 0.01, entries)
    for group, message in (
        ("secp256k1", "group 'secp256k1' is of the standard tier, not 'toy'"),
        ("nope", "unknown group 'nope'"),
    ):
        with pytest.raises(SuiteError, match=message):
            _load(tmp_path, GOOD + BSGS.replace('tier = "toy"\n', f'tier = "toy"\ngroup = "{group}"\n'))
    with pytest.raises(SuiteError, match="repeats entry"):
        _load(tmp_path, GOOD + curve + curve)


def test_budget_settings_entry_over_defaults_over_calibration(tmp_path):
    text = (
        HEADER
        + "[defaults]\nmax_trials = 300\neps1 = 0.3\n"
        + NULL
        + BSGS.replace('expect = "broken"', 'expect = "broken"\nmax_trials = 50\neps0 = 0.01')
    )
    null, bsgs = _load(tmp_path, text).entries
    level = 0.01 / 4  # two entries, each able to err either way
    calibrated_eps0 = demo_budget(Kind.WIN_LOSE, None, level)[1].eps0
    assert (null.max_trials, null.thresholds) == (300, Thresholds(calibrated_eps0, 0.3, level))
    assert (bsgs.max_trials, bsgs.thresholds) == (50, Thresholds(0.01, 0.3, level))


def test_optional_keys_and_their_defaults(tmp_path):
    suite = _load(tmp_path, GOOD)
    assert suite.name == "suite" and suite.seed == "s" and suite.time_limit == 10.0
    assert suite.entries[0].variant == "subgroup"  # the game's default variant
    assert _load(tmp_path, GOOD.replace('seed = "s"', "seed = 7")).seed == "7"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("seed = \n", "not valid TOML"),
        ("alpha = 0.01\n" + NULL + BSGS, "missing key 'seed'"),
        (GOOD.replace("alpha = 0.01", "alpha = 1.5"), "alpha must be a number strictly between 0 and 1"),
        (GOOD.replace('seed = "s"', "seed = true"), "seed must be a non-empty string or an integer"),
        (GOOD + "colour = 1\n", "unknown key 'colour'"),
        (
            GOOD.replace("alpha = 0.01", "alpha = 0.01\ntime_limit = -1"),
            "time_limit must be a positive number",
        ),
        (HEADER + "[defaults]\ntier = 'toy'\n" + NULL + BSGS, "[defaults]: unknown key 'tier'"),
        (HEADER + "entry = []\n", "entry must be a non-empty array"),
        (HEADER + NULL.replace('game = "dl"', 'game = "nope"') + BSGS, "entry 1 (nope): unknown game 'nope'"),
        (
            HEADER + NULL + BSGS.replace('tier = "toy"', 'tier = "toy"\nvariant = "x"'),
            "entry 2 (dl): game dl has no",
        ),
        (HEADER + NULL.replace("dl.random-guess", "nope") + BSGS, "unknown adversary 'nope'"),
        (HEADER + NULL.replace("dl.random-guess", "adv.py") + BSGS, "/adv.py: cannot read it"),
        (HEADER + NULL.replace("dl.random-guess", "sig.nonce-reuse") + BSGS, "does not target dl"),
        (HEADER + NULL.replace('"toy"', '"huge"') + BSGS, "no tier 'huge'"),
        (HEADER + NULL.replace('tier = "toy"\n', "") + BSGS, "entry 1: missing key 'tier'"),
        (HEADER + NULL + BSGS + "expects = 'broken'\n", "entry 2: unknown key 'expects'"),
        (HEADER + NULL.replace('"bounded"', '"safe"') + BSGS, "expect must be one of broken, bounded"),
        (HEADER + NULL.replace('"bounded"', '"broken"') + BSGS, "dl.random-guess is a null adversary"),
        (
            GOOD.replace('adversary = "dl.bsgs"\ntier = "toy"', 'adversary = "dl.bsgs"\ntier = "standard"'),
            "must come out bounded against subgroup at the standard tier",
        ),
        (GOOD + "eps0 = 0.3\neps1 = 0.2\n", "must not exceed eps1"),
        (GOOD + "eps1 = 1.5\n", "eps1 must be a number strictly between 0 and 1"),
        (GOOD + "max_trials = 0\n", "max_trials must be a positive integer"),
        (GOOD + "max_trials = 2.5\n", "max_trials must be a positive integer"),
        (GOOD + NULL, "entry 3 repeats entry 1"),
        (HEADER + NULL, "no entry expects 'broken'"),
        (HEADER + BSGS, "no entry expects 'bounded'"),
    ],
)
def test_malformed_suites_are_one_line_naming_the_problem(tmp_path, text, fragment):
    with pytest.raises(SuiteError) as raised:
        _load(tmp_path, text)
    message = str(raised.value)
    assert fragment in message and "\n" not in message
    assert message.startswith(str(tmp_path / "suite.toml"))


def test_unreachable_eps1_is_refused(tmp_path):
    # guess-1-of-3: the advantage is at most 2/3.
    ul = '[[entry]]\ngame = "mp.ul"\nadversary = "mp.ul-random-guess"\ntier = "toy"\nexpect = "bounded"\n'
    with pytest.raises(SuiteError, match=r"eps1 = 0\.7 is not below 0\.6667"):
        _load(tmp_path, GOOD + ul + "eps1 = 0.7\n")


def test_missing_file_and_empty_filter(tmp_path):
    with pytest.raises(SuiteError, match="no such suite file"):
        load_suite(tmp_path / "none.toml")
    (tmp_path / "suite.toml").write_text(GOOD, encoding="utf-8")
    with pytest.raises(SuiteError, match=r"no entry plays sig\.euf-cma"):
        load_suite(tmp_path / "suite.toml", ["sig.euf-cma"])


# -- Holm ------------------------------------------------------------------------------------------------

ALPHA = 0.05
# Two entries carry four hypotheses (each can err either way): the first level is α/4, then α/3 once
# one entry is decided (mpgames.measure.holm). 0 wins of 95: bounded at α/3, not at α/4.
FIRST, SECOND = ALPHA / 4, ALPHA / 3
NEAR = estimate(Kind.WIN_LOSE, 0, 95, Thresholds(alpha=FIRST))
PERFECT = estimate(Kind.WIN_LOSE, 80, 80, Thresholds(alpha=FIRST))
MIDDLING = estimate(Kind.WIN_LOSE, 10, 80, Thresholds(alpha=FIRST))


def test_holm_decides_an_entry_once_the_others_are_decided():
    assert NEAR.verdict is Verdict.INCONCLUSIVE  # Bonferroni at alpha/(2m) cannot decide it
    near, perfect = holm([NEAR, PERFECT], ALPHA)
    assert perfect.verdict is Verdict.BROKEN and perfect.thresholds.alpha == FIRST
    assert near.verdict is Verdict.BOUNDED and near.thresholds.alpha == SECOND
    assert near.suite_alpha == perfect.suite_alpha == ALPHA
    assert "at 95% suite-wide (n=95)" in near.describe()


def test_holm_counts_both_directions_of_every_entry():
    """Holm over the m entries alone would try the second entry at α/(m − 1) = α; over both
    directions it is α/3, where 0 wins of 92 are not yet bounded (the opposite of the test above)."""
    weaker = estimate(Kind.WIN_LOSE, 0, 92, Thresholds(alpha=FIRST))
    near, _ = holm([weaker, PERFECT], ALPHA)
    assert near.verdict is Verdict.INCONCLUSIVE and near.thresholds.alpha == SECOND
    assert estimate(Kind.WIN_LOSE, 0, 92, Thresholds(alpha=ALPHA)).verdict is Verdict.BOUNDED


def test_holm_keeps_alpha_split_while_another_entry_is_undecided():
    near, middling = holm([NEAR, MIDDLING], ALPHA)
    assert near.verdict is middling.verdict is Verdict.INCONCLUSIVE
    assert near.thresholds.alpha == FIRST


def test_an_entry_that_did_not_run_keeps_its_share():
    near, perfect, missing = holm([NEAR, PERFECT, None], ALPHA)
    assert missing is None and perfect.verdict is Verdict.BROKEN
    assert near.verdict is Verdict.INCONCLUSIVE and near.thresholds.alpha == ALPHA / 5


def test_holm_never_changes_a_decided_verdict():
    decided = [PERFECT, estimate(Kind.WIN_LOSE, 0, 400, Thresholds(alpha=FIRST))]
    assert [e.verdict for e in holm(decided, ALPHA)] == [e.verdict for e in decided]


def test_the_demo_suite_needs_no_suites_folder(monkeypatch, tmp_path):
    """An installed package has no suites/ folder: `mpgames demo` then plays the generated suite,
    which is the same suite as the committed file."""
    from mpgames.suites import files as suites

    committed = suites.load_default_suite()
    monkeypatch.setattr(suites, "DEFAULT_SUITE", tmp_path / "absent" / "default.toml")
    generated = suites.load_default_suite()
    assert generated.entries == committed.entries
    assert (generated.seed, generated.alpha) == (committed.seed, committed.alpha)
