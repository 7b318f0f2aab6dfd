"""Adversaries from outside the package: entry points and one-file plugins (harness §4 "Discovery").

Two ways to bring an adversary that is not built in (docs/adversaries.md has a worked example):

* an installed distribution declares an entry point in the group `mpgames.adversaries`, named after
  the adversary's id, e.g. in its pyproject.toml

      [project.entry-points."mpgames.adversaries"]
      "student.bsgs" = "student_attacks:StudentBsgs"

* a single file, named where an adversary id is expected: `--adversary path/to/file.py:ClassName`.
  Named without its class (`path/to/file.py`), the file's adversary classes are listed, read from
  its syntax (the file is not run).

`find` is the registry's fallback for an id it does not know (mpgames.adversaries.registry). The class it
returns has passed the registry's own checks (targets exist, every stage implemented, the broken
variant belongs to a target) and may not reuse a built-in id. A plugin runs isolated unless the
caller trusts it (`--trusted`): the class is loaded in processes of its own, and `find` returns its
stand-in (mpgames.adversaries.isolated), which the engine always plays isolated (docs/isolation.md).
Either way it gets the game's view only, its oracle budgets, the per-trial time limit and its own
seeded generator.

A trusted file is imported once per process, under a module name derived from its resolved path, so that
its classes pickle by reference into worker processes forked after it was loaded (`--jobs`). Its
folder is appended to `sys.path`, so that it can import the helper modules next to it (a folder
submission's); appended, such a module never shadows one of the harness or the standard library.
Game plugins are loaded by the same means (mpgames.framework.plugin_files, mpgames.games.registry).
Whatever goes wrong while loading (no such file, an import that raises or calls `sys.exit`, a
missing class, a class that fails the checks) is a `UsageError` naming the plugin: one line and exit
status 2 on the CLI.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from mpgames.adversaries.base import Adversary
from mpgames.adversaries.isolated import isolated_class
from mpgames.framework.errors import UsageError
from mpgames.framework.plugin_files import (
    entry_point_reference,
    file_parts,
    is_file_reference,
    load_entry_point,
    load_file,
    no_class_named,
)

ENTRY_POINT_GROUP = "mpgames.adversaries"

Check = Callable[[str, object], type[Adversary]]


def find(
    adversary_id: str, check: Check, builtin: Collection[str], *, trusted: bool = False
) -> type[Adversary] | None:
    """The plugin adversary named `adversary_id` (a file reference or an entry point name), passed
    through `check`; None if no plugin has that name. `UsageError` for a plugin that cannot be loaded,
    fails the check, or takes the id of a built-in adversary.

    A plugin is isolated unless `trusted`: its class is loaded in its own process, never in this one,
    and the class returned is its stand-in (mpgames.adversaries.isolated)."""
    parts = file_parts(adversary_id)
    if parts is not None and not is_file_reference(adversary_id):
        raise no_class_named(*parts, "adversary")
    if is_file_reference(adversary_id):
        reference = adversary_id
    else:
        found = entry_point_reference(ENTRY_POINT_GROUP, adversary_id)
        if found is None:
            return None
        reference = found
    if not trusted:
        loaded: object = isolated_class(reference)
    elif is_file_reference(reference):
        loaded = load_file(reference)
    else:
        loaded = load_entry_point(reference)
    try:
        cls = check(reference, loaded)
    except (TypeError, UsageError) as exc:
        raise UsageError(f"plugin {reference}: {exc}") from None
    if cls.id in builtin:
        raise UsageError(f"plugin {reference}: id {cls.id!r} belongs to a built-in adversary; rename it")
    if not is_file_reference(adversary_id) and cls.id != adversary_id:
        raise UsageError(f"entry point {adversary_id!r} loads an adversary with id {cls.id!r}; name it so")
    return cls
