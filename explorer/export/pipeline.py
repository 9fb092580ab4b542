"""From a file to something drawable: FILE → document → run → frame → graph → layout.

Every failure a user can cause (a missing or malformed file, a step number the
run does not have) becomes an ``ExportError`` with a one-line message; the
command line prints it and exits non-zero.

Frames are numbered from 1, as the app's timeline shows them ("frame 3 / 5").

No Qt here: how boxes are measured, which colours and words are used, is the
``Look`` a caller passes (``themes.drawn_look``: the app's fonts, through Qt;
``plain_look.plain_look``: text lengths, for graph data where Qt is missing).
"""
from __future__ import annotations

import os
import stat
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from explorer.graph.build import build_graph
from explorer.graph.layout import Layout, layered_layout
from explorer.graph.style import Theme
from explorer.program.errors import ProgramFileError
from explorer.program.files import Document
from explorer.program.timeline import FINISHED, Frame, Timeline
from explorer.sources import open_document

# Command-line names of the two views -> the names explorer.graph uses.
VIEWS = {"tensor-function": "tensor_function", "autograd": "grad_fn"}
LAST = "last"


class ExportError(Exception):
    """A problem with the user's request, said in one line."""


@dataclass(frozen=True)
class Look:
    """How an export draws and words a graph, in one language."""

    theme: Theme
    language: str
    # The drawing's fonts (``GraphFonts``); None where Qt is missing.
    fonts: object
    # graph -> {node id: (width, height) of its box}
    node_sizes: Callable[[object], dict]
    # The graph's own words ("(unnamed)", "saved: freed") as the drawing writes them.
    translate: Callable[[str], str]


@dataclass
class Prepared:
    """One frame of a run, drawn and placed, with everything an exporter needs."""

    document: Document
    timeline: Timeline
    frame: Frame
    graph: object
    layout: Layout
    sizes: dict
    look: Look
    title: str

    @property
    def frame_number(self) -> int:
        return self.frame.index + 1

    @property
    def fonts(self):
        return self.look.fonts

    @property
    def theme(self) -> Theme:
        return self.look.theme

    @property
    def language(self) -> str:
        return self.look.language


def load(path) -> Document:
    """The document in ``path`` (``.agx.json``, ``.py``, or a tutorial: a notebook,
    Markdown, a saved page); never runs anything."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        mode = None  # opening it says what is wrong
    if mode is not None and not stat.S_ISREG(mode):
        # A FIFO or a device could keep the export waiting for input forever.
        raise ExportError(f"{path}: is not a regular file")
    try:
        document, _imported = open_document(path)
    except ProgramFileError as error:
        raise ExportError(one_line(str(error))) from None
    except OSError as error:
        raise ExportError(f"{path}: {error.strerror or error}") from None
    if document.source_error is not None:
        # The app opens such a file up to its error; a picture of half a program would
        # look finished, so an export says where the file stops parsing instead.
        raise ExportError(one_line(f"{path}: {document.source_error}"))
    return document


def run(document: Document) -> Timeline:
    """The timeline of ``document``'s program run on the engine, inside the usual limits."""
    import engine
    from explorer.program.runner import run_program

    timeline = run_program(document.program, engine)
    if not timeline.frames:
        raise ExportError("the program has no steps to draw")
    return timeline


def parse_step(text: str):
    """``"last"`` or a frame number from 1 (as the app's timeline counts)."""
    if text == LAST:
        return LAST
    try:
        number = int(text)
    except ValueError:
        raise ExportError(f"--step expects a frame number or 'last', not {text!r}") from None
    if number < 1:
        raise ExportError(f"--step counts frames from 1, not {number}")
    return number


def choose_frame(timeline: Timeline, step) -> Frame:
    """Frame number ``step`` (from 1) or the last one; an error when the run has no such frame."""
    frames = timeline.frames
    if step != LAST and step > len(frames):
        raise ExportError(f"--step {step}: the run has {len(frames)} frame(s)")
    index = len(frames) - 1 if step == LAST else step - 1
    # A frame recorded without a graph (the middle of a long loop) is drawn as the app
    # draws it: by the nearest earlier frame that has one.
    while index > 0 and frames[index].snapshot is None:
        index -= 1
    return frames[index]


def stopped_early(timeline: Timeline) -> str:
    """A one-line note when the run did not finish (the export still shows its frames)."""
    if timeline.status == FINISHED:
        return ""
    last = timeline.frames[-1]
    reason = str(timeline.error) if timeline.error else timeline.status
    return f"the program stopped at frame {last.index + 1} (line {last.line}): {one_line(reason)}"


def lay_out(graph, look: Look, previous: Layout | None = None,
            direction: str = "TB") -> tuple[Layout, dict]:
    """The app's layout of ``graph`` with boxes measured as ``look`` measures them, and those
    sizes; ``direction`` "LR" lays the layers out left to right (for wide slides)."""
    sizes = look.node_sizes(graph)
    return layered_layout(graph, previous, node_size=sizes.__getitem__, direction=direction), sizes


def document_title(document: Document, language: str, path) -> str:
    title = readable(document.title.get(language) or document.title.get("en") or "")
    if title:
        return title
    name = os.path.basename(os.fspath(path))
    for suffix in (".agx.json", ".json", ".py"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def prepare_frames(path, steps, look: Look, view: str = "tensor-function",
                   timeline: Timeline | None = None, direction: str = "TB") -> list[Prepared]:
    """One ``Prepared`` per entry of ``steps`` ("last", a number, or None for every frame).

    Successive frames reuse the previous layout, as the app does, so nodes stay put
    from one picture to the next.
    """
    return list(each_prepared(path, steps, look, view, timeline, direction))


def each_prepared(path, steps, look: Look, view: str = "tensor-function",
                  timeline: Timeline | None = None, direction: str = "TB") -> Iterator[Prepared]:
    """``prepare_frames``, one frame at a time: each is made when asked for, and kept by
    nothing here once the next is made."""
    graph_view(view)   # a wrong name is said before the file is read
    document = load(path)
    timeline = timeline or run(document)
    if steps is None:  # every frame that has a picture of its own
        frames = [frame for frame in timeline.frames if frame.snapshot is not None]
    else:
        frames = [choose_frame(timeline, step) for step in steps]
    title = document_title(document, look.language, path)
    yield from each_run_frame(document, timeline, frames, look, view, title, direction=direction)


def prepare_run(document: Document, timeline: Timeline, frames, look: Look, view: str = "tensor-function",
                title: str = "", previous: Layout | None = None, direction: str = "TB") -> list[Prepared]:
    """One ``Prepared`` per frame of ``frames`` (frames of ``timeline``, the run of ``document``),
    each laid out starting from the layout before it (``previous`` for the first)."""
    return list(each_run_frame(document, timeline, frames, look, view, title, previous, direction))


def each_run_frame(document: Document, timeline: Timeline, frames, look: Look,
                   view: str = "tensor-function", title: str = "",
                   previous: Layout | None = None, direction: str = "TB") -> Iterator[Prepared]:
    """``prepare_run``, one frame at a time."""
    view_name = graph_view(view)
    for frame in frames:
        if frame.snapshot is None:
            raise ExportError(f"frame {frame.index + 1} has no graph snapshot")
        graph = build_graph(frame.snapshot, view_name)
        layout, sizes = lay_out(graph, look, previous, direction)
        previous = layout
        yield Prepared(document, timeline, frame, graph, layout, sizes, look, title)


def graph_view(view: str) -> str:
    """The name explorer.graph uses for the command-line view name ``view``."""
    if view not in VIEWS:
        raise ExportError(f"unknown view {view!r} (choose from {', '.join(VIEWS)})")
    return VIEWS[view]


def prepare(path, look: Look, step=LAST, view: str = "tensor-function") -> Prepared:
    """The chosen frame of ``path``'s run, as a graph with its layout."""
    return prepare_frames(path, [step], look, view)[0]


def readable(text: str) -> str:
    """``text`` fit for any file format: one line, no control characters, and each lone
    surrogate (a JSON file may hold one; UTF-8 cannot) replaced by U+FFFD."""
    text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return one_line("".join(" " if unicodedata.category(character) == "Cc" else character
                            for character in text))


def one_line(text: str) -> str:
    return " ".join(str(text).split())
