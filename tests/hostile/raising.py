"""Class 2, raising comparisons and hostile objects: values whose `==`, `<`, `len()`, `bytes()`, hash or
attribute reads raise (`ValueError`, `RecursionError`), reaching the challenger as oracle arguments
or in a stage's output; and adversaries of a hidden-bit game whose every trial is a fault.

Whatever such an object does inside the challenger must cost the adversary its trial (a fault, or in
a hidden-bit game a random guess), never stop the run with a `ChallengerBug` or a traceback, and a
fault must never look like information about the hidden bit.

Loadable as a file plugin: `mpgames run GAME --adversary tests/hostile/raising.py:ClassName`.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any, NoReturn, TypeVar

from mpgames.adversaries.base import Adversary
from mpgames.framework.view import View
from mpgames.games.aa_extract import Equivocation
from mpgames.games.ch_cr import Collision
from mpgames.games.mc_type1 import distinct_keypair
from mpgames.games.ring_uf import RingForgery
from mpgames.games.sig_euf_cma import Forgery
from mpgames.scheme import schnorr
from mpgames.scheme.assertions import AUXSK_LEN, Asserter
from mpgames.scheme.microcoin import PayWordGen, get_variant
from mpgames.scheme.microcoin_tx import CommitTx
from mpgames.scheme.randomness import RandomSource
from mpgames.scheme.schnorr import SecretKey

T = TypeVar("T")
MESSAGE = b"hostile: pay 1000 coins to Mallory"


def explode(*_: object) -> NoReturn:
    raise ValueError("hostile value: comparing, hashing or encoding me raises")


def recurse(self: object, other: object) -> bool:
    return self == other  # RecursionError, eventually


class ExplodingInt(int):
    """An int whose comparisons and hash raise `ValueError`."""

    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = explode  # type: ignore[assignment]
    __hash__ = explode  # type: ignore[assignment]


class RecursiveInt(int):
    """An int whose comparisons recurse without end (`RecursionError`)."""

    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = recurse  # type: ignore[assignment]
    __hash__ = int.__hash__


class ExplodingBytes(bytes):
    """Bytes whose comparisons, hash and `len()` raise `ValueError` (`bytes()` of them works: it is
    how the harness renders an output)."""

    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = explode  # type: ignore[assignment]
    __hash__ = __len__ = explode  # type: ignore[assignment]


class UnencodableBytes(ExplodingBytes):
    """Exploding bytes whose `bytes()`, hence every encoding of them, raises too."""

    __bytes__ = explode


def forged_like(template: T, **changes: Any) -> T:
    """A copy of the dataclass `template` with `changes`, made without its constructor (which would
    compare the exploding value, in the adversary's own code)."""
    obj = object.__new__(type(template))
    for f in fields(template):  # type: ignore[arg-type]
        object.__setattr__(obj, f.name, changes.get(f.name, getattr(template, f.name)))
    return obj


# -- outputs that raise in the win predicate -------------------------------------------------------


class ExplodingEcho(Adversary):
    """Have m signed, then forge "m" as bytes whose `==`/`!=` raise: the freshness check (m* ∉ Q)
    compares them with the logged query."""

    id = "hostile.raise.exploding-echo"
    label = "forged message whose comparisons raise"
    targets = ("sig.euf-cma", "sig.euf-cma.rom", "ring.uf", "ring.uf.rom")
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> object:
        if "sign" in view:
            return Forgery(ExplodingBytes(MESSAGE), view.sign(MESSAGE))
        return RingForgery(ExplodingBytes(MESSAGE), view.cert(0, MESSAGE))


class ExplodingGuess(Adversary):
    """A guess (bit, index, key, logarithm, preimage) whose comparisons raise: the predicate's range
    check or `guess == secret` runs its code."""

    id = "hostile.raise.exploding-guess"
    label = "guess whose comparisons raise ValueError"
    targets = ("ring.anon", "mp.ul", "aa.secrecy", "ch.key-exposure", "dl", "hash.preimage")
    expect = "null"
    integer: type[int] = ExplodingInt

    def attack(self, view: View, rng: RandomSource) -> object:
        if "y" in view and "f" in view:  # hash.preimage wants bytes
            return ExplodingBytes(view.y)
        return self.integer(1)


class RecursiveGuess(ExplodingGuess):
    """The same guess with comparisons that recurse until `RecursionError`."""

    id = "hostile.raise.recursive-guess"
    label = "guess whose comparisons recurse"
    targets = ("ring.anon", "mp.ul", "aa.secrecy", "ch.key-exposure", "dl")
    integer = RecursiveInt


class ExplodingCollision(Adversary):
    """A collision whose m0 raises on `!=` (the predicate's m0 ≠ m1)."""

    id = "hostile.raise.exploding-collision"
    label = "collision whose m0 raises on comparison"
    targets = ("ch.cr",)
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> Collision:
        m, r = view.group.random_scalar(rng), view.group.random_scalar(rng)
        return Collision(ExplodingInt(m), r, m, r)


class ExplodingStatement(Adversary):
    """An honest assertion presented for st0 = bytes whose comparisons raise (the predicate's st0 ≠ st1)."""

    id = "hostile.raise.exploding-statement"
    label = "equivocation whose st0 raises on comparison"
    targets = ("aa.extract",)
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> Equivocation:
        _pk, sk = schnorr.keygen(view.group, rng)
        asserter = Asserter(sk, rng.randbytes(AUXSK_LEN), view.depth)
        tau = asserter.assert_(0, MESSAGE)
        return Equivocation(asserter.public, 0, ExplodingBytes(MESSAGE), MESSAGE, tau, tau)


class SecondReadExplodes(Adversary):
    """An attribute that raises: the output's first field reads fine once (when the output is rendered)
    and raises on every later read (when it is judged)."""

    id = "hostile.raise.second-read"
    label = "output field that raises from its second read on"
    targets = ("ch.cr", "sig.euf-cma")
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> object:
        if "sign" in view:
            return once_readable(Forgery, message=MESSAGE, signature=view.sign(MESSAGE))
        q = view.group.q
        return once_readable(Collision, m0=1, r0=0, m1=q - 1, r1=0)


def once_readable(cls: type, **values: Any) -> Any:
    """An instance of a subclass of the dataclass `cls` whose first field can be read only once."""
    first = fields(cls)[0].name

    def read_once(self: Any) -> Any:
        if self.__dict__.pop("unread", False):
            return values[first]
        explode()

    shifty = type(f"OnceReadable{cls.__name__}", (cls,), {first: property(read_once)})
    obj = object.__new__(shifty)
    for name, value in values.items():
        if name != first:
            object.__setattr__(obj, name, value)
    object.__setattr__(obj, "unread", True)
    return obj


# -- oracle arguments that raise inside the oracle ---------------------------------------------------


class ExplodingIndex(Adversary):
    """An index argument (signer i, point of sale i, context ct, b and n of a coin set) whose
    comparisons raise inside the oracle's range check."""

    id = "hostile.raise.exploding-index"
    label = "oracle index whose comparisons raise"
    targets = ("ring.uf", "ring.uf.rom", "ring.anon", "mp.uf", "mp.ul", "aa.secrecy", "mp.ds", "mp.profit")
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> object:
        bomb = ExplodingInt(0)
        if "exposed_keys" in view and "ring" in view:  # ring.anon
            view.challenge(MESSAGE, bomb, 1)
        elif "ring" in view:
            view.cert(bomb, MESSAGE)
        elif "sample_state" in view:
            view.cert(bomb, view.sample_state)
        elif "assert_" in view:
            view.assert_(bomb, MESSAGE)
        else:
            view.nonce(bomb)
        return None


class ExplodingMessage(Adversary):
    """A message argument (to sign, to open a hash to, to hash) whose `bytes()`, `len()`, hash and
    comparisons raise inside the oracle."""

    id = "hostile.raise.exploding-message"
    label = "oracle message whose bytes()/len() raise"
    targets = ("sig.euf-cma", "sig.euf-cma.rom", "ring.uf", "ring.uf.rom", "ch.key-exposure", "hash.preimage")
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> object:
        bomb = UnencodableBytes(MESSAGE)
        if "sign" in view:
            view.sign(bomb)
        elif "ring" in view:
            view.cert(0, bomb)
        elif "collide" in view:
            view.collide(bomb)
        else:
            view.f(bomb)
        return None


class ExplodingCoin(Adversary):
    """Coins whose index raises on comparison: paid to the honest payee (Type I) inside O_pay, or
    handed in as the challenge coin (Type II) and compared with l*; and a coin-set size n that raises
    inside O_setup."""

    id = "hostile.raise.exploding-coin"
    label = "coin index / coin count whose comparisons raise"
    targets = ("mc.type1", "mc.type2")
    expect = "null"

    def commit(self, view: View, rng: RandomSource) -> None:
        sk, variant = SecretKey(view.group, view.x), get_variant(view.variant)
        self.gen = PayWordGen(sk, view.payee, 40, 8, view.now + 50, variant=variant, rng=rng)
        view.commit(CommitTx(self.gen.commit, self.gen.signature))
        self.gen.chain()
        self.aux = self.gen.link()

    def pay(self, view: View, rng: RandomSource) -> None:
        view.accept(self.aux)
        view.pay(forged_like(self.gen.coin(1), index=ExplodingInt(1)))

    def query(self, view: View, rng: RandomSource) -> None:
        payee, _ = distinct_keypair(view.group, rng, view.pk)
        # Half the trials: n explodes inside O_setup; the other half: the challenge coin, when judged.
        view.setup(4, ExplodingInt(4) if rng.randbelow(2) else 4, payee)
        self.paid = view.coin()

    def forge(self, view: View, rng: RandomSource) -> object:
        return forged_like(self.paid, index=ExplodingInt(view.challenge))


# -- hidden-bit games: faults must not be information ----------------------------------------------


class FaultingBitGuess(Adversary):
    """Never answers: raises in its stage, so every trial is a fault. Scoring faults as losses turns
    "always wrong" into |2·0 − 1| = 1, a perfect advantage for an adversary that knows nothing."""

    id = "hostile.raise.faulting-bit-guess"
    label = "raises instead of guessing"
    targets = ("ring.anon",)
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> int:
        view.challenge(MESSAGE, 0, 1)
        raise ValueError("no guess")


class MalformedBitGuess(Adversary):
    """Always answers 2, which is no bit: every trial is a malformed output (a fault)."""

    id = "hostile.raise.malformed-bit-guess"
    label = "answers 2 to a bit guess"
    targets = ("ring.anon",)
    expect = "null"

    def attack(self, view: View, rng: RandomSource) -> int:
        view.challenge(MESSAGE, 0, 1)
        return 2
