"""`mc0-dl`: an MC-0 Type II win that takes no coin gives the payer's key (harness §5; scheme §4.2, §4.4).

Proof sketch. B gets h = g^x and plays the payer of `mc.type2` (variant mc-0) with key y = h:

* O_setup: the root is R_root = g^a · h^s for uniform a, s, a uniform element as Ch(a; s) is in the
  game, and B keeps (a, s); nonce, b, n, v and T_exp are the game's. σ_U is simulated: uniform
  (e, s') with R = g^s'·y^−e, the random oracle programmed at (R, y, COMMIT). The game offers no
  oracle for that hash, so nothing in A's view reads the programming (an A that verified σ_U with
  the real hash would notice; none of ours does: the random-oracle assumption, as for every simulated
  signature here).
* O_coin: a coin is an opening of R_root to μ(enc("coin", cid, j)). B knows one opening, of the
  unrelated message a; a second one would be x itself. B cannot make any coin and aborts the run.
* A's coin for l* is an opening (μ_l*, r) of R_root; with (a, s) it gives the key from the collision:
  x = (a − μ_l*)/(r − s), unless r = s (then μ_l* = a, probability 1/q).

So Adv_dl(B) ≥ ε₀ − 1/q, where ε₀ = Pr[A wins ∧ A takes no coin]: B answers for every A, but the
relation only promises something about the wins that need no coin. That restriction is the lesson:
the reference attack on MC-0 (`mc.key-exposure`) takes two coins, which no simulator can hand out
without x. `mpgames reduce mc0-dl --inner mc.key-exposure` shows a Type II advantage of 1 with
ε₀ = 0: MC-0 is broken, and the relation still holds.
"""

from __future__ import annotations

from mpgames.adversaries.dl import RandomLogGuess
from mpgames.adversaries.microcoin import BsgsMint, KeyExposure, RandomCoin
from mpgames.framework.outcome import TrialOutcome
from mpgames.games.dl import DiscreteLog, DlView
from mpgames.games.mc_type2 import EXPIRY, MicrocoinTypeTwo, hash_oracle
from mpgames.reductions.base import SEED_LEN, BoundParameters, Reduction, Simulation
from mpgames.reductions.oracle import simulated_schnorr
from mpgames.reductions.payer import SimulatedPayer, play_type_two
from mpgames.scheme import chameleon
from mpgames.scheme.microcoin import NONCE_LEN, VARIANTS, Aux, ChainTerms, Commit, OpeningCoin, coin_message
from mpgames.scheme.randomness import RandomSource
from mpgames.scheme.schnorr import PublicKey

MC0 = "mc-0"


class _KeylessPayer(SimulatedPayer):
    """The MC-0 payer with key y = h: a root with one opening B knows, a simulated σ_U, and no coin."""

    def __init__(self, sim: Simulation, pk: PublicKey) -> None:
        super().__init__(sim)
        self.pk = pk
        self.root_opening = (0, 0)  # (a, s), drawn by `commit`

    def commit(self, b: int, n: int, payee: PublicKey) -> Aux:
        group, rng = self.pk.group, self.sim.rng
        # R_root = Ch(a; s) = g^a · h^s: B knows this opening, not x.
        a, s = group.random_scalar(rng), group.random_scalar(rng)
        self.root_opening = (a, s)
        root = chameleon.ch(self.pk, a, s)
        terms = ChainTerms(n, b // n)
        commit = Commit(VARIANTS[MC0], rng.randbytes(NONCE_LEN), self.pk, payee, b, terms, root, EXPIRY)
        # σ_U without x: the honest-verifier simulation.
        _, signature = simulated_schnorr(self.pk, rng)
        return Aux(commit, signature, None)

    def coin_at(self, j: int) -> OpeningCoin:
        self.sim.abort(f"coin {j} opens the root to a new message, which takes x")


class CoinToDl(Reduction[DlView]):
    """B: the payer's key is the DL challenge; A's unpaid coin and B's root opening give x."""

    name = "mc0-dl"
    relation = "Adv_dl ≥ ε₀ − 1/q, ε₀ = Pr[A wins taking no coin]"
    inner_game = MicrocoinTypeTwo
    inner_variant = MC0
    outer_game = DiscreteLog
    outer_variant = "subgroup"
    fallback = RandomLogGuess
    inner_adversaries = (BsgsMint, RandomCoin, KeyExposure)

    @classmethod
    def counts(cls, outcome: TrialOutcome) -> bool:
        """ε₀ counts the wins of A that took no coin."""
        return outcome.won and outcome.query_count("coin") == 0

    @classmethod
    def bound(cls, eps: float, parameters: BoundParameters) -> float:
        return eps - 1 / parameters.q

    def reduce(self, view: DlView, rng: RandomSource) -> int | None:
        group = view.group
        sim = self.simulation(group, rng.randbytes(SEED_LEN))
        pk = PublicKey(group, view.h)
        payer = _KeylessPayer(sim, pk)
        played = play_type_two(sim, pk, payer, hash_oracle(VARIANTS[MC0].chain_hash))
        if played is None or payer.aux is None:
            return None
        l_star, coin = played
        # A's coin must be one Transact accepts as coin l* (the game's own predicate): an opening.
        judged = sim.judge(MicrocoinTypeTwo.claims_unpaid_coin, payer.aux, payer.paid, l_star, coin)
        if not judged or not isinstance(coin, OpeningCoin):
            return None
        # Two openings of R_root, (a, s) and (μ_l*, r), give x.
        (a, s), mu = payer.root_opening, chameleon.message_scalar(group, coin_message(payer.aux.cid, l_star))
        return None if coin.r == s else chameleon.extract_key(group, a, s, mu, coin.r)
