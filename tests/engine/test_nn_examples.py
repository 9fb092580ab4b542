"""PyTorch's nn examples, run unchanged on engine and on real PyTorch.

``two_layer_net_nn.py`` (a Sequential of Linear, ReLU, Linear, a summed
MSELoss and a hand-written SGD step under ``no_grad``; its layers a tenth as
wide, to keep the test quick) and
``polynomial_module.py`` (a Module subclass holding four 0-d Parameters) print
their losses every 100 steps. The printed lines must agree word for word; the
numbers in them to a relative 1e-3: the weights start bit for bit equal, but
float32 sums accumulate in a different order in numpy and in PyTorch, so the
last digits drift over hundreds of steps.
"""
import contextlib
import functools
import io
import math

import pytest

import engine

TWO_LAYER_NET_NN = '''
torch.manual_seed(0)
N, D_in, H, D_out = 64, 100, 50, 10
x = torch.randn(N, D_in)
y = torch.randn(N, D_out)
model = torch.nn.Sequential(
    torch.nn.Linear(D_in, H),
    torch.nn.ReLU(),
    torch.nn.Linear(H, D_out),
)
print(model)
loss_fn = torch.nn.MSELoss(reduction='sum')
learning_rate = 1e-4
for t in range(500):
    y_pred = model(x)
    loss = loss_fn(y_pred, y)
    if t % 100 == 99:
        print(t, loss.item())
    model.zero_grad()
    loss.backward()
    with torch.no_grad():
        for param in model.parameters():
            param -= learning_rate * param.grad
print(y_pred.grad_fn, loss.grad_fn)
'''

POLYNOMIAL_MODULE = '''
class Polynomial3(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.a = torch.nn.Parameter(torch.randn(()))
        self.b = torch.nn.Parameter(torch.randn(()))
        self.c = torch.nn.Parameter(torch.randn(()))
        self.d = torch.nn.Parameter(torch.randn(()))

    def forward(self, x):
        return self.a + self.b * x + self.c * x ** 2 + self.d * x ** 3

    def string(self):
        return f'y = {self.a.item()} + {self.b.item()} x + {self.c.item()} x^2 + {self.d.item()} x^3'


torch.manual_seed(0)
x = torch.linspace(-math.pi, math.pi, 2000)
y = torch.sin(x)
model = Polynomial3()
print(model)
print([name for name, _ in model.named_parameters()])
criterion = torch.nn.MSELoss(reduction='sum')
for t in range(2000):
    y_pred = model(x)
    loss = criterion(y_pred, y)
    if t % 100 == 99:
        print(t, loss.item())
    model.zero_grad()
    loss.backward()
    with torch.no_grad():
        for param in model.parameters():
            param -= 1e-6 * param.grad
print(f'Result: {model.string()}')
'''


@functools.lru_cache(maxsize=None)
def _printed(library, source):
    out = io.StringIO()
    threads = library.get_num_threads() if library is not engine else None
    if threads is not None:
        library.set_num_threads(1)  # small matrices: threads only contend for the cores
    try:
        with contextlib.redirect_stdout(out):
            exec(source, {"torch": library, "math": math})  # noqa: S102 - the example's code
    finally:
        if threads is not None:
            library.set_num_threads(threads)
    return out.getvalue()


def _words(text):
    """Words, with numbers as floats; object addresses dropped."""
    words = []
    for word in text.replace("(", " ( ").split():
        if word.startswith("0x"):
            continue
        try:
            words.append(float(word))
        except ValueError:
            words.append(word)
    return words


def _same_output(ours, theirs):
    ours, theirs = _words(ours), _words(theirs)
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        if isinstance(b, float):
            assert a == pytest.approx(b, rel=1e-3), (a, b)
        else:
            assert a == b


@pytest.mark.parametrize("source", [TWO_LAYER_NET_NN, POLYNOMIAL_MODULE],
                         ids=["two_layer_net_nn", "polynomial_module"])
def test_example_prints_what_torch_prints(source):
    ours = _printed(engine, source)
    torch = pytest.importorskip("torch")
    _same_output(ours, _printed(torch, source))


def test_first_losses_agree_closely():
    """Before the drift: the first printed loss of each example to a relative 1e-6."""
    torch = pytest.importorskip("torch")
    for source in (TWO_LAYER_NET_NN, POLYNOMIAL_MODULE):
        first = [line for line in _printed(engine, source).splitlines() if line.startswith("99 ")]
        expected = [line for line in _printed(torch, source).splitlines()
                    if line.startswith("99 ")]
        assert float(first[0].split()[1]) == pytest.approx(float(expected[0].split()[1]), rel=1e-6)
