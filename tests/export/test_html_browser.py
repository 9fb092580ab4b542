"""The HTML animation in a real browser: it loads with no errors, the Step button steps,
and the view follows the backward pass through a graph far taller than the window."""
import json
import re
import shutil
import subprocess

import pytest

from explorer.export.cli import main

from .helpers import TUTORIAL_BACKWARD_EVENTS, chain_program, write_tutorial

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--enable-logging=stderr", "--v=0", "--window-size=1280,800"]
# Steps through every event and records where the event's first node is drawn and where the
# graph's window and the caption are; added to a copy of the page, after the page's own script.
PROBE = """<pre id="probe" hidden></pre><script>
(function () {
  var data = JSON.parse(document.getElementById("animation").textContent);
  var view = document.getElementById("view").getBoundingClientRect();
  var records = [];
  for (var index = 0; index < data.events.length; index++) {
    if (index > 0) { document.getElementById("next").click(); }
    var event = data.events[index];
    var caption = document.getElementById("caption").getBoundingClientRect();
    var record = {frame: document.body.getAttribute("data-frame"), node: null,
                  caption: [caption.top, caption.bottom], window: [window.innerWidth, window.innerHeight],
                  view: [view.left, view.top, view.right, view.bottom],
                  page: [document.documentElement.scrollWidth, document.documentElement.scrollHeight]};
    if (event.current.length) {
      var element = document.querySelector('[data-node="' + event.current[0] + '"]');
      var box = element.getBoundingClientRect();
      record.node = [box.left, box.top, box.right, box.bottom];
      record.current = element.classList.contains("current");
    }
    records.push(record);
  }
  document.getElementById("probe").textContent = JSON.stringify(records);
})();
</script>"""


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


def assert_no_errors(dom, log):
    assert re.search(r'<pre id="errors"></pre>', dom), "the page reported errors"
    console = [line for line in log.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert console == []


@pytest.mark.parametrize("steps", [0, 2, TUTORIAL_BACKWARD_EVENTS + 5])
def test_the_page_steps_when_step_is_clicked(page, tmp_path, steps):
    dom, log = dump_dom(page, f"#step={steps}" if steps else "", tmp_path / "profile")
    expected = min(steps, TUTORIAL_BACKWARD_EVENTS - 1)
    assert re.search(rf'<body[^>]* data-frame="{expected}"', dom)
    assert f'id="position">{expected + 1} / {TUTORIAL_BACKWARD_EVENTS}<' in dom
    # The event's nodes are marked (backward_finished, the last, is about none), and its
    # caption is the one under the graph.
    marked = re.findall(r'<g data-node="\d+" class="current">', dom)
    assert bool(marked) == (expected < TUTORIAL_BACKWARD_EVENTS - 1)
    assert re.search(r'<div id="heading">[^<]*' + str(expected + 1), dom)
    assert_no_errors(dom, log)


def test_the_view_follows_the_active_node_of_a_100_op_chain(tmp_path):
    program = tmp_path / "chain.py"
    program.write_text(chain_program(100), encoding="utf-8")
    target = tmp_path / "chain.html"
    assert main([str(program), "-o", str(target), "--view", "autograd"]) == 0
    page = target.read_text(encoding="utf-8")
    assert len(page.encode("utf-8")) < 5 * 2 ** 20
    probed = tmp_path / "probed.html"
    probed.write_text(page.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    dom, log = dump_dom(probed, "", tmp_path / "profile")
    assert_no_errors(dom, log)
    records = json.loads(re.search(r'<pre id="probe" hidden="">(.*?)</pre>', dom, re.DOTALL).group(1))
    events = int(re.search(r'data-count="(\d+)"', page).group(1))
    assert events > 100 and len(records) == events
    for index, record in enumerate(records):
        assert record["frame"] == str(index)
        width, height = record["window"]
        top, bottom = record["caption"]
        assert 0 < top < bottom <= height, f"event {index + 1}: the caption is off screen"
        assert record["page"] == [width, height], "the page does not fit the window"
        if record["node"] is None:
            continue
        left, node_top, right, node_bottom = record["node"]
        view_left, view_top, view_right, view_bottom = record["view"]
        assert record["current"]
        inside = view_left <= left < right <= view_right and view_top <= node_top < node_bottom <= view_bottom
        assert inside, (
            f"event {index + 1}: the active node at {record['node']} is outside the view {record['view']}")
