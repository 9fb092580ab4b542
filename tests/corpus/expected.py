"""Which corpus programs engine runs exactly as PyTorch does, and why the others do not.

``MATCHING`` only grows: tests/test_corpus_engine.py fails when one of these
stops matching. Every other program is in ``DIFFERING`` with what engine lacks
or does differently (the first difference; later ones may hide behind it).
``python -m tests.corpus.report`` shows where each run departs from PyTorch's;
``python -m tests.corpus.report --ratchet`` moves programs that match now into
``MATCHING``.
"""

MATCHING = frozenset({
    "d2l_autograd",
    "docs_autograd_notes_division_by_zero",
    "docs_autograd_notes_hooks",
    "docs_autograd_notes_multithreaded",
    "docs_autograd_notes_saved_tensors",
    "docs_enable_grad",
    "docs_extending_linear_function",
    "docs_extending_linear_module",
    "docs_extending_mul_constant_my_cube",
    "docs_functionctx_mark_dirty",
    "docs_functionctx_save_for_backward",
    "docs_functionctx_set_materialize_grads",
    "docs_hessian",
    "docs_hvp",
    "docs_inference_mode",
    "docs_jacobian",
    "docs_jvp",
    "docs_no_grad",
    "docs_node_name",
    "docs_node_register_hook",
    "docs_node_register_prehook",
    "docs_register_multi_grad_hook",
    "docs_saved_tensors_hooks",
    "docs_set_grad_enabled",
    "docs_tensor_is_leaf",
    "docs_tensor_register_hook",
    "docs_tensor_register_post_accumulate_grad_hook",
    "docs_tensor_requires_grad_",
    "docs_vhp",
    "docs_vjp",
    "tutorials_autograd_saved_tensors_hooks",
    "tutorials_autogradqs",
    "tutorials_autogradyt",
    "tutorials_blitz_autograd_2017",
    "tutorials_blitz_autograd_2019",
    "tutorials_custom_function_double_backward",
    "tutorials_former_torchies_autograd",
    "tutorials_polynomial_autograd",
    "tutorials_understanding_leaf_vs_nonleaf",
})

DIFFERING = {
    "d2l_linear_regression_scratch":
        'float32 rounding only (ROUND): `matmul`/`sum`: the final w error prints -9.0837e-05, '
        'PyTorch -9.0599e-05 (the epoch losses agree)',
    "examples_regression":
        '`torch.nn.functional.smooth_l1_loss` missing (then PyTorch stops at param.add_(...) on a '
        'leaf: RuntimeError: a leaf Variable that requires grad is being used in an in-place '
        'operation.)',
    "jcjohnson_dynamic_net":
        'float32 rounding only (ROUND): `mm` (BLAS order): loss at step 2 is 646.9300537109375, '
        'PyTorch 646.9299926757812',
    "jcjohnson_two_layer_net_autograd":
        "float32 rounding only (ROUND): `mm` rounds differently from PyTorch's BLAS (about 500 of "
        'the 640 entries of a 64x100 @ 100x10 product differ in the last bit): loss at step 3 is '
        '19520376.0, PyTorch 19520372.0',
    "jcjohnson_two_layer_net_custom_function":
        "float32 rounding only (ROUND): `mm` rounds differently from PyTorch's BLAS (about 500 of "
        'the 640 entries of a 64x100 @ 100x10 product differ in the last bit): loss at step 3 is '
        '19520376.0, PyTorch 19520372.0',
    "jcjohnson_two_layer_net_module":
        'float32 rounding only (ROUND): `mm`/`addmm` in nn.Linear: loss at step 1 is '
        '584.959228515625, PyTorch 584.9592895507812',
    "jcjohnson_two_layer_net_nn":
        'float32 rounding only (ROUND): `mm`/`addmm` in nn.Linear: loss at step 5 is '
        '454.6265563964844, PyTorch 454.62652587890625',
    "jcjohnson_two_layer_net_optim":
        'float32 rounding only (ROUND): `mm`/`addmm` in nn.Linear (then Adam): loss at step 2 is '
        '597.0960693359375, PyTorch 597.0961303710938',
    "jcjohnson_two_layer_net_tensor":
        "float32 rounding only (ROUND): `mm` rounds differently from PyTorch's BLAS (about 500 of "
        'the 640 entries of a 64x100 @ 100x10 product differ in the last bit): loss at step 3 is '
        '19520376.0, PyTorch 19520372.0',
    "tutorials_blitz_neural_networks":
        '`torch.nn.Conv2d` missing (then F.max_pool2d)',
    "tutorials_buildmodel":
        '`torch.utils.data` missing (`from torch.utils.data import DataLoader`, imported though '
        'unused)',
    "tutorials_dynamic_net":
        'float32 rounding only (ROUND): `sin` (256 of the 2000 values of sin(linspace(-pi, pi, '
        "2000)) differ by an ulp from PyTorch's vectorised sin) and the summation order of a "
        '2000-element float32 `sum` (sum(sin(x)) is -6.103515625e-05, PyTorch '
        '3.7159770727157593e-06); loss at step 3999 is 1098.596923828125, PyTorch 1098.59716796875',
    "tutorials_forward_ad_usage":
        '`torch.autograd.forward_ad` missing (dual_level, make_dual, unpack_dual; then '
        "torch.func.functional_call and a Function's jvp)",
    "tutorials_optimization":
        '`torch.utils.data` missing (DataLoader, TensorDataset)',
    "tutorials_polynomial_autograd_2023":
        'float32 rounding only (ROUND): `sin` (256 of the 2000 values of sin(linspace(-pi, pi, '
        "2000)) differ by an ulp from PyTorch's vectorised sin) and the summation order of a "
        '2000-element float32 `sum` (sum(sin(x)) is -6.103515625e-05, PyTorch '
        '3.7159770727157593e-06); loss at step 99 is 3238.30029296875, PyTorch 3238.300537109375',
    "tutorials_polynomial_custom_function":
        'float32 rounding only (ROUND): `sin` (256 of the 2000 values of sin(linspace(-pi, pi, '
        "2000)) differ by an ulp from PyTorch's vectorised sin) and the summation order of a "
        '2000-element float32 `sum` (sum(sin(x)) is -6.103515625e-05, PyTorch '
        '3.7159770727157593e-06); loss at step 499 is 50.97850799560547, PyTorch 50.978511810302734',
    "tutorials_polynomial_module":
        'float32 rounding only (ROUND): `sin` (256 of the 2000 values of sin(linspace(-pi, pi, '
        "2000)) differ by an ulp from PyTorch's vectorised sin) and the summation order of a "
        '2000-element float32 `sum` (sum(sin(x)) is -6.103515625e-05, PyTorch '
        '3.7159770727157593e-06); loss at step 299 is 1559.936279296875, PyTorch 1559.9361572265625',
    "tutorials_polynomial_nn":
        'float32 rounding only (ROUND): `sin` (256 of the 2000 values of sin(linspace(-pi, pi, '
        "2000)) differ by an ulp from PyTorch's vectorised sin) and the summation order of a "
        '2000-element float32 `sum` (sum(sin(x)) is -6.103515625e-05, PyTorch '
        '3.7159770727157593e-06); loss at step 99 is 582.6502685546875, PyTorch 582.650390625',
    "tutorials_polynomial_optim":
        'float32 rounding only (ROUND): `sin` (256 of the 2000 values of sin(linspace(-pi, pi, '
        "2000)) differ by an ulp from PyTorch's vectorised sin) and the summation order of a "
        '2000-element float32 `sum` (sum(sin(x)) is -6.103515625e-05, PyTorch '
        '3.7159770727157593e-06); loss at step 99 is 582.6502685546875, PyTorch 582.650390625',
    "tutorials_polynomial_tensor":
        'float32 rounding only (ROUND): `sin` (256 of the 2000 values of sin(linspace(-pi, pi, '
        "2000)) differ by an ulp from PyTorch's vectorised sin) and the summation order of a "
        '2000-element float32 `sum` (sum(sin(x)) is -6.103515625e-05, PyTorch '
        '3.7159770727157593e-06); loss at step 99 is 3238.30029296875, PyTorch 3238.300537109375',
    "tutorials_two_layer_net_custom_function":
        "float32 rounding only (ROUND): `mm` rounds differently from PyTorch's BLAS (about 500 of "
        'the 640 entries of a 64x100 @ 100x10 product differ in the last bit): loss at step 3 is '
        '19520376.0, PyTorch 19520372.0',
    "tutorials_two_layer_net_optim_v03":
        "MSELoss(size_average=False)'s UserWarning is located at the program's line; PyTorch's "
        "stacklevel lands in its own torch/nn/modules/loss.py (compared as '<library>: UserWarning:"
        " ...' without a source line), so engine's warning should point into engine's own loss "
        'module; after it, loss.data[0] raises the same IndexError',
    "tutorials_visualizing_gradients":
        '`torch.nn.BatchNorm1d` missing (then module forward hooks that register tensor hooks, SGD '
        'momentum)',
}
