"""Before Qt starts: is there a screen, and are the libraries Qt's X11 plugin needs there?

Without them Qt aborts the process with its own stock text ("Reinstalling the
application may fix this problem") and exit status 134. This check says, in the
app's own words and before anything is drawn, what is missing and which
Debian/Ubuntu packages bring it; the app then exits with status 1.
"""
from __future__ import annotations

import ctypes.util
import os
import sys

# The X11 libraries Qt 6's xcb plugin loads that a minimal Debian/Ubuntu lacks:
# (library name for find_library, Debian/Ubuntu package).
XCB_LIBRARIES = (
    ("xcb-cursor", "libxcb-cursor0"),
    ("xcb-icccm", "libxcb-icccm4"),
    ("xcb-keysyms", "libxcb-keysyms1"),
    ("xkbcommon-x11", "libxkbcommon-x11-0"),
    ("EGL", "libegl1"),
)
PACKAGES_LINE = "sudo apt-get install " + " ".join(package for _, package in XCB_LIBRARIES)


def startup_problem(environ=None, find_library=ctypes.util.find_library, platform=sys.platform):
    """None when the window can start; else one paragraph saying what is missing."""
    environ = os.environ if environ is None else environ
    if not platform.startswith("linux"):
        return None
    qpa = environ.get("QT_QPA_PLATFORM", "")
    if qpa and not qpa.startswith("xcb"):
        return None  # offscreen, wayland, vnc ...: Qt's own choice, nothing to check here
    if not environ.get("DISPLAY") and not (environ.get("WAYLAND_DISPLAY") and not qpa):
        return ("Autograd Explorer needs a screen, and none was found (DISPLAY is not set). "
                "Run it in a desktop session, or with a virtual screen (xvfb-run autograd-explorer); "
                "pictures and pages can be made without one: autograd-explorer export FILE -o OUT.png")
    if environ.get("WAYLAND_DISPLAY") and not qpa:
        return None
    missing = [package for library, package in XCB_LIBRARIES if find_library(library) is None]
    if missing:
        return ("Autograd Explorer cannot open its window: Qt's X11 support needs libraries this "
                f"system lacks ({', '.join(missing)}). On Debian or Ubuntu: "
                f"sudo apt-get install {' '.join(missing)}")
    return None
