"""Counting the edge crossings of a layered drawing.

``count_segment_crossings`` works on numpy arrays and measures whole drawings (ours or
one read back from dot). ``count_gap`` and ``has_crossing`` look at the single gap
between two layers in plain Python, the small and frequent question of the ordering
search (``crossings``), where numpy's per-call cost would dominate. Layers are short,
so these loops avoid comprehensions and builtins like min() over a node's few edges:
on such small inputs their own call costs more than a plain loop.
"""
from __future__ import annotations

from bisect import bisect_right, insort

import numpy as np

# Below this many pairs of segments sharing a gap, counting tests every pair at once;
# above it, inversions are counted by merge sort, which needs less memory.
PAIRWISE_LIMIT = 1 << 20


def count_inversions(values: np.ndarray) -> int:
    """Number of pairs i < j with values[i] > values[j] (strictly), in O(n log^2 n).

    Bottom-up merge sort on whole numpy rows: at each level the array is split into
    rows whose two halves are sorted; for every element of a right half a single
    ``searchsorted`` over all left halves at once (made globally sorted by adding a
    per-row offset) tells how many left elements exceed it.
    """
    values = np.asarray(values)
    n = len(values)
    if n < 2:
        return 0
    # Dense ranks keep the per-row offsets below int64 overflow.
    ranks = np.unique(values, return_inverse=True)[1].astype(np.int64).ravel()
    size = 1 << (n - 1).bit_length()
    # Padding with values above every rank at the end adds no inversion.
    padded = np.full(size, ranks.max() + 1, dtype=np.int64)
    padded[:n] = ranks
    stride = int(padded.max()) + 1
    total = 0
    half = 1
    while half < size:
        rows = padded.reshape(-1, 2 * half)
        offsets = (np.arange(rows.shape[0], dtype=np.int64) * stride)[:, None]
        left = (rows[:, :half] + offsets).ravel()
        right = (rows[:, half:] + offsets).ravel()
        not_greater = np.searchsorted(left, right, side="right")
        row_starts = np.repeat(np.arange(rows.shape[0], dtype=np.int64) * half, half)
        total += int((half - (not_greater - row_starts)).sum())
        padded = np.sort(rows, axis=1).ravel()
        half *= 2
    return total


def count_segment_crossings(gaps: np.ndarray, upper: np.ndarray, lower: np.ndarray) -> int:
    """Crossings among straight segments drawn between adjacent layers.

    Segment k runs across gap ``gaps[k]`` (the index of its upper layer) from order
    coordinate ``upper[k]`` to ``lower[k]``. Two segments in the same gap cross when
    their ends are in opposite order on both layers; sharing an end is not a crossing.
    """
    gaps, upper, lower = np.asarray(gaps), np.asarray(upper), np.asarray(lower)
    if len(gaps) < 2:
        return 0
    order = np.lexsort((lower, upper, gaps))
    gaps, upper, lower = gaps[order], upper[order], lower[order]
    starts = np.flatnonzero(np.r_[True, gaps[1:] != gaps[:-1]])
    sizes = np.diff(np.r_[starts, len(gaps)])
    if int((sizes * sizes).sum()) <= PAIRWISE_LIMIT:
        return _crossings_pairwise(upper, lower, starts, sizes)
    # Sorted by gap, then upper end (then lower end), every remaining inversion of the
    # lower ends is one crossing; ranking (gap, lower) together keeps pairs from
    # different gaps from ever counting.
    by_lower = np.lexsort((lower, gaps))
    fresh = np.r_[True, (gaps[by_lower][1:] != gaps[by_lower][:-1])
                  | (lower[by_lower][1:] != lower[by_lower][:-1])]
    dense = np.empty(len(gaps), dtype=np.int64)
    dense[by_lower] = np.cumsum(fresh)
    return count_inversions(dense)


def _crossings_pairwise(upper, lower, starts, sizes):
    """Test every pair of segments within each gap (segments sorted by gap)."""
    after = np.repeat(starts + sizes, sizes) - np.arange(len(upper)) - 1  # later ones, same gap
    first = np.repeat(np.arange(len(upper)), after)
    step = np.arange(len(first)) - np.repeat(np.cumsum(after) - after, after)
    second = first + 1 + step
    opposite = (upper[first] - upper[second]) * (lower[first] - lower[second]) < 0
    return int(np.count_nonzero(opposite))


def only_neighbours(side):
    """Each node's only neighbour in ``side`` (its neighbours above, or below), -1 for a
    node with none or several: most nodes have one, which the hot loops test first."""
    return [others[0] if len(others) == 1 else -1 for others in side]


def has_crossing(upper_layer, down, only_down, position):
    """Whether two edges between ``upper_layer`` and the layer below cross: whether an
    edge ends left of where an edge from an earlier node ends. ``only_down`` is
    ``only_neighbours(down)``."""
    furthest = -1
    for node in upper_layer:
        lower = only_down[node]
        if lower >= 0:
            lower = position[lower]
            if lower < furthest:
                return True
            furthest = lower
        else:  # none or several: the edges of one node never cross each other
            for other in down[node]:
                if position[other] < furthest:
                    return True
            for other in down[node]:
                if position[other] > furthest:
                    furthest = position[other]
    return False


def count_gap(upper_layer, down, only_down, position):
    """Crossings between ``upper_layer`` and the layer below it. Walking the upper layer
    left to right, each edge crosses the edges already seen that end further right
    below; a node's own edges are counted before any of them is added, as they share
    an end."""
    seen, crossings = [], 0
    for node in upper_layer:
        lower = only_down[node]
        if lower >= 0:
            lower = position[lower]
            crossings += len(seen) - bisect_right(seen, lower)
            insort(seen, lower)
            continue
        for other in down[node]:
            crossings += len(seen) - bisect_right(seen, position[other])
        for other in down[node]:
            insort(seen, position[other])
    return crossings
