"""The app's looks: light, dark and projector, for widgets and the plots.

Each look sets its own QPalette on the Fusion style, so the desktop's light or dark
setting never leaks in (a dark desktop on a classroom PC must not turn the graph
unreadable). The graph's look of the same name is ``explorer.drawing.graph_theme``;
the projector look also raises the font size, since it is meant to be read from the
back row.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from .translation import tr

THEME_NAMES = ("light", "dark", "projector")
DEFAULT_THEME = "light"


@dataclass(frozen=True)
class WidgetColours:
    window: str
    base: str
    alternate: str
    text: str
    button: str
    highlight: str
    highlighted_text: str
    disabled_text: str
    link: str
    # Scale of the application font: the projector look is read from across a room.
    font_scale: float = 1.0


WIDGET_COLOURS = {
    "light": WidgetColours("#f3f3f3", "#ffffff", "#f7f7f7", "#1b1b1b", "#e8e8e8", "#1a73e8", "#ffffff",
                           "#9aa0a6", "#1a5fb4"),
    "dark": WidgetColours("#2b2d30", "#1e1f22", "#26282b", "#e8eaed", "#3c3f41", "#8ab4f8", "#111111",
                          "#80868b", "#8ab4f8"),
    "projector": WidgetColours("#ffffff", "#ffffff", "#f2f2f2", "#000000", "#e6e6e6", "#0072b2", "#ffffff",
                               "#595959", "#0072b2", font_scale=1.35),
}

# (background, foreground) of the value plots per look.
PLOT_COLOURS = {"light": ("#ffffff", "#202124"), "dark": ("#1e1f22", "#e8eaed"),
                "projector": ("#ffffff", "#000000")}

_current = {"name": DEFAULT_THEME}


def theme_title(name: str) -> str:
    return {"light": tr("Light"), "dark": tr("Dark"), "projector": tr("Projector")}[name]


def current_theme_name() -> str:
    return _current["name"]


def plot_colours() -> dict:
    """pyqtgraph's background and foreground options for the current look."""
    background, foreground = PLOT_COLOURS[_current["name"]]
    return {"background": background, "foreground": foreground}


def widget_palette(name: str) -> QPalette:
    colours = WIDGET_COLOURS[name]
    palette = QPalette()
    role = QPalette.ColorRole
    for roles, colour in (((role.Window,), colours.window),
                          ((role.Base,), colours.base),
                          ((role.AlternateBase,), colours.alternate),
                          ((role.WindowText, role.Text, role.ButtonText, role.ToolTipText,
                            role.PlaceholderText), colours.text),
                          ((role.Button, role.ToolTipBase), colours.button),
                          ((role.Highlight,), colours.highlight),
                          ((role.HighlightedText,), colours.highlighted_text),
                          ((role.Link,), colours.link),
                          ((role.BrightText,), "#ff5555")):
        for each in roles:
            palette.setColor(each, QColor(colour))
    disabled = QPalette.ColorGroup.Disabled
    for each in (role.WindowText, role.Text, role.ButtonText):
        palette.setColor(disabled, each, QColor(colours.disabled_text))
    return palette


def font_scale(name: str) -> float:
    return WIDGET_COLOURS[name].font_scale


def apply_widget_look(name: str, app: QApplication | None = None):
    """Palette and style of the whole application, and the plots' colours, for look ``name``."""
    app = app or QApplication.instance()
    _current["name"] = name
    if app.style().name().lower() != "fusion":
        app.setStyle("Fusion")
    app.setPalette(widget_palette(name))
    apply_plot_look()


def apply_plot_look(root=None):
    """Recolour pyqtgraph plots already on screen; later plots read ``plot_colours``."""
    pyqtgraph = sys.modules.get("pyqtgraph")
    if pyqtgraph is None:
        return   # not loaded yet: value_plots reads plot_colours() when it loads it
    colours = plot_colours()
    pyqtgraph.setConfigOptions(**colours)
    widgets = QApplication.allWidgets() if root is None else root.findChildren(pyqtgraph.PlotWidget)
    for widget in widgets:
        if not isinstance(widget, pyqtgraph.PlotWidget):
            continue
        widget.setBackground(colours["background"])
        for side in ("left", "bottom"):
            axis = widget.getAxis(side)
            axis.setPen(colours["foreground"])
            axis.setTextPen(colours["foreground"])
