"""The custom Lark lexer behind grammar/dockerfile.lark.

It reads physical lines the way BuildKit's parser.go does (directives at the top, comment and
blank lines, continuations with comment lines inside, heredoc bodies after the logical line) and
emits one terminal per run of text, with its line endings, so that the parser's tree holds every
byte. Which run is KEYWORD, FLAG, ARG or WS comes from BuildKit's own split of the logical line.
"""
from __future__ import annotations

import re
from typing import Any, Iterator

from lark import Token
from lark.lexer import Lexer

from refactor.syntax import buildkit
from refactor.syntax import heredocs
from refactor.syntax.errors import ParseError

# Physical lines as Go's scanLines cuts them: at "\n" only.
_LINE = re.compile(r"[^\n]*\n|[^\n]+")
# BuildKit reads lines with a bufio.Scanner, whose 64 KiB buffer must hold a line and find its
# "\n": a line may have at most 65,535 bytes, counted in UTF-8 with any "\r" (and a first line's
# BOM) but without the "\n" (probed against BuildKit's parser, tests/test_fuzz_regressions.py).
MAX_LINE_BYTES = 64 * 1024 - 1


def split_lines(text: str) -> list[tuple[str, str]]:
    """(content, ending) per physical line; the ending is every trailing \\r and \\n, as Go's
    trimNewline strips them."""
    out = []
    for m in _LINE.finditer(text):
        line = m.group()
        content = line.rstrip("\r\n")
        out.append((content, line[len(content) :]))
    return out


def line_too_long(line: str) -> bool:
    """`line` (one physical line, with or without its "\n") is over BuildKit's limit."""
    # A character is at most 4 bytes: shorter lines need no encoding.
    if len(line) <= MAX_LINE_BYTES // 4:
        return False
    return len(line.removesuffix("\n").encode("utf-8", "surrogatepass")) > MAX_LINE_BYTES


def check_line_lengths(lines: list[tuple[str, str]]) -> None:
    for n, (content, nl) in enumerate(lines, 1):
        if len(content) + len(nl) > MAX_LINE_BYTES // 4 and line_too_long(content + nl):
            raise ParseError(f"dockerfile line greater than max allowed size of {MAX_LINE_BYTES}", n, 1)


class DockerfileLexer(Lexer):
    def __init__(self, lexer_conf: Any) -> None:
        pass

    # Lark's interface 0: lex() receives the whole text.
    __future_interface__ = 0

    def lex(self, source: str) -> Iterator[Token]:  # type: ignore[override]
        return tokenize(source)


def _tok(kind: str, value: str, line: int) -> Token:
    return Token(kind, value, None, line)  # positional: measurably cheaper than keywords


def tokenize(source: str) -> Iterator[Token]:
    lines = split_lines(source)
    check_line_lengths(lines)
    if lines and lines[0][0].startswith("\ufeff"):
        yield _tok("BOM", "\ufeff", 1)
        lines[0] = (lines[0][0][1:], lines[0][1])

    escape = "\\"
    cont_re = buildkit.continuation_regex(escape)
    in_directives = True
    seen: set[str] = set()
    instructions = 0
    n_lines = len(lines)
    i = 0
    while i < n_lines:
        content, nl = lines[i]
        lineno = i + 1
        stripped = buildkit.go_trim_left_space(content)

        if in_directives:
            directive = buildkit.parse_directive(stripped)
            if directive is None:
                in_directives = False
            else:
                key, value = directive
                col = len(content) - len(stripped) + 1
                if key in seen:
                    raise ParseError(f"only one {key} parser directive can be used", lineno, col)
                seen.add(key)
                if key == "escape":
                    if value not in ("\\", "`"):
                        raise ParseError(
                            f"invalid escape token '{value}' does not match ` or \\", lineno, col
                        )
                    escape = value
                    cont_re = buildkit.continuation_regex(escape)
                yield _tok("DIRECTIVE_LINE", content + nl, lineno)
                i += 1
                continue

        if stripped.startswith("#"):
            yield _tok("COMMENT_LINE", content + nl, lineno)
            i += 1
            continue
        m = cont_re.search(stripped)
        if m is None and stripped == "":
            yield _tok("BLANK_LINE", content + nl, lineno)
            i += 1
            continue

        # An instruction: gather its physical lines as BuildKit joins them.
        start = lineno
        indent = content[: len(content) - len(stripped)]
        # segments: str for text on a physical line, tuple for a continuation break
        segments: list[Any] = []
        if m is not None:
            segments.append(stripped[: m.start()])
            segments.append(("LINE_CONT", stripped[m.start() :] + nl, lineno, []))
        else:
            segments.append(stripped)
        i += 1
        continuing = m is not None
        while continuing and i < n_lines:
            content, nl = lines[i]
            i += 1
            if buildkit.is_blank_line(content) or buildkit.is_comment_line(content):
                segments[-1][3].append(_tok("CONT_LINE", content + nl, i))
                continue
            m = cont_re.search(content)
            if m is None:
                segments.append(content)
                continuing = False
            else:
                segments.append(content[: m.start()])
                segments.append(("LINE_CONT", content[m.start() :] + nl, i, []))
        eol = "" if continuing else nl

        logical = "".join(s for s in segments if type(s) is str)
        split = buildkit.split_command(logical)
        try:
            buildkit.parse_arguments(split.cmd, split.args, escape)
            markers = (
                heredocs.heredoc_markers(logical)
                if "<<" in logical and heredocs.can_contain_heredoc(split, escape)
                else ()
            )
        except buildkit.BuildKitError as e:
            raise ParseError(str(e), start, len(indent) + 1) from None

        if indent:
            yield _tok("INDENT", indent, start)
        yield from _typed_pieces(segments, split, start)
        yield _tok("EOL", eol, i)
        instructions += 1

        for marker in markers:
            while True:
                if i >= n_lines:
                    raise ParseError("unterminated heredoc", start, len(indent) + 1)
                content, nl = lines[i]
                i += 1
                candidate = content.lstrip("\t") if marker.chomp else content
                if candidate == marker.name:
                    yield _tok("HEREDOC_END", content + nl, i)
                    break
                yield _tok("HEREDOC_LINE", content + nl, i)

    if instructions == 0:
        raise ParseError("file with no instructions", max(n_lines, 1), 1)


def _typed_pieces(segments: list[Any], split: buildkit.Split, line: int) -> Iterator[Token]:
    """Cut the text segments at the boundaries of BuildKit's split of the logical line."""
    bounds: list[tuple[int, int, str]] = []
    if split.cmd_span[1] > split.cmd_span[0]:
        bounds.append((split.cmd_span[0], split.cmd_span[1], "KEYWORD"))
    bounds.extend((s, e, "FLAG") for s, e in split.flag_spans if e > s)
    if split.args_span[1] > split.args_span[0]:
        bounds.append((split.args_span[0], split.args_span[1], "ARG"))
    k = 0
    offset = 0
    for seg in segments:
        if type(seg) is not str:
            kind, value, lineno, inner = seg
            yield _tok(kind, value, lineno)
            yield from inner
            line = lineno + 1 + len(inner)
            continue
        end = offset + len(seg)
        pos = offset
        while pos < end:
            while k < len(bounds) and bounds[k][1] <= pos:
                k += 1
            if k < len(bounds) and bounds[k][0] <= pos:
                stop = min(end, bounds[k][1])
                kind = bounds[k][2]
            else:
                stop = min(end, bounds[k][0]) if k < len(bounds) else end
                kind = "WS"
            yield _tok(kind, seg[pos - offset : stop - offset], line)
            pos = stop
        offset = end
