"""The GIF encoder: what Qt's GIF reader decodes is what was encoded."""
import tracemalloc

import numpy as np
import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QImage, QImageReader

from explorer.export.gif import encode_gif, image_pixels, lzw_encode
from explorer.export.gif_limits import MAX_FRAME_PIXELS, MAX_FRAMES, check_gif_size
from explorer.export.pipeline import ExportError

from .helpers import gif_frame_count


def image_of(pixels: np.ndarray) -> QImage:
    height, width, _ = pixels.shape
    data = np.ascontiguousarray(pixels, dtype=np.uint8)
    return QImage(data.tobytes(), width, height, width * 3, QImage.Format.Format_RGB888).copy()


def decode(data: bytes) -> list[np.ndarray]:
    array = QByteArray(data)
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer, b"gif")
    frames = []
    while reader.canRead():
        image = reader.read()
        assert not image.isNull(), reader.errorString()
        frames.append(image_pixels(image))
    return frames


def few_colour_frames(count, height, width, colours, seed=0):
    generator = np.random.default_rng(seed)
    palette = generator.integers(0, 256, size=(colours, 3), dtype=np.uint8)
    return [palette[generator.integers(0, colours, size=(height, width))] for _ in range(count)]


def test_frames_of_up_to_255_colours_round_trip_exactly(qapp):
    # Noise: the LZW table fills up many times, so clear codes are exercised.
    frames = few_colour_frames(3, 97, 131, 200)
    # A frame that changes only a small rectangle is stored as that rectangle.
    frames.append(frames[-1].copy())
    frames[-1][10:20, 30:45] = frames[0][10:20, 30:45]
    data = encode_gif([image_of(frame) for frame in frames], [100] * len(frames))
    assert gif_frame_count(data) == len(frames)
    decoded = decode(data)
    assert len(decoded) == len(frames)
    for original, result in zip(frames, decoded, strict=True):
        np.testing.assert_array_equal(result, original)


def test_more_than_256_colours_take_the_nearest_palette_colour(qapp):
    gradient = np.zeros((40, 600, 3), dtype=np.uint8)
    gradient[..., 0] = np.linspace(0, 255, 600, dtype=np.uint8)[None, :]
    gradient[..., 1] = np.arange(40, dtype=np.uint8)[:, None] * 6
    (decoded,) = decode(encode_gif([image_of(gradient)], [100]))
    assert np.abs(decoded.astype(int) - gradient.astype(int)).max() <= 24


@pytest.mark.parametrize("data", [b"", b"\x00", b"\x07" * 10_000, bytes(range(256)) * 40])
def test_lzw_streams_start_with_a_clear_code_and_end_with_end(data):
    encoded = lzw_encode(data)
    assert encoded[0] == 0x00 and encoded[1] & 0x01 == 1   # 256 in 9 bits, low bits first
    assert len(encoded) < max(64, len(data) * 2)


def test_frames_must_share_one_size(qapp):
    with pytest.raises(ValueError, match="same size"):
        encode_gif([QImage(4, 4, QImage.Format.Format_RGB32), QImage(5, 4, QImage.Format.Format_RGB32)],
                   [100, 100])


def plain_lzw(data: bytes) -> bytes:
    """GIF's LZW a byte at a time, as the format describes it: the reference for the fast coder."""
    clear, end = 256, 257
    table, next_code, codes = {}, 258, [(clear, 9)]
    prefix = data[0]
    for byte in data[1:]:
        code = table.get((prefix, byte))
        if code is not None:
            prefix = code
            continue
        codes.append((prefix, (next_code - 1).bit_length()))
        if next_code < 4096:
            table[prefix, byte] = next_code
            next_code += 1
        else:
            codes.append((clear, 12))
            table, next_code = {}, 258
        prefix = byte
    codes += [(prefix, (next_code - 1).bit_length()), (end, min(12, next_code.bit_length()))]
    out, bits, count = bytearray(), 0, 0
    for code, width in codes:   # packed low bits first
        bits |= code << count
        count += width
        while count >= 8:
            out.append(bits & 0xFF)
            bits, count = bits >> 8, count - 8
    return bytes(out + (bytes([bits]) if count else b""))

@pytest.mark.parametrize("seed", range(6))
def test_runs_coded_a_table_entry_at_a_time_give_the_plain_coders_bytes(seed):
    generator = np.random.default_rng(seed)
    lengths = generator.integers(1, [3, 40, 3000, 30_000][seed % 4], size=120)
    values = generator.integers(0, [2, 7, 256][seed % 3], size=120)
    data = np.repeat(values, lengths).astype(np.uint8).tobytes()
    assert lzw_encode(data) == plain_lzw(data)


def test_frames_are_read_twice_one_at_a_time(qapp):
    frames = few_colour_frames(4, 30, 40, 12, seed=3)
    live = []

    def images():
        for frame in frames:
            live.append(frame)
            yield image_of(frame)

    decoded = decode(encode_gif(images, [100] * len(frames)))
    assert len(live) == 2 * len(frames)
    for original, result in zip(frames, decoded, strict=True):
        np.testing.assert_array_equal(result, original)


def test_an_unchanged_frame_and_a_far_apart_change_decode_as_drawn(qapp):
    # Unchanged pixels inside the changed rectangle are stored as transparent.
    first = np.full((400, 50, 3), 240, dtype=np.uint8)
    second = first.copy()
    second[2:4, 5:9] = (200, 10, 10)
    second[395:398, 40:45] = (10, 10, 200)
    frames = [first, first.copy(), second]
    data = encode_gif([image_of(frame) for frame in frames], [100] * 3)
    assert len(data) < 1500
    for original, result in zip(frames, decode(data), strict=True):
        np.testing.assert_array_equal(result, original)


def test_too_many_frames_or_pixels_stop_with_one_line():
    check_gif_size(MAX_FRAMES, 4096, 4096, 1.0)
    with pytest.raises(ExportError, match=rf"{MAX_FRAMES + 1} events, over the GIF limit"):
        check_gif_size(MAX_FRAMES + 1, 10, 10, 1.0)
    with pytest.raises(ExportError, match=r"1609 × 22207 .* --scale 0\.67, --view autograd, or \.html"):
        check_gif_size(148, 1609, 22207, 1.0)
    with pytest.raises(ExportError, match=r"use --scale 0\.57, or \.html"):
        check_gif_size(900, 1541, 32734, 1.0, smaller_view=False)
    # A scale at which labels cannot be read is not suggested.
    with pytest.raises(ExportError, match=r"use an earlier --step, or \.html"):
        check_gif_size(900, 1541, 82734, 1.0, smaller_view=False)
    assert MAX_FRAME_PIXELS == 16 * 2 ** 20


def test_memory_does_not_grow_with_the_number_of_frames(qapp):
    def peak(count):
        base = few_colour_frames(1, 300, 400, 30)[0]

        def images():
            for number in range(count):
                frame = base.copy()
                frame[number % 300, :] = 0
                yield image_of(frame)

        tracemalloc.start()
        encode_gif(images, [100] * count)
        result = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return result

    frame_bytes = 300 * 400 * 3
    assert peak(24) < peak(3) + frame_bytes
