"""The graph pane: a snapshot in, a drawing out, with the view switch and zoom buttons.

Keeps the previous layout of each view so nodes stay where they were as the
program grows or the timeline moves, and which calls' boxes are collapsed (by
group path, so a box stays collapsed while the frames change). Graphs above ``BACKGROUND_THRESHOLD`` nodes
are laid out in the thread pool and applied when the result arrives.
"""
from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QTimer, Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from explorer.drawing.graph_scene import BACKGROUND_THRESHOLD, GraphScene, node_sizes
from explorer.graph.build import build_graph, empty_graph
from explorer.graph.groups import collapse
from explorer.graph.style import LIGHT

from .collector import CollectorHold
from .graph_view import GraphView
from .layout_worker import LayoutSignals, compute_layout, start_layout
from .translation import tr, trf

VIEWS = (("tensor_function", QT_TRANSLATE_NOOP("", "Tensor–Function"),
          QT_TRANSLATE_NOOP("", "Tensors and the Functions between them")),
         ("grad_fn", QT_TRANSLATE_NOOP("", "grad_fn graph"),
          QT_TRANSLATE_NOOP("", "PyTorch's grad_fn graph, as torchviz draws it")))

# How long after a big drawing is shown the garbage collector may run again.
COLLECTOR_DELAY_MS = 100


def _group_paths(graph) -> frozenset:
    return frozenset(group.path for group in graph.graph.get("groups", ()))


def _snapshot_size(snapshot) -> int:
    """Roughly how many nodes the drawing of ``snapshot`` will have."""
    return len(snapshot.tensors) + len(snapshot.functions)


class GraphPanel(QWidget):
    nodeSelected = Signal(str)
    # Emitted whenever a drawing has been put on screen (after background layout too).
    graphShown = Signal()
    viewChanged = Signal(str)

    def __init__(self, theme=LIGHT, parent=None):
        super().__init__(parent)
        self.scene = GraphScene(theme, self)
        self.view = GraphView(self.scene, self)
        self.view_name = "tensor_function"
        self.snapshot = None
        self.graph = empty_graph()
        # The graph as built, before collapsing: a toggled box redraws from it.
        self.source_graph = self.graph
        self.collapsed = set()
        self._previous_layouts = {}
        # The call boxes each previous layout was made for (see ``_previous_layout``).
        self._layout_groups = {}
        self._generation = 0
        # Held from a background layout's start until its drawing is on screen.
        self._collector = CollectorHold()
        # No parent: a layout still running when the panel closes must find its sender alive.
        self._signals = LayoutSignals()
        self._signals.finished.connect(self._apply_layout)
        self._signals.failed.connect(self._layout_failed)
        self.status = QLabel(self)
        self.scene.nodeSelected.connect(self.nodeSelected)
        self.scene.groupToggled.connect(self.toggle_group)
        self.scene.drawingComplete.connect(self._drawing_shown)
        self._build_toolbar()

    def _build_toolbar(self):
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        self.view_buttons = QButtonGroup(self)
        for name, text, tip in VIEWS:
            button = QToolButton(self)
            button.setText(tr(text))
            button.setToolTip(tr(tip))
            button.setCheckable(True)
            button.setChecked(name == self.view_name)
            button.setObjectName(f"view_{name}")
            self.view_buttons.addButton(button)
            button.clicked.connect(lambda _checked=False, view=name: self.set_view(view))
            bar.addWidget(button)
        bar.addStretch(1)
        bar.addWidget(self.status)
        for action in (self.view.zoom_out_action, self.view.zoom_in_action, self.view.fit_action):
            button = QToolButton(self)
            button.setDefaultAction(action)
            bar.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)

    def set_view(self, name: str):
        if name == self.view_name:
            return
        self.view_name = name
        for button in self.view_buttons.buttons():
            button.setChecked(button.objectName() == f"view_{name}")
        self.view.user_zoomed = False
        self.show_snapshot(self.snapshot)
        self.viewChanged.emit(name)

    def set_theme(self, theme):
        self.scene.set_theme(theme)

    def show_snapshot(self, snapshot):
        """Draw ``snapshot`` (None clears the drawing)."""
        self.snapshot = snapshot
        if snapshot is not None and _snapshot_size(snapshot) > BACKGROUND_THRESHOLD:
            # Build, measure and lay out on a worker: the window keeps answering meanwhile.
            self._generation += 1
            view = self.view_name
            fonts = self.scene.fonts
            self.status.setText(trf("laying out {count} nodes…", count=_snapshot_size(snapshot)))
            self._collector.take()
            collapsed = set(self.collapsed)
            start_layout(self._generation, lambda: collapse(build_graph(snapshot, view), collapsed),
                         lambda graph: node_sizes(graph, fonts),
                         lambda graph: self._previous_layout(view, graph), self._signals)
            return
        graph = build_graph(snapshot, self.view_name) if snapshot is not None else empty_graph(self.view_name)
        self.show_graph(graph)

    def show_graph(self, graph):
        self.source_graph = graph
        graph = collapse(graph, self.collapsed)
        self._generation += 1
        sizes = node_sizes(graph, self.scene.fonts)
        previous = self._previous_layout(self.view_name, graph)
        if graph.number_of_nodes() > BACKGROUND_THRESHOLD:
            self.status.setText(trf("laying out {count} nodes…", count=graph.number_of_nodes()))
            self._collector.take()
            start_layout(self._generation, graph, sizes, previous, self._signals)
            return
        self._apply_layout(self._generation, graph, compute_layout(graph, sizes, previous), sizes)

    def _apply_layout(self, generation, graph, layout, sizes):
        if generation != self._generation:
            return   # a newer request has been made since this one started
        self.graph = graph
        view = graph.graph.get("view", self.view_name)
        self._previous_layouts[view] = layout
        self._layout_groups[view] = _group_paths(graph)
        self.scene.show_graph(graph, layout, sizes)
        if self.scene.drawing_pending():
            # Big graphs get their items over several turns: shown when the scene says so
            # (the status keeps saying "laying out" until then).
            return
        self._drawing_shown()

    def _drawing_shown(self):
        # The collector's first run after a big drawing takes tens of milliseconds:
        # let it come after the first paint (queued with it, a zero delay would run
        # in the same pass of the event loop).
        generation = self._generation
        QTimer.singleShot(COLLECTOR_DELAY_MS, lambda: self._let_collector_go(generation))
        self.status.setText(trf("{count} nodes", count=self.graph.number_of_nodes()))
        # Listeners put their badges and notes on the drawing first: the fit then includes them
        # (fitted before, side badges hung off the edge of the view).
        self.graphShown.emit()
        if not self.view.user_zoomed:
            self.view.auto_fit()

    def _let_collector_go(self, generation):
        """Resume collecting, unless a newer big drawing has started since ``generation``."""
        if generation == self._generation:
            self._collector.let_go()

    def _layout_failed(self, generation, message):
        if generation == self._generation:
            self._collector.let_go()
            self.status.setText(trf("layout failed: {message}", message=message))

    def closeEvent(self, event):
        self._collector.let_go()
        super().closeEvent(event)

    def _previous_layout(self, view, graph):
        """The layout to keep nodes in place from: none when a call's box has come or gone.

        Kept in place, the nodes made before a call (a Module's parameters, on the
        first layer since they were made) would stretch its box over the whole drawing;
        a call starting or ending changes the picture anyway.
        """
        if self._layout_groups.get(view, frozenset()) != _group_paths(graph):
            return None
        return self._previous_layouts.get(view)

    def toggle_group(self, path):
        """Collapse the call at ``path`` into one node, or expand it again, and redraw."""
        path = tuple(path)
        self.collapsed.symmetric_difference_update({path})
        # Laid out afresh: kept in place, the old nodes would leave a hole (or no room).
        self._previous_layouts.pop(self.view_name, None)
        if self.snapshot is not None:
            self.show_snapshot(self.snapshot)
        else:
            self.show_graph(self.source_graph)

    def forget_layout(self):
        """Start the next drawing from scratch (a different program was opened)."""
        self.collapsed.clear()
        self._previous_layouts.clear()
        self._layout_groups.clear()
        self.view.user_zoomed = False

    def relayout(self):
        """Forget the old layout and draw what is shown afresh (a file was opened: its run
        may have been drawn already with the previous program's positions, node ids repeating)."""
        self.forget_layout()
        if self.snapshot is not None:
            self.show_snapshot(self.snapshot)

    def select_node(self, node_id: str):
        self.scene.select_node(node_id)
