"""`parse_dockerfile`: source text → lossless CST (refactor.nodes), with BuildKit's errors.

The lexer (refactor.syntax.lexer.scan) already reads the file as BuildKit does, line by line, and
hands over each instruction whole; the nodes are built from that directly, in the shape
grammar/dockerfile.lark describes. The same grammar run by Lark's LALR parser
(refactor.syntax.lalr) builds the very same tree: tests hold the two equal on the real corpus and
on generated input. Building directly costs half the time and keeps Lark out of start-up."""
from __future__ import annotations

from refactor.syntax.lexer import scan
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
    node_maker,
    slot_setters,
)


_piece = node_maker(Piece, ("kind", "text"))
_comment = node_maker(Comment, ("text", "newline"))
_blank = node_maker(BlankLine, ("text", "newline"))
_position = node_maker(Position, ("line", "column"))
_continuation = node_maker(Continuation, ("marker", "newline", "lines"))
_INSTRUCTION_SET = slot_setters(Instruction, ("leading", "indent", "pieces", "newline", "heredocs", "escape",
                                               "start", "end_line", "_memo", "cmd"))


def _instruction(leading, indent, pieces, newline, heredocs, escape, start, end_line, memo, cmd) -> Instruction:
    """Instruction(leading, …, end_line) with its memo and cmd, made faster (node_maker, unrolled)."""
    node = object.__new__(Instruction)
    s_leading, s_indent, s_pieces, s_newline, s_heredocs, s_escape, s_start, s_end, s_memo, s_cmd = \
        _INSTRUCTION_SET
    s_leading(node, leading)
    s_indent(node, indent)
    s_pieces(node, pieces)
    s_newline(node, newline)
    s_heredocs(node, heredocs)
    s_escape(node, escape)
    s_start(node, start)
    s_end(node, end_line)
    s_memo(node, memo)
    s_cmd(node, cmd)
    return node


def _trivia(text: str, newline: str) -> Comment | BlankLine:
    """A comment or blank line skipped inside a continuation, or a blank line between
    instructions (as the grammar's builder reads them: a line whose first non-blank is `#`)."""
    if text.lstrip().startswith("#"):
        return _comment(text, newline)
    return _blank(text, newline)


def parse_dockerfile(source: str) -> Dockerfile:
    """Parse Dockerfile text into a lossless CST; `.code` of the result is `source`.

    Raises ParseError (with a 1-based line and column) for input BuildKit rejects."""
    bom = ""
    directives: list[Directive] = []
    instructions: list[Instruction] = []
    pending: list[Comment | BlankLine] = []
    escape = "\\"
    for item in scan(source):
        kind = item[0]
        if kind == "INSTRUCTION":
            _, indent, parts, eol, eol_line, first_line, bodies, split, parsed = item
            pieces: list[Piece | Continuation] = []
            for p in parts:
                if len(p) == 2:
                    pieces.append(_piece(p[0], p[1]))
                else:
                    pieces.append(_continuation(p[0], p[1], tuple([_trivia(c, nl) for c, nl, _ in p[3]])))
            if bodies:
                heredocs = tuple([HeredocBody(tuple([t for t, _ in b[0]]), b[1], b[2]) for b in bodies])
                end_line = eol_line + sum(len(h.lines) + 1 for h in heredocs)
            else:
                heredocs = ()
                end_line = eol_line
            # The memo starts with BuildKit's reading of the line, which the lexer needed
            # anyway: the node would compute the same from the same text.
            instructions.append(_instruction(
                tuple(pending), indent, tuple(pieces), eol, heredocs, escape,
                _position(first_line, len(indent) + 1), end_line,
                {"split": split, "parsed": parsed}, split.cmd.upper()))
            pending = []
        elif kind == "COMMENT_LINE":
            pending.append(_comment(item[1], item[2]))
        elif kind == "BLANK_LINE":
            pending.append(_trivia(item[1], item[2]))
        elif kind == "DIRECTIVE_LINE":
            d = Directive(item[1], item[2])
            if d.key == "escape":
                escape = d.value
            directives.append(d)
        else:  # BOM
            bom = item[1]
    return Dockerfile(bom, tuple(directives), tuple(instructions), tuple(pending))


def reparse_generated(source: str) -> Dockerfile:
    """Parse text dockwright generated itself (an edited instruction, a codemod's output): the
    same as `parse_dockerfile` (once a faster path than the LALR parser user input went through;
    kept for its callers)."""
    return parse_dockerfile(source)
