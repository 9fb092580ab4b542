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

from itertools import compress
from operator import not_

from explorer.graph.segment_crossings import count_gap, has_crossing, only_neighbours

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
    sinks), neighbours below (above) first, appending each node to its layer. Returns
    the layers and each node's slot in its layer."""
    layers = [[] for _ in range(max(layer_of, default=-1) + 1)]
    position = [0] * len(layer_of)
    ahead, behind = (down, up) if from_top else (up, down)
    seen = [False] * len(layer_of)
    # Roots by layer from the start side, then by rank (a stable sort keeps that order
    # among equals, in either direction).
    roots = sorted(compress(range(len(layer_of)), map(not_, behind)),  # nothing behind them
                   key=layer_of.__getitem__, reverse=not from_top)
    for root in roots:
        if seen[root]:
            continue
        queue = [root]
        # Nodes are marked when taken from the queue, not when put in: all neighbours go
        # in at once and repeats are skipped as they come up. The first copy of a node is
        # where marking on entry would have put it, so the order is the same, for less.
        for node in queue:  # the loop also visits what is appended while it runs
            if seen[node]:
                continue
            seen[node] = True
            layer = layers[layer_of[node]]
            position[node] = len(layer)
            layer.append(node)
            queue += ahead[node]
            queue += behind[node]
    return layers, position


def starting_order(layer_of, up, down, only_down=None):
    """The better of dot's two starting orders (walking from the top or the bottom), as
    (layers, crossings of each gap): the counts are where ``LayerOrdering`` starts.
    ``only_down`` is ``only_neighbours(down)``, worked out here unless given."""
    best, best_total = None, None
    only_down = only_neighbours(down) if only_down is None else only_down
    for from_top in (True, False):
        layers, position = breadth_first_order(layer_of, up, down, from_top)
        counts, total = [], 0
        for layer in layers[:-1]:
            # Most gaps have no crossing, which the quick check tells for less.
            crossings = count_gap(layer, down, only_down, position) if has_crossing(
                layer, down, only_down, position) else 0
            counts.append(crossings)
            total += crossings
            if best is not None and total >= best_total:
                break  # it can no longer win: a tie keeps the first
        else:
            best, best_total = (layers, counts), total
        if best_total == 0:  # nothing beats no crossing
            break
    return best


class LayerOrdering:
    """Crossing reduction on a proper layered graph.

    ``layers`` lists each layer's nodes in a starting order; ``up[v]`` / ``down[v]``
    are v's neighbours in the layer above / below. ``pinned[v]`` marks nodes whose
    relative order must not change (they were on screen in the previous frame): free
    nodes move around them, but two pinned nodes never swap. ``gap_crossings``, the
    crossings of each gap in the starting order, is counted here unless given, and so
    is ``only``, the pair (``only_neighbours(up)``, ``only_neighbours(down)``).
    """

    def __init__(self, layers, up, down, pinned=None, gap_crossings=None, only=None):
        self.layers = [list(layer) for layer in layers]
        self.up = up
        self.down = down
        self.pinned = pinned if pinned is not None else [False] * len(up)
        self.any_pinned = any(self.pinned)
        self.position = position = [0] * len(up)
        self.key = [0] * len(up)  # scratch: each node's sort key while its layer is sorted
        for layer in self.layers:
            for slot, node in enumerate(layer):
                position[node] = slot
        # Most nodes have exactly one neighbour on each side, which ``only`` names per side
        # (above, below); the hot loops key every node by it and then mend the few others,
        # listed per side and layer: those with several neighbours there, those with none.
        self.only = only if only is not None else (only_neighbours(up), only_neighbours(down))
        self.several, self.bare = [], []
        for side, side_only in zip((up, down), self.only, strict=True):
            several, bare = [[] for _ in self.layers], [[] for _ in self.layers]
            for index, layer in enumerate(self.layers):
                for node in layer:
                    if side_only[node] < 0:
                        (several if side[node] else bare)[index].append(node)
            self.several.append(several)
            self.bare.append(bare)
        self.has_pinned = ([any(self.pinned[node] for node in layer) for layer in self.layers]
                           if self.any_pinned else [False] * len(self.layers))
        if gap_crossings is None:
            gap_crossings = [self._count_gap(gap) for gap in range(len(self.layers) - 1)]
        # One more entry, always 0, stands for the missing gap above the first layer and
        # below the last (index -1 and len - 1), so a layer's two gaps need no bounds check.
        self.gap_crossings = list(gap_crossings) + [0]
        self.gap_count = len(self.layers) - 1
        self._undo_layers, self._undo_gaps = {}, {}

    def run(self) -> list[list[int]]:
        """Reduce crossings; return the layers in their new order."""
        self._improve(-1, len(self.layers), GLOBAL_STEPS)
        for radius, steps in WINDOW_SCHEDULE:
            for top, bottom in self._windows(radius):
                self._improve(top, bottom, steps)
        return self.layers

    def crossings(self) -> int:
        return self._total(range(self.gap_count))

    # ----------------------------------------------------------------- search

    def _windows(self, radius):
        """(top, bottom) fixed layers around every gap that still has crossings, merged
        where they overlap; -1 and len(layers) stand for "no fixed layer there"."""
        windows = []
        for gap in range(self.gap_count):
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
            counts = self.gap_crossings
            for index in (reversed(free) if sorted_side else free):
                # A layer whose gaps are both free of crossings is already sorted by its
                # neighbours; reordering it could only shuffle ties and add crossings.
                if counts[index - 1] == 0 and counts[index] == 0:  # most layers, told at once
                    continue
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
        clean = not self.several[sorted_side][index] and not self.has_pinned[index]
        # ``_set_gap`` written out for both gaps: this runs after every reorder.
        counts, saved = self.gap_crossings, self._undo_gaps
        above, below = index - 1, index
        if above in gaps:
            if above not in saved:
                saved[above] = counts[above]
            counts[above] = 0 if clean and sorted_side == 0 else None
        if below in gaps:
            if below not in saved:
                saved[below] = counts[below]
            counts[below] = 0 if clean and sorted_side == 1 else None

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
        known = counts[gaps.start:gaps.stop]
        if None in known or CROSSED in known:
            for gap in gaps:
                if counts[gap] is None or counts[gap] == CROSSED:
                    self._gap(gap)
            known = counts[gaps.start:gaps.stop]
        return sum(known)

    def _crosses(self, gap):
        """Whether ``gap`` has crossings (CROSSED, a nonzero count, is true)."""
        crossings = self.gap_crossings[gap]
        if crossings is None:
            crosses = has_crossing(self.layers[gap], self.down, self.only[1], self.position)
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
        position = self.position
        if not self.bare[side][index] and not self.has_pinned[index]:
            # Most calls: every node takes part, so the layer sorts in place by its keys
            # (kept per node in ``key``), after a reversal when ties are to swap.
            only, key = self.only[side], self.key
            for node in layer:
                key[node] = position[only[node]]
            neighbours = self.down if side else self.up
            for node in self.several[side][index]:
                others = neighbours[node]
                if len(others) == 2:  # the usual case, ``_median`` written out
                    key[node] = (position[others[0]] + position[others[1]]) / 2
                else:
                    key[node] = _median(others, position)
            before = list(layer)
            if swap_equal:
                layer.reverse()
            layer.sort(key=key.__getitem__)
            if layer == before:
                return False
            if index not in self._undo_layers:  # what ``_remember`` would copy
                self._undo_layers[index] = before
            for slot, node in enumerate(layer):
                position[node] = slot
            return True
        pinned = self.pinned
        neighbours = self.down if side else self.up
        slots, keys = [], []
        for slot, node in enumerate(layer):
            others = neighbours[node]
            if len(others) == 1:
                keys.append(position[others[0]])
            elif others:
                keys.append(_median(others, position))
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
            counts = self.gap_crossings
            for index in candidates:
                if counts[index - 1] == 0 and counts[index] == 0:
                    continue
                if self._crossings_around(index) and self._transpose_layer(index, swap_equal):
                    changed.update((index - 1, index, index + 1))
            if not changed:
                return
            candidates = sorted(index for index in changed if index in free)

    def _crossings_around(self, index):
        """Whether a gap next to layer ``index`` has crossings. A stored count is
        consulted before a stale one, which is counted only if still needed."""
        counts = self.gap_crossings
        above, below = counts[index - 1], counts[index]
        if above or below:  # CROSSED or a count above zero settles it (None is false)
            return True
        # ``_crosses`` written out: stale gaps come up here after every reorder.
        if above is None:
            above = counts[index - 1] = CROSSED if has_crossing(
                self.layers[index - 1], self.down, self.only[1], self.position) else 0
        if below is None and not above:
            below = counts[index] = CROSSED if has_crossing(
                self.layers[index], self.down, self.only[1], self.position) else 0
        return bool(above or below)

    def _transpose_layer(self, index, swap_equal):
        """One pass over adjacent pairs of a layer; True if some swap removed crossings.

        Swapping two neighbours changes only the crossings between their own edges, so
        the two gap counts are updated by the difference instead of being recounted.
        """
        layer = self.layers[index]
        if len(layer) < 2:
            return False
        position, pinned, up, down = self.position, self.pinned, self.up, self.down
        only_up, only_down = self.only
        gained = False
        # The left node of the pair is carried along: after a swap the same node is the
        # left one of the next pair, otherwise the old right one is. While it has one
        # neighbour on each side, their positions are carried too (``near_up`` and
        # ``near_down``, None otherwise), as most nodes have one.
        left = layer[0]
        near_up, near_down = only_up[left], only_down[left]
        if near_up >= 0 and near_down >= 0:
            near_up, near_down = position[near_up], position[near_down]
        else:
            near_up = near_down = None
        for slot in range(1, len(layer)):
            right = layer[slot]
            far_up, far_down = only_up[right], only_down[right]
            if far_up >= 0 and far_down >= 0:
                far_up, far_down = position[far_up], position[far_down]
            else:
                far_up = far_down = None
            if near_up is not None and far_up is not None:  # the common case, inline
                if near_up <= far_up and near_down <= far_down:  # no crossing to remove
                    left, near_up, near_down = right, far_up, far_down
                    continue
                before_up, after_up = near_up > far_up, near_up < far_up
                before_down, after_down = near_down > far_down, near_down < far_down
            else:  # one of them has none or several neighbours on some side
                here, there = only_up[left], only_up[right]
                if here >= 0 and there >= 0:
                    here, there = position[here], position[there]
                    before_up, after_up = here > there, here < there
                elif up[left] and up[right]:
                    before_up, after_up = _pair_crossings(up[left], up[right], position)
                else:  # a node without edges on this side crosses nothing there
                    before_up = after_up = 0
                here, there = only_down[left], only_down[right]
                if here >= 0 and there >= 0:
                    here, there = position[here], position[there]
                    before_down, after_down = here > there, here < there
                elif down[left] and down[right]:
                    before_down, after_down = _pair_crossings(down[left], down[right], position)
                else:
                    before_down = after_down = 0
            before = before_up + before_down
            after = after_up + after_down
            # Equal swaps wander across plateaus, but never move a node that was on
            # screen: that would be churn between frames.
            if before and not (pinned[left] and pinned[right]) and (after < before or (
                    swap_equal and after == before and not (pinned[left] or pinned[right]))):
                self._remember(index)
                layer[slot - 1], layer[slot] = right, left
                position[left], position[right] = slot, slot - 1
                if index > 0:
                    self._shift_gap(index - 1, after_up - before_up)
                if index < self.gap_count:
                    self._shift_gap(index, after_down - before_down)
                gained = gained or after < before
            else:
                left, near_up, near_down = right, far_up, far_down
        return gained

    def _count_gap(self, gap):
        return count_gap(self.layers[gap], self.down, self.only[1], self.position)


def _median(others, position):
    """dot's weighted median of the positions of ``others``: for an even count the two
    middle values are weighted by the spread on the other side, so a node leans towards
    its denser side."""
    count = len(others)
    if count == 2:  # the usual case: an op with two inputs, a tensor read twice
        return (position[others[0]] + position[others[1]]) / 2
    positions = sorted([position[other] for other in others])
    middle = count // 2
    if count % 2:
        return positions[middle]
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
