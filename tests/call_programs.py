"""Programs that make nodes inside calls: a Module with two children, a plain function."""

TWO_LAYER = '''import torch
import torch.nn as nn
class TwoLayer(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(3, 4)
        self.fc2 = nn.Linear(4, 1)
    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x)))
torch.manual_seed(0)
model = TwoLayer()
x = torch.randn(5, 3)
loss = model(x).pow(2).mean()
loss.backward()
'''

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
