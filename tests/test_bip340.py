"""BIP-340 Schnorr signatures on secp256k1 against the published test vectors.

tests/vectors/bip340-test-vectors.csv is `bip-0340/test-vectors.csv` of bitcoin/bips, unchanged
(BSD-2-Clause OR MIT OR CC0-1.0): each row a secret key (or none), an x-only public key, aux_rand, a
message, a signature and whether it verifies. Rows with a secret key must also be signed to
exactly that signature; the others are verification-only, malformed keys and signatures included.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mpgames.scheme import bip340
from mpgames.scheme.errors import SchemeError

VECTORS = Path(__file__).parent / "vectors" / "bip340-test-vectors.csv"


def _rows() -> list[dict[str, str]]:
    with VECTORS.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


ROWS = _rows()


def test_the_vector_file_is_the_published_one():
    assert len(ROWS) == 19 and [int(row["index"]) for row in ROWS] == list(range(19))
    assert sum(row["verification result"] == "FALSE" for row in ROWS) >= 10


@pytest.mark.parametrize("row", ROWS, ids=lambda row: f"{row['index']}-{row['comment'][:30]}")
def test_bip340_vector(row):
    public, message, signature = (bytes.fromhex(row[k]) for k in ("public key", "message", "signature"))
    expected = row["verification result"] == "TRUE"
    assert bip340.verify(public, message, signature) is expected
    if row["secret key"]:
        secret, aux = bytes.fromhex(row["secret key"]), bytes.fromhex(row["aux_rand"])
        assert bip340.public_key(secret) == public
        assert bip340.sign(secret, message, aux) == signature


@given(
    secret=st.integers(min_value=1, max_value=2**255).map(lambda d: d.to_bytes(32, "big")),
    message=st.binary(max_size=80),
    aux=st.binary(min_size=32, max_size=32),
    flip=st.integers(min_value=0, max_value=511),
)
def test_a_signature_verifies_and_any_changed_bit_breaks_it(secret, message, aux, flip):
    public = bip340.public_key(secret)
    signature = bip340.sign(secret, message, aux)
    assert bip340.verify(public, message, signature)
    changed = bytearray(signature)
    changed[flip // 8] ^= 1 << (flip % 8)
    assert not bip340.verify(public, message, bytes(changed))


def test_inputs_of_the_wrong_type_or_length_are_refused():
    secret, aux = bytes(31) + b"\x01", bytes(32)
    signature = bip340.sign(secret, b"m", aux)
    public = bip340.public_key(secret)
    assert not bip340.verify(bytearray(public), b"m", signature)  # type: ignore[arg-type]
    assert not bip340.verify(public + b"\x00", b"m", signature)
    assert not bip340.verify(public, b"m", signature[:63])
    for bad in (bytes(32), (2**256 - 1).to_bytes(32, "big")):  # 0 and ≥ n
        with pytest.raises(SchemeError):
            bip340.sign(bad, b"m", aux)
    with pytest.raises(SchemeError):
        bip340.sign(secret, b"m", bytes(31))
