"""Shared by the export tests: the tutorial program, running the CLI, reading GIF and PDF files."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import zlib
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]

TUTORIAL = """\
x = torch.ones(2, 2, requires_grad=True)
y = x ** 2
z = y * y * 3
out = z.mean()
out.backward()
"""
TUTORIAL_FRAMES = 5
# backward_started, MeanBackward0, MulBackward0, MulBackward0, the sum for y * y,
# PowBackward0, the accumulation into x.grad, AccumulateGrad, backward_finished.
TUTORIAL_BACKWARD_EVENTS = 9
FUNCTION_NAMES = ("PowBackward0", "MulBackward0", "MeanBackward0", "AccumulateGrad")


def chain_program(op_count: int) -> str:
    """``op_count`` ops, each reading the latest value and one a few back, then backward()."""
    operations = ("{a} * {b}", "{a} + {b}", "{a}.sin()", "{a} * 0.5", "{a}.tanh()")
    lines = ["x = torch.ones(4, requires_grad=True)", "h0 = x * 2"]
    names = ["x", "h0"]
    for number in range(1, op_count):
        recent = names[-1 - number % 3] if len(names) > 3 else names[0]
        lines.append(f"h{number} = " + operations[number % 5].format(a=names[-1], b=recent))
        names.append(f"h{number}")
    lines.append(f"{names[-1]}.sum().backward()")
    return "\n".join(lines) + "\n"


def write_tutorial(folder: Path) -> Path:
    path = folder / "tutorial.py"
    path.write_text(TUTORIAL, encoding="utf-8")
    return path


def headless_environment() -> dict:
    """The environment of a machine with no display and no Qt platform chosen."""
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    paths = [str(REPOSITORY), environment.get("PYTHONPATH")]
    environment["PYTHONPATH"] = os.pathsep.join(path for path in paths if path)
    return environment


def run_export(*arguments, module: str = "explorer.export") -> subprocess.CompletedProcess:
    """``python -m explorer.export ARGUMENTS`` in a fresh process without a display."""
    command = [sys.executable, "-m", *module.split(), *map(str, arguments)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=REPOSITORY,
                          env=headless_environment())


def gif_frame_count(data: bytes) -> int:
    """Image descriptors in a GIF, found by walking its blocks (not by searching bytes)."""
    assert data[:6] in (b"GIF87a", b"GIF89a")
    flags = data[10]
    position = 13
    if flags & 0x80:
        position += 3 * (2 ** ((flags & 0x07) + 1))
    frames = 0
    while True:
        introducer = data[position]
        if introducer == 0x3B:
            return frames
        if introducer == 0x21:
            position = _skip_sub_blocks(data, position + 2)
        elif introducer == 0x2C:
            frames += 1
            local_flags = data[position + 9]
            position += 10
            if local_flags & 0x80:
                position += 3 * (2 ** ((local_flags & 0x07) + 1))
            position = _skip_sub_blocks(data, position + 1)
        else:
            raise AssertionError(f"unexpected GIF block 0x{introducer:02x} at byte {position}")


def _skip_sub_blocks(data: bytes, position: int) -> int:
    while data[position]:
        position += data[position] + 1
    return position + 1


def pdf_text_lines(data: bytes) -> list[str]:
    """The text of each BT ... ET block of a PDF, decoded through its fonts' ToUnicode maps.

    Enough of a PDF reader for what Qt writes: indirect font objects, Type0 fonts
    with a ToUnicode CMap, and text shown with ``<hex> Tj``.
    """
    objects = {int(match.group(1)): match.group(2)
               for match in re.finditer(rb"(\d+) 0 obj(.*?)endobj", data, re.DOTALL)}
    cmaps = {}
    for name, number in re.findall(rb"/(F\d+) (\d+) 0 R", data):
        reference = re.search(rb"/ToUnicode (\d+) 0 R", objects[int(number)])
        if reference:
            cmaps[name] = _parse_cmap(_stream(objects[int(reference.group(1))]))
    lines = []
    for body in objects.values():
        if b"stream" not in body:
            continue
        content = _stream(body)
        for block in re.findall(rb"\bBT\b(.*?)\bET\b", content, re.DOTALL):
            font = None
            text = []
            for match in re.finditer(rb"/(F\d+) [\d.]+ Tf|<([0-9A-Fa-f]+)> Tj", block):
                if match.group(1):
                    font = match.group(1)
                    continue
                codes = match.group(2)
                for start in range(0, len(codes), 4):
                    text.append(cmaps.get(font, {}).get(int(codes[start: start + 4], 16), ""))
            lines.append("".join(text))
    return lines


def _stream(body: bytes) -> bytes:
    match = re.search(rb"stream\r?\n", body)
    if match is None:
        return b""
    raw = body[match.end(): body.rindex(b"endstream")]
    if b"FlateDecode" in body[: match.start()]:
        return zlib.decompressobj().decompress(raw)
    return raw


# <first> <last> <target> or <first> <last> [<target> <target> ...]
BF_RANGE = rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(\[[^\]]*\]|<[0-9A-Fa-f]+>)"


def _parse_cmap(cmap: bytes) -> dict:
    """Glyph code -> text from a ToUnicode CMap's bfchar and bfrange sections."""
    table = {}

    def text_of(hex_text: bytes) -> str:
        return bytes.fromhex(hex_text.decode()).decode("utf-16-be")

    for section in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.DOTALL):
        for source, target in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", section):
            table[int(source, 16)] = text_of(target)
    for section in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.DOTALL):
        for first, last, target in re.findall(BF_RANGE, section):
            first, last = int(first, 16), int(last, 16)
            if target.startswith(b"["):
                for offset, item in enumerate(re.findall(rb"<([0-9A-Fa-f]+)>", target)):
                    table[first + offset] = text_of(item)
            else:
                base = int(target[1:-1], 16)
                for offset in range(last - first + 1):
                    table[first + offset] = chr(base + offset)
    return table
