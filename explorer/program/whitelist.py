"""What a program may name: functions, methods, attributes, values, builtins.

These tables are the whole of the block model's reach: the parser, the JSON
loader and the runner consult them, and a statement that names anything else
is kept as Python text (a code block). Names beginning with an underscore are
absent on purpose (only ``_version`` is readable), so no attribute chain can
reach ``__class__``, ``__dict__`` or other machinery.

Ops are not listed here: every op in the engine's op table is offered as
``torch.<name>(...)`` and as ``tensor.<name>(...)`` (``optable``). What is
listed is what a program names besides ops, each of it present in the engine
(``tests/program/test_op_table.py``).
"""
from . import optable

# torch.<name>(...) besides the ops: grad mode, random seed, the functional API tutorials use.
TORCH_FUNCTIONS = frozenset({
    ("manual_seed",), ("no_grad",), ("enable_grad",), ("set_grad_enabled",),
    ("is_grad_enabled",), ("is_tensor",), ("numel",), ("autograd", "grad"), ("autograd", "backward"),
    ("nn", "functional", "relu"), ("nn", "functional", "sigmoid"), ("nn", "functional", "tanh"),
    ("nn", "functional", "softmax"), ("nn", "functional", "log_softmax"),
    ("nn", "functional", "mse_loss"), ("nn", "functional", "cross_entropy"),
    ("nn", "functional", "linear"),
} | {(name,) for name in optable.function_names()})

# Functions that switch grad mode: the only things a ``with`` may enter.
GRAD_MODE_FUNCTIONS = frozenset({("no_grad",), ("enable_grad",), ("set_grad_enabled",)})

# torch.<name> used as a value.
TORCH_VALUES = frozenset({
    ("float",), ("float32",), ("float64",), ("double",), ("long",), ("int64",), ("int",),
    ("int32",), ("bool",), ("half",), ("float16",),
})

# tensor.<name>(...) besides the ops' own methods: autograd, hooks, sizes, conversions.
TENSOR_METHODS = optable.method_names() | frozenset("""
    backward detach detach_ requires_grad_ retain_grad register_hook register_post_accumulate_grad_hook
    item tolist size dim ndimension numel nelement element_size is_floating_point type
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
