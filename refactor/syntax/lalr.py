"""grammar/dockerfile.lark run by Lark's LALR parser over the lexer's terminals: the reference
the direct CST builder (refactor.syntax.parser) is held equal to by the tests, on the real corpus
and on generated input. Not used by the tool itself, which so never imports Lark to read a
Dockerfile."""
from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import Any

from lark import Lark, Token, Transformer
from lark.exceptions import UnexpectedInput, VisitError
from lark.lexer import Lexer

from refactor.syntax.errors import ParseError
from refactor.syntax.lexer import tokenize
from refactor.syntax.nodes import (
    BlankLine,
    Comment,
    Continuation,
    Directive,
    Dockerfile,
    HeredocBody,
    Instruction,
    Piece,
    Position,
)

_PIECE_KINDS = frozenset({"KEYWORD", "WS", "FLAG", "ARG"})


def _split_newline(value: str) -> tuple[str, str]:
    text = value.rstrip("\r\n")
    return text, value[len(text) :]


def _trivia(tok: Token) -> Comment | BlankLine:
    text, nl = _split_newline(tok)
    if tok.type in ("COMMENT_LINE",) or text.lstrip().startswith("#"):
        return Comment(text, nl)
    return BlankLine(text, nl)


class DockerfileLexer(Lexer):
    def __init__(self, lexer_conf: Any) -> None:
        pass

    # Lark's interface 0: lex() receives the whole text.
    __future_interface__ = 0

    def lex(self, source: str):  # type: ignore[override]
        return tokenize(source)


class _CSTBuilder(Transformer):
    """Runs inside the LALR parser (no intermediate parse tree is built)."""

    def __init__(self) -> None:
        super().__init__(visit_tokens=False)

    def continuation(self, children: list[Token]) -> Continuation:
        marker, nl = _split_newline(children[0])
        return Continuation(marker, nl, tuple(_trivia(t) for t in children[1:]))

    def heredoc(self, children: list[Token]) -> HeredocBody:
        *body, end = children
        terminator, nl = _split_newline(end)
        return HeredocBody(tuple(str(t) for t in body), terminator, nl)

    def instruction(self, children: list[Any]) -> tuple[Any, ...]:
        # The leading trivia is attached by `start`; return the parts.
        indent = ""
        pieces: list[Piece | Continuation] = []
        heredocs: list[HeredocBody] = []
        eol = ""
        first_line = 0
        last_line = 0
        for c in children:
            if isinstance(c, Token):
                t = c.type
                if t in _PIECE_KINDS:
                    pieces.append(Piece(t, str(c)))
                elif t == "EOL":
                    eol = str(c)
                    last_line = c.line
                elif t == "INDENT":
                    indent = str(c)
                if not first_line:
                    first_line = c.line
            elif isinstance(c, Continuation):
                pieces.append(c)
            else:
                heredocs.append(c)
        return (indent, tuple(pieces), eol, tuple(heredocs), first_line, last_line)

    def start(self, children: list[Any]) -> Dockerfile:
        bom = ""
        directives: list[Directive] = []
        instructions: list[Instruction] = []
        pending: list[Comment | BlankLine] = []
        escape = "\\"
        for c in children:
            if isinstance(c, Token):
                if c.type == "BOM":
                    bom = str(c)
                elif c.type == "DIRECTIVE_LINE":
                    d = Directive(*_split_newline(c))
                    if d.key == "escape":
                        escape = d.value
                    directives.append(d)
                else:
                    pending.append(_trivia(c))
                continue
            indent, pieces, eol, heredocs, first_line, last_line = c
            end_line = last_line + sum(len(h.lines) + 1 for h in heredocs)
            if not eol and not heredocs:
                end_line = last_line
            instructions.append(
                Instruction(
                    tuple(pending), indent, pieces, eol, heredocs, escape,
                    Position(first_line, len(indent) + 1), end_line,
                )
            )
            pending = []
        return Dockerfile(bom, tuple(directives), tuple(instructions), tuple(pending))


def _grammar_text() -> str:
    try:
        return (resources.files("refactor.grammar") / "dockerfile.lark").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError):  # running from a source tree
        return (Path(__file__).resolve().parents[2] / "grammar" / "dockerfile.lark").read_text("utf-8")


def _cache_path() -> str | bool:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = os.path.join(base, "dockwright")
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:
        return False
    return os.path.join(folder, "dockerfile-grammar.lark-cache")


_PARSER: Lark | None = None


def _parser() -> Lark:
    global _PARSER
    if _PARSER is None:
        _PARSER = Lark(_grammar_text(), parser="lalr", lexer=DockerfileLexer, transformer=_CSTBuilder(),
                       cache=_cache_path())
    return _PARSER


def parse_dockerfile_lalr(source: str) -> Dockerfile:
    """`parse_dockerfile` by the grammar: the same CST, built by Lark's LALR parser."""
    try:
        tree = _parser().parse(source)
    except VisitError as e:  # an error raised while building nodes
        if isinstance(e.orig_exc, ParseError):
            raise e.orig_exc from None
        raise
    except UnexpectedInput as e:  # the lexer's tokens always fit the grammar; never expected
        raise ParseError(f"unexpected input: {e}", getattr(e, "line", 1) or 1, 1) from None
    assert isinstance(tree, Dockerfile)
    return tree
