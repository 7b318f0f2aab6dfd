"""The payer of the Type II game as a reduction simulates it (harness §5; scheme §4.4,
mpgames.games.mc_type2).

In `mc.type2` the challenger is the payer: O_setup commits a coin set to A's payee key, O_coin hands
out c_1, c_2, … in order, then A forges the challenge coin l*. A reduction plays that payer without
some secret (the payer's key, or a chain word above the challenge), so it answers O_setup and O_coin
with a `SimulatedPayer` whose subclass makes the commitment and the coins it can, and aborts the run
(`Simulation.abort`) on a coin it cannot make. `play_type_two` runs the experiment's two stages around
it exactly as the game does: the same oracles, budgets, checks, view and challenge draw.
"""

from __future__ import annotations

from collections.abc import Callable

from mpgames.framework.errors import MalformedQuery
from mpgames.games.mc_type2 import FORGE, QUERY, TypeTwoForgeView, TypeTwoQueryView, check_setup_query
from mpgames.games.microcoins import FUNDS
from mpgames.reductions.base import Simulation
from mpgames.scheme.microcoin import Aux, Coin
from mpgames.scheme.schnorr import PublicKey


class SimulatedPayer:
    """O_setup and O_coin of mc.type2 with the coin set made by `commit` and the coins by `coin_at`."""

    # The reduction's state: a `View` refuses to carry it.
    is_challenger_object = True

    def __init__(self, sim: Simulation) -> None:
        self.sim = sim
        self.aux: Aux | None = None
        self._paid: list[Coin] = []

    def setup(self, b: int, n: int, payee: PublicKey) -> Aux:
        """O_setup(b, n, y_R), with the game's checks; Aux = c_0 to A."""
        b, n, payee = check_setup_query(self.sim.group, b, n, payee)
        self.aux = self.commit(b, n, payee)
        return self.aux

    def coin(self) -> Coin:
        """O_coin(): c_{l+1}, up to c_(n−1), as in the game; `coin_at` makes it or aborts."""
        if self.aux is None:
            raise MalformedQuery("no coins before setup")
        j, n = len(self._paid) + 1, self.aux.terms.n
        if j > n - 1:
            raise MalformedQuery(f"A gets at most c_1 … c_(n−1) = c_{n - 1}")
        coin = self.coin_at(j)
        self._paid.append(coin)
        return coin

    @property
    def paid(self) -> tuple[Coin, ...]:
        return tuple(self._paid)

    def commit(self, b: int, n: int, payee: PublicKey) -> Aux:
        """The coin set's Aux, as far as the reduction can make it."""
        raise NotImplementedError

    def coin_at(self, j: int) -> Coin:
        """Coin c_j, or `self.sim.abort(...)`."""
        raise NotImplementedError


def play_type_two(
    sim: Simulation, pk: PublicKey, payer: SimulatedPayer, hash_: Callable[[bytes, int, bytes], bytes]
) -> tuple[int, object] | None:
    """The mc.type2 experiment around a simulated payer with key `pk` and chain hash `hash_`:
    (l*, A's coin), or None when A set up no coin set (it loses)."""
    o_setup = sim.oracle("setup", payer.setup, phases=(QUERY,))
    o_coin = sim.oracle("coin", payer.coin, phases=(QUERY,))
    o_hash = sim.oracle("hash", hash_)
    view = TypeTwoQueryView(
        group=sim.group,
        variant=sim.variant.name,
        pk=pk,
        funds=FUNDS,
        setup=o_setup,
        coin=o_coin,
        hash=o_hash,
    )
    sim.play(QUERY, view, returns=None)
    if payer.aux is None:
        return None
    # Challenge: l* ←$ {l+1, …, n}, as the game draws it.
    held, n = len(payer.paid), payer.aux.terms.n
    l_star = held + 1 + sim.rng.randbelow(n - held)
    return l_star, sim.play(FORGE, TypeTwoForgeView(challenge=l_star, hash=o_hash), returns=Coin)
