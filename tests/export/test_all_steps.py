"""``--all-steps`` draws and writes one frame at a time, and long loops export like the app shows them."""
import json
import os
from pathlib import Path

from explorer.export.cli import main
from explorer.export.writing import write_files

LONG_LOOP = """\
w = torch.ones(3, requires_grad=True)
for i in range(120):
    y = (w * 2).sum()
    y.backward()
"""


def test_each_file_is_on_disk_before_the_next_is_made(tmp_path):
    def contents():
        for number in range(3):
            on_disk = [name for name in os.listdir(tmp_path) if name.startswith(".export-")]
            assert len(on_disk) == number   # every file made so far is written, none is held
            yield str(tmp_path / f"{number}.txt"), b"frame %d" % number

    assert write_files(contents()) == [str(tmp_path / f"{number}.txt") for number in range(3)]
    assert sorted(os.listdir(tmp_path)) == ["0.txt", "1.txt", "2.txt"]


def test_all_steps_draws_the_frames_a_long_loop_has_pictures_of(tmp_path, qapp, capsys):
    source = tmp_path / "loop.py"
    source.write_text(LONG_LOOP, encoding="utf-8")
    assert main([str(source), "-o", str(tmp_path / "step.json"), "--all-steps"]) == 0
    written = capsys.readouterr().out.split()
    # The loop's middle iterations run without a graph (as in the app): they get no file.
    numbers = [json.loads(Path(path).read_text(encoding="utf-8"))["frame"] for path in written]
    assert numbers == sorted(numbers) and 100 < len(numbers) < 200
    assert all(os.path.basename(path) == f"step-{number:03d}.json" for path, number in zip(written, numbers))


def test_a_frame_without_a_graph_is_drawn_as_the_nearest_earlier_one(tmp_path, qapp):
    import engine
    from explorer.program.parser import parse_program
    from explorer.program.runner import run_program

    frames = run_program(parse_program(LONG_LOOP), engine).frames
    blank = next(frame.index for frame in frames if frame.snapshot is None)
    source = tmp_path / "loop.py"
    source.write_text(LONG_LOOP, encoding="utf-8")
    target = tmp_path / "frame.json"
    assert main([str(source), "-o", str(target), "--step", str(blank + 1)]) == 0
    assert json.loads(target.read_text(encoding="utf-8"))["frame"] == blank   # the frame before it
