"""Microcoin variants (spec §4.2 MC-0 and MC-0′, §4.3 MC-B, §4.4 the truncated-hash demo): the named
constructions the games compare, each flagged with the games it loses, and the two chain hashes
(MC-B's and mc-b-trunc's) that `hash.preimage` compares."""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from enum import StrEnum
from types import MappingProxyType

from mpgames.scheme.errors import SchemeError
from mpgames.scheme.payword import ChainHash
from mpgames.scheme.variants import ConstructionVariant

# κ of "mc-b-trunc": a 2^12-word space makes a preimage search of a few thousand hashes (a few ms)
# succeed with a sizable probability, so the Type II game separates it from MC-B within one run.
DEFAULT_TRUNCATE_BITS = 12
# Game ids (harness §3) a broken variant loses.
GAME_TYPE1 = "mc.type1"
GAME_TYPE2 = "mc.type2"
GAME_PREIMAGE = "hash.preimage"


class CoinKind(StrEnum):
    """What proves coin i: a PayWord chain word, or an opening of the committed root."""

    PAYWORD = "payword"
    OPENING = "opening"


class RootHash(StrEnum):
    """The chameleon hash of the committed root: Krawczyk–Rabin (a group element) or ADM (a scalar)."""

    KR = "kr"
    ADM = "adm"


@dataclass(frozen=True)
class MicrocoinVariant(ConstructionVariant):
    """A named microcoin construction (a `ConstructionVariant`) with the parameters that make it."""

    coins: CoinKind = CoinKind.PAYWORD
    root_hash: RootHash = RootHash.KR
    truncate_bits: int | None = None
    binds_terms: bool = True

    def __post_init__(self) -> None:
        super().__post_init__()
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


# The chain hashes of hash.preimage: MC-B's, and mc-b-trunc's κ-bit cut.
FULL_HASH = ConstructionVariant("full", broken=False, description="the 256-bit chain hash of MC-B")
TRUNCATED_HASH = ConstructionVariant(
    "trunc",
    broken=True,
    description=f"cut to κ = {VARIANTS['mc-b-trunc'].chain_hash.bits} bits as in mc-b-trunc: q_f queries "
    "find a preimage with probability ≈ q_f·2^(1−κ)",
    breaks=(GAME_PREIMAGE,),
)
CHAIN_HASHES: MappingProxyType[str, ChainHash] = MappingProxyType(
    {FULL_HASH.name: ChainHash(), TRUNCATED_HASH.name: VARIANTS["mc-b-trunc"].chain_hash}
)
