"""Concrete syntax tree of a shell-form RUN body, libcst-style: every node class, from one place
(words.py, commands.py and script.py hold them).

Every node is a frozen dataclass; `.code` prints exactly the text it was parsed from (all the
trivia included), and `with_changes(**fields)` returns a modified copy.  Trivia -- blanks,
Dockerfile continuations (escape+newline, with the comment and blank lines BuildKit drops inside
them) and shell comments -- is owned by the token that follows it, as its `leading` text; what
follows the last token is `ShellScript.trailing`.

`span` (on every node, excluded from equality) is the (start, end) offset of the node's text
*without* its leading trivia in the text it was parsed from.  The edit helpers on `ShellScript`
(`insert_after`, `remove`, `append_command`, ...) splice the text at these spans and parse the
result again, so every script they return has fresh spans and untouched bytes stay identical.
After editing nodes by hand with `with_changes`, call `script.reparse()` before using spans.

Structure: `ShellScript.items` is a flat sequence of units (`SimpleCommand` or `Opaque`) joined by
`Operator`s (`&&`, `||`, `|`, `|&`, `;`, `&`, newline).  A `SimpleCommand` holds its leading
`Assignment`s, `Word`s and `Redirect`s in source order; a `Word` holds `WordPart`s (literal text,
quotes, escapes, `$x`, `${x}`, `$(...)`, backticks, `$((...))`, globs, ...).  `Opaque` is text the
grammar does not model (if/for/while/case, subshells, groups, functions, here-documents,
unterminated quotes, syntax errors): it is kept verbatim, never edited, and `reason` says why.
"""
from __future__ import annotations

from refactor.shell.commands import (
    VALUE_FLAGS,
    WRAPPERS,
    Compound,
    Element,
    Item,
    Leaf,
    Opaque,
    Operator,
    Redirect,
    SimpleCommand,
    Unit,
)
from refactor.shell.script import ShellScript
from refactor.shell.words import EXPANSION_KINDS, LITERAL_KINDS, Assignment, Node, Span, Word, WordPart, quote

__all__ = [
    "EXPANSION_KINDS", "LITERAL_KINDS", "VALUE_FLAGS", "WRAPPERS", "Assignment", "Compound", "Element", "Item", "Leaf", "Node",
    "Opaque", "Operator", "Redirect", "ShellScript", "SimpleCommand", "Span", "Unit", "Word", "WordPart", "quote",
]
