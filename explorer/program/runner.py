"""Run a program step by step, inside limits, recording a timeline.

``run_program`` runs on the calling thread; ``start_run`` runs on a worker
thread and returns a handle that can cancel it (a ``threading.Event`` checked
between steps, on every loop iteration and around every call).

Grad mode is thread-local in the engine and in PyTorch; the runner restores
the calling thread's mode when it finishes. Warnings raised by a step are
recorded on its frame; Python's warning filters are process-wide, so while a
step runs they are set to record everything.
"""
import ast
import contextlib
import threading
import warnings

from . import whitelist
from .codegen import to_python_ast
from .collector import collections_paused
from .errors import LimitExceeded, RunCancelled
from .expressions import Attribute, Name, Subscript, names_read
from .limits import Guard, Limits
from .python_text import names_bound, names_loaded, parse_statements
from .recorder import make_recorder
from .sandbox import statements as sandbox_statements
from .sandbox.interpreter import Sandbox
from .steps import (
    Assign,
    AttrAssign,
    AugAssign,
    Break,
    Code,
    Continue,
    ExprStatement,
    For,
    FutureImport,
    If,
    Import,
    IndexAssign,
    Pass,
    While,
    With,
)
from .timeline import CANCELLED, ERROR, LIMIT, ErrorInfo, Frame, Timeline


def touched_names(step, header):
    """Variables a frame of ``step`` may have read, bound or changed in place."""
    if not header:
        return step.reads() + step.writes() + step.mutates()
    kind = type(step)
    if kind is For:
        return names_read(step.iterable) + step.targets
    if kind is While:
        return names_read(step.condition)
    if kind is If:
        return names_read(step.condition)
    return names_read(step.context)


class _BreakLoop(Exception):
    pass


class _ContinueLoop(Exception):
    pass


# A long loop is drawn (snapshots, backward events) for its first FULL_ITERATIONS
# iterations, then every SAMPLE_EVERY-th (iteration 99, 199, ..., as tutorials print)
# and after it; the iterations between run and print without a snapshot, so a
# 2,000-step training loop costs little more than the engine alone.
FULL_ITERATIONS = 50
SAMPLE_EVERY = 100

# Frames recorded inside calls per run: enough to step through the first calls of a
# training loop; later calls run without frames of their own.
INNER_FRAME_BUDGET = 2000

# A step's operator (its Python spelling) as the syntax tree names it.
_OPERATORS = {"+": ast.Add(), "-": ast.Sub(), "*": ast.Mult(), "/": ast.Div(), "//": ast.FloorDiv(),
              "%": ast.Mod(), "**": ast.Pow(), "@": ast.MatMult(), "&": ast.BitAnd(),
              "|": ast.BitOr(), "^": ast.BitXor(), "<<": ast.LShift(), ">>": ast.RShift()}


class _Stop(Exception):
    """A frame recorded an error: unwind to the top and end the run."""

    def __init__(self, status):
        super().__init__(status)
        self.status = status


def run_program(program, torch_module, *, limits=None, cancel_event=None, record=None,
                bind_torch=True, on_frame=None):
    """Run ``program`` with ``torch`` bound to ``torch_module``; return its ``Timeline``.

    ``record``: take snapshots and backward events (needs the engine's
    internals); None means "when ``torch_module`` is the engine".
    ``bind_torch``: ``torch`` is usable before any import step, as in a
    notebook where an earlier cell imported it.
    ``on_frame(frame)`` is called after each frame is recorded.
    The cyclic garbage collector waits for the run (NOTE [collector pauses] in
    ``collector.py``): its full collections would make a long run's cost per op grow.
    """
    execution = _Execution(program, torch_module, limits or Limits(), cancel_event, record,
                           bind_torch, on_frame)
    with collections_paused():
        return execution.run()


class RunHandle:
    """A run on a worker thread: ``cancel()``, ``wait(timeout)``, then ``timeline``."""

    def __init__(self, thread, cancel_event):
        self._thread = thread
        self.cancel_event = cancel_event
        self.timeline = None
        self.exception = None

    def cancel(self):
        self.cancel_event.set()

    def wait(self, timeout=None):
        """Wait for the run; return its timeline (None if still running after ``timeout``)."""
        self._thread.join(timeout)
        if self.exception is not None:
            raise self.exception
        return self.timeline

    def join(self, timeout=None):
        """Wait up to ``timeout`` for the run to end; True when it has."""
        self._thread.join(timeout)
        return self.done

    @property
    def done(self):
        return not self._thread.is_alive()


def start_run(program, torch_module, **options):
    """Start ``run_program`` on a daemon thread; returns a ``RunHandle``."""
    cancel_event = options.pop("cancel_event", None) or threading.Event()
    handle = None

    def work():
        try:
            handle.timeline = run_program(program, torch_module, cancel_event=cancel_event,
                                          **options)
        except BaseException as exc:  # handed to wait(); a worker must not die silently
            handle.exception = exc

    thread = threading.Thread(target=work, name="program-run", daemon=True)
    handle = RunHandle(thread, cancel_event)
    thread.start()
    return handle


class _ModuleScopes:
    """Labels the calls of ``nn.Module``s the engine reports ("model", "model.fc1"), so the
    nodes each call made, even inside ``nn.Sequential``, know where they were made."""

    def __init__(self, sandbox, recorder):
        self.sandbox = sandbox
        self.recorder = recorder
        self.thread = threading.get_ident()

    def module_entered(self, module):
        if threading.get_ident() == self.thread:
            # Unrecorded iterations need no label (and finding one walks the models).
            label = "" if self.recorder.paused else self.sandbox.module_label(module)
            self.sandbox.scope_stack.append(label)

    def module_exited(self, module):
        if threading.get_ident() == self.thread and self.sandbox.scope_stack:
            self.sandbox.scope_stack.pop()


@contextlib.contextmanager
def _listening(torch_module, listener):
    observe = getattr(torch_module, "observe", None)
    if listener is None or observe is None:
        yield
        return
    with observe.listening(listener):
        yield


def error_text(exc):
    """An error's message on one line; a program's own exception whose text fails says so."""
    try:
        text = str(exc)
    except Exception as failure:  # a program's __str__ may fail (or fail the second time)
        return f"(its message could not be shown: {type(failure).__name__})"
    if not isinstance(text, str):
        return "(its message is not text)"
    return " ".join(text.split("\n")) if "\n" in text and type(exc).__module__ == "__main__" \
        else text


def _process_defaults(torch_module):
    """The library's process-wide defaults a program may set (``set_default_dtype``)."""
    saved = {}
    for name in ("dtype", "device"):
        getter = getattr(torch_module, f"get_default_{name}", None)
        if getter is not None:
            saved[name] = getter()
    if hasattr(torch_module, "is_anomaly_enabled") and hasattr(torch_module, "set_anomaly_enabled"):
        saved["anomaly"] = (torch_module.is_anomaly_enabled(),
                            torch_module.is_anomaly_check_nan_enabled())
    return saved


def _restore_process_defaults(torch_module, saved):
    """Put them back: one run must not change the next, nor the app's own tensors."""
    for name, value in saved.items():
        if name == "anomaly":  # set_detect_anomaly(True) is process-wide, as in PyTorch
            if (torch_module.is_anomaly_enabled(), torch_module.is_anomaly_check_nan_enabled()) \
                    != value:
                torch_module.set_anomaly_enabled(*value)
            continue
        # Only when changed: PyTorch's set_default_device installs a dispatch mode even
        # when it sets what was there already.
        if getattr(torch_module, f"get_default_{name}")() != value:
            getattr(torch_module, f"set_default_{name}")(value)


class _Execution:
    def __init__(self, program, torch_module, limits, cancel_event, record, bind_torch, on_frame):
        self.program = program
        self.torch = torch_module
        self.limits = limits
        self.guard = Guard(limits, cancel_event)
        self.interpreter = Sandbox(torch_module, self.guard)
        if bind_torch:
            self.bind_torch()
        self.trees = {}
        self.recorder = make_recorder(torch_module, record)
        self.module_scopes = None
        if hasattr(self.recorder, "scope_provider"):
            self.recorder.scope_provider = lambda: tuple(self.interpreter.scope_stack)
            self.interpreter.statement_listener = self.record_inner
            self.module_scopes = _ModuleScopes(self.interpreter, self.recorder)
        self.inner_budget = INNER_FRAME_BUDGET
        self.caught = []
        self.current_path = ()
        self.output = []
        self.on_frame = on_frame
        self.frames = []
        self.loop_counters = []

    def run(self):
        grad_mode = self.torch.is_grad_enabled()
        defaults = _process_defaults(self.torch)
        timeline = Timeline(frames=self.frames)
        try:
            # Warnings raised by a step belong to its frame. Python's filters are
            # process-wide, so they are set to record everything once, for the whole run.
            with warnings.catch_warnings(record=True) as self.caught, self.recorder, \
                    _listening(self.torch, self.module_scopes):
                warnings.simplefilter("always")
                self.run_block(self.program.steps, ())
        except _Stop as stop:
            timeline.status = stop.status
            timeline.error = self.frames[-1].error if self.frames else None
        except (_BreakLoop, _ContinueLoop) as signal:  # a hand-edited code block at the top
            word = "break" if isinstance(signal, _BreakLoop) else "continue"
            timeline.status = ERROR
            timeline.error = ErrorInfo("SyntaxError", f"'{word}' outside loop")
        except (LimitExceeded, RunCancelled) as exc:  # raised between frames
            timeline.status = LIMIT if isinstance(exc, LimitExceeded) else CANCELLED
            timeline.error = ErrorInfo(type(exc).__name__, str(exc))
        finally:
            self.interpreter.finish()
            self.torch.set_grad_enabled(grad_mode)
            _restore_process_defaults(self.torch, defaults)
        timeline.variables = dict(self.interpreter.variables)
        return timeline

    # ------------------------------------------------------------ values
    def bind_torch(self):
        """``torch`` names the engine (as a builtin, so it is no variable of the program)."""
        self.interpreter.builtins["torch"] = self.interpreter.modules.importable("torch")

    def evaluate(self, expr):
        """The value of a step's expression, walked by the sandbox."""
        # Keyed by identity: the program holds its expressions for the whole run, and
        # hashing a nested dataclass on every evaluation would cost more than the lookup.
        tree = self.trees.get(id(expr))
        if tree is None:
            tree = self.trees[id(expr)] = to_python_ast(expr)
        return self.interpreter.evaluate_tree(tree)

    # ------------------------------------------------------------ frames
    def record(self, step, path, action, header=False):
        """Run ``action`` as one frame of ``step``; return (result, condition)."""
        self.guard.tick()
        if len(self.frames) >= self.limits.max_frames:
            raise LimitExceeded(f"more than {self.limits.max_frames} frames (frame limit)",
                                "frames")
        output = self.output = []
        self.interpreter.write = output.append
        self.current_path = path
        drawn = self.drawn()
        if drawn:
            self.recorder.resume()
        else:
            self.recorder.pause()
        self.recorder.begin_frame()
        error = None
        status = None
        control = None
        result = None
        caught = self.caught
        first_warning = len(caught)
        try:
            result = action()
        except (_BreakLoop, _ContinueLoop) as signal:
            control = signal
        except LimitExceeded as exc:
            error, status = ErrorInfo("LimitExceeded", str(exc)), LIMIT
        except RunCancelled as exc:
            error, status = ErrorInfo("RunCancelled", str(exc)), CANCELLED
        except Exception as exc:  # the step's own error, PyTorch's text: it belongs to the frame
            error, status = ErrorInfo(type(exc).__name__, error_text(exc)), ERROR
        if len(caught) > first_warning:
            step_warnings = tuple(f"{w.category.__name__}: {w.message}"
                                  for w in caught[first_warning:])
            del caught[first_warning:]
        else:
            step_warnings = ()
        if error is not None and not drawn:
            self.recorder.resume()  # the frame where a run stops is always drawn
            drawn = True
        condition = bool(result) if header and type(step) in (While, If) and error is None \
            else None
        frame = Frame(
            index=len(self.frames), path=path, line=step.line,
            iterations=tuple(self.loop_counters), grad_enabled=bool(self.torch.is_grad_enabled()),
            output="".join(output), error=error,
            snapshot=self.recorder.snapshot(self.interpreter.variables,
                                            touched_names(step, header)) if drawn else None,
            events=self.recorder.take_events() if drawn else (),
            warnings=step_warnings, header=header, condition=condition, sampled_out=not drawn)
        self.frames.append(frame)
        if self.on_frame is not None:
            self.on_frame(frame)
        if error is not None:
            raise _Stop(status)
        if control is not None:
            raise control
        return result

    # ------------------------------------------------------------- steps
    def run_block(self, steps, prefix, offset=0):
        for index, step in enumerate(steps):
            if not step.disabled:
                self.run_step(step, prefix + (offset + index,))

    def run_step(self, step, path):
        kind = type(step)
        if kind is With:
            self.run_with(step, path)
        elif kind is For:
            self.run_for(step, path)
        elif kind is While:
            self.run_while(step, path)
        elif kind is If:
            if self.record(step, path, lambda: self.interpreter.truth(self.evaluate(step.condition)),
                           header=True):
                self.run_block(step.body, path)
            else:
                self.run_block(step.orelse, path, offset=len(step.body))
        else:
            self.record(step, path, lambda: self.execute_simple(step))

    def run_with(self, step, path):
        def enter():
            context = self.evaluate(step.context)
            exit_ = self.interpreter._protocol(context, "__exit__")
            self.interpreter._protocol(context, "__enter__")()
            return exit_

        exit_ = self.record(step, path, enter, header=True)
        try:
            self.run_block(step.body, path)
        finally:
            exit_(None, None, None)

    def run_for(self, step, path):
        state = {}

        def next_item():
            if "iterator" not in state:
                state["iterator"] = self.interpreter.iterate(self.evaluate(step.iterable))
            try:
                item = next(state["iterator"])
            except StopIteration:
                return False
            self.guard.count_iteration()
            self.bind(step.targets, step.unpack, item)
            return True

        self.run_loop(step, path, next_item)

    def run_while(self, step, path):
        def test():
            value = self.interpreter.truth(self.evaluate(step.condition))
            if value:
                self.guard.count_iteration()
            return value

        self.run_loop(step, path, test)

    def run_loop(self, step, path, advance):
        """Run ``step.body`` while its header frame (``advance``) says so; break/continue work."""
        self.loop_counters.append(0)
        try:
            while self.record(step, path, advance, header=True):
                try:
                    self.run_block(step.body, path)
                except _BreakLoop:
                    break
                except _ContinueLoop:
                    pass
                self.loop_counters[-1] += 1
        finally:
            self.loop_counters.pop()

    def bind(self, targets, unpack, value):
        if not unpack:
            self.interpreter.variables[targets[0]] = value
            return
        tuple_target = ast.Tuple([ast.Name(name, ast.Store()) for name in targets], ast.Store())
        self.interpreter.assign(tuple_target, value, self.interpreter.module_scope)

    def execute_simple(self, step):
        interpreter = self.interpreter
        kind = type(step)
        if kind is Assign:
            self.bind(step.targets, step.unpack, self.evaluate(step.value))
        elif kind is ExprStatement:
            self.evaluate(step.value)
        elif kind is Code:
            self.run_code(step)
        elif kind is AugAssign:
            self.augmented_assign(step)
        elif kind is AttrAssign:
            target = self.evaluate(step.target.value)
            value = self.evaluate(step.value)
            interpreter.set_attribute(target, step.target.attr, value)
        elif kind is IndexAssign:
            container = self.evaluate(step.target.value)
            index = self.evaluate(step.target.index)
            interpreter.set_item(container, index, self.evaluate(step.value))
        elif kind is Import:
            if step.module not in whitelist.IMPORTABLE:
                raise ImportError(f"No module named '{step.module}'")
            self.bind_torch()
        elif kind is Break:
            raise _BreakLoop()
        elif kind is Continue:
            raise _ContinueLoop()
        elif kind not in (Pass, FutureImport):
            raise TypeError(f"cannot run {kind.__name__}")

    def drawn(self, counters=None):
        """Whether the next frame gets a snapshot: every frame, except in the middle of a long
        loop, which is drawn for its first iterations, every SAMPLE_EVERY-th, and after it."""
        for count in self.loop_counters if counters is None else counters:
            if count >= FULL_ITERATIONS and (count + 1) % SAMPLE_EVERY:
                return False
        return True

    def record_inner(self, node, scope):
        """A frame for a statement that ran inside a function (stepping into calls)."""
        if self.inner_budget <= 0 or len(self.frames) >= self.limits.max_frames \
                or getattr(self.recorder, "paused", False) \
                or not self.drawn(self.interpreter.loop_counters):
            return
        self.inner_budget -= 1
        variables = dict(self.interpreter.variables)
        variables.update((name, value) for name, value in scope.values.items()
                         if not name.startswith("_"))
        touched = names_loaded([node]) + names_bound([node])
        text = "".join(self.output)
        self.output.clear()
        frame = Frame(
            index=len(self.frames), path=self.current_path,
            line=scope.function._line_offset + node.lineno,
            iterations=tuple(self.loop_counters), grad_enabled=bool(self.torch.is_grad_enabled()),
            output=text, snapshot=self.recorder.snapshot(variables, touched),
            events=self.recorder.take_events(), call_stack=tuple(self.interpreter.scope_stack))
        self.frames.append(frame)
        if self.on_frame is not None:
            self.on_frame(frame)

    def run_code(self, step):
        """A ``Code`` step: its statements, walked by the sandbox at the top level."""
        self.interpreter.line_offset = max(step.line - 1, 0)
        try:
            self.interpreter.run_statements(parse_statements(step.source))
        except sandbox_statements._Break:
            raise _BreakLoop() from None
        except sandbox_statements._Continue:
            raise _ContinueLoop() from None
        except sandbox_statements._Return:
            raise SyntaxError("'return' outside function") from None

    def augmented_assign(self, step):
        """``target op= value`` with Python's order: target parts, current value, value, store."""
        interpreter = self.interpreter
        target = step.target
        op = _OPERATORS[step.op]
        if type(target) is Name:
            current = interpreter.load_global(target.id)
            value = self.evaluate(step.value)
            interpreter.variables[target.id] = interpreter.binary(op, current, value, True)
        elif type(target) is Attribute:
            owner = self.evaluate(target.value)
            current = interpreter.get_attribute(owner, target.attr)
            value = self.evaluate(step.value)
            result = interpreter.binary(op, current, value, True)
            interpreter.set_attribute(owner, target.attr, result)
        elif type(target) is Subscript:
            container = self.evaluate(target.value)
            index = self.evaluate(target.index)
            current = interpreter.get_item(container, index)
            value = self.evaluate(step.value)
            interpreter.set_item(container, index, interpreter.binary(op, current, value, True))
        else:
            raise TypeError("unsupported augmented assignment target")
