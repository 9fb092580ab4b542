"""The built-in lessons: a list to open them, the current step's narration, and its question.

Opening a lesson loads its program as a fresh document (``window.open_program``).
While the timeline moves, the caption shows the narration of the step the
current frame belongs to, in the interface language. A step with a "predict,
then reveal" question shows its choices; Reveal marks the answer and explains it.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from explorer.i18n import in_language
from explorer.program.errors import ProgramFileError
from explorer.program.files import cell_at, narrated_step

from .output_marks import OutputMarks
from .translation import tr

LESSON_ROLE = Qt.ItemDataRole.UserRole


def available_lessons():
    """The catalog's lessons, or ``()`` when no lessons are installed."""
    try:
        from explorer.lessons import LessonNotFound, list_lessons
    except ImportError:
        return ()
    try:
        return list_lessons()
    except (LessonNotFound, ProgramFileError):
        return ()


class QuestionBox(QWidget):
    """One question: the prompt, its choices, and Reveal."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.question = None
        self.language = "en"
        self.prompt = QLabel(self)
        self.prompt.setWordWrap(True)
        font = self.prompt.font()
        font.setBold(True)
        self.prompt.setFont(font)
        self.choices = QButtonGroup(self)
        self.choice_box = QVBoxLayout()
        self.reveal_button = QPushButton(tr("Reveal"), self)
        self.reveal_button.clicked.connect(self.reveal)
        self.answer = QLabel(self)
        self.answer.setWordWrap(True)
        self.answer.setObjectName("lesson_answer")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.prompt)
        layout.addLayout(self.choice_box)
        layout.addWidget(self.reveal_button)
        layout.addWidget(self.answer)

    def show_question(self, question, language):
        if question is not None and question == self.question and language == self.language:
            return   # the same step again: keep what was picked and revealed
        self.question = question
        self.language = language
        for button in list(self.choices.buttons()):
            self.choices.removeButton(button)
            button.deleteLater()
        self.answer.clear()
        self.setVisible(question is not None)
        if question is None:
            return
        self.prompt.setText(in_language(question["prompt"], language))
        for index, choice in enumerate(question["choices"]):
            button = QRadioButton(in_language(choice, language), self)
            self.choices.addButton(button, index)
            self.choice_box.addWidget(button)

    def reveal(self):
        if self.question is None:
            return
        answer = self.question["answer"]
        picked = self.choices.checkedId()
        for button in self.choices.buttons():
            index = self.choices.id(button)
            button.setText(("✓ " if index == answer else "   ") +
                           in_language(self.question["choices"][index], self.language))
        verdict = ""
        if picked >= 0:
            verdict = tr("Right! ") if picked == answer else tr("Not quite. ")
        explanation = in_language(self.question.get("explanation", {}), self.language)
        self.answer.setText(verdict + explanation)


class LessonBrowser(QWidget):
    lessonOpened = Signal(str)

    def __init__(self, window, parent=None):
        super().__init__(parent)
        self.window = window
        self.language = "en"
        self.lessons = available_lessons()
        self.list = QListWidget(self)
        self.list.setObjectName("lesson_list")
        self.list.itemActivated.connect(self._activated)
        self.list.itemDoubleClicked.connect(self._activated)
        self.open_button = QPushButton(tr("Open"), self)
        self.open_button.clicked.connect(lambda: self._activated(self.list.currentItem()))
        # Notebooks, Markdown chapters, saved pages and # %% scripts become lessons.
        self.import_button = QPushButton(tr("Import tutorial…"), self)
        self.import_button.setObjectName("import_tutorial")
        self.import_button.clicked.connect(lambda _checked=False: window.files.import_tutorial())
        self.caption = QLabel(self)
        self.caption.setWordWrap(True)
        self.caption.setObjectName("lesson_caption")
        self.question = QuestionBox(self)
        self.question.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.open_button)
        layout.addWidget(self.import_button)
        layout.addWidget(self.caption)
        layout.addWidget(self.question)
        self._fill()
        window.controller.frameChanged.connect(lambda frame, _index: self.show_step(frame))
        self.output_marks = OutputMarks(window.controller, window.document, window.block_list, self)

    def _fill(self):
        self.list.clear()
        for lesson in self.lessons:
            item = QListWidgetItem(f"{lesson.number}. {lesson.title_in(self.language)}", self.list)
            item.setData(LESSON_ROLE, lesson.id)

    def set_language(self, language: str):
        self.language = language
        row = self.list.currentRow()
        self._fill()
        self.list.setCurrentRow(row)
        self.show_step(self.window.controller.frame)

    def _activated(self, item):
        if item is not None:
            self.open_lesson(item.data(LESSON_ROLE))

    def open_lesson(self, lesson_id: str):
        from explorer.lessons import load_lesson
        document = load_lesson(lesson_id)
        fields = {"title": dict(document.title), "narration": tuple(document.narration),
                  "view": dict(document.view)}
        self.window.open_program(document.program, fields)
        self.window.controller.go_to(0)
        self.lessonOpened.emit(lesson_id)

    def narration_entry(self, frame):
        fields = self.window.document.fields
        narration = fields.get("narration", ()) if frame is not None else ()
        step = frame.path[0] if frame is not None and frame.path else -1
        step = narrated_step(fields.get("cells", ()), step)
        return narration[step] if 0 <= step < len(narration) else None

    def cell_note(self, frame) -> str:
        """What the import changed in the frame's cell (shell lines, another language)."""
        cells = self.window.document.fields.get("cells", ())
        if frame is None or not frame.path or not cells:
            return ""
        index, _first = cell_at(cells, frame.path[0])
        return in_language(cells[index].note, self.language) if index is not None else ""

    def show_step(self, frame):
        entry = self.narration_entry(frame)
        if entry is None and self.cell_note(frame):
            entry = {}
        if entry is None:
            self.caption.clear()
            self.question.show_question(None, self.language)
            return
        texts = {key: value for key, value in entry.items() if key != "question"}
        self.caption.setText("\n\n".join(text for text in (in_language(texts, self.language),
                                                             self.cell_note(frame)) if text))
        self.question.show_question(entry.get("question"), self.language)
