"""The code cells of the autograd tutorial (section 2.2) and the output each prints.

Cells that draw random numbers are kept as written for the round-trip tests
(``RANDOM_CELLS``); the runnable sequence (``CELLS``) builds those tensors from
the values the tutorial printed instead, so every output can be compared. The
``while`` cell's ``x`` is the printed ``y`` divided by 2**9: it prints as the
tutorial's ``x`` and doubles exactly to its ``y``. ``CELLS`` binds no names
itself (no ``import torch``): the library under test is given as ``torch``.
"""

RANDOM_CELLS = [
    """from __future__ import print_function
import torch
x = torch.randn(3,3,requires_grad=True)
print(x.grad_fn)
""",
    """a = torch.randn(2, 2) # 缺失情况下默认 requires_grad = False
a = ((a * 3) / (a - 1))
print(a.requires_grad)
a.requires_grad_(True)
print(a.requires_grad)
b = (a * a).sum()
print(b.grad_fn)
""",
    """x = torch.randn(3, requires_grad=True)
print(x)

y = x * 2
i = 0
while y.data.norm() < 1000:
    y = y * 2
    i = i + 1
print(y)
print(i)
""",
]

# (source, expected output) in tutorial order. Object addresses are masked as 0x...
CELLS = [
    ("""x = torch.randn(3,3,requires_grad=True)
print(x.grad_fn)
""", "None\n"),
    ("""x = torch.ones(2, 2, requires_grad=True)
print(x)
""", "tensor([[1., 1.],\n        [1., 1.]], requires_grad=True)\n"),
    ("""y = x**2
print(y)
""", "tensor([[1., 1.],\n        [1., 1.]], grad_fn=<PowBackward0>)\n"),
    ("""print(y.grad_fn)
""", "<PowBackward0 object at 0x...>\n"),
    ("""z = y * y * 3
out = z.mean()

print(z, out)
""", "tensor([[3., 3.],\n        [3., 3.]], grad_fn=<MulBackward0>) tensor(3., grad_fn=<MeanBackward0>)\n"),
    ("""a = torch.tensor([[0.5, -1.25], [2.0, 0.75]]) # 缺失情况下默认 requires_grad = False
a = ((a * 3) / (a - 1))
print(a.requires_grad)
a.requires_grad_(True)
print(a.requires_grad)
b = (a * a).sum()
print(b.grad_fn)
""", "False\nTrue\n<SumBackward0 object at 0x...>\n"),
    ("""out.backward()
""", ""),
    ("""print(x.grad)
""", "tensor([[3., 3.],\n        [3., 3.]])\n"),
    ("""# 再来反向传播⼀一次，注意grad是累加的
out2 = x.sum()
out2.backward()
print(x.grad)

out3 = x.sum()
x.grad.data.zero_()
out3.backward()
print(x.grad)
""", "tensor([[4., 4.],\n        [4., 4.]])\ntensor([[1., 1.],\n        [1., 1.]])\n"),
    ("""x = torch.tensor([-477.7843, 1004.3264, 89.0424]) / 512
x.requires_grad_(True)
print(x)

y = x * 2
i = 0
while y.data.norm() < 1000:
    y = y * 2
    i = i + 1
print(y)
print(i)
""", "tensor([-0.9332,  1.9616,  0.1739], requires_grad=True)\n"
     "tensor([-477.7843, 1004.3264,   89.0424], grad_fn=<MulBackward0>)\n8\n"),
    ("""v = torch.tensor([0.1, 1.0, 0.0001], dtype=torch.float)
y.backward(v)

print(x.grad)
""", "tensor([5.1200e+01, 5.1200e+02, 5.1200e-02])\n"),
    ("""print(x.requires_grad)
print((x ** 2).requires_grad)

with torch.no_grad():
    print((x ** 2).requires_grad)
""", "True\nTrue\nFalse\n"),
    ("""x = torch.ones(1,requires_grad=True)

print(x.data) # 还是一个tensor
print(x.data.requires_grad) # 但是已经是独立于计算图之外

y = 2 * x
x.data *= 100 # 只改变了值，不会记录在计算图，所以不会影响梯度传播

y.backward()
print(x) # 更改data的值也会影响tensor的值
print(x.grad)
""", "tensor([1.])\nFalse\ntensor([100.], requires_grad=True)\ntensor([2.])\n"),
]

FULL_SOURCE = "".join(source for source, _ in CELLS)
FULL_OUTPUT = "".join(output for _, output in CELLS)
