"""Limits and small text helpers shared by the readers."""
import re

from ..program.files import MAX_TEXT

# Read at most this much of a file; anything bigger is refused before parsing.
MAX_TUTORIAL_BYTES = 8 * 1024 * 1024
# HTML costs a few microseconds a character to parse in Python (a tag soup of the
# largest size takes seconds): saved pages get half the room.
MAX_PAGE_BYTES = 4 * 1024 * 1024
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def clip_text(text, limit=MAX_TEXT):
    """``text`` cut to ``limit`` characters (an ellipsis marks the cut)."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


def language_of(text):
    """The narration language of prose: Chinese prose stays Chinese."""
    return "zh" if len(_CJK.findall(text[:4000])) >= 2 else "en"
