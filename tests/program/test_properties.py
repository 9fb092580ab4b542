"""Random valid programs: steps -> source -> steps is the identity, and both run the same."""
import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer.program.codegen import program_source
from explorer.program.expressions import (
    Attribute,
    BinOp,
    Compare,
    Constant,
    FunctionCall,
    Keyword,
    Lambda,
    ListExpr,
    MethodCall,
    Name,
    UnaryOp,
)
from explorer.program.jsonform import steps_from_json, steps_to_json
from explorer.program.limits import Limits
from explorer.program.parser import parse_program
from explorer.program.rules import validate_program
from explorer.program.runner import run_program
from explorer.program.steps import (
    Assign,
    AttrAssign,
    AugAssign,
    ExprStatement,
    For,
    If,
    Program,
    While,
    With,
)

from .conftest import engine_or_skip

VARIABLES = ("x", "w", "a", "b")
SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def numbers():
    return st.one_of(st.integers(-3, 3).map(Constant),
                     st.sampled_from([0.5, 1.5, -2.0, 0.25]).map(Constant))


def leaf_expressions():
    return st.one_of(st.sampled_from(VARIABLES).map(Name), numbers())


def tensor_expressions():
    def extend(children):
        return st.one_of(
            st.builds(BinOp, st.sampled_from(["+", "-", "*"]), children, children),
            st.builds(UnaryOp, st.just("-"), children),
            st.builds(lambda r, m: MethodCall(r, m), children,
                      st.sampled_from(["sigmoid", "tanh", "relu", "exp", "abs"])),
            st.builds(lambda r: MethodCall(r, "pow", (Constant(2),)), children),
            st.builds(lambda r: MethodCall(r, "detach"), children),
            st.builds(lambda r: FunctionCall(("torch", "tanh"), (r,)), children),
        )
    return st.recursive(st.sampled_from(VARIABLES).map(Name), extend, max_leaves=5)


def scalar_of(expr):
    return MethodCall(expr, "sum")


def simple_steps():
    target = st.sampled_from(VARIABLES[2:])
    return st.one_of(
        st.builds(lambda t, v: Assign((t,), v), target, tensor_expressions()),
        st.builds(lambda v: ExprStatement(FunctionCall(("print",), (v,))), tensor_expressions()),
        st.builds(lambda n: AugAssign(Attribute(Name("x"), "data"), "*", n),
                  st.sampled_from([Constant(2), Constant(0.5)])),
        st.builds(lambda v: ExprStatement(MethodCall(scalar_of(v), "backward", (),
                                                     (Keyword("retain_graph", Constant(True)),))),
                  tensor_expressions()),
        st.just(AttrAssign(Attribute(Name("x"), "grad"), Constant(None))),
        st.just(ExprStatement(FunctionCall(("print",), (Attribute(Name("x"), "grad"),)))),
        st.builds(lambda v: Assign(("h",), MethodCall(Name(v), "register_hook", (
            Lambda(("g",), BinOp("*", Name("g"), Constant(2))),))), st.sampled_from(["x", "w"])),
    )


def compound_steps(body):
    small_body = st.lists(body, min_size=1, max_size=3).map(tuple)
    return st.one_of(
        st.builds(lambda b: With(FunctionCall(("torch", "no_grad")), b), small_body),
        st.builds(lambda n, b: For(("i",), FunctionCall(("range",), (Constant(n),)), b),
                  st.integers(0, 3), small_body),
        st.builds(lambda v, b, e: If(Compare(scalar_of(v), (">",), (Constant(0),)), b, e),
                  tensor_expressions(), small_body, st.lists(body, max_size=2).map(tuple)),
        st.builds(lambda b: While(Compare(Name("n"), ("<",), (Constant(2),)),
                                  b + (Assign(("n",), BinOp("+", Name("n"), Constant(1))),)),
                  small_body),
    )


PROLOGUE = parse_program(
    "x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)\n"
    "w = torch.tensor([1.5, 0.25, -0.75], requires_grad=True)\n"
    "a = x * w\nb = torch.tensor([1.0, 2.0, 3.0])\nn = 0\n").steps


def programs():
    step = st.one_of(simple_steps(), compound_steps(simple_steps()))
    return st.lists(step, min_size=1, max_size=8).map(lambda s: Program(PROLOGUE + tuple(s)))


@SETTINGS
@given(programs())
def test_random_programs_round_trip_through_source_and_json(program):
    validate_program(program.steps)
    source = program_source(program)
    assert parse_program(source) == program
    assert steps_from_json(steps_to_json(program.steps)) == program.steps


def comparable(timeline):
    frames = []
    for frame in timeline.frames:
        snapshot = frame.snapshot
        values = None
        if snapshot is not None:
            values = {name: (str(snapshot.tensors[tid].values.tolist()),
                             None if snapshot.tensors[tid].grad is None
                             else str(snapshot.tensors[tid].grad.tolist()),
                             snapshot.function_of(name) and snapshot.function_of(name).name)
                      for name, tid in snapshot.variables.items()}
        frames.append((frame.path, frame.output, frame.error, frame.header, frame.condition,
                       frame.grad_enabled, values, len(frame.events)))
    return timeline.status, timeline.error, frames


@SETTINGS
@given(programs())
def test_random_programs_and_their_source_give_the_same_timeline(program):
    engine = engine_or_skip()
    limits = Limits(max_iterations=200)
    with np.errstate(all="ignore"):
        first = run_program(program, engine, limits=limits)
        second = run_program(parse_program(program_source(program)), engine, limits=limits)
    assert comparable(first) == comparable(second)


def test_list_literals_are_generated_too():
    program = Program((Assign(("v",), FunctionCall(("torch", "tensor"), (
        ListExpr((Constant(1.0), Constant(2.0))),))),))
    assert parse_program(program_source(program)) == program
