"""Telling the user, once, that Chinese text will show as boxes."""
import logging

from explorer.drawing import fonts

from .translation import tr

_warned = []


def warn_once_without_cjk_font(show_message) -> bool:
    """Call ``show_message(text)`` once per process when no Chinese font is installed.

    Without one, Chinese text renders as empty boxes; the app still works, so
    this is a notice (status bar and log), never an error. True when it warned.
    """
    if _warned or fonts.installed_cjk_family() is not None:
        return False
    _warned.append(True)
    text = tr("No Chinese font is installed, so Chinese text shows as boxes. "
              "Install one, for example fonts-noto-cjk.")
    logging.getLogger(__name__).warning(text)
    show_message(text)
    return True
