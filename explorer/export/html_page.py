"""A self-contained HTML page that plays the backward animation in any browser.

Every animation frame is an inline SVG (labels stay selectable text); a few
lines of inline script show one at a time with first / back / play / step /
last buttons and the arrow keys. The page loads nothing: no external URL, and a
Content-Security-Policy that forbids fetching anything.

For links and tests the page reads ``#step=N`` and presses Step N times after
loading; it keeps the shown frame's index (from 0) in ``<body data-frame>`` and
reports script errors and blocked requests into ``<pre id="errors">``.
"""
from __future__ import annotations

import html
import json
import re

LABELS = {
    "en": {"first": "First", "previous": "Step back", "play": "Play", "pause": "Pause",
           "next": "Step", "last": "Last", "frames": "Backward animation"},
    "zh": {"first": "第一步", "previous": "后退一步", "play": "播放", "pause": "暂停",
           "next": "前进一步", "last": "最后一步", "frames": "反向传播动画"},
}
HTML_LANGUAGE = {"en": "en", "zh": "zh-CN"}

STYLE = """
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC",
       system-ui, sans-serif; margin: 1.5rem; background: BACKGROUND; color: TEXT; }
h1 { font-size: 1.3rem; font-weight: 600; }
nav { display: flex; gap: .5rem; align-items: center; margin: .8rem 0; }
button { font: inherit; padding: .3rem .9rem; border-radius: .3rem; border: 1px solid EDGE;
         background: PANEL; color: TEXT; cursor: pointer; }
button:disabled { opacity: .45; cursor: default; }
#position { font-variant-numeric: tabular-nums; margin-left: .5rem; }
.frame svg { max-width: 100%; height: auto; }
#errors:empty { display: none; }
#errors { color: #c5221f; }
"""

# Runs first, in <head>, so that it also hears about anything the policy blocks.
ERROR_REPORTER = """
"use strict";
(function () {
  var reported = [];
  function show() {
    var box = document.getElementById("errors");
    if (box) { box.textContent = reported.join("\\n"); }
  }
  function report(text) { reported.push(text); show(); }
  window.onerror = function (message, source, line) { report(message + " (line " + line + ")"); };
  document.addEventListener("securitypolicyviolation", function (event) {
    report("blocked " + event.violatedDirective + ": " + event.blockedURI);
  });
  document.addEventListener("DOMContentLoaded", show);
})();
"""

SCRIPT = """
"use strict";
(function () {
  var frames = Array.prototype.slice.call(document.querySelectorAll(".frame"));
  var buttons = {};
  ["first", "previous", "play", "next", "last"].forEach(function (name) {
    buttons[name] = document.getElementById(name);
  });
  var position = document.getElementById("position");
  var labels = JSON.parse(document.getElementById("labels").textContent);
  var delay = Number(document.body.getAttribute("data-delay"));
  var current = 0;
  var timer = null;

  function show(index) {
    current = Math.max(0, Math.min(frames.length - 1, index));
    frames.forEach(function (frame, i) { frame.hidden = i !== current; });
    document.body.setAttribute("data-frame", String(current));
    position.textContent = (current + 1) + " / " + frames.length;
    buttons.first.disabled = buttons.previous.disabled = current === 0;
    buttons.next.disabled = buttons.last.disabled = current === frames.length - 1;
  }
  function stop() {
    if (timer !== null) { clearInterval(timer); timer = null; }
    buttons.play.textContent = labels.play;
  }
  function advance() {
    if (current < frames.length - 1) { show(current + 1); } else { stop(); }
  }
  function play() {
    if (current === frames.length - 1) { show(0); }
    timer = setInterval(advance, delay);
    buttons.play.textContent = labels.pause;
  }
  buttons.first.addEventListener("click", function () { stop(); show(0); });
  buttons.previous.addEventListener("click", function () { stop(); show(current - 1); });
  buttons.next.addEventListener("click", function () { stop(); show(current + 1); });
  buttons.last.addEventListener("click", function () { stop(); show(frames.length - 1); });
  buttons.play.addEventListener("click", function () { if (timer === null) { play(); } else { stop(); } });
  document.addEventListener("keydown", function (event) {
    var keys = {ArrowRight: "next", ArrowLeft: "previous", Home: "first", End: "last", " ": "play"};
    if (keys[event.key]) { event.preventDefault(); buttons[keys[event.key]].click(); }
  });

  show(0);
  var wanted = /(?:^#|&)step=(\\d+)/.exec(window.location.hash);
  for (var pressed = 0; wanted && pressed < Number(wanted[1]); pressed++) { buttons.next.click(); }
})();
"""

POLICY = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"
_XML_PROLOGUE = re.compile(r"^\s*<\?xml[^>]*\?>\s*(<!DOCTYPE[^>]*>\s*)?", re.IGNORECASE)


def html_page(title: str, svgs: list[bytes], language: str = "en", delay_ms: int = 1200,
              colours: dict | None = None) -> bytes:
    """The page as UTF-8 bytes; ``svgs`` are the animation frames in order.

    ``colours`` (background, text, edge, panel) match the page to the drawing's theme.
    """
    labels = LABELS.get(language, LABELS["en"])
    colours = colours or {"background": "#ffffff", "text": "#202124", "edge": "#5f6368", "panel": "#f8f9fa"}
    style = STYLE
    for name, value in colours.items():
        style = style.replace(name.upper(), value)
    frames = "\n".join(
        f'<div class="frame" data-index="{index}"{"" if index == 0 else " hidden"}>{inline_svg(svg)}</div>'
        for index, svg in enumerate(svgs))
    label_json = _json_object(labels)
    buttons = "\n".join(f'<button type="button" id="{name}">{html.escape(labels[name])}</button>'
                        for name in ("first", "previous", "play", "next", "last"))
    page = f"""<!DOCTYPE html>
<html lang="{HTML_LANGUAGE.get(language, 'en')}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>{style}</style>
<script>{ERROR_REPORTER}</script>
</head>
<body data-frame="0" data-count="{len(svgs)}" data-delay="{int(delay_ms)}">
<h1>{html.escape(title)}</h1>
<nav aria-label="{html.escape(labels['frames'])}">
{buttons}
<span id="position">1 / {len(svgs)}</span>
</nav>
<figure>
{frames}
</figure>
<pre id="errors"></pre>
<script type="application/json" id="labels">{label_json}</script>
<script>{SCRIPT}</script>
</body>
</html>
"""
    return page.encode("utf-8")


def inline_svg(svg: bytes) -> str:
    """An SVG document as markup to place inside HTML (its XML prologue removed)."""
    return _XML_PROLOGUE.sub("", svg.decode("utf-8"), count=1)


def _json_object(texts: dict) -> str:
    # "<" escaped so no text can close the script element early.
    return json.dumps(texts, ensure_ascii=False).replace("<", "\\u003c")
