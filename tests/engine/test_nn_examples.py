"""PyTorch's nn examples and its "Build the Neural Network" tutorial, run
unchanged on engine and on real PyTorch.

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


# The "Build the Neural Network" tutorial (buildmodel_tutorial.py), seeded; here every
# printed character agrees: seeded weights, tensors printed to four decimals.
BUILD_MODEL_TUTORIAL = '''
nn = torch.nn
torch.manual_seed(0)


class NeuralNetwork(nn.Module):
    def __init__(self):
        super().__init__()
        self.flatten = nn.Flatten()
        self.linear_relu_stack = nn.Sequential(
            nn.Linear(28*28, 512),
            nn.ReLU(),
            nn.Linear(512, 512),
            nn.ReLU(),
            nn.Linear(512, 10),
        )

    def forward(self, x):
        x = self.flatten(x)
        logits = self.linear_relu_stack(x)
        return logits


model = NeuralNetwork()
print(model)
X = torch.rand(1, 28, 28)
logits = model(X)
pred_probab = nn.Softmax(dim=1)(logits)
y_pred = pred_probab.argmax(1)
print(f"Predicted class: {y_pred}")
input_image = torch.rand(3,28,28)
print(input_image.size())
flatten = nn.Flatten()
flat_image = flatten(input_image)
print(flat_image.size())
layer1 = nn.Linear(in_features=28*28, out_features=20)
hidden1 = layer1(flat_image)
print(hidden1.size())
print(f"Before ReLU: {hidden1}\\n\\n")
hidden1 = nn.ReLU()(hidden1)
print(f"After ReLU: {hidden1}")
seq_modules = nn.Sequential(
    flatten,
    layer1,
    nn.ReLU(),
    nn.Linear(20, 10)
)
input_image = torch.rand(3,28,28)
logits = seq_modules(input_image)
softmax = nn.Softmax(dim=1)
pred_probab = softmax(logits)
print(pred_probab)
print(f"Model structure: {model}\\n\\n")
for name, param in model.named_parameters():
    print(f"Layer: {name} | Size: {param.size()} | Values : {param[:2]} \\n")
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


def test_build_model_tutorial_prints_exactly_what_torch_prints():
    ours = _printed(engine, BUILD_MODEL_TUTORIAL)
    torch = pytest.importorskip("torch")
    assert ours == _printed(torch, BUILD_MODEL_TUTORIAL)


def test_first_losses_agree_closely():
    """Before the drift: the first printed loss of each example to a relative 1e-6."""
    torch = pytest.importorskip("torch")
    for source in (TWO_LAYER_NET_NN, POLYNOMIAL_MODULE):
        first = [line for line in _printed(engine, source).splitlines() if line.startswith("99 ")]
        expected = [line for line in _printed(torch, source).splitlines()
                    if line.startswith("99 ")]
        assert float(first[0].split()[1]) == pytest.approx(float(expected[0].split()[1]), rel=1e-6)
