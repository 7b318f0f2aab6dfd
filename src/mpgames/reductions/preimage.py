"""`pw-preimage`: a Type II winner against truncated MC-B gives a preimage of the chain hash (harness §5).

The target is the assumption game `hash.preimage` (mpgames.games.hash_preimage): one step
f = H_κ("MC/PW", cid, 1, ·) of the chain hash, at a fresh channel id, given as an oracle O_f, and
y = f(w) for a uniform word w; find w' with f(w') = y. For κ = 12 (`trunc`, the hash of mc-b-trunc)
q_f queries succeed with probability about q_f·2^(1−κ).

Proof sketch (random-oracle model: the chain hash is the oracle O_hash of mc.type2, and each pair
(cid, i) is an independent random function). B plays the honest payer of `mc.type2` on mc-b-trunc,
key and commitment included, except for its chain: after A's O_setup(b, n, y_R), B guesses
j ←$ {0, …, n − 1}, sets w_j = y and hashes down to w_0 = H(cid, 1, w_1), links w_0 to the root with
its trapdoor as the payer does, and programs O_hash(cid, j + 1, ·) = f: in A's view w_j is the image
of the hidden w_(j+1) under that step, as in the game. B hands out c_1 … c_j; A asking for c_(j+1)
(a preimage of y) aborts the run. If A took exactly l = j coins and wins, its coin l* > j hashes down
to w_j = y, and the word it reaches at index j + 1 is a preimage of y under f. The guess is right
with probability 1/n ≥ 1/n_max (n_max = 64, the most coins a payee accepts), independent of A's view:
Adv_pre(B) ≥ Adv_type2(A) / n_max. B makes A's queries to O_hash at (cid, j + 1) and no other.
"""

from __future__ import annotations

from mpgames.adversaries.hash import RandomPreimage
from mpgames.adversaries.microcoin import PreimageSearch, RandomCoin
from mpgames.games.hash_preimage import TRUNC, ChainHashPreimage, HashPreimageView
from mpgames.games.mc_type2 import EXPIRY, MicrocoinTypeTwo, hash_oracle
from mpgames.games.microcoins import MAX_COINS
from mpgames.reductions.base import SEED_LEN, BoundParameters, Reduction, Simulation
from mpgames.reductions.payer import SimulatedPayer, play_type_two
from mpgames.scheme import schnorr
from mpgames.scheme.microcoin import VARIANTS, Aux, Link, PayWordCoin, link_randomness, microcoin_gen
from mpgames.scheme.randomness import RandomSource
from mpgames.scheme.schnorr import PublicKey, SecretKey


class _EmbeddedChainPayer(SimulatedPayer):
    """The honest payer of mc-b-trunc but for its chain: w_j = y for a guessed j, the words below j
    hashed from it, the words above unknown."""

    def __init__(self, sim: Simulation, sk: SecretKey, y: bytes) -> None:
        super().__init__(sim)
        self._sk = sk
        self._y = y
        self.cid = b""
        self.guess = 0
        self._words: list[bytes] = []

    def commit(self, b: int, n: int, payee: PublicKey) -> Aux:
        chain_hash = VARIANTS[TRUNC].chain_hash
        gen = microcoin_gen(self._sk, payee, b, n, EXPIRY, variant=VARIANTS[TRUNC], rng=self.sim.rng)
        self.cid = gen.cid
        # Guess l, the coins A will take: w_j = y, then w_(i−1) = H(cid, i, w_i) down to w_0.
        self.guess = self.sim.rng.randbelow(n)
        words = [self._y]
        for i in range(self.guess, 0, -1):
            words.append(chain_hash.step(self.cid, i, words[-1]))
        self._words = words[::-1]
        # The payer's link of w_0 to the root, with its trapdoor.
        r = link_randomness(self._sk, gen.root_opening, self.cid, gen.terms, self._words[0])
        return Aux(gen.commit, gen.signature, Link(self._words[0], r))

    def coin_at(self, j: int) -> PayWordCoin:
        if j > self.guess:
            self.sim.abort(f"coin {j} is a preimage of the embedded word w_{self.guess} = y")
        return PayWordCoin(self.cid, j, self._words[j])

    def embeds(self, cid: bytes, i: int) -> bool:
        """Is (cid, i) the step B answers with f, the one from w_(j+1) to w_j = y?"""
        return self.aux is not None and cid == self.cid and i == self.guess + 1


class ChainToPreimage(Reduction[HashPreimageView]):
    """B: y as the chain word at a guessed index, O_hash at the step above it answered by O_f."""

    name = "pw-preimage"
    relation = f"Adv_pre ≥ Adv_type2 / n_max, n_max = {MAX_COINS} (B guesses how many coins A takes)"
    inner_game = MicrocoinTypeTwo
    inner_variant = TRUNC
    outer_game = ChainHashPreimage
    outer_variant = "trunc"
    fallback = RandomPreimage
    inner_adversaries = (PreimageSearch, RandomCoin)

    @classmethod
    def bound(cls, eps: float, parameters: BoundParameters) -> float:
        return eps / MAX_COINS

    def reduce(self, view: HashPreimageView, rng: RandomSource) -> bytes | None:
        group, chain_hash = view.group, VARIANTS[TRUNC].chain_hash
        sim = self.simulation(group, rng.randbytes(SEED_LEN))
        # The payer is honest, key and trapdoor included.
        pk, sk = schnorr.keygen(group, sim.rng)
        payer = _EmbeddedChainPayer(sim, sk, view.y)
        real_hash = hash_oracle(chain_hash)

        def hash_(cid: bytes, i: int, word: bytes) -> bytes:
            answer = real_hash(cid, i, word)  # the game's checks (and answer) for every query
            return view.f(word) if payer.embeds(cid, i) else answer

        played = play_type_two(sim, pk, payer, hash_)
        if played is None:
            return None
        l_star, coin = played
        j = payer.guess
        if not isinstance(coin, PayWordCoin) or coin.cid != payer.cid or coin.index != l_star:
            return None
        if l_star <= j or not chain_hash.is_word(coin.word):
            return None  # A took fewer coins than guessed: its coin does not pass through y
        # Hash A's word down to index j + 1 (steps B answers honestly): f maps it to w_j = y if A won.
        return chain_hash.descend(payer.cid, l_star, coin.word, j + 1)
