"""The microcoin payee (spec §4.3 AcceptLink and Transact): the per-channel state (j_last, w_last)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar, cast

from mpgames.scheme.errors import VerificationError
from mpgames.scheme.ledger import Ledger
from mpgames.scheme.microcoin.records import Aux, Coin, PayWordCoin, _small
from mpgames.scheme.microcoin.verification import coin_proof_holds, link_holds
from mpgames.scheme.revalidate import NotCanonicalError, canonical
from mpgames.scheme.schnorr import PublicKey

T = TypeVar("T")
# `canonical` converts to a union of record types as it does to one; mypy sees the alias as a value.
_COIN = cast("type[Coin]", Coin)
# A full-width chain's `descend` bound to one channel: (j, w_j, to) -> w_to.
_Descend = Callable[[int, bytes, int], bytes]


class Channel:
    """The payee's state for one accepted Aux: the last coin held, (j_last, w_last) for PayWord."""

    def __init__(self, aux: Aux) -> None:
        self._aux = aux
        self._cid, self._n, self._v = aux.cid, aux.terms.n, aux.terms.v
        # PayWord starts from c_0 = (cid, 0, w_0); root openings need no word.
        self._last: Coin | None = None if aux.link is None else PayWordCoin(self._cid, 0, aux.link.w0)
        self._j_last = 0
        # Full-width PayWord chains: `descend` bound to this channel (`check`'s one-hash path); None
        # for root openings and truncated chains, which take the generic path.
        chain = aux.variant.chain_hash
        full = aux.link is not None and chain.truncate_bits is None
        self._descend: _Descend | None = chain.descender(self._cid) if full else None
        self._word_len = chain.word_len

    @property
    def aux(self) -> Aux:
        return self._aux

    @property
    def j_last(self) -> int:
        return self._j_last

    @property
    def received(self) -> int:
        """Value accepted so far: j_last·v."""
        return self._j_last * self._v

    @property
    def last_coin(self) -> Coin | None:
        """The coin that proves j_last (None before the first payment): what the payee redeems."""
        return self._last if self._j_last else None

    def check(self, coin: Coin) -> int:
        """The value `transact(coin)` would credit; `VerificationError` if it would refuse the coin.

        The coin is checked as a canonical copy (mpgames.scheme.revalidate), whoever built it. An exact
        `PayWordCoin` of a full-width chain whose fields are exactly `bytes`, `int` and `bytes` needs no
        copy: reading its slots runs no code of anyone's (`type()` cannot be faked, the class is the
        scheme's, exact built-ins override nothing), and those values are what `canonical` would keep.
        Once the cid is this channel's, the index in (j_last, n] (so a u64) and the word `word_len`
        bytes, the constructor's checks hold, and only the hash chain down to w_last is left: what
        `coin_proof_holds` decides, one hash per step. Any other coin, and any the channel checks
        refuse, is converted (which gives the refusal its message)."""
        descend = self._descend
        if descend is not None and type(coin) is PayWordCoin:
            try:
                cid, index, word = coin.cid, coin.index, coin.word
            except AttributeError:  # an empty slot: made with object.__new__
                cid = None
            j_last = self._j_last
            if (
                type(cid) is bytes
                and type(index) is int
                and type(word) is bytes
                and self._refusal(cid, index) is None
                and len(word) == self._word_len
            ):
                last = self._last  # (cid, j_last, w_last): a PayWordCoin in every PayWord channel
                if not isinstance(last, PayWordCoin) or descend(index, word, j_last) != last.word:
                    raise VerificationError(f"coin {index} does not verify")
                return (index - j_last) * self._v
        return self._credit(_received(coin, _COIN, "the coin"))

    def _refusal(self, cid: bytes, index: int) -> str | None:
        """Why a coin of this cid and index is refused before its proof is looked at (None: it is not)."""
        if cid != self._cid:
            return "not a coin of this channel"
        if not self._j_last < index <= self._n:
            return f"coin index {index} is outside ({self._j_last}, {self._n}]"
        return None

    def _credit(self, coin: Coin) -> int:
        """`check` on a coin that is already a canonical copy."""
        refusal = self._refusal(coin.cid, coin.index)
        if refusal is not None:
            raise VerificationError(refusal)
        last = self._last if isinstance(self._last, PayWordCoin) else None
        if not coin_proof_holds(self._aux.commit, coin, last):
            raise VerificationError(f"coin {coin.index} does not verify")
        return (coin.index - self._j_last) * self._v

    def transact(self, coin: Coin) -> int:
        """Transact(c_j, Aux): accept the coin, credit (j − j_last)·v (returned) and move the state to it.

        What is stored is the payee's own canonical copy, never the object handed in."""
        coin = _received(coin, _COIN, "the coin")
        credit = self._credit(coin)
        self._last, self._j_last = coin, coin.index
        return credit


def _received(value: object, cls: type[T], what: str) -> T:
    """The canonical copy of a value handed to the payee; `VerificationError` if there is none."""
    try:
        return canonical(value, cls, what)
    except NotCanonicalError as err:
        raise VerificationError(str(err)) from err


def accept_link(aux: Aux, ledger: Ledger, payee: PublicKey, *, margin: int = 1) -> Channel:
    """AcceptLink: the payee checks Aux against the ledger and the link equation; a fresh channel.

    1. the COMMIT is the one recorded under cid, not yet redeemed, names this payee, and
       T_exp − now >= margin (σ_U was checked by the miners when they recorded it);
    2. PayWord variants: Ch(μ(enc("MC/LINK", cid, n, v, w_0)); r_link) == R_root.
    """
    margin = _small(margin, "the expiry margin")
    aux = _received(aux, Aux, "Aux")
    commit = aux.commit
    if not ledger.has_output(aux.cid):
        raise VerificationError("the COMMIT is not on the ledger")
    output = ledger.locked(aux.cid)
    if output.terms != commit:
        raise VerificationError("the ledger records another COMMIT under this cid")
    if output.released:
        raise VerificationError("the commitment was already redeemed or refunded")
    if commit.payee != payee:
        raise VerificationError("the coins are payable to another payee")
    if commit.expiry - ledger.now < margin:
        raise VerificationError(f"the commitment expires in {commit.expiry - ledger.now} < {margin}")
    if aux.link is not None and not link_holds(commit, aux.link):
        raise VerificationError("the link equation does not hold")
    return Channel(aux)
