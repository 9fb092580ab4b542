"""What each Function node computes backward, as a short formula for the inspector.

``g`` is the gradient arriving from the node's output; the right-hand sides are
the gradients it sends to its inputs, in next_functions order.
"""

FORMULAS = {
    "AccumulateGrad": "x.grad += g",
    "AddBackward0": "g, g  (summed over broadcast dims)",
    "AddBackward1": "g",
    "SubBackward0": "g, -g",
    "SubBackward1": "g",
    "RsubBackward1": "-g",
    "MulBackward0": "g * other, g * self",
    "DivBackward0": "g / other, -g * self / other²",
    "PowBackward0": "g * exponent * self^(exponent - 1)",
    "PowBackward1": "g * exponent * self^(exponent - 1), g * result * log(self)",
    "NegBackward0": "-g",
    "ExpBackward0": "g * result",
    "LogBackward0": "g / self",
    "SinBackward0": "g * cos(self)",
    "CosBackward0": "-g * sin(self)",
    "TanhBackward0": "g * (1 - result²)",
    "SigmoidBackward0": "g * result * (1 - result)",
    "ReluBackward0": "g * (result > 0)",
    "SqrtBackward0": "g / (2 * result)",
    "SumBackward0": "g expanded to self's shape",
    "SumBackward1": "g expanded along the summed dims",
    "MeanBackward0": "g expanded to self's shape / numel",
    "MeanBackward1": "g expanded along the reduced dims / their size",
    "NormBackward1": "g * self / result",
    "MmBackward0": "g @ mat2ᵀ, selfᵀ @ g",
    "MmBackward1": "g @ mat2ᵀ, selfᵀ @ g",
    "MvBackward0": "outer(g, vec), selfᵀ @ g",
    "DotBackward0": "g * other, g * self",
    "TBackward0": "gᵀ",
    "TransposeBackward0": "g transposed back",
    "ViewBackward0": "g reshaped to self's shape",
    "ReshapeAliasBackward0": "g reshaped to self's shape",
    "UnsqueezeBackward0": "g squeezed",
    "SqueezeBackward0": "g unsqueezed",
    "CloneBackward0": "g",
    "MaxBackward1": "g at the argmax, 0 elsewhere",
}


def formula_for(name: str) -> str:
    return FORMULAS.get(name, "")
