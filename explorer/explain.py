"""PyTorch's error and warning texts explained, with the usual fix, in English and Chinese.

``explain(text)`` finds the entry whose pattern occurs in an engine message (the
engine's texts are PyTorch's, so this also reads real PyTorch errors) and
returns an ``Explanation``; the interface shows PyTorch's text verbatim and this
explanation beside it. No Qt here.

Table grammar: one ``_entry(kind, pattern, en=(explanation, fix), zh=(explanation,
fix))`` per kind; ``pattern`` is a regular expression searched in the message;
the first entry that matches wins, so narrower patterns come first.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

LANGUAGES = ("en", "zh")


@dataclass(frozen=True)
class Explanation:
    kind: str
    explanation: dict    # {language: text}
    fix: dict            # {language: text}

    def text(self, language: str = "en") -> str:
        """Explanation and fix in one paragraph pair, in ``language`` (English when missing)."""
        language = language.split("-")[0]
        label = FIX_LABEL.get(language, FIX_LABEL["en"])
        explanation = self.explanation.get(language, self.explanation["en"])
        fix = self.fix.get(language, self.fix["en"])
        return f"{explanation}\n{label}{fix}"


FIX_LABEL = {"en": "Fix: ", "zh": "解决办法："}


@dataclass(frozen=True)
class _Entry:
    kind: str
    pattern: re.Pattern
    explanation: Explanation


def _entry(kind, pattern, en, zh):
    return _Entry(kind, re.compile(pattern), Explanation(kind, {"en": en[0], "zh": zh[0]},
                                                          {"en": en[1], "zh": zh[1]}))


ENTRIES = (
    # ------------------------------------------------------------ the graph's life
    _entry(
        "freed", r"backward through the graph a second time",
        ("backward() frees the values the graph saved (here: the tensors its Functions kept "
         "for computing gradients) once it is done, so a second backward through the same graph "
         "finds them gone.",
         "pass retain_graph=True to the first backward() if you need to go through the graph "
         "again, or rebuild the graph by recomputing the forward pass."),
        ("backward() 结束后会释放计算图保存的中间值（各个 Function 为求梯度而保存的张量），"
         "所以第二次沿同一张图反向传播时，这些值已经不在了。",
         "如果需要再次反向传播，在第一次调用 backward() 时传入 retain_graph=True；"
         "或者重新执行前向计算，构建一张新图。")),
    _entry(
        "version", r"modified by an inplace operation",
        ("A tensor that a Function saved for backward was changed in place afterwards. Every "
         "in-place op raises the tensor's _version; backward compares it with the version saved "
         "and refuses to compute a gradient from the wrong values.",
         "do the in-place change before the tensor is used, use an out-of-place op "
         "(x = x * 10 instead of x.mul_(10)), or clone() the tensor first."),
        ("某个 Function 为反向传播保存的张量，之后被原地修改了。每次原地操作都会增加张量的 "
         "_version；反向传播时发现版本号与保存时不同，就拒绝用错误的数值计算梯度。",
         "把原地修改放到使用该张量之前，改用非原地操作（x = x * 10 而不是 x.mul_(10)），"
         "或先 clone() 一份。")),
    _entry(
        "leaf_inplace", r"leaf Variable that requires grad is being used in an in-place",
        ("A leaf that requires grad is a parameter autograd is tracking; changing it in place "
         "would rewrite the start of the graph, so PyTorch forbids it.",
         "update it inside torch.no_grad() (as optimizers do), or change x.data if you really "
         "mean to edit the value behind autograd's back."),
        ("需要梯度的叶子张量是 autograd 正在追踪的参数；原地修改它会改写计算图的起点，"
         "所以 PyTorch 禁止这样做。",
         "在 torch.no_grad() 中更新它（优化器就是这样做的）；如果确实想绕过 autograd "
         "修改数值，可以修改 x.data。")),
    _entry(
        "requires_grad_nonleaf", r"can only change requires_grad flags of leaf variables",
        ("Only leaves (tensors you made yourself) have a requires_grad flag you may set; a "
         "computed tensor requires grad because its inputs do.",
         "use y.detach() to get a tensor outside the graph, or set requires_grad on the leaf "
         "the value came from."),
        ("只有叶子张量（你自己创建的张量）的 requires_grad 可以手动设置；计算得到的张量是否需要"
         "梯度，取决于它的输入。",
         "用 y.detach() 得到一个脱离计算图的张量，或者在它来源的叶子张量上设置 requires_grad。")),
    _entry(
        "float_only", r"(?i:only) Tensors of floating point (and complex )?dtype can require gradients",
        ("Gradients are only defined for floating-point (and complex) tensors; an integer tensor "
         "cannot require grad.",
         "make it a float tensor, e.g. torch.tensor([1.0, 2.0], requires_grad=True) or "
         "x.float().requires_grad_()."),
        ("只有浮点（和复数）张量才有梯度；整数张量不能 requires_grad。",
         "改成浮点张量，例如 torch.tensor([1.0, 2.0], requires_grad=True) 或 "
         "x.float().requires_grad_()。")),
    # ------------------------------------------------------------ starting backward
    _entry(
        "non_scalar_backward", r"grad can be implicitly created only for (real )?scalar outputs",
        ("backward() without an argument starts from the gradient 1, which only makes sense for "
         "a single number. For a tensor with several elements autograd computes a "
         "vector–Jacobian product vᵀJ, and you must say what v is.",
         "reduce to a scalar first (y.sum().backward()), or pass v: y.backward(v) with v the "
         "same shape as y."),
        ("不带参数的 backward() 以梯度 1 作为起点，这只对单个数有意义。对多元素张量，autograd "
         "计算的是向量–雅可比积 vᵀJ，必须给出 v。",
         "先化为标量（y.sum().backward()），或者传入 v：y.backward(v)，v 的形状与 y 相同。")),
    _entry(
        "grad_output_shape", r"Mismatch in shape: grad_output",
        ("The v given to backward(v) (or grad_outputs) must have the shape of the tensor backward "
         "starts from: it holds one weight per element.",
         "make v the same shape as the output, e.g. torch.ones_like(y)."),
        ("传给 backward(v)（或 grad_outputs）的 v 必须与起点张量形状相同：每个元素对应一个权重。",
         "让 v 与输出形状一致，例如 torch.ones_like(y)。")),
    _entry(
        "no_grad_fn", r"does not require grad and does not have a grad_fn",
        ("backward() was called on a tensor outside any graph: nothing it came from requires "
         "grad, or it was made under no_grad or by detach().",
         "set requires_grad=True on the leaves first, and compute the tensor outside "
         "torch.no_grad()."),
        ("对一个不在任何计算图中的张量调用了 backward()：它的来源都不需要梯度，或者它是在 "
         "no_grad 中、或由 detach() 得到的。",
         "先在叶子张量上设置 requires_grad=True，并在 torch.no_grad() 之外计算它。")),
    _entry(
        "unused_input", r"appears to not have been used in the graph",
        ("autograd.grad was asked for the gradient with respect to a tensor the output does not "
         "depend on.",
         "pass the tensor the output was computed from, or allow_unused=True to get None."),
        ("autograd.grad 被要求对一个与输出无关的张量求梯度。",
         "传入输出真正依赖的张量，或设置 allow_unused=True 得到 None。")),
    _entry(
        "input_not_requiring_grad", r"One of the differentiated Tensors does not require grad",
        ("autograd.grad can only differentiate with respect to tensors that require grad.",
         "set requires_grad=True on that input before computing the output."),
        ("autograd.grad 只能对需要梯度的张量求导。",
         "在计算输出之前，为该输入设置 requires_grad=True。")),
    _entry(
        "retain_grad_no_grad", r"can't retain_grad on Tensor that has requires_grad=False",
        ("retain_grad() keeps a gradient, but this tensor is not part of any graph.",
         "make it depend on a tensor that requires grad, or drop the retain_grad() call."),
        ("retain_grad() 用来保留梯度，但这个张量不在任何计算图中。",
         "让它依赖于需要梯度的张量，或去掉 retain_grad()。")),
    _entry(
        "hook_no_grad", r"cannot register a hook on a tensor that doesn't require gradient",
        ("A hook runs when a gradient passes through the tensor; this one never receives one.",
         "register the hook on a tensor that requires grad."),
        ("钩子在梯度经过张量时运行；这个张量永远不会收到梯度。",
         "在需要梯度的张量上注册钩子。")),
    # ------------------------------------------------------------ shapes
    _entry(
        "matmul_shapes", r"shapes cannot be multiplied|size mismatch, got|both arguments to matmul"
                         r"|must be a matrix|1D tensors expected",
        ("Matrix product (a @ b) needs the inner sizes to agree: (n×k) @ (k×m). Here they do not.",
         "check the shapes; transpose one operand (b.T) or reshape it so the inner sizes match."),
        ("矩阵乘法 (a @ b) 要求内侧维度一致：(n×k) @ (k×m)。这里不一致。",
         "检查形状；转置其中一个操作数（b.T）或调整形状，使内侧维度相同。")),
    _entry(
        "shape_mismatch", r"must match the size of tensor b|doesn't match the broadcast shape",
        ("Elementwise ops need shapes that broadcast: compared from the right, each pair of sizes "
         "must be equal or one of them 1.",
         "check both shapes; reshape or unsqueeze one operand so the sizes line up."),
        ("逐元素运算要求形状可以广播：从右往左比较，每对维度要么相等，要么其中一个为 1。",
         "检查两个形状；对其中一个操作数做 reshape 或 unsqueeze，使维度对齐。")),
    _entry(
        "view_shape", r"is invalid for input of size",
        ("view/reshape must keep the number of elements: the new shape's sizes multiply to a "
         "different count.",
         "choose sizes whose product is the tensor's numel(), or use -1 for one of them."),
        ("view/reshape 不能改变元素个数：新形状各维相乘的结果与原来不同。",
         "选择乘积等于 numel() 的尺寸，或者把其中一维写成 -1。")),
    _entry(
        "dimension_range", r"Dimension out of range",
        ("The dim argument names a dimension the tensor does not have.",
         "use a dim between -ndim and ndim - 1."),
        ("dim 参数指定了张量不存在的维度。",
         "使用 -ndim 到 ndim - 1 之间的 dim。")),
    # ------------------------------------------------------------ values out of the graph
    _entry(
        "item_many", r"cannot be converted to Scalar",
        ("item() returns one Python number, so the tensor must hold exactly one element.",
         "reduce it first (x.sum().item()) or use x.tolist()."),
        ("item() 返回一个 Python 数，所以张量必须恰好只有一个元素。",
         "先做归约（x.sum().item()），或使用 x.tolist()。")),
    _entry(
        "numpy_requires_grad", r"Can't call numpy\(\) on Tensor that requires grad",
        ("A numpy array cannot carry the graph, so PyTorch will not hand out a tracked tensor's "
         "values silently.",
         "call x.detach().numpy()."),
        ("numpy 数组无法携带计算图，所以 PyTorch 不会悄悄交出被追踪张量的数值。",
         "调用 x.detach().numpy()。")),
    _entry(
        "ambiguous_bool", r"Boolean value of Tensor with more than one value is ambiguous",
        ("if/while needs one truth value, but the tensor holds several.",
         "use .any(), .all(), or compare a single element or a norm."),
        ("if/while 需要一个真值，但张量包含多个元素。",
         "使用 .any()、.all()，或比较单个元素或范数。")),
    # ------------------------------------------------------------ warnings
    _entry(
        "nonleaf_grad", r"\.grad attribute of a Tensor that is not a leaf Tensor is being accessed",
        ("Only leaves get a .grad after backward(); for an intermediate result .grad stays None.",
         "call y.retain_grad() before backward() if you want its gradient, or read the leaf's "
         ".grad instead."),
        ("反向传播后只有叶子张量才会得到 .grad；中间结果的 .grad 仍然是 None。",
         "如果需要中间结果的梯度，在 backward() 之前调用 y.retain_grad()；否则读取叶子张量的 "
         ".grad。")),
    _entry(
        "create_graph_cycle", r"backward\(\) with create_graph=True will create a reference cycle",
        ("With create_graph=True the new .grad is itself part of a graph that refers back to the "
         "parameter, which keeps memory alive.",
         "prefer torch.autograd.grad(..., create_graph=True), or set .grad to None after use."),
        ("使用 create_graph=True 时，新的 .grad 本身属于一张指回参数的计算图，会导致内存无法释放。",
         "优先使用 torch.autograd.grad(..., create_graph=True)，或用完后把 .grad 设为 None。")),
)

KINDS = tuple(entry.kind for entry in ENTRIES)


def explain(text: str) -> Explanation | None:
    """The explanation of an engine (or PyTorch) error or warning text, or None if unknown."""
    if not text:
        return None
    for entry in ENTRIES:
        if entry.pattern.search(text):
            return entry.explanation
    return None
