"""The bytes each format produces, for an output suffix of ``format_names``.

Pictures and animations are drawn here with Qt; graph data comes from ``data``,
which needs no Qt.
"""
from __future__ import annotations

from .animation import animation_frames, backward_frame
from .animation_scene import AnimatedScene
from .backward_still import show_backward
from .data import data_bytes
from .format_names import DATA
from .gif import encode_gif
from .gif_limits import check_gif_size
from .html_animation import animation_page
from .pdf import pdf_bytes
from .pipeline import ExportError, Prepared
from .raster import MIN_LEGIBLE_SCALE, fitting_scale, image_size, render_scene, scene_png
from .scene import compose_scene
from .slide import fit_slide, is_slide
from .vector import svg_bytes

EVENT_DELAY_MS = 1200
# The last picture stays up longer, so a looping GIF does not restart at once.
FINAL_DELAY_MS = 3000


def still_bytes(prepared: Prepared, suffix: str, scale: float = 1.0, notes: list | None = None,
                events_shown: int | None = None) -> bytes:
    """One frame as a picture or as graph data; ``notes`` collects what the user should know.

    ``events_shown``: draw the frame's backward pass after that many of its events
    (``backward_still``); None draws the graph alone.
    """
    if suffix in DATA:
        return data_bytes(prepared, suffix)
    exported = compose_scene(prepared.graph, prepared.layout, prepared.theme, prepared.fonts,
                             prepared.sizes)
    if events_shown is not None:
        show_backward(exported, prepared.frame, prepared.graph, events_shown)
    if is_slide(prepared.theme):
        scale = fit_slide(exported, scale)
    if suffix == ".png":
        return scene_png(exported, _pixel_scale(exported, scale, notes, _smaller_view(prepared)))
    if suffix == ".svg":
        return svg_bytes(exported, prepared.title, _description(prepared))
    if suffix == ".pdf":
        return pdf_bytes(exported, prepared.title)
    raise ExportError(f"{suffix} is not a still format")


def animation_bytes(prepared: Prepared, suffix: str, scale: float = 1.0, notes: list | None = None) -> bytes:
    """The backward animation of ``prepared`` (which must be the frame that ran backward)."""
    frames = animation_frames(prepared.frame, prepared.graph, prepared.language)
    exported = compose_scene(prepared.graph, prepared.layout, prepared.theme, prepared.fonts,
                             prepared.sizes)
    delays = [EVENT_DELAY_MS] * (len(frames) - 1) + [FINAL_DELAY_MS]
    if suffix == ".gif":
        animated = AnimatedScene(exported, prepared.frame, prepared.graph)
        return _gif_bytes(animated, frames, delays, scale, notes, _smaller_view(prepared),
                          is_slide(prepared.theme))
    if suffix == ".html":
        return animation_page(exported, frames, prepared.title, prepared.language, EVENT_DELAY_MS)
    raise ExportError(f"{suffix} is not an animation format")


def _gif_bytes(animated: AnimatedScene, frames, delays, scale: float, notes: list | None,
               smaller_view: bool, slide: bool = False) -> bytes:
    """The frames drawn one at a time, twice (colours, then pixels): memory for one frame."""
    exported = animated.exported
    animated.fit(frames)
    if slide:
        scale = fit_slide(exported, scale)
    # Every frame has the same rectangle, so the scale is fitted (and noted) once.
    fitted = _pixel_scale(exported, scale, notes, smaller_view)
    check_gif_size(len(frames), *image_size(exported.rect, fitted), fitted, smaller_view)
    try:
        return encode_gif(lambda: animated.each(frames, lambda scene: render_scene(scene, fitted)), delays)
    except MemoryError:
        raise ExportError("out of memory drawing the GIF's frames; use a smaller --scale or .html") from None


def animated_frame_number(prepared: Prepared) -> int:
    """The frame (from 1) whose backward() call the animation of ``prepared`` shows."""
    return backward_frame(prepared.timeline, prepared.frame).index + 1


def _pixel_scale(exported, scale: float, notes: list | None, smaller_view: bool) -> float:
    """``scale``, or the smaller one at which the picture fits the limits (noted); an error when
    that one would draw the labels too small to read."""
    fitted = fitting_scale(exported.rect, scale)
    if fitted == scale:
        if scale < MIN_LEGIBLE_SCALE and notes is not None:
            notes.append(f"at --scale {scale:g} the labels are too small to read; "
                         f"use {MIN_LEGIBLE_SCALE:g} or more for readable text")
        return scale
    if fitted < MIN_LEGIBLE_SCALE:
        view = "--view autograd, " if smaller_view else ""
        raise ExportError(f"the drawing is too large for a readable picture: it fits the picture limits "
                          f"only at scale {fitted:.2g}, where its labels cannot be read; use {view}.svg, "
                          f"or an earlier --step")
    if notes is not None:
        notes.append(f"the drawing is too large for a picture at scale {scale:g}; scaled to {fitted:.3g} "
                     f"(SVG and PDF have no size limit)")
    return fitted


def _smaller_view(prepared: Prepared) -> bool:
    """Whether the autograd view (no tensor nodes) would draw ``prepared`` smaller."""
    return prepared.graph.graph.get("view") == "tensor_function"


def _description(prepared: Prepared) -> str:
    return f"frame {prepared.frame_number} of {len(prepared.timeline.frames)}"
