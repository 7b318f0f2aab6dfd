"""AA-2: accountable assertions from committed once-per-context Schnorr nonces (spec §3.4, AA-2).

A cross-check for the binary tree of `mpgames.scheme.assertions`, with the same interface shape. Gen derives a
nonce a_k = PRF_k("AA2/NONCE", k) for every context k < K = 2^D, and commits to R_k = g^(a_k) with a
Merkle tree over the leaves H_256("AA2/LEAF", k, R_k). An assertion is a Schnorr signature with the
committed nonce, e = H_q("AA2/E", apk, k, st, R_k), s = a_k + e·x, plus R_k's Merkle path. The path
binds R_k to k, so two statements asserted in one context reuse a nonce and give
x = (s0 − s1)/(e0 − e1).

Notes:
* Gen costs K exponentiations, hence D ≤ 12 (K ≤ 4096). Assert costs one exponentiation (R_k), Verify
  two, decoding τ one subgroup-membership check.
* Nonces live in [1, q−1] and Gen refuses a key whose nonces repeat across contexts: a repeated nonce
  would leak x from two honest assertions of different contexts. That can only happen in toy groups
  (probability about K²/2q).
* Merkle nodes are H_256("AA2/NODE", ℓ−1, j>>1, left, right), with positions as in the binary tree.
"""

from __future__ import annotations

from dataclasses import dataclass

from mpgames.scheme.assertions.common import (
    AUXSK_LEN,
    AsserterState,
    ContextRegistry,
    check_assertion_keys,
    check_context,
    check_depth,
    check_statement,
    in_order,
)
from mpgames.scheme.encoding import FieldReader, enc
from mpgames.scheme.errors import DecodeError, InvalidGroupError, SchemeError
from mpgames.scheme.groups import Group, check_group
from mpgames.scheme.hashing import Tag, hash256, hash_to_scalar, prf_scalar
from mpgames.scheme.randomness import RandomSource, resolve
from mpgames.scheme.revalidate import canonical
from mpgames.scheme.schnorr import (
    PublicKey,
    SecretKey,
    Signature,
    check_public_key,
    recover_key_from_nonce_reuse,
)

# Gen computes one exponentiation per context: 2^12 is about 4 s on the standard tier.
MAX_DEPTH = 12
# 2^10 contexts: Gen about 1 s on the standard tier.
DEFAULT_DEPTH = 10
# Merkle roots and path entries are H_256 outputs.
DIGEST_LEN = 32
# Type tags of the byte encodings.
TAG_AA2_APK = b"AA2/APK"
TAG_AA2_TAU = b"AA2/TAU"


def _check_digest(value: object, what: str) -> bytes:
    if type(value) is not bytes or len(value) != DIGEST_LEN:
        raise DecodeError(f"{what} must be {DIGEST_LEN} bytes")
    return value


@dataclass(frozen=True)
class Aa2PublicKey:
    """apk = (y, Merkle root over the committed nonces, D); validated on construction."""

    pk: PublicKey
    root: bytes
    depth: int = DEFAULT_DEPTH

    def __post_init__(self) -> None:
        object.__setattr__(self, "pk", check_public_key(self.pk, what="apk.pk"))
        _check_digest(self.root, "AA-2 Merkle root")
        object.__setattr__(self, "depth", check_depth(self.depth, MAX_DEPTH))

    @property
    def group(self) -> Group:
        return self.pk.group

    @property
    def contexts(self) -> int:
        """Number of contexts, K = 2^D."""
        return 1 << self.depth

    def to_bytes(self) -> bytes:
        return enc(TAG_AA2_APK, self.pk.to_bytes(), self.root, self.depth)

    @classmethod
    def from_bytes(cls, group: Group, data: bytes) -> Aa2PublicKey:
        reader = FieldReader(data, "AA-2 public key")
        reader.tag(TAG_AA2_APK)
        y = int.from_bytes(reader.fixed(group.element_len, "y"), "big")
        root = reader.fixed(DIGEST_LEN, "root")
        depth = reader.small_int("depth", maximum=MAX_DEPTH)
        reader.done()
        try:
            return cls(PublicKey(group, y), root, depth)
        except SchemeError as err:
            raise DecodeError(f"AA-2 public key: {err}") from err


@dataclass(frozen=True)
class Aa2Assertion:
    """τ = (R_k, s, Merkle path of R_k's leaf, leaf first).

    Construction checks R_k's subgroup membership, s in Z_q and the path's lengths, all of exact
    built-in types; `verify` and `extract` check a fresh copy again (mpgames.scheme.revalidate).
    """

    group: Group
    nonce: int
    s: int
    path: tuple[bytes, ...]

    def __post_init__(self) -> None:
        check_group(self.group, "assertion group")
        if not isinstance(self.path, tuple | list):
            raise DecodeError("an AA-2 path must be a sequence of digests")
        object.__setattr__(self, "path", tuple(self.path))
        if not 1 <= len(self.path) <= MAX_DEPTH:
            raise DecodeError(f"an AA-2 path has 1 to {MAX_DEPTH} entries")
        for node in self.path:
            _check_digest(node, "Merkle path entry")
        self.group.check_scalar(self.s, "AA-2 response s")
        self.group.check_element(self.nonce, "AA-2 nonce commitment R")

    def to_bytes(self) -> bytes:
        return enc(
            TAG_AA2_TAU, self.group.element_bytes(self.nonce), self.group.scalar_bytes(self.s), *self.path
        )

    @classmethod
    def from_bytes(cls, apk: Aa2PublicKey, data: bytes) -> Aa2Assertion:
        """Decode τ for apk: lengths, the range of s and R's subgroup membership are checked."""
        group = apk.group
        reader = FieldReader(data, "AA-2 assertion")
        reader.tag(TAG_AA2_TAU)
        nonce = reader.element(group, "R")
        s = reader.scalar(group, "s")
        path = tuple(reader.fixed(DIGEST_LEN, f"Merkle path entry {i}") for i in range(apk.depth))
        reader.done()
        return cls(group, nonce, s, path)


# -- Merkle tree over H_256 ----------------------------------------------------------------------------


def _leaf(group: Group, ct: int, nonce: int) -> bytes:
    return hash256(Tag.AA2_LEAF, ct, group.element_bytes(nonce))


def _parent(level: int, index: int, own: bytes, sibling: bytes) -> bytes:
    return hash256(Tag.AA2_NODE, level - 1, index >> 1, *in_order(index, own, sibling))


def _merkle_levels(leaves: list[bytes], depth: int) -> list[list[bytes]]:
    """All node hashes, indexed by level (0 = root, depth = leaves)."""
    levels = [leaves]
    for level in range(depth, 0, -1):
        below = levels[0]
        levels.insert(0, [_parent(level, j, below[j], below[j + 1]) for j in range(0, len(below), 2)])
    return levels


def _root_from_path(leaf: bytes, ct: int, path: tuple[bytes, ...]) -> bytes:
    node, j = leaf, ct
    for level, sibling in zip(range(len(path), 0, -1), path, strict=True):
        node, j = _parent(level, j, node, sibling), j >> 1
    return node


def _challenge(apk: Aa2PublicKey, ct: int, st: bytes, nonce: int) -> int:
    """e = H_q("AA2/E", apk, k, st, R_k)."""
    group = apk.group
    return hash_to_scalar(group.q, Tag.AA2_E, apk.to_bytes(), ct, st, group.element_bytes(nonce))


# -- Gen and Assert ---------------------------------------------------------------------------------


class Aa2Asserter(AsserterState[Aa2PublicKey]):
    """The payer's side of AA-2: x, the nonce PRF key and the used contexts U."""

    def __init__(self, sk: SecretKey, auxsk: bytes, depth: int = DEFAULT_DEPTH) -> None:
        self._sk, self._auxsk = check_assertion_keys(sk, auxsk)
        depth = check_depth(depth, MAX_DEPTH)
        group = sk.group
        nonces = [group.gexp(self._nonce_scalar(ct)) for ct in range(1 << depth)]
        if len(set(nonces)) != len(nonces):
            raise SchemeError(f"nonces repeat across contexts: the group is too small for 2^{depth} contexts")
        self._tree = _merkle_levels([_leaf(group, ct, nonce) for ct, nonce in enumerate(nonces)], depth)
        self._public = Aa2PublicKey(sk.public, self._tree[0][0], depth)
        self._used = ContextRegistry(depth)

    def _nonce_scalar(self, ct: int) -> int:
        """a_k = PRF_k("AA2/NONCE", k), mapped into [1, q−1] so that R_k is never the identity."""
        q = self._sk.group.q
        return prf_scalar(self._auxsk, q - 1, Tag.AA2_NONCE, ct) + 1

    def assert_(self, ct: int, st: bytes) -> Aa2Assertion:
        """τ = (R_k, s = a_k + e·x, path) for context k (one exponentiation)."""
        st = check_statement(st)
        ct = self._used.claim(ct)
        group, depth = self._sk.group, self._public.depth
        a = self._nonce_scalar(ct)
        nonce = group.gexp(a)
        e = _challenge(self._public, ct, st, nonce)
        path = tuple(self._tree[level][(ct >> (depth - level)) ^ 1] for level in range(depth, 0, -1))
        return Aa2Assertion(group, nonce, (a + e * self._sk.x) % group.q, path)


def generate(
    sk: SecretKey, depth: int = DEFAULT_DEPTH, rng: RandomSource | None = None
) -> tuple[Aa2PublicKey, Aa2Asserter]:
    """(apk, asserter) = Gen: ask = sk, auxsk = 32 fresh random bytes, K = 2^depth nonces committed."""
    asserter = Aa2Asserter(sk, resolve(rng).randbytes(AUXSK_LEN), depth)
    return asserter.public, asserter


# -- Verify and Extract -----------------------------------------------------------------------------


def _accepted_challenge(apk: Aa2PublicKey, ct: int, st: bytes, tau: Aa2Assertion) -> int | None:
    """e if τ verifies (Merkle path to the root, then g^s = R·y^e), else None. `apk` is a checked
    key; checks the rest, and computes with a checked copy of τ."""
    ct, st = check_context(ct, apk.depth), check_statement(st)
    tau = canonical(tau, Aa2Assertion, "the AA-2 assertion")
    if tau.group != apk.group:
        raise InvalidGroupError("the assertion and the public key use different groups")
    if len(tau.path) != apk.depth:
        raise DecodeError(f"the Merkle path has {len(tau.path)} entries, the public key depth {apk.depth}")
    group = apk.group
    if _root_from_path(_leaf(group, ct, tau.nonce), ct, tau.path) != apk.root:
        return None
    e = _challenge(apk, ct, st, tau.nonce)
    return e if group.gexp(tau.s) == group.mul(tau.nonce, group.exp(apk.pk.y, e)) else None


def verify(apk: Aa2PublicKey, ct: int, st: bytes, tau: Aa2Assertion) -> bool:
    """Verify(apk, ct, st, τ) (two exponentiations); typed errors for malformed input."""
    return _accepted_challenge(canonical(apk, Aa2PublicKey, "the AA-2 public key"), ct, st, tau) is not None


def extract(
    apk: Aa2PublicKey, ct: int, st0: bytes, st1: bytes, tau0: Aa2Assertion, tau1: Aa2Assertion
) -> int | None:
    """x from two verifying assertions of different statements in context ct, or None (⊥)."""
    apk = canonical(apk, Aa2PublicKey, "the AA-2 public key")
    st0, st1 = check_statement(st0), check_statement(st1)
    tau0, tau1 = (canonical(tau, Aa2Assertion, "the AA-2 assertion") for tau in (tau0, tau1))
    e0, e1 = _accepted_challenge(apk, ct, st0, tau0), _accepted_challenge(apk, ct, st1, tau1)
    # Merkle binding: one context has one nonce, so equal R is expected; e0 ≠ e1 unless H_q collided.
    if st0 == st1 or e0 is None or e1 is None or tau0.nonce != tau1.nonce or e0 == e1:
        return None
    x = recover_key_from_nonce_reuse(apk.group, Signature(e0, tau0.s), Signature(e1, tau1.s))
    return x if apk.group.gexp(x) == apk.pk.y else None
