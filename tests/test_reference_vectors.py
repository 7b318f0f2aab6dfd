"""scheme/ against the independent reference of the spec (tests/reference/spec_reference.py).

The reference is written from shared/spec/scheme.md with the standard library only, so an encoding
or domain-tag error that the implementation's own round trips share (sign and verify both using a
wrong tag, say) makes these tests fail. Three kinds of test:

(a) the committed vectors (tests/vectors/reference_kat.json) equal what the reference computes now,
    and the reference reproduces the numbers the spec states (§3.1, §3.2);
(b) the implementation reproduces every value: encodings (§2.4), hashes, Schnorr signatures with a
    fixed nonce (§3.1), KR and ADM values (§3.2), AOS signatures with fixed coins (§3.3), the AA
    root z and every field of τ (§3.4), MC-B's COMMIT, cid, chain words, M_link and r_link (§4.3),
    and the voucher states, signed messages and statements (§5.3–§5.5). Where scheme/ draws
    randomness internally, a scripted `RandomSource` feeds it the vector's coins;
(c) cross-acceptance: the implementation's verifiers (and the ledger) accept reference-made
    assertions, coins and signatures and reject them after one byte or one scalar changes; its
    Extract recovers x from two reference-made equivocating assertions; and the reference accepts
    what the implementation makes with real randomness.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import pytest
from reference import spec_reference as ref

from mpgames.scheme import ring, schnorr
from mpgames.scheme.assertions import (
    Asserter,
    Assertion,
    AssertionLevel,
    AssertionPublicKey,
    extract,
    sibling_leak,
)
from mpgames.scheme.assertions import verify as aa_verify
from mpgames.scheme.chameleon import (
    TAG_CH_ADM,
    AdmOpening,
    adm_collision,
    adm_hash,
    ch,
    collision,
    extract_key,
    hash_message,
    message_scalar,
)
from mpgames.scheme.encoding import enc
from mpgames.scheme.errors import RuleViolation, SchemeError, VerificationError
from mpgames.scheme.groups import Group, named_group
from mpgames.scheme.hashing import hash256, hash_to_scalar, prf_scalar
from mpgames.scheme.ledger import Ledger
from mpgames.scheme.microcoin import (
    MC_B,
    Aux,
    ChainTerms,
    Commit,
    Link,
    PayWordCoin,
    accept_link,
    link_holds,
    link_randomness,
    microcoin_gen,
)
from mpgames.scheme.microcoin_tx import CommitTx, RedeemTx, redeem_message
from mpgames.scheme.micropay import Schedule
from mpgames.scheme.micropay2 import NamedVouchers
from mpgames.scheme.micropay3 import RingVouchers
from mpgames.scheme.payword import ChainHash, link_message
from mpgames.scheme.ring import RingSignature
from mpgames.scheme.schnorr import PublicKey, SecretKey, Signature
from mpgames.scheme.vouchers import Mp1State, Mp2State, Mp3State, RingVoucher, SchnorrVoucher, state_message

VECTORS: dict[str, Any] = json.loads(ref.VECTOR_FILE.read_text(encoding="utf-8"))
GROUPS: list[dict[str, Any]] = VECTORS["groups"]
by_group = pytest.mark.parametrize("vec", GROUPS, ids=[g["name"] for g in GROUPS])
with_equivocation = pytest.mark.parametrize(
    "vec", [g for g in GROUPS if "equivocation" in g["aa"]], ids=lambda g: g["name"]
)
toy_groups = pytest.mark.parametrize(
    "vec", [g for g in GROUPS if g["name"].startswith("toy")], ids=lambda g: g["name"]
)


class ScriptedRandom:
    """A `RandomSource` that hands out given values: randbelow(n) from below[n], randbytes(n) from raw[n].

    Drawing anything that was not scripted fails the test, so a change in what the implementation
    draws shows up here rather than as a wrong value further on.
    """

    def __init__(
        self,
        below: Mapping[int, Sequence[int]] | None = None,
        raw: Mapping[int, Sequence[bytes]] | None = None,
    ) -> None:
        self._below = {n: list(v) for n, v in (below or {}).items()}
        self._raw = {n: list(v) for n, v in (raw or {}).items()}

    def randbelow(self, n: int) -> int:
        queue = self._below.get(n)
        if not queue:
            raise AssertionError(f"unscripted draw randbelow({n})")
        value = queue.pop(0)
        assert 0 <= value < n
        return value

    def randbytes(self, n: int) -> bytes:
        queue = self._raw.get(n)
        if not queue:
            raise AssertionError(f"unscripted draw randbytes({n})")
        return queue.pop(0)

    def exhausted(self) -> bool:
        return not any(self._below.values()) and not any(self._raw.values())


def _group(vec: Mapping[str, Any]) -> Group:
    return named_group(vec["name"])


def _ref_group(vec: Mapping[str, Any]) -> ref.RefGroup:
    return ref.RefGroup(vec["name"], vec["p"], vec["q"], vec["g"])


def _sig(data: Mapping[str, int]) -> Signature:
    return Signature(data["e"], data["s"])


def _flip(data: bytes, index: int = 0) -> bytes:
    return data[:index] + bytes([data[index] ^ 0x01]) + data[index + 1 :]


def _fields(items: Sequence[Sequence[Any]]) -> list[Any]:
    return [ref.untyped(item) for item in items]


def _assertion(group: Group, levels: Sequence[Mapping[str, Any]]) -> Assertion:
    return Assertion(group, tuple(AssertionLevel(lv.r, lv.sibling) for lv in ref.tau_from_json(levels)))


def _apk(vec: Mapping[str, Any]) -> AssertionPublicKey:
    aa = vec["aa"]
    return AssertionPublicKey(PublicKey(_group(vec), aa["y"]), aa["root"], aa["depth"])


def _cases(vec: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    return {case["id"]: case for case in vec["aa"]["assertions"]}


# -- (a) the vectors are the reference's ------------------------------------------------------------


def test_committed_vectors_equal_what_the_reference_computes() -> None:
    """Nobody hand-edits the JSON: regenerate with `python tests/reference/spec_reference.py`."""
    assert json.loads(ref.render(ref.generate_vectors())) == VECTORS


def test_the_reference_reproduces_the_spec_numbers() -> None:
    """Spec §3.1 (x=7 ⇒ y=72; k=123, e=77 ⇒ R=572, s=662; e2=500 recovers x) and §3.2 (Ch(5;11)=1620,
    x^−1=728, Col(7,5,11,100)=143, ExtractCsk=7), as numbers copied from the spec text."""
    spec = VECTORS["spec_known_answers"]
    assert (spec["group"], spec["x"], spec["y"]) == ("toy-2039", 7, 72)
    algebra = spec["schnorr_algebra"]
    assert (algebra["k"], algebra["e"], algebra["R"], algebra["s"]) == (123, 77, 572, 662)
    assert (algebra["e2"], algebra["recovered"]) == (500, 7)
    assert spec["kr"] == {
        "m": 5,
        "r": 11,
        "ch": 1620,
        "x_inv": 728,
        "m_new": 100,
        "r_new": 143,
        "extracted": 7,
    }


def test_the_implementation_reproduces_the_spec_numbers() -> None:
    spec = VECTORS["spec_known_answers"]
    group = named_group(spec["group"])
    sk = SecretKey(group, spec["x"])
    assert sk.public.y == spec["y"]
    algebra, kr = spec["schnorr_algebra"], spec["kr"]
    assert group.gexp(algebra["k"]) == algebra["R"]
    first, second = Signature(algebra["e"], algebra["s"]), Signature(algebra["e2"], algebra["s2"])
    assert schnorr.recover_key_from_nonce_reuse(group, first, second) == algebra["recovered"]
    assert ch(sk.public, kr["m"], kr["r"]) == kr["ch"]
    assert group.inv_scalar(spec["x"]) == kr["x_inv"]
    assert collision(sk, kr["m"], kr["r"], kr["m_new"]) == kr["r_new"]
    assert extract_key(group, kr["m"], kr["r"], kr["m_new"], kr["r_new"]) == kr["extracted"]


@by_group
def test_the_vector_groups_are_the_implementations_named_groups(vec: dict[str, Any]) -> None:
    group = _group(vec)
    assert (group.p, group.q, group.g) == (vec["p"], vec["q"], vec["g"])
    assert (group.element_len, group.scalar_len) == (vec["element_len"], vec["scalar_len"])
    assert vec["q"].bit_length() <= 256


# -- (b) the implementation reproduces every value --------------------------------------------------


@pytest.mark.parametrize("case", VECTORS["encoding"], ids=[c["id"] for c in VECTORS["encoding"]])
def test_enc(case: dict[str, Any]) -> None:
    """§2.4: 4-byte big-endian lengths, u64 small integers, UTF-8 text, nested sequences."""
    assert enc(*_fields(case["fields"])).hex() == case["enc"]


@by_group
def test_hashes_and_fixed_width_fields(vec: dict[str, Any]) -> None:
    """§2.4: H_q = SHA-512 mod q, H_256 = SHA-256, PRF = HMAC-SHA-512 mod q; Lp and Lq widths."""
    group, hashes = _group(vec), vec["hashes"]
    for case in hashes["h_q"]:
        assert hash_to_scalar(group.q, case["tag"].encode(), *_fields(case["fields"])) == case["value"]
    for case in hashes["h_256"]:
        assert hash256(case["tag"].encode(), *_fields(case["fields"])).hex() == case["value"]
    for case in hashes["prf"]:
        key = bytes.fromhex(case["key"])
        assert prf_scalar(key, group.q, case["tag"].encode(), *_fields(case["fields"])) == case["value"]
    assert group.element_bytes(hashes["element"]["value"]).hex() == hashes["element"]["bytes"]
    assert group.scalar_bytes(hashes["scalar"]["value"]).hex() == hashes["scalar"]["bytes"]


@by_group
def test_schnorr_signature_with_a_fixed_nonce(vec: dict[str, Any]) -> None:
    """§3.1: e = H_q("SIG/SCHNORR", R, y, m), s = k + e·x."""
    group, v = _group(vec), vec["schnorr"]
    sk = SecretKey(group, v["x"])
    assert sk.public.y == v["y"]
    assert schnorr.sign(sk, bytes.fromhex(v["message"]), nonce=v["nonce"]) == _sig(v["sig"])
    k_minus_1 = ScriptedRandom({group.q - 1: [v["nonce"] - 1]})
    assert schnorr.sign(sk, bytes.fromhex(v["message"]), k_minus_1) == _sig(v["sig"])


@by_group
def test_krawczyk_rabin(vec: dict[str, Any]) -> None:
    """§3.2: Ch(m; r), Col, ExtractCsk, and μ(M) = H_q("CH/MSG", M)."""
    group, v = _group(vec), vec["kr"]
    sk = SecretKey(group, v["x"])
    assert sk.public.y == v["y"]
    assert ch(sk.public, v["m"], v["r"]) == v["ch"]
    assert collision(sk, v["m"], v["r"], v["m_new"]) == v["r_new"]
    assert extract_key(group, v["m"], v["r"], v["m_new"], v["r_new"]) == v["extracted"] == v["x"]
    message = bytes.fromhex(v["message"])
    assert message_scalar(group, message) == v["mu"]
    assert hash_message(sk.public, message, v["r_message"]) == v["ch_message"]


@by_group
def test_ateniese_de_medeiros(vec: dict[str, Any]) -> None:
    """§3.2: C = r − ((y^e·g^s mod p) mod q), e = H_q("CH/ADM", M, r); the collision with k' fixed."""
    group, v = _group(vec), vec["adm"]
    sk = SecretKey(group, v["x"])
    message, message_new = bytes.fromhex(v["message"]), bytes.fromhex(v["message_new"])
    assert hash_to_scalar(group.q, TAG_CH_ADM, message, group.scalar_bytes(v["r"])) == v["e"]
    assert adm_hash(sk.public, message, AdmOpening(v["r"], v["s"])) == v["c"]
    rng = ScriptedRandom({group.q: [v["k"]]})
    assert adm_collision(sk, v["c"], message_new, rng) == AdmOpening(v["r_new"], v["s_new"])
    assert rng.exhausted()


@by_group
def test_accountable_assertion_root_and_tau(vec: dict[str, Any]) -> None:
    """§3.4: z, and every τ field (r' and sibling entry per level) and τ's bytes, for fixed x and auxsk."""
    group, aa = _group(vec), vec["aa"]
    sk = SecretKey(group, aa["x"])
    auxsk = bytes.fromhex(aa["auxsk"])
    asserter = Asserter(sk, auxsk, aa["depth"])
    assert asserter.public.pk.y == aa["y"]
    assert asserter.public.root == aa["root"]
    for case in aa["assertions"]:
        # A fresh asserter per case: the equivocation pair shares one context on purpose.
        tau = Asserter(sk, auxsk, aa["depth"]).assert_(case["ct"], bytes.fromhex(case["st"]))
        assert tau == _assertion(group, case["tau"]), case["id"]
        assert tau.to_bytes().hex() == case["tau_bytes"], case["id"]
        # The level-1 sibling is the other of the two entries that z is the digest of.
        top = case["ct"] >> (aa["depth"] - 1)
        assert tau.levels[-1].sibling == ref.entry_from_json(aa["root_entries"][1 - top]), case["id"]


@by_group
def test_mcb_values(vec: dict[str, Any]) -> None:
    """§4.3: enc(COMMIT), cid, σ_U, w_n … w_0, M_link, μ(M_link), r_link, the redeem message and σ_R."""
    group, v = _group(vec), vec["mcb"]
    sk, payee = SecretKey(group, v["x"]), SecretKey(group, v["x_payee"])
    assert (sk.public.y, payee.public.y) == (v["y"], v["y_payee"])
    assert ch(sk.public, v["a"], v["s"]) == v["root"]
    terms = ChainTerms(v["n"], v["v"])
    commit = Commit(
        MC_B, bytes.fromhex(v["nonce"]), sk.public, payee.public, v["b"], terms, v["root"], v["expiry"]
    )
    assert commit.to_bytes().hex() == v["commit"]
    cid = commit.cid
    assert cid.hex() == v["cid"]
    assert schnorr.sign(sk, commit.to_bytes(), nonce=v["k_commit"]) == _sig(v["sig_commit"])
    words = [bytes.fromhex(w) for w in v["words"]]
    chain = ChainHash()
    assert chain.seed_word(cid, bytes.fromhex(v["seed"])) == words[-1]
    for i in range(v["n"], 0, -1):
        assert chain.step(cid, i, words[i]) == words[i - 1]
    assert link_message(cid, v["n"], v["v"], words[0]).hex() == v["link_message"]
    assert message_scalar(group, bytes.fromhex(v["link_message"])) == v["mu_link"]
    assert link_randomness(sk, (v["a"], v["s"]), cid, terms, words[0]) == v["r_link"]
    j = v["coin_index"]
    coin = PayWordCoin(cid, j, words[j])
    assert redeem_message(coin).hex() == v["redeem_message"]
    assert schnorr.sign(payee, redeem_message(coin), nonce=v["k_redeem"]) == _sig(v["sig_redeem"])


@by_group
def test_mcb_generator_with_the_vector_coins(vec: dict[str, Any]) -> None:
    """MicroCoinGen end to end, fed a, s, the nonce, σ_U's k and the seed: the same COMMIT, chain and link."""
    group, v = _group(vec), vec["mcb"]
    sk, payee = SecretKey(group, v["x"]), SecretKey(group, v["x_payee"])
    rng = ScriptedRandom(
        {group.q: [v["a"], v["s"]], group.q - 1: [v["k_commit"] - 1]},
        {16: [bytes.fromhex(v["nonce"])], 32: [bytes.fromhex(v["seed"])]},
    )
    gen = microcoin_gen(sk, payee.public, v["b"], v["n"], v["expiry"], variant=MC_B, rng=rng)
    assert gen.commit.to_bytes().hex() == v["commit"]
    assert gen.signature == _sig(v["sig_commit"])
    assert gen.chain().hex() == v["words"][0]
    aux = gen.link()
    assert aux.link is not None and aux.link.r == v["r_link"]
    assert gen.coin(v["coin_index"]).word.hex() == v["words"][v["coin_index"]]
    assert rng.exhausted()


@by_group
def test_voucher_states_messages_and_signatures(vec: dict[str, Any]) -> None:
    """§5.3–§5.5: state bytes, enc("MP/STATE", state), Schnorr vouchers (fixed k), AOS (fixed coins)."""
    group, mp = _group(vec), vec["micropay"]
    cid = bytes.fromhex(mp["cid"])
    v1 = mp["mp1"]
    # The implementation signs the channel-bound state (docs/scheme.md "Micropay 1"), not the seed's
    # bare (pk_esc, d, b), whose reference vector stays in the JSON for comparison only.
    channel1 = Mp1State(PublicKey(group, v1["pk_esc"]), v1["d"], v1["b"], cid)
    assert channel1.to_bytes().hex() == v1["channel_state"]
    assert state_message(channel1).hex() == v1["channel_message"]
    rng = ScriptedRandom({group.q - 1: [v1["nonce"] - 1]})
    issued = SchnorrVoucher.issue(SecretKey(group, v1["x_signer"]), channel1, rng)
    assert issued.signature == _sig(v1["channel_sig"])

    v2 = mp["mp2"]
    state2 = Mp2State(cid, v2["expiry"], v2["d"], v2["k"], v2["b"], v2["pos"])
    assert state2.to_bytes().hex() == v2["state"]
    assert state_message(state2).hex() == v2["message"]
    signer2 = SecretKey(group, mp["pos_keys"][v2["pos"]]["x"])
    rng = ScriptedRandom({group.q - 1: [v2["nonce"] - 1]})
    assert SchnorrVoucher.issue(signer2, state2, rng).signature == _sig(v2["sig"])
    directory = tuple(PublicKey(group, key["y"]) for key in mp["pos_keys"])
    assert NamedVouchers(directory).statement(cid, bytes.fromhex(v2["statement"]), 1).hex() == v2["statement"]

    v3 = mp["mp3"]
    state3 = Mp3State(cid, v3["expiry"], v3["valid_until"], v3["d"], v3["k"], v3["b"])
    assert state3.to_bytes().hex() == v3["state"]
    assert state_message(state3).hex() == v3["message"]
    assert [pk.y for pk in ring.canonical_ring(directory)] == mp["ring"]
    signer_y = mp["ring"][v3["signer_index"]]
    signer3 = next(SecretKey(group, key["x"]) for key in mp["pos_keys"] if key["y"] == signer_y)
    rng = ScriptedRandom({group.q: [v3["alpha"], *v3["responses"]]})
    voucher = RingVoucher.issue(signer3, directory, state3, rng)
    assert voucher.signature == RingSignature(v3["sig"]["c0"], tuple(v3["sig"]["s"]))
    assert rng.exhausted()
    payment = v3["payment"]
    statement = RingVouchers(directory, Schedule(slot=60, t_conf=10)).statement(
        cid, bytes.fromhex(payment["nonce"]), payment["price"]
    )
    assert statement.hex() == payment["statement"]


# -- (c) cross-acceptance ---------------------------------------------------------------------------


@by_group
def test_schnorr_verify_accepts_reference_signatures_only_untampered(vec: dict[str, Any]) -> None:
    group, v = _group(vec), vec["schnorr"]
    pk, message, sig = PublicKey(group, v["y"]), bytes.fromhex(v["message"]), _sig(v["sig"])
    assert schnorr.verify(sig, pk, message)
    assert not schnorr.verify(Signature(sig.e, (sig.s + 1) % group.q), pk, message)
    assert not schnorr.verify(Signature((sig.e + 1) % group.q, sig.s), pk, message)
    assert not schnorr.verify(sig, pk, _flip(message, len(message) - 1))


@by_group
def test_chameleon_collisions_made_by_the_reference_open_the_hash(vec: dict[str, Any]) -> None:
    group = _group(vec)
    kr, adm = vec["kr"], vec["adm"]
    pk = PublicKey(group, kr["y"])
    assert ch(pk, kr["m_new"], kr["r_new"]) == kr["ch"]
    assert ch(pk, kr["m_new"], (kr["r_new"] + 1) % group.q) != kr["ch"]
    pk, message_new = PublicKey(group, adm["y"]), bytes.fromhex(adm["message_new"])
    assert adm_hash(pk, message_new, AdmOpening(adm["r_new"], adm["s_new"])) == adm["c"]
    assert adm_hash(pk, message_new, AdmOpening(adm["r_new"], (adm["s_new"] + 1) % group.q)) != adm["c"]
    assert adm_hash(pk, _flip(message_new), AdmOpening(adm["r_new"], adm["s_new"])) != adm["c"]


@by_group
def test_aa_verify_accepts_reference_assertions_only_untampered(vec: dict[str, Any]) -> None:
    group, apk = _group(vec), _apk(vec)
    for case in vec["aa"]["assertions"]:
        ct, st, name = case["ct"], bytes.fromhex(case["st"]), case["id"]
        tau = _assertion(group, case["tau"])
        assert aa_verify(apk, ct, st, tau), name
        decoded = Assertion.from_bytes(apk, bytes.fromhex(case["tau_bytes"]))
        assert decoded == tau and aa_verify(apk, ct, st, decoded), name
        assert not aa_verify(apk, ct ^ 1, st, tau), name
        assert not aa_verify(apk, ct, _flip(st, len(st) - 1), tau), name
        for i in (0, len(tau.levels) - 1):
            levels = list(tau.levels)
            levels[i] = AssertionLevel((levels[i].r + 1) % group.q, levels[i].sibling)
            assert not aa_verify(apk, ct, st, Assertion(group, tuple(levels))), (name, i)
        leaf = tau.levels[0]
        assert isinstance(leaf.sibling, bytes)
        levels = [AssertionLevel(leaf.r, _flip(leaf.sibling)), *tau.levels[1:]]
        assert not aa_verify(apk, ct, st, Assertion(group, tuple(levels))), name
        # One byte of τ's encoding: either the decoder refuses it or Verify does.
        raw = bytes.fromhex(case["tau_bytes"])
        for index in (len(raw) - 1, len(raw) // 2):
            try:
                tampered = Assertion.from_bytes(apk, _flip(raw, index))
            except SchemeError:
                continue
            assert not aa_verify(apk, ct, st, tampered), (name, index)


@with_equivocation
def test_aa_extract_recovers_x_from_reference_equivocation(vec: dict[str, Any]) -> None:
    group, apk, aa = _group(vec), _apk(vec), vec["aa"]
    cases = _cases(vec)
    first, second = (cases[name] for name in aa["equivocation"]["ids"])
    assert first["ct"] == second["ct"] and first["st"] != second["st"]
    tau0, tau1 = _assertion(group, first["tau"]), _assertion(group, second["tau"])
    st0, st1 = bytes.fromhex(first["st"]), bytes.fromhex(second["st"])
    x = extract(apk, first["ct"], st0, st1, tau0, tau1)
    assert x == aa["equivocation"]["x"] == aa["x"]
    assert extract(apk, first["ct"], st0, st0, tau0, tau0) is None


@with_equivocation
def test_honest_reference_assertions_in_sibling_contexts_leak_nothing(vec: dict[str, Any]) -> None:
    """The fixed tree of §3.4: contexts 2j and 2j+1 open no node twice (reference and implementation)."""
    group, apk, aa = _group(vec), _apk(vec), vec["aa"]
    assert aa["siblings"]["double_openings"] == []
    a, b = (_cases(vec)[name] for name in aa["siblings"]["ids"])
    assert a["ct"] ^ 1 == b["ct"]
    leaked = sibling_leak(
        apk,
        a["ct"],
        bytes.fromhex(a["st"]),
        _assertion(group, a["tau"]),
        b["ct"],
        bytes.fromhex(b["st"]),
        _assertion(group, b["tau"]),
    )
    assert leaked is None


@by_group
def test_ledger_and_payee_accept_a_reference_made_microcoin_channel(vec: dict[str, Any]) -> None:
    """§4.3 end to end on the implementation's ledger: the reference's COMMIT, σ_U, link, coins and σ_R."""
    group, v = _group(vec), vec["mcb"]
    payer, payee = PublicKey(group, v["y"]), PublicKey(group, v["y_payee"])
    commit = Commit(
        MC_B,
        bytes.fromhex(v["nonce"]),
        payer,
        payee,
        v["b"],
        ChainTerms(v["n"], v["v"]),
        v["root"],
        v["expiry"],
    )
    sig_commit, sig_redeem = _sig(v["sig_commit"]), _sig(v["sig_redeem"])
    words = [bytes.fromhex(w) for w in v["words"]]
    link = Link(words[0], v["r_link"])
    cid, j = commit.cid, v["coin_index"]

    ledger = Ledger()
    ledger.mint(payer, v["b"])
    with pytest.raises(RuleViolation) as refused:
        ledger.submit(CommitTx(commit, Signature(sig_commit.e, (sig_commit.s + 1) % group.q)))
    assert refused.value.rule == "commit-signature"
    ledger.submit(CommitTx(commit, sig_commit))

    assert link_holds(commit, link)
    assert not link_holds(commit, Link(words[0], (v["r_link"] + 1) % group.q))
    assert not link_holds(commit, Link(_flip(words[0]), v["r_link"]))
    channel = accept_link(Aux(commit, sig_commit, link), ledger, payee)
    with pytest.raises(VerificationError):
        channel.check(PayWordCoin(cid, j, _flip(words[j], 31)))
    with pytest.raises(VerificationError):
        channel.check(PayWordCoin(cid, j + 1, words[j]))
    assert channel.transact(PayWordCoin(cid, j, words[j])) == j * v["v"]
    assert channel.transact(PayWordCoin(cid, v["n"], words[v["n"]])) == (v["n"] - j) * v["v"]

    coin = PayWordCoin(cid, j, words[j])
    with pytest.raises(RuleViolation) as refused:
        ledger.submit(RedeemTx(group, coin, link, Signature(sig_redeem.e, (sig_redeem.s + 1) % group.q)))
    assert refused.value.rule == "payee-signature"
    with pytest.raises(RuleViolation) as refused:
        ledger.submit(RedeemTx(group, coin, Link(words[0], (v["r_link"] + 1) % group.q), sig_redeem))
    assert refused.value.rule == "link-equation"
    ledger.submit(RedeemTx(group, coin, link, sig_redeem))
    assert ledger.balance(payee) == j * v["v"] and ledger.balance(payer) == v["b"] - j * v["v"]


@by_group
def test_voucher_verifiers_accept_reference_vouchers_only_untampered(vec: dict[str, Any]) -> None:
    group, mp = _group(vec), vec["micropay"]
    cid = bytes.fromhex(mp["cid"])
    directory = tuple(PublicKey(group, key["y"]) for key in mp["pos_keys"])

    v1 = mp["mp1"]
    issuer, key = SecretKey(group, v1["x_signer"]).public, PublicKey(group, v1["pk_esc"])
    channel1, channel_sig = Mp1State(key, v1["d"], v1["b"], cid), _sig(v1["channel_sig"])
    assert SchnorrVoucher(channel1, channel_sig).verify(issuer)
    assert not SchnorrVoucher(Mp1State(key, v1["d"], v1["b"] + 1, cid), channel_sig).verify(issuer)
    tampered = Signature(channel_sig.e, (channel_sig.s + 1) % group.q)
    assert not SchnorrVoucher(channel1, tampered).verify(issuer)
    other = Mp1State(key, v1["d"], v1["b"], _flip(cid))
    assert not SchnorrVoucher(other, channel_sig).verify(issuer)

    v2 = mp["mp2"]
    named = NamedVouchers(directory)
    state2 = Mp2State(cid, *_mp2_fields(v2))
    sig2 = _sig(v2["sig"])
    assert named.verify(SchnorrVoucher(state2, sig2))
    assert not named.verify(SchnorrVoucher(state2, Signature(sig2.e, (sig2.s + 1) % group.q)))
    more = Mp2State(cid, v2["expiry"], v2["d"], v2["k"], v2["b"] + 1, v2["pos"])
    assert not named.verify(SchnorrVoucher(more, sig2))
    assert not named.verify(SchnorrVoucher(Mp2State(_flip(cid), *_mp2_fields(v2)), sig2))

    v3 = mp["mp3"]
    ringed = RingVouchers(directory, Schedule(slot=60, t_conf=10))
    state3 = Mp3State(cid, v3["expiry"], v3["valid_until"], v3["d"], v3["k"], v3["b"])
    c0, s = v3["sig"]["c0"], tuple(v3["sig"]["s"])
    assert ringed.verify(RingVoucher(state3, RingSignature(c0, s)))
    assert not ringed.verify(RingVoucher(state3, RingSignature((c0 + 1) % group.q, s)))
    for i in range(len(s)):
        bumped = tuple((si + 1) % group.q if n == i else si for n, si in enumerate(s))
        assert not ringed.verify(RingVoucher(state3, RingSignature(c0, bumped))), i
    later = Mp3State(cid, v3["expiry"], v3["valid_until"] + 1, v3["d"], v3["k"], v3["b"])
    assert not ringed.verify(RingVoucher(later, RingSignature(c0, s)))


def _mp2_fields(v2: Mapping[str, int]) -> tuple[int, ...]:
    return v2["expiry"], v2["d"], v2["k"], v2["b"], v2["pos"]


@toy_groups
def test_the_reference_accepts_implementation_outputs_with_real_randomness(vec: dict[str, Any]) -> None:
    """The other direction, for outputs the vectors cannot fix: fresh nonces and coins from the system."""
    group, grp = _group(vec), _ref_group(vec)
    sk = SecretKey(group, vec["schnorr"]["x"])
    message = b"made by scheme/ with system randomness"
    sig = schnorr.sign(sk, message)
    assert ref.schnorr_verify(grp, sk.public.y, message, ref.SchnorrSig(sig.e, sig.s))

    mp = vec["micropay"]
    directory = tuple(PublicKey(group, key["y"]) for key in mp["pos_keys"])
    ring_sig = ring.sign(SecretKey(group, mp["pos_keys"][0]["x"]), directory, message)
    assert ref.aos_verify(grp, mp["ring"], message, ref.RingSig(ring_sig.c0, ring_sig.s))

    aa = vec["aa"]
    asserter = Asserter(SecretKey(group, aa["x"]), bytes.fromhex(aa["auxsk"]), aa["depth"])
    ct = 2 ** aa["depth"] - 2
    tau = asserter.assert_(ct, message)
    levels = [ref.AALevel(level.r, level.sibling) for level in tau.levels]
    assert ref.aa_verify(grp, aa["y"], aa["root"], aa["depth"], ct, message, levels)
    assert ref.aa_tau_bytes(grp, levels) == tau.to_bytes()

    adm = vec["adm"]
    opening = adm_collision(SecretKey(group, adm["x"]), adm["c"], message)
    assert ref.adm_hash(grp, adm["y"], message, opening.r, opening.s) == adm["c"]
