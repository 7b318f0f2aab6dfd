"""Baby-step giant-step discrete logarithms in the order-q subgroup (spec §2.3 "toy groups", §7 attack demos).

Method. Write m = ⌈√q⌉ and x = i·m + j with 0 ≤ j < m. The baby steps store g^j ↦ j; the giant
steps walk h·(g^(−m))^i for i = 0, 1, … and look each value up; a hit gives x = i·m + j. Time and
memory are O(√q): about 2^10 steps for a 20-bit q, 2^16 for a 32-bit q, and out of reach for the
standard groups (q ≥ 160 bits), which is the point of the demos.

Budget. `max_steps` counts group steps: table entries plus look-ups. A budget B smaller than a full
run is split evenly, ⌊B/2⌋ baby steps and the rest giant steps, which covers every exponent below
about B²/4. Against a uniform x the success probability is then about B²/(4q): the O(B²/q) that
bounds every generic algorithm (Shoup, EUROCRYPT 1997), so a budgeted adversary built on `bsgs` is
as strong as its budget allows, and no stronger.
"""

from __future__ import annotations

import math

from mpgames.scheme.groups import Group
from mpgames.scheme.integers import checked_int


def bsgs(group: Group, h: int, *, max_steps: int | None = None) -> int | None:
    """The x in Z_q with g^x = h, or None when `max_steps` runs out before x is found.

    h must be a group element (`InvalidElementError` otherwise); the identity gives 0.
    """
    # The identity is in the group (x = 0) although `is_element` excludes it as a key.
    if type(h) is not int or h != group.identity:
        group.check_element(h, "discrete-log target")
    full = math.isqrt(group.q - 1) + 1  # ⌈√q⌉, so full² ≥ q
    if max_steps is None:
        baby, giant = full, full
    else:
        steps = checked_int(max_steps, "max_steps", minimum=0)
        baby = min(full, steps // 2)
        giant = steps - baby
    if baby == 0:
        return None
    giant = min(giant, -(-group.q // baby))  # no point walking past q
    # Baby steps: g^j ↦ j for 0 ≤ j < baby (distinct, since baby ≤ q).
    table: dict[int, int] = {}
    power = group.identity
    for j in range(baby):
        table[power] = j
        power = group.mul(power, group.g)
    # Giant steps: h·g^(−baby·i); the first hit is the smallest representation, hence x < q.
    stride = group.gexp(group.q - baby)
    gamma = h
    for i in range(giant):
        found = table.get(gamma)
        if found is not None:
            return i * baby + found
        gamma = group.mul(gamma, stride)
    return None
