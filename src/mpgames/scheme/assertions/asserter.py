"""The asserter of the binary tree (spec §3.4 Gen and Assert): the payer's key x, the PRF key k that
derives every node's dummy opening, and the used contexts U."""

from __future__ import annotations

from mpgames.scheme.assertions.common import (
    AUXSK_LEN,
    AsserterState,
    ContextRegistry,
    check_assertion_keys,
    check_statement,
)
from mpgames.scheme.assertions.tree import (
    DEFAULT_DEPTH,
    FIXED,
    Assertion,
    AssertionLevel,
    AssertionPublicKey,
    Variant,
    _Tree,
)
from mpgames.scheme.chameleon import ch_with_trapdoor, collision
from mpgames.scheme.errors import SchemeError
from mpgames.scheme.hashing import Tag, prf_scalar
from mpgames.scheme.randomness import RandomSource, resolve
from mpgames.scheme.schnorr import SecretKey


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
        self._used = ContextRegistry(self._tree.depth)

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
        m, j = tree.statement_message(st), ct
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
