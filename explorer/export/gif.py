"""A small animated-GIF encoder (GIF89a, one shared palette, LZW) that streams its frames.

Memory does not grow with the number of frames: the frames are read twice, one
at a time. The first pass counts colours; the palette is chosen from those
counts (a drawing's flat fills and text colours keep their exact colour, the
anti-aliasing shades beyond that share the remaining entries, chosen by median
cut). The second pass writes each frame as soon as it is read, keeping only the
previous frame's palette indices. After the first frame only the rectangle that
changed is stored (disposal "leave in place"), and inside it the pixels that did
not change are transparent: long runs of one index, which the LZW coder passes
over a table entry at a time instead of a byte at a time.

No imaging library is used: Pillow's GIF writer holds every frame until the
file is written, which is the memory this module avoids.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
from PySide6.QtGui import QImage

PALETTE_SIZE = 256
TRANSPARENT = 255           # the palette entry that means "as in the previous frame"
MAX_COLOURS = 255           # drawn colours: every entry but the transparent one
MIN_CODE_SIZE = 8           # palette indices are bytes
MAX_CODE = 4096             # LZW codes are at most 12 bits
SUB_BLOCK = 255
NEAREST_CHUNK = 4096        # unique colours matched against the palette at a time
BAND_PIXELS = 1 << 20       # pixels counted or mapped at a time, so temporaries stay small
# A colour covering this share of all pixels is a flat area and keeps its exact value.
FLAT_SHARE = 0.001
MAX_FLAT = 128
# Runs shorter than this are coded byte by byte; longer ones a table entry at a time.
SHORT_RUN = 8

Frames = Iterable[QImage] | Callable[[], Iterable[QImage]]


def image_pixels(image: QImage) -> np.ndarray:
    """An (height, width, 3) uint8 RGB array of ``image``."""
    return _rgb(colour_keys(image))


def colour_keys(image: QImage) -> np.ndarray:
    """A (height, width) uint32 array of 0xRRGGBB colours of ``image`` (alpha ignored)."""
    if image.format() not in (QImage.Format.Format_RGB32, QImage.Format.Format_ARGB32):
        # Premultiplied pixels of an opaque picture are its colours; converting keeps one copy.
        image = image.convertToFormat(QImage.Format.Format_RGB32)
    width, height, stride = image.width(), image.height(), image.bytesPerLine()
    raw = np.frombuffer(image.constBits(), dtype=np.uint32, count=stride // 4 * height)
    return raw.reshape(height, stride // 4)[:, :width] & 0xFFFFFF


def encode_gif(frames: Frames, delays_ms, loop: bool = True) -> bytes:
    """An animated GIF of ``frames`` (all the same size); ``delays_ms`` is one delay per frame.

    ``frames`` is a sequence of images, or a function returning a fresh iterator of
    them: it is read twice (colours, then pixels), one image at a time.
    """
    read = frames if callable(frames) else (lambda: frames)
    delays = list(delays_ms)
    colours, counts, size = count_colours(read())
    palette, palette_of_colour = choose_indices(colours, counts)
    table = colour_table(colours, palette_of_colour)
    del colours, counts
    writer = GifWriter(*size, palette, loop)
    for image, delay in zip(read(), delays, strict=True):
        writer.add(indices_of(image, table, palette), delay)
    return writer.finish()


def count_colours(images: Iterable[QImage]) -> tuple[np.ndarray, np.ndarray, tuple[int, int]]:
    """(colour keys sorted, how many pixels of all images have each, (width, height))."""
    colours = np.empty(0, dtype=np.uint32)
    counts = np.empty(0, dtype=np.int64)
    size = None
    for image in images:
        if size is None:
            size = (image.width(), image.height())
        elif size != (image.width(), image.height()):
            raise ValueError("every frame of a GIF must have the same size")
        keys = colour_keys(image)
        for band in _bands(keys):
            seen, seen_counts = np.unique(band, return_counts=True)
            merged, inverse = np.unique(np.concatenate([colours, seen]), return_inverse=True)
            counts = np.bincount(inverse, np.concatenate([counts, seen_counts]),
                                 minlength=len(merged)).astype(np.int64)
            colours = merged
    if size is None:
        raise ValueError("a GIF needs at least one frame")
    return colours, counts, size


def choose_indices(colours: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(palette as a (256, 3) uint8 array, palette index of each of ``colours``)."""
    rgb = _rgb(colours)
    if len(colours) <= MAX_COLOURS:
        palette_colours = rgb
        index_of_colour = np.arange(len(colours), dtype=np.uint8)
    else:
        palette_colours = choose_palette(rgb, counts)
        index_of_colour = _nearest(rgb, palette_colours)
    palette = np.zeros((PALETTE_SIZE, 3), dtype=np.uint8)
    palette[: len(palette_colours)] = palette_colours
    return palette, index_of_colour


def colour_table(colours: np.ndarray, index_of_colour: np.ndarray) -> np.ndarray:
    """A lookup of the palette index of each 24-bit colour (16 MB); ``TRANSPARENT`` marks
    colours the counting pass did not see (drawn colours never use that entry)."""
    table = np.full(1 << 24, TRANSPARENT, dtype=np.uint8)
    table[colours] = index_of_colour
    return table


def indices_of(image: QImage, table: np.ndarray, palette: np.ndarray) -> np.ndarray:
    """``image`` as a (height, width) array of palette indices, through ``colour_table``."""
    keys = colour_keys(image)
    result = np.empty(keys.shape, dtype=np.uint8)
    rows = _band_rows(keys)
    for top in range(0, keys.shape[0], rows):
        band = keys[top: top + rows]
        indices = table[band]
        unseen = indices == TRANSPARENT
        if unseen.any():   # a colour the counting pass did not see: the nearest entry
            indices[unseen] = _nearest(_rgb(band[unseen]), palette[:MAX_COLOURS])
        result[top: top + rows] = indices
    return result


class GifWriter:
    """GIF89a bytes written one frame (an array of palette indices) at a time."""

    def __init__(self, width: int, height: int, palette: np.ndarray, loop: bool = True):
        self.width, self.height = width, height
        # Logical screen: size, a global table of 2 ** (7 + 1) colours, background index 0.
        self.out = bytearray(b"GIF89a" + _u16(width) + _u16(height) + bytes([0xF7, 0, 0]))
        self.out += palette.tobytes()
        if loop:
            self.out += b"\x21\xff\x0bNETSCAPE2.0\x03\x01" + _u16(0) + b"\x00"
        self.previous = None

    def add(self, frame: np.ndarray, delay_ms: float):
        if frame.shape != (self.height, self.width):
            raise ValueError("every frame of a GIF must have the same size")
        left, top, right, bottom = _changed_box(self.previous, frame)
        pixels = frame[top:bottom, left:right]
        # Graphic control: disposal 1 (leave in place), the delay in 1/100 s, and after the
        # first frame a transparent index for the pixels that stay as they were.
        flags = 0x04
        if self.previous is not None:
            flags |= 0x01
            pixels = np.where(pixels == self.previous[top:bottom, left:right], np.uint8(TRANSPARENT), pixels)
        self.out += (b"\x21\xf9\x04" + bytes([flags]) + _u16(max(1, round(delay_ms / 10)))
                     + bytes([TRANSPARENT]) + b"\x00")
        self.out += b"\x2c" + _u16(left) + _u16(top) + _u16(right - left) + _u16(bottom - top) + b"\x00"
        self.out += bytes([MIN_CODE_SIZE]) + _sub_blocks(lzw_encode(np.ascontiguousarray(pixels)))
        self.previous = frame

    def finish(self) -> bytes:
        if self.previous is None:
            raise ValueError("a GIF needs at least one frame")
        return bytes(self.out + b"\x3b")


def choose_palette(colours: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """At most ``MAX_COLOURS`` colours for ``colours`` (RGB rows) seen ``counts`` times each."""
    by_count = np.argsort(counts, kind="stable")[::-1]
    flat = by_count[counts[by_count] >= counts.sum() * FLAT_SHARE][:MAX_FLAT]
    rest = np.setdiff1d(np.arange(len(colours)), flat)
    boxes = _median_cut(colours[rest], counts[rest], MAX_COLOURS - len(flat))
    means = [np.average(colours[rest][box], axis=0, weights=counts[rest][box]) for box in boxes]
    shades = np.rint(np.array(means)).astype(np.uint8).reshape(-1, 3)
    return np.concatenate([colours[flat], shades])


def _median_cut(colours: np.ndarray, weights: np.ndarray, box_count: int) -> list[np.ndarray]:
    """Split the colours into up to ``box_count`` boxes, always halving the widest box by weight."""
    boxes = [np.arange(len(colours))]
    while len(boxes) < box_count:
        spans = [np.ptp(colours[box], axis=0).max() if len(box) > 1 else -1 for box in boxes]
        widest = int(np.argmax(spans))
        if spans[widest] <= 0:
            break
        box = boxes.pop(widest)
        channel = int(np.argmax(np.ptp(colours[box], axis=0)))
        ordered = box[np.argsort(colours[box, channel], kind="stable")]
        cumulative = np.cumsum(weights[ordered])
        cut = int(np.clip(np.searchsorted(cumulative, cumulative[-1] / 2), 1, len(ordered) - 1))
        boxes += [ordered[:cut], ordered[cut:]]
    return boxes


def lzw_encode(data) -> bytes:
    """GIF's variable-width LZW of palette indices (bytes or a uint8 array), with a clear
    code whenever the table fills.

    The output is that of the plain byte-at-a-time coder. Runs of one index are
    taken a table entry at a time: the table holds that index repeated 1, 2, ... k
    times as a chain of codes (LZW strings are prefix-closed), so a run of n bytes
    costs about sqrt(2n) steps instead of n.
    """
    data = data.reshape(-1) if isinstance(data, np.ndarray) else np.frombuffer(bytes(data), dtype=np.uint8)
    clear = 1 << MIN_CODE_SIZE
    end = clear + 1
    out = bytearray()
    bits = 0
    bit_count = 0

    def emit(code, width):
        nonlocal bits, bit_count
        bits |= code << bit_count
        bit_count += width
        while bit_count >= 8:
            out.append(bits & 0xFF)
            bits >>= 8
            bit_count -= 8

    emit(clear, MIN_CODE_SIZE + 1)
    if data.size == 0:
        emit(end, MIN_CODE_SIZE + 1)
        return _flush(out, bits, bit_count)

    table = {}
    runs = {}       # byte -> [code of byte * 1, code of byte * 2, ...]
    run_length = {}  # code -> (byte, k) for codes that stand for a run
    next_code = end + 1

    def reset():
        nonlocal next_code
        table.clear()
        runs.clear()
        run_length.clear()
        next_code = end + 1

    def add(prefix, byte):
        """Give the next code to prefix + byte (or clear a full table); after an emit."""
        nonlocal next_code
        if next_code < MAX_CODE:
            table[(prefix << 8) | byte] = next_code
            chain = runs.get(byte)
            if chain is not None and chain[-1] == prefix:
                run_length[next_code] = (byte, len(chain) + 1)
                chain.append(next_code)
            elif chain is None and prefix == byte:
                run_length[next_code] = (byte, 2)
                runs[byte] = [byte, next_code]
            next_code += 1
        else:
            emit(clear, 12)
            reset()

    # A decoder reads each code one table entry behind the encoder, hence "next_code - 1".
    prefix = int(data[0])
    first = True
    for byte, length in _runs(data):
        if first:
            length -= 1
            first = False
        while length:
            known = run_length.get(prefix)
            if length >= SHORT_RUN and (prefix == byte or (known is not None and known[0] == byte)):
                chain = runs.get(byte) or [byte]
                have = 1 if prefix == byte else known[1]
                if have + length <= len(chain):
                    prefix = chain[have + length - 1]
                    break
                length -= len(chain) - have
                prefix = chain[-1]
                emit(prefix, (next_code - 1).bit_length())
                add(prefix, byte)
                prefix = byte
                length -= 1
                continue
            code = table.get((prefix << 8) | byte)
            length -= 1
            if code is not None:
                prefix = code
                continue
            emit(prefix, (next_code - 1).bit_length())
            add(prefix, byte)
            prefix = byte
    emit(prefix, (next_code - 1).bit_length())
    emit(end, min(12, next_code.bit_length()))
    return _flush(out, bits, bit_count)


def _runs(data: np.ndarray):
    """(byte, length) for each run of equal bytes, found a band at a time (a run crossing
    bands comes as two runs of one byte, which code the same)."""
    for start in range(0, data.size, BAND_PIXELS):
        band = data[start: start + BAND_PIXELS]
        starts = np.concatenate([[0], np.flatnonzero(band[1:] != band[:-1]) + 1])
        lengths = np.diff(np.append(starts, band.size)).tolist()
        yield from zip(band[starts].tolist(), lengths, strict=True)


def _flush(out: bytearray, bits: int, bit_count: int) -> bytes:
    if bit_count:
        out.append(bits & 0xFF)
    return bytes(out)


def _band_rows(keys: np.ndarray) -> int:
    return max(1, BAND_PIXELS // max(1, keys.shape[1]))


def _bands(keys: np.ndarray):
    """Consecutive blocks of rows of ``keys`` holding about ``BAND_PIXELS`` pixels each."""
    rows = _band_rows(keys)
    for top in range(0, keys.shape[0], rows):
        yield keys[top: top + rows]


def _changed_box(previous, frame):
    """(left, top, right, bottom) of what differs from ``previous``; the whole frame at first."""
    height, width = frame.shape
    if previous is None:
        return 0, 0, width, height
    changed_rows = np.empty(height, dtype=bool)
    changed_columns = np.zeros(width, dtype=bool)
    rows = max(1, BAND_PIXELS // max(1, width))
    for top in range(0, height, rows):
        changed = previous[top: top + rows] != frame[top: top + rows]
        changed_rows[top: top + rows] = changed.any(axis=1)
        changed_columns |= changed.any(axis=0)
    rows = np.flatnonzero(changed_rows)
    if rows.size == 0:
        return 0, 0, 1, 1
    columns = np.flatnonzero(changed_columns)
    return int(columns[0]), int(rows[0]), int(columns[-1]) + 1, int(rows[-1]) + 1


def _sub_blocks(data: bytes) -> bytes:
    out = bytearray()
    for start in range(0, len(data), SUB_BLOCK):
        chunk = data[start: start + SUB_BLOCK]
        out.append(len(chunk))
        out += chunk
    out.append(0)
    return bytes(out)


def _rgb(keys: np.ndarray) -> np.ndarray:
    return np.stack([(keys >> 16) & 0xFF, (keys >> 8) & 0xFF, keys & 0xFF], axis=-1).astype(np.uint8)


def _nearest(colours: np.ndarray, palette: np.ndarray) -> np.ndarray:
    """Index of the nearest palette colour (squared RGB distance) for each colour."""
    palette = palette.astype(np.int32)
    result = np.empty(len(colours), dtype=np.uint8)
    for start in range(0, len(colours), NEAREST_CHUNK):
        chunk = colours[start: start + NEAREST_CHUNK].astype(np.int32)
        distances = ((chunk[:, None, :] - palette[None, :, :]) ** 2).sum(axis=2)
        result[start: start + NEAREST_CHUNK] = distances.argmin(axis=1)
    return result


def _u16(value: int) -> bytes:
    return int(value).to_bytes(2, "little")
