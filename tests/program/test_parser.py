"""Source -> steps -> source: the subset, its errors, and round trips."""
import pytest
from tutorial_cells import CELLS, FULL_SOURCE, RANDOM_CELLS

from explorer.program.codegen import program_source
from explorer.program.errors import ProgramSyntaxError
from explorer.program.expressions import (
    BinOp,
    Constant,
    FunctionCall,
    Lambda,
    MethodCall,
    Name,
    op_name,
    operands,
)
from explorer.program.parser import parse_program
from explorer.program.steps import (
    Assign,
    AttrAssign,
    AugAssign,
    ExprStatement,
    For,
    FutureImport,
    If,
    Import,
    IndexAssign,
    Program,
    While,
    With,
)

ALL_TUTORIAL_SOURCES = [source for source, _ in CELLS] + RANDOM_CELLS + [FULL_SOURCE]


@pytest.mark.parametrize("source", ALL_TUTORIAL_SOURCES)
def test_tutorial_cells_round_trip(source):
    program = parse_program(source)
    regenerated = program_source(program)
    assert parse_program(regenerated) == program
    assert program_source(parse_program(regenerated)) == regenerated


def test_first_cell_steps():
    program = parse_program(RANDOM_CELLS[0])
    kinds = [type(step) for step in program.steps]
    assert kinds == [FutureImport, Import, Assign, ExprStatement]
    assert [step.line for step in program.steps] == [1, 2, 3, 4]
    assign = program.steps[2]
    assert assign.value == FunctionCall(("torch", "randn"), (Constant(3), Constant(3)),
                                        assign.value.keywords)
    assert op_name(assign.value) == "randn"


STEP_CASES = [
    ("y = x ** 2", Assign, ("x",), ("y",)),
    ("a, b = x.max(0)", Assign, ("x",), ("a", "b")),
    ("x += y", AugAssign, ("x", "y"), ("x",)),
    ("x.data *= 100", AugAssign, ("x",), ()),
    ("y[0] += k", AugAssign, ("y", "k"), ()),
    ("x.grad = None", AttrAssign, ("x",), ()),
    ("x.data = w * 2", AttrAssign, ("x", "w"), ()),
    ("x.requires_grad = True", AttrAssign, ("x",), ()),
    ("y[0] = 5", IndexAssign, ("y",), ()),
    ("out.backward()", ExprStatement, ("out",), ()),
    ("x.grad.data.zero_()", ExprStatement, ("x",), ()),
    ("h = y.register_hook(lambda g: g * s)", Assign, ("y", "s"), ("h",)),
    ("with torch.no_grad():\n    z = x * 2", With, ("x",), ("z",)),
    ("with torch.set_grad_enabled(False):\n    z = x * 2", With, ("x",), ("z",)),
    ("for i in range(n):\n    y = y * i", For, ("n", "y"), ("i", "y")),
    ("while y.data.norm() < 1000:\n    y = y * 2", While, ("y",), ("y",)),
    ("if x.grad is None:\n    t = 1\nelse:\n    u = 2", If, ("x",), ("t", "u")),
    ("import torch", Import, (), ()),
    ("import engine as torch", Import, (), ()),
]


@pytest.mark.parametrize("source, kind, reads, writes", STEP_CASES)
def test_step_kinds_reads_and_writes(source, kind, reads, writes):
    (step,) = parse_program(source).steps
    assert type(step) is kind
    assert step.reads() == reads
    assert step.writes() == writes
    assert parse_program(program_source(Program((step,)))).steps == (step,)


def test_mutates_names_in_place_targets():
    assert parse_program("x.data *= 100").steps[0].mutates() == ("x",)
    assert parse_program("y[0] = 1").steps[0].mutates() == ("y",)
    assert parse_program("x += 1").steps[0].mutates() == ()


def test_op_names_and_operands_for_blocks():
    (step,) = parse_program("y = x ** 2").steps
    assert op_name(step.value) == "pow"
    assert operands(step.value) == (Name("x"), Constant(2))
    (step,) = parse_program("y = x.pow(2)").steps
    assert op_name(step.value) == "pow"
    assert operands(step.value) == (Name("x"), Constant(2))
    (step,) = parse_program("y = torch.nn.functional.relu(x)").steps
    assert op_name(step.value) == "relu"
    (step,) = parse_program("h = y.register_hook(lambda g: g * 2)").steps
    assert isinstance(step.value, MethodCall)
    assert step.value.args == (Lambda(("g",), BinOp("*", Name("g"), Constant(2))),)


def test_constants_keep_their_type():
    assert parse_program("y = x ** 2") != parse_program("y = x ** 2.0")
    assert parse_program("y = x * 1") != parse_program("y = x * True")


def test_lines_do_not_take_part_in_equality():
    assert parse_program("\n\ny = x") == parse_program("y = x")


def test_variables_before_offers_operands():
    program = parse_program("x = torch.ones(2)\nfor i in range(3):\n    y = x * i\nz = y")
    assert program.variables_before((1, 0)) == ("x", "i")
    assert program.variables_before((2,)) == ("x", "i", "y")


def test_elif_and_else_round_trip():
    source = "if a:\n    b = 1\nelif c:\n    b = 2\nelse:\n    b = 3\n"
    assert program_source(parse_program(source)) == source


def test_simple_fstrings_round_trip():
    source = "print(f'{x!r:>10} and {y.grad} {{braces}}')\n"
    assert program_source(parse_program(source)) == source


def test_disabled_steps_become_comments():
    program = parse_program("x = torch.ones(2)\ny = x * 2\n")
    step = program.steps[1]
    from dataclasses import replace
    disabled = Program((program.steps[0], replace(step, disabled=True)))
    assert program_source(disabled) == "x = torch.ones(2)\n# y = x * 2\n"


def test_add_import_makes_source_standalone():
    program = parse_program("x = torch.ones(2)")
    assert program_source(program, add_import=True) == "import torch\nx = torch.ones(2)\n"


REJECTED = [
    ("y = __import__('os')", 1, 5, "the name '__import__' is not available"),
    ("y = ().__class__.__bases__", 1, 5, "the attribute '__bases__' is not available"),
    ("y = x.__dict__", 1, 5, "the attribute '__dict__' is not available"),
    ("x = [c for c in ().__class__.__subclasses__()]", 1, 17, "'__subclasses__'"),
    ("class A(metaclass=M):\n    pass", 1, 1, "class keywords"),
    ("class A:\n    def __getattribute__(self, n):\n        pass", 2, 5,
     "the method '__getattribute__' cannot be defined here"),
    ("class A:\n    __slots__ = ()", 2, 5, "'__slots__'"),
    ("def __init_subclass__():\n    pass", 1, 1, "cannot be defined"),
    ("async def f():\n    pass", 1, 1, "async def is not supported"),
    ("match x:\n    case 1:\n        pass", 1, 1, "match is not supported"),
    ("break", 1, 1, "'break' outside loop"),
    ("return 1", 1, 1, "'return' outside function"),
    ("yield 1", 1, 1, "'yield' outside function"),
    ("x = y if", 1, 9, "invalid Python"),
    ("f(__builtins__=1)", 1, 3, "keyword '__builtins__'"),
    ("y = " + "-" * 150 + "x", 1, 104, "nested"),
]

# Python the blocks have no form for: kept as code (statements) or Python operands.
ACCEPTED_AS_CODE = [
    "import os", "import numpy as np", "from os import path", "def f():\n    pass",
    "class A:\n    pass", "global x", "try:\n    x = 1\nexcept Exception:\n    pass", "del x",
    "assert x", "a = b = 1", "x", "for i in range(3):\n    pass\nelse:\n    pass",
    "with torch.no_grad() as g:\n    pass", "torch = 1", "print = 1",
]
ACCEPTED_AS_OPERAND = [
    "x = [i for i in range(3)]", "y = (x := 3)", "y = {}",
    "y = eval('1')", "y = open('x')", "y = x._base", "y = torch.ones", "y = print",
    "y = 1 << 3", "y = 10 ** 400000000000000000000", "y = 1j", "y = b'x'",
    "h = y.register_hook(lambda g, k: g)", "print(f'{x!a}')",
]
ACCEPTED_AS_CODE += ["f = lambda g: g"]
ACCEPTED_AS_OPERAND += ["print(*xs)", "f(**kw)", "print(x, file=f)"]


@pytest.mark.parametrize("source", ACCEPTED_AS_CODE)
def test_statements_without_blocks_become_code_steps(source):
    program = parse_program(source)
    assert [type(step).__name__ for step in program.steps] == ["Code"]
    assert program.steps[0].source == source
    assert program_source(program) == source + "\n"


@pytest.mark.parametrize("source", ACCEPTED_AS_OPERAND)
def test_operands_without_blocks_become_python_text(source):
    program = parse_program(source)
    kinds = {type(e).__name__ for _, step in program.iter_steps()
             for e in _expressions_of(step)}
    assert "PyExpr" in kinds, program
    assert parse_program(program_source(program)) == program


def _expressions_of(step):
    from explorer.program.expressions import walk
    for value in vars(step).values():
        if hasattr(value, "children"):
            yield from walk(value)


@pytest.mark.parametrize("source, line, column, fragment", REJECTED)
def test_unsupported_constructs_name_line_column_and_construct(source, line, column, fragment):
    with pytest.raises(ProgramSyntaxError) as caught:
        parse_program(source)
    error = caught.value
    assert fragment in str(error)
    assert (error.line, error.column) == (line, column), str(error)
    assert error.construct
    assert str(error).startswith(f"line {line}, column {column}: ")


def test_input_limits():
    with pytest.raises(ProgramSyntaxError, match="longer than"):
        parse_program("x = 1\n" * 50_000)
    with pytest.raises(ProgramSyntaxError, match="nested"):
        parse_program("y = " + "-" * 120 + "x")
    assert parse_program("y = [" + "1, " * 10_001 + "]").steps  # long literals are Python text
    with pytest.raises(ProgramSyntaxError):
        parse_program("y = " + "[" * 5000 + "]" * 5000)
    with pytest.raises(ProgramSyntaxError):
        parse_program("x = 1\x00")
    with pytest.raises(ProgramSyntaxError):
        parse_program("y = " + "9" * 5000)
