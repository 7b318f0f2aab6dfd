"""Micropay voucher states and certificates, with byte encodings and validated decoding (spec §5.3–§5.5).

A voucher (the seed's `cert`) is a channel state signed by the payee side:

* Micropay 1: `Mp1State(pk_esc, d, b)`, Schnorr-signed by B (§5.3).
* Micropay 2: `Mp2State(cid, T, d, k, b, B_j)`, Schnorr-signed by the point of sale B_j it names (§5.4).
  Verifying it with pk_Bj tells the next point of sale where the payer shopped before: the privacy leak
  the seed criticises.
* Micropay 3: `Mp3State(cid, T, T', d, k, b)`, AOS-ring-signed by the ring of all points of sale (§5.5).
  It names no point of sale, and the signature does not reveal the signer.

The channel id is bound into the Micropay 2 state as well [RECON]: RKS identify the channel by the
payer's key, and without the cid a voucher of one channel could be shown on another channel of the
same payer. The signed message is enc("MP/STATE", state bytes). Every decoder checks lengths, ranges
and subgroup membership, and raises `DecodeError` on any malformed or truncated input.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar, TypeVar

from mpgames.scheme import ring, schnorr
from mpgames.scheme.encoding import U64_MAX, FieldReader, enc
from mpgames.scheme.errors import DecodeError, SchemeError
from mpgames.scheme.groups import Group
from mpgames.scheme.hashing import Tag
from mpgames.scheme.randomness import RandomSource
from mpgames.scheme.ring import RingSignature
from mpgames.scheme.schnorr import PublicKey, SecretKey, Signature

# Channel ids are H_256 outputs (mpgames.scheme.channel_tx).
CID_LEN = 32
TAG_VOUCHER = b"MP/VOUCHER"

S = TypeVar("S")


def _count(value: object, name: str) -> int:
    if type(value) is not int or not 0 <= value <= U64_MAX:
        raise SchemeError(f"voucher state: {name} must be an integer in [0, 2^64)")
    return value


def _check_channel(state: Mp2State | Mp3State) -> None:
    if type(state.cid) is not bytes or len(state.cid) != CID_LEN:
        raise SchemeError(f"voucher state: cid must be {CID_LEN} bytes")
    for name in ("expiry", "deposit", "index", "paid"):
        _count(getattr(state, name), name)
    if state.paid > state.deposit:
        raise SchemeError("voucher state: the paid amount b exceeds the deposit d")


def _decoded(build: Callable[..., S], what: str, *fields: object) -> S:
    """Build a state from decoded fields; a field that the constructor rejects is a DecodeError."""
    try:
        return build(*fields)
    except SchemeError as err:
        raise DecodeError(f"{what}: {err}") from err


@dataclass(frozen=True)
class Mp1State:
    """Micropay 1: (cid, pk_esc, d, b) — the channel, its key, the deposit and the amount paid so far.

    The seed's state is (pk_esc, d, b); it names no channel, so a cert of one channel of a payer
    would pass B's checks on another [RECON, docs/scheme.md "Micropay 1"]. Encoded as
    enc("MP1/STATE", cid, pk_esc, d, b).
    """

    TAG: ClassVar[bytes] = b"MP1/STATE"

    channel_key: PublicKey
    deposit: int
    paid: int
    cid: bytes

    def __post_init__(self) -> None:
        if not isinstance(self.channel_key, PublicKey):
            raise SchemeError("voucher state: the channel key must be a PublicKey")
        _count(self.deposit, "deposit")
        _count(self.paid, "paid")
        if self.paid > self.deposit:
            raise SchemeError("voucher state: the paid amount b exceeds the deposit d")
        if type(self.cid) is not bytes or len(self.cid) != CID_LEN:
            raise SchemeError(f"voucher state: cid must be {CID_LEN} bytes")

    def to_bytes(self) -> bytes:
        return enc(self.TAG, self.cid, self.channel_key.to_bytes(), self.deposit, self.paid)

    @classmethod
    def from_bytes(cls, group: Group, data: bytes) -> Mp1State:
        reader = FieldReader(data, "Micropay 1 state")
        reader.tag(cls.TAG)
        cid = reader.fixed(CID_LEN, "cid")
        y = reader.element(group, "channel key")
        deposit, paid = reader.small_int("deposit"), reader.small_int("paid")
        reader.done()
        return _decoded(cls, "Micropay 1 state", PublicKey(group, y), deposit, paid, cid)


@dataclass(frozen=True)
class Mp2State:
    """Micropay 2: (cid, T, d, k, b, B_j) — names the point of sale j that signed it."""

    TAG: ClassVar[bytes] = b"MP2/STATE"

    cid: bytes
    expiry: int
    deposit: int
    index: int
    paid: int
    pos: int

    def __post_init__(self) -> None:
        _check_channel(self)
        _count(self.pos, "pos")

    def to_bytes(self) -> bytes:
        return enc(self.TAG, self.cid, self.expiry, self.deposit, self.index, self.paid, self.pos)

    @classmethod
    def from_bytes(cls, group: Group, data: bytes) -> Mp2State:
        reader = FieldReader(data, "Micropay 2 state")
        reader.tag(cls.TAG)
        cid = reader.fixed(CID_LEN, "cid")
        fields = [reader.small_int(name) for name in ("T", "d", "k", "b", "pos")]
        reader.done()
        return _decoded(cls, "Micropay 2 state", cid, *fields)


@dataclass(frozen=True)
class Mp3State:
    """Micropay 3: (cid, T, T', d, k, b) — with the voucher's expiry T', and no point of sale."""

    TAG: ClassVar[bytes] = b"MP3/STATE"

    cid: bytes
    expiry: int
    valid_until: int
    deposit: int
    index: int
    paid: int

    def __post_init__(self) -> None:
        _check_channel(self)
        _count(self.valid_until, "valid_until")

    def to_bytes(self) -> bytes:
        return enc(self.TAG, self.cid, self.expiry, self.valid_until, self.deposit, self.index, self.paid)

    @classmethod
    def from_bytes(cls, group: Group, data: bytes) -> Mp3State:
        reader = FieldReader(data, "Micropay 3 state")
        reader.tag(cls.TAG)
        cid = reader.fixed(CID_LEN, "cid")
        fields = [reader.small_int(name) for name in ("T", "T'", "d", "k", "b")]
        reader.done()
        return _decoded(cls, "Micropay 3 state", cid, *fields)


SchnorrState = Mp1State | Mp2State
State = Mp1State | Mp2State | Mp3State


def state_message(state: State) -> bytes:
    """The bytes a voucher signature signs: enc("MP/STATE", state)."""
    return enc(Tag.MP_STATE, state.to_bytes())


def _split(data: bytes, what: str) -> tuple[bytes, bytes]:
    reader = FieldReader(data, what)
    reader.tag(TAG_VOUCHER)
    state, signature = reader.raw(), reader.raw()
    reader.done()
    return state, signature


@dataclass(frozen=True)
class SchnorrVoucher:
    """A Micropay 1 or 2 voucher: the state and a Schnorr signature on it."""

    state: SchnorrState
    signature: Signature

    @classmethod
    def issue(cls, sk: SecretKey, state: SchnorrState, rng: RandomSource | None = None) -> SchnorrVoucher:
        return cls(state, schnorr.sign(sk, state_message(state), rng))

    def verify(self, pk: PublicKey) -> bool:
        """True iff the signature verifies under pk; `SchemeError` for a malformed signature."""
        return schnorr.verify(self.signature, pk, state_message(self.state))

    def to_bytes(self, group: Group) -> bytes:
        return enc(TAG_VOUCHER, self.state.to_bytes(), self.signature.to_bytes(group))

    @classmethod
    def from_bytes(cls, group: Group, data: bytes, state_type: type[SchnorrState]) -> SchnorrVoucher:
        state, signature = _split(data, "voucher")
        return cls(state_type.from_bytes(group, state), Signature.from_bytes(group, signature))


@dataclass(frozen=True)
class RingVoucher:
    """A Micropay 3 voucher: the state and an AOS ring signature by one of the points of sale."""

    state: Mp3State
    signature: RingSignature

    @classmethod
    def issue(
        cls, sk: SecretKey, members: Sequence[PublicKey], state: Mp3State, rng: RandomSource | None = None
    ) -> RingVoucher:
        return cls(state, ring.sign(sk, members, state_message(state), rng))

    def verify(self, members: Sequence[PublicKey]) -> bool:
        """True iff the ring signature verifies for the ring; `SchemeError` if it is malformed."""
        return ring.verify(members, state_message(self.state), self.signature)

    def to_bytes(self, group: Group) -> bytes:
        return enc(TAG_VOUCHER, self.state.to_bytes(), self.signature.to_bytes(group))

    @classmethod
    def from_bytes(cls, group: Group, data: bytes, ring_size: int) -> RingVoucher:
        state, signature = _split(data, "voucher")
        return cls(Mp3State.from_bytes(group, state), RingSignature.from_bytes(group, signature, ring_size))


Voucher = SchnorrVoucher | RingVoucher
