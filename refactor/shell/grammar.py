"""grammar/shell.lark as code: a hand-written parser over the lexer's token types.

The grammar is small and flat (lists of and-or lists of pipelines of commands; compound commands
arrive as one OPAQUE token), so one loop reads it in a single pass with no parse tables, no token
objects per token and no Lark import. It builds the tree Lark's LALR parser builds from the same
grammar (`start` holding the operators and the `simple_command`/`compound` subtrees, those holding
their tokens and `redirect` subtrees), each token as its index in the token list (its type is
`types[index]`; refactor/shell/lalr.py `index_tree` gives Lark's tree in this form), and on a
token sequence outside the grammar it reports the
same place: the first token that no sentence of the grammar can continue the tokens before it
with (`len(types)` when the tokens end too early), which is where an LALR parser stops. The LALR
parser of refactor/shell/lalr.py stays the reference: tests hold the two equal on generated token
sequences and on every RUN body of the corpora.
"""
from __future__ import annotations

__all__ = ["Tree", "ShellSyntaxError", "parse_types"]


class Tree:
    """A rule's subtree: `data` names the rule, `children` holds tokens (int: the token's index)
    and Trees in text order."""

    __slots__ = ("data", "children")

    def __init__(self, data: str, children: list) -> None:
        self.data = data
        self.children = children

    def __repr__(self) -> str:
        return f"Tree({self.data!r}, {self.children!r})"


class ShellSyntaxError(Exception):
    """The tokens are outside the grammar; `index` is the offending token (len: ended early)."""

    def __init__(self, index: int) -> None:
        super().__init__(index)
        self.index = index


_WORDISH = frozenset({"WORD", "ASSIGNMENT", "IO_NUMBER", "REDIR"})
_PIPES = frozenset({"PIPE", "PIPE_AMP"})
_AND_OR = frozenset({"AND_IF", "OR_IF"})
_SEPARATORS = frozenset({"SEMI", "AMP", "NEWLINE"})


def parse_types(types: list[str]) -> Tree:
    """The `start` tree of the token types, or ShellSyntaxError at the first token the grammar
    cannot take there."""
    n = len(types)
    out: list = []
    i = 0
    bang_ok = True  # a pipeline may start here (`!`), not just a command (after `|`)
    may_end = True  # the list may end here (at the start, and after a separator)
    while True:
        if i == n:
            if may_end:
                return Tree("start", out)
            raise ShellSyntaxError(n)
        t = types[i]
        if t == "BANG" and bang_ok:
            out.append(i)
            i += 1
            bang_ok = may_end = False
            if i == n:
                raise ShellSyntaxError(n)
            t = types[i]
        if t == "OPAQUE":
            kids: list = [i]
            i += 1
            while i < n and (types[i] == "IO_NUMBER" or types[i] == "REDIR"):
                i = _redirect(types, i, kids)
            out.append(Tree("compound", kids))
        elif t in _WORDISH:
            kids = []
            named = False
            while i < n:
                t = types[i]
                if t == "WORD":
                    named = True
                    kids.append(i)
                    i += 1
                elif t == "ASSIGNMENT":
                    if named:  # the lexer emits NAME=value after the command name as a WORD
                        raise ShellSyntaxError(i)
                    kids.append(i)
                    i += 1
                elif t == "IO_NUMBER" or t == "REDIR":
                    i = _redirect(types, i, kids)
                else:
                    break
            out.append(Tree("simple_command", kids))
        else:
            raise ShellSyntaxError(i)
        # after a command: its end, a pipe, an and-or operator or a separator
        if i == n:
            return Tree("start", out)
        t = types[i]
        if t in _PIPES:
            bang_ok = may_end = False
        elif t in _AND_OR:
            bang_ok, may_end = True, False
        elif t in _SEPARATORS:
            bang_ok = may_end = True
        else:
            raise ShellSyntaxError(i)
        out.append(i)
        i += 1
        while i < n and types[i] == "NEWLINE":
            out.append(i)
            i += 1


def _redirect(types: list[str], i: int, kids: list) -> int:
    """`IO_NUMBER? REDIR WORD` from `i` (an IO_NUMBER or a REDIR) appended to kids as a subtree;
    returns the index after it."""
    n = len(types)
    parts = []
    if types[i] == "IO_NUMBER":
        parts.append(i)
        i += 1
        if i == n:
            raise ShellSyntaxError(n)
        if types[i] != "REDIR":
            raise ShellSyntaxError(i)
    parts.append(i)
    i += 1
    if i == n:
        raise ShellSyntaxError(n)
    if types[i] != "WORD":
        raise ShellSyntaxError(i)
    parts.append(i)
    kids.append(Tree("redirect", parts))
    return i + 1
