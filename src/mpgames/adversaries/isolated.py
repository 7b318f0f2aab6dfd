"""Stand-ins for adversaries that run isolated (harness §6a; docs/isolation.md).

An adversary from a file or an entry point is never imported into the challenger's process: its
fork server (mpgames.adversaries.sandbox) loads it and reports what the class declares, and
`isolated_class(reference)` makes, from that profile, an `IsolatedAdversary` subclass for the
challenger to name, list, check and report the adversary by. Every value of the profile is
checked here before it is used (exact types, lengths), then by `Adversary`'s own class checks and
the registry's; the stand-in has no stage code: an isolated run (`Engine.run(isolated=True)`)
plays the stages in the adversary's processes.

`submission_class` makes the stand-in of a graded submission, which reads nothing the student
declares but the class's methods (docs/grading.md).

A stand-in class pickles as the call that made it (copyreg on its metaclass), so a worker process
that receives it builds its own from its own server.
"""

from __future__ import annotations

import copyreg
import functools
import re
import typing
from collections.abc import Callable, Mapping
from typing import ClassVar

from mpgames.adversaries.base import NULL, Adversary
from mpgames.framework.errors import UsageError
from mpgames.framework.isolation.host import server_for

# Profile values: short strings and small tuples of them.
MAX_TEXT = 200
MAX_NAMES = 256
_ID = re.compile(r"[A-Za-z0-9_.:/-]{1,100}")
# The id of every graded submission's stand-in (`submission_class`).
SUBMISSION_ID = "submission"


class _IsolatedMeta(type):
    """The metaclass of stand-ins: it lets them pickle by reference."""


class IsolatedAdversary(Adversary, metaclass=_IsolatedMeta):
    """An adversary that runs in processes of its own; the class holds its checked profile."""

    reference: ClassVar[str]
    stages: ClassVar[frozenset[str]]
    # The call that makes the stand-in again, in the process that unpickles it.
    remake: ClassVar[tuple[Callable[..., object], tuple[object, ...]]]
    isolated_only = True

    @classmethod
    def source_reference(cls) -> str:
        return cls.reference

    @classmethod
    def implements_stage(cls, stage: str) -> bool:
        return stage in cls.stages


def _text(profile: Mapping[str, object], name: str) -> str:
    value = profile.get(name)
    if type(value) is not str or not value or len(value) > MAX_TEXT:
        raise UsageError(f"its {name} must be a non-empty string of at most {MAX_TEXT} characters")
    return value


def _names(profile: Mapping[str, object], name: str) -> tuple[str, ...]:
    value = profile.get(name)
    if type(value) is not tuple or len(value) > MAX_NAMES:
        raise UsageError(f"its {name} must be a tuple of at most {MAX_NAMES} strings")
    if not all(type(item) is str and 0 < len(item) <= MAX_TEXT for item in value):
        raise UsageError(f"its {name} must hold non-empty strings of at most {MAX_TEXT} characters")
    return tuple(value)


def _loaded(reference: str) -> dict[str, object]:
    """The profile of the class `reference` names, which its server loaded."""
    profile = dict(server_for(reference).profile)
    if profile.get("is_adversary") is not True:
        raise UsageError(f"plugin {reference}: it is not an Adversary subclass")
    return profile


def _stand_in(
    reference: str, remake: tuple[Callable[..., object], tuple[object, ...]], **declared: object
) -> type[IsolatedAdversary]:
    name = f"IsolatedAdversary[{declared['id']}]"
    attributes = {
        "__module__": __name__,
        "__qualname__": name,
        "__doc__": f"The isolated adversary {reference}.",
        "reference": reference,
        "remake": remake,
        **declared,
    }
    return typing.cast("type[IsolatedAdversary]", _IsolatedMeta(name, (IsolatedAdversary,), attributes))


@functools.cache
def isolated_class(reference: str) -> type[IsolatedAdversary]:
    """The stand-in of the adversary class `reference` names (loaded by its server, in its process);
    `UsageError` for a class that cannot be loaded or declares something it may not."""
    profile = _loaded(reference)
    try:
        adversary_id = _text(profile, "id")
        if not _ID.fullmatch(adversary_id):
            raise UsageError(f"its id {adversary_id!r} may hold only letters, digits and _ . : / -")
        return _stand_in(
            reference,
            (isolated_class, (reference,)),
            id=adversary_id,
            label=_text(profile, "label"),
            targets=_names(profile, "targets"),
            expect=_text(profile, "expect"),
            breaks_tiers=_names(profile, "breaks_tiers"),
            also_breaks=_names(profile, "also_breaks"),
            stages=frozenset(_names(profile, "implements")),
        )
    except (UsageError, TypeError) as exc:
        raise UsageError(f"plugin {reference}: {exc}") from None


@functools.cache
def submission_class(reference: str, game_id: str, stages: tuple[str, ...]) -> type[IsolatedAdversary]:
    """The stand-in of a graded submission's class (docs/grading.md), for the game `game_id` whose
    stages are `stages`: of what the class declares only its methods are read; its id, label,
    targets and claims are the grader's, the same for every submission (`SUBMISSION_ID`), so nothing a
    student writes there changes how the class is played or judged. `UsageError` for a class that
    cannot be loaded or lacks one of the stages."""
    profile = _loaded(reference)
    try:
        implemented = frozenset(_names(profile, "implements"))
    except UsageError as exc:
        raise UsageError(f"plugin {reference}: {exc}") from None
    missing = [stage for stage in stages if stage not in implemented]
    if missing:
        raise UsageError(f"{reference} has no method {', '.join(missing)} (the stages of {game_id})")
    return _stand_in(
        reference,
        (submission_class, (reference, game_id, stages)),
        id=SUBMISSION_ID,
        label=reference.rpartition(":")[2],
        targets=(game_id,),
        expect=NULL,
        breaks_tiers=(),
        also_breaks=(),
        stages=frozenset(stages),
    )


def _reduce(cls: type[IsolatedAdversary]) -> tuple[Callable[..., object], tuple[object, ...]] | str:
    """Pickle a stand-in as the call that makes it again, and `IsolatedAdversary` itself by its name
    (a stand-in that cloudpickle sends by value names it as its base class)."""
    return cls.remake if "remake" in vars(cls) else cls.__qualname__


copyreg.pickle(_IsolatedMeta, _reduce)  # type: ignore[arg-type]
