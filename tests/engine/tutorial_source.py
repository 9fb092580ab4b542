"""The code cells of the autograd tutorial (section 2.2) and the output it shows.

Cells run in order in one namespace with ``torch`` bound to the library under
test. Where the tutorial draws random numbers that a later output depends on,
the tensor is built from values that print as the tutorial shows: the
``while`` cell's ``x`` is the printed ``y`` divided by 2**9, which prints as the
tutorial's ``x`` and doubles exactly to its ``y``.
"""

CELLS = [
    ("x = torch.randn(3,3,requires_grad=True)\n"
     "print(x.grad_fn)\n",
     "None\n"),
    ("x = torch.ones(2, 2, requires_grad=True)\n"
     "print(x)\n",
     "tensor([[1., 1.],\n        [1., 1.]], requires_grad=True)\n"),
    ("y = x**2\n"
     "print(y)\n",
     "tensor([[1., 1.],\n        [1., 1.]], grad_fn=<PowBackward0>)\n"),
    ("print(y.grad_fn)\n",
     "<PowBackward0 object at 0x...>\n"),
    ("z = y * y * 3\n"
     "out = z.mean()\n"
     "\n"
     "print(z, out)\n",
     "tensor([[3., 3.],\n        [3., 3.]], grad_fn=<MulBackward0>) tensor(3., grad_fn=<MeanBackward0>)\n"),
    ("a = torch.randn(2, 2) # 缺失情况下默认 requires_grad = False\n"
     "a = ((a * 3) / (a - 1))\n"
     "print(a.requires_grad)\n"
     "a.requires_grad_(True)\n"
     "print(a.requires_grad)\n"
     "b = (a * a).sum()\n"
     "print(b.grad_fn)\n",
     "False\nTrue\n<SumBackward0 object at 0x...>\n"),
    ("out.backward()\n",
     ""),
    ("print(x.grad)\n",
     "tensor([[3., 3.],\n        [3., 3.]])\n"),
    ("# 再来反向传播⼀一次，注意grad是累加的\n"
     "out2 = x.sum()\n"
     "out2.backward()\n"
     "print(x.grad)\n"
     "\n"
     "out3 = x.sum()\n"
     "x.grad.data.zero_()\n"
     "out3.backward()\n"
     "print(x.grad)\n",
     "tensor([[4., 4.],\n        [4., 4.]])\ntensor([[1., 1.],\n        [1., 1.]])\n"),
    ("x = torch.tensor([-477.7843, 1004.3264, 89.0424]) / 512\n"
     "x.requires_grad_(True)\n"
     "print(x)\n"
     "\n"
     "y = x * 2\n"
     "i = 0\n"
     "while y.data.norm() < 1000:\n"
     "    y = y * 2\n"
     "    i = i + 1\n"
     "print(y)\n"
     "print(i)\n",
     "tensor([-0.9332,  1.9616,  0.1739], requires_grad=True)\n"
     "tensor([-477.7843, 1004.3264,   89.0424], grad_fn=<MulBackward0>)\n8\n"),
    ("v = torch.tensor([0.1, 1.0, 0.0001], dtype=torch.float)\n"
     "y.backward(v)\n"
     "\n"
     "print(x.grad)\n",
     "tensor([5.1200e+01, 5.1200e+02, 5.1200e-02])\n"),
    ("print(x.requires_grad)\n"
     "print((x ** 2).requires_grad)\n"
     "\n"
     "with torch.no_grad():\n"
     "    print((x ** 2).requires_grad)\n",
     "True\nTrue\nFalse\n"),
    ("x = torch.ones(1,requires_grad=True)\n"
     "\n"
     "print(x.data) # 还是一个tensor\n"
     "print(x.data.requires_grad) # 但是已经是独立于计算图之外\n"
     "\n"
     "y = 2 * x\n"
     "x.data *= 100 # 只改变了值，不会记录在计算图，所以不会影响梯度传播\n"
     "\n"
     "y.backward()\n"
     "print(x) # 更改data的值也会影响tensor的值 \n"
     "print(x.grad)\n",
     "tensor([1.])\nFalse\ntensor([100.], requires_grad=True)\ntensor([2.])\n"),
]
