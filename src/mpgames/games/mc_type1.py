"""Type I security of microcoins, game `mc.type1` (harness §3; scheme §4.3, §4.4 Type I).

The adversary is the payer: it gets the key pair (pk, sk), commits coin sets on an honest ledger
and pays an honest payee R, played by the challenger. R accepts one Aux for the challenge
commitment (AcceptLink), Transacts the coins it is paid and at the end redeems its last coin. A
payer who makes R accept more than the ledger will pay out has spent more than it has. Variants:

* `mc-b`: n and v are bound in the signed COMMIT the ledger records. The trapdoor holder can link
  any chain it likes to its root, yet R refuses every index above n (Transact's index bound);
* `mc-b-unbound-n` (broken): the COMMIT omits n and v and the link carries them, so the payer links
  a chain of 2n words declaring 2n: R accepts 2b and the ledger refuses to redeem the surplus
  (rule "exceeds-locked"). No n is recorded on the ledger, so only the extended win conditions of
  §4.4 can apply there.

R's policy bounds the channels it opens to `MAX_COINS` coins, so that one Transact costs at most
that many hashes whatever n a link declares.

Shared with `mc.type2`: `distinct_keypair`, `FUNDS`, `MAX_COINS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from mpgames.framework.base import Game, budget_table
from mpgames.framework.context import TrialContext
from mpgames.framework.errors import MalformedQuery
from mpgames.framework.oracles import Oracle
from mpgames.framework.view import View
from mpgames.games.microcoins import FUNDS, MAX_COINS
from mpgames.games.variants import declared_variants
from mpgames.measure.verdicts import Kind
from mpgames.scheme import schnorr
from mpgames.scheme.errors import RuleViolation, VerificationError
from mpgames.scheme.groups import Group
from mpgames.scheme.ledger import Ledger
from mpgames.scheme.microcoin import (
    GAME_TYPE1,
    VARIANTS,
    Aux,
    ChainTerms,
    Channel,
    Commit,
    MicrocoinVariant,
    PayWordCoin,
    accept_link,
)
from mpgames.scheme.microcoin_tx import CommitTx, RedeemTx
from mpgames.scheme.randomness import RandomSource
from mpgames.scheme.schnorr import PublicKey, SecretKey

# Stages of the Type I adversary: commit coin sets, then pay the challenge commitment.
COMMIT = "commit"
PAY = "pay"


@dataclass(frozen=True)
class TypeOneCommitView(View):
    """What the payer is given to commit: pk and x, R's key y_R, its funds, the clock and O_commit(tx)."""

    group: Group
    variant: str
    pk: PublicKey
    x: int
    payee: PublicKey
    funds: int
    now: int
    commit: Oracle[[CommitTx], bytes]


@dataclass(frozen=True)
class TypeOnePayView(View):
    """What the payer is given to pay: the challenge commitment cid*, O_accept(Aux) and O_pay(c)."""

    cid: bytes
    accept: Oracle[[Aux], ChainTerms]
    pay: Oracle[[PayWordCoin], int]


class TypeOneAdversary(Protocol):
    """A payer: two stages, commit coin sets, then pay R for cid* (the game reads neither output)."""

    def commit(self, view: TypeOneCommitView, rng: RandomSource) -> None: ...

    def pay(self, view: TypeOnePayView, rng: RandomSource) -> None: ...


def distinct_keypair(group: Group, rng: RandomSource, other: PublicKey) -> tuple[PublicKey, SecretKey]:
    """A key pair whose public key differs from `other` (in a toy group two draws coincide now and then)."""
    pk, sk = schnorr.keygen(group, rng)
    while pk == other:
        pk, sk = schnorr.keygen(group, rng)
    return pk, sk


def recordable(tx: CommitTx, group: Group, variant: MicrocoinVariant) -> CommitTx:
    """`tx` (converted at the boundary) if it is a commit transaction of the game's variant and
    group; else `MalformedQuery`.

    The ledger of a game runs one scheme: a COMMIT of another variant (one that omits n, say) is
    not a transaction of this ledger. The ledger's own rules check everything else.
    """
    commit = tx.commit
    if commit.variant != variant or commit.group != group:
        raise MalformedQuery(f"this ledger records {variant.name} commitments over {group.label} only")
    return tx


class HonestPayee:
    """R's side of the challenge commitment cid*: one channel (AcceptLink), Transact, then Redeem."""

    # Challenger state: a `View` refuses to carry it.
    is_challenger_object = True

    def __init__(self, ledger: Ledger, key: SecretKey, cid: bytes) -> None:
        self._ledger = ledger
        self._key = key
        self._cid = cid
        self._channel: Channel | None = None
        self._accepted: list[PayWordCoin] = []

    def accept(self, aux: Aux) -> ChainTerms:
        """AcceptLink of an Aux for cid* (converted at the boundary): (n, v) as R reads them; ⊥ if R
        refuses the Aux."""
        terms = aux.terms
        if aux.cid != self._cid:
            raise VerificationError("this Aux is not for the challenge commitment")
        if terms.n > MAX_COINS:
            raise VerificationError(f"the payee opens channels of at most {MAX_COINS} coins")
        self._channel = accept_link(aux, self._ledger, self._key.public)
        return terms

    def pay(self, coin: PayWordCoin) -> int:
        """Transact(c, Aux) on a coin converted at the boundary: the value R credits; ⊥ if it refuses
        the coin."""
        if self._channel is None:
            raise VerificationError("the payee has accepted no Aux for the challenge commitment")
        credit = self._channel.transact(coin)
        self._accepted.append(coin)
        return credit

    @property
    def accepted(self) -> tuple[PayWordCoin, ...]:
        """The coins R accepted, in order."""
        return tuple(self._accepted)

    @property
    def received(self) -> int:
        """The value R accepted in all."""
        return 0 if self._channel is None else self._channel.received

    def redeem(self, rng: RandomSource) -> str | None:
        """R redeems its last accepted coin: the rule the ledger cites if it refuses, else None."""
        if self._channel is None or self._channel.last_coin is None:
            return None
        tx = RedeemTx.create(self._key, self._channel.aux, self._channel.last_coin, rng)
        try:
            self._ledger.submit(tx)
        except RuleViolation as refusal:
            return refusal.rule
        return None


class MicrocoinTypeOne(Game):
    """
    ┌────────────────────────────────────────────────────────────────────┐
    │ Type I: a payer spends more than it committed (scheme §4.4)        │
    │                                                                    │
    │ Given:    the payer's pk and sk, the honest payee's key y_R, an    │
    │           honest ledger and O_commit(tx) that records a COMMIT,    │
    │           at most budgets["commit"] times; Z = the recorded ones.  │
    │ Then:     cid* ←$ Z; A pays R for cid* through O_accept(Aux)       │
    │           (AcceptLink, one channel) and O_pay(c) (Transact).       │
    │ Wins iff  R accepted a coin of index j > n as recorded on the      │
    │           ledger, or (extended) more than b in total, or a last    │
    │           coin the ledger refuses to redeem.                       │
    └────────────────────────────────────────────────────────────────────┘
    """

    id = GAME_TYPE1
    title = "Microcoins Type I (payer overspending)"
    kind = Kind.WIN_LOSE
    notion = (
        "a payer holding its own keys, committing coin sets on an honest ledger, makes an honest payee "
        "accept a coin beyond the committed n, more than the committed b, or a coin the ledger will not pay"
    )
    source = "scheme §4.3, §4.4 (Type I, extended win condition)"
    variants = declared_variants(id, VARIANTS["mc-b"], VARIANTS["mc-b-unbound-n"])
    default_variant = "mc-b"
    stages = (COMMIT, PAY)
    budgets = budget_table(commit=4, accept=1, pay=32)
    adversary_type = TypeOneAdversary

    def experiment(self, ctx: TrialContext, adversary: TypeOneAdversary) -> bool:
        group, variant = ctx.group, VARIANTS[ctx.variant.name]
        # (pk, sk) ← KeyGen for the payer A; the honest payee R draws a key of its own.
        pk, sk = schnorr.keygen(group, ctx.rng)
        payee_pk, payee_sk = distinct_keypair(group, ctx.rng, pk)
        ctx.trace("keygen", x=sk.x, y=pk.y, y_R=payee_pk.y)
        # An honest ledger holds the payer's funds.
        ledger = Ledger()
        ledger.mint(pk, FUNDS)

        def commit(tx: CommitTx) -> bytes:
            ledger.submit(recordable(tx, group, variant))
            return tx.commit.cid

        # A(pk, sk) commits coin sets of its choosing; the ledger checks and records each COMMIT.
        o_commit = ctx.oracle("commit", commit, phases=(COMMIT,))
        view = TypeOneCommitView(
            group=group,
            variant=variant.name,
            pk=pk,
            x=sk.x,
            payee=payee_pk,
            funds=FUNDS,
            now=ledger.now,
            commit=o_commit,
        )
        ctx.play(adversary.commit, view, returns=None, phase=COMMIT)
        recorded = [query.answer for query in o_commit.log]
        # With Z = ∅ A has committed nothing it could overspend: it loses.
        if not recorded:
            ctx.trace("no commitment recorded")
            return False
        # The challenger picks cid* ←$ Z.
        cid = recorded[ctx.rng.randbelow(len(recorded))]
        ctx.trace("challenge", cid=cid)
        # R accepts one Aux for cid* and Transacts the coins A pays it, in order.
        payee = HonestPayee(ledger, payee_sk, cid)
        o_accept = ctx.oracle("accept", payee.accept, phases=(PAY,))
        o_pay = ctx.oracle("pay", payee.pay, phases=(PAY,))
        pay_view = TypeOnePayView(cid=cid, accept=o_accept, pay=o_pay)
        ctx.play(adversary.pay, pay_view, returns=None, phase=PAY)
        # R redeems its last accepted coin on the ledger.
        refused = payee.redeem(ctx.rng)
        ctx.trace("redeem", received=payee.received, refused=refused)
        # A wins iff R accepted a coin beyond the recorded n, more than b, or a coin the ledger refuses.
        return ctx.judge(self.overspent, ledger.locked(cid).terms, payee.accepted, payee.received, refused)

    @staticmethod
    def overspent(
        commit: Commit, accepted: tuple[PayWordCoin, ...], received: int, refused: str | None
    ) -> bool:
        """Win: R accepted an index above the recorded n, more than b in all, or an unredeemable coin."""
        # Some accepted coin has j > n as the ledger records it (a COMMIT without n voids this clause) …
        beyond_n = commit.terms is not None and any(coin.index > commit.terms.n for coin in accepted)
        # … or R accepted more value than the b the ledger locked (extended win) …
        over_b = received > commit.b
        # … or the ledger refused R's redemption of its last accepted coin (extended win).
        unredeemable = refused is not None
        return beyond_n or over_b or unredeemable
