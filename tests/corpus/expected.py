"""Which corpus programs engine runs exactly as PyTorch does, and why the others do not.

``MATCHING`` only grows: tests/test_corpus_engine.py fails when one of these
stops matching. Every other program is in ``DIFFERING`` with what engine lacks
or does differently, first difference first.
"""

MATCHING = frozenset({
    "d2l_autograd",
    "tutorials_autogradqs",
    "tutorials_blitz_autograd_2019",
})

DIFFERING = {
    "d2l_linear_regression_scratch": "float32 rounding: w's error prints -9.0837e-05, PyTorch -9.0599e-05",
    "jcjohnson_dynamic_net": "float32 rounding: loss at step 2 is 646.9300537109375, PyTorch 646.9299926757812",
    "jcjohnson_two_layer_net_autograd": "float32 rounding of mm/sum: loss at step 3 is 19520376.0, PyTorch 19520372.0",
    "jcjohnson_two_layer_net_custom_function": "float32 rounding of mm/sum: loss at step 3 is 19520376.0, PyTorch 19520372.0",
    "jcjohnson_two_layer_net_module": "float32 rounding: loss at step 1 differs in the last digits",
    "jcjohnson_two_layer_net_nn": "float32 rounding: loss at step 5 differs in the last digits",
    "jcjohnson_two_layer_net_optim": "float32 rounding: loss at step 2 differs in the last digits",
    "jcjohnson_two_layer_net_tensor": "float32 rounding of mm/sum: loss at step 3 is 19520376.0, PyTorch 19520372.0",
    "tutorials_autograd_saved_tensors_hooks": "saved_tensors_hooks: 'SavedTensor' object has no attribute 'requires_grad'",
    "tutorials_autogradyt": "float32 rounding: sin/cos of linspace prints 5.9605e-08 where PyTorch prints -3.5763e-07",
    "tutorials_custom_function_double_backward": "gradcheck calls Function.apply with extra arguments: Square.forward() takes 2 positional arguments but 4 were given",
    "tutorials_dynamic_net": "TypeError: 'numpy.float32' object does not support item assignment",
    "tutorials_polynomial_autograd": "torch.accelerator missing",
    "tutorials_polynomial_autograd_2023": "torch.set_default_device missing",
    "tutorials_polynomial_custom_function": "float32 rounding: loss at step 399 differs in the last digits",
    "tutorials_polynomial_module": "float32 rounding: loss at step 299 differs in the last digits",
    "tutorials_polynomial_nn": "float32 rounding: loss at step 99 differs in the last digits",
    "tutorials_polynomial_optim": "float32 rounding: loss at step 99 differs in the last digits",
    "tutorials_polynomial_tensor": "float32 rounding: loss at step 99 differs in the last digits",
    "tutorials_two_layer_net_custom_function": "float32 rounding of mm/sum: loss at step 3 is 19520376.0, PyTorch 19520372.0",
    "tutorials_two_layer_net_optim_v03": "size_average warning is located at the program's line; PyTorch's at torch/nn/modules/loss.py",
}
