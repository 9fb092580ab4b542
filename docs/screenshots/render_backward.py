"""Renders moments of the tutorial's backward animation to PNG (run from the repository root).

    QT_QPA_PLATFORM=offscreen python docs/screenshots/render_backward.py
"""
from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication

import engine
from explorer.drawing.graph_scene import GraphScene, node_sizes
from explorer.graph.build import build_graph
from explorer.program.parser import parse_program
from explorer.program.runner import run_program
from explorer.ui.animator import BackwardAnimator
from explorer.ui.layout_worker import compute_layout
from explorer.ui.lifecycle_overlay import LifecycleOverlay

TUTORIAL = """\
x = torch.ones(2, 2, requires_grad=True)
y = x ** 2
z = y * y * 3
out = z.mean()
out.backward()
out2 = x.sum()
out2.backward()
"""
HERE = Path(__file__).resolve().parent
SCALE = 1.5


def first_event(events, kind):
    return next(i for i, event in enumerate(events) if event.kind == kind)


def render(scene, path: Path):
    rect = scene.itemsBoundingRect().adjusted(-16, -16, 16, 16)
    image = QImage(int(rect.width() * SCALE), int(rect.height() * SCALE), QImage.Format.Format_RGB32)
    image.fill(QColor(scene.theme.background))
    painter = QPainter(image)
    painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    scene.render(painter, QRectF(0, 0, image.width(), image.height()), rect,
                 Qt.AspectRatioMode.KeepAspectRatio)
    painter.end()
    image.save(str(path))


def show(scene, frames, index, k, chain_rule=False):
    frame = frames[index]
    graph = build_graph(frame.snapshot)
    sizes = node_sizes(graph, scene.fonts)
    scene.show_graph(graph, compute_layout(graph, sizes, None), sizes)
    animator = BackwardAnimator(scene)
    animator.chain_rule = chain_rule
    animator.set_frame(frame)
    animator.seek(k(animator.events))
    LifecycleOverlay(scene).show(frames, index, saved=animator.event_index == len(animator.events))
    return animator


def main():
    app = QApplication.instance() or QApplication(sys.argv)
    timeline = run_program(parse_program(TUTORIAL), engine)
    frames = timeline.frames
    first, second = [frame.index for frame in frames if frame.ran_backward]
    moments = (
        ("backward-gradient-on-edge.png", first, lambda ev: first_event(ev, "node_evaluated") + 2, True),
        ("backward-sum-at-shared-input.png", first, lambda ev: first_event(ev, "grad_summed") + 1, False),
        ("backward-leaf-grad-3-to-4.png", second, lambda ev: first_event(ev, "grad_accumulated") + 1, False),
    )
    for name, index, k, chain_rule in moments:
        scene = GraphScene()
        animator = show(scene, frames, index, k, chain_rule)
        render(scene, HERE / name)
        animator.deleteLater()
    del app


if __name__ == "__main__":
    main()
