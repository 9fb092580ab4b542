"""What every reader hands on: the page's cells in order, before they become steps."""
from dataclasses import dataclass


@dataclass
class PageCell:
    """One code block of a page with the prose written before it.

    ``language`` is the block's language as the page names it ("python" when it names
    none); ``output`` is the text the page shows as the block's output (None when it
    shows none); ``displays_value`` says the output includes the value of the block's
    last expression, as a notebook shows it.
    """

    code: str
    prose: str = ""
    language: str = "python"
    output: str = None
    displays_value: bool = False
    displays_every_value: bool = False
    note: str = ""
