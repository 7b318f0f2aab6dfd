"""The adversary's view of a game (harness §3: "public parameters plus oracle objects").

A `View` is a read-only mapping with attribute access (`view.pk`, `view["pk"]`) that holds exactly
what the game put in it. It refuses, at construction, anything that would hand the adversary the
challenger: secret keys, the trial context, the game object, a random generator, or a plain
function or bound method (which could close over a secret). Oracles are the only callables allowed.
It holds deep copies of the public values (oracles excepted), never the challenger's own objects:
rewriting `view.pk` with `object.__setattr__` changes the adversary's copy, not the key the
challenger judges with.

Python is no sandbox: a determined adversary can still inspect an oracle's closure. The view keeps
honest mistakes out; it does not contain a malicious adversary.
"""

from __future__ import annotations

import copy
import functools
import types
from collections.abc import Iterator, Mapping
from typing import Any

from mpgames.framework.oracles import Oracle
from mpgames.scheme.randomness import SeededRandom, SystemRandom
from mpgames.scheme.schnorr import SecretKey

# Types that are never public: secrets, generators and the challenger's own objects.
_SECRET_TYPES: tuple[type, ...] = (SecretKey, SeededRandom, SystemRandom)
# Callables that could close over the challenger's state (an Oracle is the sanctioned wrapper).
_CALLABLE_TYPES: tuple[type, ...] = (
    types.FunctionType,
    types.MethodType,
    types.BuiltinMethodType,
    functools.partial,
)


class View(Mapping[str, object]):
    """Public parameters and oracles, frozen."""

    __slots__ = ("_items",)

    def __init__(self, **items: object) -> None:
        for name, value in items.items():
            _refuse_private(name, value)
        copies = {name: copy.deepcopy(value) for name, value in items.items()}
        object.__setattr__(self, "_items", types.MappingProxyType(copies))

    def __getattr__(self, name: str) -> Any:
        """A public value by name. Typed `Any`: which names a view holds, and their types, is each
        game's declaration (its experiment builds the view), not the framework's."""
        try:
            return self._items[name]
        except KeyError:
            raise AttributeError(f"the view has no {name!r}; it holds {', '.join(self._items)}") from None

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("the view is read-only")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("the view is read-only")

    def __getitem__(self, name: str) -> object:
        return self._items[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"View({', '.join(self._items)})"


def _refuse_private(name: str, value: object) -> None:
    """Raise `TypeError` if `value` (or anything inside a container) must not reach the adversary."""
    if isinstance(value, Oracle):
        return
    if isinstance(value, _SECRET_TYPES) or getattr(value, "is_challenger_object", False):
        raise TypeError(f"view entry {name!r} would expose a {type(value).__name__} to the adversary")
    if isinstance(value, _CALLABLE_TYPES):
        raise TypeError(f"view entry {name!r} is a plain callable; wrap challenger code in an Oracle")
    if isinstance(value, tuple | list | frozenset | set):
        for item in value:
            _refuse_private(name, item)
    elif isinstance(value, Mapping):
        for item in value.values():
            _refuse_private(name, item)
