"""Words of a shell command: the node base class, `Word` and its `WordPart`s (literal text,
quotes, escapes, expansions), `Assignment`s, and quoting/decoding helpers."""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable, Iterator, Optional

from refactor.shell.lexer import (
    ANSI,
    ARITH,
    BACKTICK,
    CMDSUB,
    DQ,
    ESC,
    GLOB,
    LIT,
    PARAM,
    PROCSUB,
    SQ,
    TILDE,
)

if TYPE_CHECKING:
    from refactor.shell.script import ShellScript

Span = tuple[int, int]


_NO_SPAN: Span = (0, 0)


EXPANSION_KINDS = frozenset({PARAM, CMDSUB, BACKTICK, ARITH, TILDE, PROCSUB})


LITERAL_KINDS = frozenset({LIT, ESC, SQ, ANSI})


class Node:
    """Base of all CST nodes."""

    __slots__ = ()

    @property
    def code(self) -> str:  # pragma: no cover - overridden
        raise NotImplementedError

    # Nodes with text also have `leading` (the trivia before them) and, except ShellScript,
    # `raw` (their text without it) and `span`.  (Not declared here: dataclass fields.)

    def with_changes(self, **changes):
        """A copy with some fields replaced (spans are copied as they are: see module doc)."""
        return dataclasses.replace(self, **changes)


@dataclass(frozen=True, slots=True)
class WordPart(Node):
    """One piece of a word.  `kind` is one of: literal, escape, single_quoted, double_quoted,
    ansi_c_quoted, param, command_sub, backtick, arith, glob, tilde, process_sub, array (the
    `(a b)` of a bash array assignment).

    `raw` is the exact source text (it may contain Dockerfile continuations); `text` is the same
    with those continuations removed, as the shell sees it.  Inside double quotes, `parts` lists
    the inner pieces (read-only: edit the enclosing word)."""

    kind: str
    raw: str
    text: str
    parts: tuple["WordPart", ...] = ()
    span: Span = field(default=_NO_SPAN, compare=False, repr=False)

    @property
    def code(self) -> str:
        return self.raw

    @property
    def leading(self) -> str:
        return ""

    @property
    def value(self) -> Optional[str]:
        """The literal text this part contributes (quotes removed, escapes processed), or None
        when it expands (`$x`, `$(...)`, globs, ...)."""
        kind = self.kind
        if kind == LIT:
            return self.text
        if kind == ESC:
            return "" if self.text[1:] == "\n" else self.text[1:]
        if kind == SQ:
            return self.text[1:-1]
        if kind == ANSI:
            return _decode_ansi_c(self.text[2:-1])
        if kind == DQ:
            out = []
            for p in self.parts:
                v = p.value
                if v is None:
                    return None
                out.append(v)
            return "".join(out)
        return None

    @property
    def is_expansion(self) -> bool:
        if self.kind == DQ:
            return any(p.is_expansion for p in self.parts)
        return self.kind in EXPANSION_KINDS

    @property
    def is_quoted(self) -> bool:
        return self.kind in (SQ, DQ, ANSI)

    @property
    def body(self) -> Optional[str]:
        """The text inside `$(...)`, `<(...)`, backticks (unescaped), `$((...))` or `${...}`."""
        kind, t = self.kind, self.text
        if kind in (CMDSUB, PROCSUB):
            return t[2:-1]
        if kind == BACKTICK:
            return re.sub(r"\\([$`\\])", r"\1", t[1:-1])
        if kind == ARITH:
            return t[3:-2]
        if kind == PARAM:
            return t[2:-1] if t.startswith("${") else t[1:]
        return None

    def parse_body(self, escape: str = "\\") -> Optional["ShellScript"]:
        """Parse the script inside `$(...)`, `<(...)` or backticks (spans are relative to the
        body text)."""
        if self.kind in (CMDSUB, PROCSUB):
            from refactor.shell.parse import parse_shell

            return parse_shell(self.raw[2:-1], escape)
        if self.kind == BACKTICK:
            from refactor.shell.parse import parse_shell

            return parse_shell(self.body or "", escape)
        return None

    def walk(self) -> Iterator["WordPart"]:
        yield self
        for p in self.parts:
            yield from p.walk()


class _WordLike(Node):
    """Shared behaviour of Word and Assignment (both: `leading`, `parts`, `span`)."""

    __slots__ = ()

    @property
    def raw(self) -> str:
        return "".join(p.raw for p in self.parts)  # type: ignore[attr-defined]

    @property
    def code(self) -> str:
        return self.leading + self.raw

    @property
    def text(self) -> str:
        """The word as the shell sees it (Dockerfile continuations removed, quotes kept)."""
        return "".join(p.text for p in self.parts)  # type: ignore[attr-defined]

    @property
    def has_expansion(self) -> bool:
        """Contains `$x`, `${x}`, `$(...)`, backticks, `$((...))`, `~` or `<(...)`."""
        return any(p.is_expansion for p in self.parts)  # type: ignore[attr-defined]

    @property
    def has_command_substitution(self) -> bool:
        return any(p.kind in (CMDSUB, BACKTICK, PROCSUB) for p in self.walk_parts())

    @property
    def has_glob(self) -> bool:
        """Contains an unquoted `*`, `?` or `[...]`."""
        return any(p.kind == GLOB for p in self.parts)  # type: ignore[attr-defined]

    @property
    def is_quoted(self) -> bool:
        return any(p.is_quoted or p.kind == ESC for p in self.parts)  # type: ignore[attr-defined]

    def walk_parts(self) -> Iterator[WordPart]:
        for p in self.parts:  # type: ignore[attr-defined]
            yield from p.walk()

    def substitutions(self) -> tuple[WordPart, ...]:
        """The `$(...)`, backtick and `<(...)` parts, including those inside double quotes."""
        return tuple(p for p in self.walk_parts() if p.kind in (CMDSUB, BACKTICK, PROCSUB))


def _join_values(parts: Iterable[WordPart]) -> Optional[str]:
    out = []
    for p in parts:
        v = p.value
        if v is None:
            return None
        out.append(v)
    return "".join(out)


@dataclass(frozen=True, slots=True)
class Word(_WordLike):
    """A shell word: `leading` trivia, then its parts."""

    leading: str
    parts: tuple[WordPart, ...]
    span: Span = field(default=_NO_SPAN, compare=False, repr=False)
    # Derived values, computed once (nodes are immutable; with_changes starts afresh).
    _memo: dict = field(default_factory=dict, init=False, compare=False, repr=False, hash=False)

    @property
    def value(self) -> Optional[str]:
        """The unquoted value when the word is a plain literal (quotes removed, escapes
        processed); None when it contains an expansion or a glob."""
        memo = self._memo
        if "value" not in memo:
            memo["value"] = _join_values(self.parts)
        return memo["value"]

    @property
    def is_literal(self) -> bool:
        return self.value is not None


@dataclass(frozen=True, slots=True)
class Assignment(_WordLike):
    """`NAME=value` (or `NAME+=value`) before the command name."""

    leading: str
    parts: tuple[WordPart, ...]
    name: str
    span: Span = field(default=_NO_SPAN, compare=False, repr=False)

    @property
    def value_parts(self) -> tuple[WordPart, ...]:
        """The parts after `=` (the first one cut at the `=`)."""
        text = self.text
        cut = text.index("=") + 1
        out: list[WordPart] = []
        pos = 0
        for p in self.parts:
            end = pos + len(p.text)
            if end <= cut:
                pos = end
                continue
            if pos < cut:
                t = p.text[cut - pos :]
                if t:
                    out.append(WordPart(p.kind, t, t))
            else:
                out.append(p)
            pos = end
        return tuple(out)

    @property
    def value(self) -> Optional[str]:
        """The unquoted value assigned, or None when it expands."""
        return _join_values(self.value_parts)

    @property
    def is_append(self) -> bool:
        return self.text[len(self.name)] == "+" if len(self.text) > len(self.name) else False


def _decode_ansi_c(s: str) -> str:
    simple = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "e": "\x1b", "E": "\x1b",
              "f": "\f", "v": "\v", "\\": "\\", "'": "'", '"': '"', "?": "?"}

    def sub(m: re.Match[str]) -> str:
        t = m.group(1)
        if t in simple:
            return simple[t]
        if t[0] == "x":
            return chr(int(t[1:], 16)) if len(t) > 1 else "\\x"
        if t[0] in "01234567":
            return chr(int(t, 8) & 0xFF)
        return "\\" + t

    return re.sub(r"\\(x[0-9A-Fa-f]{0,2}|[0-7]{1,3}|.)", sub, s, flags=re.S)


def quote(value: str) -> str:
    """Quote `value` as one shell word (like shlex.quote)."""
    if value and re.fullmatch(r"[A-Za-z0-9_@%+=:,./-]+", value):
        return value
    return "'" + value.replace("'", "'\"'\"'") + "'"
