"""The Dockerfile layer of a shell-form RUN body, as BuildKit removes it before the shell sees
the text: an escape character followed by optional blanks and a newline is a line continuation;
inside a continuation, whole comment lines (`   # ...`) and blank lines are dropped, whatever
the shell quoting. What is left is the *logical* text (`logical_text`); `OffsetMap` maps
logical offsets back to the raw text."""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

# Lines BuildKit drops inside a continuation: blank lines and comment lines.
_DROPPED_LINES = re.compile(r"(?:[ \t\f\v\r]*(?:#[^\n]*)?\n)*(?:[ \t\f\v\r]*#[^\n]*\Z)?")
_CONT_CACHE: dict[str, re.Pattern[str]] = {}


def continuation_re(escape: str) -> re.Pattern[str]:
    """escape + blanks + newline (or end of text): a Dockerfile line continuation. Not when the
    escape character is itself escaped (`\\\\` ending a line): BuildKit's regex wants a
    character other than the escape before it, and so ends the instruction there."""
    pat = _CONT_CACHE.get(escape)
    if pat is None:
        e = re.escape(escape)
        # every "\r" before the "\n" belongs to the line ending, as the Dockerfile lexer reads it.
        # The look-behind (not an escaped escape) comes after the escape character, not before
        # it: a pattern that starts with a literal is searched for quickly (one test per
        # character, not a match attempt at every offset of the text).
        pat = _CONT_CACHE[escape] = re.compile(rf"{e}(?<!{e}{e})[ \t]*(?:\r*\n|\r*\Z)")
    return pat


class OffsetMap:
    """Maps offsets in the logical text back to offsets in the raw text."""

    __slots__ = ("lstarts", "rstarts", "identity", "length", "_shifts")

    def __init__(self, lstarts: list[int], rstarts: list[int], length: int = -1):
        self.lstarts = lstarts
        self.rstarts = rstarts
        self.identity = lstarts == [0] and rstarts == [0]
        self.length = length  # of the logical text, when known: then starts()/ends() use _shifts
        self._shifts: list[int] | None = None

    def start(self, lpos: int) -> int:
        """Raw offset of the logical character at `lpos` (a start boundary)."""
        if self.identity:
            return lpos
        k = bisect_right(self.lstarts, lpos) - 1
        return self.rstarts[k] + lpos - self.lstarts[k]

    def end(self, lpos: int) -> int:
        """Raw offset just after the logical character at `lpos - 1` (an end boundary)."""
        if self.identity or lpos == 0:
            return lpos
        k = bisect_left(self.lstarts, lpos) - 1
        return self.rstarts[k] + lpos - self.lstarts[k]

    def starts(self, positions: list[int]) -> list[int]:
        """`start` of each position, in one pass when they ascend (a script's tokens do)."""
        shifts = self.shifts()
        if shifts is not None and (not positions or 0 <= min(positions) and max(positions) < len(shifts)):
            return [p + shifts[p] for p in positions]
        return self._each(positions, False)

    def ends(self, positions: list[int]) -> list[int]:
        """`end` of each position, in one pass when they ascend."""
        shifts = self.shifts()
        if shifts is not None and (not positions or 0 <= min(positions) and max(positions) < len(shifts)):
            return [p + shifts[p - 1] if p else 0 for p in positions]
        return self._each(positions, True)

    def shifts(self) -> list[int] | None:
        """Raw minus logical offset of each logical character (and one for the end of the text):
        made once per map, in C-level list operations, so that mapping every token of a script
        (and of each compound body, which shares the map) is one lookup per offset, not a search
        through the chunks in Python."""
        shifts = self._shifts
        if shifts is None and self.length >= 0 and not self.identity:
            ls, rs = self.lstarts, self.rstarts
            shifts = []
            for k in range(len(ls) - 1):
                shifts += [rs[k] - ls[k]] * (ls[k + 1] - ls[k])
            shifts += [rs[-1] - ls[-1]] * (self.length + 1 - ls[-1])
            self._shifts = shifts
        return shifts

    def _each(self, positions: list[int], end: bool) -> list[int]:
        if self.identity:
            return list(positions)
        ls, rs = self.lstarts, self.rstarts
        last = len(ls) - 1
        out = []
        k = prev = 0
        for p in positions:
            if end and p == 0:
                out.append(0)
                continue
            if p < prev:
                k = 0  # not ascending: search again from the start
            # start: the last chunk starting at or before p; end: the last one starting before it
            while k < last and (ls[k + 1] < p if end else ls[k + 1] <= p):
                k += 1
            out.append(rs[k] + p - ls[k])
            prev = p
        return out


_IDENTITY = OffsetMap([0], [0])
_WITH_DROPPED_CACHE: dict[str, re.Pattern[str]] = {}


def _with_dropped_lines(escape: str) -> re.Pattern[str]:
    pat = _WITH_DROPPED_CACHE.get(escape)
    if pat is None:
        pat = _WITH_DROPPED_CACHE[escape] = re.compile(continuation_re(escape).pattern + _DROPPED_LINES.pattern)
    return pat


def logical_text(text: str, escape: str = "\\") -> tuple[str, OffsetMap]:
    """Remove Dockerfile continuations (and the comment/blank lines they carry)."""
    chunks: list[str] = []
    lstarts: list[int] = []
    rstarts: list[int] = []
    pos = 0
    lpos = 0
    n = len(text)
    # each continuation with the comment and blank lines after it, in one match: what
    # _DROPPED_LINES would match after it (it matches the empty text too, so nothing before it
    # is given back)
    for m in _with_dropped_lines(escape).finditer(text):
        start = m.start()
        if start > pos:
            chunks.append(text[pos:start])
            lstarts.append(lpos)
            rstarts.append(pos)
            lpos += start - pos
        pos = m.end()
    if not pos:  # no continuation (one would end after 0)
        return text, _IDENTITY
    if pos < n:
        chunks.append(text[pos:])
        lstarts.append(lpos)
        rstarts.append(pos)
    if not lstarts:
        lstarts, rstarts = [0], [n]
    logical = "".join(chunks)
    return logical, OffsetMap(lstarts, rstarts, len(logical))
