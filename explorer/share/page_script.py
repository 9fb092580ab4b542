"""The student page's script: the stream, the drawing, the private history and the answers.

Plain ES5 in one function, inlined into the page (no file or CDN is ever fetched). It
reads the labels from the page's ``#labels`` JSON and talks only to its own server:
``stream`` (Server-Sent Events), ``drawing/<key>`` and ``answer``. The view follows the
HTML export's: a camera (centre and zoom) written to the SVG's viewBox, the event's nodes
and edges marked by class, values as badges beside their nodes.
"""

SCRIPT = """
"use strict";
(function () {
  var L = JSON.parse(document.getElementById("labels").textContent);
  var language = document.documentElement.getAttribute("data-language");
  var $ = function (id) { return document.getElementById(id); };
  var view = $("view"), body = document.body;
  var history = [], shown = -1, following = true, lastSeq = 0;
  var drawings = {}, pending = {}, drawing = null, svg = null, nodes = {}, edges = {}, badges = [];
  var camera = {x: 0, y: 0, zoom: 1}, inspected = null;
  var MARGIN = 24, LEGIBLE = 0.8, KEPT = 500;
  var client = sessionStorage.getItem("share-client");
  if (!client) {
    var bytes = new Uint8Array(18);
    crypto.getRandomValues(bytes);
    client = Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
    sessionStorage.setItem("share-client", client);
  }
  var picked = {};
  window.shareLog = [];

  function format(text, values) {
    return text.replace(/\\{(\\w+)\\}/g, function (whole, name) {
      return name in values ? values[name] : whole;
    });
  }
  function letter(index) { return "ABCDEFGH".charAt(index) || String(index + 1); }

  // ------------------------------------------------------------------ the view
  function fitZoom() {
    return Math.min(view.clientWidth / drawing.size[0], view.clientHeight / drawing.size[1]);
  }
  function apply() {
    if (!svg) { return; }
    var w = view.clientWidth / camera.zoom, h = view.clientHeight / camera.zoom;
    svg.setAttribute("viewBox", [camera.x - w / 2, camera.y - h / 2, w, h].join(" "));
  }
  function fitAll() {
    if (!drawing) { return; }
    camera = {x: drawing.size[0] / 2, y: drawing.size[1] / 2, zoom: fitZoom()};
    apply();
  }
  function zoomBy(factor, x, y) {
    var dx = (x - view.clientWidth / 2) / camera.zoom, dy = (y - view.clientHeight / 2) / camera.zoom;
    camera.zoom = Math.max(0.02, Math.min(8, camera.zoom * factor));
    camera.x += dx - (x - view.clientWidth / 2) / camera.zoom;
    camera.y += dy - (y - view.clientHeight / 2) / camera.zoom;
    apply();
  }
  function visible(box) {
    var w = (view.clientWidth - 2 * MARGIN) / camera.zoom, h = (view.clientHeight - 2 * MARGIN) / camera.zoom;
    return box[0] >= camera.x - w / 2 && box[0] + box[2] <= camera.x + w / 2 &&
           box[1] >= camera.y - h / 2 && box[1] + box[3] <= camera.y + h / 2;
  }
  function followNodes(indices, extra) {
    if (!indices.length) { return; }
    var boxes = indices.map(function (index) { return drawing.boxes[index]; });
    // The values beside the nodes too, when all of it fits (a phone shows the node alone).
    var whole = boxes.concat(extra);
    var all = union(whole), nodesOnly = union(boxes);
    if (visible(all)) { return; }
    var fits = function (box) {
      return box[2] * camera.zoom <= view.clientWidth - 2 * MARGIN &&
             box[3] * camera.zoom <= view.clientHeight - 2 * MARGIN;
    };
    var target = fits(all) ? all : fits(nodesOnly) ? nodesOnly : boxes[0];
    camera.x = target[0] + target[2] / 2;
    camera.y = target[1] + target[3] / 2;
    apply();
  }
  function union(boxes) {
    var left = Math.min.apply(null, boxes.map(function (b) { return b[0]; }));
    var top = Math.min.apply(null, boxes.map(function (b) { return b[1]; }));
    var right = Math.max.apply(null, boxes.map(function (b) { return b[0] + b[2]; }));
    var bottom = Math.max.apply(null, boxes.map(function (b) { return b[1] + b[3]; }));
    return [left, top, right - left, bottom - top];
  }
  function useDrawing(next) {
    var old = drawing;
    drawing = next;
    Object.keys(next.colours).forEach(function (name) {
      document.documentElement.style.setProperty("--" + name, next.colours[name]);
    });
    view.querySelectorAll("svg").forEach(function (element) { element.remove(); });
    view.insertAdjacentHTML("afterbegin", next.svg);
    svg = view.querySelector("svg");
    nodes = {}; edges = {}; badges = [];
    svg.querySelectorAll("[data-node]").forEach(function (element) {
      nodes[element.getAttribute("data-node")] = element;
    });
    svg.querySelectorAll("[data-edge]").forEach(function (element) {
      var key = element.getAttribute("data-edge");
      (edges[key] = edges[key] || []).push(element);
    });
    inspect(null);
    if (!old || old.size[0] !== next.size[0] || old.size[1] !== next.size[1] || camera.zoom <= 0) {
      camera = {x: next.size[0] / 2, y: next.size[1] / 2, zoom: Math.min(1, Math.max(fitZoom(), LEGIBLE))};
    }
    apply();
  }
  function badge(index, text) {
    return svgBadge(svg, drawing.boxes[index], text);
  }
  function showEvent(index) {
    Object.keys(nodes).forEach(function (key) { nodes[key].classList.remove("current", "visited"); });
    Object.keys(edges).forEach(function (key) {
      edges[key].forEach(function (element) { element.classList.remove("lit"); });
    });
    badges.forEach(function (group) { group.remove(); });
    badges = [];
    var events = drawing.events;
    var event = index >= 0 && index < events.length ? events[index] : null;
    $("caption").textContent = event ? event.heading + "  " + event.caption : "";
    if (!event) { return; }
    var mark = function (list, name, on) {
      list.forEach(function (node) { if (nodes[node]) { nodes[node].classList.toggle(name, on); } });
    };
    for (var earlier = 0; earlier < index; earlier++) { mark(events[earlier].current, "visited", true); }
    mark(event.current, "visited", false);
    mark(event.current, "current", true);
    event.edges.forEach(function (key) {
      (edges[key] || []).forEach(function (element) { element.classList.add("lit"); });
    });
    badges = event.badges.map(function (pair) { return badge(pair[0], pair[1]); });
    followNodes(event.current, badges.map(function (group) {
      var box = group.getBBox();
      return [box.x, box.y, box.width, box.height];
    }));
  }
  function inspect(index) {
    if (inspected !== null && nodes[inspected]) { nodes[inspected].classList.remove("inspected"); }
    inspected = index;
    if (index !== null && nodes[index]) { nodes[index].classList.add("inspected"); }
    $("node").textContent = index !== null && drawing ? drawing.nodes[Number(index)] || "" : L.inspect_hint;
  }

  // ------------------------------------------------------------------ the teacher's messages
  function fetchDrawing(key) {
    if (drawings[key]) { return Promise.resolve(drawings[key]); }
    if (!pending[key]) {
      pending[key] = fetch("drawing/" + key, {cache: "force-cache"}).then(function (response) {
        if (!response.ok) { throw new Error("drawing " + key + ": " + response.status); }
        return response.json();
      }).then(function (data) { drawings[key] = data; delete pending[key]; return data; },
              function (error) { delete pending[key]; throw error; });
    }
    return pending[key];
  }
  function render(message) {
    body.setAttribute("data-seq", String(message.seq));
    body.setAttribute("data-frame", String(message.frame));
    body.setAttribute("data-event", String(message.event));
    $("title").textContent = message.title || L.title;
    $("position").textContent = format(L.frame, {frame: message.frame + 1, frames: message.frames});
    $("narration").textContent = message.narration;
    $("narration-section").hidden = !message.narration;
    var code = $("code");
    code.textContent = "";
    var current = null;
    message.code.split("\\n").forEach(function (text, index) {
      var line = document.createElement("div");
      line.textContent = text;
      if (index + 1 === message.line) { line.className = "current"; current = line; }
      code.appendChild(line);
    });
    if (current) { code.scrollTop = Math.max(0, current.offsetTop - code.clientHeight / 2); }
    $("output").textContent = message.output;
    $("output-section").hidden = !message.output;
    showQuestion(message.question);
    window.shareLog.push({seq: message.seq, frame: message.frame, event: message.event, t: Date.now()});
    if (!message.drawing) { return; }   // no drawing for this frame: what is shown stays
    if (drawing && drawing.key === message.drawing) { showEvent(message.event); return; }
    fetchDrawing(message.drawing).then(function (data) {
      if (history[shown] !== message) { return; }   // a later message took its place meanwhile
      data.key = message.drawing;
      useDrawing(data);
      showEvent(message.event);
    }, function (error) { $("errors").textContent = String(error); });
  }
  function showQuestion(question) {
    $("question-section").hidden = !question;
    var choices = $("choices");
    choices.textContent = "";
    if (!question) { return; }
    $("prompt").textContent = question.prompt;
    question.choices.forEach(function (text, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = letter(index) + ". " + text;
      button.disabled = question.answer !== null || !isCurrent();
      if (picked[question.id] === index) { button.classList.add("picked"); }
      if (question.answer === index) { button.classList.add("answer"); }
      button.addEventListener("click", function () { answer(question, index); });
      choices.appendChild(button);
    });
    var mine = picked[question.id];
    var note = mine !== undefined ? format(L.answered, {choice: letter(mine)}) : "";
    if (question.answer !== null) { note = format(L.correct, {choice: letter(question.answer)}); }
    $("answer-note").textContent = note;
    $("explanation").textContent = question.explanation || "";
  }
  function answer(question, index) {
    fetch("answer", {method: "POST", headers: {"Content-Type": "application/json"},
                     body: JSON.stringify({question: question.id, choice: index, client: client})})
      .then(function (response) {
        if (response.ok) {
          picked[question.id] = index;
          showQuestion(question);
          return;
        }
        return response.text().then(function (reason) {
          $("answer-note").textContent = format(L.answer_failed, {reason: reason});
        });
      });
  }
  function isCurrent() { return shown === history.length - 1; }
  function showAt(index) {
    shown = Math.max(0, Math.min(history.length - 1, index));
    render(history[shown]);
    controls();
  }
  function controls() {
    $("back").disabled = shown <= 0;
    $("forward").disabled = shown >= history.length - 1;
    var behind = history.length - 1 - shown;
    $("follow").hidden = following;
    $("follow").textContent = L.follow + (behind > 0 ? " (" + format(L["new"], {count: behind}) + ")" : "");
    body.setAttribute("data-following", following ? "1" : "0");
    setStatus(following ? "live" : "paused");
  }
  function setStatus(state) {
    var status = $("status");
    if (status.getAttribute("data-state") === "offline" && state !== "offline" && !connected) { return; }
    status.setAttribute("data-state", state);
    status.textContent = L[state];
  }
  function receive(message) {
    if (message.seq <= lastSeq) { return; }   // the latest message again, after a reconnect
    lastSeq = message.seq;
    if (message.language !== language) { location.reload(); return; }
    history.push(message);
    if (history.length > KEPT) { history.shift(); shown -= 1; }
    if (following) { showAt(history.length - 1); } else { controls(); }
  }

  // ------------------------------------------------------------------ the student's controls
  $("back").addEventListener("click", function () { following = false; showAt(shown - 1); });
  $("forward").addEventListener("click", function () {
    showAt(shown + 1);
    if (isCurrent()) { following = true; controls(); }
  });
  $("follow").addEventListener("click", function () { following = true; showAt(history.length - 1); });
  function zoomMiddle(factor) { zoomBy(factor, view.clientWidth / 2, view.clientHeight / 2); }
  $("zoom-in").addEventListener("click", function () { zoomMiddle(1.25); });
  $("zoom-out").addEventListener("click", function () { zoomMiddle(0.8); });
  $("fit").addEventListener("click", fitAll);
  view.addEventListener("wheel", function (event) {
    event.preventDefault();
    var bounds = view.getBoundingClientRect();
    zoomBy(Math.exp(-event.deltaY / 500), event.clientX - bounds.left, event.clientY - bounds.top);
  }, {passive: false});
  var pointers = {}, moved = 0, spread = 0;
  function distance() {
    var list = Object.keys(pointers).map(function (id) { return pointers[id]; });
    return list.length === 2 ? Math.hypot(list[0].x - list[1].x, list[0].y - list[1].y) : 0;
  }
  view.addEventListener("pointerdown", function (event) {
    if (event.target.closest("#zoom")) { return; }
    pointers[event.pointerId] = {x: event.clientX, y: event.clientY};
    moved = 0;
    spread = distance();
    view.setPointerCapture(event.pointerId);
  });
  view.addEventListener("pointermove", function (event) {
    var last = pointers[event.pointerId];
    if (!last) { return; }
    var dx = event.clientX - last.x, dy = event.clientY - last.y;
    pointers[event.pointerId] = {x: event.clientX, y: event.clientY};
    moved += Math.abs(dx) + Math.abs(dy);
    if (Object.keys(pointers).length === 2) {
      var now = distance(), bounds = view.getBoundingClientRect();
      if (spread > 0 && now > 0) {
        zoomBy(now / spread, event.clientX - bounds.left, event.clientY - bounds.top);
      }
      spread = now;
      return;
    }
    camera.x -= dx / camera.zoom;
    camera.y -= dy / camera.zoom;
    apply();
  });
  function release(event) {
    if (!pointers[event.pointerId]) { return; }
    delete pointers[event.pointerId];
    if (moved < 6 && event.type === "pointerup") {
      var hit = document.elementFromPoint(event.clientX, event.clientY);
      var node = hit && hit.closest ? hit.closest("[data-node]") : null;
      inspect(node ? node.getAttribute("data-node") : null);
    }
  }
  view.addEventListener("pointerup", release);
  view.addEventListener("pointercancel", release);
  document.addEventListener("keydown", function (event) {
    if (event.key === "ArrowLeft") { $("back").click(); }
    if (event.key === "ArrowRight") { $("forward").click(); }
    if (event.key === "f" || event.key === "F") { $("follow").click(); }
    if (event.key === "+" || event.key === "=") { $("zoom-in").click(); }
    if (event.key === "-") { $("zoom-out").click(); }
    if (event.key === "0") { fitAll(); }
  });
  window.addEventListener("resize", apply);

  // ------------------------------------------------------------------ the stream
  var connected = false;
  var source = new EventSource("stream");
  source.onopen = function () { connected = true; controls(); };
  source.onmessage = function (event) { receive(JSON.parse(event.data)); };
  source.onerror = function () { connected = false; setStatus("offline"); };
  inspect(null);
  controls();
})();
"""
