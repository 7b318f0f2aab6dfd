"""The two renderings of game values (mpgames.framework.summary): text for people, typed JSON for
machines. The expected values are written out by hand from the module's documented encoding."""

from __future__ import annotations

import dataclasses
import json

from mpgames.framework import summary
from mpgames.framework.summary import JSON_ITEMS, json_value, render, summarize
from mpgames.scheme.groups import Group, named_group

TOY = named_group("toy-64-20")


@dataclasses.dataclass(frozen=True)
class Coin:
    group: Group
    index: int
    tag: bytes


def test_json_values_keep_their_types():
    assert json_value(None) is None
    assert json_value(True) is True
    assert json_value(576758) == 576758
    assert json_value("bob") == "bob"
    assert json_value(1.5) == 1.5
    assert json_value((1, [2, 3])) == [1, [2, 3]]
    assert json_value(b"\x00\xff") == {"bytes": "00ff"}
    assert json_value({"a": 1, 2: b"x"}) == {"map": [["a", 1], [2, {"bytes": "78"}]]}
    assert json_value(float("inf")) == {"float": "inf"}


def test_an_integer_beyond_53_bits_is_a_string_of_its_digits():
    assert json_value(2**53 - 1) == 9007199254740991
    assert json_value(2**53) == {"int": "9007199254740992"}
    assert json_value(-(2**60)) == {"int": "-1152921504606846976"}


def test_a_record_shows_a_named_group_once_by_its_name_and_a_lying_name_in_full():
    coin = Coin(group=TOY, index=7, tag=b"ab")
    assert json_value(coin) == {
        "record": "Coin",
        "fields": {"group": {"group": "toy-64-20"}, "index": 7, "tag": {"bytes": "6162"}},
    }
    assert render(coin) == "Coin(group=Group(toy-64-20), index=7, tag=b'ab')"
    liar = dataclasses.replace(named_group("toy-2039"), name="toy-64-20")  # the name, not its parameters
    assert json_value(liar)["record"] == "Group"
    assert render(liar).startswith("Group(p=")


def test_long_containers_and_strings_are_cut_and_marked():
    assert json_value(list(range(JSON_ITEMS + 5))) == [*range(JSON_ITEMS), {"omitted": 5}]
    text = json_value("x" * (summary.JSON_TEXT + 10))
    assert len(text) == summary.JSON_TEXT and text.endswith("…")
    nested: object = 0
    for _ in range(summary.JSON_DEPTH + 5):
        nested = [nested]
    depth = 0
    value = json_value(nested)
    while isinstance(value, list):
        value, depth = value[0], depth + 1
    assert value == {"type": "list"} and depth == summary.JSON_DEPTH


def test_every_value_is_strict_json():
    value = json_value((float("nan"), 2**2048, object(), {b"k": [None]}))
    assert json.loads(json.dumps(value, allow_nan=False)) == value
    assert value[2] == {"type": "object"}


class LyingInt(int):
    def __str__(self) -> str:
        return "lie"

    def __index__(self) -> int:
        return 0


class LyingBytes(bytes):
    def __bytes__(self) -> bytes:
        return b"lie"


class LyingStr(str):
    def __str__(self) -> str:
        return "lie"


def test_a_subclass_of_a_built_in_type_is_read_as_its_value_not_through_its_methods():
    # The methods lie when called...
    assert (str(LyingInt(5)), int.__index__(LyingInt(5)) == 5, bytes(LyingBytes(b"ok"))) == (
        "lie",
        True,
        b"lie",
    )
    # ...and neither rendering calls them.
    assert (render(LyingInt(5)), json_value(LyingInt(5))) == ("5", 5)
    assert type(json_value(LyingInt(5))) is int
    assert (render(LyingBytes(b"ok")), json_value(LyingBytes(b"ok"))) == ("b'ok'", {"bytes": "6f6b"})
    assert (summarize(LyingStr("ok")), json_value(LyingStr("ok"))) == ("'ok'", "ok")
    assert type(json_value(LyingStr("ok"))) is str


def test_text_summaries_are_as_documented():
    assert render(2**70) == "0x40000000…000000 (71-bit)"
    assert render(bytes(range(20))) == "h'000102030405…10111213' (20 bytes)"
    assert render((1,)) == "(1,)"
    assert len(summarize(list(range(1000)))) == summary.SUMMARY_LIMIT
