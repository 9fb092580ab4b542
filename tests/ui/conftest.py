"""A main window per test, with settings kept in the test's temporary folder."""
import pytest
from PySide6.QtCore import QCoreApplication, QEvent

from explorer.program.steps import Program

TEST_ORGANISATION = "autograd-explorer-tests"


@pytest.fixture
def window(qtbot, settings_folder):
    from explorer.ui.main_window import MainWindow

    main_window = MainWindow(TEST_ORGANISATION)
    # No modal question may ever block a test.
    main_window.files.ask_save_changes = lambda: "discard"
    main_window.files.failed.disconnect()
    main_window.show()
    main_window.open_program(Program(()))
    yield main_window
    # Deleted, not only closed: windows must not pile up across tests.
    main_window.close()
    main_window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def require_engine():
    """The engine must run the tutorial's basic ops (a failure here says so plainly)."""
    import engine
    x = engine.ones(2, 2, requires_grad=True)
    (x * x).mean().backward()


def snapshots_recorded(window) -> bool:
    frames = window.controller.frames
    return bool(frames) and frames[-1].snapshot is not None


def require_snapshots(window):
    """Runs must carry graph snapshots (the recorder is part of explorer.program)."""
    assert snapshots_recorded(window), "runs carry no snapshots"


def add_block(window, key):
    item = window.palette.item_for(key)
    assert item is not None, key
    window.palette.itemDoubleClicked.emit(item, 0)


def choose_operand(window, field, name):
    """Pick ``name`` from a form field's list of variables, as a user would."""
    box = window.block_list.form.fields[field]
    index = box.findText(name)
    assert index >= 0, (field, name, [box.itemText(i) for i in range(box.count())])
    box.setCurrentIndex(index)
    box.activated.emit(index)


def graph_labels(window):
    return sorted(label for _node, label in window.graph_panel.graph.nodes(data="label"))


def edge_labels(window):
    graph = window.graph_panel.graph
    return {(graph.nodes[u]["label"], graph.nodes[v]["label"]) for u, v in graph.edges}
