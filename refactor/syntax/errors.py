"""Errors the parser reports to users."""
from __future__ import annotations


class ParseError(ValueError):
    """Input BuildKit would reject (or that we cannot read), with a 1-based position."""

    def __init__(self, message: str, line: int, column: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column

    def format(self, path: str) -> str:
        return f"{path}:{self.line}:{self.column}: {self.message}"
