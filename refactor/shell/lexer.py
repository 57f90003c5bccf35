"""Lexer for shell-form RUN bodies, the shell layer: it reads the *logical* text that
refactor.shell.continuations leaves once the Dockerfile layer (continuations, and the comment
and blank lines BuildKit drops inside them) is removed.

`lex` splits the logical text into tokens for grammar/shell.lark.  Blanks, shell comments and
continuations are not tokens: they are trivia, recovered later as the raw text between tokens.
Compound commands, subshells, groups, functions and here-documents are measured (so their
extent is exact) and emitted as one OPAQUE token; refactor.shell.compound cuts the compound
ones into their bodies afterwards.

Nothing here raises on any input: unterminated constructs become OPAQUE up to the end.
"""
from __future__ import annotations

import re

from refactor.syntax.lazy_re import lazy

# ---------------------------------------------------------------------------------------------
# Word scanning (the shell layer)


class Unterminated(Exception):
    """A quote, substitution or compound command runs past the end of the text."""


# part kinds
LIT = "literal"
ESC = "escape"
SQ = "single_quoted"
DQ = "double_quoted"
ANSI = "ansi_c_quoted"
PARAM = "param"
CMDSUB = "command_sub"
BACKTICK = "backtick"
ARITH = "arith"
GLOB = "glob"
TILDE = "tilde"
PROCSUB = "process_sub"
ARRAY = "array"  # the (...) of a bash array assignment NAME=(a b c)

_LIT_RUN = re.compile(r"[^ \t\n\r'\"\\$`;&|<>()*?\[]+")
_DQ_LIT_RUN = re.compile(r"[^\"\\$`]+")
_BRACE_RUN = re.compile(r"[^{}\"\\$`]+")
_BRACKET = re.compile(r"\[[!^]?\]?[^\]\s'\"\\$`;&|<>()]*\]")
_TILDE = lazy(r"~[A-Za-z0-9_.+-]*")
_PARAM = re.compile(r"\$(?:[A-Za-z_][A-Za-z0-9_]*|[0-9@*#?$!-])")
_ANSI = lazy(r"\$'(?:[^'\\]|\\.)*'", re.S)
_BACKTICK = lazy(r"`(?:[^`\\]|\\.)*`", re.S)

# A part is a tuple (kind, start, end) or, for double quotes, (kind, start, end, inner_parts).
Part = tuple

# Most words are one literal run (not starting with `~`) that ends where scan_word would stop
# at once: at a blank, newline, ; & | < > ( ) or the end of the text (not at "\r", which ends a
# word only before "\n"). One match reads such a word whole.
_PLAIN_WORD = re.compile(r"[^ \t\n\r'\"\\$`;&|<>()*?\[~][^ \t\n\r'\"\\$`;&|<>()*?\[]*(?=[ \t\n;&|<>()]|\Z)")


def scan_word(s: str, i: int) -> tuple[int, list[Part]]:
    """Scan one word starting at `i`; return its end and its parts. Raises Unterminated."""
    m = _PLAIN_WORD.match(s, i)
    if m is not None:
        j = m.end()
        return j, [(LIT, i, j)]
    n = len(s)
    parts: list[Part] = []
    start = i
    if i < n and s[i] == "~":
        m = _TILDE.match(s, i)
        parts.append((TILDE, i, m.end()))
        i = m.end()
    while i < n:
        m = _LIT_RUN.match(s, i)
        if m is not None:
            parts.append((LIT, i, m.end()))
            i = m.end()
            continue
        c = s[i]
        if c in " \t\n;&|":
            break
        if c in "<>(":
            if i == start and c != "(" and i + 1 < n and s[i + 1] == "(":
                j = skip_script(s, i + 2, [")"])
                parts.append((PROCSUB, i, j))
                i = j
                continue
            break
        if c == ")":
            break
        if c == "\r":
            if i + 1 == n or s[i + 1] == "\n":
                break
            parts.append((LIT, i, i + 1))
            i += 1
        elif c == "'":
            j = s.find("'", i + 1)
            if j < 0:
                raise Unterminated
            parts.append((SQ, i, j + 1))
            i = j + 1
        elif c == '"':
            j, inner = _scan_dq(s, i + 1)
            parts.append((DQ, i, j, inner))
            i = j
        elif c == "\\":
            if i + 1 < n:
                parts.append((ESC, i, i + 2))
                i += 2
            else:
                parts.append((LIT, i, i + 1))
                i += 1
        elif c == "$":
            part = _scan_dollar(s, i, in_dq=False)
            parts.append(part)
            i = part[2]
        elif c == "`":
            m = _BACKTICK.match(s, i)
            if m is None:
                raise Unterminated
            parts.append((BACKTICK, i, m.end()))
            i = m.end()
        elif c in "*?":
            parts.append((GLOB, i, i + 1))
            i += 1
        else:  # "["
            m = _BRACKET.match(s, i)
            if m is not None:
                parts.append((GLOB, i, m.end()))
                i = m.end()
            else:
                parts.append((LIT, i, i + 1))
                i += 1
    return i, parts


def _scan_dq(s: str, i: int) -> tuple[int, list[Part]]:
    """Inside double quotes from `i` (just after the opening quote); return (end, inner parts)."""
    n = len(s)
    inner: list[Part] = []
    while True:
        if i >= n:
            raise Unterminated
        m = _DQ_LIT_RUN.match(s, i)
        if m is not None:
            inner.append((LIT, i, m.end()))
            i = m.end()
            continue
        c = s[i]
        if c == '"':
            return i + 1, inner
        if c == "\\":
            if i + 1 >= n:
                raise Unterminated
            if s[i + 1] in '$`"\\\n':
                inner.append((ESC, i, i + 2))
            else:
                inner.append((LIT, i, i + 2))
            i += 2
        elif c == "$":
            part = _scan_dollar(s, i, in_dq=True)
            inner.append(part)
            i = part[2]
        else:  # "`"
            m = _BACKTICK.match(s, i)
            if m is None:
                raise Unterminated
            inner.append((BACKTICK, i, m.end()))
            i = m.end()


def _scan_dollar(s: str, i: int, in_dq: bool) -> Part:
    n = len(s)
    nxt = s[i + 1] if i + 1 < n else ""
    if nxt == "(":
        j = skip_script(s, i + 2, [")"])
        kind = ARITH if s.startswith("$((", i) and s.endswith("))", 0, j) else CMDSUB
        return (kind, i, j)
    if nxt == "{":
        return (PARAM, i, _skip_brace(s, i + 2))
    if not in_dq:
        if nxt == "'":
            m = _ANSI.match(s, i)
            if m is None:
                raise Unterminated
            return (ANSI, i, m.end())
        if nxt == '"':
            j, inner = _scan_dq(s, i + 2)
            return (DQ, i, j, inner)
    m = _PARAM.match(s, i)
    if m is not None:
        return (PARAM, i, m.end())
    return (LIT, i, i + 1)


def _skip_brace(s: str, i: int) -> int:
    """Inside ${ from `i`; return the offset after the matching }."""
    n = len(s)
    depth = 1
    while True:
        if i >= n:
            raise Unterminated
        m = _BRACE_RUN.match(s, i)
        if m is not None:
            i = m.end()
            continue
        c = s[i]
        if c == "{":
            depth += 1
            i += 1
        elif c == "}":
            depth -= 1
            i += 1
            if depth == 0:
                return i
        elif c == '"':
            i, _ = _scan_dq(s, i + 1)
        elif c == "\\":
            i += 2
        elif c == "$":
            i = _scan_dollar(s, i, in_dq=True)[2]
        else:  # "`"
            m = _BACKTICK.match(s, i)
            if m is None:
                raise Unterminated
            i = m.end()


# ---------------------------------------------------------------------------------------------
# Measuring nested scripts: $( ), subshells, compound commands

_BLANKS = re.compile(r"(?:[ \t]+|\\\r?\n|\r(?=\n)|\r\Z)+")
_OPERATOR = re.compile(
    r"&&|\|\||;;&|;;|;&|;|\|&|\||&>>|&>|&|<<<|<<-|<<|<>|<&|<\(|<|>>|>&|>\||>\(|>|\(|\)"
)
_IO_NUMBER = re.compile(r"[0-9]+(?=[<>])")
_OPERATOR_FIRST = frozenset("&|;<>()")
_REDIR_OPS = frozenset({"&>>", "&>", "<<<", "<>", "<&", "<", ">>", ">&", ">|", ">"})
_HEREDOC_OPS = frozenset({"<<", "<<-"})
_CONTROL_OPS = {"&&": "AND_IF", "||": "OR_IF", "|": "PIPE", "|&": "PIPE_AMP", ";": "SEMI", "&": "AMP"}
_CASE_SEPS = frozenset({";;", ";&", ";;&"})

# reserved word that opens a compound command -> (its closing word, command position after it)
_OPENERS = {
    "if": ("fi", True),
    "while": ("done", True),
    "until": ("done", True),
    "for": ("done", False),
    "select": ("done", False),
    "case": ("esac", False),
    "{": ("}", True),
    "[[": ("]]", False),
}
_CLOSERS = frozenset({"fi", "done", "esac", "}"})
STOP = "\0stop"  # the outer level of skip_script(..., stops=...): never a closer
_KEEP_CMD_POS = frozenset({"then", "do", "else", "elif", "!", "time", "function"})
# reserved words that cannot start a command at the top level
_STRAY = frozenset({"then", "else", "elif", "fi", "do", "done", "esac", "}"})
_FUNCDEF = re.compile(r"[ \t]*\([ \t]*\)")


def skip_script(
    s: str, i: int, stack: list[str], cmd_pos: bool = True,
    stops: frozenset[str] = frozenset(), stop_ops: frozenset[str] = frozenset(),
) -> int:
    """Measure shell text from `i` until `stack` (expected closing words/parens) is empty.

    Used for $( ), <( ), subshells and compound commands: tracks quotes, nested substitutions,
    comments, case patterns and here-documents, without building anything.  Returns the offset
    after the final closer.  Raises Unterminated.

    With `stops` (reserved words) or `stop_ops` (operators), and `stack == [STOP]`: returns the
    offset where the first of them starts at the outer level instead (a reserved word only in
    command position): how a compound command is cut into its keywords and bodies.
    """
    n = len(s)
    pending: list[tuple[str, bool]] = []
    while True:
        m = _BLANKS.match(s, i)
        if m is not None:
            i = m.end()
        if i >= n:
            raise Unterminated
        c = s[i]
        if c == "#":
            j = s.find("\n", i)
            i = n if j < 0 else j
            continue
        if c == "\n":
            i += 1
            cmd_pos = True
            if pending:
                i = skip_heredoc_bodies(s, i, pending)
                pending = []
            continue
        m = _OPERATOR.match(s, i) if c in _OPERATOR_FIRST else None  # most tokens are words
        if m is not None:
            op = m.group()
            if op in ("<(", ">("):
                pass  # a process substitution word: scanned below
            elif op in stop_ops and stack == [STOP]:
                return i
            else:
                i = m.end()
                top = stack[-1]
                if op == "(":
                    if top != "esac":
                        stack.append(")")
                    cmd_pos = True
                elif op == ")":
                    if top == ")":
                        stack.pop()
                        if not stack:
                            return i
                        cmd_pos = False
                    elif top == "esac":
                        cmd_pos = True
                    else:
                        raise Unterminated
                elif op in _HEREDOC_OPS:
                    m2 = _BLANKS.match(s, i)
                    if m2 is not None:
                        i = m2.end()
                    j, parts = scan_word(s, i)
                    if j == i:
                        raise Unterminated
                    pending.append((heredoc_delimiter(s, parts), op == "<<-"))
                    i = j
                    cmd_pos = False
                elif op in _REDIR_OPS:
                    cmd_pos = False
                else:
                    cmd_pos = True
                continue
        j, _ = scan_word(s, i)
        if j == i:  # cannot happen for well-formed input; never loop forever
            i += 1
            continue
        w = s[i:j]
        if cmd_pos and w in stops and stack == [STOP]:
            return i
        i = j
        top = stack[-1]
        if top == "]]":
            if w == "]]":
                stack.pop()
                if not stack:
                    return i
            cmd_pos = False
            continue
        if cmd_pos:
            opener = _OPENERS.get(w)
            if opener is not None:
                stack.append(opener[0])
                cmd_pos = opener[1]
            elif w == top and w in _CLOSERS:
                stack.pop()
                if not stack:
                    return i
                cmd_pos = False
            else:
                cmd_pos = w in _KEEP_CMD_POS
        else:
            cmd_pos = top == "esac" and w == "in"


def heredoc_delimiter(s: str, parts: list[Part]) -> str:
    """The delimiter word of a here-document with its quotes removed."""
    out = []
    for p in parts:
        kind, a, b = p[0], p[1], p[2]
        if kind == SQ:
            out.append(s[a + 1 : b - 1])
        elif kind == DQ:
            out.append(s[a + 1 : b - 1].replace("\\", ""))
        elif kind == ESC:
            out.append(s[a + 1 : b])
        else:
            out.append(s[a:b])
    return "".join(out)


def skip_heredoc_bodies(s: str, i: int, pending: list[tuple[str, bool]]) -> int:
    """Skip the here-document bodies starting at `i` (a line start); return the offset after the
    newline of the last terminator line.  Raises Unterminated."""
    n = len(s)
    for delim, strip_tabs in pending:
        while True:
            if i >= n:
                raise Unterminated
            j = s.find("\n", i)
            line = s[i:] if j < 0 else s[i:j]
            i = n if j < 0 else j + 1
            if line.endswith("\r"):
                line = line[:-1]
            if strip_tabs:
                line = line.lstrip("\t")
            if line == delim:
                break
    return i


# ---------------------------------------------------------------------------------------------
# The top-level token stream

_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\[[^\]]*\])?\+?=")
_ARRAY_NAME = lazy(r"[A-Za-z_][A-Za-z0-9_]*\+?=")
# The blanks before a token and a plain word (see _PLAIN_WORD) after them, in one match: most
# tokens. Not a word that starts with `#` (a comment) or that < > ( ) follow (an IO number, a
# redirection, a bash array or a function definition may be there): those take the long way.
_BLANKS_THEN_PLAIN_WORD = re.compile(
    # only blanks and tabs: a word cannot start with them, so giving them back on a failed match
    # costs one test each (the other trivia take the long way)
    r"[ \t]*"
    r"([^ \t\n\r'\"\\$`;&|<>()*?\[~#][^ \t\n\r'\"\\$`;&|<>()*?\[]*)(?=[ \t\n;&|]|\Z)"
)

# A token: [type, lstart, lend, extra] where extra is the word parts (WORD/ASSIGNMENT/OPAQUE
# reason) -- a list so that recovery can rewrite entries in place.
Tok = list


def lex(s: str, lo: int = 0, hi: int | None = None) -> list[Tok]:
    """Split logical text (or its part `s[lo:hi]`, a compound command's body) into parser
    tokens, with offsets into `s`.  Never raises."""
    n = len(s) if hi is None else hi
    toks: list[Tok] = []
    i = lo
    cmd_start = True  # reserved words are recognised here
    expect_name = True  # no command name yet: NAME=value is an assignment
    after_redir = False  # the next word is a redirection target
    stmt_first = 0  # index in toks of the first token of the current pipeline element
    while True:
        m = _BLANKS_THEN_PLAIN_WORD.match(s, i)
        if m is not None and m.start(1) < n:  # the common token: a plain word, in one match
            i, j = m.span(1)
            parts = [(LIT, i, j)]
        else:
            m = _BLANKS.match(s, i)
            if m is not None:
                i = m.end()
            if i >= n:
                break
            c = s[i]
            if c == "#":
                j = s.find("\n", i)
                i = n if j < 0 else j
                continue
            if c == "\n" or (c == "\r" and s.startswith("\r\n", i)):
                j = i + (1 if c == "\n" else 2)
                toks.append(["NEWLINE", i, j, None])
                i = j
                cmd_start = expect_name = True
                after_redir = False
                stmt_first = len(toks)
                continue
            # an IO number starts with a digit, an operator with one of &|;<>() (the common word
            # skips both searches)
            m = _IO_NUMBER.match(s, i) if "0" <= c <= "9" else None
            if m is not None and not after_redir:
                toks.append(["IO_NUMBER", i, m.end(), None])
                i = m.end()
                continue
            m = _OPERATOR.match(s, i) if c in _OPERATOR_FIRST else None
            if m is not None and m.group() not in ("<(", ">("):
                op = m.group()
                j = m.end()
                if op in _REDIR_OPS:
                    toks.append(["REDIR", i, j, None])
                    i = j
                    after_redir = True
                    cmd_start = False
                    continue
                if op in _HEREDOC_OPS:
                    start = toks[stmt_first][1] if stmt_first < len(toks) else i
                    del toks[stmt_first:]
                    end = _heredoc_end(s, i, op)
                    toks.append(["OPAQUE", start, end, "heredoc"])
                    i = end
                    cmd_start = expect_name = after_redir = False
                    continue
                kind = _CONTROL_OPS.get(op)
                if kind is not None:
                    toks.append([kind, i, j, None])
                    i = j
                    cmd_start = expect_name = True
                    after_redir = False
                    stmt_first = len(toks)
                    continue
                if op == "(" and cmd_start:
                    reason = "arith" if s.startswith("((", i) else "subshell"
                    end = _measure(s, i + 1, [")"])
                    toks.append(["OPAQUE", i, end, reason])
                    i = end
                    cmd_start = expect_name = False
                    continue
                # ( ) ;; ;& ;;& where they cannot be: never valid here
                toks.append(["BAD", i, j, None])
                i = j
                cmd_start = expect_name = after_redir = False
                continue
            try:
                j, parts = scan_word(s, i)
            except Unterminated:
                toks.append(["OPAQUE", i, n, "unterminated"])
                break
            if j == i:  # defensive: a character no rule consumed
                toks.append(["BAD", i, i + 1, None])
                i += 1
                continue
            if s.startswith("(", j) and _ARRAY_NAME.fullmatch(s, i, j) is not None:
                end = _measure(s, j + 1, [")"])  # bash array: NAME=(a b c), declare -a NAME=(...)
                parts = parts + [(ARRAY, j, end)]
                j = end
        if after_redir:
            toks.append(["WORD", i, j, parts])
            after_redir = False
        elif cmd_start:
            w = s[i:j]
            opener = _OPENERS.get(w)
            if opener is not None:
                end = _measure(s, j, [opener[0]], opener[1])
                toks.append(["OPAQUE", i, end, "group" if w == "{" else w])
                i = end
                cmd_start = expect_name = False
                continue
            if w in _STRAY:
                toks.append(["OPAQUE", i, j, "syntax"])
                i = j
                cmd_start = expect_name = False
                continue
            if w == "!":
                toks.append(["BANG", i, j, None])
                i = j
                continue
            is_assignment = _ASSIGNMENT.match(w) is not None
            if w == "function" or (not is_assignment and _FUNCDEF.match(s, j)):
                end = _function_end(s, j, w == "function")
                toks.append(["OPAQUE", i, end, "function"])
                i = end
                cmd_start = expect_name = False
                continue
            if is_assignment:
                toks.append(["ASSIGNMENT", i, j, parts])
            else:
                toks.append(["WORD", i, j, parts])
                expect_name = False
            cmd_start = False
        elif expect_name and _ASSIGNMENT.match(s, i, j) is not None:
            toks.append(["ASSIGNMENT", i, j, parts])
        else:
            toks.append(["WORD", i, j, parts])
            expect_name = False
        i = j
    return toks


def _measure(s: str, i: int, stack: list[str], cmd_pos: bool = True) -> int:
    try:
        return skip_script(s, i, stack, cmd_pos)
    except Unterminated:
        return len(s)


def _function_end(s: str, i: int, keyword: bool) -> int:
    """From just after `function` or a function name: return the end of the definition."""
    n = len(s)
    try:
        if keyword:  # function NAME [()] BODY
            m = _BLANKS.match(s, i)
            i = m.end() if m else i
            j, _ = scan_word(s, i)
            i = j
        m = _FUNCDEF.match(s, i)
        if m is not None:
            i = m.end()
        while i < n and s[i] in " \t\r\n":
            i += 1
        if s.startswith("(", i):
            return skip_script(s, i + 1, [")"])
        j, _ = scan_word(s, i)
        opener = _OPENERS.get(s[i:j])
        if opener is None:
            return n
        return skip_script(s, j, [opener[0]], opener[1])
    except Unterminated:
        return n


def _heredoc_end(s: str, i: int, op: str) -> int:
    """`i` is at a << operator: return the end of the statement including the here-document
    bodies, stopping before the newline that ends the last terminator line."""
    n = len(s)
    pending: list[tuple[str, bool]] = []
    try:
        while True:
            m = _BLANKS.match(s, i)
            if m is not None:
                i = m.end()
            if i >= n:
                return n
            c = s[i]
            if c == "#":
                j = s.find("\n", i)
                i = n if j < 0 else j
                continue
            if c == "\n":
                end = skip_heredoc_bodies(s, i + 1, pending)
                if end > 0 and s[end - 1] == "\n":
                    end -= 2 if s[end - 2 : end] == "\r\n" else 1
                return end
            m = _OPERATOR.match(s, i)
            if m is not None and m.group() not in ("<(", ">("):
                i = m.end()
                if m.group() in _HEREDOC_OPS:
                    m2 = _BLANKS.match(s, i)
                    if m2 is not None:
                        i = m2.end()
                    j, parts = scan_word(s, i)
                    if j == i:
                        return n
                    pending.append((heredoc_delimiter(s, parts), m.group() == "<<-"))
                    i = j
                elif m.group() == "(":
                    i = skip_script(s, i, [")"])
                continue
            j, _ = scan_word(s, i)
            i = j if j > i else i + 1
    except Unterminated:
        return n
