"""Jupyter notebooks, read with ``nbformat``: code cells are cells, the Markdown cells
before each its narration, and the text outputs the notebook holds its expected output.

Pictures, HTML and other rich outputs (and attachments) are dropped: only text is kept.
"""
import json
import warnings

import nbformat

from .markdown import prose_of
from .page_cell import PageCell

_TEXT_OUTPUTS = ("stream", "execute_result", "error")


class NotebookError(ValueError):
    """A notebook nbformat cannot read."""


def _text(value):
    return "".join(value) if isinstance(value, list) else (value if isinstance(value, str) else "")


def _output_text(outputs):
    """(the text a cell shows, whether it shows the last line's value)."""
    pieces = []
    displays_value = False
    for output in outputs:
        kind = output.get("output_type")
        if kind == "stream":
            if output.get("name") == "stdout":
                pieces.append(_text(output.get("text", "")))
        elif kind == "execute_result":
            data = output.get("data", {})
            text = _text(data.get("text/plain", ""))
            if text:
                pieces.append(text if text.endswith("\n") else text + "\n")
                displays_value = True
        elif kind == "error":
            pieces.append(f"{output.get('ename', '')}: {output.get('evalue', '')}\n")
    return ("".join(pieces) if pieces else None), displays_value


def notebook_cells(text):
    """(PageCells, title) of a notebook's JSON text."""
    try:
        with warnings.catch_warnings():  # a missing cell id or an old minor version is fine
            warnings.simplefilter("ignore")
            notebook = nbformat.reads(text, as_version=4)
    except (json.JSONDecodeError, nbformat.reader.NotJSONError) as error:
        raise NotebookError(f"not a notebook: {error}") from None
    except RecursionError:
        raise NotebookError("not a readable notebook: nested too deeply") from None
    except Exception as error:  # nbformat raises many kinds for malformed notebooks
        raise NotebookError(f"not a readable notebook: {type(error).__name__}") from None
    language = ""
    info = notebook.get("metadata", {}).get("kernelspec", {}) or {}
    if isinstance(info, dict):
        language = str(info.get("language", "") or "")
    if not language:
        language_info = notebook.get("metadata", {}).get("language_info", {}) or {}
        language = str(language_info.get("name", "") or "") if isinstance(language_info, dict) else ""
    cells, prose, title = [], [], ""
    for cell in notebook.get("cells", []):
        kind = cell.get("cell_type")
        source = _text(cell.get("source", ""))
        if kind == "markdown":
            if not title:
                title = next((line[2:].strip() for line in source.splitlines()
                              if line.startswith("# ")), "")
            prose.append(prose_of(source))
            continue
        if kind != "code":
            continue
        output, displays_value = _output_text(cell.get("outputs", []))
        cells.append(PageCell(code=source if source.endswith("\n") else source + "\n",
                              prose="\n\n".join(p.strip() for p in prose if p.strip()),
                              language=language or "python", output=output,
                              displays_value=displays_value))
        prose = []
    return cells, title
