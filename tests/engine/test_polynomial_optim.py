"""PyTorch's ``polynomial_optim.py`` tutorial (nn + RMSprop, 2,000 steps) runs unchanged.

The tutorial draws its initial weights unseeded; a ``manual_seed(0)`` line in
front makes both libraries start from the same weights. The printed losses
then agree to a few significant digits, not to the last one: the weight
gradient is a length-2,000 dot product that numpy's BLAS sums in another order
than PyTorch's MKL, and RMSprop's ``grad / sqrt(mean square)`` carries the
difference of the last bit forward. (The optimiser itself is exact: given the
same gradients it takes PyTorch's steps bit for bit, see test_optim.py.)
"""
import contextlib
import io
import re

import pytest

import engine

SCRIPT = """
import math

torch.manual_seed(0)

# Create Tensors to hold input and outputs.
x = torch.linspace(-math.pi, math.pi, 2000)
y = torch.sin(x)

# Prepare the input tensor (x, x^2, x^3).
p = torch.tensor([1, 2, 3])
xx = x.unsqueeze(-1).pow(p)

# Use the nn package to define our model and loss function.
model = torch.nn.Sequential(
    torch.nn.Linear(3, 1),
    torch.nn.Flatten(0, 1)
)
loss_fn = torch.nn.MSELoss(reduction='sum')

# Use the optim package to define an Optimizer that will update the weights of
# the model for us. Here we will use RMSprop; the optim package contains many other
# optimization algorithms. The first argument to the RMSprop constructor tells the
# optimizer which Tensors it should update.
learning_rate = 1e-3
optimizer = torch.optim.RMSprop(model.parameters(), lr=learning_rate)
for t in range(2000):
    # Forward pass: compute predicted y by passing x to the model.
    y_pred = model(xx)

    # Compute and print loss.
    loss = loss_fn(y_pred, y)
    if t % 100 == 99:
        print(t, loss.item())

    # Before the backward pass, use the optimizer object to zero all of the
    # gradients for the variables it will update (which are the learnable
    # weights of the model).
    optimizer.zero_grad()

    # Backward pass: compute gradient of the loss with respect to model
    # parameters
    loss.backward()

    # Calling the step function on an Optimizer makes an update to its
    # parameters
    optimizer.step()


linear_layer = model[0]
print(f'Result: y = {linear_layer.bias.item()} + {linear_layer.weight[:, 0].item()} x + '
      f'{linear_layer.weight[:, 1].item()} x^2 + {linear_layer.weight[:, 2].item()} x^3')
"""

NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")


# What PyTorch 2.13 (CPU, MKL) prints for SCRIPT.
PYTORCH_PRINTS = """\
99 24804.931640625
199 10978.6953125
299 4139.97705078125
399 1194.407958984375
499 327.3491516113281
599 189.40597534179688
699 161.31332397460938
799 136.10533142089844
899 107.1453628540039
999 76.05807495117188
1099 47.96385192871094
1199 27.239681243896484
1299 15.168375015258789
1399 10.132220268249512
1499 8.92844295501709
1599 8.819429397583008
1699 8.824065208435059
1799 8.825063705444336
1899 8.851303100585938
1999 8.935208320617676
""" + ("Result: y = 3.1972486880249562e-09 + 0.8573270440101624 x + "
       "-1.537604887857924e-08 x^2 + -0.09273074567317963 x^3\n")


def run(library, script=SCRIPT):
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        exec(compile(script, "<polynomial_optim>", "exec"), {"torch": library})  # noqa: S102
    return buffer.getvalue().splitlines()


def test_tutorial_runs_and_fits_the_sine():
    lines = run(engine)
    assert [line.split()[0] for line in lines[:-1]] == [str(t) for t in range(99, 2000, 100)]
    assert float(lines[-2].split()[1]) < 10
    assert lines[-1].startswith("Result: y = ")


def test_tutorial_prints_what_pytorch_prints_to_a_few_digits():
    ours = run(engine)
    theirs = PYTORCH_PRINTS.splitlines()
    assert len(ours) == len(theirs)
    for mine, expected in zip(ours[:-1], theirs[:-1]):
        step, loss = mine.split()
        their_step, their_loss = expected.split()
        assert step == their_step
        assert float(loss) == pytest.approx(float(their_loss), rel=5e-3)
    assert NUMBER.sub("#", ours[-1]) == NUMBER.sub("#", theirs[-1])
    coefficients = [float(n) for n in NUMBER.findall(ours[-1])]
    expected = [float(n) for n in NUMBER.findall(theirs[-1])]
    # Near the optimum RMSprop's steps stay about lr = 1e-3 long however small the gradient,
    # so the last bit of a gradient sum decides their sign: each coefficient wanders within
    # a step or two of PyTorch's.
    assert coefficients == pytest.approx(expected, abs=2e-3)


def test_pytorch_still_prints_what_is_recorded_here():
    """Only the first lines: later ones depend on the BLAS PyTorch was built with."""
    torch = pytest.importorskip("torch")
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # a loop of tiny ops runs faster on one thread
    try:
        theirs = run(torch, SCRIPT.replace("range(2000)", "range(300)"))
    finally:
        torch.set_num_threads(threads)
    assert theirs[:3] == PYTORCH_PRINTS.splitlines()[:3]
