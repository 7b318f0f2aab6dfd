"""A narrated, seeded run of the schemes (spec §5.5–§5.6 and §4.3): what happens, step by step.

1. An honest Micropay 3 channel over two synchronization slots: payments at different points of
   sale, a voucher renewed across the slot boundary, and B's close at the last synchronization.
2. A double spend: one voucher shown at two points of sale in the same slot. Each accepts it; the next
   synchronization finds two statements in one context, extracts the payer's key, confirms the
   penalty transaction and blacklists the payer, whose next payment is refused.
3. A microcoin payment (MC-B): commit, chain, link, one coin paying for several, redemption.

Everything runs in the RFC 5114 §2.3 group (standard tier) with a fixed seed, so the transcript is
the same on every machine. Times are minutes.
"""

from __future__ import annotations

from collections.abc import Callable

from mpgames.scheme import micropay3, schnorr
from mpgames.scheme.errors import RuleViolation
from mpgames.scheme.groups import Group, named_group
from mpgames.scheme.ledger import Ledger
from mpgames.scheme.microcoin import PayWordGen, accept_link, microcoin_gen
from mpgames.scheme.microcoin_tx import CommitTx, RedeemTx
from mpgames.scheme.micropay import Merchant, Payer, Schedule, Wallet
from mpgames.scheme.penalty import assertion_depth, channel_expiry, penalty_bounds
from mpgames.scheme.randomness import SeededRandom
from mpgames.scheme.vouchers import Mp3State, Voucher

GROUP = "rfc5114-2048-256"
# One slot T̄ is an hour; points of sale work T̂ = 48 minutes of it; a purchase takes Ť = 12 minutes.
SLOT, WORK_TIME, PURCHASE_TIME, T_CONF = 60, 48, 12, 24
U1, U2 = 1, 4
DEPOSIT = 20
POINTS_OF_SALE = 3
FUNDS = 100


def _state(wallet: Wallet) -> str:
    state: Mp3State = wallet.voucher.state  # type: ignore[assignment]
    return f"k={state.index}, b={state.paid}, T'={state.valid_until}"


def _short(data: bytes) -> str:
    return data.hex()[:12]


class _Story:
    """The shared world of the walkthrough and a few narrating helpers."""

    def __init__(self, out: Callable[[str], None], seed: int, group: str) -> None:
        self.out = out
        self.rng = SeededRandom(seed)
        self.group: Group = named_group(group)
        self.ledger = Ledger()
        self.bounds = penalty_bounds(WORK_TIME, PURCHASE_TIME, SLOT, U2)
        self.penalty = self.bounds.upper
        self.merchant: Merchant = micropay3.setup(
            self.ledger,
            self.group,
            points_of_sale=POINTS_OF_SALE,
            schedule=Schedule(SLOT, T_CONF),
            penalty_bounds=self.bounds,
            rng=self.rng,
        )

    def payer(self, name: str) -> Payer:
        pk, sk = schnorr.keygen(self.group, self.rng)
        self.ledger.mint(pk, FUNDS)
        self.out(f"  {name} gets {FUNDS} coins on the ledger.")
        return Payer(self.ledger, sk, self.rng)

    def open(self, name: str, payer: Payer, slots: int) -> Wallet:
        wallet = payer.open_channel(
            self.merchant,
            deposit=DEPOSIT,
            penalty=self.penalty,
            slots=slots,
            depth=assertion_depth(DEPOSIT, U1),
        )
        terms = wallet.terms
        self.out(
            f"  t={self.ledger.now}: {name} locks d + p = {terms.amount} in escrow {_short(wallet.cid)}… "
            f"(close at T − T_conf = {terms.close_by}, refund from T = {terms.refund_time}); "
            f"first voucher {_state(wallet)}"
        )
        return wallet

    def pay(
        self,
        name: str,
        wallet: Wallet,
        pos: int,
        price: int,
        *,
        voucher: Voucher | None = None,
        force: bool = False,
    ) -> None:
        wallet.pay(self.merchant.points_of_sale[pos], price, voucher=voucher, force=force)
        self.out(f"  t={self.ledger.now}: {name} pays {price} at POS {pos}; new voucher {_state(wallet)}")
        self.ledger.advance(PURCHASE_TIME)

    def synchronize_at(self, time: int) -> None:
        self.ledger.advance(time - self.ledger.now)
        report = self.merchant.synchronize()
        closed = ", ".join(_short(cid) + "…" for cid in report.closed) or "none"
        self.out(
            f"  t={time}: B synchronizes its points of sale: {len(report.double_spends)} double spend(s), "
            f"channels closed: {closed}"
        )
        for spend in report.double_spends:
            key = spend.key
            self.out(
                f"    context k={spend.index} of channel {_short(spend.cid)}… was asserted twice "
                f"(POS {' and '.join(map(str, spend.points_of_sale))}) with different statements"
            )
            if key is not None:
                self.out(
                    f"    AA.Extract recovers the payer's key x; g^x == pk_A: "
                    f"{self.group.gexp(key.x) == spend.payer.y}"
                )
                self.out(
                    f"    penalty transaction {_short(spend.penalty_txid or b'')}… confirmed on the ledger"
                )
            self.out("    the payer's key is blacklisted and the blacklist pushed to every point of sale")


def walkthrough(out: Callable[[str], None] = print, seed: int = 1, group: str = GROUP) -> None:
    """Print a short narrated run: honest Micropay 3, a detected double spend, a microcoin payment,
    in the named group (RFC 5114 §2.3 by default; `secp256k1` plays it on the blockchain's curve)."""
    story = _Story(out, seed, group)
    merchant, ledger, bounds = story.merchant, story.ledger, story.bounds
    out(f"Group: {story.group.label} (tier {story.group.tier}); seed {seed}")
    out(
        f"Parameters: slot T̄={SLOT}, working time T̂={WORK_TIME}, purchase time Ť={PURCHASE_TIME}, "
        f"so N = ⌊T̂/Ť⌋ = {bounds.purchases} purchases per slot; prices in [{U1}, {U2}]."
    )
    out(
        f"Penalty bound: (N−1)·u2 = {bounds.lower} ≤ p ≤ N·u2 = {bounds.upper}; B asks p = {story.penalty}. "
        f"Two slots give T = l·T̄ + T_conf = {channel_expiry(2, SLOT, T_CONF)}."
    )

    out("")
    out(
        f"1. An honest Micropay 3 channel "
        f"(ring of {POINTS_OF_SALE} points of sale; vouchers name none of them)"
    )
    alice = story.payer("Alice")
    wallet = story.open("Alice", alice, slots=2)
    story.pay("Alice", wallet, 0, 3)
    story.pay("Alice", wallet, 1, 4)
    story.synchronize_at(SLOT)
    out(f"  Alice's voucher expired at T'={SLOT}, but it is the latest state B pushed: it is renewed.")
    story.pay("Alice", wallet, 2, 2)
    story.synchronize_at(2 * SLOT)
    out(
        f"  B co-signed Alice's best update: B holds {ledger.balance(merchant.public)}, "
        f"Alice {ledger.balance(alice.public)} (she bought {wallet.spent})."
    )

    out("")
    out("2. A double spend at two points of sale in one slot")
    mallory = story.payer("Mallory")
    cheat = story.open("Mallory", mallory, slots=1)
    spare = story.open("Mallory", mallory, slots=1)
    story.pay("Mallory", cheat, 0, 4)
    entry = cheat.voucher
    story.pay("Mallory", cheat, 1, 4)
    out("  Mallory shows the voucher she just spent again, at POS 2, asserting context k=1 a second time:")
    story.pay("Mallory", cheat, 2, 4, voucher=entry, force=True)
    before = ledger.balance(merchant.public)
    story.synchronize_at(3 * SLOT)
    seized = ledger.balance(merchant.public) - before
    loss = FUNDS - ledger.balance(mallory.public) - ledger.locked(spare.cid).amount
    out(f"  B took the whole escrow d + p = {seized}; Mallory got goods worth {cheat.spent} and lost {loss}.")
    try:
        spare.pay(merchant.points_of_sale[0], 1)
    except RuleViolation as err:
        out(f"  Mallory's next payment, on her other channel, is refused: {err.rule}.")

    out("")
    out("3. A microcoin payment (MC-B: PayWord chain linked to a ledger-committed chameleon root)")
    carol, dave = schnorr.keygen(story.group, story.rng), schnorr.keygen(story.group, story.rng)
    ledger.mint(carol[0], FUNDS)
    gen = microcoin_gen(carol[1], dave[0], 10, 10, ledger.now + SLOT, rng=story.rng)
    if not isinstance(gen, PayWordGen):  # MC-B, the default variant, pays with a PayWord chain
        raise TypeError(f"MC-B's MicroCoinGen must be a PayWordGen, got {type(gen).__name__}")
    ledger.submit(CommitTx(gen.commit, gen.signature))
    out(
        f"  Carol commits b = 10 as n = 10 coins of v = 1 for Dave: "
        f"commitment {_short(gen.cid)}… on the ledger."
    )
    gen.chain()
    aux = gen.link()
    channel = accept_link(aux, ledger, dave[0])
    out("  She links the hash chain to the committed root (one chameleon opening); Dave checks the link.")
    for j in (3, 7):
        coin = gen.coin(j)
        credit = channel.transact(coin)
        out(
            f"  Carol sends coin {j}; Dave verifies it by hashing alone and credits {credit} "
            f"(total {channel.received})."
        )
    ledger.submit(RedeemTx.create(dave[1], aux, coin, story.rng))
    out(
        f"  Dave redeems coin {coin.index}: he receives {ledger.balance(dave[0])}, "
        f"Carol keeps {ledger.balance(carol[0])} of {FUNDS}."
    )

    out("")
    out(f"Ledger: total value {ledger.total_value()} = minted {ledger.minted}.")
