"""Micropay 1 certificates name their channel (spec §5.3; docs/scheme.md "Micropay 1").

Regression for the outside review: one payer, one merchant B, two channels. Before the fix the state
(pk_esc, d, b) named only the payer's key, so a cert B issued on channel 1 passed B's checks on
channel 2: the payer bought goods worth 27 while B collected 19. Now the state B signs carries the
channel id and B refuses a cert whose channel is not the one the update spends, whatever the cert's
age, direction or deposit. A refused replay changes nothing: the channel stays open and the payer is
not blacklisted. Toy group toy-64-20; every test checks that the ledger conserves value.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pytest

from mpgames.scheme import schnorr
from mpgames.scheme.errors import RuleViolation
from mpgames.scheme.groups import Group, named_group
from mpgames.scheme.ledger import Ledger
from mpgames.scheme.micropay1 import Mp1Merchant, Mp1Wallet, mp1_state, open_channel
from mpgames.scheme.randomness import SeededRandom
from mpgames.scheme.schnorr import SecretKey
from mpgames.scheme.vouchers import Mp1State, SchnorrVoucher

FUNDS = 100
CLOSE_BY, T_CONF = 10, 3


@dataclass
class World:
    group: Group
    ledger: Ledger
    merchant: Mp1Merchant
    voucher_sk: SecretKey
    payer: SecretKey
    rng: SeededRandom

    def open(self, deposit: int) -> Mp1Wallet:
        times = {"close_by": CLOSE_BY, "t_conf": T_CONF}
        return open_channel(self.ledger, self.payer, self.merchant, deposit=deposit, rng=self.rng, **times)

    def replay(self, wallet: Mp1Wallet, price: int, cert: SchnorrVoucher) -> SchnorrVoucher:
        """Show `cert` to B with A's update of `wallet`'s channel to b* + price."""
        return self.merchant.accept(wallet.build_payment(price, voucher=cert, force=True))

    def assert_untouched(self, *wallets: Mp1Wallet) -> None:
        """A refused replay leaves the channels open and the payer off the blacklist."""
        for wallet in wallets:
            assert self.merchant.channel_status(wallet.cid) == "open"
        assert self.payer.public not in self.merchant.blacklist


@pytest.fixture
def world() -> World:
    group = named_group("toy-64-20")
    rng = SeededRandom("mp1-binding")
    ledger = Ledger()
    voucher_sk = schnorr.keygen(group, rng)[1]
    merchant = Mp1Merchant(ledger, schnorr.keygen(group, rng)[1], voucher_sk, rng)
    payer = schnorr.keygen(group, rng)[1]
    ledger.mint(payer.public, FUNDS)
    return World(group, ledger, merchant, voucher_sk, payer, rng)


def _refused(call) -> RuleViolation:
    with pytest.raises(RuleViolation) as err:
        call()
    assert err.value.rule == "escrow-unknown", err.value
    return err.value


def test_the_reviewed_attack_goods_27_for_19_is_refused(world: World) -> None:
    """Channel 1 (d = 30) and channel 2 (d = 10): channel 1's first cert, shown on channel 2 after 9
    were paid there, bought 8 for nothing, and was then spent again on channel 1."""
    first, second = world.open(30), world.open(10)
    second.pay(world.merchant, 9)
    fresh = first.voucher  # (pk_esc, 30, 0): never shown on channel 2
    _refused(lambda: world.replay(second, 8, fresh))
    world.assert_untouched(first, second)
    first.pay(world.merchant, 10)
    goods = first.spent + second.spent
    world.merchant.close(first.cid)
    world.merchant.close(second.cid)
    collected = world.ledger.balance(world.merchant.public)
    assert goods == collected == 19
    assert world.ledger.total_value() == world.ledger.minted


@pytest.mark.parametrize(
    "case",
    [
        "fresh cert of channel 1 on channel 2",
        "spent cert of channel 1 on channel 2",
        "latest cert of channel 2 on channel 1",
        "first cert of channel 2 on channel 1",
    ],
)
def test_no_cert_of_one_channel_pays_on_another(world: World, case: str) -> None:
    first, second = world.open(30), world.open(12)
    first_cert = first.voucher
    first.pay(world.merchant, 4)  # first_cert is now used on channel 1
    second_cert = second.voucher
    second.pay(world.merchant, 6)
    cert, target = {
        "fresh cert of channel 1 on channel 2": (first.voucher, second),
        "spent cert of channel 1 on channel 2": (first_cert, second),
        "latest cert of channel 2 on channel 1": (second.voucher, first),
        "first cert of channel 2 on channel 1": (second_cert, first),
    }[case]
    _refused(lambda: world.replay(target, 2, cert))
    world.assert_untouched(first, second)
    # Both channels still take honest payments, and B is paid exactly for what it served.
    first.pay(world.merchant, 1)
    second.pay(world.merchant, 1)
    world.merchant.close(first.cid)
    world.merchant.close(second.cid)
    assert world.ledger.balance(world.merchant.public) == first.spent + second.spent == 12
    assert world.ledger.total_value() == world.ledger.minted


def test_equal_deposits_do_not_make_states_interchangeable(world: World) -> None:
    """With d equal on both channels, (pk_esc, d, b) alone was the same state on either channel."""
    first, second = world.open(20), world.open(20)
    first.pay(world.merchant, 1)
    second.pay(world.merchant, 10)
    _refused(lambda: world.replay(second, 5, first.voucher))  # (pk_esc, 20, 1): never used on channel 2
    world.assert_untouched(first, second)


def test_a_foreign_cert_cannot_lift_an_update_over_the_channel_deposit(world: World) -> None:
    """A cert of a larger channel let the update exceed the smaller channel's escrow: B's best update
    was then unspendable and B collected nothing on that channel."""
    large, small = world.open(30), world.open(10)
    large.pay(world.merchant, 9)
    small.pay(world.merchant, 2)
    _refused(lambda: world.replay(small, 5, large.voucher))  # would update the 10-channel to b = 14
    world.merchant.close(small.cid)
    world.merchant.close(large.cid)
    assert world.ledger.balance(world.merchant.public) == 11
    assert world.ledger.total_value() == world.ledger.minted


def test_a_cert_that_names_an_unknown_channel_is_refused(world: World) -> None:
    """A state naming a channel that is not on the ledger, even signed with B's voucher key."""
    wallet = world.open(20)
    unknown = Mp1State(world.payer.public, 20, 0, bytes(32))
    unbound = SchnorrVoucher.issue(world.voucher_sk, unknown, world.rng)
    assert unbound.verify(world.merchant.voucher_key)
    _refused(lambda: world.replay(wallet, 3, unbound))
    world.assert_untouched(wallet)


def test_every_cert_b_issues_names_its_channel_under_the_signature(world: World) -> None:
    first, second = world.open(20), world.open(20)
    issued = second.pay(world.merchant, 3)
    for wallet, cert in ((first, first.voucher), (second, second.vouchers[0]), (second, issued)):
        state = mp1_state(cert)
        assert state.cid == wallet.cid
        assert cert.verify(world.merchant.voucher_key)
        moved = replace(cert, state=replace(state, cid=(first if wallet is second else second).cid))
        assert not moved.verify(world.merchant.voucher_key)  # the cid is part of what B signed
        data = cert.to_bytes(world.group)
        assert SchnorrVoucher.from_bytes(world.group, data, Mp1State) == cert
