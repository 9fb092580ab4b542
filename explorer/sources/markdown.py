"""Markdown chapters: fenced code blocks are cells, the prose before each its narration.

d2l's multi-framework Markdown marks blocks ``{.python .input}`` and starts each with
``#@tab <frameworks>`` (newer: ``%%tab``): only blocks for PyTorch (or ``all``) are kept.
"""
import re

from .blocks import Block, cells_from_blocks

_FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`]*)$")
_TAB = re.compile(r"^#@tab\s+(?P<tabs>.+)$")


def _language(info):
    info = info.strip()
    if info.startswith("{"):  # d2l / pandoc attributes: {.python .input n=1}
        classes = re.findall(r"\.([\w-]+)", info)
        return classes[0] if classes else ""
    return info.split()[0] if info else ""


def markdown_cells(text):
    """PageCells of a Markdown text (read line by line: no nesting to recurse into)."""
    items = []
    prose = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        match = _FENCE.match(lines[index])
        if not match:
            prose.append(lines[index])
            index += 1
            continue
        fence = match.group("fence")
        language = _language(match.group("info"))
        body = []
        index += 1
        while index < len(lines) and not lines[index].strip().startswith(fence):
            body.append(lines[index])
            index += 1
        index += 1  # the closing fence (or the end of the text)
        items.append(prose_of("\n".join(prose)))
        prose = []
        if body and _TAB.match(body[0].strip().replace("%%tab", "#@tab", 1)):
            tab_line = body[0].strip().replace("%%tab", "#@tab", 1)
            tabs = _TAB.match(tab_line).group("tabs").replace(",", " ").split()
            if not {"pytorch", "all"} & set(tabs):
                continue
            body = body[1:]
        items.append(Block("\n".join(body) + "\n", language))
    return cells_from_blocks(items), _title(text)


def _title(text):
    """The first level-1 heading outside code blocks."""
    fence = None
    for line in text.splitlines():
        match = _FENCE.match(line)
        if match and fence is None:
            fence = match.group("fence")
        elif fence is not None and line.strip().startswith(fence):
            fence = None
        elif fence is None and line.startswith("# "):
            return line[2:].strip()
    return ""


def prose_of(text):
    """Markdown prose as narration text: comments, HTML tags, labels and image links
    dropped, text kept."""
    text = re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL)
    text = re.sub(r"</?[A-Za-z][^<>]*>", "", text)  # raw HTML (<img>, <iframe>, <div>)
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)
    text = re.sub(r":(label|numref|cite|eqref|ref)[:`][^\s]*", "", text)
    return text
