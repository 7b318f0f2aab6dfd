"""What the microcoin games share (harness §3; scheme §4): the payer's funds, the channel size a
payee accepts, the hashing budget of a Type II adversary, and the game variants read off the scheme's
microcoin variants."""

from __future__ import annotations

from collections.abc import Mapping

from mpgames.framework.base import Variant, variant_table
from mpgames.scheme.microcoin import DEFAULT_TRUNCATE_BITS, VARIANTS

# The payer's balance on the ledger at the start of a trial: the most it can lock.
FUNDS = 10_000


# The most coins a payee accepts in one channel: bounds the hashing of a Transact (n hashes at most).
MAX_COINS = 64


def microcoin_variants(game_id: str, *names: str) -> Mapping[str, Variant]:
    """The game's variants, taken from `mpgames.scheme.microcoin.VARIANTS`: broken iff the variant
    loses `game_id`."""
    return variant_table(
        *(Variant(name, game_id in VARIANTS[name].breaks, VARIANTS[name].description) for name in names)
    )


# q_H, the hash queries a trial allows: 2^(κ−1) for κ = 12, where a search expects one accepted word.
HASH_BUDGET = 2 ** (DEFAULT_TRUNCATE_BITS - 1)
