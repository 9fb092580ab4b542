"""The main window: the graph in the middle, program and tools docked around it.

The window wires parts together and owns nothing they do: the document holds
the program, the run controller the timeline position, each panel its drawing.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMessageBox, QStatusBar, QVBoxLayout, QWidget

from explorer.drawing.fonts import character_width, ui_font
from explorer.program.steps import Program

from .autosave import Autosave
from .backward_tools import BackwardTools
from .block_list import BlockList
from .code_pane import CodePane, source_line
from .console import OutputConsole
from .document import ProgramDocument
from .export_actions import ExportActions
from .file_actions import FileActions
from .font_notice import warn_once_without_cjk_font
from .graph_panel import GraphPanel
from .inspector import Inspector
from .palette import BlockPalette
from .presentation import PresentationMode
from .program_bridge import code_step_at_line, program_source
from .program_edit import location_of_path
from .run_controller import RunController
from .settings import ORGANISATION, Preferences
from .share_panel import SharePanel
from .shortcuts_page import add_help_menu
from .timeline_bar import TimelineBar
from .translation import retranslate_tree, tr
from .undo_actions import redo_action, undo_action
from .view_options import ViewOptions

TITLE = "Autograd Explorer"
# The Program dock's width, in characters: its block form's fields side by side.
PROGRAM_DOCK_CHARACTERS = 40
PROGRAM_DOCK_MIN_CHARACTERS = 30
# The most of the screen's available area a new window takes.
SCREEN_SHARE = 0.9


class MainWindow(QMainWindow):
    def __init__(self, organisation: str = ORGANISATION, parent=None):
        super().__init__(parent)
        self.setFont(ui_font())
        self.preferences = Preferences(organisation)
        self.document = ProgramDocument(self)
        self.controller = RunController(self.document, self)
        self.graph_panel = GraphPanel(parent=self)
        self.timeline_bar = TimelineBar(self.controller, self)
        self.palette = BlockPalette(self)
        self.block_list = BlockList(self.document, self)
        self.code_pane = CodePane(self.document, self)
        self.inspector = Inspector(self)
        self.console = OutputConsole(self.controller, self)
        self.files = FileActions(self, self.document, self.preferences)
        self.exports = ExportActions(self)
        self._build_central()
        self._build_docks()
        self.view_options = ViewOptions(self, self.preferences)
        self.presentation = PresentationMode(self, self.view_options)
        self.share = SharePanel(self)
        self.autosave = Autosave(self.document, self.files, parent=self)
        self._build_menus()
        self.setStatusBar(QStatusBar(self))
        warn_once_without_cjk_font(self.statusBar().showMessage)
        self._connect()
        self.backward_tools = BackwardTools(self)
        # A drawing too tall to read whole keeps in sight what the frame is about.
        self.graph_panel.view.focus_node = self.presentation.active_node
        follow = self.presentation.follow_active_node
        self.backward_tools.animator.eventChanged.connect(lambda _index: follow())
        self.shortcuts_action = add_help_menu(self)   # last: it lists every menu's keys
        self._shown_once = False
        self._size_from_font()
        self._restored = self.preferences.restore_window(self)
        self._update_title()

    # ------------------------------------------------------------------ layout
    def _build_central(self):
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.graph_panel, 1)
        layout.addWidget(self.timeline_bar)
        self.setCentralWidget(central)

    def _dock(self, title, widget, area, name):
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _build_docks(self):
        left = Qt.DockWidgetArea.LeftDockWidgetArea
        right = Qt.DockWidgetArea.RightDockWidgetArea
        bottom = Qt.DockWidgetArea.BottomDockWidgetArea
        self.palette_dock = self._dock(tr("Blocks"), self.palette, left, "palette")
        self.program_dock = self._dock(tr("Program"), self.block_list, left, "program")
        # Narrower, the block form's fields squash into unreadable slivers.
        character = character_width(self.fontMetrics())
        self.program_dock.setMinimumWidth(round(character * PROGRAM_DOCK_MIN_CHARACTERS))
        self.splitDockWidget(self.palette_dock, self.program_dock, Qt.Orientation.Horizontal)
        self.code_dock = self._dock(tr("Code"), self.code_pane, right, "code")
        self.inspector_dock = self._dock(tr("Inspector"), self.inspector, right, "inspector")
        self.console_dock = self._dock(tr("Output"), self.console, bottom, "output")
        self.splitDockWidget(self.code_dock, self.inspector_dock, Qt.Orientation.Vertical)

    def _size_from_font(self):
        """``SCREEN_SHARE`` of the screen it opens on (a fixed 1262x850 put the Run bar and
        Output off a 1280x720 screen), or 200 characters by 50 lines without a screen."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            metrics = self.fontMetrics()
            self.resize(round(character_width(metrics) * 200), metrics.height() * 50)
            return
        available = screen.availableGeometry()
        share = QSize(round(available.width() * SCREEN_SHARE), round(available.height() * SCREEN_SHARE))
        size = share.expandedTo(self.minimumSizeHint()).boundedTo(available.size())
        self.resize(size)
        self.move(available.center() - QPoint(size.width() // 2, size.height() // 2))

    def _size_docks(self):
        # Dock sizes only take once the window is laid out, hence on first show.
        metrics = self.fontMetrics()
        character, line = round(character_width(metrics)), metrics.height()
        # One at a time: asked together, Qt shared the width out and left the Program dock
        # too narrow for the block form.
        self.resizeDocks([self.palette_dock], [character * 24], Qt.Orientation.Horizontal)
        self.resizeDocks([self.program_dock], [character * PROGRAM_DOCK_CHARACTERS],
                         Qt.Orientation.Horizontal)
        self.resizeDocks([self.code_dock], [character * 46], Qt.Orientation.Horizontal)
        self.resizeDocks([self.console_dock], [line * 6], Qt.Orientation.Vertical)

    def showEvent(self, event):
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            handle = self.windowHandle()
            if handle is not None:
                handle.screenChanged.connect(lambda _screen: self.view_options.follow_screen())
            if not self._restored:
                self._size_docks()
            QTimer.singleShot(0, self.block_list.warm_up)  # the first form's setup, off any edit

    def _build_menus(self):
        menus = self.menuBar()
        file_menu = menus.addMenu(tr("&File"))
        for action in (self.files.new_action, self.files.open_action):
            file_menu.addAction(action)
        file_menu.addMenu(self.files.recent_menu)
        file_menu.addSeparator()
        file_menu.addAction(self.files.save_action)
        file_menu.addAction(self.files.save_as_action)
        file_menu.addAction(self.exports.export_action)
        file_menu.addSeparator()
        quit_action = QAction(tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        edit_menu = menus.addMenu(tr("&Edit"))
        self.undo_action = undo_action(self.document.undo_stack, self)
        self.redo_action = redo_action(self.document.undo_stack, self)
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.exports.copy_action)
        edit_menu.addSeparator()
        for action in (self.block_list.delete_action, self.block_list.duplicate_action,
                       self.block_list.disable_action, self.block_list.move_up_action,
                       self.block_list.move_down_action):
            edit_menu.addAction(action)

        view_menu = menus.addMenu(tr("&View"))
        view = self.graph_panel.view
        for action in (view.zoom_in_action, view.zoom_out_action, view.reset_zoom_action, view.fit_action):
            view_menu.addAction(action)
        view_menu.addSeparator()
        for dock in (self.palette_dock, self.program_dock, self.code_dock, self.inspector_dock,
                     self.console_dock):
            view_menu.addAction(dock.toggleViewAction())
        view_menu.addSeparator()
        view_menu.addMenu(self.view_options.language_menu)
        view_menu.addMenu(self.view_options.theme_menu)
        view_menu.addMenu(self.view_options.text_size_menu)
        view_menu.addAction(self.presentation.action)
        view_menu.addAction(self.share.action)

        run_menu = menus.addMenu(tr("&Run"))
        for action in self.timeline_bar.actions_by_name.values():
            run_menu.addAction(action)

    # ------------------------------------------------------------------ wiring
    def _connect(self):
        self.palette.blockActivated.connect(lambda key: self.block_list.insert_block(key))
        self.controller.frameChanged.connect(self._frame_changed)
        self.graph_panel.nodeSelected.connect(self._node_selected)
        self.graph_panel.viewChanged.connect(lambda _name: self._node_selected(self.graph_panel.scene
                                                                               .selected_node()))
        self.document.pathChanged.connect(lambda _path: self._update_title())
        self.document.modifiedChanged.connect(lambda _modified: self._update_title())
        self.files.failed.connect(self._show_failure)
        # After the controller's own handler (connected first), which may move to frame 0.
        self.document.opened.connect(self._document_opened)

    def _document_opened(self):
        """A new program's graph is laid out afresh: its run may have been drawn already
        with the previous program's positions (node ids repeat from program to program)."""
        if self.controller.running:
            self.graph_panel.forget_layout()   # what is shown is still the old program's
        else:
            self.graph_panel.relayout()

    def _frame_changed(self, frame, _index):
        self.graph_panel.show_snapshot(getattr(frame, "snapshot", None))
        self._node_selected(self.graph_panel.scene.selected_node())
        program = self.document.program
        if frame is None:
            self.code_pane.highlight_line(0)
            return
        if self.code_pane.text() != program_source(program):
            line = frame.line  # the pane shows the file's own text: lines are the file's
        elif getattr(frame, "depth", 0):
            # Inside a call: the statement's line in the code block that defines the function
            # (code blocks keep their text, so only where the block starts moves).
            code_path, code_step = code_step_at_line(program, frame.line)
            line = source_line(program, code_path) + frame.line - code_step.line \
                if code_step is not None else frame.line
        else:
            line = source_line(program, frame.path)
        self.code_pane.highlight_line(line)
        where = location_of_path(program, frame.path)
        item = self.block_list.item_at(where) if where is not None else None
        if item is not None:
            self.block_list.scrollToItem(item)
        error = getattr(frame, "error", None)
        if error is not None:
            self.statusBar().showMessage(str(error))
        elif getattr(frame, "sampled_out", False):
            self.statusBar().showMessage(tr(
                "This iteration ran without a drawing: a long loop is drawn for its first 50 "
                "iterations, every 100th, and after it"))
        else:
            self.statusBar().clearMessage()  # an error shows on its own frame only

    def _node_selected(self, node_id):
        self.inspector.show_node(node_id, self.controller.frame, self.controller.frames)

    def _show_failure(self, message):
        self.statusBar().showMessage(message)
        QMessageBox.warning(self, TITLE, message)

    def _update_title(self):
        name = self.document.path.rsplit("/", 1)[-1] if self.document.path else tr("untitled")
        self.setWindowTitle(f"{name}[*] — {TITLE}")
        self.setWindowModified(self.document.modified)

    # ------------------------------------------------------------------ start-up and close
    def open_program(self, program: Program, fields: dict | None = None):
        """Show ``program`` as a fresh, unmodified document (a lesson or the built-in example)."""
        self.graph_panel.forget_layout()
        self.document.reset(program, "", fields)

    def closeEvent(self, event):
        if not self.files.may_discard():
            event.ignore()
            return
        if self.presentation.active:
            self.presentation.leave()
        self.preferences.save_window(self)
        self.preferences.sync()
        self.autosave.finish()
        self.controller.cancel()
        self.controller.wait(5.0)
        event.accept()

    def changeEvent(self, event):
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self):
        """Texts set once are swapped in place; views that show data redraw in the new language."""
        retranslate_tree(self)
        self.view_options.retranslate()
        self.presentation.retranslate()
        self._update_title()
        self.controller.go_to(self.controller.index)
