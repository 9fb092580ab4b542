"""Saved tutorial pages (``.html``/``.htm``) of Sphinx, Jupyter Book, MkDocs and d2l.

The page is read by the standard library's ``HTMLParser``, which works through the
text in one pass without recursion, so deep nesting costs a list entry per level.
Nothing the page references is fetched and no script runs: ``script``, ``style`` and
page furniture (navigation, headers, footers, sidebars) are skipped.

Highlighted blocks are ``<pre>`` elements; their language comes from classes such as
``highlight-python``, ``highlight-ipython3``, ``language-python``. A block inside an
output container (Jupyter Book's ``cell_output``, d2l's ``output``, nbsphinx's
``nboutput``, sphinx-gallery's ``sphx-glr-script-out``, JupyterLab's output area) is an
output; other blocks are told apart by ``blocks.cells_from_blocks``. In d2l's
multi-framework pages only the PyTorch tab is read.
"""
import re
from html.parser import HTMLParser

from .blocks import Block, cells_from_blocks

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
         "param", "source", "track", "wbr"}
_SKIPPED_TAGS = {"script", "style", "template", "noscript", "nav", "header", "footer",
                 "aside", "button", "form", "svg", "iframe", "object", "select", "textarea",
                 "head"}
_SKIPPED_CLASSES = {"headerlink", "sidebar", "bd-sidebar", "toctree-wrapper", "prev-next-area",
                    "related", "sphinxsidebar", "md-sidebar", "md-header", "md-footer",
                    "bd-header", "bd-footer", "footer", "copybtn", "sphx-glr-download",
                    "sphx-glr-footer", "mdl-tabs__tab-bar", "linenos", "visually-hidden", "prompt",
                    "jp-InputPrompt", "jp-OutputPrompt", "input_prompt", "output_prompt",
                    "sr-only", "headerbtn", "screen-reader-text"}
_OUTPUT_CLASSES = {"cell_output", "output", "nboutput", "sphx-glr-script-out", "output_area",
                   "jp-OutputArea-output", "jp-OutputArea", "output_subarea"}
_MAIN_TAGS = {"main", "article"}
_BREAKS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "br", "dt", "dd",
           "blockquote", "section", "table", "ul", "ol", "hr", "figure", "figcaption"}
_STRAY_LT = re.compile(r"<(?![A-Za-z/!?])")
_LANGUAGE_CLASS = re.compile(r"^(?:highlight|language|lang)-([\w+-]+)$")
# An end tag is matched against at most this many open elements: a page with thousands
# of unclosed tags costs a bounded search per end tag, not a quadratic one.
_END_TAG_SEARCH = 64


class _Element:
    __slots__ = ("tag", "skip", "output", "main", "pre", "language")

    def __init__(self, tag, skip, output, main, pre, language):
        self.tag, self.skip, self.output, self.main = tag, skip, output, main
        self.pre, self.language = pre, language


class _PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.items = []  # (in_main, prose text | Block)
        self.prose = []
        self.pre_text = None
        self.pre_language = ""
        self.title = ""
        self.in_title = False
        self.first_heading = None
        self.heading_text = None
        self.saw_main = False
        self.prose_main = False

    # the state of the innermost open element
    def _top(self):
        return self.stack[-1] if self.stack else _Element("", False, False, False, False, "")

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self.in_title = True
        if tag in _VOID:
            if tag == "br" and not self._top().skip:
                self._text("\n")
            return
        parent = self._top()
        attributes = dict(attrs)
        classes = set((attributes.get("class") or "").split())
        element_id = attributes.get("id") or ""
        skip = parent.skip or tag in _SKIPPED_TAGS or bool(classes & _SKIPPED_CLASSES)
        if "mdl-tabs__panel" in classes and not element_id.startswith("pytorch"):
            skip = True  # d2l: another framework's tab
        if attributes.get("role") in ("navigation", "search") or "hidden" in attributes:
            skip = True
        output = parent.output or bool(classes & _OUTPUT_CLASSES)
        main = parent.main or tag in _MAIN_TAGS or attributes.get("role") == "main"
        if main and not parent.main:
            self.saw_main = True
        language = parent.language
        for name in classes:
            match = _LANGUAGE_CLASS.match(name)
            if match:
                language = match.group(1)
        pre = parent.pre or tag == "pre"
        if tag == "pre" and not parent.pre and not skip:
            self._end_prose()
            self.pre_text = []
            self.pre_language = ""
        elif parent.pre and language != parent.language:
            self.pre_language = language  # <pre><code class="language-python">
        if tag in _BREAKS and not pre:
            self._text("\n")
        if tag in ("h1", "h2", "h3") and not skip and self.heading_text is None:
            self.heading_text = []
        self.stack.append(_Element(tag, skip, output, main, pre, language))

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        if tag in _VOID:
            return
        depth = len(self.stack)
        for index in range(depth - 1, max(-1, depth - 1 - _END_TAG_SEARCH), -1):
            if self.stack[index].tag == tag:
                break
        else:
            return  # a stray end tag
        while len(self.stack) > index:
            element = self.stack.pop()
            self._closed(element)

    def _closed(self, element):
        if element.tag == "pre" and not self._top().pre and self.pre_text is not None:
            if not element.skip:
                text = "".join(self.pre_text)
                language = self.pre_language or element.language or ""
                self.items.append((element.main, Block(text, language, element.output)))
            self.pre_text = None
        if element.tag in ("h1", "h2", "h3") and self.heading_text is not None:
            if self.first_heading is None:
                self.first_heading = "".join(self.heading_text).strip()
            self.heading_text = None
        if element.tag in _BREAKS and not element.pre:
            self._text("\n")

    def handle_data(self, data):
        if self.in_title:
            self.title += data
        top = self._top()
        if top.skip:
            return
        if self.pre_text is not None:
            self.pre_text.append(data)
            return
        if self.heading_text is not None:
            self.heading_text.append(data)
        self._text(data)

    def _text(self, data):
        if self.pre_text is None and not self._top().skip:
            main = self._top().main
            if self.prose and main != self.prose_main:
                self._end_prose()  # prose inside and outside the main part never mix
            self.prose.append(data)
            self.prose_main = main

    def _end_prose(self):
        text = "".join(self.prose)
        if text.strip():
            self.items.append((self.prose_main, _tidy(text)))
        self.prose = []

    def close(self):
        super().close()
        while self.stack:
            self._closed(self.stack.pop())
        self._end_prose()


def _tidy(text):
    lines = [re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in text.split("\n")]
    text = "\n".join(line for line in lines if line)
    return text


def html_cells(text):
    """(PageCells, title) of a saved tutorial page's HTML text."""
    parser = _PageParser()
    # A '<' that opens no tag is text; escaped first, it costs a regex step instead of a
    # round of the parser's loop each (a page of a million of them parsed for seconds).
    parser.feed(_STRAY_LT.sub("&lt;", text))
    parser.close()
    items = [item for in_main, item in parser.items if in_main or not parser.saw_main]
    title = parser.first_heading or parser.title.strip()
    return cells_from_blocks(items), re.sub(r"[#¶]\s*$", "", title).strip()
