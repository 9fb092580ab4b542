"""Light, dark and projector themes: switched from the View menu, remembered, followed by the graph."""
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from explorer.graph.style import THEMES
from explorer.ui.themes import plot_colours


def background(window):
    return window.graph_panel.scene.backgroundBrush().color()


def test_themes_switch_the_scene_background_and_the_palette(qtbot, window):
    assert background(window) == QColor(THEMES["light"].background)
    window.view_options.theme_actions["dark"].trigger()
    assert background(window) == QColor(THEMES["dark"].background)
    assert QApplication.palette().color(QPalette.ColorRole.Window).lightness() < 100
    assert plot_colours()["background"] == "#1e1f22"
    window.view_options.theme_actions["projector"].trigger()
    assert background(window) == QColor("#ffffff")
    assert window.graph_panel.scene.theme.line_scale >= 2
    window.view_options.theme_actions["light"].trigger()
    assert QApplication.palette().color(QPalette.ColorRole.Window).lightness() > 200


def test_theme_is_remembered(qtbot, window):
    window.view_options.set_theme("dark")
    assert window.preferences.value("theme") == "dark"
    window.view_options.set_theme("light")


def test_value_plots_follow_the_theme(qtbot, window):
    import pyqtgraph

    from explorer.ui.themes import apply_plot_look

    plot = pyqtgraph.PlotWidget()
    qtbot.addWidget(plot)
    window.view_options.set_theme("dark")
    try:
        apply_plot_look()
        assert plot.backgroundBrush().color() == QColor("#1e1f22")
    finally:
        window.view_options.set_theme("light")
    assert plot.backgroundBrush().color() == QColor("#ffffff")
