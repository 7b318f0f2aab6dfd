"""Penalty bound, channel timing and the double-spender's profit model (spec §5.6).

Notation (spec §5.1): Ť is the time of one purchase, T̄ the collection slot (B synchronizes once per
T̄), T̂ ≤ T̄ the working time of a point of sale within a slot, u1/u2 the smallest/largest price.

* N = ⌊T̂/Ť⌋ purchases fit in one slot; with m devices (or accomplices) in parallel N_m = m·N.
* F = N·u2 is the seed's upper bound on the penalty: no strategy draws more than F with vouchers valid
  in one slot, so a larger p only locks more of an honest payer's money.
* F − u2 = (N − 1)·u2 is the lower end: below it a double spend pays (see the profit model).
* T = l·T̄ + T_conf: the channel lives l slots, then B has T_conf to get its closing transaction
  confirmed before A may refund.
* Without an explicit beneficiary (miners take the deposit, RKS §6.1) an attacker with mining share
  f < 1/2 is deterred only by a deposit of p·(1 − f)/(1 − 2f).

Profit model [RECON, spec §5.6]. The payer enters the slot with remaining capacity δ = d − b_prev, which
it chose by honest spending before (that spending bought goods worth what it paid, so it nets zero).
In the slot it makes at most N purchases, each of an integer price in [u1, u2]; every purchase spends
some voucher it holds (the one it entered with, or one issued in this slot), and a voucher may be spent
more than once (a fork). Each branch is capped at δ (a point of sale checks b* + x ≤ d). If some voucher
was spent twice, B detects it at the next synchronization and seizes d + p; the payer got goods worth
b_prev + V for it, so its profit is V − δ − p. Without a fork the payer is honest and profits nothing.
`best_cheating_strategy` searches all strategies exhaustively (memoized over interchangeable vouchers).
Its maximum of V − δ never exceeds (N − 1)·u2 and equals it whenever δ = u2 is reachable (d − u2 is a
sum of prices), with N single-purchase forks of the entry voucher; e.g. (N, u1, u2, d) = (5, 2, 4, 12)
gives 16. When d − u2 is not reachable (say prices {2}, d = 3) the maximum is smaller.

`penalty_variants` declares the two penalties the `mp.profit` game compares (the lower end of the
bound, and one less) and `asked_penalty` gives each one's p.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from fractions import Fraction

from mpgames.scheme.errors import RuleViolation, SchemeError
from mpgames.scheme.integers import checked_int
from mpgames.scheme.variants import ConstructionVariant

# The variants of B's penalty (`penalty_variants`).
PENALTY_IN_BOUND = "penalty-in-bound"
PENALTY_TOO_SMALL = "penalty-too-small"

# A purchase in the profit model: (index of the voucher spent, price). Voucher 0 is the one the payer
# holds when the slot starts; purchase i issues voucher i + 1.
Purchase = tuple[int, int]

# The errors `checked_int` raises here: a model parameter out of range, a price outside [u1, u2].
_range_error = functools.partial(RuleViolation, "parameter-range")
_amount_error = functools.partial(RuleViolation, "tx-amount")


def _positive(value: object, name: str) -> int:
    return checked_int(value, name, minimum=1, error=_range_error)


def _non_negative(value: object, name: str) -> int:
    return checked_int(value, name, minimum=0, error=_range_error)


def _prices(u1: int, u2: int) -> tuple[int, int]:
    _positive(u1, "u1")
    _positive(u2, "u2")
    if u1 > u2:
        raise RuleViolation("parameter-range", "u1 (the smallest price) must not exceed u2 (the largest)")
    return u1, u2


def purchases_per_slot(work_time: int, purchase_time: int, slot: int) -> int:
    """N = ⌊T̂/Ť⌋, with T̂ the working time per slot, Ť the time of one purchase and T̂ ≤ T̄ = `slot`."""
    _positive(work_time, "working time T̂")
    _positive(purchase_time, "purchase time Ť")
    _positive(slot, "slot T̄")
    if work_time > slot:
        raise RuleViolation("parameter-range", "the working time T̂ cannot exceed the slot T̄")
    if purchase_time > work_time:
        raise RuleViolation("parameter-range", "a purchase (Ť) must fit in the working time T̂")
    return work_time // purchase_time


@dataclass(frozen=True)
class PenaltyBounds:
    """The interval F − u2 ≤ p ≤ F, with F = N_m·u2 and N_m = m·⌊T̂/Ť⌋ purchases per slot."""

    purchases: int
    u2: int

    def __post_init__(self) -> None:
        _positive(self.purchases, "purchases per slot N")
        _positive(self.u2, "u2")

    @property
    def upper(self) -> int:
        """F = N·u2, the seed's bound."""
        return self.purchases * self.u2

    @property
    def lower(self) -> int:
        """F − u2 = (N − 1)·u2: the least penalty that makes a double spend unprofitable."""
        return self.upper - self.u2

    def contains(self, penalty: int) -> bool:
        return self.lower <= _non_negative(penalty, "penalty p") <= self.upper

    def check(self, penalty: int) -> int:
        """Return p if it lies in [F − u2, F]; else RuleViolation("penalty-bound")."""
        if not self.contains(penalty):
            raise RuleViolation("penalty-bound", f"p = {penalty} lies outside [{self.lower}, {self.upper}]")
        return penalty


def penalty_bounds(
    work_time: int, purchase_time: int, slot: int, u2: int, *, devices: int = 1
) -> PenaltyBounds:
    """[F − u2, F] for a payer with `devices` devices in parallel (m = 1 is the seed's case)."""
    n = purchases_per_slot(work_time, purchase_time, slot)
    return PenaltyBounds(_positive(devices, "devices m") * n, _positive(u2, "u2"))


def penalty_variants(bounds: PenaltyBounds) -> tuple[ConstructionVariant, ConstructionVariant]:
    """The penalties B may ask, as the variants of `mp.profit` (`mpgames.scheme.variants`): the lower end
    (N − 1)·u2 of the bound, which B checks ("penalty-in-bound"), and one less, which B accepts
    unchecked ("penalty-too-small", broken: N forks of a voucher with δ = u2 gain 1)."""
    return (
        ConstructionVariant(
            PENALTY_IN_BOUND,
            broken=False,
            description=f"p = (N − 1)·u2 = {bounds.lower} in [(N − 1)·u2, N·u2], checked by B",
        ),
        ConstructionVariant(
            PENALTY_TOO_SMALL,
            broken=True,
            description=f"p = (N − 1)·u2 − 1 = {bounds.lower - 1}: N forks of a voucher with δ = u2 gain 1",
            breaks=("mp.profit",),
        ),
    )


def asked_penalty(variant: str, bounds: PenaltyBounds) -> tuple[int, PenaltyBounds | None]:
    """The penalty p B asks in the named variant of `penalty_variants`, and the bound it checks p
    against (None: unchecked)."""
    if variant == PENALTY_IN_BOUND:
        return bounds.lower, bounds
    if variant == PENALTY_TOO_SMALL:
        return bounds.lower - 1, None
    raise SchemeError(f"unknown penalty variant {variant!r}")


def channel_expiry(slots: int, slot: int, t_conf: int, *, start: int = 0) -> int:
    """T = t_0 + l·T̄ + T_conf: l slots of trading, then T_conf for B's closing transaction."""
    return (
        _non_negative(start, "start t_0")
        + _positive(slots, "slots l") * _positive(slot, "slot T̄")
        + _non_negative(t_conf, "T_conf")
    )


def assertion_depth(deposit: int, u1: int) -> int:
    """The least tree depth D with 2^D > ⌊d/u1⌋: one context per possible payment (spec §3.4, §5.6)."""
    payments = _positive(deposit, "deposit d") // _positive(u1, "u1")
    return max(1, payments.bit_length())


def miner_deposit(penalty: int, attacker_share: Fraction) -> int:
    """⌈p·(1 − f)/(1 − 2f)⌉: the deposit that deters a payer who mines a share f < 1/2 (RKS §6.1)."""
    _non_negative(penalty, "penalty p")
    if not isinstance(attacker_share, Fraction | int) or isinstance(attacker_share, bool):
        raise RuleViolation("parameter-range", "the mining share f must be a Fraction (exact arithmetic)")
    f = Fraction(attacker_share)
    if not 0 <= f < Fraction(1, 2):
        raise RuleViolation("parameter-range", "the mining share f must lie in [0, 1/2)")
    return math.ceil(penalty * (1 - f) / (1 - 2 * f))


# -- profit model ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SlotStrategy:
    """What a payer does in one slot: its capacity δ on entry and its purchases (voucher, price)."""

    delta: int
    purchases: tuple[Purchase, ...]

    @property
    def value(self) -> int:
        """V: the value of everything bought in the slot."""
        return sum(price for _, price in self.purchases)

    @property
    def forks(self) -> bool:
        """True iff some voucher was spent twice (a double spend B will detect)."""
        spent = [voucher for voucher, _ in self.purchases]
        return len(set(spent)) < len(spent)

    def check(self, purchases: int, u1: int, u2: int) -> None:
        """RuleViolation unless the strategy obeys the slot's rules (what the points of sale enforce)."""
        _non_negative(self.delta, "capacity δ")
        _prices(u1, u2)
        if len(self.purchases) > _positive(purchases, "purchases per slot N"):
            raise RuleViolation("slot-purchases", f"at most {purchases} purchases fit in one slot")
        paid = [0]  # cumulative payment on the branch of each voucher, relative to the slot start
        for i, (voucher, price) in enumerate(self.purchases):
            if not isinstance(voucher, int) or not 0 <= voucher <= i:
                raise RuleViolation("slot-voucher", f"purchase {i} spends a voucher that does not exist yet")
            price = checked_int(
                price, f"purchase {i}: the price", minimum=u1, maximum=u2, error=_amount_error
            )
            if paid[voucher] + price > self.delta:
                raise RuleViolation(
                    "over-deposit", f"purchase {i} overdraws its branch (capacity {self.delta})"
                )
            paid.append(paid[voucher] + price)

    def profit(self, penalty: int) -> int:
        """V − δ − p for a double spender (its loss of d + p against goods worth b_prev + V); 0 if honest."""
        _non_negative(penalty, "penalty p")
        return self.value - self.delta - penalty if self.forks else 0


def entry_capacities(deposit: int, u1: int, u2: int) -> tuple[int, ...]:
    """Every δ = d − b_prev the payer can reach by honest purchases of prices in [u1, u2]."""
    _positive(deposit, "deposit d")
    _prices(u1, u2)
    reachable = {0}
    for b in range(deposit + 1):
        if b in reachable:
            reachable.update(b + x for x in range(u1, u2 + 1) if b + x <= deposit)
    return tuple(sorted(deposit - b for b in reachable))


def best_cheating_strategy(purchases: int, u1: int, u2: int, deposit: int) -> SlotStrategy | None:
    """The forking strategy with the largest V − δ over every reachable δ (exhaustive); None if no
    strategy can fork (N < 2 or no capacity for two purchases)."""
    _positive(purchases, "purchases per slot N")
    best: SlotStrategy | None = None
    for delta in entry_capacities(deposit, u1, u2):
        found = _best_forking_value(delta, purchases, u1, u2)
        if found is None:
            continue
        strategy = SlotStrategy(delta, _replay(delta, found[1]))
        if best is None or strategy.value - strategy.delta > best.value - best.delta:
            best = strategy
    return best


def max_cheating_profit(purchases: int, u1: int, u2: int, deposit: int, penalty: int) -> int | None:
    """max (V − δ − p) over all forking strategies; None if no strategy can fork."""
    strategy = best_cheating_strategy(purchases, u1, u2, deposit)
    return None if strategy is None else strategy.profit(penalty)


# A move of the search: (capacity of the voucher spent, whether it was spent before, price).
_Move = tuple[int, bool, int]


def _best_forking_value(delta: int, purchases: int, u1: int, u2: int) -> tuple[int, tuple[_Move, ...]] | None:
    """(V, moves) of the best strategy that forks at least once, from one voucher of capacity δ.

    Vouchers with the same remaining capacity and the same spent/unspent status are interchangeable,
    so the state is (multiset of unspent capacities, set of spent capacities, forked yet, purchases
    left); vouchers with less capacity than u1 are dropped as useless.
    """

    @functools.cache
    def search(
        unspent: tuple[int, ...], spent: frozenset[int], forked: bool, left: int
    ) -> tuple[int, tuple[_Move, ...]] | None:
        options: list[tuple[int, tuple[_Move, ...]]] = [(0, ())] if forked else []
        if left:
            for capacity in sorted(set(unspent)):
                rest = list(unspent)
                rest.remove(capacity)
                for price in range(u1, min(u2, capacity) + 1):
                    after = _keep(rest, capacity - price, u1)
                    found = search(after, _mark(spent, capacity, u1), forked, left - 1)
                    if found is not None:
                        options.append((price + found[0], ((capacity, False, price), *found[1])))
            for capacity in sorted(spent):
                for price in range(u1, min(u2, capacity) + 1):
                    found = search(_keep(list(unspent), capacity - price, u1), spent, True, left - 1)
                    if found is not None:
                        options.append((price + found[0], ((capacity, True, price), *found[1])))
        return max(options, key=lambda option: option[0], default=None)

    return search(_keep([], delta, u1), frozenset(), False, purchases)


def _keep(unspent: list[int], capacity: int, u1: int) -> tuple[int, ...]:
    """Add a new voucher to the unspent multiset unless it cannot pay even u1."""
    return tuple(sorted([*unspent, capacity] if capacity >= u1 else unspent))


def _mark(spent: frozenset[int], capacity: int, u1: int) -> frozenset[int]:
    return spent | {capacity} if capacity >= u1 else spent


def _replay(delta: int, moves: tuple[_Move, ...]) -> tuple[Purchase, ...]:
    """Turn the search's moves into purchases with concrete voucher indices."""
    capacity, spent = [delta], [False]
    purchases = []
    for wanted, was_spent, price in moves:
        voucher = next(i for i, c in enumerate(capacity) if c == wanted and spent[i] == was_spent)
        purchases.append((voucher, price))
        spent[voucher] = True
        capacity.append(wanted - price)
        spent.append(False)
    return tuple(purchases)
