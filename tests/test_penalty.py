"""Penalty bound, timing helpers and the brute-force profit model (spec §5.6)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, note
from hypothesis import strategies as st

from mpgames.scheme.errors import RuleViolation
from mpgames.scheme.penalty import (
    PenaltyBounds,
    SlotStrategy,
    assertion_depth,
    best_cheating_strategy,
    channel_expiry,
    entry_capacities,
    max_cheating_profit,
    miner_deposit,
    penalty_bounds,
    purchases_per_slot,
)


def test_purchases_per_slot_is_the_floor_of_work_time_over_purchase_time() -> None:
    assert purchases_per_slot(work_time=50, purchase_time=10, slot=60) == 5
    assert purchases_per_slot(work_time=59, purchase_time=10, slot=60) == 5
    assert purchases_per_slot(work_time=60, purchase_time=60, slot=60) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((70, 10, 60), "cannot exceed the slot"),
        ((5, 10, 60), "must fit"),
        ((0, 10, 60), "positive"),
        ((50, 10.0, 60), "positive integer"),
        ((50, True, 60), "positive integer"),
    ],
)
def test_purchases_per_slot_validates(args, message: str) -> None:
    with pytest.raises(RuleViolation, match=message):
        purchases_per_slot(*args)


def test_bounds_are_f_minus_u2_to_f() -> None:
    bounds = penalty_bounds(50, 10, 60, u2=4)
    assert (bounds.purchases, bounds.lower, bounds.upper) == (5, 16, 20)
    assert bounds.contains(16) and bounds.contains(20)
    assert not bounds.contains(15) and not bounds.contains(21)
    assert bounds.check(18) == 18
    with pytest.raises(RuleViolation) as err:
        bounds.check(15)
    assert err.value.rule == "penalty-bound"
    with pytest.raises(RuleViolation):
        bounds.contains(-1)


def test_m_devices_multiply_the_purchases() -> None:
    bounds = penalty_bounds(50, 10, 60, u2=4, devices=3)
    assert (bounds.purchases, bounds.lower, bounds.upper) == (15, 56, 60)
    with pytest.raises(RuleViolation):
        penalty_bounds(50, 10, 60, u2=4, devices=0)


def test_channel_expiry_is_l_slots_plus_t_conf() -> None:
    assert channel_expiry(3, 60, 24) == 3 * 60 + 24
    assert channel_expiry(1, 60, 0, start=100) == 160
    for bad in [(0, 60, 24), (1, 0, 24), (1, 60, -1)]:
        with pytest.raises(RuleViolation):
            channel_expiry(*bad)


def test_assertion_depth_covers_every_payment() -> None:
    assert assertion_depth(12, 2) == 3  # ⌊12/2⌋ = 6 payments need 2^3 = 8 > 6 contexts
    assert assertion_depth(16, 2) == 4  # 8 payments: 2^3 = 8 is not > 8
    assert assertion_depth(1, 5) == 1
    for d, u1 in [(100, 1), (1000, 7), (65535, 1)]:
        depth = assertion_depth(d, u1)
        assert 2**depth > d // u1 >= 2 ** (depth - 1)


def test_miner_deposit() -> None:
    assert miner_deposit(100, Fraction(1, 4)) == 150  # spec: f = 0.25 needs 1.5·p
    assert miner_deposit(100, 0) == 100
    assert miner_deposit(10, Fraction(1, 3)) == 20
    for bad in [Fraction(1, 2), Fraction(-1, 10), 0.25]:
        with pytest.raises(RuleViolation):
            miner_deposit(100, bad)  # type: ignore[arg-type]


def test_brute_force_reproduces_the_spec_example() -> None:
    """(N, u1, u2, d) = (5, 2, 4, 12): max V − δ = 16 = (N − 1)·u2, at δ = u2 with N forks."""
    strategy = best_cheating_strategy(5, 2, 4, 12)
    assert strategy is not None
    strategy.check(5, 2, 4)
    assert strategy.value - strategy.delta == 16
    assert strategy == SlotStrategy(4, ((0, 4),) * 5)
    assert max_cheating_profit(5, 2, 4, 12, penalty=0) == 16
    assert max_cheating_profit(5, 2, 4, 12, penalty=16) == 0
    assert max_cheating_profit(5, 2, 4, 12, penalty=15) == 1


@pytest.mark.parametrize("n", [2, 3, 4, 5])
@pytest.mark.parametrize(("u1", "u2", "d"), [(1, 3, 7), (2, 4, 12), (2, 3, 9), (3, 3, 9)])
def test_profit_sign_flips_exactly_at_the_lower_bound(n: int, u1: int, u2: int, d: int) -> None:
    """Inside [(N−1)·u2, N·u2] no strategy profits; one below, the best one does."""
    bounds = PenaltyBounds(n, u2)
    assert d - u2 in {d - delta for delta in entry_capacities(d, u1, u2)}  # δ = u2 is reachable
    for p in range(bounds.lower, bounds.upper + 1):
        assert max_cheating_profit(n, u1, u2, d, p) <= 0  # type: ignore[operator]
    assert max_cheating_profit(n, u1, u2, d, bounds.lower - 1) == 1
    # The reference strategy: δ = u2, N single-purchase forks of the entry voucher.
    forks = SlotStrategy(u2, ((0, u2),) * n)
    forks.check(n, u1, u2)
    assert forks.profit(bounds.lower) == 0
    assert forks.profit(bounds.lower - 1) > 0


@given(
    n=st.integers(1, 4),
    u1=st.integers(1, 3),
    extra=st.integers(0, 2),
    d=st.integers(1, 10),
)
def test_no_strategy_beats_n_minus_1_times_u2(n: int, u1: int, extra: int, d: int) -> None:
    u2 = u1 + extra
    strategy = best_cheating_strategy(n, u1, u2, d)
    note(f"best strategy: {strategy}")
    if strategy is None:
        # A fork needs two purchases and a voucher that can pay u1 (each branch is capped separately).
        assert n < 2 or d < u1
        return
    strategy.check(n, u1, u2)
    assert strategy.forks
    assert strategy.value - strategy.delta <= (n - 1) * u2
    if u2 in entry_capacities(d, u1, u2):
        assert strategy.value - strategy.delta == (n - 1) * u2


def test_entry_capacities_are_reachable_by_honest_spending() -> None:
    assert entry_capacities(12, 2, 4) == (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12)
    assert entry_capacities(5, 3, 3) == (2, 5)


@pytest.mark.parametrize(
    ("strategy", "rule"),
    [
        (SlotStrategy(4, ((0, 4),) * 6), "slot-purchases"),
        (SlotStrategy(4, ((1, 4),)), "slot-voucher"),
        (SlotStrategy(4, ((0, 5),)), "tx-amount"),
        (SlotStrategy(4, ((0, 2), (1, 3))), "over-deposit"),
    ],
)
def test_strategy_rules(strategy: SlotStrategy, rule: str) -> None:
    with pytest.raises(RuleViolation) as err:
        strategy.check(5, 2, 4)
    assert err.value.rule == rule


def test_an_honest_strategy_neither_gains_nor_loses() -> None:
    honest = SlotStrategy(8, ((0, 4), (1, 4)))
    honest.check(5, 2, 4)
    assert not honest.forks
    assert honest.profit(0) == 0
