"""Microcoin records (spec §4.3 MicroCoinGen output, §4.2 MC-0 coins): the terms (n, v), COMMIT, the
link, the two kinds of coin and Aux, with their byte encodings (spec §2.4).

Construction checks types and widths; the rules that need the group or the ledger are the
verifier's (`mpgames.scheme.microcoin.verification`) and the miners' (`mpgames.scheme.microcoin_tx`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from mpgames.scheme.encoding import U64_MAX, Field, FieldReader, enc
from mpgames.scheme.errors import DecodeError, SchemeError
from mpgames.scheme.groups import Group
from mpgames.scheme.hashing import Tag, hash256
from mpgames.scheme.integers import checked_int
from mpgames.scheme.microcoin.variants import CoinKind, MicrocoinVariant, RootHash
from mpgames.scheme.schnorr import PublicKey, Signature

# Bytes of the COMMIT nonce that keeps two otherwise equal commitments apart.
NONCE_LEN = 16
# Bytes of the channel id (an H_256 output).
CID_LEN = 32
# Type tags of the byte encodings of a coin and of Aux (not hashed; they only name the format).
TAG_COIN = b"MC/COIN"
TAG_AUX = b"MC/AUX"


def _small(value: object, name: str, *, minimum: int = 0) -> int:
    """A u64 field (spec §2.4) of at least `minimum`, as an exact int."""
    return checked_int(value, name, minimum=minimum, maximum=U64_MAX)


def _cid(value: object) -> bytes:
    """A channel id: CID_LEN bytes."""
    if not isinstance(value, bytes) or len(value) != CID_LEN:
        raise SchemeError(f"a channel id is {CID_LEN} bytes")
    return value


@dataclass(frozen=True)
class ChainTerms:
    """n coins of value v each."""

    n: int
    v: int

    def __post_init__(self) -> None:
        _small(self.n, "the number of coins n", minimum=1)
        _small(self.v, "the coin value v", minimum=1)


@dataclass(frozen=True)
class Commit:
    """COMMIT = ("MC/COMMIT", nonce, y, y_R, b, n, v, R_root, T_exp); n and v only if the variant binds them.

    Construction checks types and widths only: whether R_root lies in the group and n·v = b are the
    miners' rules (`mpgames.scheme.microcoin_tx.CommitTx`), so that a bad record can reach them.
    """

    variant: MicrocoinVariant
    nonce: bytes
    payer: PublicKey
    payee: PublicKey
    b: int
    terms: ChainTerms | None
    root: int
    expiry: int

    def __post_init__(self) -> None:
        if not isinstance(self.nonce, bytes) or len(self.nonce) != NONCE_LEN:
            raise SchemeError(f"the COMMIT nonce is {NONCE_LEN} bytes")
        if not isinstance(self.payer, PublicKey) or not isinstance(self.payee, PublicKey):
            raise SchemeError("payer and payee must be public keys")
        if self.payer.group != self.payee.group:
            raise SchemeError("payer and payee keys belong to different groups")
        _small(self.b, "the committed value b", minimum=1)
        _small(self.expiry, "the expiry T_exp")
        if (self.terms is None) == self.variant.binds_terms:
            raise SchemeError(
                f"a {self.variant.name} COMMIT {'binds' if self.variant.binds_terms else 'omits'} n, v"
            )
        if (
            not isinstance(self.root, int)
            or isinstance(self.root, bool)
            or not 0 <= self.root < 256**self._root_len
        ):
            raise SchemeError(f"R_root must fit in {self._root_len} bytes")

    @property
    def group(self) -> Group:
        return self.payer.group

    @property
    def _root_len(self) -> int:
        return self.group.element_len if self.variant.root_hash is RootHash.KR else self.group.scalar_len

    def to_bytes(self) -> bytes:
        """enc(COMMIT): what σ_U signs and cid hashes."""
        terms: tuple[int, ...] = () if self.terms is None else (self.terms.n, self.terms.v)
        return enc(
            Tag.MC_COMMIT,
            self.nonce,
            self.payer.to_bytes(),
            self.payee.to_bytes(),
            self.b,
            *terms,
            self.root.to_bytes(self._root_len, "big"),
            self.expiry,
        )

    @functools.cached_property
    def cid(self) -> bytes:
        """cid = H_256("MC/CID", enc(COMMIT))."""
        return hash256(Tag.MC_CID, self.to_bytes())

    @classmethod
    def from_bytes(cls, group: Group, variant: MicrocoinVariant, data: bytes) -> Commit:
        reader = FieldReader(data, "COMMIT")
        reader.tag(Tag.MC_COMMIT)
        nonce = reader.fixed(NONCE_LEN, "nonce")
        payer = PublicKey(group, reader.element(group, "payer key y"))
        payee = PublicKey(group, reader.element(group, "payee key y_R"))
        b = reader.small_int("b")
        terms = (reader.small_int("n"), reader.small_int("v")) if variant.binds_terms else None
        if variant.root_hash is RootHash.KR:
            root = reader.element(group, "R_root")
        else:
            root = reader.scalar(group, "R_root")
        expiry = reader.small_int("T_exp")
        reader.done()
        try:
            return cls(
                variant, nonce, payer, payee, b, None if terms is None else ChainTerms(*terms), root, expiry
            )
        except SchemeError as err:
            raise DecodeError(f"COMMIT: {err}") from err


@dataclass(frozen=True)
class Link:
    """The chameleon link: w_0 and r_link; n and v too where the COMMIT does not bind them."""

    w0: bytes
    r: int
    terms: ChainTerms | None = None


@dataclass(frozen=True, slots=True)
class PayWordCoin:
    """c_i = (cid, i, w_i); c_0 = (cid, 0, w_0) is the anchor a payee starts from.

    Slotted: reading a field of an exact PayWordCoin reads its slot and runs no code of anyone's (an
    instance dictionary could hold a key whose `__eq__` answers differently on each lookup); see
    `Channel.check`.
    """

    cid: bytes
    index: int
    word: bytes

    def __post_init__(self) -> None:
        _cid(self.cid)
        _small(self.index, "the coin index")
        if not isinstance(self.word, bytes):
            raise SchemeError("a chain word is a byte string")

    @property
    def proof(self) -> bytes:
        """What proves the coin: w_i."""
        return self.word

    def to_bytes(self) -> bytes:
        return enc(TAG_COIN, self.cid, self.index, self.proof)


@dataclass(frozen=True)
class OpeningCoin:
    """MC-0 coin (cid, i, r_i), or MC-0′ coin (cid, i, (r_i, s_i)): an opening of the root."""

    group: Group
    cid: bytes
    index: int
    r: int
    s: int | None = None

    def __post_init__(self) -> None:
        _cid(self.cid)
        _small(self.index, "the coin index")
        self.group.check_scalar(self.r, "opening r")
        if self.s is not None:
            self.group.check_scalar(self.s, "opening s")

    @property
    def proof(self) -> bytes:
        """What proves the coin: the opening scalars."""
        scalars = (self.r,) if self.s is None else (self.r, self.s)
        return enc(*(self.group.scalar_bytes(x) for x in scalars))

    def to_bytes(self) -> bytes:
        return enc(TAG_COIN, self.cid, self.index, self.proof)


Coin = PayWordCoin | OpeningCoin


def decode_coin(group: Group, variant: MicrocoinVariant, data: bytes) -> Coin:
    """A coin of this variant from its bytes; `DecodeError` if malformed."""
    reader = FieldReader(data, "microcoin")
    reader.tag(TAG_COIN)
    cid = reader.fixed(CID_LEN, "cid")
    index = reader.small_int("index")
    if variant.coins is CoinKind.PAYWORD:
        word = reader.raw()
        if not variant.chain_hash.is_word(word):
            raise DecodeError(f"microcoin: not a {variant.chain_hash.bits}-bit chain word")
        reader.done()
        return PayWordCoin(cid, index, word)
    proof = reader.nested("opening")
    r = proof.scalar(group, "r")
    s = proof.scalar(group, "s") if variant.root_hash is RootHash.ADM else None
    proof.done()
    reader.done()
    return OpeningCoin(group, cid, index, r, s)


def chain_terms(commit: Commit, link: Link | None) -> ChainTerms | None:
    """(n, v) of a channel: the COMMIT's where it binds them, else the link's (None if absent)."""
    if commit.terms is not None:
        return commit.terms
    return None if link is None else link.terms


def _group_field(group: Group) -> tuple[bytes, ...]:
    """The group's parameters as fields: p, q, g, and a curve's coefficients a, b."""
    coefficients = () if group.curve is None else tuple(group.element_bytes(c) for c in group.curve)
    return (
        group.element_bytes(group.p),
        group.scalar_bytes(group.q),
        group.element_bytes(group.g),
        *coefficients,
    )


@dataclass(frozen=True)
class Aux:
    """Aux = (group, y, COMMIT, σ_U, cid, w_0, r_link): what a payee needs to accept coins.

    Root-opening variants have no link; "mc-b-unbound-n" appends the link's n and v.
    """

    commit: Commit
    signature: Signature
    link: Link | None
    # (n, v): from the signed COMMIT, or, where it omits them, from the link.
    terms: ChainTerms = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if (self.link is None) != (self.variant.coins is CoinKind.OPENING):
            raise SchemeError(
                f"a {self.variant.name} Aux must {'' if self.link is None else 'not '}have a link"
            )
        if self.link is not None and self.link.terms is not None and self.variant.binds_terms:
            raise SchemeError("a COMMIT that binds n and v leaves them out of the link")
        terms = chain_terms(self.commit, self.link)
        if terms is None:
            raise SchemeError("the link must carry n and v where the COMMIT omits them")
        object.__setattr__(self, "terms", terms)

    @property
    def variant(self) -> MicrocoinVariant:
        return self.commit.variant

    @property
    def group(self) -> Group:
        return self.commit.group

    @property
    def payer(self) -> PublicKey:
        """y, the payer's key."""
        return self.commit.payer

    @property
    def cid(self) -> bytes:
        return self.commit.cid

    def to_bytes(self) -> bytes:
        group = self.group
        fields: list[Field] = [
            TAG_AUX,
            _group_field(group),
            self.payer.to_bytes(),
            self.commit.to_bytes(),
            self.signature.to_bytes(group),
            self.cid,
        ]
        if self.link is not None:
            fields += [self.link.w0, group.scalar_bytes(self.link.r)]
            if self.link.terms is not None:
                fields += [self.link.terms.n, self.link.terms.v]
        return enc(*fields)

    @classmethod
    def from_bytes(cls, group: Group, variant: MicrocoinVariant, data: bytes) -> Aux:
        reader = FieldReader(data, "microcoin Aux")
        reader.tag(TAG_AUX)
        if reader.raw() != enc(*_group_field(group)):
            raise DecodeError("microcoin Aux: made for another group")
        y = reader.element(group, "payer key y")
        commit = Commit.from_bytes(group, variant, reader.raw())
        signature = Signature.from_bytes(group, reader.raw())
        cid = reader.fixed(CID_LEN, "cid")
        if y != commit.payer.y or cid != commit.cid:
            raise DecodeError("microcoin Aux: y or cid does not match the COMMIT")
        link = None
        if variant.coins is CoinKind.PAYWORD:
            w0 = reader.raw()
            if not variant.chain_hash.is_word(w0):
                raise DecodeError("microcoin Aux: w_0 is not a chain word")
            r = reader.scalar(group, "r_link")
            terms = None
            if not variant.binds_terms:
                n, v = reader.small_int("n"), reader.small_int("v")
                try:
                    terms = ChainTerms(n, v)
                except SchemeError as err:
                    raise DecodeError(f"microcoin Aux: {err}") from err
            link = Link(w0, r, terms)
        reader.done()
        return cls(commit, signature, link)
