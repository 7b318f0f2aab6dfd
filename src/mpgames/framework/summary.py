"""Short, deterministic text renderings of game values (harness §3 outcome records, §6 transcripts).

Outcome records keep a summary of the adversary's output and transcripts keep the data of each step;
both must stay readable when a value is a 2048-bit group element. Large integers are shown as
`0x87a8e61d…1a1597 (2048-bit)`, long byte strings by their first and last bytes, a named group by
its name (`Group(toy-64-20)`, once its parameters are checked to be that group's: a key or a coin
does not repeat them), containers and dataclasses field by field, and the whole rendering is cut at
a fixed length.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from mpgames.scheme.errors import InvalidGroupError
from mpgames.scheme.groups import Group, named_group

# Integers up to 64 bits are printed in full (toy-group values stay exact in transcripts).
FULL_INT_BITS = 64
# Byte strings up to this length are printed in full hex; printable ASCII up to TEXT_BYTES as text.
FULL_BYTES = 16
TEXT_BYTES = 48
# Summaries are cut at this many characters (one line of a table or a transcript).
SUMMARY_LIMIT = 160


def render(value: object) -> str:
    """A compact rendering of `value`, recursing into tuples, lists, mappings and dataclasses."""
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, int):
        if value.bit_length() <= FULL_INT_BITS:
            return str(value)
        digits = f"{value:x}"
        return f"0x{digits[:8]}…{digits[-6:]} ({value.bit_length()}-bit)"
    if isinstance(value, bytes | bytearray):
        data = bytes(value)
        if len(data) <= TEXT_BYTES and all(32 <= byte < 127 for byte in data):
            return repr(data)
        if len(data) <= FULL_BYTES:
            return f"h'{data.hex()}'"
        return f"h'{data[:6].hex()}…{data[-4:].hex()}' ({len(data)} bytes)"
    if isinstance(value, str):
        return repr(value)
    if type(value) is Group and _is_named(value):
        return f"Group({value.name})"  # the named group itself: its name says all its parameters
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        inner = ", ".join(
            f"{f.name}={render(getattr(value, f.name))}" for f in dataclasses.fields(value) if f.repr
        )
        return f"{type(value).__name__}({inner})"
    if isinstance(value, tuple | list):
        inner = _join(render(item) for item in value)
        if isinstance(value, list):
            return f"[{inner}]"
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, dict):
        return "{" + _join(f"{render(k)}: {render(v)}" for k, v in value.items()) + "}"
    # Anything else by its type only: a default repr carries a memory address, which differs between
    # processes and would break the identity of outcomes across --jobs.
    return f"<{type(value).__name__}>"


def _is_named(group: Group) -> bool:
    """True iff `group` has exactly the parameters of the named group whose name it carries (an
    output can carry any name: one that lies is rendered in full). Only exact built-in values are
    compared, so that no adversary code runs in an `__eq__`."""
    values = vars(group)
    p, q, g, tier, name, curve = (values.get(field) for field in ("p", "q", "g", "tier", "name", "curve"))
    if not (all(type(x) is int for x in (p, q, g)) and type(tier) is str and type(name) is str and name):
        return False
    if not (curve is None or (type(curve) is tuple and all(type(c) is int for c in curve))):
        return False
    try:
        named = named_group(name)
    except InvalidGroupError:
        return False
    return (p, q, g, tier, curve) == (named.p, named.q, named.g, named.tier, named.curve)


def _join(parts: Iterable[str]) -> str:
    """ ", ".join(parts), stopping once the text is past the summary limit (outputs may be huge)."""
    out: list[str] = []
    length = 0
    for part in parts:
        if length > SUMMARY_LIMIT:
            out.append("…")
            break
        out.append(part)
        length += len(part) + 2
    return ", ".join(out)


def summarize(value: object, limit: int = SUMMARY_LIMIT) -> str:
    """`render(value)` cut to at most `limit` characters."""
    text = render(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
