"""The backward animation as data: one frame per recorded event, about the right nodes."""
import pytest

from explorer.export.animation import animation_frames, backward_frame
from explorer.export.pipeline import ExportError, prepare
from explorer.export.themes import drawn_look

from .helpers import TUTORIAL, TUTORIAL_BACKWARD_EVENTS, write_tutorial


@pytest.fixture
def prepared(tmp_path, qapp):
    return prepare(write_tutorial(tmp_path), drawn_look())


def labels(prepared, nodes):
    return [prepared.graph.nodes[node]["label"] for node in nodes]


def test_one_frame_per_event_in_order(prepared):
    frames = animation_frames(prepared.frame, prepared.graph)
    assert len(frames) == TUTORIAL_BACKWARD_EVENTS == len(prepared.frame.events)
    assert [frame.kind for frame in frames] == [event.kind for event in prepared.frame.events]
    assert [frame.number for frame in frames] == list(range(1, 10))
    assert frames[0].heading == "backward event 1 / 9"


def test_frames_point_at_the_node_evaluated_and_the_leaf_accumulated(prepared):
    frames = animation_frames(prepared.frame, prepared.graph)
    evaluated = [labels(prepared, frame.current) for frame in frames if frame.kind == "node_evaluated"]
    assert evaluated == [["MeanBackward0"], ["MulBackward0"], ["MulBackward0"], ["PowBackward0"],
                         ["AccumulateGrad"]]
    accumulated = next(frame for frame in frames if frame.kind == "grad_accumulated")
    assert sorted(labels(prepared, accumulated.current)) == ["AccumulateGrad", "x"]
    assert accumulated.caption == "AccumulateGrad: x.grad None → 3."  # a uniform tensor shows one value
    assert any("[[3., 3.], [3., 3.]]" in text for _node, text in accumulated.badges)


def test_gradients_travel_along_the_edges_into_the_evaluated_node(prepared):
    frames = animation_frames(prepared.frame, prepared.graph)
    mean = next(frame for frame in frames if labels(prepared, frame.current) == ["MeanBackward0"])
    (tail, head), *rest = mean.edges
    assert labels(prepared, [tail, head]) == ["z", "MeanBackward0"]
    assert labels(prepared, rest[0]) == ["MulBackward0", "z"]
    assert ("grad [[0.25, 0.25], [0.25, 0.25]]") in [text for _node, text in mean.badges]
    summed = next(frame for frame in frames if frame.kind == "grad_summed")
    assert "0.75 + 0.75 = 1.5" in summed.caption


def test_visited_nodes_accumulate(prepared):
    frames = animation_frames(prepared.frame, prepared.graph)
    assert frames[0].visited == ()
    assert set(frames[-1].visited) >= {node for frame in frames[:-1] for node in frame.current}


def test_captions_in_chinese(prepared):
    frames = animation_frames(prepared.frame, prepared.graph, "zh")
    assert frames[0].heading == "反向传播事件 1 / 9"
    assert frames[-1].caption == "backward() 结束。"


def test_the_grad_fn_view_is_animated_with_the_same_ids(tmp_path, qapp):
    prepared = prepare(write_tutorial(tmp_path), drawn_look(), view="autograd")
    frames = animation_frames(prepared.frame, prepared.graph)
    evaluated = [labels(prepared, frame.current) for frame in frames if frame.kind == "node_evaluated"]
    assert evaluated[0] == ["MeanBackward0"] and evaluated[-1] == ["AccumulateGrad"]


def test_backward_frame_is_the_latest_at_or_before_the_chosen_one(tmp_path, qapp):
    source = tmp_path / "twice.py"
    source.write_text(TUTORIAL + "print(x.grad)\n", encoding="utf-8")
    prepared = prepare(source, drawn_look())
    assert backward_frame(prepared.timeline, prepared.frame).index == 4
    with pytest.raises(ExportError, match="no backward"):
        backward_frame(prepared.timeline, prepared.timeline.frames[2])
