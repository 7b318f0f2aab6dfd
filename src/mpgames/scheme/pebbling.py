"""Payer-side storage of a hash chain by recursive binary pebbling (spec §4.3, chain step 3).

Notes on the method. The chain runs w_n → w_{n−1} → … → w_0 (each word is a hash of the one above
it) and is revealed in the opposite order, w_1, w_2, …, w_n. Storing all n words costs n words;
recomputing each from the top costs n hashes per coin. Recursive binary pebbling keeps a stack of
"pebbles" (index, word) and, to reach index j from the nearest pebble k above it, repeatedly drops a
new pebble halfway, at ⌊(j + k)/2⌋. This is the recursion "split the remaining segment in two,
serve the lower half first" written as a stack, the simplest of the pebbling schemes (Jakobsson's
fractal traversal improves the worst case per step; this one bounds the amortized cost).

Bounds (checked by tests/test_pebbling.py for every n up to 2^10):
* storage: at most ⌈log2 n⌉ + 1 pebbles, plus the anchor w_0, so ⌈log2 n⌉ + 2 ≤ 2·log2(n) + 2 words;
* time: n hashes once, to compute w_0 (the pebbles of the first descent are dropped on the way),
  then about (1/2)·log2 n hashes per revealed word, amortized over the whole chain.

Words may be skipped (a multi-coin payment reveals w_{j+k} directly); a word below the last one
revealed cannot be asked for again, since its pebbles are gone.
"""

from __future__ import annotations

from collections.abc import Callable

from mpgames.scheme.integers import checked_int

# step(i, w_i) = w_{i−1}
Step = Callable[[int, bytes], bytes]


class PebbledChain:
    """The words w_0 … w_n of a chain given its top w_n, revealed upwards from w_1 in O(log n) space."""

    def __init__(self, step: Step, n: int, top: bytes) -> None:
        n = checked_int(n, "the chain length n (words above the anchor)", minimum=1)
        self._step = step
        self._n = n
        self._floor = 1
        # The first descent (towards w_1) drops pebbles at n, ⌊(1 + n)/2⌋, …, 1: place them now,
        # while walking down to w_0.
        first_pebbles = {n}
        k = n
        while k > 1:
            k = (1 + k) // 2
            first_pebbles.add(k)
        self._pebbles: list[tuple[int, bytes]] = [(n, top)]
        word = top
        for i in range(n, 0, -1):
            word = step(i, word)
            if i - 1 in first_pebbles:
                self._pebbles.append((i - 1, word))
        self._anchor = word

    @property
    def n(self) -> int:
        return self._n

    @property
    def anchor(self) -> bytes:
        """w_0, the word the chain is linked by."""
        return self._anchor

    @property
    def stored_words(self) -> int:
        """Words held right now: the pebbles and the anchor."""
        return len(self._pebbles) + 1

    def word(self, j: int) -> bytes:
        """w_j, for j at or above the last word revealed."""
        j = checked_int(j, "the word index (earlier words are gone)", minimum=self._floor, maximum=self._n)
        self._floor = j
        pebbles = self._pebbles
        while pebbles[-1][0] < j:
            pebbles.pop()
        k, word = pebbles[-1]
        while k > j:
            mid = (j + k) // 2
            for i in range(k, mid, -1):
                word = self._step(i, word)
            pebbles.append((mid, word))
            k = mid
        return word
