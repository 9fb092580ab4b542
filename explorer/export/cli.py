"""``autograd-explorer export FILE -o OUT [options]``: the drawing without a window.

Runs with no display: the offscreen Qt platform is chosen here, before Qt is
imported. Problems the user can fix end with a one-line message on stderr and
exit status 1 (2 for a malformed command line); no partial file is ever left.
"""
from __future__ import annotations

import argparse
import contextlib
import itertools
import os
import signal
import sys
import threading

PROG = "autograd-explorer export"
FORMAT_HELP = (".png .svg .pdf (one frame), .gif .html (the backward animation), "
               ".dot .graphml .json (graph data), .agx.json (the file as a lesson)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG, description="Draw a computation's autograd graph to a file, with no window.")
    parser.add_argument("file", metavar="FILE", help="a computation or lesson file (.agx.json / .json), "
                                                     "a Python program (.py), or a tutorial to "
                                                     "import (.ipynb .md .html)")
    parser.add_argument("-o", "--output", metavar="OUT", required=True,
                        help=f"the file to write; its suffix picks the format: {FORMAT_HELP}")
    frames = parser.add_mutually_exclusive_group()
    frames.add_argument("--step", default="last", metavar="N|last",
                        help="which frame to draw, counted from 1 as in the app's timeline (default: last); "
                             "for .gif/.html the backward() call at or before it")
    frames.add_argument("--all-steps", action="store_true",
                        help="write one file per frame: OUT-01.png, OUT-02.png, ...")
    parser.add_argument("--grads", action="store_true",
                        help="draw the gradients of the backward() call at or before --step on the picture: "
                             "the edges they flowed along and each leaf's .grad before → after")
    parser.add_argument("--event", type=int, metavar="N",
                        help="with --grads (implied): as they stand after the backward pass's event N, "
                             "counted from 1 as the animation counts them (default: all)")
    parser.add_argument("--view", choices=("tensor-function", "autograd"), default="tensor-function",
                        help="tensors and Functions, or PyTorch's grad_fn graph as torchviz draws it")
    parser.add_argument("--rankdir", choices=("TB", "LR"), default="TB",
                        help="which way the graph grows: top to bottom, or left to right for wide slides")
    parser.add_argument("--theme", choices=("light", "dark", "projector"), default="light")
    parser.add_argument("--scale", type=float, default=1.0, metavar="S",
                        help="pixel scale of .png and .gif output (default 1; 2 for sharp slides)")
    parser.add_argument("--lang", choices=("en", "zh"), default="en",
                        help="language of the legend, captions and page controls")
    return parser


def main(argv: list[str] | None = None) -> int:
    _choose_offscreen_platform()
    try:
        arguments = build_parser().parse_args(argv)
    except SystemExit as exit_request:
        # argparse has printed its usage message; report its status instead of exiting.
        return int(exit_request.code or 0)
    from .pipeline import ExportError

    try:
        with _signals_end_cleanly(arguments.output):
            for path in export(arguments):
                print(path)
    except ExportError as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return 1
    return 0


def export(arguments) -> list[str]:
    """Do what ``arguments`` ask; return the paths written."""
    from .format_names import ANIMATIONS, PICTURES, format_of
    from .lesson_file import is_lesson_target, lesson_bytes
    from .pipeline import ExportError, each_prepared, parse_step, prepare_frames, stopped_early
    from .writing import check_target, write_files

    output = arguments.output
    if is_lesson_target(output):  # a lesson file, not the graph's JSON data
        check_target(output, arguments.file)
        return write_files([(output, lesson_bytes(arguments.file))])
    suffix = format_of(output)
    if not 0 < arguments.scale <= 16:
        raise ExportError(f"--scale must be above 0 and at most 16, not {arguments.scale:g}")
    if arguments.all_steps and suffix in ANIMATIONS:
        raise ExportError(f"--all-steps writes one picture per frame; {suffix} already holds the animation")
    grads = arguments.grads or arguments.event is not None
    if grads and (suffix not in PICTURES or arguments.all_steps):
        raise ExportError("--grads and --event draw one picture (.png .svg .pdf); "
                          ".gif and .html animate every event")
    check_target(output, arguments.file)
    steps = None if arguments.all_steps else [parse_step(arguments.step)]
    notes = []
    look = _look(suffix, arguments.theme, arguments.lang, notes)
    # Frames are made one at a time: --all-steps draws and writes each before making the next.
    frames = each_prepared(arguments.file, steps, look, arguments.view, direction=arguments.rankdir)
    chosen = next(frames)
    stop_note = stopped_early(chosen.timeline)
    if stop_note:
        notes.insert(0, stop_note)
    if suffix in ANIMATIONS or grads:
        from .backward_still import checked_event
        from .chinese_font import check_chinese_font
        from .formats import animated_frame_number, animation_bytes, still_bytes

        check_chinese_font([chosen], suffix)
        number = animated_frame_number(chosen)
        if number != chosen.frame_number:
            chosen = prepare_frames(arguments.file, [number], look, arguments.view,
                                    timeline=chosen.timeline, direction=arguments.rankdir)[0]
        if grads:
            shown = checked_event(chosen.frame, arguments.event)
            contents = [(output, still_bytes(chosen, suffix, arguments.scale, notes, shown))]
        else:
            contents = [(output, animation_bytes(chosen, suffix, arguments.scale, notes))]
    elif arguments.all_steps:
        count = len(chosen.timeline.frames)
        contents = ((numbered_path(output, suffix, item.frame_number, count),
                     _still_bytes(item, suffix, arguments.scale, notes))
                    for item in itertools.chain([chosen], frames))
    else:
        contents = [(output, _still_bytes(chosen, suffix, arguments.scale, notes))]
    del chosen
    written = write_files(contents)
    for note in dict.fromkeys(notes):
        print(f"{PROG}: note: {note}", file=sys.stderr)
    return written


def _look(suffix: str, theme: str, language: str, notes: list):
    """The app's look, drawn with Qt; for graph data, a plain one where PySide6 is missing."""
    from .format_names import DATA
    from .pipeline import ExportError

    try:
        from .themes import drawn_look
    except ImportError as error:
        if (error.name or "").partition(".")[0] != "PySide6":
            raise
        if suffix not in DATA:
            raise ExportError(f"{suffix} is drawn with Qt, and PySide6 cannot be imported: install it "
                              f"(pip install PySide6-Essentials), or export {', '.join(DATA)}") from None
        from .plain_look import plain_look

        notes.append("PySide6 is not installed: the boxes' sizes are estimated from their text")
        return plain_look(theme, language)
    return drawn_look(theme, language)


def _still_bytes(prepared, suffix: str, scale: float, notes: list) -> bytes:
    """One frame's file: graph data needs no Qt, a picture is drawn with it."""
    from .format_names import DATA

    if suffix in DATA:
        from .data import data_bytes

        return data_bytes(prepared, suffix)
    from .chinese_font import check_chinese_font
    from .formats import still_bytes

    check_chinese_font([prepared], suffix)
    return still_bytes(prepared, suffix, scale, notes)


def numbered_path(path: str, suffix: str, number: int, count: int) -> str:
    """``graph.png`` -> ``graph-03.png``: frame numbers padded so the files sort in order."""
    digits = max(2, len(str(count)))
    return f"{path[: -len(suffix)]}-{number:0{digits}d}{path[-len(suffix):]}"


@contextlib.contextmanager
def _signals_end_cleanly(output: str):
    """End on SIGTERM and SIGHUP without leaving half-written files beside ``output``.

    The handler removes this process's temporaries and ends the process at once. Raising
    ``SystemExit`` from it instead (so that ``finally`` blocks cleaned up) unwound through
    Qt's painting when the signal came mid-frame, and the process died of a segmentation
    fault about one time in five."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    folder = os.path.dirname(os.path.abspath(output))

    def end(number, _frame):
        from .writing import remove_own_temporaries

        remove_own_temporaries(folder)
        os._exit(128 + number)

    caught = [signal.SIGTERM] + ([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])
    previous = {number: signal.signal(number, end) for number in caught}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _choose_offscreen_platform():
    # Exports never show a window; the offscreen platform needs no display server.
    # Once Qt is loaded (inside the app, or a test) its platform is already chosen.
    if "PySide6.QtGui" not in sys.modules:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"


if __name__ == "__main__":
    sys.exit(main())
