"""PyTorch's broadcasting check, with its error text."""


def check_broadcast(a_shape, b_shape):
    """Raise PyTorch's error when two shapes do not broadcast."""
    if b_shape == a_shape[len(a_shape) - len(b_shape):]:
        return  # a bias-like operand: the trailing dims of the other (the common case)
    for i in range(1, min(len(a_shape), len(b_shape)) + 1):
        x, y = a_shape[-i], b_shape[-i]
        if x != y and x != 1 and y != 1:
            raise RuntimeError(
                f"The size of tensor a ({x}) must match the size of tensor b ({y}) at "
                f"non-singleton dimension {max(len(a_shape), len(b_shape)) - i}")
