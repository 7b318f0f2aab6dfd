"""Inner adversaries for the reductions, where adversaries/ has none that fits (harness §4, §5).

A reduction is measured against a real inner adversary that wins on the toy tier; these are generic
attacks on toy groups, shaped to what each reduction can simulate:

* `mc.bsgs-mint` (mc.type2): takes no coin; on MC-0 it solves x = log y and t = log(R_root·g^−μ) by
  BSGS and opens the root to coin l* with r = t/x. A winner that needs no coin is what the MC-0
  reduction can simulate (reductions/coin.py).
* `mp.ds-leaf-collision` (mp.ds): a birthday search over its prices finds two statements whose leaf
  messages H_q("AA/S", st) collide modulo a toy q (about 2·√q hashes): both open one tree path, so
  one assertion makes both spends of a voucher pass and Extract finds no node opened twice.

They are not in the adversary registry: `mpgames reduce` offers them with their reductions. The
forgers of the random-oracle games, registered, are in adversaries/rom.py.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from adversaries.base import Adversary
from adversaries.dl import STEP_BUDGET, recovered_log
from adversaries.microcoin import B2, N2, random_coin
from adversaries.micropay import DS_PENALTY, DS_PRICE, PayerDevice, one_slot_close
from games.mc_type1 import distinct_keypair
from games.mp_ds import MICROPAY3
from games.view import View
from scheme.assertions import Assertion
from scheme.chameleon import message_scalar
from scheme.channel_tx import UpdateTx
from scheme.dlog import bsgs
from scheme.hashing import Tag, hash_to_scalar
from scheme.microcoin import Aux, Coin, CoinKind, OpeningCoin, RootHash, coin_message
from scheme.micropay import Payment
from scheme.randomness import RandomSource
from scheme.vouchers import Voucher

# -- microcoins -------------------------------------------------------------------------------------------


class BsgsMint(Adversary):
    """Reference attack: no coin taken; on MC-0 the key and the root's discrete log by BSGS, then coin l*."""

    id = "mc.bsgs-mint"
    label = "no coin: BSGS on y and on the root, open it to coin l*"
    targets = ("mc.type2",)
    expect = "breaks:mc-0"
    breaks_tiers = ("toy",)

    def query(self, view: View, rng: RandomSource) -> None:
        payee, _ = distinct_keypair(view.group, rng, view.pk)
        self.aux: Aux = view.setup(B2, N2, payee)

    def forge(self, view: View, rng: RandomSource) -> Coin:
        aux, j = self.aux, view.challenge
        variant = aux.variant
        if variant.coins is not CoinKind.OPENING or variant.root_hash is not RootHash.KR:
            return random_coin(aux, j, rng)  # a chain word or an ADM opening: nothing to solve
        group = aux.group
        # Ch(μ_l*; r) = g^μ · y^r = R_root  ⇔  x·r = log(R_root · g^−μ) = t.
        x = recovered_log(group, aux.payer.y, rng)
        mu = message_scalar(group, coin_message(aux.cid, j))
        t = bsgs(group, group.mul(aux.commit.root, group.gexp(group.q - mu)), max_steps=STEP_BUDGET)
        if x is None or t is None:  # a budget ran out
            return random_coin(aux, j, rng)
        return OpeningCoin(group, aux.cid, j, t * group.inv_scalar(x) % group.q)


# -- double spending --------------------------------------------------------------------------------------

# Table size cap of the birthday search: √q for a toy q (about 2^10 for toy-64-20), and this many
# prices where √q is out of reach (a standard q: the search then fails, as it should).
SEARCH_LIMIT = 2**11
# Prices tried at the second point of sale, per table entry: the chance that none of FACTOR·√q tries
# hits a √q-entry table is about e^−FACTOR = 0.25%.
FACTOR = 6
# The deposit covers the largest price the search may pick.
DEPOSIT = FACTOR * SEARCH_LIMIT


def leaf_message(q: int, statement: bytes) -> int:
    """m = H_q("AA/S", st): the message an assertion opens its leaf to (scheme §3.4)."""
    return hash_to_scalar(q, Tag.AA_S, statement)


def leaf_collision(
    q: int, statement: Callable[[bytes, int], bytes], nonces: tuple[bytes, bytes]
) -> tuple[int, int] | None:
    """Prices (x0, x1) with H_q("AA/S", st(r0, x0)) = H_q("AA/S", st(r1, x1)): a table of √q prices at
    r0, then up to FACTOR·√q prices at r1 looked up in it; None if none collide."""
    first, second = nonces
    width = min(math.isqrt(q) + 1, SEARCH_LIMIT)
    table = {leaf_message(q, statement(first, x)): x for x in range(1, width + 1)}
    for x1 in range(1, FACTOR * width + 1):
        x0 = table.get(leaf_message(q, statement(second, x1)))
        if x0 is not None:
            return x0, x1
    return None


class _SplitPayer(PayerDevice):
    """The payer device with a purchase split in two: the nonces first, the spends once prices are set."""

    def assertion(self, index: int, statement: bytes) -> Assertion | None:
        """τ for st in context k (None where payments carry no assertion)."""
        return None if self._asserter is None else self._asserter.assert_(index, statement)

    def spend(
        self, pos: int, voucher: Voucher, price: int, nonce: bytes, assertion: Assertion | None
    ) -> Voucher:
        """Pay `price` at B_pos with `voucher`, answering its nonce with the given assertion."""
        update = UpdateTx.create(self._sk, self.cid, voucher.state.paid + price, self._rng)
        return self._view.spend(pos, Payment(voucher, price, nonce, update, assertion))


class LeafCollisionDoubleSpend(Adversary):
    """Reference attack: one voucher at B_0 and B_1 with statements whose leaf messages collide."""

    id = "mp.ds-leaf-collision"
    label = "birthday collision of H_q(st) on a toy q, one assertion for two spends"
    targets = ("mp.ds",)
    expect = f"breaks:{MICROPAY3}"
    breaks_tiers = ("toy",)

    def attack(self, view: View, rng: RandomSource) -> None:
        device = _SplitPayer(view, rng)
        voucher = device.open(DEPOSIT, DS_PENALTY, one_slot_close(view))
        k, nonces = voucher.state.index, (view.nonce(0), view.nonce(1))

        def statement(nonce: bytes, price: int) -> bytes:
            return view.vouchers.statement(device.cid, nonce, price)

        prices = leaf_collision(view.group.q, statement, nonces)
        if prices is None:  # no collision within the search: one honest purchase
            device.spend(0, voucher, DS_PRICE, nonces[0], device.assertion(k, statement(nonces[0], DS_PRICE)))
            return
        # Both statements open the same leaf message: one assertion verifies for both.
        tau = device.assertion(k, statement(nonces[0], prices[0]))
        for pos in (0, 1):
            device.spend(pos, voucher, prices[pos], nonces[pos], tau)
