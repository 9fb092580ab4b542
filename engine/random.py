"""The random generator, drawing the numbers PyTorch's CPU generator draws.

PyTorch's CPU generator is a Mersenne Twister (mt19937) seeded with the low 32
bits of the seed by the reference ``init_genrand``. Its 32-bit outputs become
values by PyTorch's own formulas, reproduced here:

- uniform floats: the output's low 24 bits times 2^-24 (float16 rounds that);
  float64 joins two outputs (the first as the high word) and keeps 53 bits;
- integers in [low, high): one output (two for a range of 2^32 or more) modulo
  the range, plus low;
- normal values, fewer than 16: Box-Muller in double precision on two uniform
  doubles, the second value kept for the next draw (PyTorch caches it too);
- normal values, 16 or more: PyTorch fills the tensor with uniform values, then
  turns each block of 16 into normals, redrawing the last 16 when the count is
  not a multiple of 16. In float64 this matches PyTorch bit for bit; in float32
  PyTorch uses vectorised log, sin and cos of its own, so values may differ in
  the last bit (printed values agree).

So after ``manual_seed(s)`` the engine's ``rand``, ``randn`` and ``randint`` give
PyTorch's numbers, a teacher's notebook and the explorer side by side.
"""
import math

import numpy as np

_MT_SIZE = 624
# Bits of one draw kept for a uniform value: float16 takes float32's 24 and is rounded.
_FLOAT_BITS = {np.dtype(np.float16): 24, np.dtype(np.float32): 24, np.dtype(np.float64): 53}


class Generator:
    """``torch.Generator`` for the CPU: ``manual_seed``, ``seed``, ``initial_seed``."""

    def __init__(self, device="cpu"):
        self.device = device
        self.manual_seed(67280421310721)  # the seed a new torch.Generator() starts from

    def manual_seed(self, seed):
        seed = int(seed)
        self._seed = seed
        self._bits = np.random.MT19937(0)
        self._bits.state = {"bit_generator": "MT19937",
                            "state": {"key": _init_genrand(seed & 0xFFFFFFFF), "pos": _MT_SIZE}}
        self._next_normal = None  # the second Box-Muller value, for the next normal draw
        return self

    def seed(self):
        seed = int(np.random.SeedSequence().entropy % (2 ** 63))
        self.manual_seed(seed)
        return seed

    def initial_seed(self):
        return self._seed

    # ---------------------------------------------------------------- draws
    def _words(self, count):
        """``count`` 32-bit outputs, as uint64."""
        return self._bits.random_raw(count).astype(np.uint64)

    def _long_words(self, count):
        """``count`` 64-bit values, each joined from two outputs (the first is the high word)."""
        words = self._words(2 * count)
        return (words[0::2] << np.uint64(32)) | words[1::2]

    def uniform(self, count, dtype):
        """``count`` values in [0, 1) of the float ``dtype``."""
        dtype = np.dtype(dtype)
        bits = _FLOAT_BITS[dtype]
        words = self._long_words(count) if bits == 53 else self._words(count)
        mask = np.uint64((1 << bits) - 1)
        return ((words & mask).astype(np.float64) * 2.0 ** -bits).astype(dtype)

    def integers(self, low, high, count):
        """``count`` int64 values in [low, high)."""
        span = high - low
        if span <= 0:
            raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} "
                               f">= to={high}")
        words = self._long_words(count) if span >= 2 ** 32 else self._words(count)
        return (words % np.uint64(span)).astype(np.int64) + low

    def normal(self, count, dtype):
        """``count`` standard normal values of the float ``dtype``."""
        dtype = np.dtype(dtype)
        if count < 16:
            return np.array([self._normal_double() for _ in range(count)], np.float64).astype(dtype)
        values = self.uniform(count, dtype)
        whole = count - count % 16
        _normals_in_place(values[:whole].reshape(-1, 16))
        if count % 16:  # PyTorch redraws the last 16 values and turns them over again
            values[count - 16:] = self.uniform(16, dtype)
            _normals_in_place(values[count - 16:].reshape(1, 16))
        return values

    def _normal_double(self):
        if self._next_normal is not None:
            value, self._next_normal = self._next_normal, None
            return value
        u1, u2 = self.uniform(2, np.float64).tolist()
        radius = math.sqrt(-2.0 * math.log1p(-u2))
        theta = 2.0 * math.pi * u1
        self._next_normal = radius * math.sin(theta)
        return radius * math.cos(theta)


def _init_genrand(seed):
    """mt19937's reference seeding (``init_genrand``), the one PyTorch uses."""
    key = [seed]
    for i in range(1, _MT_SIZE):
        previous = key[-1]
        key.append((1812433253 * (previous ^ (previous >> 30)) + i) & 0xFFFFFFFF)
    return np.array(key, dtype=np.uint32)


def _normals_in_place(blocks):
    """PyTorch's ``normal_fill_16`` on each row of ``blocks`` (k x 16), uniform values turned
    normal: the first eight give the radius, the last eight the angle; each pair yields a
    cosine value (first half) and a sine value (second half)."""
    if blocks.dtype == np.float64:
        # PyTorch calls libm here. numpy's vectorised log differs from libm's in the last
        # bit now and then, so the logarithm is libm's, value by value; numpy's float64
        # sin and cos give libm's values.
        u1 = 1.0 - blocks[:, :8]
        logs = np.fromiter(map(math.log, u1.reshape(-1).tolist()), np.float64, u1.size)
        radius = np.sqrt(-2.0 * logs.reshape(u1.shape))
        theta = 2.0 * math.pi * blocks[:, 8:]
        blocks[:, :8], blocks[:, 8:] = radius * np.cos(theta), radius * np.sin(theta)
        return
    # In the float's own precision throughout, 2π rounded to it first, as PyTorch's
    # vectorised kernel computes (its log, sin and cos may still differ in the last bit).
    kind = blocks.dtype.type
    radius = np.sqrt(kind(-2) * np.log(kind(1) - blocks[:, :8]))
    theta = kind(2.0 * math.pi) * blocks[:, 8:]
    blocks[:, :8], blocks[:, 8:] = radius * np.cos(theta), radius * np.sin(theta)


# Like PyTorch's, the default generator starts from a fresh seed in every process.
default_generator = Generator()
default_generator.seed()


def manual_seed(seed):
    """Seed the default generator (``torch.manual_seed`` / ``torch.random.manual_seed``)."""
    return default_generator.manual_seed(seed)


def seed():
    """Seed the default generator from fresh entropy and return the seed."""
    return default_generator.seed()


def initial_seed():
    return default_generator.initial_seed()
