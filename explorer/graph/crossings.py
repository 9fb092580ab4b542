"""Ordering the layers of a layered drawing to have few edge crossings.

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

from explorer.graph.segment_crossings import count_gap, has_crossing

# Whole-graph steps (one median sweep plus transposition each), then for each local
# round the window radius (layers on each side of a gap) and its number of steps.
GLOBAL_STEPS = 3
WINDOW_SCHEDULE = ((2, 6), (4, 4))
# A search stops after this many steps without a strict improvement (dot's MinQuit).
PATIENCE = 4
# Transposition repeats while it still removes crossings; this bounds the repeats.
MAX_TRANSPOSE_ROUNDS = 8
# A gap's stored count may be None (stale: its layers changed since it was counted) or
# CROSSED: it has crossings, not counted yet (``LayerOrdering._gap``).
CROSSED = -1


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
        queue = [root]
        for node in queue:  # the loop also visits what is appended while it runs
            layers[layer_of[node]].append(node)
            for neighbours in (ahead[node], behind[node]):
                for other in neighbours:
                    if not seen[other]:
                        seen[other] = True
                        queue.append(other)
    return layers


def starting_order(layer_of, up, down):
    """The better of dot's two starting orders (walking from the top or the bottom), as
    (layers, crossings of each gap): the counts are where ``LayerOrdering`` starts."""
    best, best_total = None, None
    for from_top in (True, False):
        layers = breadth_first_order(layer_of, up, down, from_top)
        position = [0] * len(layer_of)
        for layer in layers:
            for slot, node in enumerate(layer):
                position[node] = slot
        # Most gaps have no crossing, which the quick check tells for less.
        counts = [count_gap(layer, down, position) if has_crossing(layer, down, position) else 0
                  for layer in layers[:-1]]
        if best is None or sum(counts) < best_total:
            best, best_total = (layers, counts), sum(counts)
        if best_total == 0:  # nothing beats no crossing, and a tie keeps the first
            break
    return best


class LayerOrdering:
    """Crossing reduction on a proper layered graph.

    ``layers`` lists each layer's nodes in a starting order; ``up[v]`` / ``down[v]``
    are v's neighbours in the layer above / below. ``pinned[v]`` marks nodes whose
    relative order must not change (they were on screen in the previous frame): free
    nodes move around them, but two pinned nodes never swap. ``gap_crossings``, the
    crossings of each gap in the starting order, is counted here unless given.
    """

    def __init__(self, layers, up, down, pinned=None, gap_crossings=None):
        self.layers = [list(layer) for layer in layers]
        self.up = up
        self.down = down
        self.pinned = pinned if pinned is not None else [False] * len(up)
        self.any_pinned = any(self.pinned)
        self.position = [0] * len(up)
        for layer in self.layers:
            self._renumber(layer)
        # Per side (above, below): does sorting the layer by that side leave no crossing
        # there? True when every node has at most one neighbour on it and none is pinned.
        self.sorts_clean = []
        for side in (up, down):
            clean = [len(others) <= 1 and not pin for others, pin in zip(side, self.pinned, strict=True)]
            self.sorts_clean.append([all(map(clean.__getitem__, layer)) for layer in self.layers])
        if gap_crossings is None:
            gap_crossings = [self._count_gap(gap) for gap in range(len(self.layers) - 1)]
        self.gap_crossings = list(gap_crossings)
        self._undo_layers, self._undo_gaps = {}, {}

    def run(self) -> list[list[int]]:
        """Reduce crossings; return the layers in their new order."""
        self._improve(-1, len(self.layers), GLOBAL_STEPS)
        for radius, steps in WINDOW_SCHEDULE:
            for top, bottom in self._windows(radius):
                self._improve(top, bottom, steps)
        return self.layers

    def crossings(self) -> int:
        return self._total(range(len(self.gap_crossings)))

    # ----------------------------------------------------------------- search

    def _windows(self, radius):
        """(top, bottom) fixed layers around every gap that still has crossings, merged
        where they overlap; -1 and len(layers) stand for "no fixed layer there"."""
        windows = []
        for gap in range(len(self.gap_crossings)):
            if self._crosses(gap):
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
        best = self._total(gaps)
        stale = 0
        for step in range(steps):
            if best == 0 or stale == PATIENCE:
                break
            # Equal keys swap on half of the steps, mirroring dot's "reverse" passes;
            # transposition then does the opposite.
            swap_equal = step % 4 < 2
            sorted_side = step % 2  # 0: by the layer above (going down), 1: by the one below
            for index in (reversed(free) if sorted_side else free):
                # A layer whose gaps are both free of crossings is already sorted by its
                # neighbours; reordering it could only shuffle ties and add crossings.
                if self._crossings_around(index) and self._reorder(index, sorted_side, swap_equal):
                    self._recount(index, sorted_side, gaps)
            self._transpose(free, not swap_equal)
            current = self._total(gaps)
            stale = 0 if current < best else stale + 1
            if current <= best:
                best = current
                self._undo_layers.clear()
                self._undo_gaps.clear()
        self._undo()

    def _recount(self, index, sorted_side, gaps):
        """Mark the crossings of the two gaps next to a reordered layer as changed.

        Sorted by the single neighbour each of its nodes has on one side, the layer
        leaves no crossing in the gap on that side: a crossing would need two nodes in
        the opposite order of their neighbours. The other gap is counted only when read
        (``_gap``): the next layer of the sweep often changes it again first.
        """
        clean = self.sorts_clean[sorted_side][index]
        if index - 1 in gaps:
            self._set_gap(index - 1, 0 if clean and sorted_side == 0 else None)
        if index in gaps:
            self._set_gap(index, 0 if clean and sorted_side == 1 else None)

    # The best ordering is the current one minus the changes made since it was reached,
    # so only those are remembered (a step usually touches few layers) and undone.

    def _remember(self, index):
        if index not in self._undo_layers:
            self._undo_layers[index] = list(self.layers[index])

    def _set_gap(self, gap, crossings):
        if gap not in self._undo_gaps:
            self._undo_gaps[gap] = self.gap_crossings[gap]
        self.gap_crossings[gap] = crossings

    # Most reads only ask whether a gap has crossings, and the sweep often changes the
    # gap again right after, so a gap is counted only when its number is needed; a
    # check that stops at the first crossing answers the other reads. Neither needs an
    # undo entry: a gap's layers change only along with ``_set_gap``, which saves the
    # count to go back to.

    def _gap(self, gap):
        """Crossings in ``gap``, counted now if not known."""
        crossings = self.gap_crossings[gap]
        if crossings is None or crossings == CROSSED:
            crossings = self.gap_crossings[gap] = self._count_gap(gap)
        return crossings

    def _total(self, gaps):
        """Crossings in a range of gaps, counting those not known yet."""
        counts = self.gap_crossings
        for gap in gaps:
            if counts[gap] is None or counts[gap] == CROSSED:
                self._gap(gap)
        return sum(counts[gaps.start:gaps.stop])

    def _crosses(self, gap):
        """Whether ``gap`` has crossings (CROSSED, a nonzero count, is true)."""
        crossings = self.gap_crossings[gap]
        if crossings is None:
            crosses = has_crossing(self.layers[gap], self.down, self.position)
            crossings = self.gap_crossings[gap] = CROSSED if crosses else 0
        return bool(crossings)

    def _shift_gap(self, gap, change):
        """Add ``change`` to a gap's count; one not counted yet is left to be counted."""
        if change:
            crossings = self.gap_crossings[gap]
            self._set_gap(gap, crossings + change if crossings is not None and crossings >= 0 else None)

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

    def _reorder(self, index, side, swap_equal):
        """Sort a layer by the median position of each node's neighbours on one side
        (0: above, 1: below); True if the order changed.

        Nodes with no neighbour on that side keep their slot; the others fill the
        remaining slots in key order. Ties keep the current order, or reverse it when
        ``swap_equal`` is set.
        """
        layer = self.layers[index]
        if len(layer) < 2:
            return False
        position, pinned = self.position, self.pinned
        neighbours = self.down if side else self.up
        slots, keys = [], []
        for slot, node in enumerate(layer):
            others = neighbours[node]
            if len(others) == 1:
                keys.append(position[others[0]])
            elif others:
                keys.append(_median([position[other] for other in others]))
            elif pinned[node]:
                # A pinned node must still take part, or others could jump over it.
                keys.append(keys[-1] if keys else -1)
            else:
                continue
            slots.append(slot)
        if self.any_pinned and any(pinned[layer[slot]] for slot in slots):
            entries = [(key, -slot if swap_equal else slot, layer[slot])
                       for key, slot in zip(keys, slots, strict=True)]
            ordered = _merge_with_pinned(entries, pinned)
            if [layer[slot] for slot in slots] == ordered:
                return False
        else:
            # A stable sort keeps ties in the order given: as they are, or reversed.
            picks = range(len(keys) - 1, -1, -1) if swap_equal else range(len(keys))
            moved = sorted(picks, key=keys.__getitem__)
            if moved == sorted(moved):
                return False
            ordered = [layer[slots[pick]] for pick in moved]
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
        """Whether a gap next to layer ``index`` has crossings. A stored count is
        consulted before a stale one, which is counted only if still needed."""
        counts = self.gap_crossings
        above = counts[index - 1] if index > 0 else 0
        below = counts[index] if index < len(counts) else 0
        if above or below:  # CROSSED or a count above zero settles it (None is false)
            return True
        return (above is None and self._crosses(index - 1)) or (below is None and self._crosses(index))

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
            above_left, above_right = up[left], up[right]
            if len(above_left) == 1 and len(above_right) == 1:  # the common case, inlined
                here, there = position[above_left[0]], position[above_right[0]]
                before_up, after_up = here > there, here < there
            else:
                before_up, after_up = _pair_crossings(above_left, above_right, position)
            below_left, below_right = down[left], down[right]
            if len(below_left) == 1 and len(below_right) == 1:
                here, there = position[below_left[0]], position[below_right[0]]
                before_down, after_down = here > there, here < there
            else:
                before_down, after_down = _pair_crossings(below_left, below_right, position)
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
                    self._shift_gap(index - 1, after_up - before_up)
                if index < len(self.gap_crossings):
                    self._shift_gap(index, after_down - before_down)
                gained = gained or after < before
        return gained

    def _count_gap(self, gap):
        return count_gap(self.layers[gap], self.down, self.position)


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
