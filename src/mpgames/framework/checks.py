"""The boundary between adversary and challenger (harness §6a; docs/games-framework.md "Boundary").

Everything the adversary hands over — each oracle argument, each stage output — is converted by
the challenger, before any use, into a fresh object of the challenger's own exact types:
`mpgames.scheme.revalidate.canonical` rebuilds it field by field from exact built-ins through the scheme's
own constructors (which validate every field), and every `Group` inside it must be the trial's
group. Only that copy is compared, stored, hashed or judged, so an `int` or `bytes` subclass that
lies in `__eq__`, an object made without its constructor or a property that answers differently on
each read reaches nothing of the challenger.

The framework applies the conversion itself: `Oracle` converts each argument by the type the
oracle's function declares for it, and `TrialContext.play` converts a stage's output by the type
the game declares (`returns=`). A value that cannot be converted is the adversary's fault: a
`MalformedQuery` (the oracle answers ⊥) or a `MalformedOutput` (the trial is lost).
`expect_output` / `expect_query` are the same conversion for code that receives a value another
way (a reduction judging what its inner adversary produced).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar, cast

from mpgames.framework.errors import MalformedOutput, MalformedQuery
from mpgames.scheme.groups import Group
from mpgames.scheme.revalidate import NotCanonicalError, canonical

if TYPE_CHECKING:
    from typing_extensions import TypeForm

T = TypeVar("T")


def _canonical(value: object, cls: TypeForm[T], what: str, group: Group | None) -> T:
    # `canonical` converts every declared type it knows, unions and tuples included (its module
    # docstring); its signature names a class only, so the type expression is passed on as `type[T]`.
    return canonical(value, cast("type[T]", cls), what, group=group)


def expect_output(value: object, cls: TypeForm[T], what: str, group: Group | None = None) -> T:
    """The canonical `cls` copy of an output value, else `MalformedOutput`."""
    try:
        return _canonical(value, cls, what, group)
    except NotCanonicalError as exc:
        raise MalformedOutput(str(exc)) from None


def expect_query(value: object, cls: TypeForm[T], what: str, group: Group | None = None) -> T:
    """The canonical `cls` copy of an oracle argument, else `MalformedQuery` (the oracle answers ⊥)."""
    try:
        return _canonical(value, cls, what, group)
    except NotCanonicalError as exc:
        raise MalformedQuery(str(exc)) from None
