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

Variants (`VARIANTS`, by name; each a `ConstructionVariant` of `mpgames.scheme.variants`):

* "mc-b": the above;
* "mc-b-trunc": MC-B with the chain hash cut to κ bits; a payee finds the next word by search
  with probability ≈ 2·tries·2^−κ (a random κ-bit guess is the true word with probability 2^−κ,
  or another preimage of the last word with probability 2^−κ) (Type II broken);
* "mc-b-unbound-n": the signed COMMIT omits n and v, the link carries them, so whoever holds the
  trapdoor links a longer chain to the same root and the payee, reading n from the link, accepts
  more than b (Type I broken; redeeming the surplus then fails on the ledger);
* "mc-0": the literal reading (§4.2): coin i is a Krawczyk–Rabin opening r_i with
  Ch(μ(enc("coin", cid, i)); r_i) = R_root. Two coins give x and the payee mints the rest
  (`mpgames.adversaries.microcoin.mc0_extract_key`, `mc0_forge_coin`) (Type II broken);
* "mc-0-adm": MC-0′: coin i is an Ateniese–de Medeiros opening of an ADM root. Openings do not
  expose x; each coin costs 2–3 exponentiations.

The two coin kinds share the commit phase (`MicroCoinGen`), the payee channel (`Channel`) and the
ledger rules; they differ only in what proves a coin (`coin_proof_holds`). `CHAIN_HASHES` holds the
chain hashes of MC-B ("full") and mc-b-trunc ("trunc"), declared as `FULL_HASH` and `TRUNCATED_HASH`.

Modules: `variants` (the constructions), `records` (COMMIT, coins, Aux and their encodings),
`verification` (the link and coin predicates), `payer` (MicroCoinGen) and `payee` (AcceptLink,
Transact). This package re-exports their public names.
"""

from __future__ import annotations

from mpgames.scheme.microcoin.payee import Channel, accept_link
from mpgames.scheme.microcoin.payer import (
    ADM_ROOT_MESSAGE_LEN,
    SEED_LEN,
    MicroCoinGen,
    OpeningGen,
    PayWordGen,
    kr_opening_coin,
    link_randomness,
    microcoin_gen,
)
from mpgames.scheme.microcoin.records import (
    CID_LEN,
    NONCE_LEN,
    TAG_AUX,
    TAG_COIN,
    Aux,
    ChainTerms,
    Coin,
    Commit,
    Link,
    OpeningCoin,
    PayWordCoin,
    chain_terms,
    decode_coin,
)
from mpgames.scheme.microcoin.variants import (
    CHAIN_HASHES,
    DEFAULT_TRUNCATE_BITS,
    FULL_HASH,
    GAME_PREIMAGE,
    GAME_TYPE1,
    GAME_TYPE2,
    MC_B,
    TRUNCATED_HASH,
    VARIANTS,
    CoinKind,
    MicrocoinVariant,
    RootHash,
    get_variant,
    truncated_variant,
)
from mpgames.scheme.microcoin.verification import COIN_LABEL, coin_message, coin_proof_holds, link_holds

__all__ = [
    "ADM_ROOT_MESSAGE_LEN",
    "CHAIN_HASHES",
    "CID_LEN",
    "COIN_LABEL",
    "DEFAULT_TRUNCATE_BITS",
    "FULL_HASH",
    "GAME_PREIMAGE",
    "GAME_TYPE1",
    "GAME_TYPE2",
    "MC_B",
    "NONCE_LEN",
    "SEED_LEN",
    "TAG_AUX",
    "TAG_COIN",
    "TRUNCATED_HASH",
    "VARIANTS",
    "Aux",
    "ChainTerms",
    "Channel",
    "Coin",
    "CoinKind",
    "Commit",
    "Link",
    "MicroCoinGen",
    "MicrocoinVariant",
    "OpeningCoin",
    "OpeningGen",
    "PayWordCoin",
    "PayWordGen",
    "RootHash",
    "accept_link",
    "chain_terms",
    "coin_message",
    "coin_proof_holds",
    "decode_coin",
    "get_variant",
    "kr_opening_coin",
    "link_holds",
    "link_randomness",
    "microcoin_gen",
    "truncated_variant",
]
