"""The binary chameleon-hash tree (spec §3.4 Construction, with the [RECON] fix): the layout that fixes
entries and digests, and its records, the public key apk = (y, z, D) and the assertion τ, with their
byte encodings (spec §2.4)."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Literal

from mpgames.scheme.assertions.common import check_depth, in_order
from mpgames.scheme.chameleon import accas_message_scalar
from mpgames.scheme.encoding import FieldReader, enc
from mpgames.scheme.errors import DecodeError, InvalidElementError, SchemeError
from mpgames.scheme.groups import Group, check_group, is_secp256k1
from mpgames.scheme.hashing import Tag, hash256, hash_to_scalar
from mpgames.scheme.schnorr import PublicKey, check_public_key

Variant = Literal["fixed", "rks-as-published"]
FIXED: Variant = "fixed"
RKS_AS_PUBLISHED: Variant = "rks-as-published"
VARIANTS: tuple[Variant, ...] = (FIXED, RKS_AS_PUBLISHED)

# 2^16 contexts cover ⌊d/u1⌋ payments of any realistic channel (spec §3.4 "Parameters").
DEFAULT_DEPTH = 16
# Contexts are encoded as u64 (spec §2.4), so 64 levels is the most a tree can address (accas uses 64).
MAX_DEPTH = 64
# A leaf entry G(ℓ, j, V) is an H_256 output.
LEAF_ENTRY_LEN = 32
# Type tags of the byte encodings (spec §2.4 leaves them open).
TAG_AA_APK = b"AA/APK"
TAG_AA_TAU = b"AA/TAU"
# The HMAC-SHA-256 key of accas's random oracle G (`ChameleonHash::randomOracle`).
ACCAS_ORACLE_KEY = b"RandomOracleGRandomOracleGRandom"

# A node's published entry: a group element, or a 32-byte G value at the leaf level.
Entry = int | bytes


def check_variant(value: object) -> Variant:
    """`value` if it is exactly a `str` naming a tree variant; `SchemeError` otherwise."""
    for variant in VARIANTS:
        if type(value) is str and value == variant:
            return variant
    raise SchemeError(f"unknown variant {value!r}; choose one of {', '.join(VARIANTS)}")


@dataclass(frozen=True)
class _Tree:
    """Group, depth and variant: everything that fixes how entries and digests are computed."""

    group: Group
    depth: int
    variant: Variant

    def __post_init__(self) -> None:
        check_group(self.group, "tree group")
        object.__setattr__(self, "depth", check_depth(self.depth, MAX_DEPTH))
        check_variant(self.variant)
        if self.variant == RKS_AS_PUBLISHED and self.depth < 2:
            # Its asserted leaf entry depends on the statement, so with D = 1 no root could be fixed.
            raise SchemeError("variant rks-as-published needs depth >= 2")

    @property
    def accas(self) -> bool:
        """True where the published layout meets the published curve: rks-as-published on secp256k1
        computes every value as `real-or-random/accas` does (`_accas_*` below)."""
        return self.variant == RKS_AS_PUBLISHED and is_secp256k1(self.group)

    def hashes_sibling(self, level: int) -> bool:
        """True where a published (sibling) entry is a G value rather than a group element."""
        return level == self.depth and self.variant == FIXED

    def statement_message(self, st: bytes) -> int:
        """The message the leaf is opened to: m = H_q("AA/S", st), or accas's digest of st."""
        if self.accas:
            return accas_message_scalar(self.group, st)
        return hash_to_scalar(self.group.q, Tag.AA_S, st)

    def _leaf_wrapper(self, level: int, index: int, value: int, *extra: bytes) -> bytes:
        """G(ℓ, j, V[, r']) = H_256("AA/G", ℓ, j, V[, r'])."""
        return hash256(Tag.AA_G, level, index, self.group.element_bytes(value), *extra)

    def published_entry(self, level: int, index: int, value: int) -> Entry:
        """E_N for a node shown as a sibling: G(ℓ, j, V_N) at the leaves of the fixed tree, else V_N."""
        return self._leaf_wrapper(level, index, value) if self.hashes_sibling(level) else value

    def path_entry(self, level: int, index: int, value: int, r_open: int) -> Entry:
        """The entry of an opened (path) node. Only RKS as published make it depend on r'."""
        if level == self.depth and self.variant == RKS_AS_PUBLISHED:
            r_bytes = self.group.scalar_bytes(r_open)
            if self.accas:
                # accas: G(C, r') = HMAC-SHA-256(key, C ‖ r') ‖ 0x00, 33 bytes like a point.
                oracle = hmac.new(ACCAS_ORACLE_KEY, self.group.element_bytes(value) + r_bytes, "sha256")
                return oracle.digest() + b"\0"
            return self._leaf_wrapper(level, index, value, r_bytes)
        return self.published_entry(level, index, value)

    def parent_digest(self, level: int, index: int, own: Entry, sibling: Entry) -> int:
        """Dg(ℓ−1, j>>1, E_left, E_right) = H_q("AA/NODE", …): the message the parent is opened to.

        accas: SHA-256(E_left ‖ E_right) read as a scalar; accas keeps the unreduced 32 bytes, which
        differ from the value mod q only when the digest is ≥ q (probability below 2^-127)."""
        left, right = in_order(index, self._entry_bytes(own), self._entry_bytes(sibling))
        if self.accas:
            return int.from_bytes(hashlib.sha256(left + right).digest(), "big") % self.group.q
        return hash_to_scalar(self.group.q, Tag.AA_NODE, level - 1, index >> 1, left, right)

    def _entry_bytes(self, entry: Entry) -> bytes:
        return entry if isinstance(entry, bytes) else self.group.element_bytes(entry)


@dataclass(frozen=True)
class AssertionPublicKey:
    """apk = (y, z, D), plus the variant that fixes the leaf layout; validated on construction."""

    pk: PublicKey
    root: int
    depth: int = DEFAULT_DEPTH
    variant: Variant = FIXED

    def __post_init__(self) -> None:
        object.__setattr__(self, "pk", check_public_key(self.pk, what="apk.pk"))
        self.pk.group.check_scalar(self.root, "assertion root z")
        # The layout checks depth and variant; the key keeps the exact depth it checked.
        object.__setattr__(self, "depth", _Tree(self.pk.group, self.depth, self.variant).depth)

    @property
    def group(self) -> Group:
        return self.pk.group

    @property
    def contexts(self) -> int:
        """Number of contexts, 2^D."""
        return 1 << self.depth

    @property
    def _tree(self) -> _Tree:
        return _Tree(self.group, self.depth, self.variant)

    def to_bytes(self) -> bytes:
        return enc(
            TAG_AA_APK, self.variant, self.pk.to_bytes(), self.group.scalar_bytes(self.root), self.depth
        )

    @classmethod
    def from_bytes(cls, group: Group, data: bytes) -> AssertionPublicKey:
        reader = FieldReader(data, "assertion public key")
        reader.tag(TAG_AA_APK)
        variant = reader.text("variant")
        y = int.from_bytes(reader.fixed(group.element_len, "y"), "big")
        root = reader.scalar(group, "root z")
        depth = reader.small_int("depth", maximum=MAX_DEPTH)
        reader.done()
        try:
            return cls(PublicKey(group, y), root, depth, check_variant(variant))
        except SchemeError as err:
            raise DecodeError(f"assertion public key: {err}") from err


@dataclass(frozen=True, slots=True)
class AssertionLevel:
    """One level of τ: the opening r' of the path node and the published entry of its sibling."""

    r: int
    sibling: Entry


@dataclass(frozen=True)
class Assertion:
    """τ: one `AssertionLevel` per tree level, leaf first (ℓ = D, D−1, …, 1).

    Construction checks every field: r' in Z_q, sibling entries either 32 bytes or elements of the
    order-q subgroup, all of exact built-in types, and keeps fresh `AssertionLevel`s holding the
    values it checked. `verify` and `extract` check them all again (`_checked_levels`).
    """

    group: Group
    levels: tuple[AssertionLevel, ...]

    def __post_init__(self) -> None:
        check_group(self.group, "assertion group")
        object.__setattr__(self, "levels", _checked_entries(self.group, self.levels))

    def to_bytes(self) -> bytes:
        fields: list[bytes] = []
        for level in self.levels:
            sibling = level.sibling
            fields += [
                self.group.scalar_bytes(level.r),
                sibling if isinstance(sibling, bytes) else self.group.element_bytes(sibling),
            ]
        return enc(TAG_AA_TAU, *fields)

    @classmethod
    def from_bytes(cls, apk: AssertionPublicKey, data: bytes) -> Assertion:
        """Decode τ with the layout of apk; every length, range and subgroup membership is checked."""
        tree, group = apk._tree, apk.group
        reader = FieldReader(data, "assertion")
        reader.tag(TAG_AA_TAU)
        levels = []
        for level in range(apk.depth, 0, -1):
            r = reader.scalar(group, f"r' at level {level}")
            if tree.hashes_sibling(level):
                sibling: Entry = reader.fixed(LEAF_ENTRY_LEN, f"sibling entry at level {level}")
            else:
                sibling = reader.element(group, f"sibling entry at level {level}")
            levels.append(AssertionLevel(r, sibling))
        reader.done()
        return cls(group, tuple(levels))


def _checked_entries(group: Group, levels: object) -> tuple[AssertionLevel, ...]:
    """Fresh levels holding the values of `levels`, each read once and checked: r' an exact scalar,
    the sibling entry 32 exact bytes or an exact int in the order-q subgroup."""
    if not isinstance(levels, tuple | list):
        raise DecodeError("assertion levels must be a sequence")
    if not 1 <= len(levels) <= MAX_DEPTH:
        raise DecodeError(f"an assertion has 1 to {MAX_DEPTH} levels")
    checked = []
    for level in tuple(levels):
        if not isinstance(level, AssertionLevel):
            raise DecodeError("assertion levels must be AssertionLevel values")
        r, entry = level.r, level.sibling
        group.check_scalar(r, "assertion opening r'")
        if type(entry) is bytes:
            if len(entry) != LEAF_ENTRY_LEN:
                raise DecodeError(f"a leaf entry is {LEAF_ENTRY_LEN} bytes")
        elif type(entry) is int:
            group.check_element(entry, "sibling entry")
        else:
            raise InvalidElementError("sibling entry must be a group element or 32 bytes")
        checked.append(AssertionLevel(r, entry))
    return tuple(checked)
