"""Inputs that once broke an export: odd titles, a FIFO, the source as the target, killed runs."""
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from xml.etree import ElementTree

import pytest

from explorer.export.cli import main
from explorer.program.files import Document, dumps_document, save_document
from explorer.program.parser import parse_program

from .helpers import TUTORIAL, chain_program, headless_environment, write_tutorial


def lesson_titled(folder, title: str):
    """A lesson file titled ``title``, written as JSON escapes (a lone surrogate is valid JSON)."""
    document = json.loads(dumps_document(Document(program=parse_program(TUTORIAL))))
    document["title"] = {"en": title}
    path = folder / "lesson.agx.json"
    path.write_text(json.dumps(document, ensure_ascii=True), encoding="ascii")
    return path


@pytest.mark.parametrize("title", ["half a pair \ud800 here", "a NUL \x00 inside", "long " * 3900],
                         ids=["lone-surrogate", "nul", "over-16384"])
@pytest.mark.parametrize("suffix", [".svg", ".html", ".dot"])
def test_odd_titles_export_to_files_their_readers_accept(tmp_path, qapp, title, suffix):
    lesson = lesson_titled(tmp_path, title)
    assert "\ud800" not in title or "\\ud800" in lesson.read_text(encoding="utf-8")
    target = tmp_path / f"out{suffix}"
    assert main([str(lesson), "-o", str(target)]) == 0
    text = target.read_bytes().decode("utf-8")
    assert "\x00" not in text
    if suffix == ".svg":
        ElementTree.fromstring(target.read_bytes())   # well-formed XML
    if suffix == ".dot" and shutil.which("dot"):
        subprocess.run(["dot", "-Tsvg", str(target), "-o", os.devnull], check=True, capture_output=True)


def test_a_fifo_as_the_file_is_refused_instead_of_waiting(tmp_path, capsys):
    fifo = tmp_path / "program.py"
    os.mkfifo(fifo)
    assert main([str(fifo), "-o", str(tmp_path / "out.png")]) == 1
    assert "is not a regular file" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["lesson.agx.json", "lesson.json"])
def test_the_file_being_exported_is_never_written_over(tmp_path, qapp, capsys, name):
    lesson = tmp_path / name
    save_document(Document(program=parse_program(TUTORIAL), title={"en": "Lesson"}), lesson)
    before = lesson.read_bytes()
    assert main([str(lesson), "-o", str(lesson)]) == 1
    assert "is the file being converted" in capsys.readouterr().err
    assert lesson.read_bytes() == before
    assert json.loads(before)["title"] == {"en": "Lesson"}


def test_temporaries_a_killed_export_left_are_removed_by_the_next(tmp_path, qapp):
    finished = subprocess.Popen([sys.executable, "-c", "pass"])
    finished.wait()
    stale = tmp_path / f".export-{finished.pid}-k1ll3d.tmp"
    stale.write_bytes(b"half a picture")
    live = tmp_path / f".export-{os.getppid()}-w0rk1ng.tmp"   # another export, still running
    live.write_bytes(b"being written")
    assert main([str(write_tutorial(tmp_path)), "-o", str(tmp_path / "out.svg")]) == 0
    assert not stale.exists()
    assert live.exists()   # its process is still running


def test_a_terminated_export_leaves_no_temporary(tmp_path):
    source = tmp_path / "chain.py"
    source.write_text(chain_program(80), encoding="utf-8")
    command = [sys.executable, "-m", "explorer.export", str(source), "-o", str(tmp_path / "step.png"),
               "--all-steps"]
    process = subprocess.Popen(command, env=headless_environment(), stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not any(name.startswith(".export-") for name in os.listdir(tmp_path)):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise AssertionError(f"no temporary was ever written: {process.communicate()[1][-2000:]}")
        time.sleep(0.005)
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=30)
    assert process.returncode == 128 + signal.SIGTERM
    assert sorted(os.listdir(tmp_path)) == ["chain.py"]
