"""Starting without a screen or without Qt's X11 libraries: one line, the packages, exit 1."""
import pathlib
import subprocess
import sys

from explorer.startup_check import startup_problem


def test_no_display_is_one_clear_message():
    problem = startup_problem(environ={}, platform="linux")
    assert "needs a screen" in problem and "xvfb-run" in problem


def test_missing_xcb_libraries_name_the_packages():
    problem = startup_problem(environ={"DISPLAY": ":0"}, platform="linux",
                              find_library=lambda name: None if name == "xcb-cursor" else name)
    assert "libxcb-cursor0" in problem and "apt-get install libxcb-cursor0" in problem
    assert "libxcb-icccm4" not in problem


def test_offscreen_and_other_systems_are_not_checked():
    assert startup_problem(environ={"QT_QPA_PLATFORM": "offscreen"}, platform="linux") is None
    assert startup_problem(environ={}, platform="darwin") is None
    assert startup_problem(environ={"DISPLAY": ":0"}, platform="linux",
                           find_library=lambda name: name) is None


def test_the_app_exits_with_status_1_and_its_own_words(tmp_path):
    root = pathlib.Path(__file__).resolve().parents[2]
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": str(root)}
    result = subprocess.run([sys.executable, "-m", "explorer.cli"], env=env, cwd=str(tmp_path),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1, result.stderr
    assert "needs a screen" in result.stderr
    assert "Reinstalling the application" not in result.stderr
