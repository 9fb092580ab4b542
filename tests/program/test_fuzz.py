"""Hostile and corrupted input: always a clear error or a limit, never a crash, hang or escape."""
import json
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tutorial_cells import FULL_SOURCE

from explorer.program.errors import ProgramFileError, ProgramSyntaxError
from explorer.program.files import Document, dumps_document, loads_document
from explorer.program.limits import Limits
from explorer.program.parser import parse_program
from explorer.program.runner import run_program

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
VALID_JSON = dumps_document(Document(program=parse_program(FULL_SOURCE)))


def parse_or_clear_error(source):
    try:
        return parse_program(source)
    except ProgramSyntaxError as error:
        assert str(error)
        return None


def load_or_clear_error(data):
    try:
        return loads_document(data)
    except ProgramFileError as error:
        assert str(error)
        return None


@FUZZ
@given(st.binary(max_size=400))
def test_random_bytes_never_crash_the_loader_or_the_parser(data):
    load_or_clear_error(data)
    parse_or_clear_error(data.decode("utf-8", "replace"))


@FUZZ
@given(st.text(alphabet="xy()[]{}.,:=+-*/ \n\t0123456789torchimpa_'\"", max_size=120))
def test_random_python_like_text_is_parsed_or_rejected(source):
    parse_or_clear_error(source)


@FUZZ
@given(st.integers(0, len(VALID_JSON)))
def test_truncated_json_is_a_clear_error(cut):
    result = load_or_clear_error(VALID_JSON[:cut])
    assert result is None or cut >= len(VALID_JSON.rstrip())


@FUZZ
@given(st.integers(0, len(VALID_JSON) - 1), st.characters())
def test_corrupted_json_is_loaded_or_rejected(position, character):
    load_or_clear_error(VALID_JSON[:position] + character + VALID_JSON[position + 1:])


def json_values():
    scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                        st.text(max_size=10))
    return st.recursive(scalars, lambda c: st.one_of(
        st.lists(c, max_size=4), st.dictionaries(st.sampled_from(
            ["step", "kind", "value", "id", "targets", "function", "args", "body", "op", "left",
             "right", "receiver", "method", "attr", "format", "program"]), c, max_size=5)),
        max_leaves=20)


@FUZZ
@given(st.lists(json_values(), max_size=4))
def test_random_json_programs_are_loaded_or_rejected(program):
    text = json.dumps({"format": "autograd-explorer/1", "program": program})
    load_or_clear_error(text)


HOSTILE_SOURCES = [
    "__import__('os').system('echo owned')",
    "x = ().__class__.__bases__[0].__subclasses__()",
    "x = open('x')",
    "getattr(torch, 'load')('x')",
    "x = torch.ones(2)\nx.__dict__",
    "x = torch.ones(2)\ny = x.numpy().ctypes",
    "import os",
    "import torch.utils",
    "from torch import load",
    "x = torch._C",
    "x = torch.nn.Module()",
    "x = torch.ones(2)\nx.register_hook(print)",
    "x = lambda: 0",
    "exec('1')",
    "eval('1')",
    "compile('1', 'f', 'exec')",
    "globals()",
    "x = f'{().__class__}'",
    "x = type(1)",
    "x = torch.ones(2)\nx.apply_(abs)",
    "y = " + "-" * 100_000 + "1",
    "y = " + "[" * 100 + "]" * 100,
    "y = " + "+".join(["1"] * 20_000),
    "if x:\n" + "".join("    " * i + "if x:\n" for i in range(1, 80)) + "    " * 80 + "pass",
    "x = 1" + "0" * 10_000,
    "x = [" + "1," * 100_000 + "]",
    "x = '" + "a" * 100_000 + "'",
]


def refused_or_stopped(source, torch_module, limits=None):
    """Parse and run ``source``: a parse error or a run that ends by itself.

    Returns the error text (parse or run), or None when the run finished.
    """
    try:
        program = parse_program(source)
    except ProgramSyntaxError as error:
        assert str(error)
        return str(error)
    timeline = run_program(program, torch_module,
                           limits=limits or Limits(max_seconds=5, max_iterations=10_000))
    if timeline.status == "finished":
        return None
    assert timeline.error.message and "\n" not in timeline.error.message.strip()
    return timeline.error.message


# Each of these must be refused: by the parser, or on its step at run time.
@pytest.mark.parametrize("source", HOSTILE_SOURCES, ids=range(len(HOSTILE_SOURCES)))
def test_hostile_sources_are_refused_with_a_clear_error(source, tmp_path, monkeypatch):
    import engine
    monkeypatch.chdir(tmp_path)
    started = time.monotonic()
    error = refused_or_stopped(source, engine)
    assert time.monotonic() - started < 8
    harmless = ("x = torch.ones(2)\nx.register_hook(print)", "x = lambda: 0", "x = type(1)",
                "x = torch.ones(2)\nx.apply_(abs)", "x = torch.nn.Module()",
                "x = f'{().__class__}'", "y = " + "-" * 100_000 + "1",
                "y = " + "+".join(["1"] * 20_000))
    if source not in harmless and not source.startswith(("x = 1", "x = [", "x = '", "y = [")):
        assert error, source
    assert list(tmp_path.iterdir()) == []


RUNAWAY_SOURCES = [
    ("while True:\n    pass", "iteration limit"),
    ("x = torch.ones(100000, 100000)", "element limit"),
    ("i = 0\nwhile True:\n    i = i + 1", "iteration limit"),
    ("x = torch.ones(1)\nwhile True:\n    x = torch.cat([x, x])", "element limit"),
    ("s = [1]\nwhile True:\n    s = s + s", "sequence limit"),
]


@pytest.mark.parametrize("source, fragment", RUNAWAY_SOURCES)
def test_runaway_programs_hit_a_limit_quickly(torch_module, source, fragment):
    started = time.monotonic()
    timeline = run_program(parse_program(source), torch_module,
                           limits=Limits(max_iterations=1000, max_seconds=5))
    assert time.monotonic() - started < 5
    assert timeline.status == "limit"
    assert fragment in timeline.error.message


def test_a_recursive_hook_is_a_step_error_not_a_crash(torch_module):
    source = ("x = torch.ones(2, requires_grad=True)\ny = x * 2\n"
              "h = y.register_hook(lambda g: y.sum().backward(retain_graph=True))\n"
              "y.sum().backward(retain_graph=True)")
    timeline = run_program(parse_program(source), torch_module, limits=Limits(max_seconds=5))
    assert timeline.status == "error"
    assert timeline.error.message and "\n" not in timeline.error.message
