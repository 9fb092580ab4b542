"""Run corpus programs under one library: ``python -m tests.corpus.worker torch|engine``.

The worker imports the library once and then forks one child per program (read
one path per line from stdin), so every program starts from a fresh
interpreter state without paying for ``import torch`` again; a program's
stdout, stderr and exit status come back as one JSON line on stdout.
Where ``os.fork`` is missing each program runs in a fresh interpreter instead.
"""
import json
import os
import runpy
import selectors
import signal
import subprocess
import sys
import time
import traceback

# One thread per library: the machines that run the suite are shared, and a
# reduction's result must not depend on how many threads split it.
THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")
TIMEOUT_EXIT = -1000  # exit status reported for a program stopped at its time limit


def prepare(library):
    """Import ``library`` under the name ``torch`` (PyTorch itself, or engine standing in)."""
    for variable in THREAD_VARIABLES:
        os.environ[variable] = "1"
    if library == "engine":
        from tests.corpus.stand_in import install_engine_as_torch
        install_engine_as_torch()
    else:
        import torch
        torch.set_num_threads(1)
    import torch
    _warm_up(torch)


def _warm_up(torch):
    """Run what most programs run once, so that the modules a library loads on
    first use (PyTorch loads sympy when it first prints) are loaded before the fork."""
    steps = (
        lambda: str(torch.arange(4.0, requires_grad=True) * 2),
        lambda: (torch.ones(2, requires_grad=True) * 3).sum().backward(),
        lambda: str(torch.ones(2, requires_grad=True).sum().grad_fn),
        lambda: torch.nn.Linear(2, 1)(torch.ones(3, 2)).sum().backward(),
        lambda: torch.optim.SGD([torch.ones(1, requires_grad=True)], lr=0.1),
    )
    state = torch.random.get_rng_state() if hasattr(torch.random, "get_rng_state") else None
    for step in steps:
        try:
            step()
        except Exception:  # noqa: BLE001 - a library without the step just loads less
            pass
    if state is not None:
        torch.random.set_rng_state(state)


def run_program(path):
    """Run ``path`` as ``__main__`` the way ``python path`` would; return its exit status."""
    sys.argv = [path]
    sys.path.insert(0, os.path.dirname(path))
    try:
        runpy.run_path(path, run_name="__main__")
    except SystemExit as stop:
        code = stop.code
        if code is None:
            return 0
        if isinstance(code, int):
            return code
        print(code, file=sys.stderr)
        return 1
    except BaseException:  # noqa: B036 - an uncaught error ends the program as Python would
        traceback.print_exc()
        return 1
    return 0


def _child(path, out_fd, err_fd):
    os.dup2(out_fd, 1)
    os.dup2(err_fd, 2)
    sys.stdout = open(1, "w", encoding="utf-8", closefd=False)
    sys.stderr = open(2, "w", encoding="utf-8", closefd=False)
    try:
        status = run_program(path)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
    os._exit(status)


def _read_until_closed(fds, deadline):
    """Everything written to ``fds`` until they close; ``None`` marks a run past ``deadline``."""
    chunks = {fd: [] for fd in fds}
    selector = selectors.DefaultSelector()
    for fd in fds:
        selector.register(fd, selectors.EVENT_READ)
    open_fds = set(fds)
    while open_fds:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None
        for key, _ in selector.select(remaining):
            data = os.read(key.fd, 65536)
            if data:
                chunks[key.fd].append(data)
            else:
                selector.unregister(key.fd)
                open_fds.discard(key.fd)
    selector.close()
    return [b"".join(chunks[fd]).decode("utf-8", "replace") for fd in fds]


def run_forked(path, timeout):
    out_read, out_write = os.pipe()
    err_read, err_write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(out_read)
        os.close(err_read)
        _child(path, out_write, err_write)
    os.close(out_write)
    os.close(err_write)
    texts = _read_until_closed([out_read, err_read], time.monotonic() + timeout)
    os.close(out_read)
    os.close(err_read)
    if texts is None:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        return "", f"stopped after {timeout} s", TIMEOUT_EXIT
    _, status = os.waitpid(pid, 0)
    return texts[0], texts[1], os.waitstatus_to_exitcode(status)


def run_fresh(library, path, timeout):
    """One interpreter per program, for systems without ``fork``."""
    code = (f"from tests.corpus import worker; worker.prepare({library!r}); "
            f"raise SystemExit(worker.run_program({path!r}))")
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    try:
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              timeout=timeout, cwd=root)
    except subprocess.TimeoutExpired:
        return "", f"stopped after {timeout} s", TIMEOUT_EXIT
    return done.stdout, done.stderr, done.returncode


def main(library, timeout):
    forking = hasattr(os, "fork")
    if forking:
        prepare(library)
    replies = sys.stdout
    for line in sys.stdin:
        path = line.strip()
        if not path:
            continue
        started = time.monotonic()
        stdout, stderr, status = (run_forked(path, timeout) if forking
                                  else run_fresh(library, path, timeout))
        replies.write(json.dumps({"path": path, "stdout": stdout, "stderr": stderr,
                                  "status": status, "seconds": time.monotonic() - started}) + "\n")
        replies.flush()


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]) if len(sys.argv) > 2 else 60.0)
