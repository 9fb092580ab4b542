"""The student's page: one self-contained HTML document (style and script inline, no CDN).

It listens to ``stream`` (Server-Sent Events), fetches each frame's drawing
once from ``drawing/<key>`` and shows it as the HTML export does (the same
marked SVG, event classes and value badges); the mouse wheel, a pinch or the
+ / - / fit buttons zoom, dragging pans, and a tap on a node shows what the
snapshot holds about it. Every message received is kept, so a student can step
back privately; "Follow" returns to the teacher. A question's choices are
buttons; a tap sends ``{question, choice, client}`` to ``answer``, with a random
id the page makes once per browser tab.

For tests the page keeps what it showed in ``window.shareLog`` (seq, frame,
event, time in ms since the epoch) and on ``<body>``'s data attributes.
"""
from __future__ import annotations

import html

from explorer.export.html_page import ERROR_REPORTER, HTML_LANGUAGE, SVG_BADGE

from .hub import encode
from .page_script import SCRIPT

LABELS = {
    "en": {"title": "Autograd Explorer: following the class", "live": "Live", "paused": "Paused",
           "offline": "Reconnecting…", "back": "Back", "forward": "Forward", "follow": "Follow",
           "new": "{count} new", "frame": "Step {frame} / {frames}", "zoom_in": "Zoom in",
           "zoom_out": "Zoom out", "fit": "Fit", "narration": "Narration", "code": "Code",
           "question": "Predict", "inspect": "Node",
           "inspect_hint": "Tap a node to see its values and .grad.",
           "answered": "Your answer is in: {choice}", "answer_failed": "Not counted: {reason}",
           "correct": "Answer: {choice}", "waiting": "Waiting for the teacher…", "output": "Printed"},
    "zh": {"title": "Autograd Explorer：跟随课堂", "live": "同步中", "paused": "已暂停",
           "offline": "正在重新连接…", "back": "后退", "forward": "前进", "follow": "跟随老师",
           "new": "{count} 条新内容", "frame": "第 {frame} / {frames} 步", "zoom_in": "放大",
           "zoom_out": "缩小", "fit": "适合窗口", "narration": "讲解", "code": "代码",
           "question": "先预测", "inspect": "节点", "inspect_hint": "点按一个节点，查看它的值和 .grad。",
           "answered": "已提交你的答案：{choice}", "answer_failed": "未计入：{reason}",
           "correct": "答案：{choice}", "waiting": "等待老师开始…", "output": "输出"},
}

STYLE = """
:root { --background: #ffffff; --text: #202124; --edge: #5f6368; --panel: #f8f9fa;
        --current: #f29900; --visited: #1a73e8; }
* { box-sizing: border-box; }
html, body { height: 100%; margin: 0; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC",
       system-ui, sans-serif; background: var(--background); color: var(--text);
       display: flex; flex-direction: column; overflow: hidden; }
header { display: flex; flex-wrap: wrap; gap: .3rem .8rem; align-items: center; padding: .4rem .8rem;
         border-bottom: 1px solid var(--edge); background: var(--panel); }
h1 { font-size: 1rem; font-weight: 600; margin: 0; flex: 1 1 12rem; min-width: 0;
     overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
nav { display: flex; gap: .3rem; align-items: center; flex-wrap: wrap; }
button { font: inherit; padding: .25rem .7rem; border-radius: .3rem; border: 1px solid var(--edge);
         background: var(--background); color: var(--text); cursor: pointer; min-height: 2rem; }
button:disabled { opacity: .45; cursor: default; }
#follow { border-color: var(--visited); color: var(--visited); font-weight: 600; }
#follow[hidden] { display: none; }
#status { font-size: .85rem; padding: .1rem .5rem; border-radius: 1rem; background: var(--edge);
          color: #fff; }
#status[data-state="live"] { background: #188038; }
#status[data-state="paused"] { background: var(--visited); }
#position { font-variant-numeric: tabular-nums; font-size: .9rem; }
main { flex: 1; min-height: 0; display: flex; }
#view { flex: 1; min-width: 0; min-height: 0; position: relative; cursor: grab; touch-action: none;
        overflow: hidden; }
#view svg { position: absolute; inset: 0; width: 100%; height: 100%; }
#zoom { position: absolute; right: .5rem; bottom: .5rem; display: flex; gap: .3rem; }
#zoom button { min-width: 2.2rem; background: var(--panel); }
#stage { flex: 1; min-width: 0; min-height: 0; display: flex; flex-direction: column; }
#caption { padding: .3rem .8rem; border-top: 1px solid var(--current); background: var(--panel);
           font-size: .9rem; }
#caption:empty { display: none; }
aside { width: 24rem; max-width: 45%; overflow-y: auto; border-left: 1px solid var(--edge);
        background: var(--panel); padding: .2rem .8rem .8rem; }
aside h2 { font-size: .8rem; text-transform: uppercase; letter-spacing: .05em; margin: .8rem 0 .3rem;
           color: var(--edge); }
section[hidden] { display: none; }
#narration { margin: 0; line-height: 1.45; }
#code { margin: 0; font: .8rem/1.45 ui-monospace, "DejaVu Sans Mono", "Noto Sans Mono CJK SC", monospace;
        background: var(--background); border: 1px solid var(--edge); border-radius: .3rem;
        overflow: auto; max-height: 16rem; padding: .3rem 0; }
#code div { padding: 0 .5rem; white-space: pre; min-height: 1.45em; }
#code div.current { background: var(--current); color: #000; }
#output, #node { margin: 0; font: .8rem/1.4 ui-monospace, "DejaVu Sans Mono", monospace;
                 white-space: pre-wrap; overflow-wrap: anywhere; }
#prompt { margin: 0 0 .4rem; font-weight: 600; }
#choices { display: flex; flex-direction: column; gap: .3rem; }
#choices button { text-align: left; }
#choices button.picked { border-color: var(--visited); border-width: 2px; }
#choices button.answer { background: #e6f4ea; border-color: #188038; border-width: 2px; color: #000; }
#answer-note, #explanation { margin: .4rem 0 0; font-size: .9rem; }
#errors:empty { display: none; }
#errors { color: #c5221f; margin: 0; padding: 0 .8rem; }
[data-node] { cursor: pointer; }
[data-node].current rect { stroke: var(--current); stroke-width: 2.6; }
[data-node].visited rect { stroke: var(--visited); stroke-width: 2.6; }
[data-node].inspected rect { stroke: var(--text); stroke-width: 3; stroke-dasharray: 5 3; }
[data-edge].lit path { stroke: var(--current); stroke-width: 2.6; }
[data-edge].lit polygon { stroke: var(--current); fill: var(--current); }
.badge rect { fill: var(--panel); stroke: var(--current); stroke-width: 1.2; }
.badge text { fill: var(--text); font: 11px ui-monospace, "DejaVu Sans Mono", monospace; }
@media (max-width: 700px), (orientation: portrait) {
  main { flex-direction: column; }
  #stage { flex: 1 1 55%; }
  aside { width: auto; max-width: none; flex: 1 1 45%; border-left: 0; border-top: 1px solid var(--edge); }
  h1 { flex-basis: 100%; }
}
"""


def student_page(language: str = "en") -> bytes:
    """The page, in ``language`` ("en" or "zh"), as UTF-8 bytes."""
    labels = LABELS.get(language, LABELS["en"])
    text = {key: html.escape(value) for key, value in labels.items()}
    labels_json = encode(labels).decode("utf-8")
    page = f"""<!DOCTYPE html>
<html lang="{HTML_LANGUAGE.get(language, 'en')}" data-language="{html.escape(language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{text['title']}</title>
<style>{STYLE}</style>
<script>{ERROR_REPORTER}</script>
</head>
<body data-seq="0" data-frame="-1" data-event="-1" data-following="1">
<header>
<h1 id="title">{text['waiting']}</h1>
<span id="status" data-state="offline">{text['offline']}</span>
<nav>
<button type="button" id="back">◀ {text['back']}</button>
<span id="position"></span>
<button type="button" id="forward">{text['forward']} ▶</button>
<button type="button" id="follow" hidden>{text['follow']}</button>
</nav>
</header>
<main>
<div id="stage"><div id="view">
<div id="zoom"><button type="button" id="zoom-out" aria-label="{text['zoom_out']}">−</button>
<button type="button" id="fit">{text['fit']}</button>
<button type="button" id="zoom-in" aria-label="{text['zoom_in']}">+</button></div></div>
<div id="caption" aria-live="polite"></div></div>
<aside>
<section id="question-section" hidden><h2>{text['question']}</h2><p id="prompt"></p><div id="choices"></div>
<p id="answer-note" aria-live="polite"></p><p id="explanation"></p></section>
<section id="narration-section" hidden><h2>{text['narration']}</h2><p id="narration"></p></section>
<section><h2>{text['inspect']}</h2><pre id="node"></pre></section>
<section><h2>{text['code']}</h2><pre id="code"></pre></section>
<section id="output-section" hidden><h2>{text['output']}</h2><pre id="output"></pre></section>
</aside>
</main>
<pre id="errors"></pre>
<script type="application/json" id="labels">{labels_json}</script>
<script>{SVG_BADGE}</script>
<script>{SCRIPT}</script>
</body>
</html>
"""
    return page.encode("utf-8")

