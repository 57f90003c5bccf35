"""BuildKit's shell-word lexer (moby/buildkit frontend/dockerfile/shell, v0.12), as far as the
Dockerfile parser uses it: splitting a line into words the way BuildKit does to find
here-document markers (`<<EOF`, `<<-"EOF"`) in RUN, COPY and ADD."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from refactor.syntax.buildkit import (
    GO_SPACE,
    HEREDOC_COMMANDS,
    RE_HEREDOC,
    BuildKitError,
    Split,
    _maybe_json,
    go_quote,
    split_command,
)


@dataclass(frozen=True, slots=True)
class HeredocMarker:
    """A `<<NAME` word of an instruction."""
    name: str
    chomp: bool  # <<- strips leading tabs
    expand: bool  # unquoted: the body sees variable expansion
    fd: int


class _ShellError(Exception):
    pass


class _ShellWords:
    """lex.go's shellWord with an empty environment and SkipUnsetEnv, as heredoc detection uses
    it: splits words, optionally keeping quotes and escapes as written."""

    __slots__ = ("s", "i", "raw_quotes", "raw_escapes")

    def __init__(self, s: str, raw_quotes: bool, raw_escapes: bool) -> None:
        self.s = s
        self.i = 0
        self.raw_quotes = raw_quotes
        self.raw_escapes = raw_escapes

    def peek(self) -> str:
        return self.s[self.i] if self.i < len(self.s) else ""

    def next(self) -> str:
        if self.i < len(self.s):
            ch = self.s[self.i]
            self.i += 1
            return ch
        return ""

    def words(self) -> list[str]:
        _, words = self.process_stop_on("", self.raw_escapes)
        return words

    def process_stop_on(self, stop: str, raw_escapes: bool) -> tuple[str, list[str]]:
        saved = self.raw_escapes
        self.raw_escapes = raw_escapes
        try:
            return self._process_stop_on(stop)
        finally:
            self.raw_escapes = saved

    def _process_stop_on(self, stop: str) -> tuple[str, list[str]]:
        result: list[str] = []
        words: list[str] = []
        word: list[str] = []
        in_word = False

        def add_char(ch: str) -> None:
            nonlocal in_word, word
            if ch in GO_SPACE:
                # Go tests the word's length: an empty quoted string ('' or "") is no word
                if in_word and any(word):
                    words.append("".join(word))
                    word = []
                    in_word = False
            else:
                word.append(ch)
                in_word = True

        while self.i < len(self.s):
            ch = self.s[self.i]
            if stop and ch == stop:
                self.i += 1
                if any(word):
                    words.append("".join(word))
                return "".join(result), words
            if ch in "$'\"":
                if ch == "$":
                    tmp = self.process_dollar()
                    result.append(tmp)
                    for c in tmp:
                        add_char(c)
                else:
                    tmp = self.process_single_quote() if ch == "'" else self.process_double_quote()
                    result.append(tmp)
                    word.append(tmp)
                    in_word = True
                continue
            ch = self.next()
            if ch == "\\":
                if self.raw_escapes:
                    word.append(ch)
                    in_word = True
                    result.append(ch)
                ch = self.next()
                if ch == "":
                    break
                word.append(ch)
                in_word = True
            else:
                add_char(ch)
            result.append(ch)
        if stop:
            raise _ShellError(f"unexpected end of statement while looking for matching {stop}")
        if any(word):
            words.append("".join(word))
        return "".join(result), words

    def process_single_quote(self) -> str:
        out: list[str] = []
        ch = self.next()
        if self.raw_quotes:
            out.append(ch)
        while True:
            ch = self.next()
            if ch == "":
                raise _ShellError("unexpected end of statement while looking for matching single-quote")
            if ch == "'":
                if self.raw_quotes:
                    out.append(ch)
                return "".join(out)
            out.append(ch)

    def process_double_quote(self) -> str:
        out: list[str] = []
        ch = self.next()
        if self.raw_quotes:
            out.append(ch)
        while True:
            p = self.peek()
            if p == "":
                raise _ShellError("unexpected end of statement while looking for matching double-quote")
            if p == '"':
                ch = self.next()
                if self.raw_quotes:
                    out.append(ch)
                return "".join(out)
            if p == "$":
                out.append(self.process_dollar())
                continue
            ch = self.next()
            if ch == "\\":
                if self.raw_escapes:
                    out.append(ch)
                p = self.peek()
                if p == "":
                    continue
                if p in '"$\\':
                    ch = self.next()
            out.append(ch)

    def process_dollar(self) -> str:
        self.next()
        if self.peek() != "{":
            name = self.process_name()
            return "$" + name if name else "$"
        self.next()
        p = self.peek()
        if p == "":
            raise _ShellError("syntax error: missing '}'")
        if p in "{}:":
            raise _ShellError("syntax error: bad substitution")
        name = self.process_name()
        ch = self.next()
        if ch == "}":
            return "${" + name + "}"
        chs = ch
        # BuildKit 0.12 knows `+`, `-` and `?` (`#`, `%` and `/` came later: 0.12 rejects
        # them); after a `:` Go's `fallthrough` takes whatever character follows.
        if ch == ":":
            chs += self.next()
        elif ch not in ("+", "-", "?") or not ch:
            raise _ShellError(f"unsupported modifier ({chs}) in substitution")
        word, _ = self.process_stop_on("}", self.raw_escapes)
        return "${" + name + chs + word + "}"

    def process_name(self) -> str:
        name: list[str] = []
        while self.i < len(self.s):
            ch = self.s[self.i]
            if not name and ch.isdecimal():
                while self.i < len(self.s) and self.s[self.i].isdecimal():
                    name.append(self.next())
                return "".join(name)
            if not name and ch in "@*#?-$!0":
                return self.next()
            if not (ch.isalpha() or ch.isdecimal() or ch == "_"):
                break
            name.append(self.next())
        return "".join(name)


def shell_words(s: str, *, raw_quotes: bool, raw_escapes: bool) -> list[str] | None:
    """None where BuildKit's lexer fails (an unterminated quote, a bad `${`). The lexer reads
    through Go's text/scanner, which skips a byte order mark at the start of what it scans:
    `<<\ufeffEOF` opens a here-document ended by `EOF`."""
    if s.startswith("\ufeff"):
        s = s[1:]
    try:
        return _ShellWords(s, raw_quotes, raw_escapes).words()
    except _ShellError:
        return None


def _heredoc_from_word(word: str) -> HeredocMarker | None:
    m = RE_HEREDOC.match(word)
    if m is None:
        return None
    fd = int(m.group(1)) if m.group(1) else 0
    rest = m.group(3)
    if not rest:
        return None
    words = shell_words(rest, raw_quotes=False, raw_escapes=False)
    if words is None:
        raise BuildKitError(f"failed to process {go_quote(rest)}")
    if len(words) != 1:
        return None
    raw = shell_words(rest, raw_quotes=True, raw_escapes=False)
    if raw is None:
        raise BuildKitError(f"failed to process {go_quote(rest)}")
    if len(raw) != len(words):
        raise BuildKitError(f"internal lexing of heredoc produced inconsistent results: {rest}")
    name = words[0]
    quotes = name.count("'") + name.count('"')
    raw_quotes = raw[0].count("'") + raw[0].count('"')
    return HeredocMarker(name, m.group(2) == "-", quotes == raw_quotes, fd)


@lru_cache(maxsize=1024)
def heredoc_markers(line: str) -> tuple[HeredocMarker, ...]:
    """heredocsFromLine: the heredocs a logical RUN/COPY/ADD line opens, in order."""
    if "<<" not in line:
        return ()
    words = shell_words(line, raw_quotes=True, raw_escapes=True) or []
    out = []
    for word in words:
        h = _heredoc_from_word(word)
        if h is not None:
            out.append(h)
    return tuple(out)


def can_contain_heredoc(split: Split, escape: str) -> bool:
    """canContainHeredoc, looking through ONBUILD to the instruction it wraps."""
    cmd = split.cmd.lower()
    args = split.args
    if cmd == "onbuild":
        if args == "":
            return False
        inner = split_command(args)
        cmd, args = inner.cmd.lower(), inner.args
    if cmd not in HEREDOC_COMMANDS:
        return False
    try:
        return not _maybe_json(args).json
    except BuildKitError:
        return False
