"""Payment channels with unsynchronized points of sale: the core shared by Micropay 2 and 3 (spec §5.4–§5.5).

Parties and their state:
* the payer A (`Payer`, one `Wallet` per channel): its escrow key, an accountable-assertion tree per
  channel, its current voucher and the contexts (voucher counters k) it has asserted in;
* the points of sale B_1..B_n (`PointOfSale`): a local log, the blacklist X and the latest states S
  that B pushed at the last synchronization; each checks a payment in the spec's order and raises
  `RuleViolation` naming the failed check;
* the merchant B (`Merchant`): opens channels (first voucher), synchronizes once per slot T̄ (merge the
  logs, group by (cid, k), extract the payer's key from conflicting statements, broadcast the
  PenaltyTx, blacklist, push (X, S)) and closes channels with the best UpdateTx.

What differs between the two protocols is the voucher (`VoucherScheme`): Micropay 2 signs states that
name the point of sale with its Schnorr key and asserts st = r; Micropay 3 ring-signs states with an
expiry T' and asserts st = enc(cid, r, x) (`mpgames.scheme.micropay2`, `mpgames.scheme.micropay3`).

A cheating payer uses the same wallet: `Wallet.pay(pos, price, voucher=old, force=True)` (or
`build_payment`) presents an old voucher again. An honest wallet refuses a used context; forcing it
asserts with a clone of the wallet's tree (the same secrets on a second device), which is exactly an
equivocation that synchronization turns into the payer's key.

Modules: `records` (states, prices, the schedule, `VoucherScheme`, payments), `point_of_sale`,
`merchant` and `payer`. This package re-exports their public names.
"""

from __future__ import annotations

from mpgames.scheme.micropay.merchant import DoubleSpend, Merchant, MerchantBooks, SyncReport, setup_merchant
from mpgames.scheme.micropay.payer import ChannelWallet, Payer, Wallet, lock_escrow
from mpgames.scheme.micropay.point_of_sale import NONCE_LEN, PointOfSale
from mpgames.scheme.micropay.records import (
    ChannelState,
    Payment,
    PaymentRecord,
    Schedule,
    VoucherScheme,
    channel_state,
    check_price,
)

__all__ = [
    "NONCE_LEN",
    "ChannelState",
    "ChannelWallet",
    "DoubleSpend",
    "Merchant",
    "MerchantBooks",
    "Payer",
    "Payment",
    "PaymentRecord",
    "PointOfSale",
    "Schedule",
    "SyncReport",
    "VoucherScheme",
    "Wallet",
    "channel_state",
    "check_price",
    "lock_escrow",
    "setup_merchant",
]
