"""Accountable assertions: the binary chameleon-hash tree of RKS, with the leaf fix (spec §3.4).

Π = (Gen, Assert, Verify, Extract) after Ruffing–Kate–Schröder (CCS 2015, §5). The payer's Schnorr
key x is the assertion key; a 32-byte PRF key k (auxsk) derives a dummy opening (x_N, r_N) for every
node N = (ℓ, j) of a binary tree of depth D, and the node's value is V_N = Ch(x_N; r_N). Asserting the
statement st in context ct (a leaf index) opens, with the trapdoor, each node on the path from the
leaf to the root to the message below it: the leaf to H_q("AA/S", st), an internal node to the digest
Dg of its two children's entries. Two assertions of different statements in one context open some
node to two messages, so anyone holding both computes x (the payer's escrow key: the penalty).

Notes:
* Entries are local. A node's published entry depends only on PRF outputs: E_N = V_N for ℓ < D and
  E_N = G(ℓ, j, V_N) at the leaves. The children are opened *into* the parent by the collision, so
  no node's value is a function of its subtree. Gen computes two nodes and Assert 2D (the path and
  its siblings), one exponentiation each with the trapdoor; nothing ever builds the 2^D tree.
* The fix [RECON]. RKS (full version, and `real-or-random/accas`) publish the asserted leaf as
  G(Ch(S(st); r'), r') and its sibling raw. That entry depends on the statement, so honest assertions
  of the sibling contexts 2j and 2j+1 open their common parent to two different digests and leak x.
  Variant "fixed" wraps every leaf entry in G and hashes only the chameleon value, so honest
  assertions of distinct contexts never open a node twice. Variant "rks-as-published" reproduces the
  published layout for the attack demo (`sibling_leak`); it is broken on purpose.
* Costs: Gen 2 exponentiations (plus g^x for the public key); Assert 2D; Verify 2D (D chameleon
  evaluations); Extract 4D + 1; checking τ's D−1 element entries costs one exponentiation each for a
  value not seen before (membership answers are cached by value, mpgames.scheme.groups), none for entries the
  checking process computed itself.

`verify`, `extract` and `sibling_leak` share one recomputation of the per-level openings (m, r', C)
(`_walk`). Each validates everything it is handed — the key (group, y, z, D, layout), every level of
τ (r' in Z_q, sibling entry of the right kind, element entries in the subgroup), the context and the
statements, all of exact built-in types — whatever object it is and however it was built, and then
computes only with the values it checked. They raise typed errors on malformed input and answer
False/None on well-formed but wrong input. Helpers shared with AA-2 (`mpgames.scheme.assertions_aa2`):
context and statement checks, the used-context registry, sibling ordering and the
`StatefulAsserter` protocol.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, Literal, Protocol, TypeVar

from mpgames.scheme.chameleon import ch, ch_with_trapdoor, collision, extract_key
from mpgames.scheme.encoding import FieldReader, enc
from mpgames.scheme.errors import (
    ContextReusedError,
    DecodeError,
    InvalidElementError,
    InvalidGroupError,
    SchemeError,
)
from mpgames.scheme.groups import Group, check_group
from mpgames.scheme.hashing import Tag, hash256, hash_to_scalar, prf_scalar
from mpgames.scheme.randomness import RandomSource, resolve
from mpgames.scheme.revalidate import canonical
from mpgames.scheme.schnorr import PublicKey, SecretKey, check_public_key

Variant = Literal["fixed", "rks-as-published"]
FIXED: Variant = "fixed"
RKS_AS_PUBLISHED: Variant = "rks-as-published"
VARIANTS: tuple[Variant, ...] = (FIXED, RKS_AS_PUBLISHED)

# 2^16 contexts cover ⌊d/u1⌋ payments of any realistic channel (spec §3.4 "Parameters").
DEFAULT_DEPTH = 16
# Contexts are encoded as u64 (spec §2.4), so 64 levels is the most a tree can address (accas uses 64).
MAX_DEPTH = 64
# auxsk: a 256-bit PRF key (spec §3.4 Gen step 2).
AUXSK_LEN = 32
# A leaf entry G(ℓ, j, V) is an H_256 output.
LEAF_ENTRY_LEN = 32
# Type tags of the byte encodings (spec §2.4 leaves them open).
TAG_AA_APK = b"AA/APK"
TAG_AA_TAU = b"AA/TAU"

# A node's published entry: a group element, or a 32-byte G value at the leaf level.
Entry = int | bytes

T = TypeVar("T")
TauT_co = TypeVar("TauT_co", covariant=True)


# -- shared with AA-2 -------------------------------------------------------------------------------


def check_depth(depth: object, maximum: int) -> int:
    """Return depth if it is exactly an int in [1, maximum]."""
    if type(depth) is not int or not 1 <= depth <= maximum:
        raise SchemeError(f"depth must be an integer in [1, {maximum}]")
    return depth


def check_assertion_keys(sk: object, auxsk: object) -> tuple[SecretKey, bytes]:
    """ask must be a `SecretKey` and auxsk a 32-byte PRF key."""
    if not isinstance(sk, SecretKey):
        raise SchemeError("the assertion key must be a SecretKey")
    if type(auxsk) is not bytes or len(auxsk) != AUXSK_LEN:
        raise SchemeError(f"auxsk must be {AUXSK_LEN} bytes")
    return sk, auxsk


def check_context(ct: object, depth: int) -> int:
    """Return ct if it is a context of a depth-`depth` tree, i.e. exactly an int in [0, 2^depth)."""
    if type(ct) is not int or not 0 <= ct < 1 << depth:
        raise SchemeError(f"context must be an integer in [0, 2^{depth})")
    return ct


def check_statement(st: object) -> bytes:
    """Statements are arbitrary byte strings (exactly `bytes`: a subclass could lie when compared)."""
    if type(st) is not bytes:
        raise SchemeError("statement must be bytes")
    return st


def in_order(index: int, own: T, sibling: T) -> tuple[T, T]:
    """(left, right) children: the node at `index` is the left one iff index is even."""
    return (own, sibling) if index % 2 == 0 else (sibling, own)


class ContextRegistry:
    """The asserter's state U: the contexts already asserted (spec §3.4 Assert step 1).

    Asserting twice in one context hands out the key, so a context is claimed before anything is
    computed and never released.
    """

    def __init__(self, depth: int) -> None:
        self._depth = depth
        self._used: set[int] = set()

    @property
    def used(self) -> frozenset[int]:
        return frozenset(self._used)

    def claim(self, ct: int) -> int:
        """Record ct as used; raise `ContextReusedError` if it already was."""
        ct = check_context(ct, self._depth)
        if ct in self._used:
            raise ContextReusedError(f"context {ct} was already asserted; asserting again would leak the key")
        self._used.add(ct)
        return ct


class StatefulAsserter(Protocol[TauT_co]):
    """The payer's side of an accountable-assertion scheme (binary tree or AA-2)."""

    @property
    def used_contexts(self) -> frozenset[int]: ...

    def assert_(self, ct: int, st: bytes) -> TauT_co: ...


class _AssertionPublic(Protocol):
    @property
    def group(self) -> Group: ...

    @property
    def depth(self) -> int: ...


ApkT = TypeVar("ApkT", bound=_AssertionPublic)


class AsserterState(Generic[ApkT]):
    """What every asserter holds besides its secrets: its public key and the used contexts U.

    Subclasses set `_public` and `_used` in their constructor; `_describe` adds fields to the repr,
    which never shows a key.
    """

    _public: ApkT
    _used: ContextRegistry

    def _describe(self) -> str:
        return ""

    def __repr__(self) -> str:
        apk = self._public
        return (
            f"{type(self).__name__}(group={apk.group.label}, depth={apk.depth}, {self._describe()}"
            f"used={len(self._used.used)}, keys=<hidden>)"
        )

    @property
    def public(self) -> ApkT:
        return self._public

    @property
    def used_contexts(self) -> frozenset[int]:
        """A read-only snapshot of U."""
        return self._used.used


# -- tree layout ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Tree:
    """Group, depth and variant: everything that fixes how entries and digests are computed."""

    group: Group
    depth: int
    variant: Variant

    def __post_init__(self) -> None:
        check_group(self.group, "tree group")
        check_depth(self.depth, MAX_DEPTH)
        if type(self.variant) is not str or self.variant not in VARIANTS:
            raise SchemeError(f"unknown variant {self.variant!r}; choose one of {', '.join(VARIANTS)}")
        if self.variant == RKS_AS_PUBLISHED and self.depth < 2:
            # Its asserted leaf entry depends on the statement, so with D = 1 no root could be fixed.
            raise SchemeError("variant rks-as-published needs depth >= 2")

    def hashes_sibling(self, level: int) -> bool:
        """True where a published (sibling) entry is a G value rather than a group element."""
        return level == self.depth and self.variant == FIXED

    def _leaf_wrapper(self, level: int, index: int, value: int, *extra: bytes) -> bytes:
        """G(ℓ, j, V[, r']) = H_256("AA/G", ℓ, j, V[, r'])."""
        return hash256(Tag.AA_G, level, index, self.group.element_bytes(value), *extra)

    def published_entry(self, level: int, index: int, value: int) -> Entry:
        """E_N for a node shown as a sibling: G(ℓ, j, V_N) at the leaves of the fixed tree, else V_N."""
        return self._leaf_wrapper(level, index, value) if self.hashes_sibling(level) else value

    def path_entry(self, level: int, index: int, value: int, r_open: int) -> Entry:
        """The entry of an opened (path) node. Only RKS as published make it depend on r'."""
        if level == self.depth and self.variant == RKS_AS_PUBLISHED:
            return self._leaf_wrapper(level, index, value, self.group.scalar_bytes(r_open))
        return self.published_entry(level, index, value)

    def parent_digest(self, level: int, index: int, own: Entry, sibling: Entry) -> int:
        """Dg(ℓ−1, j>>1, E_left, E_right) = H_q("AA/NODE", …): the message the parent is opened to."""
        left, right = in_order(index, self._entry_bytes(own), self._entry_bytes(sibling))
        return hash_to_scalar(self.group.q, Tag.AA_NODE, level - 1, index >> 1, left, right)

    def _entry_bytes(self, entry: Entry) -> bytes:
        return entry if isinstance(entry, bytes) else self.group.element_bytes(entry)


def _statement_message(group: Group, st: bytes) -> int:
    """m = H_q("AA/S", st): the message the leaf is opened to."""
    return hash_to_scalar(group.q, Tag.AA_S, st)


# -- public key and assertion -----------------------------------------------------------------------


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
        _Tree(self.pk.group, self.depth, self.variant)

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
            return cls(PublicKey(group, y), root, depth, variant)  # type: ignore[arg-type]
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


# -- Gen and Assert ---------------------------------------------------------------------------------


class Asserter(AsserterState[AssertionPublicKey]):
    """The payer's side: ask = x, auxsk = k and the used contexts U (spec §3.4 Gen, Assert).

    Assert is stateful and refuses a second assertion in any context (`ContextReusedError`).
    """

    def __init__(
        self, sk: SecretKey, auxsk: bytes, depth: int = DEFAULT_DEPTH, *, variant: Variant = FIXED
    ) -> None:
        self._sk, self._auxsk = check_assertion_keys(sk, auxsk)
        self._tree = _Tree(sk.group, depth, variant)
        # z = Dg(0, 0, E_(1,0), E_(1,1)) (Gen step 3).
        left, right = (self._tree.published_entry(1, j, self._dummy_value(1, j)) for j in (0, 1))
        root = self._tree.parent_digest(1, 0, left, right)
        self._public = AssertionPublicKey(sk.public, root, depth, variant)
        self._used = ContextRegistry(depth)

    def _describe(self) -> str:
        return f"variant={self._public.variant}, "

    def _dummy(self, level: int, index: int) -> tuple[int, int]:
        """(x_N, r_N) = (PRF_k("AA/X", ℓ, j), PRF_k("AA/R", ℓ, j)).

        V_N = g^(x_N + x·r_N) would be the identity, which is not a valid published entry (spec §2.2),
        when x_N + x·r_N ≡ 0 (mod q): probability 1/q, so only toy groups meet it. Then r_N is redrawn
        as PRF_k("AA/R", ℓ, j, attempt) for attempt = 1, 2, …; verification never sees the dummies.
        """
        q, x = self._sk.group.q, self._sk.x
        x_n = prf_scalar(self._auxsk, q, Tag.AA_X, level, index)
        r_n = prf_scalar(self._auxsk, q, Tag.AA_R, level, index)
        attempt = 0
        while (x_n + x * r_n) % q == 0:
            attempt += 1
            r_n = prf_scalar(self._auxsk, q, Tag.AA_R, level, index, attempt)
        return x_n, r_n

    def _dummy_value(self, level: int, index: int) -> int:
        """V_N = Ch(x_N; r_N), one exponentiation with the trapdoor."""
        return ch_with_trapdoor(self._sk, *self._dummy(level, index))

    def assert_(self, ct: int, st: bytes) -> Assertion:
        """τ ← Assert(x, k, ct, st): open the path from leaf ct to the root (2D exponentiations)."""
        st = check_statement(st)
        ct = self._used.claim(ct)
        tree, sk = self._tree, self._sk
        m, j = _statement_message(sk.group, st), ct
        levels = []
        for level in range(tree.depth, 0, -1):
            x_n, r_n = self._dummy(level, j)
            # r' with Ch(m; r') = V_N.
            r_open = collision(sk, x_n, r_n, m)
            own = tree.path_entry(level, j, ch_with_trapdoor(sk, x_n, r_n), r_open)
            sibling = tree.published_entry(level, j ^ 1, self._dummy_value(level, j ^ 1))
            levels.append(AssertionLevel(r_open, sibling))
            m, j = tree.parent_digest(level, j, own, sibling), j >> 1
        if m != self._public.root:
            raise SchemeError("internal error: the opened path does not reach the committed root")
        return Assertion(sk.group, tuple(levels))


def generate(
    sk: SecretKey, depth: int = DEFAULT_DEPTH, rng: RandomSource | None = None, *, variant: Variant = FIXED
) -> tuple[AssertionPublicKey, Asserter]:
    """(apk, asserter) = Gen: ask = sk (the payer's key), auxsk = 32 fresh random bytes."""
    asserter = Asserter(sk, resolve(rng).randbytes(AUXSK_LEN), depth, variant=variant)
    return asserter.public, asserter


# -- Verify, Extract and the sibling leak -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Opening:
    """Node (ℓ, j) opened to message m with randomness r', giving the chameleon value C."""

    level: int
    index: int
    message: int
    randomness: int
    value: int


def _checked_levels(apk: AssertionPublicKey, tau: Assertion) -> tuple[AssertionLevel, ...]:
    """τ's levels, checked again: same group as apk, D levels, every value valid, sibling kinds as
    the variant prescribes."""
    if not isinstance(tau, Assertion):
        raise DecodeError("expected an Assertion")
    if check_group(tau.group, "assertion group") != apk.group:
        raise InvalidGroupError("the assertion and the public key use different groups")
    levels = _checked_entries(apk.group, tau.levels)
    if len(levels) != apk.depth:
        raise DecodeError(f"the assertion has {len(levels)} levels, the public key {apk.depth}")
    tree = apk._tree
    for level, step in zip(range(apk.depth, 0, -1), levels, strict=True):
        if isinstance(step.sibling, bytes) != tree.hashes_sibling(level):
            raise DecodeError(f"sibling entry at level {level} does not match the {apk.variant} layout")
    return levels


def _walk(apk: AssertionPublicKey, ct: int, st: bytes, tau: Assertion) -> tuple[list[_Opening], int]:
    """The per-level recomputation: the opening (m, r', C) of each path node, leaf first, and the
    digest that reaches the root. `apk` is a checked key; checks the rest; costs 2D exponentiations."""
    ct, st = check_context(ct, apk.depth), check_statement(st)
    levels = _checked_levels(apk, tau)
    tree = apk._tree
    m, j = _statement_message(apk.group, st), ct
    openings = []
    for level, step in zip(range(apk.depth, 0, -1), levels, strict=True):
        value = ch(apk.pk, m, step.r)
        openings.append(_Opening(level, j, m, step.r, value))
        m, j = tree.parent_digest(level, j, tree.path_entry(level, j, value, step.r), step.sibling), j >> 1
    return openings, m


def _accepted_openings(apk: AssertionPublicKey, ct: int, st: bytes, tau: Assertion) -> list[_Opening] | None:
    """The openings of τ if it verifies, else None."""
    openings, digest = _walk(apk, ct, st, tau)
    return openings if digest == apk.root else None


def verify(apk: AssertionPublicKey, ct: int, st: bytes, tau: Assertion) -> bool:
    """Verify(apk, ct, st, τ): recompute the path and accept iff it ends at z (2D exponentiations).

    Raises a `SchemeError` subclass for malformed input (context out of range, wrong layout or group).
    """
    apk = canonical(apk, AssertionPublicKey, "the assertion public key")
    return _accepted_openings(apk, ct, st, tau) is not None


AssertedStatement = tuple[int, bytes, Assertion]


def _key_from_double_opening(
    apk: AssertionPublicKey, first: AssertedStatement, second: AssertedStatement
) -> int | None:
    """x from the first node, leaf up, that two verifying assertions open to different messages."""
    apk = canonical(apk, AssertionPublicKey, "the assertion public key")
    a, b = _accepted_openings(apk, *first), _accepted_openings(apk, *second)
    if a is None or b is None:
        return None
    group = apk.group
    by_node = {(o.level, o.index): o for o in a}
    for o1 in b:
        o0 = by_node.get((o1.level, o1.index))
        if o0 is None or o0.value != o1.value or o0.message == o1.message:
            continue
        x = extract_key(group, o0.message, o0.randomness, o1.message, o1.randomness)
        # Equal values with different messages determine x; the check guards against a bad apk.
        if group.gexp(x) == apk.pk.y:
            return x
    return None


def extract(
    apk: AssertionPublicKey, ct: int, st0: bytes, st1: bytes, tau0: Assertion, tau1: Assertion
) -> int | None:
    """Extract(apk, ct, st0, st1, τ0, τ1): the key x with g^x = y, or None (⊥).

    ⊥ when the statements are equal or an assertion does not verify; otherwise some node on the path
    is opened to two messages (spec §3.4), unless H_q, G or Dg collided.
    """
    st0, st1 = check_statement(st0), check_statement(st1)
    key = _key_from_double_opening(apk, (ct, st0, tau0), (ct, st1, tau1))
    return key if st0 != st1 else None


def sibling_leak(
    apk: AssertionPublicKey,
    ct_a: int,
    st_a: bytes,
    tau_a: Assertion,
    ct_b: int,
    st_b: bytes,
    tau_b: Assertion,
) -> int | None:
    """The key from two honest assertions in *different* contexts, if they open a node twice.

    Succeeds on `rks-as-published` for sibling contexts (2j, 2j+1); returns None on the fixed tree,
    where no node is ever opened twice across contexts. The same context is `extract`'s job.
    """
    apk = canonical(apk, AssertionPublicKey, "the assertion public key")
    if check_context(ct_a, apk.depth) == check_context(ct_b, apk.depth):
        raise SchemeError("both assertions are in the same context; use extract")
    return _key_from_double_opening(apk, (ct_a, st_a, tau_a), (ct_b, st_b, tau_b))
