"""What a program may name: functions, methods, attributes, values, builtins.

These tables are the whole of the sandbox's reach. The parser, the JSON
loader and the interpreter all consult them: nothing outside them is ever
looked up. Names beginning with an underscore are absent on purpose (only
``_version`` is readable), so no attribute chain can reach ``__class__``,
``__dict__`` or other machinery.
"""

# Ops offered both as ``torch.<name>(...)`` and as ``tensor.<name>(...)``.
SHARED_OPS = frozenset("""
    exp log sin cos tan tanh sigmoid relu sqrt rsqrt abs sign neg pow clamp maximum minimum
    max min argmax argmin sum mean prod var std norm softmax log_softmax logsumexp
    matmul mm bmm t transpose permute reshape flatten squeeze unsqueeze gather where
    add sub mul div square reciprocal exp2 log2 log10 log1p expm1 floor ceil round trunc
    eq ne lt le gt ge clone detach cumsum dot outer numel
""".split())

# torch.<name>(...): creation, grad mode, random seed, ops.
TORCH_FUNCTIONS = frozenset({
    ("tensor",), ("ones",), ("zeros",), ("full",), ("empty",), ("rand",), ("randn",),
    ("randint",), ("arange",), ("linspace",), ("eye",), ("ones_like",), ("zeros_like",),
    ("full_like",), ("empty_like",), ("rand_like",), ("randn_like",), ("manual_seed",),
    ("cat",), ("stack",), ("no_grad",), ("enable_grad",), ("set_grad_enabled",),
    ("is_grad_enabled",), ("is_tensor",), ("autograd", "grad"), ("autograd", "backward"),
    ("nn", "functional", "relu"), ("nn", "functional", "sigmoid"), ("nn", "functional", "tanh"),
    ("nn", "functional", "softmax"), ("nn", "functional", "log_softmax"),
    ("nn", "functional", "mse_loss"), ("nn", "functional", "cross_entropy"),
    ("nn", "functional", "linear"),
} | {(name,) for name in SHARED_OPS})

# Functions that switch grad mode: the only things a ``with`` may enter.
GRAD_MODE_FUNCTIONS = frozenset({("no_grad",), ("enable_grad",), ("set_grad_enabled",)})

# torch.<name> used as a value.
TORCH_VALUES = frozenset({
    ("float",), ("float32",), ("float64",), ("double",), ("long",), ("int64",), ("int",),
    ("int32",), ("bool",), ("half",), ("float16",),
})

TENSOR_METHODS = SHARED_OPS | frozenset("""
    add_ sub_ mul_ div_ pow_ zero_ fill_ copy_ clamp_ neg_ exp_ abs_ sqrt_ relu_ sigmoid_ tanh_
    backward detach_ requires_grad_ retain_grad register_hook register_post_accumulate_grad_hook
    item tolist size dim ndimension view view_as expand expand_as repeat reshape_as contiguous
    float double long int bool half to type is_floating_point element_size nelement
    masked_fill index_select allclose equal all any
""".split())

TENSOR_ATTRIBUTES = frozenset("""
    grad data grad_fn requires_grad is_leaf shape dtype _version retains_grad T mT ndim
    output_nr device is_cuda
""".split())

# Attributes that an assignment may set: ``x.grad = None``, ``x.data = ...``.
WRITABLE_TENSOR_ATTRIBUTES = frozenset({"grad", "data", "requires_grad"})

# On a grad_fn node.
FUNCTION_ATTRIBUTES = frozenset({"next_functions"})
FUNCTION_METHODS = frozenset({"name"})

# Other values a program can hold.
SIZE_METHODS = frozenset({"numel"})
HANDLE_METHODS = frozenset({"remove"})
DTYPE_ATTRIBUTES = frozenset({"is_floating_point", "itemsize"})

# Methods whose argument is a hook: the only place a ``lambda`` may appear.
HOOK_METHODS = frozenset({"register_hook", "register_post_accumulate_grad_hook"})

# Calls a hook body may not make: they would start a backward inside a backward.
FORBIDDEN_IN_HOOKS = frozenset({"backward", "register_hook", "register_post_accumulate_grad_hook",
                                "grad", "retain_grad", "requires_grad_"})

BUILTINS = frozenset({"print", "range", "len", "abs", "min", "max", "float", "int", "round", "bool"})
PRINT_KEYWORDS = frozenset({"sep", "end", "flush"})

# A name that would shadow the module or a builtin cannot be bound.
RESERVED_NAMES = BUILTINS | {"torch", "engine", "__future__"}

# Modules ``import`` accepts; each binds the engine (or the oracle) as ``torch``.
IMPORTABLE = frozenset({"torch", "engine"})
FUTURE_FEATURES = frozenset({"print_function", "division", "absolute_import", "unicode_literals",
                             "annotations", "generator_stop", "nested_scopes", "generators",
                             "with_statement"})


def is_torch_function(parts):
    """``parts`` without the leading "torch": ("autograd", "grad")."""
    return tuple(parts) in TORCH_FUNCTIONS


def is_known_attribute(name):
    return (name in TENSOR_ATTRIBUTES or name in FUNCTION_ATTRIBUTES
            or name in DTYPE_ATTRIBUTES)


def is_known_method(name):
    return (name in TENSOR_METHODS or name in FUNCTION_METHODS or name in SIZE_METHODS
            or name in HANDLE_METHODS)
