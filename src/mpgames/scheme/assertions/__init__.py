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
  published layout for the attack demo (`sibling_leak`); it is broken on purpose. On secp256k1 it
  also uses accas's encodings (`_Tree.accas`, docs/scheme.md "The accas layout"), so its assertions
  are those the published code computes.
* Costs: Gen 2 exponentiations (plus g^x for the public key); Assert 2D; Verify 2D (D chameleon
  evaluations); Extract 4D + 1; checking τ's D−1 element entries costs one exponentiation each for a
  value not seen before (membership answers are cached by value, mpgames.scheme.groups), none for entries the
  checking process computed itself.

`verify`, `extract` and `sibling_leak` share one recomputation of the per-level openings (m, r', C)
(`_walk`, in `verification`). Each validates everything it is handed — the key (group, y, z, D,
layout), every level of τ (r' in Z_q, sibling entry of the right kind, element entries in the
subgroup), the context and the statements, all of built-in types (an int subclass is read as its
exact value) — whatever object it is and however it was built, and then computes only with the
values it checked. They raise typed errors on malformed input and answer False/None on well-formed
but wrong input. Helpers shared with AA-2 (`mpgames.scheme.assertions_aa2`): context and statement
checks, the used-context registry, sibling ordering and the `StatefulAsserter` protocol.

Modules: `common` (what AA-2 shares), `tree` (layout, apk and τ), `asserter` (Gen, Assert),
`verification` (Verify, Extract, the sibling leak) and `variants` (the constructions the games
compare, declared as `mpgames.scheme.variants.ConstructionVariant`s, and the no-leaf-binding bug).
This package re-exports their public names.
"""

from __future__ import annotations

from mpgames.scheme.assertions.asserter import Asserter, generate
from mpgames.scheme.assertions.common import (
    AUXSK_LEN,
    AsserterState,
    ContextRegistry,
    StatefulAsserter,
    check_assertion_keys,
    check_context,
    check_depth,
    check_statement,
    in_order,
)
from mpgames.scheme.assertions.tree import (
    DEFAULT_DEPTH,
    FIXED,
    LEAF_ENTRY_LEN,
    MAX_DEPTH,
    RKS_AS_PUBLISHED,
    TAG_AA_APK,
    TAG_AA_TAU,
    VARIANTS,
    Assertion,
    AssertionLevel,
    AssertionPublicKey,
    Entry,
    Variant,
    check_variant,
)
from mpgames.scheme.assertions.variants import (
    FIXED_TREE,
    NO_LEAF_BINDING,
    RKS_TREE,
    UNBOUND_LEAF,
    leaf_statement,
)
from mpgames.scheme.assertions.verification import AssertedStatement, extract, sibling_leak, verify

__all__ = [
    "AUXSK_LEN",
    "DEFAULT_DEPTH",
    "FIXED",
    "FIXED_TREE",
    "LEAF_ENTRY_LEN",
    "MAX_DEPTH",
    "NO_LEAF_BINDING",
    "RKS_AS_PUBLISHED",
    "RKS_TREE",
    "TAG_AA_APK",
    "TAG_AA_TAU",
    "UNBOUND_LEAF",
    "VARIANTS",
    "AssertedStatement",
    "Asserter",
    "AsserterState",
    "Assertion",
    "AssertionLevel",
    "AssertionPublicKey",
    "ContextRegistry",
    "Entry",
    "StatefulAsserter",
    "Variant",
    "check_assertion_keys",
    "check_context",
    "check_depth",
    "check_statement",
    "check_variant",
    "extract",
    "generate",
    "in_order",
    "leaf_statement",
    "sibling_leak",
    "verify",
]
