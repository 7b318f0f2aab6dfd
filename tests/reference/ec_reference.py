"""An independent reference for short Weierstrass curve arithmetic, for differential tests.

Written from the textbook group law (affine coordinates, inverses by Python's `pow(v, -1, p)`, the
extended Euclidean algorithm) and SEC1 §2.3.3–2.3.4 (compressed point encoding, as bytes), on plain
Python ints, with right-to-left double-and-add;
it shares no code and no formula layout with `mpgames.scheme.curves` (Jacobian coordinates,
left-to-right) or libsecp256k1. Slow, and meant to be.
"""

from __future__ import annotations

Point = tuple[int, int] | None  # None: the point at infinity


def on_curve(p: int, a: int, b: int, point: Point) -> bool:
    if point is None:
        return True
    x, y = point
    return (y * y - (x * x * x + a * x + b)) % p == 0


def add(p: int, a: int, P: Point, Q: Point) -> Point:
    if P is None:
        return Q
    if Q is None:
        return P
    x1, y1 = P
    x2, y2 = Q
    if x1 == x2 and (y1 + y2) % p == 0:
        return None
    numerator, denominator = (3 * x1 * x1 + a, 2 * y1) if P == Q else (y2 - y1, x2 - x1)
    slope = numerator * pow(denominator, -1, p) % p
    x3 = (slope * slope - x1 - x2) % p
    return x3, (slope * (x1 - x3) - y1) % p


def mul(p: int, a: int, P: Point, k: int) -> Point:
    result: Point = None
    addend = P
    while k > 0:
        if k & 1:
            result = add(p, a, result, addend)
        addend = add(p, a, addend, addend)
        k >>= 1
    return result


def sec1_compressed(p: int, point: Point) -> bytes:
    """SEC1 §2.3.3 with point compression; the point at infinity is the single byte 00."""
    if point is None:
        return b"\x00"
    x, y = point
    size = (p.bit_length() + 7) // 8
    return bytes([2 + (y % 2)]) + x.to_bytes(size, "big")


def sec1_decode(p: int, a: int, b: int, data: bytes) -> Point | str:
    """SEC1 §2.3.4 for compressed points: the point, or the string "invalid"."""
    size = (p.bit_length() + 7) // 8
    if len(data) != size + 1 or data[0] not in (2, 3):
        return "invalid"
    x = int.from_bytes(data[1:], "big")
    if x >= p:
        return "invalid"
    alpha = (x**3 + a * x + b) % p
    # Euler's criterion, then the square root of a p ≡ 3 (mod 4) field.
    if pow(alpha, (p - 1) // 2, p) not in (0, 1):
        return "invalid"
    beta = pow(alpha, (p + 1) // 4, p)
    if beta * beta % p != alpha:
        return "invalid"
    y = beta if beta % 2 == data[0] - 2 else p - beta
    return x, y


def count_points(p: int, a: int, b: int) -> int:
    """#E(F_p) by counting, for each x, the y with y² = x³ + ax + b (Legendre symbols): small p only."""
    total = 1  # the point at infinity
    for x in range(p):
        alpha = (x**3 + a * x + b) % p
        if alpha == 0:
            total += 1
        elif pow(alpha, (p - 1) // 2, p) == 1:
            total += 2
    return total
