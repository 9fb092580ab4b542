"""Thousands of Qt calls must not crash.

PySide6 6.12.0 under-counted references to None returned from wrapped calls;
after some thousands of such calls Python freed None and the process died. This
loop makes ~20,000 calls that return None while creating and destroying items.
"""
from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QGraphicsRectItem, QGraphicsScene

CALLS = 20_000


def test_many_none_returning_calls_do_not_crash(qtbot):
    scene = QGraphicsScene()
    calls = 0
    while calls < CALLS:
        items = [QGraphicsRectItem(0, 0, 10, 10) for _ in range(20)]
        for number, item in enumerate(items):
            scene.addItem(item)                    # returns None
            item.setPos(QPointF(number, number))   # returns None
            item.setToolTip("node")                # returns None
            item.update()                          # returns None
            calls += 4
        for item in items:
            scene.removeItem(item)                 # returns None
            calls += 1
        assert scene.items() == []
    assert calls >= CALLS
    assert None is None  # the interpreter's None is intact
