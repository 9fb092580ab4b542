"""A small animated-GIF encoder (GIF89a, one shared palette, LZW), so no imaging library is needed.

Frames are reduced to one palette of at most 256 colours: a drawing's flat fills
and text colours keep their exact colour, and the anti-aliasing shades beyond
that share the remaining entries, chosen by median cut. After the first frame
only the rectangle that changed is stored (disposal "leave in place"), which
keeps a backward animation small: an event only recolours a few nodes and the
caption.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtGui import QImage

MAX_COLOURS = 256
MIN_CODE_SIZE = 8           # palette indices are bytes
MAX_CODE = 4096             # LZW codes are at most 12 bits
SUB_BLOCK = 255
NEAREST_CHUNK = 4096        # unique colours matched against the palette at a time
# A colour covering this share of all pixels is a flat area and keeps its exact value.
FLAT_SHARE = 0.001
MAX_FLAT = 128


def image_pixels(image: QImage) -> np.ndarray:
    """An (height, width, 3) uint8 RGB array of ``image``."""
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    width, height, stride = image.width(), image.height(), image.bytesPerLine()
    raw = np.frombuffer(image.constBits(), dtype=np.uint8, count=stride * height)
    return raw.reshape(height, stride)[:, : width * 3].reshape(height, width, 3).copy()


def encode_gif(images: list[QImage], delays_ms, loop: bool = True) -> bytes:
    """An animated GIF of ``images`` (all the same size); ``delays_ms`` is one delay per image."""
    if not images:
        raise ValueError("a GIF needs at least one frame")
    pixels = [image_pixels(image) for image in images]
    height, width = pixels[0].shape[:2]
    if any(frame.shape[:2] != (height, width) for frame in pixels):
        raise ValueError("every frame of a GIF must have the same size")
    palette, indexed = quantise(pixels)
    out = bytearray(b"GIF89a")
    # Logical screen: size, a global table of 2 ** (7 + 1) colours, background index 0.
    out += _u16(width) + _u16(height) + bytes([0xF7, 0, 0])
    out += palette.tobytes()
    if loop:
        out += b"\x21\xff\x0bNETSCAPE2.0\x03\x01" + _u16(0) + b"\x00"
    previous = None
    for frame, delay in zip(indexed, delays_ms, strict=True):
        left, top, right, bottom = _changed_box(previous, frame)
        # Graphic control: disposal 1 (leave in place), no transparency, delay in 1/100 s.
        out += b"\x21\xf9\x04\x04" + _u16(max(1, round(delay / 10))) + b"\x00\x00"
        out += b"\x2c" + _u16(left) + _u16(top) + _u16(right - left) + _u16(bottom - top) + b"\x00"
        out += bytes([MIN_CODE_SIZE]) + _sub_blocks(lzw_encode(frame[top:bottom, left:right].tobytes()))
        previous = frame
    out += b"\x3b"
    return bytes(out)


def quantise(frames: list[np.ndarray]) -> tuple[np.ndarray, list[np.ndarray]]:
    """(palette as a (256, 3) uint8 array, frames as arrays of palette indices)."""
    keys = np.concatenate([_colour_keys(frame).ravel() for frame in frames])
    colours, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
    if len(colours) <= MAX_COLOURS:
        index_of_colour = np.arange(len(colours), dtype=np.uint8)
        palette_colours = _rgb(colours)
    else:
        palette_colours = choose_palette(_rgb(colours), counts)
        index_of_colour = _nearest(_rgb(colours), palette_colours)
    palette = np.zeros((MAX_COLOURS, 3), dtype=np.uint8)
    palette[: len(palette_colours)] = palette_colours
    indices = index_of_colour[inverse.ravel()]
    result = []
    start = 0
    for frame in frames:
        size = frame.shape[0] * frame.shape[1]
        result.append(indices[start: start + size].reshape(frame.shape[:2]))
        start += size
    return palette, result


def choose_palette(colours: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """At most 256 colours for ``colours`` (RGB rows) seen ``counts`` times each."""
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


def lzw_encode(data: bytes) -> bytes:
    """GIF's variable-width LZW of palette indices, with a clear code whenever the table fills."""
    clear = 1 << MIN_CODE_SIZE
    end = clear + 1
    table = {}
    next_code = end + 1
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

    # A decoder reads each code one table entry behind the encoder, hence "next_code - 1".
    emit(clear, MIN_CODE_SIZE + 1)
    if not data:
        emit(end, MIN_CODE_SIZE + 1)
        return _flush(out, bits, bit_count)
    prefix = data[0]
    for byte in data[1:]:
        key = (prefix << 8) | byte
        code = table.get(key)
        if code is not None:
            prefix = code
            continue
        emit(prefix, (next_code - 1).bit_length())
        if next_code < MAX_CODE:
            table[key] = next_code
            next_code += 1
        else:
            emit(clear, 12)
            table.clear()
            next_code = end + 1
        prefix = byte
    emit(prefix, (next_code - 1).bit_length())
    emit(end, min(12, next_code.bit_length()))
    return _flush(out, bits, bit_count)


def _flush(out: bytearray, bits: int, bit_count: int) -> bytes:
    if bit_count:
        out.append(bits & 0xFF)
    return bytes(out)


def _changed_box(previous, frame):
    """(left, top, right, bottom) of what differs from ``previous``; the whole frame at first."""
    height, width = frame.shape
    if previous is None:
        return 0, 0, width, height
    changed = previous != frame
    rows = np.flatnonzero(changed.any(axis=1))
    if rows.size == 0:
        return 0, 0, 1, 1
    columns = np.flatnonzero(changed.any(axis=0))
    return int(columns[0]), int(rows[0]), int(columns[-1]) + 1, int(rows[-1]) + 1


def _sub_blocks(data: bytes) -> bytes:
    out = bytearray()
    for start in range(0, len(data), SUB_BLOCK):
        chunk = data[start: start + SUB_BLOCK]
        out.append(len(chunk))
        out += chunk
    out.append(0)
    return bytes(out)


def _colour_keys(frame: np.ndarray) -> np.ndarray:
    rgb = frame.astype(np.uint32)
    return (rgb[..., 0] << 16) | (rgb[..., 1] << 8) | rgb[..., 2]


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
