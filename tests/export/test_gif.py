"""The GIF encoder: what Qt's GIF reader decodes is what was encoded."""
import numpy as np
import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QImage, QImageReader

from explorer.export.gif import encode_gif, image_pixels, lzw_encode

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


def test_frames_of_up_to_256_colours_round_trip_exactly(qapp):
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
