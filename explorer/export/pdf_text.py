"""Chinese text in a PDF that extracts as the characters written.

A PDF reader turns drawn glyphs back into text through each font's ToUnicode
CMap. Qt builds that map by asking, for every code point from 0 up, which glyph
the font draws it with, and keeps the first code point found for each glyph. CJK
fonts draw a Kangxi radical (U+2F00-U+2FD5) and the ideograph it came from with
one glyph, and the radical comes first: "子" and "非" then extract as "⼦" and
"⾮", and searching the PDF for them fails.

``unify_radicals`` rewrites those entries of the map to the ideograph (the
radical's compatibility decomposition), which is what a drawing of ours means:
its labels are written with ideographs, never with radicals. Each entry is a
four-digit hex number replaced by another, so no offset in the file moves.
"""
from __future__ import annotations

import re
import unicodedata

# The blocks of radicals that fonts share glyphs with: CJK Radicals Supplement, Kangxi Radicals.
RADICALS = range(0x2E80, 0x2FE0)
_CMAP = re.compile(rb"begincmap.*?endcmap", re.DOTALL)
_BF_CHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.DOTALL)
_BF_RANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.DOTALL)
# One destination of a bfchar pair or of a bfrange array: "<code> <text>" or "[... <text> ...]".
_HEX = re.compile(rb"<([0-9A-Fa-f]{4})>")


def ideograph_of(code_point: int) -> int | None:
    """The unified ideograph a radical stands for, or None when ``code_point`` is no such radical."""
    if code_point not in RADICALS:
        return None
    decomposed = unicodedata.normalize("NFKC", chr(code_point))
    if len(decomposed) == 1 and ord(decomposed) != code_point and ord(decomposed) <= 0xFFFF:
        return ord(decomposed)
    return None


def unify_radicals(pdf: bytes) -> bytes:
    """``pdf`` with every ToUnicode entry naming a radical renamed to its ideograph."""
    return _CMAP.sub(_unified_cmap, pdf)


def _unified_cmap(match: re.Match) -> bytes:
    cmap = match.group(0)
    cmap = _BF_CHAR.sub(lambda section: _rename_pairs(section.group(0)), cmap)
    return _BF_RANGE.sub(lambda section: _rename_arrays(section.group(0)), cmap)


def _rename_pairs(section: bytes) -> bytes:
    # In "<code> <text>" pairs every second hex number is a destination.
    numbers = list(_HEX.finditer(section))
    destinations = {match.start() for match in numbers[1::2]}
    return _HEX.sub(lambda match: _renamed(match) if match.start() in destinations else match.group(0),
                    section)


def _rename_arrays(section: bytes) -> bytes:
    # Only destinations inside "[...]" name one code each; a "<first> <last> <start>" run
    # of radicals would need splitting, and is left as Qt wrote it.
    def rename_array(array: re.Match) -> bytes:
        return _HEX.sub(_renamed, array.group(0))

    return re.sub(rb"\[[^\]]*\]", rename_array, section)


def _renamed(match: re.Match) -> bytes:
    ideograph = ideograph_of(int(match.group(1), 16))
    return match.group(0) if ideograph is None else b"<%04X>" % ideograph
