"""Run a corpus program the way the app does: parsed into steps, walked by the sandbox.

``printed_in_app(name)`` gives what the program printed (the frames' output, in
order) and the error that stopped it, as one line in Python's words.
"""
import dataclasses

from tests.corpus import harness


@dataclasses.dataclass(frozen=True)
class AppOutcome:
    opened: bool          # parsed whole (no line refused)
    stdout: str
    error: str            # "Type: message" of the error that stopped the run, or ""


def printed_in_app(name, max_seconds=120.0):
    import engine
    from explorer.program.files import load_document
    from explorer.program.limits import Limits
    from explorer.program.runner import run_program

    path = harness.program_path(name)
    document = load_document(path)
    if document.source_error is not None:
        return AppOutcome(False, "", f"ProgramSyntaxError: {document.source_error}")
    timeline = run_program(document.program, engine, limits=Limits(max_seconds=max_seconds))
    error = "" if timeline.error is None else \
        f"{timeline.error.type_name}: {timeline.error.message}"
    return AppOutcome(True, harness.normalise(timeline.output, str(path)), error)


# Programs the engine runs as PyTorch does but the app does not, by design.
APP_DIFFERING = {
    "docs_autograd_notes_multithreaded":
        "starts Python threads (import threading): a program runs on the app's one worker",
    "tutorials_autograd_saved_tensors_hooks":
        "calls eval() in an unpack hook: the sandbox never evaluates text",
}
