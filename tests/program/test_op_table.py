"""The op table drives the sandbox's names, the size checks and the palette: none of them names
anything the engine lacks, and an op in the table reaches each of them."""
import importlib

import pytest

import engine
from engine.ops.table import OPS, SHAPE_RULES
from explorer.program import optable, palette_ops, sizecheck, whitelist
from explorer.program.expressions import PyExpr
from explorer.program.limits import Limits
from explorer.program.parser import parse_program
from explorer.program.runner import run_program
from explorer.program.sandbox.modules import TORCH_SUBMODULES
from explorer.program.sandbox.policy import ENGINE_UNDERSCORE
from explorer.program.steps import Code, Program

# Python's operators, which the size checks name by their symbols.
OPERATOR_SYMBOLS = frozenset("+ - * / // % ** @ & | ^ == != < <= > >=".split())


def engine_value(path):
    value = engine
    for part in path:
        value = getattr(value, part, None)
        if value is None:
            return None
    return value


def test_every_torch_function_the_sandbox_names_is_an_engine_function():
    missing = sorted(".".join(path) for path in whitelist.TORCH_FUNCTIONS
                     if not callable(engine_value(path)))
    assert missing == []


def test_every_torch_value_the_sandbox_names_is_in_the_engine():
    assert sorted(".".join(p) for p in whitelist.TORCH_VALUES if engine_value(p) is None) == []


@pytest.mark.parametrize("names, owner", [
    (whitelist.TENSOR_METHODS, engine.Tensor), (whitelist.TENSOR_ATTRIBUTES, engine.Tensor),
    (whitelist.FUNCTION_METHODS | whitelist.FUNCTION_ATTRIBUTES, engine.autograd.node.Node),
    (whitelist.HANDLE_METHODS, type(engine.ones(1, requires_grad=True).register_hook(print))),
    (whitelist.SIZE_METHODS, engine.Size), (whitelist.DTYPE_ATTRIBUTES, type(engine.float32)),
], ids=["tensor methods", "tensor attributes", "grad_fn", "hook handles", "sizes", "dtypes"])
def test_every_method_and_attribute_the_sandbox_names_is_in_the_engine(names, owner):
    assert sorted(name for name in names if not hasattr(owner, name)) == []


def test_every_underscore_name_a_program_may_read_is_the_engine_s():
    assert sorted(name for name in ENGINE_UNDERSCORE if not hasattr(engine.Tensor, name)) == []


def test_every_torch_submodule_a_program_may_import_is_in_the_engine():
    def present(relative):
        if engine_value(relative.split(".")) is not None:
            return True
        try:
            importlib.import_module(f"engine.{relative}")
        except ImportError:
            return False
        return True
    assert sorted(name for name in TORCH_SUBMODULES if not present(name)) == []


def test_every_op_the_size_checks_name_is_in_the_engine():
    def known(name):
        return (name in OPERATOR_SYMBOLS or hasattr(engine, name) or hasattr(engine.Tensor, name)
                or hasattr(engine.nn, name) or hasattr(engine.nn.functional, name))
    assert sorted(name for name in sizecheck.ESTIMATED if not known(name)) == []


def test_the_size_checks_read_their_shape_rules_from_the_op_table():
    for info in OPS.values():
        assert info.shape is None or info.shape in SHAPE_RULES
        if info.shape == "broadcast":
            assert optable.names_of(info) <= sizecheck.BROADCASTING, info.name
        if info.shape == "matmul":
            assert optable.names_of(info) <= sizecheck.MATMUL, info.name
    assert {"add_", "mul_", "clamp_", "subtract", "true_divide"} <= sizecheck.BROADCASTING


def test_a_broadcasting_op_of_the_table_is_refused_before_it_allocates(engine):
    # fmod was never on a hand-written list: its row's shape rule alone sizes it.
    program = parse_program("a = torch.ones(4000, 1)\nb = torch.ones(1, 4000)\nc = torch.fmod(a, b)")
    timeline = run_program(program, engine, limits=Limits(max_elements=10 ** 6))
    assert timeline.status == "limit"
    assert "fmod" in timeline.error.message and "\n" not in timeline.error.message


def test_every_op_of_the_table_is_offered_to_programs_as_a_function_and_as_methods():
    for info in OPS.values():
        if info.function is not None and info.name in optable.function_names():
            assert whitelist.is_torch_function((info.name,)), info.name
        for name in info.methods:
            assert whitelist.is_known_method(name), name


def test_a_name_the_engine_lacks_is_python_text_not_a_block():
    # torch.detach(x) is PyTorch's, not the engine's: as a block it failed only at run time.
    (step,) = parse_program("y = torch.detach(x)").steps
    assert isinstance(step.value, PyExpr)


# ------------------------------------------------------------------ palette
def test_the_palette_offers_exactly_the_basic_rows_of_the_op_table():
    basic = [info.name for info in OPS.values() if info.basic]
    assert sorted(block.key for block in palette_ops.op_blocks()) == sorted(basic)
    assert set(palette_ops.SPELLINGS) <= set(basic)
    assert {OPS[name].category for name in basic} <= set(palette_ops.HEADINGS)


def test_every_palette_heading_is_one_the_palette_shows():
    block_catalog = pytest.importorskip("explorer.ui.block_catalog")
    headings = {block.heading for block in palette_ops.op_blocks()}
    assert headings <= set(block_catalog.CATEGORIES)


# Variables for the blocks to take, x with a gradient already (for the blocks that edit it).
SETUPS = {("x", "y"): "x = torch.ones(2, 2, requires_grad=True)\ny = x * 2\ny.sum().backward()",
          ("x",): "x = torch.ones(2, 2, requires_grad=True)\nx.sum().backward()"}


def palette_blocks():
    block_catalog = pytest.importorskip("explorer.ui.block_catalog")
    # break and continue belong in a loop; every other block runs at the top level.
    return [kind for kind in block_catalog.BLOCKS if kind.key not in ("break", "continue")]


@pytest.mark.parametrize("scope", list(SETUPS))
def test_every_palette_block_is_a_block_step_that_runs_on_the_engine(engine, scope):
    setup = parse_program(SETUPS[scope]).steps
    for kind in palette_blocks():
        step = kind.make(scope)
        program = Program(setup + (step,))
        timeline = run_program(program, engine)
        # PyTorch's own complaints about the operands (backward of a non-scalar) are fine;
        # a name the engine lacks (AttributeError) or a call it cannot take (TypeError) is not.
        assert timeline.status == "finished" or timeline.error.type_name == "RuntimeError", \
            (kind.key, timeline.error)
        reparsed = parse_program("import torch\n" + _source(step)).steps[-1]
        assert not isinstance(reparsed, Code), kind.key


def _source(step):
    from explorer.program.codegen import program_source
    return program_source(Program((step,)))
