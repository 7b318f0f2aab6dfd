"""The registry is pinned (harness §8): `mpgames list --json` is compared with the committed manifest
tests/registry_manifest.json.

A game, variant, tier or adversary that disappears, or whose pinned facts change (a game's kind, a
variant's `broken` flag, an adversary's targets or expectation: `expect`, `breaks_tiers` and the
further variants it breaks, `also_breaks`, which the listing does not show and the registry gives),
fails the test. Additions do not fail: the test names them in a warning so that the manifest is
updated deliberately, with

    .venv/bin/python tests/test_registry_manifest.py      # rewrites tests/registry_manifest.json
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
import warnings
from pathlib import Path
from typing import Any

from mpgames import cli
from mpgames.adversaries.registry import get_adversary

MANIFEST = Path(__file__).parent / "registry_manifest.json"
ABOUT = (
    "Pinned registry of games and adversaries (harness §8), compared with `mpgames list --json` by "
    "tests/test_registry_manifest.py. Regenerate deliberately: "
    ".venv/bin/python tests/test_registry_manifest.py"
)


def listing() -> dict[str, Any]:
    """`mpgames list --json`, parsed."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = cli.main(["list", "--json"])
    assert status == 0
    return json.loads(out.getvalue())


def pinned(listed: dict[str, Any]) -> dict[str, Any]:
    """The facts the manifest pins, from a listing."""
    games = {
        g["id"]: {
            "kind": g["kind"],
            "default_variant": g["default_variant"],
            "variants": {v["name"]: v["broken"] for v in g["variants"]},
            "tiers": g["tiers"],
        }
        for g in listed["games"]
    }
    adversaries = {
        a["id"]: {
            "targets": a["targets"],
            "expect": a["expect"],
            "breaks_tiers": a["breaks_tiers"],
            "also_breaks": a.get("also_breaks", list(get_adversary(a["id"]).also_breaks)),
        }
        for a in listed["adversaries"]
    }
    return {"games": games, "adversaries": adversaries}


def compare(manifest: dict[str, Any], current: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(losses and changes, additions) of `current` against `manifest`, one line each."""
    lost: list[str] = []
    added: list[str] = []
    for section, noun in (("games", "game"), ("adversaries", "adversary")):
        old, new = manifest[section], current[section]
        lost += [f"{noun} {key} disappeared" for key in old if key not in new]
        added += [f"new {noun} {key}" for key in new if key not in old]
        for key in old.keys() & new.keys():
            for fact, was in old[key].items():
                now = new[key].get(fact)
                if isinstance(was, dict):
                    lost += [f"{key}: {fact} {name} disappeared" for name in was if name not in now]
                    lost += [
                        f"{key}: {fact} {name} changed from {was[name]!r} to {now[name]!r}"
                        for name in was
                        if name in now and now[name] != was[name]
                    ]
                    added += [f"{key}: new {fact} {name}" for name in now if name not in was]
                elif now != was:
                    lost.append(f"{key}: {fact} changed from {was!r} to {now!r}")
    return lost, added


def test_nothing_registered_disappears_or_changes():
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    lost, added = compare(manifest, pinned(listing()))
    if added:
        warnings.warn(
            "registry additions not pinned in tests/registry_manifest.json (update it deliberately: "
            f".venv/bin/python tests/test_registry_manifest.py): {'; '.join(sorted(added))}",
            stacklevel=1,
        )
    assert not lost, "the registry lost or changed pinned items: " + "; ".join(sorted(lost))


def test_the_comparison_sees_losses_changes_and_additions():
    manifest = pinned(listing())
    current = json.loads(json.dumps(manifest))
    del current["adversaries"]["dl.bsgs"]
    current["games"]["sig.euf-cma"]["variants"]["schnorr-nonce-reuse"] = False
    del current["games"]["mp.ul"]["tiers"]["standard"]
    current["games"]["dl"]["kind"] = "hidden-bit"
    current["adversaries"]["dl.extra"] = {"targets": ["dl"], "expect": "null", "breaks_tiers": []}
    current["adversaries"]["sig.rom-bsgs-forgery"]["also_breaks"] = []
    lost, added = compare(manifest, current)
    assert sorted(lost) == [
        "adversary dl.bsgs disappeared",
        "dl: kind changed from 'win-lose' to 'hidden-bit'",
        "mp.ul: tiers standard disappeared",
        "sig.euf-cma: variants schnorr-nonce-reuse changed from True to False",
        "sig.rom-bsgs-forgery: also_breaks changed from ['schnorr-nonce-reuse'] to []",
    ]
    assert added == ["new adversary dl.extra"]
    assert compare(manifest, manifest) == ([], [])


if __name__ == "__main__":
    document = {"_about": ABOUT, **pinned(listing())}
    MANIFEST.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {MANIFEST}", file=sys.stderr)
