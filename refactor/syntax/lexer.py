"""The Dockerfile lexer: physical lines read the way BuildKit's parser.go does (directives at the
top, comment and blank lines, continuations with comment lines inside, heredoc bodies after the
logical line), each run of instruction text typed by BuildKit's own split of the logical line.

`scan` gives the file line by line (one item per instruction); refactor.syntax.parser builds the
CST from it directly. `tokenize` flattens the same items into the terminals of
grammar/dockerfile.lark, each with its line endings, for the LALR parser that tests hold the
direct builder equal to (refactor.syntax.lalr).
"""
from __future__ import annotations

from typing import Any, Iterator

from refactor.syntax import buildkit
from refactor.syntax import heredocs
from refactor.syntax.errors import ParseError

# BuildKit reads lines with a bufio.Scanner, whose 64 KiB buffer must hold a line and find its
# "\n": a line may have at most 65,535 bytes, counted in UTF-8 with any "\r" (and a first line's
# BOM) but without the "\n" (probed against BuildKit's parser, tests/test_fuzz_regressions.py).
MAX_LINE_BYTES = 64 * 1024 - 1


def split_lines(text: str) -> list[tuple[str, str]]:
    """(content, ending) per physical line, cut as Go's scanLines cuts them: at "\\n" only; the
    ending is every trailing \\r and \\n, as Go's trimNewline strips them."""
    lines = text.split("\n")
    last = lines.pop()  # after the last "\n": a line without an ending, or nothing
    out = []
    for line in lines:
        if line.endswith("\r"):
            content = line.rstrip("\r")
            out.append((content, line[len(content) :] + "\n"))
        else:
            out.append((line, "\n"))
    if last:
        content = last.rstrip("\r")
        out.append((content, last[len(content) :]))
    return out


def line_too_long(line: str) -> bool:
    """`line` (one physical line, with or without its "\n") is over BuildKit's limit."""
    # A character is at most 4 bytes: shorter lines need no encoding.
    if len(line) <= MAX_LINE_BYTES // 4:
        return False
    return len(line.removesuffix("\n").encode("utf-8", "surrogatepass")) > MAX_LINE_BYTES


def check_line_lengths(lines: list[tuple[str, str]], total: int | None = None) -> None:
    """Raises ParseError at the first line over BuildKit's limit. `total`, the length of the
    whole text when known: no line of a text that short can be over it."""
    if total is not None and total <= MAX_LINE_BYTES // 4:
        return
    for n, (content, nl) in enumerate(lines, 1):
        if len(content) + len(nl) > MAX_LINE_BYTES // 4 and line_too_long(content + nl):
            raise ParseError(f"dockerfile line greater than max allowed size of {MAX_LINE_BYTES}", n, 1)


def scan(source: str) -> Iterator[tuple]:
    """The file as the parser reads it, one item per line outside instructions and one per
    instruction:

    - ("BOM", "\\ufeff"), ("DIRECTIVE_LINE" | "COMMENT_LINE" | "BLANK_LINE", content, ending, line);
    - ("INSTRUCTION", indent, pieces, eol, eol_line, first_line, bodies, split, parsed): `pieces`
      in order, each (kind, text) for KEYWORD/WS/FLAG/ARG, or (marker, ending, line, inner) for
      a line continuation whose `inner` are the skipped lines (content, ending, line);
      `first_line` is that of the first KEYWORD/WS/FLAG/ARG piece (of `eol` when none);
      `bodies` one (lines, terminator, ending, terminator_line) per heredoc, `lines` as
      (content + ending, line); `split` and `parsed` BuildKit's reading of the logical line.

    Raises ParseError for input BuildKit rejects, at the first such line."""
    lines = split_lines(source)
    check_line_lengths(lines, len(source))
    if lines and lines[0][0].startswith("\ufeff"):
        yield ("BOM", "\ufeff")
        lines[0] = (lines[0][0][1:], lines[0][1])

    escape = "\\"
    cont_re = buildkit.continuation_regex(escape)
    go_space = buildkit.GO_SPACE
    go_space_chars = buildkit._GO_SPACE_CHARS  # content.lstrip(go_space_chars): go_trim_left_space
    in_directives = True
    seen: set[str] = set()
    instructions = 0
    n_lines = len(lines)
    i = 0
    while i < n_lines:
        content, nl = lines[i]
        lineno = i + 1
        stripped = content.lstrip(go_space_chars) if content and content[0] in go_space else content

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
                yield ("DIRECTIVE_LINE", content, nl, lineno)
                i += 1
                continue

        if stripped.startswith("#"):
            yield ("COMMENT_LINE", content, nl, lineno)
            i += 1
            continue
        m = cont_re.search(stripped) if escape in stripped else None
        if m is None and stripped == "":
            yield ("BLANK_LINE", content, nl, lineno)
            i += 1
            continue

        # An instruction: gather its physical lines as BuildKit joins them.
        start = lineno
        indent = content[: len(content) - len(stripped)]
        # segments: str for text on a physical line, list for a continuation break
        if m is None:
            i += 1
            logical = stripped
            segments: list[Any] | None = None
            eol = nl
        else:
            segments = [stripped[: m.start()], [stripped[m.start() :], nl, lineno, []]]
            i += 1
            continuing = True
            while continuing and i < n_lines:
                content, nl = lines[i]
                i += 1
                rest = content.lstrip(go_space_chars)
                if not rest or rest[0] == "#":  # a blank or comment line (is_blank_line, is_comment_line)
                    segments[-1][3].append((content, nl, i))
                    continue
                m = cont_re.search(content)
                if m is None:
                    segments.append(content)
                    continuing = False
                else:
                    segments.append(content[: m.start()])
                    segments.append([content[m.start() :], nl, i, []])
            eol = "" if continuing else nl
            logical = "".join([s for s in segments if type(s) is str])

        split = buildkit.split_command(logical)
        try:
            parsed = buildkit.parse_arguments(split.cmd, split.args, escape)
            markers = (
                heredocs.heredoc_markers(logical)
                if "<<" in logical and heredocs.can_contain_heredoc(split, escape)
                else ()
            )
        except buildkit.BuildKitError as e:
            raise ParseError(str(e), start, len(indent) + 1) from None

        if segments is None:
            pieces = _cut(logical, split)
            first_line = start if pieces else i
        else:
            pieces, first_line = _cut_segments(segments, split, start, i)
        eol_line = i
        instructions += 1

        bodies = []
        for marker in markers:
            body = []
            while True:
                if i >= n_lines:
                    raise ParseError("unterminated heredoc", start, len(indent) + 1)
                content, nl = lines[i]
                i += 1
                candidate = content.lstrip("\t") if marker.chomp else content
                if candidate == marker.name:
                    bodies.append((body, content, nl, i))
                    break
                body.append((content + nl, i))
        yield ("INSTRUCTION", indent, pieces, eol, eol_line, start if indent else first_line, bodies, split, parsed)

    if instructions == 0:
        raise ParseError("file with no instructions", max(n_lines, 1), 1)


def _bounds(split: buildkit.Split) -> list[tuple[int, int, str]]:
    bounds: list[tuple[int, int, str]] = []
    if split.cmd_span[1] > split.cmd_span[0]:
        bounds.append((split.cmd_span[0], split.cmd_span[1], "KEYWORD"))
    bounds.extend((s, e, "FLAG") for s, e in split.flag_spans if e > s)
    if split.args_span[1] > split.args_span[0]:
        bounds.append((split.args_span[0], split.args_span[1], "ARG"))
    return bounds


def _cut(text: str, split: buildkit.Split) -> list[tuple[str, str]]:
    """A logical line on one physical line, cut at the boundaries of BuildKit's split: blanks
    between the parts are WS."""
    if not split.flag_spans:  # most lines: the keyword, its arguments, the blanks around them
        c0, c1 = split.cmd_span
        a0, a1 = split.args_span
        if c1 > c0:  # (the arguments, if any, start after it)
            out = [("WS", text[:c0]), ("KEYWORD", text[c0:c1])] if c0 else [("KEYWORD", text[c0:c1])]
            if a1 > a0:
                if a0 > c1:
                    out.append(("WS", text[c1:a0]))
                out.append(("ARG", text[a0:a1]))
                if a1 < len(text):
                    out.append(("WS", text[a1:]))
            elif c1 < len(text):
                out.append(("WS", text[c1:]))
            return out
    out = []
    pos = 0
    for s, e, kind in _bounds(split):
        if e <= pos:  # the spans are ordered and apart; this keeps `_cut_segments`'s reading if not
            continue
        if s > pos:
            out.append(("WS", text[pos:s]))
        out.append((kind, text[max(s, pos):e]))
        pos = e
    if pos < len(text):
        out.append(("WS", text[pos:]))
    return out


def _cut_segments(segments: list[Any], split: buildkit.Split, line: int, eol_line: int) -> tuple[list, int]:
    """As `_cut`, for a logical line spread over physical lines: each text segment cut at the
    boundaries, the continuations between them kept in place. Also the line of the first text
    piece (`eol_line` when there is none)."""
    bounds = _bounds(split)
    out: list = []
    first_line = 0
    k = 0
    offset = 0
    for seg in segments:
        if type(seg) is not str:
            out.append(tuple(seg))
            line = seg[2] + 1 + len(seg[3])
            continue
        end = offset + len(seg)
        pos = offset
        if pos < end and not first_line:
            first_line = line
        while pos < end:
            while k < len(bounds) and bounds[k][1] <= pos:
                k += 1
            if k < len(bounds) and bounds[k][0] <= pos:
                stop = min(end, bounds[k][1])
                kind = bounds[k][2]
            else:
                stop = min(end, bounds[k][0]) if k < len(bounds) else end
                kind = "WS"
            out.append((kind, seg[pos - offset : stop - offset]))
            pos = stop
        offset = end
    return out, first_line or eol_line


def tokenize(source: str) -> Iterator[Any]:
    """`scan` as the terminals of grammar/dockerfile.lark (Lark tokens)."""
    from lark import Token

    for item in scan(source):
        kind = item[0]
        if kind == "BOM":
            yield Token("BOM", item[1], None, 1)
            continue
        if kind != "INSTRUCTION":
            yield Token(kind, item[1] + item[2], None, item[3])
            continue
        _, indent, pieces, eol, eol_line, first_line, bodies, _split, _parsed = item
        if indent:
            yield Token("INDENT", indent, None, first_line)
        line = first_line
        for p in pieces:
            if len(p) == 2:
                yield Token(p[0], p[1], None, line)
                continue
            marker, nl, lineno, inner = p
            yield Token("LINE_CONT", marker + nl, None, lineno)
            for content, inl, n in inner:
                yield Token("CONT_LINE", content + inl, None, n)
            line = lineno + 1 + len(inner)
        yield Token("EOL", eol, None, eol_line)
        for body, terminator, nl, end_line in bodies:
            for text, n in body:
                yield Token("HEREDOC_LINE", text, None, n)
            yield Token("HEREDOC_END", terminator + nl, None, end_line)
