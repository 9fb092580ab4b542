"""Hostile programs: each is refused by the parser or stopped on its step, quickly.

Every attempt below is parsed and run on the engine in an empty working
directory under a short time limit. It must end with a ``ProgramSyntaxError``
or a run whose status is ``error`` or ``limit`` and whose message is one line;
never a crash, a hang, a file, or the marker text (spelled ``'own' + 'ed'`` in
the programs, so it appears only if an attempt got through). Network attempts
are imports of modules a program cannot have: no real traffic is tried.

| category | attempts |
|---|---|
| attribute-chain escapes | 26 |
| str.format and f-string attribute access | 10 |
| format-spec and % sizes | 21 |
| getattr, setattr, hasattr, dir, delattr | 15 |
| type() with three arguments | 5 |
| class tricks | 19 |
| decorators returning machinery | 8 |
| super() tricks | 13 |
| imports of what is not offered | 44 |
| engine internals | 20 |
| numpy escapes | 22 |
| functools, itertools, copy and collections | 23 |
| closures and generator frames | 9 |
| recursion depth | 13 |
| endless loops and generators | 19 |
| size bombs before allocation | 53 |
| values repeated by reference (work in C) | 21 |
| __index__ counts and C feedback loops | 26 |
| constructors and engine functions called from C | 21 |
| memory accumulation | 6 |
| repr of self-referencing and huge values | 12 |
| exceptions | 26 |
| callbacks after the run | 4 |
| threading and processes | 9 |
| __name__ tricks | 9 |
| global and nonlocal abuse | 6 |
| walrus in comprehensions | 5 |
| star-unpacking bombs | 9 |
| **total** | 474 |
"""
import os
import time

import pytest

from explorer.program.errors import ProgramSyntaxError
from explorer.program.limits import Limits
from explorer.program.parser import parse_program
from explorer.program.runner import run_program

MARKER = "own" + "ed"
# Lower than a run's defaults so that endless iterables reach a limit in a blink.
BUDGET = Limits(max_seconds=2, max_iterations=2000, max_sequence_length=10 ** 5,
                max_memory_bytes=256 * 2 ** 20)
# Filling memory takes time on a busy machine: the memory limit, not the clock, must end these.
MEMORY_BUDGET = Limits(max_seconds=8, max_iterations=2000, max_memory_bytes=256 * 2 ** 20)
SLOWEST = 4.0  # seconds: a case past this hung (the time limit is 2 s)

# A count whose __index__ is huge, and one that answers a check and the op differently.
BIG = "class Big:\n    def __index__(self):\n        return 10**10\n"
FLIP = ("class Flip:\n    n = 0\n    def __index__(self):\n        Flip.n += 1\n"
        "        return 1 if Flip.n == 1 else 10**10\n")

# Holds values out of the recorder's sight (it shows a Box as one short line).
BOX = "class Box:\n    pass\n"

CASES = {
    "attribute-chain escapes": [
        "x = ().__class__.__bases__[0].__subclasses__()",
        "x = [].__class__.__mro__[-1].__subclasses__()",
        "def f():\n    pass\nx = f.__globals__",
        "def f():\n    pass\nx = f.__code__.co_consts",
        "def f():\n    y = 1\n    return lambda: y\nx = f().__closure__[0].cell_contents",
        "x = print.__globals__['__builtins__']",
        "x = __builtins__",
        "x = torch.ones(1).__class__.__init__.__globals__",
        "def g():\n    yield 1\nx = g().gi_frame.f_globals",
        "x = (i for i in [1]).gi_frame.f_back",
        "def g():\n    yield 1\nx = g().gi_code",
        "try:\n    1 / 0\nexcept Exception as e:\n    x = e.__traceback__.tb_frame.f_globals",
        "try:\n    1 / 0\nexcept Exception as e:\n    x = e.with_traceback(None)",
        "try:\n    1 / 0\nexcept Exception as e:\n    x = e.__context__",
        "try:\n    1 / 0\nexcept Exception as e:\n    x = getattr(e, 'tb_frame')",
        "x = type(print).__dict__",
        "t = (1).__class__.__class__\nx = t.mro(t)",
        "class A:\n    pass\nx = A.__dict__",
        "x = (lambda: 0).__globals__",
        "x = f'{print.__globals__}'",
        "x = object.__subclasses__()",
        "x = print.__module__",
        "f = lambda: 0\nx = f.__call__.__self__",
        "x = iter([1]).__reduce__()",
        "x = torch.ones(2, requires_grad=True).sum().grad_fn.__class__.__module__",
        "x = torch.ones(1).grad_fn.__init__.__globals__",
    ],
    "str.format and f-string attribute access": [
        "x = '{0.__class__.__bases__}'.format(1)",
        "x = '{0.__globals__}'.format(lambda: 0)",
        "x = '{0.gi_frame}'.format((i for i in [1]))",
        "x = '{0.__class__.__init__.__globals__}'.format(torch.ones(1))",
        "x = '{a.__globals__}'.format_map({'a': print})",
        "x = '{0.real.__class__.__mro__}'.format(1)",
        "x = str.format('{0.__class__}', 1)",
        "x = '{0._data}'.format(torch.ones(1))",
        "x = '{0.ctypes}'.format(torch.ones(1).numpy())",
        "x = ''.format.__self__",
    ],
    "format-spec and % sizes": [
        "x = '{:>1000000000}'.format(1)",
        "x = '{:{w}}'.format(1, w=10**9)",
        "x = f'{1:>1000000000}'",
        "w = 10 ** 9\nx = f'{1:>{w}}'",
        "x = f'{1:.1000000000f}'",
        "x = format(1.5, '.99999999f')",
        "x = format(1, '1000000000')",
        "x = '{!r:>99999999}'.format(1)",
        "x = '%1000000000d' % 1",
        "x = '%.1000000000f' % 1.0",
        "x = '%*d' % (10**9, 1)",
        "x = '%(a)1000000000s' % {'a': 1}",
        "x = '%-1000000000s' % 'a'",
        "x = '%.*f' % (10**9, 1.0)",
        "x = b'%1000000000d' % 1",
        "x = b'%*d' % (10**9, 1)",
        "x = '%(a)s' * 10**4 % {'a': 'x' * 10**5}",
        "x = '%s' * 10**4 % (('x' * 10**5,) * 10**4)",
        "x = ('{0}' * 10**4).format('x' * 10**5)",
        "x = ('{a}' * 10**4).format_map({'a': 'x' * 10**5})",
        "x = '%d' * 10**4 % ((2 ** 4000,) * 10**4)",
    ],
    "getattr, setattr, hasattr, dir, delattr": [
        "x = getattr(getattr((), '__class__'), '__bases__')",
        "x = getattr(print, '__globals__')",
        "x = getattr(torch, '_C')",
        "x = getattr(torch.ones(1), '_data')",
        "setattr(torch, 'load', print)",
        "setattr(torch.Tensor, 'add', print)",
        "setattr(print, '__globals__', {})",
        "class A:\n    pass\nsetattr(A, '__getattr__', lambda s, n: 1)",
        "assert hasattr(print, '__globals__')",
        "delattr(torch, 'ones')",
        "delattr(torch.Tensor, 'add')",
        "x = getattr(print, '__call__')",
        "x = [n for n in dir(print) if n.startswith('_')]\nassert x",
        "x = getattr(torch.nn, 'modules').module",
        "x = getattr(1, 'to_bytes')(10**9, 'big')",
    ],
    "type() with three arguments": [
        "X = type('X', (), {})",
        "X = type('X', (object,), {'__init__': print})",
        "t = type(type(1))\nX = t('X', (), {})",
        "X = (1).__class__.__class__('X', (object,), {})",
        "X = type.__new__(type, 'X', (), {})",
    ],
    "class tricks": [
        "class M(type):\n    pass",
        "class A(metaclass=type):\n    pass",
        "class A:\n    def __init_subclass__(cls):\n        print('own' + 'ed')",
        "class A:\n    def __class_getitem__(cls, item):\n        return item",
        "class A:\n    def __set_name__(self, owner, name):\n        pass",
        "class A:\n    def __del__(self):\n        print('own' + 'ed')",
        "class A:\n    def __getattr__(self, name):\n        return name",
        "class A:\n    def __getattribute__(self, name):\n        return name",
        "class A:\n    __slots__ = ()",
        "class A:\n    __init_subclass__ = print",
        "class A:\n    __getattr__ = lambda self, name: 1",
        "class A(int):\n    pass",
        "class A:\n    pass\nA.__class__ = type",
        "class A:\n    pass\na = A()\na.__class__ = A\nassert 0",
        "class A:\n    def __repr__(self):\n        return repr(self)\nx = repr(A())",
        "class A(torch.nn.Module):\n    def __setattr__(self, name, value):\n        pass",
        "class A:\n    pass\nA.__init_subclass__ = print",
        "class A(print):\n    pass",
        "class A(torch):\n    pass",
    ],
    "decorators returning machinery": [
        "def grab(f):\n    return f.__globals__\n@grab\ndef g():\n    pass",
        "@type\ndef f():\n    pass\ng = f('X', (), {})",
        "@type\ndef f():\n    pass\nx = f._sandbox",
        "def d(f):\n    return type(f).__call__\n@d\ndef g():\n    pass",
        "@classmethod\ndef f(cls):\n    return cls.__subclasses__()",
        "import functools\n@functools.wraps(print, assigned=('__globals__',), updated=())\n"
        "def f():\n    pass\nassert 0",
        "import functools\nclass Fake:\n    def add(self, other):\n        return 0\n"
        "functools.wraps(Fake, assigned=('add',), updated=())(torch.Tensor)\nassert 0",
        "@getattr\ndef f():\n    pass",
    ],
    "super() tricks": [
        "x = super(type, type).__subclasses__()",
        "x = super(int, 1).__getattribute__('__class__')",
        "class A:\n    def f(self):\n        return super().__thisclass__\nx = A().f()",
        "x = super(object, object)._sandbox",
        "class A:\n    pass\nx = super(A, A()).__self__",
        "x = super(type, int).mro()",
        "x = super(torch.nn.Module, torch.nn.Linear(1, 1))._parameters['weight'].__class__",
        "class A:\n    pass\nx = super(A, 1)",
        "import numpy as np\nx = super(type, type(np.zeros(1))).__call__((10**5, 10**5))",
        "X = super(type, type).__call__('X', (), {})",
        "x = super(type, type(torch)).__call__('m', print)",
        "x = super(type(type), type).__call__('X', (), {})",
        "class A:\n    pass\nx = super(A, A).__call__",
    ],
    "imports of what is not offered": [
        "import os",
        "import sys",
        "import subprocess",
        "import builtins",
        "import importlib",
        "import io",
        "import pathlib",
        "import socket",
        "import ctypes",
        "import pickle",
        "import shutil",
        "import threading",
        "import multiprocessing",
        "import urllib.request",
        "import http.client",
        "import asyncio",
        "import signal",
        "import gc",
        "import inspect",
        "import types",
        "import operator",
        "from os import system",
        "import os as o",
        "import torch.utils",
        "import torch.utils.data",
        "import torch.hub",
        "from torch import hub",
        "from torch import utils",
        "from torch import load",
        "from torch import _C",
        "import numpy.lib",
        "import numpy.ctypeslib",
        "from numpy import load",
        "import numpy\nx = numpy.load",
        "import numpy as np\nx = np.lib",
        "import numpy as np\nx = np.ctypeslib",
        "from math import __loader__",
        "from collections import abc",
        "from itertools import *",
        "from . import x",
        "import engine._C",
        "import torch.nn.modules.module",
        "x = __import__('os')",
        "import importlib\nimportlib.import_module('os')",
    ],
    "engine internals": [
        "x = torch._C",
        "x = torch.ones(1)._data",
        "x = torch.backend",
        "x = torch.observe",
        "x = torch.np",
        "x = torch.nn.functional.np",
        "x = torch.nn.functional.math",
        "x = torch.random.np",
        "x = torch.load",
        "x = torch.save",
        "torch.set_printoptions(precision=1)",
        "x = torch.set_num_interop_threads",
        "x = torch.nn.modules.module",
        "x = torch.ones(1, requires_grad=True).sum().grad_fn.next_functions[0][0].__dict__",
        "x = torch.ones(1, requires_grad=True).sum().grad_fn._saved_self.__class__.__init__"
        ".__globals__",
        "m = torch.nn.Linear(1, 1)\nx = m._parameters.__class__.__subclasses__()",
        "m = torch.nn.Linear(1, 1)\nm.__class__ = torch.nn.ReLU\nassert 0",
        "torch.Tensor.add = print",
        "torch.nn.Module.forward = print",
        "torch.ones = print",
    ],
    "numpy escapes": [
        "x = torch.ones(1).numpy().tofile('own' + 'ed')",
        "x = torch.ones(1).numpy().ctypes",
        "import numpy as np\nnp.save('own' + 'ed', np.ones(1))",
        "import numpy as np\nnp.ndarray.tofile(np.ones(1), 'own' + 'ed')",
        "import numpy as np\nnp.ones(1).dump('own' + 'ed')",
        "import numpy as np\nx = np.ones(1).data",
        "import numpy as np\nx = np.ones(1).base",
        "import numpy as np\nx = np.fromfile('own' + 'ed')",
        "import numpy as np\nnp.savetxt('own' + 'ed', np.ones(1))",
        "import numpy as np\nx = np.memmap('own' + 'ed', shape=(1,), mode='w+')",
        "import numpy as np\nx = np.ones(1).dtype.type('x')",
        "import numpy as np\nx = np.ndarray((10**12,))",
        "import numpy as np\nx = np.ones(1).view",
        "import numpy as np\na = np.array(['x' * 10**4] * 10, dtype=object)\nb = a * 10**6",
        "import numpy as np\na = np.array([print, print])",
        "import numpy as np\na = np.zeros(10, dtype=object)",
        "import numpy as np\na = np.ones(10).astype(object)\nb = a ** 10**9",
        "import numpy as np\na = np.array([10**30] * 10)\nb = a ** 10**6",
        "import numpy as np\nb = np.power([10**30] * 10, 10**6)",
        "import numpy as np\nb = np.power(10**30, 10**6)",
        "import numpy as np\nb = np.full(3, 10**30) ** 10**6",
        "import numpy as np\nb = np.stack([[10**30], [10**30]]) ** 10**6",
    ],
    "functools, itertools, copy and collections": [
        "import functools\nx = functools.reduce(lambda a, b: a + a, range(100), [0])",
        "import functools\nx = functools.partial(getattr, print)('__globals__')",
        "import functools\nf = functools.lru_cache(print)\nx = f.__wrapped__",
        "import itertools\nx = itertools.product(itertools.count())",
        "import itertools\nx = itertools.product(range(10**8))",
        "import itertools\nx = itertools.product(range(10), repeat=10**9)",
        "import itertools\nx = itertools.permutations(range(10**8), 2)",
        "import itertools\nx = itertools.combinations(itertools.count(), 2)",
        "import itertools\nx = list(itertools.starmap(getattr, [(print, '__globals__')]))",
        "import itertools\nx = itertools.chain.from_iterable",
        "import collections\nx = collections.deque(range(10**9))",
        "import collections\nx = collections.Counter(range(10**9))",
        "import collections\nx = collections.deque(itertools.count())",
        "import collections\nx = collections.OrderedDict.fromkeys(range(10**9))",
        "x = dict.fromkeys(range(10**9))",
        "x = {}.fromkeys(range(10**9))",
        "import copy\nx = copy.deepcopy(lambda: 0)",
        "import copy\nx = copy.copy(torch).__class__._resolve",
        "x = list.extend([], range(10**9))",
        "x = str.join('', ['x' * 10**6] * 10**6)",
        "x = str.ljust('x', 10**10)",
        "x = str.center('x', 10**10)",
        "x = ''.join(['x' * 10**6] * 1000)",
    ],
    "closures and generator frames": [
        "def outer():\n    secret = 1\n    def inner():\n        return secret\n    return inner\n"
        "x = outer().__closure__",
        "def g():\n    yield 1\nit = g()\nx = it.gi_frame.f_locals",
        "def g():\n    yield 1\nx = g().gi_yieldframe",
        "def g():\n    yield 1\nx = g().send(None).__class__.__subclasses__()",
        "def g():\n    yield 1\nx = g()._iterator",
        "def g():\n    yield 1\nx = g().throw(ValueError)",
        "x = (lambda: 0)._scope",
        "x = (lambda: 0)._sandbox",
        "def f():\n    pass\nx = getattr(f, '_sandbox')",
    ],
    "recursion depth": [
        "def f(n):\n    return f(n + 1)\nf(0)",
        "def a(n):\n    return b(n)\ndef b(n):\n    return a(n)\na(0)",
        "class A:\n    def __repr__(self):\n        return repr(A())\nprint(A())",
        "Y = lambda f: (lambda x: f(lambda v: x(x)(v)))(lambda x: f(lambda v: x(x)(v)))\n"
        "loop = Y(lambda self: lambda n: self(n + 1))\nloop(0)",
        "f = lambda n: f(n)\nf(0)",
        "class Net(torch.nn.Module):\n    def forward(self, x):\n        return self(x)\n"
        "Net()(torch.ones(1))",
        "x = torch.ones(1, requires_grad=True)\ny = x * 2\n"
        "y.register_hook(lambda g: y.sum().backward(retain_graph=True))\n"
        "y.sum().backward(retain_graph=True)",
        "class A:\n    def __eq__(self, other):\n        return self == other\nx = A() == A()",
        "class A:\n    def __len__(self):\n        return len(self)\nx = len(A())",
        "def f(n):\n    try:\n        return f(n + 1)\n    except RecursionError:\n        return f(n + 1)\n"
        "f(0)",
        ("def deep():\n    t = ()\n    for i in range(1500):\n        t = (t,)\n    return t\n"
         "x = hash(deep())", "nesting limit"),
        ("import functools\nt = functools.reduce(lambda a, b: (a,), range(1500), ())\nx = {t}",
         "nesting limit"),
        ("def deep():\n    cur = []\n    for i in range(1500):\n        nxt = []\n"
         "        nxt.append(cur)\n        cur = nxt\n    return cur\nx = (deep(),)", "nesting limit"),
    ],
    "endless loops and generators": [
        "while True:\n    pass",
        "i = 0\nwhile True:\n    i += 1",
        "import itertools\nx = list(itertools.count())",
        "import itertools\nx = sum(itertools.count())",
        "import itertools\nx = -1 in itertools.count()",
        "import itertools\na, *b = itertools.count()",
        "import itertools\nx = ''.join(map(str, itertools.count()))",
        "import itertools\nx = sorted(itertools.count())",
        "import itertools\nx = dict(zip(itertools.count(), itertools.count()))",
        "import itertools\nx = set(itertools.count())",
        "import itertools\nx = max(itertools.count())",
        "import itertools\nx = [*itertools.count()]",
        "import itertools\nx = tuple(itertools.repeat(1))",
        "import itertools\nfor i in itertools.count():\n    pass",
        "def g():\n    while True:\n        yield 1\nx = list(g())",
        "def g():\n    yield from g()\nx = list(g())",
        "import itertools\nx = any(itertools.repeat(0))",
        "import itertools\nprint(*itertools.count())",
        "x = [i for i in range(10**9)]",
    ],
    "size bombs before allocation": [
        "x = 'x' * 10**10",
        "x = [0] * 10**10",
        "x = [[0] * 10**5] * 10**5\ny = torch.tensor(x)",
        "x = 10 ** 10 ** 8",
        "x = 1 << 10**10",
        "x = (1 << 4000) << 4000",
        "x = round(1, -10**9)\nif x == 0:\n    raise ValueError('rounded safely')",
        "import math\nx = math.factorial(10**7)",
        "import math\nx = math.comb(10**7, 5 * 10**6)",
        "import math\nx = math.perm(10**7)",
        "import math\nx = math.prod([2 ** 4000] * 2)",
        "x = pow(2, 10**9)",
        "x = int('9' * 10**6)",
        "x = 'x'.ljust(10**10)",
        "x = 'x'.center(10**10)",
        "x = 'x'.zfill(10**10)",
        "x = ('\\t' * 1000).expandtabs(10**7)",
        "x = ('x' * 1000).replace('', 'y' * 10**4)",
        "x = b'x'.ljust(10**10)",
        "x = b'x'.zfill(10**10)",
        "x = (b'\\t' * 1000).expandtabs(10**7)",
        "x = (b'x' * 1000).replace(b'', b'y' * 10**4)",
        "x = bytes(10**10)",
        "x = bytearray(10**10)",
        "x = list(range(10**20))",
        "x = torch.ones(10**6, 10**6)",
        "import numpy as np\nx = np.zeros(10**12)",
        "x = torch.ones(10**4, 1) + torch.ones(1, 10**4)",
        "import numpy as np\nx = np.ones((10**4, 1)) + np.ones((1, 10**4))",
        "import numpy as np\nx = np.add(np.ones((10**4, 1)), np.ones((1, 10**4)))",
        "x = torch.ones(1000).repeat(10**6)",
        "x = torch.ones(1, 1).expand(10**5, 10**5).contiguous()",
        "x = torch.ones(10**6)\ny = torch.cat([x] * 1000)",
        "import random\nx = random.choices([1], k=10**9)",
        "import random\nx = random.getrandbits(10**10)",
        "import random\nx = random.randbytes(10**10)",
        "import random\nx = random.sample(range(10**12), 10**9)",
        "x = (1).to_bytes(10**9, 'big')",
        "import numpy as np\nx = np.arange(0, 1, 1e-9)",
        "import numpy as np\nx = np.random.randint(0, 10, 10**12)",
        "import numpy as np\nx = np.random.normal(0, 1, 10**12)",
        "import numpy as np\nx = np.random.choice(10**12, 1, replace=False)",
        "import numpy as np\nx = np.stack([np.zeros(10**6)] * 1000)",
        "import numpy as np\nx = np.concatenate([np.zeros(10**6)] * 1000)",
        "import numpy as np\nx = np.diag(np.zeros(10**6))",
        "import numpy as np\nx = np.zeros(10, dtype='S1000000000')",
        "import numpy as np\nx = np.zeros(10).astype('U1000000000')",
        "import numpy as np\nx = np.linspace(0, 1, 10**12)",
        "import numpy as np\nx = np.eye(10**6)",
        "a = []\na += range(10**9)",
        "a = [0]\na[0:0] = range(10**9)",
        "x = torch.zeros(10**7).tolist()",
        "x = torch.arange(0, 1, 1e-12)",
    ],
    "values repeated by reference (work in C)": [
        "t = (0,) * 10**5\nu = (t,) * 10**5\nx = hash(u)",
        "a = [[0] * 10**5] * 10**5\nx = a == [[0] * 10**5] * 10**5",
        "t = (0,) * 10**5\nu = tuple([t] * 1000)\nv = tuple([tuple(list(t))] * 1000)\nx = u < v",
        "t = (0,) * 10**5\nx = {(t,) * 10**5}",
        "t = (0,) * 10**5\nx = {(t,) * 10**5: 1}",
        "t = [0] * 10**5\nu = [t] * 10**5\nx = u.count([0] * 10**5)",
        "t = [0] * 10**5\nu = [t] * 10**5\nx = sorted(u)",
        "t = [0] * 1000\nu = [t] * 1000\nv = [u] * 1000\nx = v == [[[0] * 1000] * 1000] * 1000",
        "import copy\nt = [0] * 10**5\nx = copy.deepcopy([t] * 10**5)",
        "a = [[0] * 1000] * 1000\nb = [a, a, a, a, a, a, a, a, a, a, a, a]\nc = (b, b, b, b, b, b, b, b)",
        BOX + "a = [[0] * 1000] * 1000\nb = Box()\nb.items = []\nfor i in range(20):\n"
        "    b.items.append(a)\nx = str(b.items)",
        BOX + "a = [[0] * 1000] * 1000\nb = Box()\nb.items = []\nfor i in range(20):\n"
        "    b.items.append(a)\nc = [b.items]",
        BOX + "a = [[0] * 9000] * 1000\nb = Box()\nb.items = []\nc = Box()\nc.items = []\n"
        "for i in range(20):\n    b.items.append(a)\n    c.items.append([[0] * 9000] * 1000)\n"
        "x = b.items == c.items",
        BOX + "a = [[0] * 9000] * 1000\nb = Box()\nb.items = []\nfor i in range(20):\n"
        "    b.items.append(a)\nx = [[0] * 9000] * 1000 in b.items",
        BOX + "a = [[0] * 9000] * 1000\nb = Box()\nb.items = []\nfor i in range(20):\n"
        "    b.items.append(a)\nx = b.items.count([[0] * 9000] * 1000)",
        BOX + "b = Box()\nb.items = []\nfor i in range(20):\n"
        "    b.items.append([[0] * 9000] * 1000)\nx = sorted(b.items)",
        "x = torch.meshgrid(torch.ones(10**5), torch.ones(10**5), indexing='ij')",
        "import numpy as np\nx = np.zeros(10**7).reshape(1000, 10**4).tolist()",
        "import numpy as np\nx = np.ones((10**4, 1)).dot(np.ones((1, 10**4)))",
        "import numpy as np\nx = np.zeros_like(np.zeros(10), dtype='S1000000000')",
        "import numpy as np\nx = np.full_like(np.zeros(10), 1, dtype='S1000000000')",
    ],
    "__index__ counts and C feedback loops": [
        BIG + "x = [0] * Big()",
        BIG + "x = 'x' * Big()",
        FLIP + "x = 'x' * Flip()",
        BIG + "x = 'x'.ljust(Big())",
        FLIP + "x = 'x'.ljust(Flip())\nif len(x) == 1:\n    raise ValueError('read once')",
        BIG + "x = (1).to_bytes(Big(), 'big')",
        BIG + "x = bytes(Big())",
        BIG + "import math\nx = math.factorial(Big())",
        BIG + "import math\nx = math.comb(Big(), 5000)",
        BIG + "import random\nx = random.choices([1], k=Big())",
        BIG + "import random\nx = random.getrandbits(Big())",
        BIG + "import random\nx = random.randbytes(Big())",
        "import functools\nx = functools.reduce(slice, range(10**4))",
        "import functools\nx = functools.reduce(property, range(10**4))",
        "x = slice(0)\nfor i in range(1500):\n    x = slice(x, i)",
        "x = property(None)\nfor i in range(1500):\n    x = property(x)",
        "import itertools\nx = list(itertools.accumulate(range(10**6), slice))",
        "import itertools\nx = list(itertools.accumulate(range(10**6), func=property))",
        "class A:\n    def __getitem__(self, i):\n        return i\nx = -1 in A()",
        "class A:\n    def __len__(self):\n        return 10**10\nx = list(A())",
        "print(*range(10**4), sep='x' * 10**5)",
        "print(1, end='x' * 10**6)",
        "x = sum([[1]] * 10**4, [])\nwhile True:\n    x = sum([x] * 10, [])",
        "import itertools\nx = list(itertools.accumulate([[1]] * 10**5))",
        "import numpy as np\nx = np.zeros(10)\nwhile True:\n    x = np.concatenate([x, x])",
        "x = ''\nwhile True:\n    x += 'x' * 10**4",
    ],
    "constructors and engine functions called from C": [
        "x = type([])(range(10**9))",
        "x = [].__class__(range(10**9))",
        "x = type(b'')(10**10)",
        "x = list(map(type([]), [range(10**9)]))",
        "x = list(map(torch.ones, [10**10]))",
        "x = sorted([range(10**9)], key=type([]))",
        "x = [range(10**9)]\nx.sort(key=type([]))",
        "import numpy as np\nx = list(map(type(np.zeros(1)), [(10**5, 10**5)]))",
        "import functools\nx = functools.partial(torch.ones, 10**10)()",
        "x = max([10**10], key=torch.ones)",
        "import itertools\nx = list(itertools.starmap(torch.ones, [(10**5, 10**5)]))",
        "import functools\nx = functools.lru_cache(torch.ones)(10**10)",
        "import functools\nx = functools.reduce(lambda a, b: torch.ones(b), [1, 10**10])",
        "x = list(filter(torch.ones, [10**10]))",
        "import numpy as np\nx = list(map(np.zeros, [10**12]))",
        "import math\nx = list(map(math.factorial, [10**7]))",
        "x = list(map(pow, [2], [10**9]))",
        "x = list(map(bytes, [10**10]))",
        "x = list(map(str.ljust, ['x'], [10**10]))",
        "x = list(map(''.join, [['x' * 10**5] * 10**5]))",
        "assert type([]) is list and type([])(range(3)) == [0, 1, 2]\nx = type([])(range(10**9))",
    ],
    "memory accumulation": [
        ("xs = []\nwhile True:\n    xs.append(torch.ones(10**7))", "memory limit"),
        ("class Box:\n    pass\ndef grow(box):\n    box.items = []\n    for i in range(2000):\n"
         "        box.items.append([i] * 10**6)\ngrow(Box())", "memory limit"),
        ("import numpy as np\nxs = []\nfor i in range(2000):\n    xs.append(np.ones(10**7))",
         "memory limit"),
        ("class Box:\n    pass\ndef grow(box):\n    box.items = []\n    for i in range(2000):\n"
         "        box.items.append('x' * 999999 + str(i % 10))\ngrow(Box())", "memory limit"),
        ("class Box:\n    pass\ndef grow(box):\n    box.items = []\n    for i in range(2000):\n"
         "        box.items.append(dict.fromkeys(range(10**5), i))\ngrow(Box())", "memory limit"),
        ("def grow(xs):\n    while True:\n        xs.append(torch.ones(10**6) * 2)\ngrow([])",
         "memory limit"),
    ],
    "repr of self-referencing and huge values": [
        "a = []\na.append(a)\nraise ValueError(repr(a))",
        "d = {}\nd['d'] = d\nprint(d)\nraise ValueError('printed')",
        "x = repr([[[0] * 1000] * 1000] * 1000)",
        "print([[[0] * 1000] * 1000] * 1000)",
        "x = str([[[0] * 1000] * 1000] * 1000)",
        "x = ascii([[[0] * 1000] * 1000] * 1000)",
        "x = f'{[[[0] * 1000] * 1000] * 1000}'",
        "x = '{}'.format([[[0] * 1000] * 1000] * 1000)",
        "x = '%s' % ([[[0] * 1000] * 1000] * 1000,)",
        "x = [0] * 10**6\ny = repr(x)",
        "def nest(a):\n    for i in range(1500):\n        a = [a]\n    return a\nx = repr(nest([]))",
        "x = repr(10 ** 4000)",
    ],
    "exceptions": [
        "raise SystemExit",
        "raise SystemExit(0)",
        "raise KeyboardInterrupt",
        "raise GeneratorExit",
        "raise BaseException('x')",
        "class E(BaseException):\n    pass\nraise E()",
        "class E(SystemExit):\n    pass",
        "try:\n    while True:\n        pass\nexcept BaseException:\n    pass",
        "try:\n    while True:\n        pass\nexcept:\n    pass",
        "while True:\n    try:\n        while True:\n            pass\n    except BaseException:\n"
        "        pass",
        "while True:\n    try:\n        x = [0] * 10**10\n    except:\n        pass",
        "while True:\n    try:\n        while True:\n            pass\n    finally:\n        pass",
        "def f():\n    try:\n        return f()\n    finally:\n        return f()\nf()",
        "try:\n    x = torch.ones(10**6, 10**6)\nexcept Exception as e:\n    raise ValueError(e)\n"
        "print('own' + 'ed')",
        "class M:\n    def __enter__(self):\n        return self\n"
        "    def __exit__(self, *a):\n        return True\nwith M():\n    while True:\n        pass",
        "x = torch.ones(1, requires_grad=True)\nx.register_hook(lambda g: [0] * 10**10)\n"
        "x.sum().backward()",
        "try:\n    raise ValueError()\nexcept ValueError as e:\n    raise e.with_traceback(None)",
        "raise LimitExceeded('x')",
        "class E(Exception):\n    def __str__(self):\n        return 1\nraise E()",
        "class E(Exception):\n    def __str__(self):\n        raise ValueError('no text')\nraise E()",
        "class E(Exception):\n    def __str__(self):\n        while True:\n            pass\nraise E()",
        "class E(Exception):\n    def __str__(self):\n        return 'x' + str(self)\nraise E()",
        "class E(Exception):\n    def __str__(self):\n        return 'x' * 10**5 * 10**5\nraise E()",
        "x = torch.ones(1, requires_grad=True)\ndef hook(g):\n    while True:\n        pass\n"
        "x.register_hook(hook)\nfor i in range(100):\n    try:\n        x.sum().backward()\n"
        "    except Exception:\n        pass\nraise ValueError('swallowed')",
        "import functools\n@functools.lru_cache\ndef f(n):\n    while True:\n        pass\n"
        "try:\n    f(1)\nexcept BaseException:\n    pass\nprint('own' + 'ed')",
        "raise StopIteration",
    ],
    "callbacks after the run": [
        "def hook(g):\n    print('own' + 'ed')\nx = torch.ones(1, requires_grad=True)\n"
        "x.register_hook(hook)\nraise ValueError('kept')",
        "class Net(torch.nn.Module):\n    def forward(self, x):\n        print('own' + 'ed')\n"
        "        return x\nnet = Net()\nraise ValueError('kept')",
        "import functools\nf = functools.partial(print, 'own' + 'ed')\nraise ValueError('kept')",
        "f = lambda: print('own' + 'ed')\nraise ValueError('kept')",
    ],
    "threading and processes": [
        "import threading\nthreading.Thread(target=print).start()",
        "import multiprocessing",
        "import concurrent.futures",
        "import _thread",
        "from os import fork",
        "import subprocess\nsubprocess.run(['touch', 'own' + 'ed'])",
        "x = torch.multiprocessing",
        "x = torch.set_num_threads(1)",
        "import time\ntime.sleep(100)",
    ],
    "__name__ tricks": [
        "__name__ = 'builtins'\nimport os",
        "__builtins__ = {}",
        "__import__ = print",
        "def __getattr__(name):\n    return name",
        "x = __name__.__class__.__subclasses__()",
        "__file__ = 'x'\nopen(__file__, 'w')",
        "class A:\n    __name__ = 'x'\n    __module__ = 'os'",
        "__spec__",
        "__loader__",
    ],
    "global and nonlocal abuse": [
        "def f():\n    global __builtins__\n    __builtins__ = None\nf()",
        "def f():\n    global print\n    print = None\nf()\nprint(1)",
        "def f():\n    nonlocal x\n    x = 1\nf()",
        "x = 1\ndef f():\n    global x\n    x = [0] * 10**10\nf()",
        "def f():\n    global torch\n    torch = None\nf()\nx = torch.ones(1)",
        "def f():\n    x = 1\n    def g():\n        nonlocal x\n        x = x.__class__.__subclasses__()\n"
        "    g()\nf()",
    ],
    "walrus in comprehensions": [
        "x = [(y := y * 2) for i in range(100)]",
        "y = 'x'\nx = [(y := y + y) for i in range(100)]",
        "y = 2\nx = [(y := y ** y) for i in range(10)]",
        "x = [(__builtins__ := 1) for i in range(1)]",
        "x = [(print := 1) for i in [1]]\nprint('x')",
    ],
    "star-unpacking bombs": [
        "x = [*range(10**9)]",
        "x = {*range(10**9)}",
        "x = (*range(10**9),)",
        "print(*range(10**9))",
        "def f(*a):\n    return a\nf(*range(10**9))",
        "a, *b = range(10**9)",
        "x = {**dict.fromkeys(range(10**9))}",
        "def f(**k):\n    return k\nf(**dict.fromkeys(range(10**9)))",
        "x = [*'x' * 10**10]",
    ],
}


def _all_cases():
    """(source, fragment the error must contain or None) for every attempt."""
    for category, cases in CASES.items():
        for number, case in enumerate(cases):
            source, fragment = case if isinstance(case, tuple) else (case, None)
            yield pytest.param(source, fragment, id=f"{category.split()[0]}-{number}")


def _table():
    rows = [f"| {category} | {len(sources)} |" for category, sources in CASES.items()]
    rows.append(f"| **total** | {sum(len(s) for s in CASES.values())} |")
    return "\n".join(rows)


def refused_or_stopped(source, torch_module, limits=BUDGET):
    """Parse and run ``source``: (the error's text or None when it finished, its output)."""
    try:
        program = parse_program(source)
    except ProgramSyntaxError as error:
        assert str(error)
        return str(error), ""
    timeline = run_program(program, torch_module, limits=limits)
    output = "".join(frame.output for frame in timeline.frames)
    if timeline.status == "finished":
        return None, output
    assert timeline.status in ("error", "limit"), timeline.status
    message = str(timeline.error)  # "ValueError: text", or the bare name of the error
    assert message and "\n" not in message.strip(), message
    return message, output


def test_the_suite_is_large_enough_and_its_table_is_current():
    assert sum(len(s) for s in CASES.values()) >= 160
    assert _table() in __doc__


@pytest.mark.parametrize("source, fragment", list(_all_cases()))
def test_a_hostile_program_is_refused_or_stopped(source, fragment, engine, tmp_path,
                                                 monkeypatch):
    monkeypatch.chdir(tmp_path)
    started = time.monotonic()
    limits = MEMORY_BUDGET if fragment == "memory limit" else BUDGET
    error, output = refused_or_stopped(source, engine, limits)
    elapsed = time.monotonic() - started
    assert error is not None, "the program ran to the end"
    assert fragment is None or fragment in error, error
    assert elapsed < max(SLOWEST, limits.max_seconds), f"took {elapsed:.1f} s"
    assert MARKER not in output and MARKER not in error
    assert list(tmp_path.iterdir()) == []
    assert not os.path.exists(os.path.join(os.path.dirname(__file__), MARKER))


AFTER_THE_RUN = (
    "def f():\n    print('own' + 'ed')\n"
    "class Net(torch.nn.Module):\n    def forward(self, x):\n        print('own' + 'ed')\n"
    "        return x * 2\nnet = Net()\n"
    "class Spy:\n    def __repr__(self):\n        print('own' + 'ed')\n        return 'spy'\n"
    "    def __eq__(self, other):\n        print('own' + 'ed')\n        return True\n"
    "spy = Spy()\n"
    "x = torch.ones(1, requires_grad=True)\n"
    "h = x.register_hook(lambda g: print('own' + 'ed'))\n"
    "n = torch.nn.Linear(1, 1)\n"
    "k = n.register_forward_hook(lambda m, i, o: print('own' + 'ed'))\n"
)


def test_a_program_function_refuses_to_run_after_the_run(engine, capsys):
    from explorer.program.sandbox.functions import ProgramNotRunning

    timeline = run_program(parse_program(AFTER_THE_RUN), engine, limits=BUDGET)
    assert timeline.status == "finished", timeline.error
    variables = timeline.variables
    for call_back in (lambda: variables["f"](), lambda: variables["net"](engine.ones(1)),
                      lambda: variables["x"].sum().backward(),
                      lambda: variables["n"](engine.ones(1)),
                      lambda: repr(variables["spy"]), lambda: variables["spy"] == 1):
        with pytest.raises(ProgramNotRunning):
            call_back()
    assert MARKER not in capsys.readouterr().out


# What the checks above must leave alone: everyday code near each of them.
TEACHING_CODE = """
import collections
import functools
import itertools
import math
import random
import numpy as np
assert type([]) is list and [].__class__ is list and type([])(range(3)) == [0, 1, 2]
assert isinstance(collections.deque([1, 2]), collections.deque)
assert collections.Counter('aab')['a'] == 2
assert sorted(['bb', 'a'], key=len) == ['a', 'bb'] and max([3, 1], key=abs) == 3
words = ['b', 'a']
words.sort(key=str.lower)
assert words == ['a', 'b']
assert list(map(str, range(3))) == ['0', '1', '2'] and list(filter(None, [0, 1])) == [1]
assert functools.reduce(lambda a, b: a + b, range(10)) == 45
assert list(itertools.accumulate([1, 2, 3])) == [1, 3, 6]
assert list(itertools.product('ab', repeat=2))[-1] == ('b', 'b')
@functools.lru_cache(maxsize=None)
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
assert fib(30) == 832040
assert '{:>5}|{a}'.format(1, a=2) == '    1|2' and '%s-%03d' % ('a', 7) == 'a-007'
assert 'x'.ljust(3, '.') == 'x..' and str.join('-', ['a', 'b']) == 'a-b'
assert (5).to_bytes(2, 'big') == b'\\x00\\x05' and bytes(3) == b'\\x00\\x00\\x00'
assert math.factorial(20) == 2432902008176640000 and math.comb(10, 3) == 120
random.seed(0)
assert len(random.choices([1, 2], k=5)) == 5
grid = [[0] * 3] * 3
assert grid == [[0, 0, 0]] * 3 and len({(1, 2), (1, 2)}) == 1
assert np.arange(0, 1, 0.25).tolist() == [0.0, 0.25, 0.5, 0.75]
assert np.random.normal(0, 1, 3).shape == (3,) and np.zeros(2, dtype='float32').dtype == np.float32
assert np.stack([np.zeros(2), np.ones(2)]).shape == (2, 2) and np.diag(np.ones(2)).shape == (2, 2)
assert np.ones((2, 1)).dot(np.ones((1, 2))).tolist() == [[1.0, 1.0], [1.0, 1.0]]
x = torch.ones(2, requires_grad=True)
a, b = torch.meshgrid(torch.arange(2), torch.arange(3), indexing='ij')
assert a.shape == (2, 3)
items = [1]
items += range(3)
items[0:0] = range(2)
assert items == [0, 1, 1, 0, 1, 2]
print('x' * 3, 'y', sep='-', end='!')
"""


def test_teaching_code_near_the_checks_still_runs(engine):
    timeline = run_program(parse_program(TEACHING_CODE), engine, limits=Limits(max_seconds=10))
    assert timeline.status == "finished", timeline.error
    assert timeline.frames[-1].output == "xxx-y!"


def _python(source):
    return {"kind": "python", "source": source}


# Program files carry steps as JSON: the loader's checks, then the run's, must hold too.
HOSTILE_FILE_STEPS = [
    {"step": "assign", "targets": ["x"],
     "value": {"kind": "attribute", "value": _python("()"), "attr": "__class__"}},
    {"step": "assign", "targets": ["__builtins__"], "value": {"kind": "constant", "value": 1}},
    {"step": "assign", "targets": ["x"], "value": {"kind": "name", "id": "__builtins__"}},
    {"step": "assign", "targets": ["x"], "value": {
        "kind": "call", "function": ["__import__"], "args": [{"kind": "constant", "value": "os"}]}},
    {"step": "assign", "targets": ["x"], "value": _python("print.__globals__")},
    {"step": "assign", "targets": ["x"], "value": _python("'x' * 10**10")},
    {"step": "code", "source": "import os"},
    {"step": "code", "source": "x = ().__class__.__subclasses__()"},
    {"step": "code", "source": "while True:\n    pass"},
    {"step": "import", "module": "os"},
    {"step": "assign", "targets": ["x"], "value": {"kind": "call", "function": ["torch", "load"],
                                                   "args": [{"kind": "constant", "value": "x"}]}},
]


@pytest.mark.parametrize("step", HOSTILE_FILE_STEPS)
def test_a_hostile_program_file_is_refused_or_stopped(step, engine, tmp_path, monkeypatch):
    import json

    from explorer.program.errors import ProgramFileError
    from explorer.program.files import loads_document

    monkeypatch.chdir(tmp_path)
    try:
        document = loads_document(json.dumps({"format": "autograd-explorer/1",
                                              "program": [step]}))
    except ProgramFileError as error:
        assert str(error)
        return
    timeline = run_program(document.program, engine, limits=BUDGET)
    assert timeline.status in ("error", "limit")
    assert "\n" not in str(timeline.error)
    assert list(tmp_path.iterdir()) == []
