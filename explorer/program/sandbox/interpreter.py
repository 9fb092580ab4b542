"""The sandbox: walks Python syntax trees with the run's guard and policy.

User text is parsed with ``ast.parse`` and walked node by node; it never
reaches ``eval``, ``exec`` or ``compile``. Every name resolves in the
program's own scopes, the safe builtins (``safe_builtins.py``) or the modules
of ``modules.py``; every attribute, call and subscript goes through the
policy (``policy.py``) and the guard (time, cancel, iteration, element, size
and integer limits, checked before the work where the work could be large).

Functions are ``SandboxFunction`` values and classes are real Python classes
made of them, so the engine calls a program's hooks, ``forward`` methods and
custom Functions like any others. Generator functions run eagerly: their
yields are collected (within the limits) and handed out as an iterator.

``Sandbox`` holds one run's state; the parts it derives from do the work,
one module each (the package's docstring names them).
"""
import ast
import threading

from . import safe_builtins
from .bindings import Bindings
from .calls import Calls
from .expressions import Expressions
from .modules import ModuleTable
from .policy import Policy
from .scopes import MODULE, Scope
from .statements import Statements
from .validate import validate_tree
from .values import Values


class Sandbox(Statements, Expressions, Calls, Bindings, Values):
    """Runs syntax trees for one program run, with ``torch`` being ``torch_module``."""

    def __init__(self, torch_module, guard, write=None, variables=None):
        self.torch = torch_module
        self.guard = guard
        self.write = write or (lambda text: None)
        self.variables = {} if variables is None else variables
        self.policy = Policy(_roots(torch_module), _writable_types(torch_module))
        self.modules = ModuleTable(torch_module, self.policy, guard, call=self.call)
        self.builtins = safe_builtins.make_builtins(self)
        self.tensor_type = torch_module.Tensor
        self.module_scope = Scope(MODULE, self.variables)
        self.depth = 0
        self.call_stack = []          # qualified names of the program's functions now running
        # Labels of the calls now running, functions and Modules alike ("model", "model.fc1",
        # "square()"): the graph groups the nodes each call made, frames know where they are.
        self.scope_stack = []
        self.line_offset = 0          # the first line of the text being run, in the program
        self.loop_counters = []       # iterations of the loops now running in the text
        self._module_type = _module_type(torch_module)
        self.handling = []            # exceptions whose handler is running (for bare ``raise``)
        self.printed_chars = 0
        self.thread = threading.get_ident()
        self.running = True
        # Called after each statement that ran inside a function: (node, scope, function).
        self.statement_listener = None
        # Bound handlers, looked up by node type: one dict lookup per node walked.
        self._statement = self.statement_handlers()
        self._expression = self.expression_handlers()

    def run_statements(self, statements):
        """Run module-level statements (already validated) in the program's scope."""
        self.exec_block(statements, self.module_scope)

    def run_source(self, source):
        tree = ast.parse(source, mode="exec")
        validate_tree(tree)
        self.run_statements(tree.body)

    def evaluate_tree(self, node):
        """The value of an expression tree in the program's scope."""
        return self.eval(node, self.module_scope)

    def finish(self):
        """The run is over: the program's functions no longer run (see SandboxFunction)."""
        self.running = False


def _module_type(torch_module):
    nn = getattr(torch_module, "nn", None)
    module = getattr(nn, "Module", None)
    return module if isinstance(module, type) else None


def _roots(torch_module):
    # The engine names some of its classes as PyTorch does (``torch.FloatTensor``'s module
    # is "torch"); no real PyTorch object can appear in a run of the engine.
    name = getattr(torch_module, "__name__", "engine").split(".")[0]
    return (name, "torch")


def _writable_types(torch_module):
    found = [torch_module.Tensor]
    for path in (("nn", "Module"), ("optim", "Optimizer"), ("optim", "lr_scheduler", "LRScheduler"),
                 ("autograd", "function", "FunctionCtx"), ("autograd", "Function")):
        value = torch_module
        for part in path:
            value = getattr(value, part, None)
            if value is None:
                break
        if isinstance(value, type):
            found.append(value)
    return tuple(found)
