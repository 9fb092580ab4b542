"""The observation API reports what the engine does, in order."""
import engine
from engine import observe


class Recorder:
    def __init__(self):
        self.events = []

    def node_created(self, node, inputs, outputs):
        self.events.append(("created", node.name()))

    def backward_started(self, roots, grads):
        self.events.append(("started", len(roots)))

    def node_evaluated(self, node, grads_in, grads_out):
        self.events.append(("evaluated", type(node).__name__))

    def grad_summed(self, node, input_nr, before, added, after):
        self.events.append(("summed", type(node).__name__, after.tolist()))

    def grad_accumulated(self, tensor, before, after):
        self.events.append(("accumulated", None if before is None else before.tolist(),
                            after.tolist()))

    def backward_finished(self, roots):
        self.events.append(("finished",))

    def version_bumped(self, tensor, version):
        self.events.append(("version", version))

    def data_written(self, tensor):
        self.events.append(("data",))


def test_tutorial_backward_events_in_engine_order():
    x = engine.ones(2, 2, requires_grad=True)
    with observe.listening(Recorder()) as rec:
        y = x ** 2
        z = y * y * 3
        out = z.mean()
        out.backward()
    assert rec.events == [
        ("created", "PowBackward0"), ("created", "MulBackward0"), ("created", "MulBackward0"),
        ("created", "MeanBackward0"), ("started", 1),
        ("evaluated", "MeanBackward0"), ("evaluated", "MulBackward0"),
        ("evaluated", "MulBackward0"), ("summed", "PowBackward0", [[1.5, 1.5], [1.5, 1.5]]),
        ("evaluated", "PowBackward0"),
        ("accumulated", None, [[3.0, 3.0], [3.0, 3.0]]), ("evaluated", "AccumulateGrad"),
        ("finished",),
    ]


def test_sum_at_shared_input_and_accumulation_before_after():
    x = engine.tensor([1.0, 2.0], requires_grad=True)
    x.grad = engine.tensor([10.0, 10.0])
    with observe.listening(Recorder()) as rec:
        a = x * 2
        (a + a).sum().backward()
    summed = [e for e in rec.events if e[0] == "summed"]
    assert summed == [("summed", "MulBackward0", [2.0, 2.0])]
    assert ("accumulated", [10.0, 10.0], [14.0, 14.0]) in rec.events


def test_version_and_data_events():
    x = engine.ones(2)
    with observe.listening(Recorder()) as rec:
        x.mul_(2)
        x.data = engine.zeros(2)
    assert rec.events == [("version", 1), ("data",)]


def test_no_listener_no_events():
    rec = Recorder()
    observe.add_listener(rec)
    observe.remove_listener(rec)
    (engine.ones(2, requires_grad=True) * 2).sum().backward()
    assert rec.events == []
