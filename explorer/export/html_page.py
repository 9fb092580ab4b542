"""A self-contained HTML page that plays the backward animation in any browser.

The graph is one inline SVG (labels stay selectable text), drawn once; each
event is a few numbers (the nodes and edges it is about, values beside nodes)
and its caption, so the page grows with the graph plus the events, not with
their product. A few lines of inline script recolour the event's nodes and
edges, put its values beside them, and move the view so that its nodes are on
screen; the caption sits in a bar at the foot of the window. The graph fills
the window below the controls: the mouse wheel zooms, dragging pans, and the
keys + - 0 zoom in, out and to the whole graph. The page loads nothing: no
external URL, and a Content-Security-Policy that forbids fetching anything.

For links and tests the page reads ``#step=N`` and presses Step N times after
loading; it keeps the shown event's index (from 0) in ``<body data-frame>`` and
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
html, body { height: 100%; margin: 0; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC",
       system-ui, sans-serif; background: BACKGROUND; color: TEXT;
       display: flex; flex-direction: column; overflow: hidden; }
header { display: flex; flex-wrap: wrap; gap: .4rem 1rem; align-items: center; padding: .5rem 1rem;
         border-bottom: 1px solid EDGE; }
h1 { font-size: 1.1rem; font-weight: 600; margin: 0; }
nav { display: flex; gap: .4rem; align-items: center; }
button { font: inherit; padding: .2rem .8rem; border-radius: .3rem; border: 1px solid EDGE;
         background: PANEL; color: TEXT; cursor: pointer; }
button:disabled { opacity: .45; cursor: default; }
#position { font-variant-numeric: tabular-nums; margin-left: .5rem; }
#view { flex: 1; min-height: 0; position: relative; cursor: grab; touch-action: none; }
#view svg { position: absolute; inset: 0; width: 100%; height: 100%; }
#caption { padding: .5rem 1rem; border-top: 1px solid EDGE; background: PANEL; min-height: 2.6em; }
#heading { font-weight: 600; }
#errors:empty { display: none; }
#errors { color: #c5221f; margin: 0; padding: 0 1rem; }
[data-node].current rect { stroke: CURRENT; stroke-width: 2.6; }
[data-node].visited rect { stroke: VISITED; stroke-width: 2.6; }
[data-edge].lit path { stroke: CURRENT; stroke-width: 2.6; }
[data-edge].lit polygon { stroke: CURRENT; fill: CURRENT; }
.badge rect { fill: PANEL; stroke: CURRENT; stroke-width: 1.2; }
.badge text { fill: TEXT; font: 11px ui-monospace, "DejaVu Sans Mono", monospace; }
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

# A value's badge beside its node's box: the HTML export and the classroom page draw alike.
SVG_BADGE = """
"use strict";
function svgBadge(svg, box, text) {
  var group = document.createElementNS(svg.namespaceURI, "g");
  var rect = document.createElementNS(svg.namespaceURI, "rect");
  var label = document.createElementNS(svg.namespaceURI, "text");
  group.setAttribute("class", "badge");
  label.textContent = text;
  label.setAttribute("x", box[0] + box[2] + 10);
  label.setAttribute("y", box[1] + box[3] / 2);
  label.setAttribute("dominant-baseline", "central");
  rect.setAttribute("rx", 4);
  group.appendChild(rect);
  group.appendChild(label);
  svg.appendChild(group);
  var measured = label.getBBox();
  rect.setAttribute("x", measured.x - 4);
  rect.setAttribute("y", measured.y - 3);
  rect.setAttribute("width", measured.width + 8);
  rect.setAttribute("height", measured.height + 6);
  return group;
}
"""

SCRIPT = """
"use strict";
(function () {
  var data = JSON.parse(document.getElementById("animation").textContent);
  var events = data.events;
  var svg = document.querySelector("#view svg");
  var view = document.getElementById("view");
  var buttons = {};
  ["first", "previous", "play", "next", "last"].forEach(function (name) {
    buttons[name] = document.getElementById(name);
  });
  var position = document.getElementById("position");
  var heading = document.getElementById("heading");
  var caption = document.getElementById("text");
  var delay = Number(document.body.getAttribute("data-delay"));
  var nodes = {}, edges = {};
  Array.prototype.forEach.call(svg.querySelectorAll("[data-node]"), function (element) {
    nodes[element.getAttribute("data-node")] = element;
  });
  Array.prototype.forEach.call(svg.querySelectorAll("[data-edge]"), function (element) {
    var key = element.getAttribute("data-edge");
    (edges[key] = edges[key] || []).push(element);
  });
  var badges = [];
  var current = 0;
  var timer = null;
  // The view: the SVG point at the centre of the window and the pixels per SVG unit.
  var width = data.size[0], height = data.size[1];
  var camera = {x: width / 2, y: height / 2, zoom: 1};
  var LEGIBLE = 0.8, MARGIN = 24;

  function fitZoom() {
    return Math.min(view.clientWidth / width, view.clientHeight / height);
  }
  function apply() {
    var w = view.clientWidth / camera.zoom, h = view.clientHeight / camera.zoom;
    svg.setAttribute("viewBox", [camera.x - w / 2, camera.y - h / 2, w, h].join(" "));
  }
  function visible(box) {
    var w = (view.clientWidth - 2 * MARGIN) / camera.zoom, h = (view.clientHeight - 2 * MARGIN) / camera.zoom;
    return box[0] >= camera.x - w / 2 && box[0] + box[2] <= camera.x + w / 2 &&
           box[1] >= camera.y - h / 2 && box[1] + box[3] <= camera.y + h / 2;
  }
  function follow(indices) {
    if (!indices.length) { return; }
    var boxes = indices.map(function (index) { return data.boxes[index]; });
    var left = Math.min.apply(null, boxes.map(function (b) { return b[0]; }));
    var top = Math.min.apply(null, boxes.map(function (b) { return b[1]; }));
    var right = Math.max.apply(null, boxes.map(function (b) { return b[0] + b[2]; }));
    var bottom = Math.max.apply(null, boxes.map(function (b) { return b[1] + b[3]; }));
    var union = [left, top, right - left, bottom - top];
    if (visible(union)) { return; }
    // The whole group when it fits the window, else its first node.
    var target = union[2] * camera.zoom <= view.clientWidth - 2 * MARGIN &&
                 union[3] * camera.zoom <= view.clientHeight - 2 * MARGIN ? union : boxes[0];
    camera.x = target[0] + target[2] / 2;
    camera.y = target[1] + target[3] / 2;
    apply();
  }
  function badge(index, text) {
    return svgBadge(svg, data.boxes[index], text);
  }
  function mark(list, name, on) {
    list.forEach(function (index) {
      if (nodes[index]) { nodes[index].classList.toggle(name, on); }
    });
  }
  function show(index) {
    current = Math.max(0, Math.min(events.length - 1, index));
    Object.keys(nodes).forEach(function (key) { nodes[key].classList.remove("current", "visited"); });
    Object.keys(edges).forEach(function (key) {
      edges[key].forEach(function (element) { element.classList.remove("lit"); });
    });
    badges.forEach(function (group) { group.remove(); });
    for (var earlier = 0; earlier < current; earlier++) { mark(events[earlier].current, "visited", true); }
    var event = events[current];
    mark(event.current, "visited", false);
    mark(event.current, "current", true);
    event.edges.forEach(function (key) {
      (edges[key] || []).forEach(function (element) { element.classList.add("lit"); });
    });
    badges = event.badges.map(function (pair) { return badge(pair[0], pair[1]); });
    heading.textContent = event.heading;
    caption.textContent = event.caption;
    document.body.setAttribute("data-frame", String(current));
    position.textContent = (current + 1) + " / " + events.length;
    buttons.first.disabled = buttons.previous.disabled = current === 0;
    buttons.next.disabled = buttons.last.disabled = current === events.length - 1;
    follow(event.current);
  }
  function stop() {
    if (timer !== null) { clearInterval(timer); timer = null; }
    buttons.play.textContent = data.labels.play;
  }
  function advance() {
    if (current < events.length - 1) { show(current + 1); } else { stop(); }
  }
  function play() {
    if (current === events.length - 1) { show(0); }
    timer = setInterval(advance, delay);
    buttons.play.textContent = data.labels.pause;
  }
  function zoomBy(factor, x, y) {
    // Zoom about the window point (x, y), which stays over the same SVG point.
    var dx = (x - view.clientWidth / 2) / camera.zoom, dy = (y - view.clientHeight / 2) / camera.zoom;
    camera.zoom = Math.max(0.02, Math.min(8, camera.zoom * factor));
    camera.x += dx - (x - view.clientWidth / 2) / camera.zoom;
    camera.y += dy - (y - view.clientHeight / 2) / camera.zoom;
    apply();
  }
  function fitAll() {
    camera = {x: width / 2, y: height / 2, zoom: fitZoom()};
    apply();
  }
  buttons.first.addEventListener("click", function () { stop(); show(0); });
  buttons.previous.addEventListener("click", function () { stop(); show(current - 1); });
  buttons.next.addEventListener("click", function () { stop(); show(current + 1); });
  buttons.last.addEventListener("click", function () { stop(); show(events.length - 1); });
  buttons.play.addEventListener("click", function () { if (timer === null) { play(); } else { stop(); } });
  document.addEventListener("keydown", function (event) {
    var keys = {ArrowRight: "next", ArrowLeft: "previous", Home: "first", End: "last", " ": "play"};
    if (keys[event.key]) { event.preventDefault(); buttons[keys[event.key]].click(); }
    var middle = [view.clientWidth / 2, view.clientHeight / 2];
    if (event.key === "+" || event.key === "=") { zoomBy(1.25, middle[0], middle[1]); }
    if (event.key === "-") { zoomBy(0.8, middle[0], middle[1]); }
    if (event.key === "0") { fitAll(); }
  });
  view.addEventListener("wheel", function (event) {
    event.preventDefault();
    var bounds = view.getBoundingClientRect();
    zoomBy(Math.exp(-event.deltaY / 500), event.clientX - bounds.left, event.clientY - bounds.top);
  }, {passive: false});
  var drag = null;
  view.addEventListener("pointerdown", function (event) {
    drag = {x: event.clientX, y: event.clientY};
    view.setPointerCapture(event.pointerId);
  });
  view.addEventListener("pointermove", function (event) {
    if (drag === null) { return; }
    camera.x -= (event.clientX - drag.x) / camera.zoom;
    camera.y -= (event.clientY - drag.y) / camera.zoom;
    drag = {x: event.clientX, y: event.clientY};
    apply();
  });
  view.addEventListener("pointerup", function () { drag = null; });
  window.addEventListener("resize", function () { apply(); follow(events[current].current); });

  // The whole graph when it is legible at that size, else legible and following the events.
  camera.zoom = Math.min(1, Math.max(fitZoom(), LEGIBLE));
  apply();
  show(0);
  var wanted = /(?:^#|&)step=(\\d+)/.exec(window.location.hash);
  for (var pressed = 0; wanted && pressed < Number(wanted[1]); pressed++) { buttons.next.click(); }
})();
"""

POLICY = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"
_XML_PROLOGUE = re.compile(r"^\s*<\?xml[^>]*\?>\s*(<!DOCTYPE[^>]*>\s*)?", re.IGNORECASE)


def html_page(title: str, svg: bytes, size: tuple, boxes: list, events: list, language: str = "en",
              delay_ms: int = 1200, colours: dict | None = None) -> bytes:
    """The page as UTF-8 bytes.

    ``svg`` is the graph, its node groups marked ``data-node="i"`` and its edges
    ``data-edge="j"``; ``size`` its (width, height) and ``boxes[i]`` node i's
    [x, y, width, height], in SVG units. Each event is a dict: ``current`` (node
    indices), ``edges`` (edge indices), ``badges`` ([node index, text] pairs),
    ``heading`` and ``caption``. ``colours`` (background, text, edge, panel,
    current, visited) match the page to the drawing's theme.
    """
    labels = LABELS.get(language, LABELS["en"])
    colours = colours or {"background": "#ffffff", "text": "#202124", "edge": "#5f6368", "panel": "#f8f9fa",
                          "current": "#f29900", "visited": "#1a73e8"}
    style = STYLE
    for name, value in colours.items():
        style = style.replace(name.upper(), value)
    animation = _json_object({"labels": labels, "size": list(size), "boxes": boxes, "events": events})
    buttons = "\n".join(f'<button type="button" id="{name}">{html.escape(labels[name])}</button>'
                        for name in ("first", "previous", "play", "next", "last"))
    first = events[0] if events else {"heading": "", "caption": ""}
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
<body data-frame="0" data-count="{len(events)}" data-delay="{int(delay_ms)}">
<header>
<h1>{html.escape(title)}</h1>
<nav aria-label="{html.escape(labels['frames'])}">
{buttons}
<span id="position">1 / {len(events)}</span>
</nav>
</header>
<div id="view">{inline_svg(svg)}</div>
<footer id="caption" aria-live="polite"><div id="heading">{html.escape(first['heading'])}</div>
<div id="text">{html.escape(first['caption'])}</div></footer>
<pre id="errors"></pre>
<script type="application/json" id="animation">{animation}</script>
<script>{SVG_BADGE}</script>
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
