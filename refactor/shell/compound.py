"""How a compound command is cut into its keywords and bodies.

`segments(L, start, end, kind)` reads the logical text `L[start:end]` of one compound command
(measured by the lexer: `if … fi`, `for … done`, `while`/`until … done`, `case … esac`,
`{ …; }`, `( … )`, a function definition) and returns its pieces in order, as logical offsets:

    ("kw", a, b)     a reserved word or operator of the construct: if then elif else fi, for
                     while until select do done, case esac ;; ;& ;;&, { }, ( )
    ("head", a, b)   text that is words, not commands: `i in a b c;` after `for`, `"$x" in`
                     after `case`, a case pattern up to its `)`, `name()` of a function
    ("body", a, b)   a list of commands, parsed as a script of its own

The pieces tile the text exactly. None when the text is not a well-formed construct of that
kind (it then stays one opaque unit, as before). Arithmetic `(( ))`, `[[ ]]` and here-documents
are not cut: they hold no commands.
"""
from __future__ import annotations

from refactor.shell.lexer import _BLANKS, _FUNCDEF, STOP, Unterminated, scan_word, skip_script

Segment = tuple[str, int, int]
CUT = frozenset({"if", "for", "select", "while", "until", "case", "group", "subshell", "function"})
_CASE_SEPS = frozenset({";;&", ";;", ";&"})


class _Bad(Exception):
    pass


def segments(L: str, start: int, end: int, kind: str) -> list[Segment] | None:
    if kind not in CUT:
        return None
    try:
        out = _Cutter(L, start, end).cut(kind)
    except (_Bad, Unterminated):
        return None
    pos = start
    for _, a, b in out:  # the pieces must tile the text
        if a != pos or b < a:
            return None
        pos = b
    return out if pos == end else None


class _Cutter:
    def __init__(self, L: str, start: int, end: int) -> None:
        self.L, self.start, self.end = L, start, end
        self.out: list[Segment] = []
        self.pos = start

    def cut(self, kind: str) -> list[Segment]:
        if kind == "if":
            self.keyword("if")
            while True:
                self.body_until({"then"})
                self.keyword("then")
                word = self.body_until({"elif", "else", "fi"})
                self.keyword(word)
                if word == "elif":
                    continue
                if word == "else":
                    self.body_until({"fi"})
                    self.keyword("fi")
                break
        elif kind in ("while", "until"):
            self.keyword(kind)
            self.body_until({"do"})
            self.loop_body()
        elif kind in ("for", "select"):
            self.keyword(kind)
            self.head_until_do()
            self.loop_body()
        elif kind == "case":
            self.case()
        elif kind == "group":
            self.keyword("{")
            self.body_until({"}"})
            self.keyword("}")
        elif kind == "subshell":
            self.operator("(")
            self.body_until(frozenset(), stop_ops=frozenset({")"}))
            self.operator(")")
        else:
            self.function()
        return self.out

    # --- pieces -------------------------------------------------------------------------------
    def _skip_blanks(self, i: int) -> int:
        m = _BLANKS.match(self.L, i)
        return m.end() if m is not None else i

    def _word_at(self, i: int) -> tuple[int, int]:
        i = self._skip_blanks(i)
        j, _ = scan_word(self.L, i)
        if j == i or j > self.end:
            raise _Bad
        return i, j

    def keyword(self, word: str) -> None:
        """The reserved word `word` starts at self.pos (after blanks, which a body ends with)."""
        i, j = self._word_at(self.pos)
        if self.L[i:j] != word:
            raise _Bad
        if i > self.pos:  # blanks before a keyword only at the very start (never: the lexer starts at it)
            raise _Bad
        self.out.append(("kw", i, j))
        self.pos = j

    def operator(self, op: str) -> None:
        if not self.L.startswith(op, self.pos):
            raise _Bad
        self.out.append(("kw", self.pos, self.pos + len(op)))
        self.pos += len(op)

    def body_until(self, stops, stop_ops: frozenset[str] = frozenset(), cmd_pos: bool = True) -> str:
        """A body from self.pos to the first of `stops` (or `stop_ops`) at this level; returns
        the word or operator found there."""
        t = skip_script(self.L, self.pos, [STOP], cmd_pos, frozenset(stops), stop_ops)
        if t > self.end:
            raise _Bad
        self.out.append(("body", self.pos, t))
        self.pos = t
        for op in sorted(stop_ops, key=len, reverse=True):
            if self.L.startswith(op, t):
                return op
        _, j = self._word_at(t)
        return self.L[t:j]

    def head_until_do(self) -> None:
        t = skip_script(self.L, self.pos, [STOP], False, frozenset({"do"}))
        if t > self.end:
            raise _Bad
        self.out.append(("head", self.pos, t))
        self.pos = t

    def loop_body(self) -> None:
        self.keyword("do")
        self.body_until({"done"})
        self.keyword("done")

    def case(self) -> None:
        self.keyword("case")
        _, j = self._word_at(self.pos)  # the subject
        i2, j2 = self._word_at(j)
        if self.L[i2:j2] != "in":
            raise _Bad
        self.out.append(("head", self.pos, j2))
        self.pos = j2
        while True:
            i = self._skip_trivia(self.pos)
            if i >= self.end:
                raise _Bad
            j2 = scan_word(self.L, i)[0]
            if self.L[i:j2] == "esac":
                if i > self.pos:
                    self.out.append(("body", self.pos, i))
                    self.pos = i
                self.keyword("esac")
                return
            # a pattern list, up to and including its `)`
            k = self._pattern_end(i)
            self.out.append(("head", self.pos, k))
            self.pos = k
            found = self.body_until({"esac"}, stop_ops=_CASE_SEPS)
            if found in _CASE_SEPS:
                self.operator(found)
            else:
                self.keyword("esac")
                return

    def _skip_trivia(self, i: int) -> int:
        L = self.L
        while i < self.end:
            i = self._skip_blanks(i)
            if i < self.end and L[i] == "\n":
                i += 1
            elif i < self.end and L[i] == "#":
                nl = L.find("\n", i)
                i = self.end if nl < 0 or nl > self.end else nl
            else:
                break
        return i

    def _pattern_end(self, i: int) -> int:
        L = self.L
        if L.startswith("(", i):
            i += 1
        while True:
            i = self._skip_blanks(i)
            if i >= self.end:
                raise _Bad
            if L[i] == ")":
                return i + 1
            if L[i] == "|":
                i += 1
                continue
            j, _ = scan_word(L, i)
            if j == i:
                raise _Bad
            i = j

    def function(self) -> None:
        L = self.L
        i, j = self._word_at(self.pos)
        if L[i:j] == "function":
            _, j = self._word_at(j)  # the name
        m = _FUNCDEF.match(L, j)
        if m is not None:
            j = m.end()
        self.out.append(("head", self.pos, j))
        self.out.append(("body", j, self.end))
        self.pos = self.end
