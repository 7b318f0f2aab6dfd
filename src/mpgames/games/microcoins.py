"""What the microcoin games share (harness §3; scheme §4): the payer's funds, the channel size a
payee accepts and the hashing budget of a Type II adversary."""

from __future__ import annotations

from mpgames.scheme.microcoin import DEFAULT_TRUNCATE_BITS

# The payer's balance on the ledger at the start of a trial: the most it can lock.
FUNDS = 10_000


# The most coins a payee accepts in one channel: bounds the hashing of a Transact (n hashes at most).
MAX_COINS = 64


# q_H, the hash queries a trial allows: 2^(κ−1) for κ = 12, where a search expects one accepted word.
HASH_BUDGET = 2 ** (DEFAULT_TRUNCATE_BITS - 1)
