"""Microcoin ledger transactions: commit, redeem and refund (spec §4.3).

* `CommitTx(COMMIT, σ_U)`: the miners check σ_U, is_element(y), is_element(R_root), n·v = b,
  the payer's balance >= b and T_exp > now, then lock b under cid = H_256("MC/CID", enc(COMMIT)).
* `RedeemTx(cid, j, w_j, w_0, r_link, σ_R)`, checked in the spec's order:
  1. cid exists and is not redeemed; now < T_exp;
  2. σ_R = Sign(x_R, enc("MC/REDEEM", cid, j, w_j)) is valid under COMMIT.payee;
  3. the link equation holds ("miners validate the collision");
  4. 1 <= j <= n;
  5. hashing w_j down to index 0 gives w_0.
  It pays j·v to the payee and b − j·v back to the payer. Only the payee can redeem (σ_R).
  Root-opening variants (MC-0, MC-0′) have no link: the coin's opening of R_root replaces steps 3 and 5.
  Where the COMMIT does not bind n and v ("mc-b-unbound-n") the link's n and v are used, and a
  last rule refuses to pay out more than b ("exceeds-locked").
* `RefundTx(cid, σ_U)`: from T_exp on, the payer takes back b of an unredeemed commitment.

Every check raises `RuleViolation` naming its rule (the constants of `Rule`) before anything
changes; the ledger applies nothing of a rejected transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from mpgames.scheme.encoding import enc
from mpgames.scheme.errors import RuleViolation, SchemeError
from mpgames.scheme.groups import Group
from mpgames.scheme.hashing import Tag
from mpgames.scheme.ledger import Ledger, transaction_type
from mpgames.scheme.microcoin import (
    Aux,
    ChainTerms,
    Coin,
    CoinKind,
    Commit,
    Link,
    PayWordCoin,
    RootHash,
    chain_terms,
    coin_proof_holds,
    link_holds,
)
from mpgames.scheme.randomness import RandomSource
from mpgames.scheme.schnorr import PublicKey, SecretKey, Signature, sign, verify

# Domain tag of the payer's refund signature (next to the spec's MC/COMMIT and MC/REDEEM).
TAG_REFUND = b"MC/REFUND"


class Rule:
    """Names of the microcoin ledger rules, as carried by `RuleViolation.rule`."""

    COMMIT_SIGNATURE = "commit-signature"
    PAYER_KEY = "payer-key"
    ROOT = "root-membership"
    TERMS = "commit-terms"
    BALANCE = "insufficient-balance"
    EXPIRY_PAST = "expiry-not-in-future"
    DUPLICATE = "duplicate-commit"
    UNKNOWN = "unknown-commit"
    REDEEMED = "already-redeemed"
    EXPIRED = "expired"
    PAYEE_SIGNATURE = "payee-signature"
    LINK = "link-equation"
    INDEX = "index-range"
    CHAIN = "coin-proof"
    EXCEEDS_LOCKED = "exceeds-locked"
    NOT_EXPIRED = "not-expired"
    REFUND_SIGNATURE = "refund-signature"


def _require_signature(pk: PublicKey, sig: Signature, message: bytes, rule: str) -> None:
    """Raise `RuleViolation(rule)` unless σ is a valid Schnorr signature of the message under pk."""
    if not isinstance(sig, Signature):
        raise RuleViolation(rule, "not a Schnorr signature")
    try:
        valid = verify(sig, pk, message)
    except SchemeError as err:
        raise RuleViolation(rule, f"malformed signature: {err}") from err
    if not valid:
        raise RuleViolation(rule, "the signature does not verify")


def _open_commit(ledger: Ledger, cid: bytes, group: Group) -> Commit:
    """The unspent COMMIT recorded under cid (rules "unknown-commit", "already-redeemed")."""
    if not isinstance(cid, bytes) or not ledger.has_output(cid):
        raise RuleViolation(Rule.UNKNOWN, "no microcoin commitment with this id on the ledger")
    output = ledger.locked(cid)
    if not isinstance(output.terms, Commit) or output.terms.group != group:
        raise RuleViolation(Rule.UNKNOWN, "the output is not a microcoin commitment in this group")
    if output.released:
        raise RuleViolation(Rule.REDEEMED, "the commitment was already redeemed or refunded")
    return output.terms


@transaction_type
@dataclass(frozen=True)
class CommitTx:
    """tx_commit = (COMMIT, σ_U): locks b of the payer under cid."""

    kind: ClassVar[str] = "mc-commit"

    commit: Commit
    signature: Signature

    def encode(self) -> bytes:
        return enc(self.commit.to_bytes(), self.signature.to_bytes(self.commit.group))

    def check(self, ledger: Ledger) -> None:
        commit, group = self.commit, self.commit.group
        # σ_U is the payer's signature on enc(COMMIT).
        _require_signature(commit.payer, self.signature, commit.to_bytes(), Rule.COMMIT_SIGNATURE)
        # y and R_root are elements of the order-q subgroup (an ADM root is a scalar in Z_q).
        if not group.is_element(commit.payer.y):
            raise RuleViolation(Rule.PAYER_KEY, "y is not an element of the order-q subgroup")
        if commit.variant.root_hash is RootHash.KR:
            root_ok = group.is_element(commit.root)
        else:
            root_ok = 0 <= commit.root < group.q
        if not root_ok:
            raise RuleViolation(Rule.ROOT, "R_root is not a value of the chameleon hash")
        # n·v = b, where the COMMIT states n and v.
        if commit.terms is not None and commit.terms.n * commit.terms.v != commit.b:
            raise RuleViolation(
                Rule.TERMS, f"n·v = {commit.terms.n * commit.terms.v} differs from b = {commit.b}"
            )
        # The payer can afford b, the commitment has time to run, and it is new.
        if ledger.balance(commit.payer) < commit.b:
            raise RuleViolation(Rule.BALANCE, f"the commitment needs {commit.b}, the payer has less")
        if commit.expiry <= ledger.now:
            raise RuleViolation(Rule.EXPIRY_PAST, "T_exp must lie in the future")
        if ledger.has_output(commit.cid):
            raise RuleViolation(Rule.DUPLICATE, "this COMMIT is already on the ledger")

    def apply(self, ledger: Ledger) -> None:
        ledger.lock(self.commit.cid, self.commit.payer, self.commit.b, self.commit)


def _terms(commit: Commit, link: Link | None) -> ChainTerms:
    """(n, v) of a redemption: the COMMIT's, or the link's where the COMMIT omits them."""
    terms = chain_terms(commit, link)
    if terms is None:
        raise RuleViolation(Rule.LINK, "the link must carry n and v where the COMMIT omits them")
    return terms


def redeem_message(coin: Coin) -> bytes:
    """What σ_R signs: enc("MC/REDEEM", cid, j, w_j) (the opening instead of w_j for MC-0 coins)."""
    return enc(Tag.MC_REDEEM, coin.cid, coin.index, coin.proof)


@transaction_type
@dataclass(frozen=True)
class RedeemTx:
    """tx_redeem = (cid, j, w_j, w_0, r_link, σ_R), held as (coin c_j, link, σ_R) and the group."""

    kind: ClassVar[str] = "mc-redeem"

    group: Group
    coin: Coin
    link: Link | None
    signature: Signature

    @classmethod
    def create(cls, sk: SecretKey, aux: Aux, coin: Coin, rng: RandomSource | None = None) -> RedeemTx:
        """The payee's redemption of coin c_j under an accepted Aux."""
        return cls(aux.group, coin, aux.link, sign(sk, redeem_message(coin), rng))

    def encode(self) -> bytes:
        link: tuple[bytes | int, ...] = ()
        if self.link is not None:
            link = (self.link.w0, self.group.scalar_bytes(self.link.r))
            if self.link.terms is not None:
                link += (self.link.terms.n, self.link.terms.v)
        return enc(self.coin.to_bytes(), link, self.signature.to_bytes(self.group))

    def check(self, ledger: Ledger) -> None:
        coin = self.coin
        # 1. The commitment exists, is unredeemed and has not expired.
        commit = _open_commit(ledger, coin.cid, self.group)
        if ledger.now >= commit.expiry:
            raise RuleViolation(Rule.EXPIRED, f"the commitment expired at {commit.expiry}")
        # 2. Only the payee named in COMMIT redeems.
        _require_signature(commit.payee, self.signature, redeem_message(coin), Rule.PAYEE_SIGNATURE)
        # 3. The link opens R_root to this chain (a root-opening coin is its own collision: no link).
        if (self.link is None) != (commit.variant.coins is CoinKind.OPENING):
            raise RuleViolation(
                Rule.LINK,
                f"a {commit.variant.name} redemption {'needs' if self.link is None else 'has no'} link",
            )
        if self.link is not None and not link_holds(commit, self.link):
            raise RuleViolation(Rule.LINK, "the link equation does not hold")
        # 4. 1 <= j <= n.
        terms = _terms(commit, self.link)
        if not 1 <= coin.index <= terms.n:
            raise RuleViolation(Rule.INDEX, f"coin index {coin.index} is outside 1..{terms.n}")
        # 5. The coin proves index j: the chain w_j → w_0, or an opening of R_root.
        anchor = None if self.link is None else PayWordCoin(coin.cid, 0, self.link.w0)
        if not coin_proof_holds(commit, coin, anchor):
            raise RuleViolation(Rule.CHAIN, f"coin {coin.index} does not verify")
        # Where n and v come from the link, nothing stops j·v from exceeding b but this rule.
        if coin.index * terms.v > commit.b:
            raise RuleViolation(Rule.EXCEEDS_LOCKED, f"j·v = {coin.index * terms.v} exceeds b = {commit.b}")

    def apply(self, ledger: Ledger) -> None:
        commit: Commit = ledger.locked(self.coin.cid).terms
        paid = self.coin.index * _terms(commit, self.link).v
        ledger.release(commit.cid, [(commit.payee, paid), (commit.payer, commit.b - paid)])


def refund_message(cid: bytes) -> bytes:
    """What the payer signs to take back an expired commitment: enc("MC/REFUND", cid)."""
    return enc(TAG_REFUND, cid)


@transaction_type
@dataclass(frozen=True)
class RefundTx:
    """The payer takes b back from T_exp on, if nobody redeemed."""

    kind: ClassVar[str] = "mc-refund"

    group: Group
    cid: bytes
    signature: Signature

    @classmethod
    def create(cls, sk: SecretKey, cid: bytes, rng: RandomSource | None = None) -> RefundTx:
        return cls(sk.group, cid, sign(sk, refund_message(cid), rng))

    def encode(self) -> bytes:
        return enc(self.cid, self.signature.to_bytes(self.group))

    def check(self, ledger: Ledger) -> None:
        commit = _open_commit(ledger, self.cid, self.group)
        if ledger.now < commit.expiry:
            raise RuleViolation(Rule.NOT_EXPIRED, f"the commitment runs until {commit.expiry}")
        _require_signature(commit.payer, self.signature, refund_message(self.cid), Rule.REFUND_SIGNATURE)

    def apply(self, ledger: Ledger) -> None:
        commit: Commit = ledger.locked(self.cid).terms
        ledger.release(self.cid, [(commit.payer, commit.b)])
