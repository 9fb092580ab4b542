"""Layer assignment for the layered layout: every edge points down, edges are short.

``assign_layers`` turns an acyclic edge list over nodes 0..n-1 into a layer per node
(longest path, local sliding, then network simplex for the minimal total edge span),
``break_cycles`` makes an edge list acyclic first, and ``LayeredGraph`` splits long
edges into unit steps through dummy nodes, the form the ordering step works on.
"""
from __future__ import annotations

import heapq
import itertools

from explorer.graph.segment_crossings import only_neighbours


def break_cycles(count, edges):
    """Return (acyclic edges, turned, order): each DFS back edge (tail, head) is replaced
    by (head, tail); ``turned`` holds the original back edges and ``order`` is a
    topological order of the acyclic edges, which ``assign_layers`` needs next.

    Computation graphs are acyclic already, so Kahn's algorithm usually confirms that
    and the DFS never runs.
    """
    order = topological_order(count, edges)
    if len(order) == count:
        return edges, set(), order
    successors = [[] for _ in range(count)]
    for tail, head in edges:
        successors[tail].append(head)
    state = [0] * count  # 0: unseen, 1: on the DFS stack, 2: finished
    back = set()
    for root in range(count):
        if state[root]:
            continue
        state[root] = 1
        stack = [(root, iter(successors[root]))]
        while stack:
            node, pending = stack[-1]
            for head in pending:
                if state[head] == 0:
                    state[head] = 1
                    stack.append((head, iter(successors[head])))
                    break
                if state[head] == 1:
                    back.add((node, head))
            else:
                state[node] = 2
                stack.pop()
    turned = sorted({(head, tail) if (tail, head) in back else (tail, head) for tail, head in edges})
    return turned, back, topological_order(count, turned)


def topological_order(count, edges):
    """Kahn's algorithm, smallest rank first among ready nodes of equal standing."""
    successors = [[] for _ in range(count)]
    waiting = [0] * count
    for tail, head in edges:
        successors[tail].append(head)
        waiting[head] += 1
    order = [node for node in range(count) if waiting[node] == 0]
    for node in order:  # a queue: the loop also visits the nodes appended as it runs
        for head in successors[node]:
            waiting[head] -= 1
            if waiting[head] == 0:
                order.append(head)
    return order


def assign_layers(count, edges, previous_layer, order):
    """Layer of each node: every edge points down at least one layer, edges are short.
    ``order`` is a topological order of ``edges`` (``break_cycles`` gives one).

    Start from longest-path layering (a node right below its lowest producer), then
    let nodes slide within their free range to shorten edges, and, with no previous
    frame to honour, finish with network simplex, which makes the total edge length
    minimal and so the number of dummy nodes, which dominate the cost of the later
    steps. A node keeps its previous layer whenever its producers allow it.
    """
    predecessors = [[] for _ in range(count)]
    successors = [[] for _ in range(count)]
    for tail, head in edges:
        predecessors[head].append(tail)
        successors[tail].append(head)
    layer = [0] * count
    for node in order:
        # Plain loops here and below: nodes have a neighbour or two, and max() of a
        # comprehension costs several times the loop for so few.
        below = previous_layer[node]
        for tail in predecessors[node]:
            if layer[tail] >= below:
                below = layer[tail] + 1
        layer[node] = below if below > 0 else 0
    movable = [value < 0 for value in previous_layer]
    _slide_nodes(layer, order, predecessors, successors, movable)
    if all(movable):
        layer = _RankSimplex(count, edges, layer).run()
    shift = min(layer, default=0)
    return [value - shift for value in layer] if shift else layer


def _slide_nodes(layer, order, predecessors, successors, movable, passes=8):
    """Move single nodes within their free range to shorten their edges.

    A node with more inputs than outputs goes up against its producers, one with more
    outputs (a leaf weight, say) down against its consumers. Bottom-up passes also
    move a node with as many of each down: that costs nothing and lets a whole chain
    follow its consumer, so that a source above the chain can then drop as well.
    """
    # Which way each node moves depends only on its degrees: the moving nodes of a
    # bottom-up and of a top-down pass are listed once, each with the neighbours it
    # moves against and the step from them (1: below its producers, -1: above its
    # consumers).
    bottom_up_moves, top_down_moves = [], []
    for node in order:
        inputs, outputs = predecessors[node], successors[node]
        if not movable[node] or not (inputs or outputs):
            continue
        surplus = len(inputs) - len(outputs)
        move = (node, inputs, 1) if surplus > 0 or not outputs else (node, outputs, -1)
        bottom_up_moves.append(move)
        if surplus:
            top_down_moves.append(move)
    bottom_up_moves.reverse()
    for sweep in range(passes):
        changed = False
        for node, against, step in (top_down_moves if sweep % 2 else bottom_up_moves):
            target = layer[against[0]]
            for other in against:  # the lowest producer, or the highest consumer
                if (layer[other] - target) * step > 0:
                    target = layer[other]
            target += step
            if target != layer[node]:
                layer[node] = target
                changed = True
        if not changed:
            break


class _RankSimplex:
    """Network simplex for layering (Gansner et al., "A technique for drawing directed
    graphs", 1993): minimise the total edge span subject to every span being >= 1.

    It keeps a spanning tree of tight edges (span exactly 1). Cutting a tree edge
    splits the tree in two; its cut value counts the edges from its tail side to its
    head side minus those going back. A negative one means moving one side as a block
    shortens edges overall, so that tree edge leaves and the tightest edge across the
    cut in the other direction enters. The cut value of the edge above a subtree S is
    plus or minus the sum over S of (out-degree - in-degree), so cut values are kept as
    subtree sums over a postorder numbering (``low``..``lim`` spans each subtree).
    """

    SEARCH_SIZE = 30  # negative cut values looked at before picking the worst, as in dot

    def __init__(self, count, edges, layer):
        self.layer = list(layer)
        self.tails = [tail for tail, _ in edges]
        self.heads = [head for _, head in edges]
        self.incident = incident = [[] for _ in range(count)]
        self.balance = balance = [0] * count
        for edge, (tail, head) in enumerate(edges):
            incident[tail].append(edge)
            incident[head].append(edge)
            balance[tail] += 1
            balance[head] -= 1
        self.in_tree = [False] * len(edges)
        self.tree_edges = [[] for _ in range(count)]
        self.parent_edge = [-1] * count
        self.low, self.lim, self.subtree = [0] * count, [0] * count, [0] * count
        self.postorder = [0] * count
        self.cursor = 0

    def run(self):
        """Return an optimal layering (the starting one only needs to be feasible)."""
        count = len(self.layer)
        member = [False] * count
        roots, numbered = [], 0
        for root in range(count):
            if not member[root]:
                self._grow_tight_tree(root, member)
                numbered = self._number(root, numbered)
                roots.append(root)
        for _ in range(4 * count + 100):  # a guard: from a good start few pivots are needed
            leaving = self._leaving_edge()
            if leaving is None:
                break
            self._pivot(*leaving)
        # Each connected piece starts at the top, as a picture of separate graphs should.
        layer = self.layer
        for root in roots:
            piece = self.postorder[self.low[root]:self.lim[root] + 1]
            top = min(map(layer.__getitem__, piece))
            if top:
                for node in piece:
                    layer[node] -= top
        return layer

    def _other_end(self, edge, node):
        return self.heads[edge] if self.tails[edge] == node else self.tails[edge]

    def _link(self, edge):
        self.in_tree[edge] = True
        self.tree_edges[self.tails[edge]].append(edge)
        self.tree_edges[self.heads[edge]].append(edge)

    def _grow_tight_tree(self, root, member):
        """Span root's component with tight edges; when stuck, shift the whole tree by
        the smallest slack on its boundary, which makes that edge tight.

        Members store their layer minus ``shift`` so moving the tree is one addition;
        boundary edges wait in two heaps keyed so that the key stays valid as it moves.
        """
        layer, tails, heads, incident = self.layer, self.tails, self.heads, self.incident
        in_tree, tree_edges = self.in_tree, self.tree_edges
        shift = 0
        members, stack = [], []
        leaving_tree, entering_tree = [], []  # (slack + shift) and (slack - shift) heaps

        def join(node):
            member[node] = True
            layer[node] -= shift
            members.append(node)
            stack.append(node)

        join(root)
        while True:
            while stack:
                node = stack.pop()
                for edge in incident[node]:
                    # A tight edge joins at once; any other waits in its heap (a tight
                    # one would only be skipped there later, both ends being members).
                    if tails[edge] == node:
                        other = heads[edge]
                        if member[other]:
                            continue
                        key = layer[other] - layer[node] - 1  # slack + shift
                        if key != shift:
                            heapq.heappush(leaving_tree, (key, edge))
                            continue
                    else:
                        other = tails[edge]
                        if member[other]:
                            continue
                        key = layer[node] - layer[other] - 1  # slack - shift
                        if key != -shift:
                            heapq.heappush(entering_tree, (key, edge))
                            continue
                    # ``_link(edge)`` and ``join(other)`` written out: once per node.
                    in_tree[edge] = True
                    tree_edges[node].append(edge)
                    tree_edges[other].append(edge)
                    member[other] = True
                    layer[other] -= shift
                    members.append(other)
                    stack.append(other)
            for heap in (leaving_tree, entering_tree):
                while heap and member[tails[heap[0][1]]] and member[heads[heap[0][1]]]:
                    heapq.heappop(heap)
            if not leaving_tree and not entering_tree:
                break
            down = leaving_tree[0][0] - shift if leaving_tree else None
            up = entering_tree[0][0] + shift if entering_tree else None
            if up is None or (down is not None and down <= up):
                shift += down
                edge = heapq.heappop(leaving_tree)[1]
                outside = heads[edge]
            else:
                shift -= up
                edge = heapq.heappop(entering_tree)[1]
                outside = tails[edge]
            self._link(edge)
            join(outside)
        for node in members:
            layer[node] += shift

    def _number(self, root, first):
        """Postorder-number root's subtree from ``first``; fill low, lim, subtree sums."""
        parent_edge, low, subtree, balance = self.parent_edge, self.low, self.subtree, self.balance
        lim, postorder, tree_edges = self.lim, self.postorder, self.tree_edges
        tails, heads = self.tails, self.heads
        counter = first
        low[root], subtree[root] = counter, balance[root]
        stack = [(root, iter(tree_edges[root]))]
        while stack:
            node, pending = stack[-1]
            for edge in pending:
                if edge == parent_edge[node]:
                    continue
                child = heads[edge] if tails[edge] == node else tails[edge]
                parent_edge[child], low[child], subtree[child] = edge, counter, balance[child]
                stack.append((child, iter(tree_edges[child])))
                break
            else:
                stack.pop()
                lim[node] = counter
                postorder[counter] = node
                counter += 1
                if stack:
                    subtree[stack[-1][0]] += subtree[node]
        return counter

    def _leaving_edge(self):
        """(edge, child) of the most negative cut value among the next few found."""
        count, parent_edge, tails, subtree = len(self.layer), self.parent_edge, self.tails, self.subtree
        best, found = None, 0
        # All nodes once, from the cursor round to just before it.
        for node in itertools.chain(range(self.cursor, count), range(self.cursor)):
            edge = parent_edge[node]
            if edge < 0:
                continue
            cut = subtree[node] if tails[edge] == node else -subtree[node]
            if cut < 0:
                found += 1
                if best is None or cut < best[0]:
                    best = (cut, edge, node)
                if found >= self.SEARCH_SIZE:
                    break
        if best is None:
            return None
        self.cursor = (best[2] + 1) % count
        return best[1], best[2]

    def _pivot(self, leaving, child):
        """Swap ``leaving`` for the tightest edge crossing its cut the other way."""
        low, lim, tails, heads = self.low, self.lim, self.tails, self.heads
        postorder, incident, in_tree, layer = self.postorder, self.incident, self.in_tree, self.layer
        first, last = low[child], lim[child]
        child_is_tail = tails[leaving] == child
        entering, entering_slack = None, None
        for number in range(first, last + 1):
            node = postorder[number]
            for edge in incident[node]:
                # Wanted: from the head side to the tail side of ``leaving``.
                if in_tree[edge] or (heads[edge] if child_is_tail else tails[edge]) != node:
                    continue
                other = tails[edge] if child_is_tail else heads[edge]
                if first <= lim[other] <= last:
                    continue
                slack = layer[heads[edge]] - layer[tails[edge]] - 1
                if entering is None or slack < entering_slack:
                    entering, entering_slack = edge, slack
        delta = -entering_slack if child_is_tail else entering_slack
        for number in range(first, last + 1):
            layer[postorder[number]] += delta
        # The tree changes only below the lowest common ancestor of the new edge's ends.
        ancestor, target = tails[entering], lim[heads[entering]]
        while not low[ancestor] <= target <= lim[ancestor]:
            ancestor = self._other_end(self.parent_edge[ancestor], ancestor)
        self.in_tree[leaving] = False
        self.tree_edges[tails[leaving]].remove(leaving)
        self.tree_edges[heads[leaving]].remove(leaving)
        self._link(entering)
        self._number(ancestor, low[ancestor])


class LayeredGraph:
    """The layered graph with every long edge split into unit steps through dummies.

    Nodes 0..n-1 are the real nodes, then dummies. ``chains[(tail, head)]`` lists the
    dummies of a long edge from top to bottom. ``only_up[v]`` / ``only_down[v]`` is v's
    only neighbour above / below, -1 if it has none or several: most nodes have one,
    which the ordering and coordinate loops test first.
    """

    def __init__(self, layer_of, edges):
        self.real_count = count = len(layer_of)
        self.layer_of = layer_of = list(layer_of)
        self.up = up = [[] for _ in range(count)]
        self.down = down = [[] for _ in range(count)]
        self.chains = {}
        # A dummy always has one neighbour on each side: noted as the chains are laid.
        dummy_up, dummy_down = [], []
        for tail, head in edges:
            if layer_of[head] - layer_of[tail] == 1:  # most edges: no dummy
                down[tail].append(head)
                up[head].append(tail)
                continue
            chain = list(range(len(layer_of), len(layer_of) + layer_of[head] - layer_of[tail] - 1))
            layer_of.extend(range(layer_of[tail] + 1, layer_of[head]))
            previous = tail
            for dummy in chain:
                up.append([previous])
                down.append([dummy + 1])
                dummy_up.append(previous)
                dummy_down.append(dummy + 1)
                previous = dummy
            down[-1][0] = dummy_down[-1] = head
            down[tail].append(chain[0])
            up[head].append(previous)
            self.chains[(tail, head)] = chain
        self.only_up = only_neighbours(up[:count]) + dummy_up
        self.only_down = only_neighbours(down[:count]) + dummy_down

    @property
    def size(self):
        return len(self.layer_of)

    @property
    def dummy_count(self):
        return self.size - self.real_count

    def is_dummy(self, node):
        return node >= self.real_count

    def empty_layers(self):
        return [[] for _ in range(max(self.layer_of, default=-1) + 1)]
