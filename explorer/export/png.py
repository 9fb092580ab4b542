"""PNG files written with numpy and zlib: about three times faster than Qt's writer.

Big graphs make tall pictures (tens of megapixels), and there the encoder is
most of an export's time. Rows are stored unfiltered and deflated at level 1:
drawings are mostly flat colour, which that level already packs tightly. The
physical resolution of the image (``pHYs``) is kept, so a ``--scale 2`` picture
still says it is a sharp picture of the same size.
"""
from __future__ import annotations

import struct
import zlib

import numpy as np
from PySide6.QtGui import QImage

SIGNATURE = b"\x89PNG\r\n\x1a\n"
RGB = 2
RGBA = 6
DEFLATE_LEVEL = 1


def encode_png(image: QImage, alpha: bool = False) -> bytes:
    """``image`` as PNG bytes, RGB, or RGBA when ``alpha`` (8 bits a channel)."""
    channels, colour_type, image_format = ((4, RGBA, QImage.Format.Format_RGBA8888) if alpha
                                           else (3, RGB, QImage.Format.Format_RGB888))
    image = image.convertToFormat(image_format)
    width, height, stride = image.width(), image.height(), image.bytesPerLine()
    pixels = np.frombuffer(image.constBits(), dtype=np.uint8, count=stride * height).reshape(height, stride)
    rows = np.empty((height, width * channels + 1), dtype=np.uint8)
    rows[:, 0] = 0   # filter type "None" for every row
    rows[:, 1:] = pixels[:, : width * channels]
    header = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    resolution = struct.pack(">IIB", max(image.dotsPerMeterX(), 1), max(image.dotsPerMeterY(), 1), 1)
    return (SIGNATURE + _chunk(b"IHDR", header) + _chunk(b"pHYs", resolution)
            + _chunk(b"IDAT", zlib.compress(rows.tobytes(), DEFLATE_LEVEL)) + _chunk(b"IEND", b""))


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
