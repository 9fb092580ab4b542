"""Edge crossings of a layered drawing: counting them, and ordering layers to have few.

Ordering works on a *proper* layered graph: every edge joins two adjacent layers,
long edges having been split by dummy nodes beforehand. Nodes are small integers
(their rank in a stable sort of the caller's ids), so every tie is broken by that
rank and the result never depends on hash or insertion order.

The method is dot's (Gansner et al. 1993): weighted-median sweeps alternating down
and up, each followed by transposition of neighbours, keeping the best ordering seen.
After a few sweeps over the whole graph most layer gaps are free of crossings, so
the remaining effort goes to small windows of layers around the gaps that still have
some, with the window's outer layers held fixed: a local search that is cheaper than
more global sweeps and finds better orderings. Layers whose two gaps have no crossing
are left alone, which is where most of the time would otherwise go.
"""
from __future__ import annotations

from bisect import bisect_right, insort
from collections import deque

import numpy as np

# Below this many pairs of segments sharing a gap, counting tests every pair at once;
# above it, inversions are counted by merge sort, which needs less memory.
PAIRWISE_LIMIT = 1 << 20

# Whole-graph steps (one median sweep plus transposition each), then for each local
# round the window radius (layers on each side of a gap) and its number of steps.
GLOBAL_STEPS = 3
WINDOW_SCHEDULE = ((2, 6), (4, 4))
# A search stops after this many steps without a strict improvement (dot's MinQuit).
PATIENCE = 4
# Transposition repeats while it still removes crossings; this bounds the repeats.
MAX_TRANSPOSE_ROUNDS = 8


# --------------------------------------------------------------------------- counting


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


# --------------------------------------------------------------------------- ordering


def breadth_first_order(layer_of, up, down, from_top=True):
    """Starting order as dot builds it: a breadth-first walk from the sources (or the
    sinks), neighbours below (above) first, appending each node to its layer."""
    layers = [[] for _ in range(max(layer_of, default=-1) + 1)]
    ahead, behind = (down, up) if from_top else (up, down)
    seen = [False] * len(layer_of)
    direction = 1 if from_top else -1
    roots = sorted((node for node in range(len(layer_of)) if not behind[node]),
                   key=lambda node: (direction * layer_of[node], node))
    for root in roots:
        if seen[root]:
            continue
        seen[root] = True
        queue = deque([root])
        while queue:
            node = queue.popleft()
            layers[layer_of[node]].append(node)
            for neighbours in (ahead[node], behind[node]):
                for other in neighbours:
                    if not seen[other]:
                        seen[other] = True
                        queue.append(other)
    return layers


def starting_order(layer_of, up, down):
    """The better of dot's two starting orders (walking from the top or the bottom)."""
    tails = np.array([node for node in range(len(down)) for _ in down[node]], dtype=np.int64)
    heads = np.array([other for node in range(len(down)) for other in down[node]], dtype=np.int64)
    gaps = np.asarray(layer_of, dtype=np.int64)[tails] if len(tails) else tails
    best, best_crossings = None, None
    for from_top in (True, False):
        layers = breadth_first_order(layer_of, up, down, from_top)
        slots = [0] * len(layer_of)
        for layer in layers:
            for slot, node in enumerate(layer):
                slots[node] = slot
        position = np.asarray(slots, dtype=np.int64)
        crossings = count_segment_crossings(gaps, position[tails], position[heads])
        if best is None or crossings < best_crossings:
            best, best_crossings = layers, crossings
    return best


class LayerOrdering:
    """Crossing reduction on a proper layered graph.

    ``layers`` lists each layer's nodes in a starting order; ``up[v]`` / ``down[v]``
    are v's neighbours in the layer above / below. ``pinned[v]`` marks nodes whose
    relative order must not change (they were on screen in the previous frame): free
    nodes move around them, but two pinned nodes never swap.
    """

    def __init__(self, layers, up, down, pinned=None):
        self.layers = [list(layer) for layer in layers]
        self.up = up
        self.down = down
        self.pinned = pinned if pinned is not None else [False] * len(up)
        self.any_pinned = any(self.pinned)
        self.position = [0] * len(up)
        for layer in self.layers:
            self._renumber(layer)
        self.gap_crossings = [self._count_gap(gap) for gap in range(len(self.layers) - 1)]
        self._undo_layers, self._undo_gaps = {}, {}

    def run(self) -> list[list[int]]:
        """Reduce crossings; return the layers in their new order."""
        self._improve(-1, len(self.layers), GLOBAL_STEPS)
        for radius, steps in WINDOW_SCHEDULE:
            for top, bottom in self._windows(radius):
                self._improve(top, bottom, steps)
        return self.layers

    def crossings(self) -> int:
        return sum(self.gap_crossings)

    # ----------------------------------------------------------------- search

    def _windows(self, radius):
        """(top, bottom) fixed layers around every gap that still has crossings, merged
        where they overlap; -1 and len(layers) stand for "no fixed layer there"."""
        windows = []
        for gap, count in enumerate(self.gap_crossings):
            if count:
                top, bottom = max(gap - radius, -1), min(gap + 1 + radius, len(self.layers))
                if windows and top <= windows[-1][1]:
                    windows[-1][1] = bottom
                else:
                    windows.append([top, bottom])
        return windows

    def _improve(self, top, bottom, steps):
        """Median sweeps and transposition on the layers strictly between ``top`` and
        ``bottom``, which stay fixed; keeps the best ordering seen (ties go to the
        newer one, which lets the search walk across plateaus, as dot does)."""
        free = range(top + 1, bottom)
        gaps = range(max(top, 0), min(bottom, len(self.layers) - 1))
        best = sum(self.gap_crossings[gap] for gap in gaps)
        stale = 0
        for step in range(steps):
            if best == 0 or stale == PATIENCE:
                break
            # Equal keys swap on half of the steps, mirroring dot's "reverse" passes;
            # transposition then does the opposite.
            swap_equal = step % 4 < 2
            if step % 2 == 0:
                sweep, neighbours = free, self.up
            else:
                sweep, neighbours = reversed(free), self.down
            for index in sweep:
                # A layer whose gaps are both free of crossings is already sorted by its
                # neighbours; reordering it could only shuffle ties and add crossings.
                if self._crossings_around(index) and self._reorder(index, neighbours, swap_equal):
                    for gap in (index - 1, index):
                        if gap in gaps:
                            self._set_gap(gap, self._count_gap(gap))
            self._transpose(free, not swap_equal)
            current = sum(self.gap_crossings[gap] for gap in gaps)
            stale = 0 if current < best else stale + 1
            if current <= best:
                best = current
                self._undo_layers.clear()
                self._undo_gaps.clear()
        self._undo()

    # The best ordering is the current one minus the changes made since it was reached,
    # so only those are remembered (a step usually touches few layers) and undone.

    def _remember(self, index):
        if index not in self._undo_layers:
            self._undo_layers[index] = list(self.layers[index])

    def _set_gap(self, gap, crossings):
        if gap not in self._undo_gaps:
            self._undo_gaps[gap] = self.gap_crossings[gap]
        self.gap_crossings[gap] = crossings

    def _undo(self):
        for index, layer in self._undo_layers.items():
            self.layers[index] = layer
            self._renumber(layer)
        for gap, crossings in self._undo_gaps.items():
            self.gap_crossings[gap] = crossings
        self._undo_layers.clear()
        self._undo_gaps.clear()

    # ----------------------------------------------------------------- moves

    def _renumber(self, layer):
        position = self.position
        for slot, node in enumerate(layer):
            position[node] = slot

    def _reorder(self, index, neighbours, swap_equal):
        """Sort a layer by the median position of each node's neighbours on one side;
        True if the order changed.

        Nodes with no neighbour on that side keep their slot; the others fill the
        remaining slots in key order. Ties keep the current order, or reverse it when
        ``swap_equal`` is set.
        """
        layer = self.layers[index]
        if len(layer) < 2:
            return False
        position = self.position
        slots, entries = [], []
        for slot, node in enumerate(layer):
            others = neighbours[node]
            if len(others) == 1:
                key = position[others[0]]
            elif others:
                key = _median([position[other] for other in others])
            elif self.pinned[node]:
                # A pinned node must still take part, or others could jump over it.
                key = entries[-1][0] if entries else -1
            else:
                continue
            slots.append(slot)
            entries.append((key, -slot if swap_equal else slot, node))
        if self.any_pinned and any(self.pinned[entry[2]] for entry in entries):
            ordered = _merge_with_pinned(entries, self.pinned)
        else:
            entries.sort()
            ordered = [entry[2] for entry in entries]
        if [layer[slot] for slot in slots] == ordered:
            return False
        self._remember(index)
        for slot, node in zip(slots, ordered, strict=True):
            layer[slot] = node
            position[node] = slot
        return True

    def _transpose(self, free, swap_equal):
        """Swap neighbours in a layer while that removes crossings with both adjacent
        layers; a layer is revisited only next to a layer that just changed, and skipped
        while both its gaps are free of crossings (no swap could help there)."""
        candidates = list(free)
        for _ in range(MAX_TRANSPOSE_ROUNDS):
            changed = set()
            for index in candidates:
                if self._crossings_around(index) and self._transpose_layer(index, swap_equal):
                    changed.update((index - 1, index, index + 1))
            if not changed:
                return
            candidates = sorted(index for index in changed if index in free)

    def _crossings_around(self, index):
        """Crossings in the two gaps next to layer ``index``."""
        above = self.gap_crossings[index - 1] if index > 0 else 0
        below = self.gap_crossings[index] if index < len(self.gap_crossings) else 0
        return above + below

    def _transpose_layer(self, index, swap_equal):
        """One pass over adjacent pairs of a layer; True if some swap removed crossings.

        Swapping two neighbours changes only the crossings between their own edges, so
        the two gap counts are updated by the difference instead of being recounted.
        """
        layer, position, pinned, up, down = self.layers[index], self.position, self.pinned, self.up, self.down
        gained = False
        for slot in range(len(layer) - 1):
            left, right = layer[slot], layer[slot + 1]
            if pinned[left] and pinned[right]:
                continue
            before_up, after_up = _pair_crossings(up[left], up[right], position)
            before_down, after_down = _pair_crossings(down[left], down[right], position)
            before = before_up + before_down
            if not before:
                continue
            after = after_up + after_down
            # Equal swaps wander across plateaus, but never move a node that was on
            # screen: that would be churn between frames.
            if after < before or (swap_equal and after == before and not (pinned[left] or pinned[right])):
                self._remember(index)
                layer[slot], layer[slot + 1] = right, left
                position[left], position[right] = slot + 1, slot
                if index > 0:
                    self._set_gap(index - 1, self.gap_crossings[index - 1] + after_up - before_up)
                if index < len(self.gap_crossings):
                    self._set_gap(index, self.gap_crossings[index] + after_down - before_down)
                gained = gained or after < before
        return gained

    def _count_gap(self, gap):
        """Crossings between layer ``gap`` and the next. Walking the upper layer left to
        right, each edge crosses the edges already seen that end further right below;
        a node's own edges are counted before any of them is added, as they share an end."""
        position, down = self.position, self.down
        seen, crossings = [], 0
        for node in self.layers[gap]:
            ends = down[node]
            if len(ends) == 1:
                lower = position[ends[0]]
                crossings += len(seen) - bisect_right(seen, lower)
                insort(seen, lower)
                continue
            lowers = [position[other] for other in ends]
            for lower in lowers:
                crossings += len(seen) - bisect_right(seen, lower)
            for lower in lowers:
                insort(seen, lower)
        return crossings


def _median(positions):
    """dot's weighted median: for an even count the two middle values are weighted by
    the spread on the other side, so a node leans towards its denser side."""
    positions.sort()
    count = len(positions)
    middle = count // 2
    if count % 2:
        return positions[middle]
    if count == 2:
        return (positions[0] + positions[1]) / 2
    left_spread = positions[middle - 1] - positions[0]
    right_spread = positions[-1] - positions[middle]
    if left_spread + right_spread == 0:
        return (positions[middle - 1] + positions[middle]) / 2
    return (positions[middle - 1] * right_spread + positions[middle] * left_spread) / (
        left_spread + right_spread)


def _pair_crossings(left, right, position):
    """Crossings between the edges of two side-by-side nodes towards one neighbour
    layer, as (with ``left`` first, with ``right`` first)."""
    if len(left) == 1 and len(right) == 1:
        # The common case: dummies and plain chain nodes have one neighbour per side.
        here, there = position[left[0]], position[right[0]]
        return here > there, here < there
    as_is = swapped = 0
    for a in left:
        here = position[a]
        for b in right:
            there = position[b]
            if here > there:
                as_is += 1
            elif here < there:
                swapped += 1
    return as_is, swapped


def _merge_with_pinned(entries, pinned):
    """Order (key, tie, node) entries by key while pinned nodes keep their order.

    Pinned entries stay in sequence, their keys raised to a running maximum so the
    sequence is sorted; the free entries, sorted, are merged in around them.
    """
    fixed, free = [], []
    running = float("-inf")
    for key, tie, node in entries:
        if pinned[node]:
            running = max(running, key)
            fixed.append((running, tie, node))
        else:
            free.append((key, tie, node))
    free.sort()
    merged, i, j = [], 0, 0
    while i < len(fixed) and j < len(free):
        # On a tie the free node goes after the pinned one: slipping it in between two
        # pinned nodes would push them apart for no gain.
        if free[j][0] < fixed[i][0]:
            merged.append(free[j][2])
            j += 1
        else:
            merged.append(fixed[i][2])
            i += 1
    merged.extend(entry[2] for entry in fixed[i:])
    merged.extend(entry[2] for entry in free[j:])
    return merged
