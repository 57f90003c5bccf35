"""How BuildKit reads one logical Dockerfile line: a port of moby/buildkit's
frontend/dockerfile/parser (v0.12: split_command.go, line_parsers.go, directives) and variable
expansion; heredoc detection and the shell-word lexer it uses are in refactor.syntax.heredocs.

The CST keeps the bytes; this module gives them the meaning BuildKit gives them, so that our
codemods read a file exactly as `docker build` does. Keep it a faithful port: where BuildKit is
odd (a `\\\\\\` at the end of a line is not a continuation, trailing text after a JSON array is
ignored), we are odd the same way, and the parity tests against the `dockerfile` package hold
us to it.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

from refactor.syntax.lazy_re import lazy
from refactor.syntax.makers import node_maker, slot_setters

# Go's unicode.IsSpace, which BuildKit uses to trim and split (Python's str.isspace also counts
# U+001C..U+001F, which Go does not).
GO_SPACE = frozenset(
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000"
)
# reWhitespace in parser.go: ASCII only.
RE_WHITESPACE = re.compile(r"[\t\v\f\r ]+")
RE_HEREDOC = lazy(r"^(\d*)<<(-?)([^<]*)$")
# Go's \s (RE2) is [\t\n\f\r ]; Python's \s is wider, so directives use an explicit class.
RE_DIRECTIVE = re.compile(r"^#[\t\n\f\r ]*([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=[\t\n\f\r ]*(.+?)[\t\n\f\r ]*$")

DIRECTIVE_KEYS = frozenset({"syntax", "escape", "check"})
HEREDOC_COMMANDS = frozenset({"add", "copy", "run"})


class BuildKitError(Exception):
    """A line BuildKit rejects; the parser adds the position."""


# str.strip with these characters trims exactly GO_SPACE (Go's strings.TrimSpace/TrimLeftFunc
# with unicode.IsSpace), in C.
_GO_SPACE_CHARS = "".join(sorted(GO_SPACE))


def go_trim_space(s: str) -> str:
    return s.strip(_GO_SPACE_CHARS)


def go_trim_left_space(s: str) -> str:
    return s.lstrip(_GO_SPACE_CHARS)


@lru_cache(maxsize=4)
def continuation_regex(escape: str) -> re.Pattern[str]:
    """BuildKit's lineContinuationRegex: the escape char, optional blanks, end of line; not when
    the escape char is itself escaped (it cannot see `\\\\\\`, neither can we)."""
    e = re.escape(escape)
    # `(?:(?<=[^e])|^)e[ \t]*$`, written with the look-behind after the escape character: a
    # pattern that starts with a literal is searched for quickly (not tried at every offset).
    return re.compile(rf"{e}(?<!{e}{e})[ \t]*$")


def is_comment_line(line: str) -> bool:
    """`line` without its newline."""
    return go_trim_left_space(line).startswith("#")


def is_blank_line(line: str) -> bool:
    return go_trim_left_space(line) == ""


# --- splitCommand / extractBuilderFlags -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class Split:
    """Where the parts of a logical line are, as offsets into it."""

    cmd: str
    cmd_span: tuple[int, int]
    flags: tuple[str, ...]
    flag_spans: tuple[tuple[int, int], ...]  # includes a terminating `--`
    args: str  # trimmed, as the line parsers receive it
    args_span: tuple[int, int]


def _is_ascii_space(ch: str) -> bool:
    # extractBuilderFlags and parseHealthConfig test single bytes with unicode.IsSpace.
    return ch in "\t\n\v\f\r \x85\xa0"


# Inside a flag word, a run of characters that are neither blank (_is_ascii_space), a quote nor
# a backslash: each is part of the word as it is.
_FLAG_RUN = re.compile("[^\t\n\v\f\r \x85\xa0'\"\\\\]+")


def _extract_builder_flags(line: str) -> tuple[int, list[str], list[tuple[int, int]]]:
    """Returns (offset where the arguments start, flags, spans of flag words)."""
    words: list[str] = []
    spans: list[tuple[int, int]] = []
    in_spaces, in_word, in_quote = 0, 1, 2
    phase = in_spaces
    word: list[str] = []
    quote = ""
    blank_ok = False
    start = 0
    n = len(line)
    pos = 0
    ch = ""
    while pos <= n:
        if pos != n:
            ch = line[pos]
        if phase == in_spaces:
            if pos == n:
                break
            if ch in "\t\n\v\f\r ":  # U+0085/U+00A0 start with byte 0xC2, no space: the flags end
                pos += 1
                continue
            if ch != "-" or pos + 1 == n or line[pos + 1] != "-":
                return pos, words, spans
            phase = in_word
            start = pos
        if phase in (in_word, in_quote) and pos == n:
            w = "".join(word)
            if w != "--" and (blank_ok or w):
                words.append(w)
            spans.append((start, n))
            break
        if phase == in_word:
            m = _FLAG_RUN.match(line, pos)
            if m is not None:  # the characters the loop would take one by one, in one piece
                word.append(m.group())
                pos = m.end()
                continue
            if _is_ascii_space(ch):
                phase = in_spaces
                w = "".join(word)
                spans.append((start, pos))
                if w == "--":
                    return pos, words, spans
                if blank_ok or w:
                    words.append(w)
                word = []
                blank_ok = False
                pos += 1
                continue
            if ch in "'\"":
                quote = ch
                blank_ok = True
                phase = in_quote
                pos += 1
                continue
            if ch == "\\":
                if pos + 1 == n:
                    pos += 1
                    continue
                pos += 1
                ch = line[pos]
            word.append(ch)
            pos += 1
            continue
        # in_quote
        if ch == quote:
            phase = in_word
            pos += 1
            continue
        if ch == "\\":
            if pos + 1 == n:
                phase = in_word
                pos += 1
                continue
            pos += 1
            ch = line[pos]
        word.append(ch)
        pos += 1
    return n, words, spans


@lru_cache(maxsize=2048)
def split_command(line: str) -> Split:
    """splitCommand: keyword, builder flags and the argument text of a logical line."""
    start = len(line) - len(line.lstrip(_GO_SPACE_CHARS))
    end = max(start, len(line.rstrip(_GO_SPACE_CHARS)))  # (start: a line of blanks)
    m = RE_WHITESPACE.search(line, start, end)
    if m is None:
        return _split(line[start:end], (start, end), (), (), "", (end, end))
    cmd_end = m.start()
    rest_start = m.end()
    rest = line[rest_start:end]
    args_off, flags, spans = _extract_builder_flags(rest)
    a0 = rest_start + args_off
    a1 = end
    while a0 < a1 and line[a0] in GO_SPACE:
        a0 += 1
    return _split(
        line[start:cmd_end],
        (start, cmd_end),
        tuple(flags),
        tuple([(rest_start + s, rest_start + e) for s, e in spans]) if spans else (),
        line[a0:a1],
        (a0, a1),
    )


# --- line parsers ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Parsed:
    """What BuildKit's dispatch table makes of an instruction's arguments."""

    value: tuple[str, ...]
    json: bool
    sub_cmd: str | None = None  # ONBUILD only
    sub_flags: tuple[str, ...] = ()


# Parsed(value, json, sub_cmd, sub_flags) and Split(...), made faster (one of each per instruction)
_parsed = node_maker(Parsed, ("value", "json", "sub_cmd", "sub_flags"))
_SPLIT_SET = slot_setters(Split, ("cmd", "cmd_span", "flags", "flag_spans", "args", "args_span"))


def _split(cmd: str, cmd_span: tuple[int, int], flags: tuple[str, ...],
           flag_spans: tuple[tuple[int, int], ...], args: str, args_span: tuple[int, int]) -> Split:
    node = object.__new__(Split)
    set_cmd, set_cmd_span, set_flags, set_flag_spans, set_args, set_args_span = _SPLIT_SET
    set_cmd(node, cmd)
    set_cmd_span(node, cmd_span)
    set_flags(node, flags)
    set_flag_spans(node, flag_spans)
    set_args(node, args)
    set_args_span(node, args_span)
    return node


# A run of characters Go's unicode.IsSpace does not count: a word, when no quote or escape is near.
_GO_WORD = re.compile("[^" + "".join(sorted(re.escape(c) for c in GO_SPACE)) + "]+")


@lru_cache(maxsize=8)
def _word_runs(escape: str) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """Runs of characters that _parse_words appends as they are: in a word (not a blank, a
    quote or the escape), in single quotes (not a `'`), in double quotes (not `"` or the escape)."""
    e = re.escape(escape)
    blanks = "".join(sorted(re.escape(c) for c in GO_SPACE))
    return (re.compile(f"[^{blanks}'\"{e}]+"), re.compile("[^']+"), re.compile(f'[^"{e}]+'))


def _parse_words(rest: str, escape: str) -> list[str]:
    if escape not in rest and "'" not in rest and '"' not in rest:
        return _GO_WORD.findall(rest)  # what the loop below makes of such text, at C speed
    word_run, sq_run, dq_run = _word_runs(escape)
    words: list[str] = []
    in_spaces, in_word, in_quote = 0, 1, 2
    phase = in_spaces
    quote = ""
    blank_ok = False
    buf: list[str] = []
    n = len(rest)
    pos = 0
    ch = ""
    while pos <= n:
        if pos != n:
            ch = rest[pos]
        if phase == in_spaces:
            if pos == n:
                break
            if ch in GO_SPACE:
                pos += 1
                continue
            phase = in_word
        if phase in (in_word, in_quote) and pos == n:
            if blank_ok or buf:
                words.append("".join(buf))
            break
        if phase == in_word:
            m = word_run.match(rest, pos)
            if m is not None:  # the characters the loop would append one by one, in one piece
                buf.append(m.group())
                pos = m.end()
                continue
            if ch in GO_SPACE:
                phase = in_spaces
                if blank_ok or buf:
                    words.append("".join(buf))
                buf = []
                blank_ok = False
                pos += 1
                continue
            if ch in "'\"":
                quote = ch
                blank_ok = True
                phase = in_quote
            if ch == escape:
                if pos + 1 == n:
                    pos += 1
                    continue
                buf.append(ch)
                pos += 1
                ch = rest[pos]
            buf.append(ch)
            pos += 1
            continue
        # in_quote
        m = (sq_run if quote == "'" else dq_run).match(rest, pos)
        if m is not None:
            buf.append(m.group())
            pos = m.end()
            continue
        if ch == quote:
            phase = in_word
        if ch == escape and quote != "'":
            if pos + 1 == n:
                phase = in_word
                pos += 1
                continue
            pos += 1
            buf.append(ch)
            ch = rest[pos]
        buf.append(ch)
        pos += 1
    return words


def _parse_name_val(rest: str, key: str, escape: str) -> tuple[str, ...]:
    words = _parse_words(rest, escape)
    if not words:
        return ()
    if "=" not in words[0]:
        parts = RE_WHITESPACE.split(rest, maxsplit=1)
        if len(parts) < 2:
            raise BuildKitError(f"{key} must have two arguments")
        return (parts[0], parts[1])
    out: list[str] = []
    for word in words:
        if "=" not in word:
            raise BuildKitError(
                f"Syntax error - can't find = in {go_quote(word)}. Must be of the form: name=value"
            )
        k, v = word.split("=", 1)
        out += (k, v)
    return tuple(out)


class _NotJSON(Exception):
    pass


def _reject_constant(name: str) -> object:
    raise _NotJSON(name)  # NaN / Infinity are not JSON to Go


_JSON = json.JSONDecoder(parse_constant=_reject_constant)


def _parse_json(rest: str) -> tuple[str, ...] | None:
    """None when `rest` is not a JSON array (shell form); raises for a non-string array."""
    rest = go_trim_left_space(rest)
    if not rest.startswith("["):
        return None
    try:
        # Go's json.Decoder reads the first value and ignores what follows it.
        data, _ = _JSON.raw_decode(rest)
    except (ValueError, _NotJSON, RecursionError):
        return None
    if not isinstance(data, list):
        return None
    if not all(isinstance(x, str) for x in data):
        raise BuildKitError("when using JSON array syntax, arrays must be comprised of strings only")
    return tuple(data)


def _maybe_json(rest: str) -> Parsed:
    if rest == "":
        return _parsed((), False, None, ())
    values = _parse_json(rest)
    if values is not None:
        return _parsed(values, True, None, ())
    return _parsed((rest,), False, None, ())


def _maybe_json_to_list(rest: str) -> Parsed:
    values = _parse_json(rest)
    if values is not None:
        return _parsed(values, True, None, ())
    return _parsed(_whitespace_delimited(rest), False, None, ())


def _whitespace_delimited(rest: str) -> tuple[str, ...]:
    if rest == "":
        return ()
    return tuple(RE_WHITESPACE.split(rest))


def _health_config(rest: str) -> Parsed:
    sep = 0
    while sep < len(rest) and not _is_ascii_space(rest[sep]):
        sep += 1
    nxt = sep
    # skipping blanks: U+0085/U+00A0 start with byte 0xC2, no space (as in the flags)
    while nxt < len(rest) and rest[nxt] in "\t\n\v\f\r ":
        nxt += 1
    if sep == 0:
        return _parsed((), False, None, ())
    cmd = _maybe_json(rest[nxt:])
    return _parsed((rest[:sep],) + cmd.value, cmd.json, None, ())


def parse_arguments(cmd: str, args: str, escape: str) -> Parsed:
    """The dispatch table of parser.go, applied to an instruction's trimmed argument text."""
    kind = cmd.lower()
    if kind in ("run", "cmd", "entrypoint", "shell"):
        return _maybe_json(args)
    if kind in ("add", "copy", "volume"):
        return _maybe_json_to_list(args)
    if kind in ("expose", "from"):
        return _parsed(_whitespace_delimited(args), False, None, ())
    if kind in ("maintainer", "stopsignal", "user", "workdir"):
        return _parsed((args,) if args else (), False, None, ())
    if kind == "env":
        return _parsed(_parse_name_val(args, "ENV", escape), False, None, ())
    if kind == "label":
        return _parsed(_parse_name_val(args, "LABEL", escape), False, None, ())
    if kind == "arg":
        return _parsed(tuple(_parse_words(args, escape)), False, None, ())
    if kind == "healthcheck":
        return _health_config(args)
    if kind == "onbuild":
        if args == "":
            return _parsed((), False, None, ())
        sub = split_command(args)
        inner = parse_arguments(sub.cmd, sub.args, escape)
        if sub.cmd.lower() == "onbuild":
            # A nested ONBUILD with arguments holds children, not a value: the Go AST shows "".
            return Parsed(("",) if sub.args else (), False, sub.cmd or None, sub.flags)
        return Parsed(inner.value, inner.json, sub.cmd or None, sub.flags)
    return _parsed(("",), False, None, ())  # unknown instruction: BuildKit keeps it, ignoring its arguments


def go_quote(s: str) -> str:
    """Go's %q, enough for error messages."""
    return json.dumps(s, ensure_ascii=False)


def parse_directive(line: str) -> tuple[str, str] | None:
    """(lower-case key, value) when `line` (no newline, left-trimmed) is a known directive."""
    m = RE_DIRECTIVE.match(line)
    if m is None:
        return None
    key = m.group(1).lower()
    if key not in DIRECTIVE_KEYS:
        return None
    return key, m.group(2)


# --- variables ------------------------------------------------------------------------------

_VAR = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))")


def expand_variables(text: str, env: dict[str, str]) -> str | None:
    """Substitute `$X`, `${X}`, `${X:-default}`, `${X:+alt}` from `env`, as BuildKit does in
    FROM/COPY/WORKDIR/ENV...; None when a variable without a default is not in `env` (the
    value then depends on the build)."""
    missing = False

    def sub(m: re.Match[str]) -> str:
        nonlocal missing
        name = m.group(1) or m.group(4)
        op, word = m.group(2) or "", m.group(3) or ""
        val = env.get(name)
        if op in (":-", "-"):
            return val if val else word
        if op in (":+", "+"):
            return word if val else ""
        if val is None:
            missing = True
            return ""
        return val

    out = _VAR.sub(sub, text)
    return None if missing else out
