"""Microcoin verification (spec §4.3 AcceptLink step 2, Transact steps 1–3 and Redeem steps 3 and 5;
§4.2 for root openings): the predicates the payee and the miners share."""

from __future__ import annotations

from mpgames.scheme.chameleon import AdmOpening, adm_hash, ch, message_scalar
from mpgames.scheme.encoding import enc
from mpgames.scheme.microcoin.records import Coin, Commit, Link, OpeningCoin, PayWordCoin, chain_terms
from mpgames.scheme.microcoin.variants import CoinKind, RootHash
from mpgames.scheme.payword import link_message

# The message of MC-0 coin i is enc("coin", cid, i) (spec §4.2: μ("coin", cid, i)).
COIN_LABEL = "coin"


def coin_message(cid: bytes, i: int) -> bytes:
    """enc("coin", cid, i): the message a root-opening coin opens the root to."""
    return enc(COIN_LABEL, cid, i)


def link_holds(commit: Commit, link: Link) -> bool:
    """The link equation Ch(μ(enc("MC/LINK", cid, n, v, w_0)); r_link) == R_root."""
    group = commit.group
    terms = chain_terms(commit, link)
    if terms is None or not isinstance(link.r, int) or not 0 <= link.r < group.q:
        return False
    if not group.is_element(commit.root) or not commit.variant.chain_hash.is_word(link.w0):
        return False
    m = message_scalar(group, link_message(commit.cid, terms.n, terms.v, link.w0))
    return ch(commit.payer, m, link.r) == commit.root


def _opening_holds(commit: Commit, coin: OpeningCoin) -> bool:
    message = coin_message(coin.cid, coin.index)
    if commit.variant.root_hash is RootHash.KR:
        if coin.s is not None or not commit.group.is_element(commit.root):
            return False
        return ch(commit.payer, message_scalar(commit.group, message), coin.r) == commit.root
    if coin.s is None:
        return False
    return adm_hash(commit.payer, message, AdmOpening(coin.r, coin.s)) == commit.root


def coin_proof_holds(commit: Commit, coin: Coin, last: PayWordCoin | None) -> bool:
    """Does the coin's proof verify? Index bounds are the caller's rule.

    PayWord: hashing w_j down to the last word held, `last` = (cid, j_last, w_last), gives w_last.
    Root opening: the coin opens R_root to enc("coin", cid, j) (`last` plays no part).
    """
    if coin.cid != commit.cid:
        return False
    if commit.variant.coins is CoinKind.PAYWORD:
        if not isinstance(coin, PayWordCoin) or last is None or last.cid != commit.cid:
            return False
        return commit.variant.chain_hash.verify(commit.cid, coin.index, coin.word, last.index, last.word)
    return isinstance(coin, OpeningCoin) and coin.group == commit.group and _opening_holds(commit, coin)
