"""Errors raised while reading, checking and running programs."""


class SubsetViolation(Exception):
    """A construct outside the supported subset, before it is given a place.

    Raised by the shared rules in ``rules.py``; the parser turns it into a
    ``ProgramSyntaxError`` (line and column), the file loader into a
    ``ProgramFileError`` (JSON location).
    """

    def __init__(self, message, construct=""):
        super().__init__(message)
        self.message = message
        self.construct = construct


class ProgramSyntaxError(Exception):
    """Source text that is not in the supported subset of Python.

    ``line`` and ``column`` are 1-based (0 when unknown); ``construct`` names
    what was rejected, e.g. ``"import os"`` or ``"attribute __class__"``.
    """

    def __init__(self, message, line=0, column=0, construct=""):
        self.message = message
        self.line = line
        self.column = column
        self.construct = construct
        where = f"line {line}, column {column}: " if line else ""
        super().__init__(where + message)


class ProgramFileError(Exception):
    """A program or lesson file that cannot be loaded (or saved)."""


class LimitExceeded(Exception):
    """A run passed one of its limits (iterations, elements, time, ...)."""

    def __init__(self, message, limit=""):
        super().__init__(message)
        self.limit = limit


class RunCancelled(Exception):
    """The run's cancel event was set; raised between steps and inside loops."""
