"""View ▸ Language and View ▸ Theme: switched at run time, remembered in the settings.

The language itself is installed by ``explorer.i18n.install_translator``; Qt then
sends LanguageChange and the main window retranslates. The theme sets the widget
palette, the graph's colours, line widths and fonts, and the plots' colours.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QActionGroup, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu

from explorer.drawing.fonts import ui_font
from explorer.drawing.graph_items import GraphFonts
from explorer.drawing.graph_theme import graph_theme
from explorer.drawing.overlay_items import set_graph_point_size
from explorer.i18n import LANGUAGE_NAMES, LANGUAGES, current_language, install_translator, normalise_language

from .themes import DEFAULT_THEME, THEME_NAMES, apply_widget_look, font_scale, theme_title
from .translation import tr

LANGUAGE_KEY = "language"
THEME_KEY = "theme"
GRAPH_POINT_SIZE = 9.0
PROJECTOR_GRAPH_POINT_SIZE = 12.0
TEXT_SCALE_KEY = "graph_text_scale"
TEXT_SCALE_STEP = 1.25
MIN_TEXT_SCALE, MAX_TEXT_SCALE = 0.5, 4.0


def saved_language(preferences) -> str | None:
    return normalise_language(preferences.value(LANGUAGE_KEY))


def graph_point_size(theme_name: str, scale: float = 1.0) -> float:
    """The drawing's text size: larger for the projector, ``scale`` times the usual when presenting."""
    if scale != 1.0:
        return GRAPH_POINT_SIZE * scale
    return PROJECTOR_GRAPH_POINT_SIZE if theme_name == "projector" else GRAPH_POINT_SIZE


def restyle_graph(panel, theme, point_size: float):
    """Give the graph pane new colours and fonts; new fonts mean new box sizes, so a fresh layout."""
    scene = panel.scene
    set_graph_point_size(point_size)
    scene.set_theme(theme)
    if abs(scene.fonts.label.pointSizeF() - point_size) > 0.01:
        scene.fonts = GraphFonts(point_size)
        panel.forget_layout()
        panel.show_snapshot(panel.snapshot)


class ViewOptions(QObject):
    languageChanged = Signal(str)
    themeChanged = Signal(str)

    def __init__(self, window, preferences, parent=None):
        super().__init__(parent or window)
        self.window = window
        self.preferences = preferences
        self.base_point_size = ui_font().pointSizeF()
        self.theme_name = DEFAULT_THEME
        # While presenting, the graph's text is this many times the usual; presentation mode sets it.
        self.graph_scale = 1.0
        # The text-size control's factor, for the screen the window is on.
        self.text_scale = 1.0
        self._build_text_size_menu()
        self.text_scale = self._saved_text_scale()
        self.language_menu = QMenu(tr("&Language"), window)
        self.language_menu.setObjectName("language")
        self.language_actions = self._choices(self.language_menu, LANGUAGES,
                                              lambda lang: LANGUAGE_NAMES[lang], self.set_language)
        self.theme_menu = QMenu(tr("&Theme"), window)
        self.theme_menu.setObjectName("theme")
        self.theme_actions = self._choices(self.theme_menu, THEME_NAMES, theme_title, self.set_theme)
        self._check(self.language_actions, current_language())
        saved_theme = preferences.value(THEME_KEY, DEFAULT_THEME)
        self.apply_theme(saved_theme if saved_theme in THEME_NAMES else DEFAULT_THEME)

    def _choices(self, menu, names, title, choose) -> dict:
        group = QActionGroup(menu)
        group.setExclusive(True)
        actions = {}
        for name in names:
            action = QAction(title(name), menu)
            action.setCheckable(True)
            action.setObjectName(f"{menu.objectName()}_{name}")
            action.triggered.connect(lambda _checked=False, chosen=name: choose(chosen))
            group.addAction(action)
            menu.addAction(action)
            actions[name] = action
        return actions

    @staticmethod
    def _check(actions, name):
        if name in actions:
            actions[name].setChecked(True)

    # ------------------------------------------------------------------ language
    def set_language(self, lang: str) -> str:
        """Switch to ``lang`` now and remember it for the next start."""
        lang = install_translator(QApplication.instance(), lang)
        self.preferences.set_value(LANGUAGE_KEY, lang)
        self._check(self.language_actions, lang)
        self.languageChanged.emit(lang)
        return lang

    def retranslate(self):
        """The legend lives in the drawing, not in a widget: redraw it in the new language."""
        self.apply_theme(self.theme_name)

    # ------------------------------------------------------------------ theme
    def set_theme(self, name: str):
        """Switch to theme ``name`` now and remember it."""
        self.preferences.set_value(THEME_KEY, name)
        self.apply_theme(name)
        self.themeChanged.emit(name)

    def apply_theme(self, name: str):
        """Show theme ``name`` without remembering it (presentation mode borrows the projector)."""
        self.theme_name = name
        apply_widget_look(name)
        self.window.setFont(ui_font(self.base_point_size * font_scale(name)))
        restyle_graph(self.window.graph_panel, graph_theme(name),
                      graph_point_size(name, self.graph_scale) * self.text_scale)
        self._check(self.theme_actions, name)

    # ------------------------------------------------------------------ text size
    def _build_text_size_menu(self):
        """View ▸ Text Size: one control for everything drawn on the graph (nodes, badges,
        notes, captions on the drawing, legend), remembered for each screen."""
        self.text_size_menu = QMenu(tr("Text &Size"), self.window)
        self.text_size_menu.setObjectName("text_size")
        for text, keys, step in ((tr("&Larger Text"), "Ctrl+Alt+=", TEXT_SCALE_STEP),
                                 (tr("&Smaller Text"), "Ctrl+Alt+-", 1 / TEXT_SCALE_STEP),
                                 (tr("&Usual Text Size"), "Ctrl+Alt+0", None)):
            action = QAction(text, self.window)
            action.setShortcut(QKeySequence(keys))
            action.triggered.connect(lambda _checked=False, factor=step: self.scale_text(factor))
            self.text_size_menu.addAction(action)
            self.window.addAction(action)

    def _screen_key(self) -> str:
        """Settings key of the screen the window is on (name and size: a projector differs)."""
        screen = self.window.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return f"{TEXT_SCALE_KEY}/none"
        size = screen.size()
        name = "".join(c if c.isalnum() else "_" for c in screen.name()) or "screen"
        return f"{TEXT_SCALE_KEY}/{name}_{size.width()}x{size.height()}"

    def _saved_text_scale(self) -> float:
        try:
            value = float(self.preferences.value(self._screen_key(), 1.0))
        except (TypeError, ValueError):
            return 1.0
        return min(max(value, MIN_TEXT_SCALE), MAX_TEXT_SCALE)

    def scale_text(self, factor: float | None):
        """Multiply the graph's text size by ``factor`` (None: back to the usual size) and
        remember it for this screen."""
        scale = 1.0 if factor is None else self.text_scale * factor
        self.text_scale = round(min(max(scale, MIN_TEXT_SCALE), MAX_TEXT_SCALE), 3)
        self.preferences.set_value(self._screen_key(), self.text_scale)
        self.apply_theme(self.theme_name)

    def follow_screen(self):
        """The window moved to another screen: use the text size remembered for it."""
        scale = self._saved_text_scale()
        if scale != self.text_scale:
            self.text_scale = scale
            self.apply_theme(self.theme_name)
