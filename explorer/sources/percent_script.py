"""``.py`` files split into cells by ``# %%`` / ``#%%`` lines (VS Code, Spyder, Jupytext).

A ``# %% [markdown]`` cell is prose: its comment lines become the narration of the
next code cell, as does the text after ``# %%`` on a cell's first line.
"""
import re

from .page_cell import PageCell

_MARKER = re.compile(r"^#\s?%%(?P<rest>.*)$")


def has_cell_markers(text):
    return any(_MARKER.match(line) for line in text.splitlines())


def percent_cells(text):
    """PageCells of a ``# %%`` script, in order."""
    chunks = []  # (header text after %%, lines)
    header, lines = None, []
    for line in text.splitlines(keepends=True):
        match = _MARKER.match(line.rstrip("\r\n"))
        if match:
            chunks.append((header, lines))
            header, lines = match.group("rest").strip(), []
        else:
            lines.append(line)
    chunks.append((header, lines))
    cells, prose = [], []
    for header, lines in chunks:
        body = "".join(lines)
        kind = re.match(r"^\[(\w+)\]", header or "")
        if kind and kind.group(1).lower() in ("markdown", "md", "raw"):
            prose.append(_uncomment(body))
            continue
        title = re.sub(r"^\[\w+\]\s*", "", header or "")
        if title:
            prose.append(title)
        if not body.strip():
            continue
        if all(not line.strip() or line.lstrip().startswith("#") for line in lines):
            prose.append(_uncomment(body))  # comments only: prose, not a cell
            continue
        cells.append(PageCell(code=body, prose="\n\n".join(p for p in prose if p.strip())))
        prose = []
    return cells


def _uncomment(text):
    out = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith(('"""', "'''")):
            stripped = stripped.strip("\"'")
        out.append(re.sub(r"^#\s?", "", stripped))
    return "\n".join(out).strip()
