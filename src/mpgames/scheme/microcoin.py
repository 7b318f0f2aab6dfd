"""Microcoins (spec §4): MC-B, the recommended reading, and the variants the games compare.

MC-B (§4.3) in three payer phases and two payee steps:

* commit (offline): a random chameleon root R_root = Ch(a; s) goes into a signed COMMIT record
  (nonce, y, y_R, b, n, v = b/n, R_root, T_exp) that the ledger checks and locks b under
  (`mpgames.scheme.microcoin_tx.CommitTx`); cid = H_256("MC/CID", enc(COMMIT));
* chain: a PayWord chain w_n … w_0 bound to cid and the index (`mpgames.scheme.payword`), stored by
  pebbling (`mpgames.scheme.pebbling`);
* link (online, the trapdoor's only use): r_link = Col(x, a, s, μ(M_link)) opens the root to
  M_link = enc("MC/LINK", cid, n, v, w_0). A second link would publish a second opening of the
  same root and reveal x, so the payer refuses it (`ContextReusedError`);
* AcceptLink (payee): the COMMIT is on the ledger, unredeemed, names this payee and expires late
  enough, and the link equation holds. The channel state is then (j_last, w_last) = (0, w_0);
* Transact (payee): coin c_j = (cid, j, w_j) with j_last < j <= n is accepted iff hashing w_j down
  to index j_last gives w_last; it credits (j − j_last)·v, so one word pays for several coins.

Variants (`VARIANTS`, by name):

* "mc-b": the above;
* "mc-b-trunc": MC-B with the chain hash cut to κ bits; a payee finds the next word by search
  with probability ≈ 2·tries·2^−κ (a random κ-bit guess is the true word with probability 2^−κ,
  or another preimage of the last word with probability 2^−κ) (Type II broken);
* "mc-b-unbound-n": the signed COMMIT omits n and v, the link carries them, so whoever holds the
  trapdoor links a longer chain to the same root and the payee, reading n from the link, accepts
  more than b (Type I broken; redeeming the surplus then fails on the ledger);
* "mc-0": the literal reading (§4.2): coin i is a Krawczyk–Rabin opening r_i with
  Ch(μ(enc("coin", cid, i)); r_i) = R_root. Two coins give x (`mc0_extract_key`) and the payee
  mints the rest (`mc0_forge_coin`) (Type II broken);
* "mc-0-adm": MC-0′: coin i is an Ateniese–de Medeiros opening of an ADM root. Openings do not
  expose x; each coin costs 2–3 exponentiations.

The two coin kinds share the commit phase (`MicroCoinGen`), the payee channel (`Channel`) and the
ledger rules; they differ only in what proves a coin (`coin_proof_holds`).
"""

from __future__ import annotations

import functools
from abc import ABC, abstractmethod
from dataclasses import dataclass, field, replace
from enum import StrEnum
from types import MappingProxyType
from typing import ClassVar, TypeVar

from mpgames.scheme.chameleon import (
    AdmOpening,
    adm_collision,
    adm_hash,
    adm_random_opening,
    ch,
    ch_with_trapdoor,
    collision,
    extract_key,
    message_scalar,
)
from mpgames.scheme.encoding import U64_MAX, Field, FieldReader, enc
from mpgames.scheme.errors import ContextReusedError, DecodeError, SchemeError, VerificationError
from mpgames.scheme.groups import Group
from mpgames.scheme.hashing import Tag, hash256
from mpgames.scheme.ledger import Ledger
from mpgames.scheme.payword import ChainHash, link_message
from mpgames.scheme.pebbling import PebbledChain
from mpgames.scheme.randomness import RandomSource, resolve
from mpgames.scheme.revalidate import NotCanonicalError, canonical
from mpgames.scheme.schnorr import PublicKey, SecretKey, Signature, sign

# Bytes of the COMMIT nonce that keeps two otherwise equal commitments apart.
NONCE_LEN = 16
# Bytes of the chain seed (spec §4.3: seed ←$ {0,1}^256) and of the channel id (an H_256 output).
SEED_LEN = 32
CID_LEN = 32
# Bytes of the random message an ADM root hashes (its opening is thrown away: coins are collisions).
ADM_ROOT_MESSAGE_LEN = 32
# Type tags of the byte encodings of a coin and of Aux (not hashed; they only name the format).
TAG_COIN = b"MC/COIN"
TAG_AUX = b"MC/AUX"
# The message of MC-0 coin i is enc("coin", cid, i) (spec §4.2: μ("coin", cid, i)).
COIN_LABEL = "coin"
# κ of "mc-b-trunc": a 2^12-word space makes a preimage search of a few thousand hashes (a few ms)
# succeed with a sizable probability, so the Type II game separates it from MC-B within one run.
DEFAULT_TRUNCATE_BITS = 12
# Game ids (harness §3) a broken variant loses.
GAME_TYPE1 = "mc.type1"
GAME_TYPE2 = "mc.type2"

T = TypeVar("T")


class CoinKind(StrEnum):
    """What proves coin i: a PayWord chain word, or an opening of the committed root."""

    PAYWORD = "payword"
    OPENING = "opening"


class RootHash(StrEnum):
    """The chameleon hash of the committed root: Krawczyk–Rabin (a group element) or ADM (a scalar)."""

    KR = "kr"
    ADM = "adm"


@dataclass(frozen=True)
class MicrocoinVariant:
    """A named microcoin construction, flagged `broken` with the games (`breaks`) it loses."""

    name: str
    broken: bool
    description: str
    coins: CoinKind = CoinKind.PAYWORD
    root_hash: RootHash = RootHash.KR
    truncate_bits: int | None = None
    binds_terms: bool = True
    breaks: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.broken != bool(self.breaks):
            raise SchemeError(
                f"variant {self.name}: a broken variant names the games it loses, and only then"
            )
        if self.coins is CoinKind.PAYWORD and self.root_hash is not RootHash.KR:
            raise SchemeError(f"variant {self.name}: a PayWord chain is linked by a Krawczyk–Rabin root")
        if self.coins is CoinKind.OPENING and (self.truncate_bits is not None or not self.binds_terms):
            raise SchemeError(f"variant {self.name}: root-opening coins have no chain and no link")
        ChainHash(self.truncate_bits)  # validates κ

    @functools.cached_property
    def chain_hash(self) -> ChainHash:
        return ChainHash(self.truncate_bits)


MC_B = MicrocoinVariant(
    "mc-b",
    broken=False,
    description="PayWord chain linked once to a ledger-committed chameleon root (recommended, spec §4.3)",
)

VARIANTS: MappingProxyType[str, MicrocoinVariant] = MappingProxyType(
    {
        variant.name: variant
        for variant in (
            MC_B,
            MicrocoinVariant(
                "mc-0",
                broken=True,
                description="literal reading: each coin is a Krawczyk–Rabin opening of the root; "
                "two coins reveal the key and the payee mints the rest (spec §4.2)",
                coins=CoinKind.OPENING,
                breaks=(GAME_TYPE2,),
            ),
            MicrocoinVariant(
                "mc-0-adm",
                broken=False,
                description="MC-0′: each coin is an Ateniese–de Medeiros opening of the root; "
                "key-exposure free, 2–3 exponentiations per coin (spec §4.2)",
                coins=CoinKind.OPENING,
                root_hash=RootHash.ADM,
            ),
            MicrocoinVariant(
                "mc-b-trunc",
                broken=True,
                description=f"MC-B with the chain hash cut to κ = {DEFAULT_TRUNCATE_BITS} bits; a preimage "
                "search finds the next coin with probability ≈ 2·tries·2^−κ (spec §4.4)",
                truncate_bits=DEFAULT_TRUNCATE_BITS,
                breaks=(GAME_TYPE2,),
            ),
            MicrocoinVariant(
                "mc-b-unbound-n",
                broken=True,
                description="MC-B whose signed commitment omits n and v; the link carries them, so the "
                "trapdoor holder links a longer chain and the payee accepts more than b (Type I)",
                binds_terms=False,
                breaks=(GAME_TYPE1,),
            ),
        )
    }
)


def get_variant(name: str) -> MicrocoinVariant:
    """The registered variant of this name (`SchemeError` listing the names otherwise)."""
    try:
        return VARIANTS[name]
    except KeyError:
        raise SchemeError(
            f"unknown microcoin variant {name!r}; choose one of {', '.join(VARIANTS)}"
        ) from None


def truncated_variant(bits: int) -> MicrocoinVariant:
    """The "mc-b-trunc" variant with κ = bits."""
    base = VARIANTS["mc-b-trunc"]
    description = base.description.replace(f"κ = {DEFAULT_TRUNCATE_BITS}", f"κ = {bits}")
    return replace(base, truncate_bits=bits, description=description)


# -- records -------------------------------------------------------------------------------------------


def _small(value: object, name: str, *, minimum: int = 0) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not minimum <= value <= U64_MAX:
        raise SchemeError(f"{name} must be an integer in [{minimum}, 2^64)")
    return value


def _cid(value: object) -> bytes:
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


@dataclass(frozen=True)
class PayWordCoin:
    """c_i = (cid, i, w_i); c_0 = (cid, 0, w_0) is the anchor a payee starts from."""

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


def _group_field(group: Group) -> tuple[bytes, bytes, bytes]:
    return group.element_bytes(group.p), group.scalar_bytes(group.q), group.element_bytes(group.g)


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


# -- verification (payee and miners) ---------------------------------------------------------------------


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


# -- payer ------------------------------------------------------------------------------------------------


class MicroCoinGen(ABC):
    """The payer's MicroCoinGen(b, sk, pk, n; payee, T_exp), phase 1: the offline commitment.

    Draws the root (R_root = Ch(a; s) with the trapdoor; an ADM hash for MC-0′), fixes v = b/n and
    signs COMMIT. Submit `CommitTx(gen.commit, gen.signature)` to the ledger. The subclass of the
    variant's coin kind (`microcoin_gen` picks it) adds the coins.
    """

    coins: ClassVar[CoinKind]

    def __init__(
        self,
        sk: SecretKey,
        payee: PublicKey,
        b: int,
        n: int,
        expiry: int,
        *,
        variant: MicrocoinVariant = MC_B,
        rng: RandomSource | None = None,
    ) -> None:
        if variant.coins is not self.coins:
            raise SchemeError(f"{variant.name} coins are not made by {type(self).__name__}")
        _small(b, "the committed value b", minimum=1)
        _small(n, "the number of coins n", minimum=1)
        if b % n:
            raise SchemeError(f"b = {b} is not a multiple of n = {n}: coins have integer values")
        self._sk = sk
        self._rng = resolve(rng)
        self._terms = ChainTerms(n, b // n)
        group = sk.group
        # Step 1.1: a random root; the KR root keeps its opening (a, s) for the trapdoor's later use.
        self._root_opening: tuple[int, int] | None = None
        if variant.root_hash is RootHash.KR:
            a, s = group.random_scalar(self._rng), group.random_scalar(self._rng)
            root = ch_with_trapdoor(sk, a, s)
            self._root_opening = (a, s)
        else:
            message = self._rng.randbytes(ADM_ROOT_MESSAGE_LEN)
            root = adm_hash(sk.public, message, adm_random_opening(group, self._rng))
        # Steps 1.2–1.3: COMMIT (with n and v where the variant binds them) and σ_U.
        nonce = self._rng.randbytes(NONCE_LEN)
        bound = self._terms if variant.binds_terms else None
        self.commit = Commit(variant, nonce, sk.public, payee, b, bound, root, expiry)
        self.signature = sign(sk, self.commit.to_bytes(), self._rng)

    @property
    def cid(self) -> bytes:
        return self.commit.cid

    @property
    def terms(self) -> ChainTerms:
        """(n, v) as the payer chose them."""
        return self._terms

    @property
    def root_opening(self) -> tuple[int, int]:
        """(a, s) with R_root = Ch(a; s): private output, here for attack demos (Type I, re-linking)."""
        if self._root_opening is None:
            raise SchemeError("an ADM root keeps no opening")
        return self._root_opening

    @property
    @abstractmethod
    def aux(self) -> Aux:
        """The public Aux a payee accepts coins with."""

    @abstractmethod
    def coin(self, j: int) -> Coin:
        """Coin c_j, for 1 <= j <= n."""

    def _check_index(self, j: int) -> int:
        _small(j, "the coin index", minimum=1)
        if j > self._terms.n:
            raise SchemeError(f"coin index {j} is outside 1..{self._terms.n}")
        return j


def link_randomness(
    sk: SecretKey, root_opening: tuple[int, int], cid: bytes, terms: ChainTerms, w0: bytes
) -> int:
    """r_link = Col(x, a, s, μ(enc("MC/LINK", cid, n, v, w_0))): opens R_root = Ch(a; s) to M_link.

    Stateless: calling it twice for one root (which `PayWordGen.link` refuses) hands out two
    openings of the root, and `chameleon.extract_key` turns those into x.
    """
    a, s = root_opening
    m = message_scalar(sk.group, link_message(cid, terms.n, terms.v, w0))
    return collision(sk, a, s, m)


class PayWordGen(MicroCoinGen):
    """MC-B payer: commit (constructor), then `chain()`, then `link()` once; coins `coin(j)` for rising j."""

    coins = CoinKind.PAYWORD
    _chain: PebbledChain | None = None
    _aux: Aux | None = None

    def chain(self) -> bytes:
        """Phase 2: seed ←$ {0,1}^256, w_n = H_256("MC/SEED", cid, seed), down to w_0 (returned)."""
        if self._chain is not None:
            raise SchemeError("the chain of this commitment already exists")
        chain_hash = self.commit.variant.chain_hash
        top = chain_hash.seed_word(self.cid, self._rng.randbytes(SEED_LEN))
        self._chain = PebbledChain(functools.partial(chain_hash.step, self.cid), self._terms.n, top)
        return self._chain.anchor

    def link(self) -> Aux:
        """Phase 3: r_link opens R_root to M_link. Refused a second time: two openings reveal x."""
        if self._aux is not None:
            raise ContextReusedError("this root is already linked; a second opening would reveal the key")
        if self._chain is None:
            raise SchemeError("generate the chain before linking it")
        w0 = self._chain.anchor
        r = link_randomness(self._sk, self.root_opening, self.cid, self._terms, w0)
        # Where COMMIT does not bind n and v, the link carries them.
        self._aux = Aux(
            self.commit, self.signature, Link(w0, r, None if self.commit.variant.binds_terms else self._terms)
        )
        return self._aux

    @property
    def aux(self) -> Aux:
        if self._aux is None:
            raise SchemeError("the chain is not linked yet")
        return self._aux

    @property
    def stored_words(self) -> int:
        """Chain words the payer holds now (O(log n) by pebbling)."""
        return 0 if self._chain is None else self._chain.stored_words

    def coin(self, j: int) -> PayWordCoin:
        """c_j = (cid, j, w_j); j must not fall below a coin already produced."""
        if self._chain is None:
            raise SchemeError("generate the chain before paying")
        return PayWordCoin(self.cid, j, self._chain.word(self._check_index(j)))


def kr_opening_coin(sk: SecretKey, cid: bytes, m: int, r: int, j: int) -> OpeningCoin:
    """MC-0 coin j from any known opening (m, r) of the root: r_j = Col(x, m, r, μ(enc("coin", cid, j)))."""
    m_j = message_scalar(sk.group, coin_message(cid, j))
    return OpeningCoin(sk.group, cid, j, collision(sk, m, r, m_j))


class OpeningGen(MicroCoinGen):
    """MC-0 / MC-0′ payer: commit (constructor); each coin is a fresh opening of the root."""

    coins = CoinKind.OPENING

    @property
    def aux(self) -> Aux:
        return Aux(self.commit, self.signature, None)

    def coin(self, j: int) -> OpeningCoin:
        """Coin j: a KR collision (MC-0) or an ADM collision (MC-0′) of the root."""
        self._check_index(j)
        if self.commit.variant.root_hash is RootHash.KR:
            a, s = self.root_opening
            return kr_opening_coin(self._sk, self.cid, a, s, j)
        opening = adm_collision(self._sk, self.commit.root, coin_message(self.cid, j), self._rng)
        return OpeningCoin(self._sk.group, self.cid, j, opening.r, opening.s)


def microcoin_gen(
    sk: SecretKey,
    payee: PublicKey,
    b: int,
    n: int,
    expiry: int,
    *,
    variant: MicrocoinVariant = MC_B,
    rng: RandomSource | None = None,
) -> PayWordGen | OpeningGen:
    """MicroCoinGen for the variant: commit now; a PayWord payer then runs `chain()` and `link()`."""
    cls = PayWordGen if variant.coins is CoinKind.PAYWORD else OpeningGen
    return cls(sk, payee, b, n, expiry, variant=variant, rng=rng)


# -- attacks on MC-0 ---------------------------------------------------------------------------------------


def mc0_extract_key(aux: Aux, coin_i: OpeningCoin, coin_j: OpeningCoin) -> int:
    """x = (μ_i − μ_j)/(r_j − r_i) from two MC-0 coins (spec §4.2): both open R_root.

    The same algebra on MC-0′ (ADM) coins yields a value unrelated to x.
    """
    if coin_i.cid != aux.cid or coin_j.cid != aux.cid or coin_i.index == coin_j.index:
        raise SchemeError("key extraction needs two coins of this channel with different indices")
    group = aux.group
    m_i = message_scalar(group, coin_message(aux.cid, coin_i.index))
    m_j = message_scalar(group, coin_message(aux.cid, coin_j.index))
    return extract_key(group, m_i, coin_i.r, m_j, coin_j.r)


def mc0_forge_coin(aux: Aux, x: int, known: OpeningCoin, j: int) -> OpeningCoin:
    """Coin j made by whoever holds x and one genuine coin: a payee after `mc0_extract_key`."""
    sk = SecretKey(aux.group, x)
    m_known = message_scalar(aux.group, coin_message(aux.cid, known.index))
    return kr_opening_coin(sk, aux.cid, m_known, known.r, j)


# -- payee ------------------------------------------------------------------------------------------------


class Channel:
    """The payee's state for one accepted Aux: the last coin held, (j_last, w_last) for PayWord."""

    def __init__(self, aux: Aux) -> None:
        self._aux = aux
        # PayWord starts from c_0 = (cid, 0, w_0); root openings need no word.
        self._last: Coin | None = None if aux.link is None else PayWordCoin(aux.cid, 0, aux.link.w0)
        self._j_last = 0

    @property
    def aux(self) -> Aux:
        return self._aux

    @property
    def j_last(self) -> int:
        return self._j_last

    @property
    def received(self) -> int:
        """Value accepted so far: j_last·v."""
        return self._j_last * self._aux.terms.v

    @property
    def last_coin(self) -> Coin | None:
        """The coin that proves j_last (None before the first payment): what the payee redeems."""
        return self._last if self._j_last else None

    def check(self, coin: Coin) -> int:
        """The value `transact(coin)` would credit; `VerificationError` if it would refuse the coin.

        The coin is checked as a canonical copy (mpgames.scheme.revalidate), whoever built it."""
        return self._credit(_received(coin, Coin, "the coin"))  # type: ignore[arg-type]

    def _credit(self, coin: Coin) -> int:
        """`check` on a coin that is already a canonical copy."""
        aux = self._aux
        if coin.cid != aux.cid:
            raise VerificationError("not a coin of this channel")
        n = aux.terms.n
        if not self._j_last < coin.index <= n:
            raise VerificationError(f"coin index {coin.index} is outside ({self._j_last}, {n}]")
        last = self._last if isinstance(self._last, PayWordCoin) else None
        if not coin_proof_holds(aux.commit, coin, last):
            raise VerificationError(f"coin {coin.index} does not verify")
        return (coin.index - self._j_last) * aux.terms.v

    def transact(self, coin: Coin) -> int:
        """Transact(c_j, Aux): accept the coin, credit (j − j_last)·v (returned) and move the state to it."""
        coin = _received(coin, Coin, "the coin")  # type: ignore[arg-type]
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
    _small(margin, "the expiry margin")
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
