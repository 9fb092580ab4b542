"""The engine's op table (``engine.ops.table``) as the app reads it.

The engine states each op once, where the op is defined: its category, the
rule its result's shape follows, its operand count and whether a first lesson
uses it. The sandbox's names (``whitelist``), the size checks made before an
op runs (``sizecheck``) and the palette's op blocks (``palette_ops``) are all
read from here, so an op added to the engine reaches each of them without
being listed again.
"""
from engine.ops.table import FUNCTIONS, METHODS, OPS


def names_of(info):
    """Every name an op is spelled by: ``torch.<name>``, ``tensor.<name>``, aliases."""
    return ({info.name} | set(info.methods)
            | {name for name, function in FUNCTIONS.items() if function is info.function})


def function_names():
    """The names ``engine`` exports ops under (``torch.mul``, ``torch.multiply``)."""
    return frozenset(FUNCTIONS)


def method_names():
    """Tensor methods the op table gives: the ops' own, operators' and in-place variants
    (``x.mul(y)``, ``x.mul_(y)``); Python's protocol methods (``__mul__``) are not names."""
    return frozenset({name for info in OPS.values() for name in info.methods}
                     | {name for name in METHODS if not name.startswith("_")})


def names_with_shape(rule):
    """Every name (aliases and in-place variants too) of the ops whose result follows
    shape ``rule`` ("broadcast", "matmul", "outer", "sizes")."""
    names = set()
    for info in OPS.values():
        if info.shape == rule:
            spelled = names_of(info)
            names |= spelled | {name + "_" for name in spelled if name + "_" in METHODS}
    return frozenset(names)


def basic_ops():
    """The rows of the ops a first lesson uses, in the table's order."""
    return [info for info in OPS.values() if info.basic]
