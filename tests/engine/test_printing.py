"""Tensor printing compared character for character with PyTorch's own repr."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")

from engine._printing import get_printoptions, set_printoptions, tensor_repr  # noqa: E402


def FakeNode(name):  # noqa: N802 - stands for a node class
    """A node whose class is called ``name``: printing names a grad_fn by its class, as
    PyTorch does (``name()`` can differ: ``torch::autograd::NotImplemented``)."""
    return type(name, (), {})()


class FakeDtype:
    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return "torch." + self.name


class FakeDevice:
    def __init__(self, type_, index=None):
        self.type = type_
        self.index = index

    def __str__(self):
        return self.type if self.index is None else f"{self.type}:{self.index}"


class FakeTensor:
    """The attributes the printer reads, as the engine's Tensor provides them."""

    def __init__(self, data, dtype_name, requires_grad=False, grad_fn=None, device=None):
        self._data = data
        self.dtype = FakeDtype(dtype_name)
        self.requires_grad = requires_grad
        self._grad_fn = grad_fn
        self.is_leaf = grad_fn is None
        self.device = device or FakeDevice("cpu")


class FakeDeviceArray:
    """A device array: it gives its values to numpy only through ``get()``."""

    def __init__(self, values):
        self._values = values

    def get(self):
        return self._values


def fake_from_torch(t):
    grad_fn = FakeNode(type(t.grad_fn).__name__) if t.grad_fn is not None else None
    return FakeTensor(
        t.detach().numpy().copy(), str(t.dtype).removeprefix("torch."), t.requires_grad, grad_fn
    )


def randn(*shape, seed, dtype=None):
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(*shape, generator=generator, dtype=dtype)


def leaf(values, **kwargs):
    return torch.tensor(values, requires_grad=True, **kwargs)


f64, f16, i32, i16, i8, u8 = torch.float64, torch.float16, torch.int32, torch.int16, torch.int8, torch.uint8

CASES = [
    # The tutorial's outputs.
    ("ones_requires_grad", lambda: torch.ones(2, 2, requires_grad=True)),
    ("mul_backward", lambda: leaf([-477.7843, 1004.3264, 89.0424]) * 1),
    ("sci_gradient", lambda: torch.tensor([51.2, 512.0, 0.0512])),
    ("mean_backward", lambda: leaf([1.0, 2.0, 3.0, 4.0, 5.0]).mean()),
    ("hundred_leaf", lambda: leaf([100.0])),
    ("add_backward", lambda: torch.ones(2, 2, requires_grad=True) + 2),
    ("mul_mul_backward", lambda: (torch.ones(2, 2, requires_grad=True) + 2) ** 2 * 3),
    ("tutorial_mean", lambda: ((torch.ones(2, 2, requires_grad=True) + 2) ** 2 * 3).mean()),
    ("grad_values", lambda: torch.full((2, 2), 4.5)),
    # Zero-dimensional.
    ("scalar_float", lambda: torch.tensor(3.0)),
    ("scalar_fraction", lambda: torch.tensor(3.14159265)),
    ("scalar_int", lambda: torch.tensor(7)),
    ("scalar_bool", lambda: torch.tensor(False)),
    ("scalar_f64", lambda: torch.tensor(2.5, dtype=f64)),
    ("scalar_tiny", lambda: torch.tensor(1e-9)),
    ("scalar_nan", lambda: torch.tensor(float("nan"))),
    ("scalar_zero_leaf", lambda: leaf(0.0)),
    # Empty.
    ("empty_1d", lambda: torch.tensor([])),
    ("empty_0x3", lambda: torch.zeros(0, 3)),
    ("empty_int", lambda: torch.zeros(0, dtype=torch.int64)),
    ("empty_bool_2x0", lambda: torch.zeros(2, 0, dtype=torch.bool)),
    ("empty_f64_3d", lambda: torch.zeros(1, 0, 2, dtype=f64)),
    ("empty_requires_grad", lambda: torch.zeros(0, 2, requires_grad=True)),
    # Integers and booleans.
    ("int_row", lambda: torch.tensor([1, 2, 3])),
    ("int_negative", lambda: torch.tensor([[-5, 10], [300, -4000]])),
    ("int_large", lambda: torch.tensor([2**62, -(2**40), 7])),
    ("int32", lambda: torch.tensor([1, -2, 3], dtype=i32)),
    ("int16", lambda: torch.tensor([[1, 2], [3, 4]], dtype=i16)),
    ("int8", lambda: torch.tensor([-128, 127], dtype=i8)),
    ("uint8", lambda: torch.tensor([0, 255, 17], dtype=u8)),
    ("int_arange_long", lambda: torch.arange(40)),
    ("bool_row", lambda: torch.tensor([True, False, True])),
    ("bool_all_true", lambda: torch.tensor([[True, True], [True, True]])),
    ("bool_long_row", lambda: torch.arange(30) % 3 == 0),
    # Other floating dtypes.
    ("f64_row", lambda: torch.tensor([1.5, -2.25, 3.0], dtype=f64)),
    ("f64_ints", lambda: torch.tensor([1.0, 2.0], dtype=f64)),
    ("f64_leaf", lambda: leaf([0.1, 0.2], dtype=f64)),
    ("f64_grad_fn", lambda: leaf([0.1, 0.2], dtype=f64) * 2),
    ("f16_row", lambda: torch.tensor([0.1, 1.5, -3.0], dtype=f16)),
    ("f16_sci", lambda: torch.tensor([60000.0, 0.001], dtype=f16)),
    # Non-finite values and negative zero.
    ("nan_inf", lambda: torch.tensor([float("nan"), float("inf"), -float("inf"), 1.0])),
    ("nan_inf_fraction", lambda: torch.tensor([float("nan"), float("inf"), 1.5])),
    ("nan_inf_sci", lambda: torch.tensor([float("nan"), -float("inf"), 1e-8, 1.0])),
    ("only_nonfinite", lambda: torch.tensor([float("nan"), float("inf")])),
    ("negative_zero", lambda: torch.tensor([-0.0, 0.0])),
    ("negative_zero_mixed", lambda: torch.tensor([-0.0, 1.0, 2.5])),
    ("all_zero_matrix", lambda: torch.zeros(2, 3)),
    # Magnitudes and notation.
    ("huge", lambda: torch.tensor([1e10, 2e10])),
    ("tiny", lambda: torch.tensor([1e-5, 3e-5])),
    ("ratio_over_1000", lambda: torch.tensor([1.0, 1001.0])),
    ("ratio_exactly_1000", lambda: torch.tensor([1.0, 1000.0])),
    ("just_under_1e8", lambda: torch.tensor([99999999.0], dtype=f64)),
    ("just_over_1e8", lambda: torch.tensor([100000001.0], dtype=f64)),
    ("min_1e-4", lambda: torch.tensor([1e-4, 2e-4], dtype=f64)),
    ("mixed_magnitudes", lambda: torch.tensor([[1e-3, 12.5], [-300.25, 0.0]])),
    ("extreme_range", lambda: torch.tensor([1e300, 1e-300], dtype=f64)),
    ("rounding_to_width", lambda: torch.tensor([9.99996, -0.00004, 0.5])),
    ("negatives_widen", lambda: torch.tensor([-1.5, 22.25, -333.125])),
    # Higher dimensions.
    ("matrix_2x3", lambda: torch.arange(6.0).reshape(2, 3)),
    ("cube_2x2x2", lambda: torch.arange(8.0).reshape(2, 2, 2)),
    ("cube_int", lambda: torch.arange(24).reshape(2, 3, 4)),
    ("four_d", lambda: torch.arange(16.0).reshape(2, 2, 2, 2) / 3),
    ("four_d_grad_fn", lambda: leaf(torch.ones(1, 2, 1, 3).tolist()) * 0.5),
    ("column", lambda: torch.tensor([[1.0], [2.0], [3.0]])),
    # Line wrapping.
    ("wrap_floats", lambda: torch.arange(30.0) / 7),
    ("wrap_ints", lambda: torch.arange(100, 160)),
    ("wrap_in_matrix", lambda: torch.arange(60.0).reshape(2, 30) / 3),
    ("wrap_suffix", lambda: leaf((torch.arange(9.0) * 1111.1).tolist(), dtype=f64)),
    ("wrap_suffix_grad_fn", lambda: leaf((torch.arange(11.0) / 3).tolist(), dtype=f64) * 1),
    ("wrap_dtype", lambda: torch.arange(1.0, 7.0, dtype=f64) * 1111.1),
    ("no_wrap_suffix", lambda: leaf([1.0, 2.0], dtype=f64) + 1),
    # Summarized tensors.
    ("summarized_1d", lambda: torch.arange(2000.0)),
    ("summarized_int", lambda: torch.arange(1001)),
    ("summarized_matrix", lambda: torch.arange(40000.0).reshape(200, 200)),
    ("summarized_3d", lambda: torch.arange(3000).reshape(10, 15, 20)),
    ("summarized_narrow", lambda: torch.arange(2002.0).reshape(1001, 2) / 10),
    ("summarized_randn", lambda: randn(50, 50, seed=5)),
    ("summarized_bool", lambda: torch.arange(1500) % 2 == 1),
    ("not_summarized_at_threshold", lambda: torch.arange(1000)),
    # Random normal values.
    ("randn_seed0", lambda: randn(3, 4, seed=0)),
    ("randn_seed1", lambda: randn(4, 3, seed=1)),
    ("randn_seed2", lambda: randn(5, 5, seed=2)),
    ("randn_seed3_3d", lambda: randn(2, 3, 4, seed=3)),
    ("randn_seed4_f64", lambda: randn(3, 3, seed=4, dtype=f64)),
    ("randn_seed6_scaled", lambda: randn(4, 4, seed=6) * 1e5),
    ("randn_seed7_small", lambda: randn(2, 6, seed=7) * 1e-3),
    ("randn_seed8_row", lambda: randn(25, seed=8)),
    ("randn_seed9_leaf", lambda: randn(2, 2, seed=9).requires_grad_()),
]


@pytest.mark.parametrize("build", [case[1] for case in CASES], ids=[case[0] for case in CASES])
def test_repr_matches_torch(build):
    t = build()
    assert tensor_repr(fake_from_torch(t)) == repr(t)


@pytest.fixture
def restore_options():
    yield
    torch.set_printoptions(profile="default")
    set_printoptions(profile="default")


OPTION_CASES = [
    ("precision_2", {"precision": 2}, lambda: torch.tensor([1.12345, -2.5])),
    ("precision_8", {"precision": 8}, lambda: torch.tensor([1.123456789, 2.0], dtype=f64)),
    ("precision_0", {"precision": 0}, lambda: torch.tensor([1.5, 2.25])),
    ("precision_6_sci", {"precision": 6}, lambda: torch.tensor([1e-6, 1.0])),
    ("threshold_5", {"threshold": 5}, lambda: torch.arange(10)),
    ("threshold_5_matrix", {"threshold": 5}, lambda: torch.arange(64.0).reshape(8, 8)),
    ("edgeitems_1", {"threshold": 5, "edgeitems": 1}, lambda: torch.arange(100.0).reshape(10, 10)),
    ("edgeitems_0", {"threshold": 5, "edgeitems": 0}, lambda: torch.arange(10.0)),
    ("edgeitems_0_matrix", {"threshold": 5, "edgeitems": 0}, lambda: torch.ones(4, 4)),
    ("edgeitems_0_small", {"edgeitems": 0}, lambda: torch.ones(2, 2)),
    ("linewidth_40", {"linewidth": 40}, lambda: torch.arange(20.0) / 3),
    ("linewidth_10", {"linewidth": 10}, lambda: leaf([1.0, 2.0, 3.0])),
    ("sci_mode_on", {"sci_mode": True}, lambda: torch.tensor([1.0, 2.5])),
    ("sci_mode_off", {"sci_mode": False}, lambda: torch.tensor([1e-8, 1e8])),
    ("sci_mode_on_zeros", {"sci_mode": True}, lambda: torch.zeros(3)),
    ("profile_short", {"profile": "short"}, lambda: torch.arange(2000.0) / 3),
    ("profile_full", {"profile": "full"}, lambda: torch.arange(1200)),
]


@pytest.mark.parametrize(
    ("options", "build"), [case[1:] for case in OPTION_CASES], ids=[case[0] for case in OPTION_CASES]
)
def test_repr_with_options_matches_torch(restore_options, options, build):
    torch.set_printoptions(**options)
    set_printoptions(**options)
    t = build()
    assert tensor_repr(fake_from_torch(t)) == repr(t)


@pytest.mark.parametrize(
    "calls",
    [
        [{"precision": 6}],
        [{"profile": "short"}],
        [{"profile": "full", "linewidth": 120}],
        [{"sci_mode": True}, {"precision": 3}],
        [{"profile": "short"}, {"profile": "default"}],
    ],
)
def test_get_printoptions_matches_torch(restore_options, calls):
    for kwargs in calls:
        torch.set_printoptions(**kwargs)
        set_printoptions(**kwargs)
    assert get_printoptions() == torch._tensor_str.get_printoptions()


CUDA_VALUES = "tensor([1., 2.], device='cuda:0'"

DEVICE_CASES = [
    ("cuda_plain", {}, CUDA_VALUES + ")"),
    ("cuda_requires_grad", {"requires_grad": True}, CUDA_VALUES + ", requires_grad=True)"),
    ("cuda_grad_fn", {"grad_fn": FakeNode("AddBackward0")}, CUDA_VALUES + ", grad_fn=<AddBackward0>)"),
]


@pytest.mark.parametrize(
    ("kwargs", "expected"), [case[1:] for case in DEVICE_CASES], ids=[case[0] for case in DEVICE_CASES]
)
def test_device_suffix(kwargs, expected):
    data = FakeDeviceArray(np.array([1.0, 2.0], dtype=np.float32))
    t = FakeTensor(data, "float32", device=FakeDevice("cuda", 0), **kwargs)
    assert tensor_repr(t) == expected


def test_device_suffix_comes_before_dtype():
    data = FakeDeviceArray(np.array([[1, 2]], dtype=np.int32))
    t = FakeTensor(data, "int32", device=FakeDevice("cuda", 1))
    assert tensor_repr(t) == "tensor([[1, 2]], device='cuda:1', dtype=torch.int32)"


def test_tensor_contents_replaces_values():
    t = fake_from_torch(leaf([1.0, 2.0], dtype=f64))
    assert tensor_repr(t, tensor_contents="...") == "tensor(..., dtype=torch.float64, requires_grad=True)"
