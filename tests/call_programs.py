"""Programs that make nodes inside calls: a Module with two children, a plain function."""

TWO_LAYER_CLASS = '''class TwoLayer(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(3, 4)
        self.fc2 = nn.Linear(4, 1)
    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x)))
'''

TWO_LAYER = ("import torch\nimport torch.nn as nn\n" + TWO_LAYER_CLASS
             + "torch.manual_seed(0)\nmodel = TwoLayer()\nx = torch.randn(5, 3)\n"
               "loss = model(x).pow(2).mean()\nloss.backward()\n")

# A function with a local and a Module, called one after the other (stepping into calls).
STEPPING = ("import torch\nimport torch.nn as nn\n\n\ndef square(t):\n    doubled = t * 2\n"
            "    return doubled * t\n\n\n" + TWO_LAYER_CLASS
            + "\n\ntorch.manual_seed(0)\nx = torch.ones(2, 3, requires_grad=True)\n"
              "y = square(x).sum()\nmodel = TwoLayer()\nout = model(x).sum()\nout.backward()\n")


def line_of(source, text):
    """The 1-based line of ``source`` that starts (after its indent) with ``text``."""
    return next(number for number, line in enumerate(source.split("\n"), 1)
                if line.strip().startswith(text))


SQUARE = '''import torch
def square(t):
    return t ** 2
a = torch.tensor([1.0, 2.0], requires_grad=True)
b = square(a).sum()
b.backward()
'''


def last_snapshot(source):
    import engine
    from explorer.program.parser import parse_program
    from explorer.program.runner import run_program
    return run_program(parse_program(source), engine).frames[-1].snapshot.materialize()
