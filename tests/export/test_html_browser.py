"""The HTML animation in a real browser: it loads with no errors and the Step button steps."""
import re
import shutil
import subprocess

import pytest

from explorer.export.cli import main

from .helpers import TUTORIAL_BACKWARD_EVENTS, write_tutorial

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--enable-logging=stderr", "--v=0"]


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("no Chromium on this machine")


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    folder = tmp_path_factory.mktemp("html")
    target = folder / "tutorial.html"
    assert main([str(write_tutorial(folder)), "-o", str(target), "--lang", "zh"]) == 0
    return target


def dump_dom(page, fragment, profile):
    result = subprocess.run([chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--dump-dom",
                             page.as_uri() + fragment], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout, result.stderr


@pytest.mark.parametrize("steps", [0, 2, TUTORIAL_BACKWARD_EVENTS + 5])
def test_the_page_steps_when_step_is_clicked(page, tmp_path, steps):
    dom, log = dump_dom(page, f"#step={steps}" if steps else "", tmp_path / "profile")
    expected = min(steps, TUTORIAL_BACKWARD_EVENTS - 1)
    assert re.search(rf'<body[^>]* data-frame="{expected}"', dom)
    assert f'id="position">{expected + 1} / {TUTORIAL_BACKWARD_EVENTS}<' in dom
    visible = re.findall(r'<div class="frame" data-index="(\d+)"(?! hidden)>', dom)
    assert visible == [str(expected)]
    assert re.search(r'<pre id="errors"></pre>', dom), "the page reported errors"
    console = [line for line in log.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert console == []
