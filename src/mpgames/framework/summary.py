"""Deterministic renderings of game values, as short text and as typed JSON (harness §3 outcome
records, §6 transcripts; docs/schemas/replay.schema.json "traceValue").

Outcome records keep a summary of the adversary's output and transcripts keep the data of each step;
both must stay readable when a value is a 2048-bit group element. `summarize` gives the text: large
integers are shown as `0x87a8e61d…1a1597 (2048-bit)`, long byte strings by their first and last
bytes, a named group by its name (`Group(toy-64-20)`, once its parameters are checked to be that
group's: a key or a coin does not repeat them), containers and dataclasses field by field, and the
whole rendering is cut at a fixed length.

`json_value` gives the same value for machines, each part keeping its JSON type: null, booleans,
strings and integers as themselves (an integer of more than 53 bits, which a JSON reader may round,
as `{"int": "<decimal digits>"}`), bytes as `{"bytes": "<hex>"}`, tuples and lists as arrays, a
mapping as `{"map": [[key, value], ...]}`, a named group as `{"group": name}`, a dataclass as
`{"record": ClassName, "fields": {...}}` and anything else as `{"type": ClassName}`. Its values are
complete up to `JSON_ITEMS` items per container, `JSON_TEXT` characters per string or byte string
and `JSON_DEPTH` levels; what is cut is marked (`{"omitted": n}` as an array's last item, a
string's `…`), so a record of any size stays bounded.

Both read a value through one classification (`_shape`), so they never disagree on what a value is.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable
from typing import Any

from mpgames.scheme.errors import InvalidGroupError
from mpgames.scheme.groups import Group, named_group

# Integers up to 64 bits are printed in full (toy-group values stay exact in transcripts).
FULL_INT_BITS = 64
# Byte strings up to this length are printed in full hex; printable ASCII up to TEXT_BYTES as text.
FULL_BYTES = 16
TEXT_BYTES = 48
# Summaries are cut at this many characters (one line of a table or a transcript).
SUMMARY_LIMIT = 160
# The integers a JSON reader holds exactly in a double (RFC 8259 §6): larger ones are strings.
JSON_INT_BITS = 53
# What a JSON rendering keeps of one container, string (characters; bytes: twice as many hex
# digits) and nesting.
JSON_ITEMS = 256
JSON_TEXT = 4096
JSON_DEPTH = 24

# The kinds `_shape` sorts values into; each rendering formats each kind.
_SCALAR, _INT, _BYTES, _STR, _GROUP, _RECORD, _TUPLE, _LIST, _MAP, _OTHER = range(10)


def _shape(value: object) -> tuple[int, Any]:
    """(kind, payload) of `value`: the payload is the value itself for scalars, ints and strings,
    the bytes, the group's name, (class name, (field name, value) pairs), the items, the (key,
    value) pairs, or the class name."""
    if isinstance(value, bool) or value is None:
        return _SCALAR, value
    # Subclasses of the built-in types are read as their base type's value, never through a method
    # of theirs (a refused output is rendered too, and its class is the adversary's).
    if isinstance(value, float):
        return _SCALAR, float.__float__(value)
    if isinstance(value, int):
        return _INT, int.__index__(value)
    if isinstance(value, bytes | bytearray):
        return _BYTES, bytes(memoryview(value))
    if isinstance(value, str):
        return _STR, str.__str__(value)
    if type(value) is Group and _is_named(value):
        return _GROUP, value.name  # the named group itself: its name says all its parameters
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = tuple((f.name, getattr(value, f.name)) for f in dataclasses.fields(value) if f.repr)
        return _RECORD, (type(value).__name__, fields)
    if isinstance(value, tuple):
        return _TUPLE, value
    if isinstance(value, list):
        return _LIST, value
    if isinstance(value, dict):
        return _MAP, tuple(value.items())
    # Anything else by its type only: a default repr carries a memory address, which differs between
    # processes and would break the identity of outcomes across --jobs.
    return _OTHER, type(value).__name__


def render(value: object) -> str:
    """A compact rendering of `value`, recursing into tuples, lists, mappings and dataclasses."""
    kind, payload = _shape(value)
    if kind == _INT:
        if payload.bit_length() <= FULL_INT_BITS:
            return str(payload)
        digits = f"{payload:x}"
        return f"0x{digits[:8]}…{digits[-6:]} ({payload.bit_length()}-bit)"
    if kind == _BYTES:
        if len(payload) <= TEXT_BYTES and all(32 <= byte < 127 for byte in payload):
            return repr(payload)
        if len(payload) <= FULL_BYTES:
            return f"h'{payload.hex()}'"
        return f"h'{payload[:6].hex()}…{payload[-4:].hex()}' ({len(payload)} bytes)"
    if kind in (_SCALAR, _STR):
        return repr(payload)
    if kind == _GROUP:
        return f"Group({payload})"
    if kind == _RECORD:
        name, fields = payload
        return f"{name}({', '.join(f'{field}={render(item)}' for field, item in fields)})"
    if kind == _TUPLE:
        inner = _join(render(item) for item in payload)
        return f"({inner},)" if len(payload) == 1 else f"({inner})"
    if kind == _LIST:
        return f"[{_join(render(item) for item in payload)}]"
    if kind == _MAP:
        return "{" + _join(f"{render(k)}: {render(v)}" for k, v in payload) + "}"
    return f"<{payload}>"


def json_value(value: object, depth: int = JSON_DEPTH) -> Any:
    """`value` as typed JSON data (module docstring): complete up to the cut-offs, never NaN."""
    kind, payload = _shape(value)
    if kind == _SCALAR:
        if isinstance(payload, float) and not math.isfinite(payload):
            return {"float": repr(payload)}
        return payload
    if kind == _INT:
        return payload if payload.bit_length() <= JSON_INT_BITS else {"int": str(payload)}
    if kind == _STR:
        return payload if len(payload) <= JSON_TEXT else payload[: JSON_TEXT - 1] + "…"
    if kind == _BYTES:
        text = payload[: JSON_TEXT // 2].hex()
        return {"bytes": text if len(payload) <= JSON_TEXT // 2 else text + "…"}
    if kind == _GROUP:
        return {"group": payload}
    if kind == _OTHER or depth <= 0:
        return {"type": payload if kind == _OTHER else type(value).__name__}
    if kind == _RECORD:
        name, fields = payload
        return {"record": name, "fields": {field: json_value(item, depth - 1) for field, item in fields}}
    if kind == _MAP:
        return {"map": _items([json_value(k, depth - 1), json_value(v, depth - 1)] for k, v in payload)}
    return _items(json_value(item, depth - 1) for item in payload)


def _items(parts: Iterable[Any]) -> list[Any]:
    """The first JSON_ITEMS of `parts`, then `{"omitted": n}` if there were more."""
    out: list[Any] = []
    omitted = 0
    for part in parts:
        if len(out) < JSON_ITEMS:
            out.append(part)
        else:
            omitted += 1
    return [*out, {"omitted": omitted}] if omitted else out


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
    # An exact int of up to 64 bits, the common case, as `render` prints it (without its dispatch).
    text = str(value) if type(value) is int and value.bit_length() <= FULL_INT_BITS else render(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
