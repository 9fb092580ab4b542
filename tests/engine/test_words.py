"""What a program prints and the errors it meets, compared with PyTorch word for
word: ``format`` of tensors, error texts, numbers at the edges (empty
reductions, NaN maxima, float16 accumulation), silence where PyTorch is silent
(no numpy warnings out of backward), and the node names a ``create_graph=True``
backward records.
"""
import warnings

import numpy as np
import pytest

import engine

torch = pytest.importorskip("torch")


def _outcome(fn, m):
    """``repr`` of the result or ``(error type, message)``, plus the warnings raised."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = fn(m)
            value = result if isinstance(result, str) else repr(result)
        except Exception as exc:  # noqa: BLE001 - the error is the outcome compared
            value = (type(exc).__name__, str(exc))
    return value, [str(w.message) for w in caught]


def _same(fn):
    ours, theirs = _outcome(fn, engine), _outcome(fn, torch)
    assert ours == theirs


# ---------------------------------------------------------------- format
FORMATS = {
    "float_0d": lambda m: f"{m.tensor(12.0)}",
    "float_0d_spec": lambda m: f"{m.tensor(12.0):.4f}",
    "float_0d_width": lambda m: f"{m.tensor(2.5):>8.2f}|",
    "float_0d_exponent": lambda m: f"{m.tensor(12345.678):e}",
    "int_0d": lambda m: f"{m.tensor(3)}",
    "int_0d_spec": lambda m: f"{m.tensor(3):d}",
    "int_0d_padded": lambda m: f"{m.tensor(7):03d}",
    "bool_0d": lambda m: f"{m.tensor(True)}",
    "loss_with_grad_fn": lambda m: f"{m.tensor(2.0, requires_grad=True) * 2}",
    "loss_with_grad_fn_spec": lambda m: f"loss {m.tensor(2.0, requires_grad=True) * 2:.3f}",
    "leaf_requiring_grad": lambda m: f"{m.tensor(1.5, requires_grad=True):.1f}",
    "float64_0d": lambda m: f"{m.tensor(0.1, dtype=m.float64)}",
    "vector": lambda m: f"{m.tensor([1.0, 2.0])}",
    "vector_with_spec": lambda m: f"{m.tensor([1.0, 2.0]):.4f}",
    "one_element_vector_with_spec": lambda m: f"{m.tensor([2.0]):.2f}",
    "matrix": lambda m: format(m.ones(2, 2), ""),
    "empty": lambda m: f"{m.ones(0)}",
    "format_builtin": lambda m: format(m.tensor(0.5), ".1%"),
    "str_format_method": lambda m: "{:.2f}".format(m.tensor(3.14159)),
    "item_format": lambda m: f"{m.tensor(3.14159).item():.2f}",
    "parameter_0d": lambda m: f"{m.nn.Parameter(m.tensor(2.0))}",
    "parameter_0d_with_spec": lambda m: f"{m.nn.Parameter(m.tensor(2.0)):.2f}",
}


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_format_matches_torch(name):
    _same(FORMATS[name])


# ----------------------------------------------------------- error texts
def _set_grad(value_fn):
    def fn(m):
        x = m.ones(2, requires_grad=True)
        x.grad = value_fn(m)
        return x.grad
    return fn


def _unused(m):
    x, y = m.ones(2, requires_grad=True), m.ones(2, requires_grad=True)
    return m.autograd.grad((x * 2).sum(), [x, y])


ERRORS = {
    "requires_grad_keyword_on_int": lambda m: m.tensor([1, 2], requires_grad=True),
    "requires_grad_on_int_ones": lambda m: m.ones(2, dtype=m.int64, requires_grad=True),
    "requires_grad_on_int_zeros": lambda m: m.zeros(2, dtype=m.int32, requires_grad=True),
    "requires_grad_on_arange": lambda m: m.arange(3, requires_grad=True),
    "requires_grad_on_full_int": lambda m: m.full((2,), 3, requires_grad=True),
    "requires_grad_on_bool": lambda m: m.tensor([True], requires_grad=True),
    "requires_grad_setter_on_int": lambda m: setattr(m.tensor([1, 2]), "requires_grad", True),
    "requires_grad_method_on_int": lambda m: m.tensor([1, 2]).requires_grad_(),
    "requires_grad_off_on_int": lambda m: m.tensor([1, 2]).requires_grad_(False),
    "backward_of_int_tensor": lambda m: m.tensor([1.0, 2.0]).long().sum().backward(),
    "backward_of_int_leaf": lambda m: m.tensor(3).backward(),
    "backward_without_grad": lambda m: m.ones(2).sum().backward(),
    "backward_of_vector": lambda m: m.ones(2, requires_grad=True).mul(2).backward(),
    "backward_of_vector_without_grad": lambda m: m.ones(2).backward(),
    "grad_of_int_output": lambda m: m.autograd.grad(m.tensor(3), [m.ones(1, requires_grad=True)]),
    "float_of_vector": lambda m: float(m.tensor([1.0, 2.0])),
    "int_of_matrix": lambda m: int(m.ones(2, 2)),
    "float_of_empty": lambda m: float(m.ones(0)),
    "complex_of_vector": lambda m: complex(m.ones(2)),
    "float_of_one_element": lambda m: float(m.tensor([[2.5]])),
    "int_of_one_element": lambda m: int(m.tensor([7.9])),
    "item_of_vector": lambda m: m.tensor([1.0, 2.0]).item(),
    "item_of_empty": lambda m: m.ones(0).item(),
    "bool_of_vector": lambda m: bool(m.ones(2)),
    "bool_of_empty": lambda m: bool(m.ones(0)),
    "index_with_vector": lambda m: [1, 2][m.tensor([0, 1])],
    "grad_of_wrong_dtype": _set_grad(lambda m: m.ones(2, dtype=m.float64)),
    "grad_of_int_dtype": _set_grad(lambda m: m.ones(2, dtype=m.int64)),
    "grad_of_wrong_shape": _set_grad(lambda m: m.ones(3)),
    "grad_of_wrong_type": _set_grad(lambda m: [1.0, 2.0]),
    "grad_unused_input": _unused,
    "grad_input_not_requiring_grad": lambda m: m.autograd.grad(
        (m.ones(2, requires_grad=True) * 2).sum(), [m.ones(2)]),
    "grad_of_vector_output": lambda m: (lambda x: m.autograd.grad(x * 2, [x]))(
        m.ones(2, requires_grad=True)),
    "backward_twice": lambda m: (lambda y: (y.backward(), y.backward()))(
        m.ones(2, requires_grad=True).exp().sum()),
    "add_shape_mismatch": lambda m: m.ones(3) + m.ones(4),
    "mul_shape_mismatch": lambda m: m.ones(2, 3) * m.ones(4, 3),
    "sub_shape_mismatch_trailing": lambda m: m.ones(2, 3) - m.ones(2, 4),
    "inplace_on_leaf": lambda m: m.ones(2, requires_grad=True).add_(1),
    "numpy_of_tensor_requiring_grad": lambda m: m.ones(2, requires_grad=True).numpy(),
    "len_of_0d": lambda m: len(m.tensor(1.0)),
    "grad_outputs_of_wrong_shape": lambda m: (lambda x: m.autograd.grad(x * 2, x, m.ones(3)))(
        m.ones(2, requires_grad=True)),
    "backward_gradient_of_wrong_shape": lambda m: (m.ones(2, requires_grad=True) * 2).backward(
        m.ones(3)),
    "grad_with_no_inputs": lambda m: m.autograd.grad((m.ones(2, requires_grad=True) * 2).sum(),
                                                     []),
    "grad_of_a_number": lambda m: m.autograd.grad((m.ones(2, requires_grad=True) * 2).sum(), [3]),
    "backward_with_no_inputs": lambda m: (m.ones(2, requires_grad=True) * 2).sum().backward(
        inputs=[]),
    "grad_of_unused_non_leaf": lambda m: (lambda x: m.autograd.grad((x * 2).sum(), [x, x * 3]))(
        m.ones(2, requires_grad=True)),
    "retain_grad_without_grad": lambda m: m.ones(2).retain_grad(),
    "hook_without_grad": lambda m: m.ones(2).register_hook(lambda g: g),
    "backward_of_detached": lambda m: (m.ones(2, requires_grad=True) * 2).detach().sum()
    .backward(),
    "matmul_shape_mismatch": lambda m: m.ones(2, 3) @ m.ones(2, 3),
    "view_of_wrong_size": lambda m: m.ones(2, 3).view(4),
    "index_out_of_range": lambda m: m.ones(3)[5],
    "dim_out_of_range": lambda m: m.ones(3).sum(2),
    "expand_to_smaller": lambda m: m.ones(2).expand(3),
    "expand_to_fewer_dims": lambda m: m.ones(2, 3).expand(3),
    "masked_fill_mask_of_wrong_shape": lambda m: m.ones(3).masked_fill(m.ones(4) > 0, 0.0),
    "add__of_wrong_shape": lambda m: m.ones(3).add_(m.ones(4)),
    "mul__of_wrong_shape_untracked": lambda m: m.ones(2, 3).mul_(m.ones(2, 1, 3)),
    "where_of_wrong_shapes": lambda m: m.where(m.ones(3) > 0, m.ones(3), m.ones(4)),
    "cat_of_wrong_shapes": lambda m: m.cat([m.ones(2, 3), m.ones(2, 4)]),
    "mm_of_wrong_shapes": lambda m: m.mm(m.ones(2, 3), m.ones(4, 2)),
}

LITERALS = {
    "ragged_rows": lambda m: m.tensor([[1, 2], [3]]),
    "ragged_longer_row": lambda m: m.tensor([[1, 2], [3, 4, 5]], dtype=m.float64),
    "ragged_deep": lambda m: m.tensor([[[1], [2]], [[3]]]),
    "list_where_number_expected_float": lambda m: m.tensor([1.0, [2]]),
    "list_where_number_expected_int": lambda m: m.tensor([1, [2]]),
    "number_where_list_expected": lambda m: m.tensor([[1, 2], 3]),
    "string": lambda m: m.tensor("a"),
    "string_in_list": lambda m: m.tensor([1, "a"]),
    "string_as_row": lambda m: m.tensor([["a"]]),
    "none": lambda m: m.tensor([None]),
    "empty_row_first": lambda m: m.tensor([[], [1]]),
    "empty_rows": lambda m: m.tensor([[], []]),
    "tuple_rows": lambda m: m.tensor([[1, 2], (3, 4)]),
}


@pytest.mark.parametrize("name", sorted(LITERALS))
def test_tensor_literals_match_torch(name):
    _same(LITERALS[name])


WARNINGS = {
    "std_of_one": lambda m: m.ones(1).std(),
    "var_of_nothing": lambda m: m.ones(0).var(),
    "var_along_a_dim_of_one": lambda m: m.ones(2, 1).var(1),
    "var_with_large_correction": lambda m: m.ones(3).var(correction=3),
    "std_biased_of_one": lambda m: m.ones(1).std(unbiased=False),
    "std_mean_of_one": lambda m: m.std_mean(m.ones(1)),
    "var_mean_of_one": lambda m: m.var_mean(m.ones(1)),
    "cube_root_of_negative": lambda m: m.tensor([-8.0]) ** (1 / 3),
    "zero_to_negative_power": lambda m: m.tensor([0.0, 2.0]) ** -1.0,
    "power_of_tensors": lambda m: m.tensor([-8.0]) ** m.tensor([0.5]),
    "number_to_tensor_power": lambda m: (-2.0) ** m.tensor([0.5]),
    "divide_by_zero_tensor": lambda m: m.ones(2) / m.zeros(2),
    "divide_by_zero_number": lambda m: m.ones(2) / 0,
    "reciprocal_of_zero": lambda m: m.zeros(2).reciprocal(),
    "exp_overflow": lambda m: m.tensor([1000.0]).exp(),
    "log_of_negative": lambda m: m.tensor([-1.0]).log(),
}


WARNINGS["grad_of_a_non_leaf"] = lambda m: (m.ones(2, requires_grad=True) * 2).grad
WARNINGS["T_of_3d"] = lambda m: m.ones(2, 3, 4).T.shape
WARNINGS["range"] = lambda m: m.range(0, 1, 0.1)
WARNINGS["range_float64"] = lambda m: m.range(1, 2, 0.5, dtype=m.float64)
WARNINGS["grad_variables"] = lambda m: m.autograd.backward(m.ones(1, requires_grad=True) * 2,
                                                           grad_variables=m.ones(1))


@pytest.mark.parametrize("name", sorted(WARNINGS))
def test_warnings_match_torch(name):
    """PyTorch's own warnings (degrees of freedom), and none of numpy's."""
    _same(WARNINGS[name])


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_error_texts_match_torch(name):
    _same(ERRORS[name])


# -------------------------------------------------------------- numbers
def _grad_of(make_input, fn):
    def run(m):
        x = make_input(m)
        fn(m, x).backward()
        return x.grad
    return run


NAN = float("nan")
NUMBERS = {
    "max_over_nan": _grad_of(lambda m: m.tensor([NAN, 1.0], requires_grad=True),
                             lambda m, x: x.max()),
    "min_over_nan": _grad_of(lambda m: m.tensor([2.0, NAN, 1.0], requires_grad=True),
                             lambda m, x: x.min()),
    "max_ties": _grad_of(lambda m: m.tensor([3.0, 1.0, 3.0], requires_grad=True),
                         lambda m, x: x.max()),
    "max_dim_over_nan": _grad_of(lambda m: m.tensor([1.0, NAN, 1.0], requires_grad=True),
                                 lambda m, x: x.max(0)[0]),
    "amax_over_nan": _grad_of(lambda m: m.tensor([NAN, 1.0, NAN], requires_grad=True),
                              lambda m, x: x.amax()),
    "relu_of_nan": _grad_of(lambda m: m.tensor([NAN, -1.0, 2.0], requires_grad=True),
                            lambda m, x: x.relu().sum()),
    "max_value_over_nan": lambda m: m.tensor([NAN, 1.0]).max(),
    "half_sum": lambda m: m.full((10000,), 0.1, dtype=m.float16).sum(),
    "half_sum_dim": lambda m: m.full((2, 5000), 0.1, dtype=m.float16).sum(1),
    "half_mean": lambda m: m.full((3, 5000), 0.1, dtype=m.float16).mean(1),
    "half_cumsum": lambda m: m.full((5000,), 0.1, dtype=m.float16).cumsum(0)[-1],
    "half_cumprod": lambda m: m.full((50,), 1.1, dtype=m.float16).cumprod(0)[-1],
    "softmax_empty": lambda m: m.softmax(m.ones(0), 0),
    "softmax_empty_rows": lambda m: m.softmax(m.ones(0, 3), 1),
    "log_softmax_empty_dim": lambda m: m.log_softmax(m.ones(2, 0), 1),
    "logsumexp_empty": lambda m: m.logsumexp(m.ones(0), 0),
    "logsumexp_empty_dim": lambda m: m.logsumexp(m.ones(2, 0), 1),
    "logsumexp_empty_other_dim": lambda m: m.logsumexp(m.ones(0, 2), 0),
    "argmax_empty": lambda m: m.ones(0).argmax(),
    "argmin_empty": lambda m: m.ones(0, 3).argmin(),
    "argmax_empty_dim": lambda m: m.ones(2, 0).argmax(1),
    "argmax_along_full_dim": lambda m: m.ones(0, 2).argmax(1),
    "max_empty": lambda m: m.ones(0).max(),
    "max_empty_dim": lambda m: m.ones(2, 0).max(1),
    "min_empty_dim": lambda m: m.ones(2, 0).min(-1),
    "amax_empty": lambda m: m.ones(0).amax(),
    "amax_empty_dim": lambda m: m.ones(2, 0).amax(1),
    "amin_empty_all": lambda m: m.ones(2, 0).amin(),
    "sum_empty": lambda m: m.ones(0).sum(),
    "mean_empty": lambda m: m.ones(0).mean(),
    "prod_empty": lambda m: m.ones(0).prod(),
    "unused_allowed": lambda m: (lambda x, y: m.autograd.grad((x * 2).sum(), [x, y],
                                                             allow_unused=True))(
        m.ones(2, requires_grad=True), m.ones(2, requires_grad=True)),
    "unused_materialized": lambda m: (lambda x, y: m.autograd.grad((x * 2).sum(), [x, y],
                                                                  materialize_grads=True))(
        m.ones(2, requires_grad=True), m.ones(2, requires_grad=True)),
}


@pytest.mark.parametrize("name", sorted(NUMBERS))
def test_numbers_match_torch(name):
    _same(NUMBERS[name])


SILENT = {
    "log_at_zero": lambda m, x: x.log().sum(),
    "sqrt_at_zero": lambda m, x: x.sqrt().sum(),
    "reciprocal_at_zero": lambda m, x: (1 / x).sum(),
    "pow_half_at_zero": lambda m, x: (x ** 0.5).sum(),
    "x_over_x": lambda m, x: (x / x).sum(),
    "norm_at_zero": lambda m, x: (x * 0).norm(),
    "rsqrt_at_zero": lambda m, x: x.rsqrt().sum(),
    "log_of_negative": lambda m, x: (x - 2).log().sum(),
}


@pytest.mark.parametrize("name", sorted(SILENT))
def test_backward_at_poles_is_silent_as_in_torch(name):
    """inf and nan gradients, no warning: pytest's filterwarnings=error would fail a leak."""
    fn = SILENT[name]
    _same(_grad_of(lambda m: m.tensor([0.0, 1.0], requires_grad=True), fn))


# ------------------------------------------------ second-order node names
def _graph(node, depth=4):
    if node is None or depth == 0:
        return None
    return (type(node).__name__, tuple(_graph(n, depth - 1) for n, _ in node.next_functions))


SECOND_ORDER = {
    "tanh": lambda x: x.tanh(),
    "sigmoid": lambda x: x.sigmoid(),
    "relu": lambda x: x.relu() * x,
    "exp": lambda x: x.exp(),
    "pow3": lambda x: x.pow(3),
    "square": lambda x: x ** 2,
    "sin": lambda x: x.sin(),
    "cos": lambda x: x.cos(),
    "log": lambda x: x.log(),
    "sqrt": lambda x: x.sqrt(),
    "product": lambda x: x * x,
    "reciprocal": lambda x: 1 / x,
    "quotient": lambda x: x / (x + 1),
    "tanh_twice": lambda x: x.tanh().tanh(),
    "sigmoid_times_x": lambda x: x.sigmoid() * x,
}


def _second_order(m, fn):
    x = m.tensor([0.5, 1.5], requires_grad=True, dtype=m.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # create_graph's reference-cycle warning
        fn(x).sum().backward(create_graph=True)
    first = x.grad
    (second,) = m.autograd.grad(first.sum(), x)
    return _graph(first.grad_fn), first.detach().numpy(), second.numpy()


@pytest.mark.parametrize("name", sorted(SECOND_ORDER))
def test_create_graph_records_torch_nodes(name):
    """``x.grad.grad_fn`` after ``backward(create_graph=True)``: CopyBackwards over PyTorch's
    nodes (TanhBackwardBackward0, ...), and the second derivative they give."""
    ours = _second_order(engine, SECOND_ORDER[name])
    theirs = _second_order(torch, SECOND_ORDER[name])
    assert ours[0] == theirs[0]
    np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-12)
    np.testing.assert_allclose(ours[2], theirs[2], rtol=1e-12)


# Compared at the top two levels: below, the engine sums broadcast gradients its own way.
SECOND_ORDER_TOP = {
    "softmax": lambda m, x: (m.softmax(x, 0) ** 2).sum(),
    "log_softmax": lambda m, x: (m.log_softmax(x, 0) ** 2).sum(),
    "mean": lambda m, x: x.mean() * x.sum(),
    "mean_dim": lambda m, x: (x.view(2, 1).mean(1) * x).sum(),
    "abs": lambda m, x: (x.abs() * x).sum(),
    "cross_entropy": lambda m, x: m.nn.functional.cross_entropy(x.view(1, 2), m.tensor([1])),
    "leaky_relu": lambda m, x: (m.nn.functional.leaky_relu(x, 0.1) ** 2).sum(),
    "leaky_relu_inplace": lambda m, x: (m.nn.functional.leaky_relu(x * 1, 0.1, inplace=True)
                                        ** 2).sum(),
    "gelu": lambda m, x: (m.nn.functional.gelu(x) ** 2).sum(),
    "gelu_tanh": lambda m, x: (m.nn.functional.gelu(x, approximate="tanh") ** 2).sum(),
    "mse_mean": lambda m, x: m.nn.functional.mse_loss(x * x, x.detach() * 0.3),
    "mse_sum": lambda m, x: m.nn.functional.mse_loss(x * x, x.detach() * 0.3, reduction="sum"),
    "mse_none": lambda m, x: m.nn.functional.mse_loss(x * x, x.detach() * 0.3,
                                                      reduction="none").sum(),
    "mse_target": lambda m, x: m.nn.functional.mse_loss(x.detach() * 0.3, x * x),
}


@pytest.mark.parametrize("name", sorted(SECOND_ORDER_TOP))
def test_gradient_of_gradient_records_torch_nodes(name):
    results = []
    for m in (engine, torch):
        x = m.tensor([0.5, -1.5], requires_grad=True, dtype=m.float64)
        (g,) = m.autograd.grad(SECOND_ORDER_TOP[name](m, x), x, create_graph=True)
        (gg,) = m.autograd.grad((g * g).sum(), x)
        results.append((_graph(g.grad_fn, 2), g.detach().numpy(), gg.numpy()))
    assert results[0][0] == results[1][0]
    np.testing.assert_allclose(results[0][1], results[1][1], rtol=1e-12)
    np.testing.assert_allclose(results[0][2], results[1][2], rtol=1e-12)


def test_autograd_grad_with_create_graph_has_no_copy():
    names = []
    for m in (engine, torch):
        x = m.tensor([0.5, 1.5], requires_grad=True)
        (g,) = m.autograd.grad(x.tanh().sum(), x, create_graph=True)
        names.append(_graph(g.grad_fn))
    assert names[0] == names[1]


def test_second_accumulation_under_create_graph_adds():
    names = []
    for m in (engine, torch):
        x = m.tensor([0.5, 1.5], requires_grad=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            x.tanh().sum().backward(create_graph=True)
            x.sigmoid().sum().backward(create_graph=True)
        names.append(_graph(x.grad.grad_fn, 2))
    assert names[0] == names[1]


DEVICES = {
    "accelerator_is_available": lambda m: m.accelerator.is_available(),
    "current_accelerator": lambda m: m.accelerator.current_accelerator(),
    "accelerator_device_count": lambda m: m.accelerator.device_count(),
    "accelerator_index_without_one": lambda m: m.accelerator.current_device_index(),
    "tutorial_device_line": lambda m: (m.accelerator.current_accelerator().type
                                       if m.accelerator.is_available() else "cpu"),
    "default_device": lambda m: m.get_default_device(),
}


@pytest.mark.parametrize("name", sorted(DEVICES))
def test_devices_match_torch_on_a_cpu_machine(name):
    if torch.accelerator.is_available():
        pytest.skip("PyTorch sees an accelerator here")
    _same(DEVICES[name])


def test_set_default_device_cpu_keeps_tensors_on_the_cpu():
    for m in (engine, torch):
        m.set_default_device("cpu")
        try:
            assert str(m.ones(2).device) == "cpu" and str(m.get_default_device()) == "cpu"
        finally:
            m.set_default_device(None)


def test_create_graph_warning_is_pytorchs():
    """PyTorch warns once per process, so its text is recorded here rather than provoked."""
    x = engine.ones(2, requires_grad=True)
    with pytest.warns(UserWarning) as caught:
        (x * x).sum().backward(create_graph=True)
    assert str(caught[0].message) == (
        "Using backward() with create_graph=True will create a reference cycle between the "
        "parameter and its gradient which can cause a memory leak. We recommend using "
        "autograd.grad when creating the graph to avoid this. If you have to use this function, "
        "make sure to reset the .grad fields of your parameters to None after use to break the "
        "cycle and avoid the leak. (Triggered internally at "
        "/__w/pytorch/pytorch/torch/csrc/autograd/engine.cpp:1307.)")
