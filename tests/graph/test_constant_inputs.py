"""Inputs that need no grad are drawn joined to the Function that read them, as no gradient path."""
import engine
from explorer.graph.build import build_graph
from explorer.program.parser import parse_program
from explorer.program.runner import run_program

PROGRAM = """\
w = torch.ones(3, requires_grad=True)
x = torch.tensor([1.0, 2.0, 3.0])
b = torch.ones(3)
y = (w * x + b).sum()
y.backward()
"""


def last_snapshot():
    return run_program(parse_program(PROGRAM), engine).frames[-1].snapshot


def named(graph, label):
    return next(node for node, attributes in graph.nodes(data=True) if attributes["label"] == label)


def test_a_constant_input_is_joined_to_its_function_at_its_slot():
    graph = build_graph(last_snapshot(), "tensor_function")
    x, b = named(graph, "x"), named(graph, "b")
    mul, add = named(graph, "MulBackward0"), named(graph, "AddBackward0")
    assert graph.edges[x, mul]["kind"] == "constant" and graph.edges[x, mul]["slots"] == [1]
    assert graph.edges[b, add]["kind"] == "constant" and graph.edges[b, add]["slots"] == [1]
    # Nothing floats: every tensor touches an edge.
    assert all(graph.degree(node) for node in graph)


def test_the_grad_fn_view_stays_pytorchs_graph():
    graph = build_graph(last_snapshot(), "grad_fn")
    assert "x" not in {attributes["label"] for _node, attributes in graph.nodes(data=True)}
    assert "constant" not in {kind for *_edge, kind in graph.edges(data="kind")}


def test_pytorch_lists_no_function_for_those_slots():
    torch = __import__("pytest").importorskip("torch")
    w = torch.ones(3, requires_grad=True)
    y = w * torch.tensor([1.0, 2.0, 3.0]) + torch.ones(3)
    assert y.grad_fn.next_functions[1] == (None, 0)
    assert y.grad_fn.next_functions[0][0].next_functions[1] == (None, 0)
