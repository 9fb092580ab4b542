"""The small form that edits one block in place.

The form splits a step into the parts a learner changes: the result's name, the
operator, and each operand, offered as an editable list of the variables in
scope. Anything else about the step stays as it was. A field whose text does
not parse is marked and the step is not changed until it does.
"""
from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QWidget

from explorer.drawing.fonts import code_font
from explorer.program.expressions import BINARY_OPERATORS, Attribute, BinOp, FunctionCall, Keyword, MethodCall
from explorer.program.python_text import statements_problem
from explorer.program.steps import Assign, AugAssign, Code, ExprStatement, For, If, While, With

from .program_bridge import ProgramSyntaxError, expression_source, parse_expression

INVALID_STYLE = "background: #fde7e9;"


class OperandBox(QComboBox):
    """An editable choice of variable in scope, or any expression typed in."""

    def __init__(self, expression, scope, parent=None):
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.addItems(list(scope))
        self.setCurrentText(expression_source(expression))
        width = self.fontMetrics().horizontalAdvance(self.currentText() + "MMMM")
        self.setMinimumContentsLength(max(4, min(24, len(self.currentText()) + 2)))
        self.setMinimumWidth(width)

    def expression(self):
        return parse_expression(self.currentText())


class CodeBlockEditor(QPlainTextEdit):
    """The text of a code block: applied on leaving it or on Ctrl+Return."""

    committed = Signal()
    MAX_LINES = 14

    def __init__(self, source, parent=None):
        super().__init__(source, parent)
        self.setFont(code_font())
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        lines = min(max(source.count("\n") + 1, 2), self.MAX_LINES)
        self.setFixedHeight(self.fontMetrics().lineSpacing() * lines + 12)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("M" * 30))

    def focusOutEvent(self, event):
        super().focusOutEvent(event)
        self.committed.emit()

    def keyPressEvent(self, event):
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and \
                event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.committed.emit()
            return
        super().keyPressEvent(event)


class StepForm(QWidget):
    """Fields for one step; emits ``stepEdited`` with the rebuilt step."""

    stepEdited = Signal(object)

    def __init__(self, step, scope, parent=None):
        super().__init__(parent)
        self.step = step
        self.scope = tuple(scope)
        self.fields = {}
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(4, 1, 4, 1)
        self._layout.setSpacing(4)
        self._build()
        self._layout.addStretch(1)

    # ------------------------------------------------------------------ building
    def _text(self, text):
        self._layout.addWidget(QLabel(text, self))

    def _operand(self, key, expression):
        box = OperandBox(expression, self.scope, self)
        box.setObjectName(key)
        box.lineEdit().editingFinished.connect(self.commit)
        box.activated.connect(lambda _index: self.commit())
        self.fields[key] = box
        self._layout.addWidget(box)

    def _build(self):
        step = self.step
        kind = type(step)
        if kind is Assign and not step.unpack and len(step.targets) == 1:
            target = QLineEdit(step.targets[0], self)
            target.setObjectName("target")
            target.setMaximumWidth(target.fontMetrics().horizontalAdvance("M" * 8))
            target.editingFinished.connect(self.commit)
            self.fields["target"] = target
            self._layout.addWidget(target)
            self._text("=")
            self._expression_fields(step.value)
        elif kind is ExprStatement:
            self._expression_fields(step.value)
        elif kind is AugAssign:
            self._operand("aug_target", step.target)
            self._text(f"{step.op}=")
            self._operand("aug_value", step.value)
        elif kind is With:
            self._text("with")
            self._operand("context", step.context)
        elif kind in (While, If):
            self._text("while" if kind is While else "if")
            self._operand("condition", step.condition)
        elif kind is For:
            self._text(f"for {', '.join(step.targets)} in")
            self._operand("iterable", step.iterable)
        elif kind is Code:
            self._code_editor(step.source)
        else:
            self._text(type(step).__name__.lower())

    def _code_editor(self, source):
        """Python the blocks have no form for: edited as text, applied when it parses."""
        editor = CodeBlockEditor(source, self)
        editor.setObjectName("code")
        editor.committed.connect(self.commit)
        self.fields["code"] = editor
        self._layout.addWidget(editor, 1)

    def _expression_fields(self, expression):
        kind = type(expression)
        if kind is BinOp:
            self._operand("left", expression.left)
            operator = QComboBox(self)
            operator.setObjectName("operator")
            operator.addItems(list(BINARY_OPERATORS))
            operator.setCurrentText(expression.op)
            operator.activated.connect(lambda _index: self.commit())
            self.fields["operator"] = operator
            self._layout.addWidget(operator)
            self._operand("right", expression.right)
        elif kind is FunctionCall:
            self._text(expression.dotted + "(")
            self._call_fields(expression.args, expression.keywords)
            self._text(")")
        elif kind is MethodCall:
            self._operand("receiver", expression.receiver)
            self._text(f".{expression.method}(")
            self._call_fields(expression.args, expression.keywords)
            self._text(")")
        elif kind is Attribute:
            self._operand("value", expression.value)
            self._text(f".{expression.attr}")
        else:
            self._operand("expression", expression)

    def _call_fields(self, args, keywords):
        for number, argument in enumerate(args):
            self._operand(f"arg{number}", argument)
        for keyword in keywords:
            self._text(f"{keyword.name}=")
            self._operand(f"keyword_{keyword.name}", keyword.value)

    # ------------------------------------------------------------------ reading back
    def set_field(self, key: str, text: str):
        """Put ``text`` in a field and apply it, as a user choosing it would."""
        field = self.fields[key]
        if isinstance(field, QLineEdit):
            field.setText(text)
        else:
            field.setCurrentText(text)
        self.commit()

    def commit(self):
        try:
            step = self.read_step()
        except (ProgramSyntaxError, ValueError) as error:
            self.setToolTip(str(error))
            return
        self.setToolTip("")
        if step != self.step:
            self.step = step
            self.stepEdited.emit(step)

    def _operand_value(self, key):
        box = self.fields[key]
        try:
            value = box.expression()
        except ProgramSyntaxError:
            box.setStyleSheet(INVALID_STYLE)
            raise
        box.setStyleSheet("")
        return value

    def read_step(self):
        step = self.step
        kind = type(step)
        if kind is Assign and "target" in self.fields:
            name = self.fields["target"].text().strip()
            if not name.isidentifier():
                raise ValueError(f"{name!r} is not a variable name")
            return replace(step, targets=(name,), value=self._read_expression(step.value))
        if kind is ExprStatement:
            return replace(step, value=self._read_expression(step.value))
        if kind is AugAssign:
            return replace(step, target=self._operand_value("aug_target"),
                           value=self._operand_value("aug_value"))
        if kind is With:
            return replace(step, context=self._operand_value("context"))
        if kind in (While, If):
            return replace(step, condition=self._operand_value("condition"))
        if kind is For:
            return replace(step, iterable=self._operand_value("iterable"))
        if kind is Code:
            editor = self.fields["code"]
            text = editor.toPlainText().rstrip()
            problem = statements_problem(text, in_loop=True)
            if problem is not None:
                editor.setStyleSheet(INVALID_STYLE)
                raise ValueError(f"line {problem[1]}: {problem[0]}")
            editor.setStyleSheet("")
            return replace(step, source=text)
        return step

    def _read_expression(self, expression):
        kind = type(expression)
        if kind is BinOp:
            return BinOp(self.fields["operator"].currentText(), self._operand_value("left"),
                         self._operand_value("right"))
        if kind is FunctionCall:
            return replace(expression, args=self._read_args(expression.args),
                           keywords=self._read_keywords(expression.keywords))
        if kind is MethodCall:
            return replace(expression, receiver=self._operand_value("receiver"),
                           args=self._read_args(expression.args),
                           keywords=self._read_keywords(expression.keywords))
        if kind is Attribute:
            return replace(expression, value=self._operand_value("value"))
        return self._operand_value("expression")

    def _read_args(self, args):
        return tuple(self._operand_value(f"arg{number}") for number in range(len(args)))

    def _read_keywords(self, keywords):
        return tuple(Keyword(keyword.name, self._operand_value(f"keyword_{keyword.name}"))
                     for keyword in keywords)
