"""A lossless concrete syntax tree for shell-form RUN bodies.

    from refactor.shell.parse import parse_shell
    script = parse_shell("apt-get update && apt-get install -y curl")
    assert script.code == "apt-get update && apt-get install -y curl"
    install = script.commands()[1]
    install.name, install.subcommand().value          # ('apt-get', 'install')
    script.insert_after(install.subcommand(), "--no-install-recommends").code
    # 'apt-get update && apt-get install --no-install-recommends -y curl'

`parse_shell(text, escape)` never raises and always round-trips (`.code == text`).  The grammar
is grammar/shell.lark, read by refactor/shell/grammar.py (the grammar as code: one pass, no
Lark) over the tokens of the hand-written lexer in refactor/shell/lexer.py; Lark's LALR parser of
the same grammar (refactor/shell/lalr.py) is the reference the tests hold it equal to.  The node
classes and the query/edit helpers live in refactor/shell/nodes.py and are re-exported here.
"""
from __future__ import annotations

from functools import lru_cache

from typing import Optional

from refactor.shell.compound import segments
from refactor.shell.continuations import OffsetMap, logical_text
from refactor.shell.grammar import ShellSyntaxError, Tree, parse_types
from refactor.shell.lexer import DQ, LIT, lex, _ASSIGNMENT as _ASSIGNMENT_RE
from refactor.syntax.nodes import node_maker, slot_setters
from refactor.shell.nodes import (
    EXPANSION_KINDS,
    VALUE_FLAGS,
    WRAPPERS,
    Assignment,
    Compound,
    Element,
    Item,
    Leaf,
    Node,
    Opaque,
    Operator,
    Redirect,
    ShellScript,
    SimpleCommand,
    Unit,
    Word,
    WordPart,
    quote,
)

__all__ = [
    "parse_shell",
    "ShellScript",
    "SimpleCommand",
    "Opaque",
    "Compound",
    "Operator",
    "Word",
    "WordPart",
    "Assignment",
    "Redirect",
    "Leaf",
    "Node",
    "Unit",
    "Item",
    "Element",
    "WRAPPERS",
    "VALUE_FLAGS",
    "EXPANSION_KINDS",
    "quote",
]

# ---------------------------------------------------------------------------------------------
# Parsing

_MAX_DEPTH = 12  # deeper compound commands stay opaque: bounded work and recursion on any input
# Cutting a compound command into its keywords and bodies re-reads its text (a few times): the
# compounds cut in one script add up to at most this many characters, or 4x the script, and the
# rest stay opaque. Thousands of nested `if`s in a 54 KB line were read at 12 depths (2.5 s).
_CUT_BUDGET = 256 * 1024
_SEPARATORS = frozenset({"SEMI", "AMP", "NEWLINE"})
_CONTROL = frozenset({"SEMI", "AMP", "NEWLINE", "AND_IF", "OR_IF", "PIPE", "PIPE_AMP"})


def parse_shell(text: str, escape: str = "\\") -> ShellScript:
    """Parse a shell-form RUN body (as it stands in the Dockerfile, continuations included).

    Never raises for any text: what the grammar does not model becomes `Opaque`.
    `escape` is the Dockerfile escape character (`\\` or a backtick)."""
    if not isinstance(text, str):
        raise TypeError(f"parse_shell() needs str, not {type(text).__name__}")
    if not isinstance(escape, str) or len(escape) != 1:
        raise ValueError("escape must be one character")
    return _parse_cached(text, escape)


@lru_cache(maxsize=4096)
def _lex_cached(L: str) -> tuple:
    # A RUN's body (continuations and all) and BuildKit's value of it (which some codemods
    # parse) are one logical text: lexed once. Tokens are only read after this (the error
    # recovery replaces tokens in its own list, never changes one).
    return tuple(lex(L))


def forget_parses() -> None:
    """Drop the parse cache. It serves one file, whose RUN bodies several codemods read; the
    engine calls this as it starts on the next file, so that a run over many files holds the
    parses of one file at a time (memory bounded per file, not growing with the run)."""
    _parse_cached.cache_clear()
    _lex_cached.cache_clear()


@lru_cache(maxsize=65536)  # a 10,000-RUN file re-read by several codemods must not thrash it
def _parse_cached(text: str, escape: str) -> ShellScript:
    # Trees are immutable, and several codemods read the same RUN bodies: parse each once.
    try:
        return _parse(text, escape)
    except Exception:  # pragma: no cover - a bug: stay lossless rather than fail
        return _one_opaque(text, escape, "internal-error")


def _one_opaque(text: str, escape: str, reason: str) -> ShellScript:
    stripped = text.strip()
    if not stripped:
        return ShellScript((), text, escape)
    s = text.index(stripped[0])
    e = s + len(stripped)
    return ShellScript((Opaque(text[:s], text[s:e], reason, span=(s, e)),), text[e:], escape)


# Shell code longer than this is not analysed: one opaque unit, which every codemod leaves alone
# (the engine says so). The largest RUN of 8,878 in 3,409 real Dockerfiles is 6.6 KB; bodies of
# hundreds of KB (5,000 installs in one RUN) took seconds through every codemod.
MAX_ANALYSED = 64 * 1024


def _parse(text: str, escape: str) -> ShellScript:
    if len(text) > MAX_ANALYSED:
        return _one_opaque(text, escape, "too-long")
    L, omap = logical_text(text, escape)
    toks = list(_lex_cached(L))
    # newlines before the first and after the last token separate nothing: leave them as trivia
    lo, hi = 0, len(toks)
    while lo < hi and toks[lo][0] == "NEWLINE":
        lo += 1
    while hi > lo and toks[hi - 1][0] == "NEWLINE":
        hi -= 1
    toks = toks[lo:hi]
    if not toks:
        return ShellScript((), text, escape)
    tree = _parse_tokens(L, toks)
    return _Builder(text, L, omap, toks, escape, budget=[max(_CUT_BUDGET, 4 * len(text))]).script(tree)


def _parse_tokens(L: str, toks: list) -> Tree:
    # Each failed parse folds one region into an OPAQUE token and parses again: bounded, so a
    # script with thousands of errors (`{ { { … } } }` without the `;`) stays linear; past the
    # bound the whole script is one opaque unit, which the codemods leave alone anyway.
    for _ in range(min(len(toks) + 1, _MAX_FOLDS)):
        try:
            return parse_types([t[0] for t in toks])
        except ShellSyntaxError as exc:
            if not _fold(toks, exc.index):
                break
    # last resort: everything in one opaque unit
    toks[:] = [["OPAQUE", toks[0][1], toks[-1][2], "syntax"]]
    return parse_types(["OPAQUE"])


_MAX_FOLDS = 64


def _fold(toks: list, idx: int) -> bool:
    """Replace the tokens around the parse error at `idx` by one OPAQUE token: the pipeline
    element (bounded by control operators) when that makes progress, else the statement
    (bounded by ; & newline), else one more neighbour.  Returns False when nothing can change."""
    n = len(toks)
    if n == 1 and toks[0][0] == "OPAQUE":
        return False
    for bounds in (_CONTROL, _SEPARATORS, None):
        if idx >= n:
            lo, hi = n - 1, n
        else:
            lo, hi = idx, idx + 1
        if bounds is not None:
            while lo > 0 and toks[lo - 1][0] not in bounds:
                lo -= 1
            while hi < n and toks[hi][0] not in bounds:
                hi += 1
        else:  # widen by one token on each side
            lo, hi = max(0, lo - 1), min(n, hi + 1)
        if not (hi - lo == 1 and toks[lo][0] == "OPAQUE"):
            break
    reason = next((t[3] for t in toks[lo:hi] if t[0] == "OPAQUE"), "syntax")
    toks[lo:hi] = [["OPAQUE", toks[lo][1], toks[hi - 1][2], reason]]
    return True


_PART_SET = slot_setters(WordPart, ("kind", "raw", "text", "parts", "span"))


def _new_part(kind: str, raw: str, text: str, parts: tuple, span: tuple[int, int]) -> WordPart:
    """WordPart(kind, raw, text, parts, span=span), made faster."""
    node = object.__new__(WordPart)
    k, r, t, p, s = _PART_SET
    k(node, kind)
    r(node, raw)
    t(node, text)
    p(node, parts)
    s(node, span)
    return node


# The nodes the builder makes, made faster (their dataclass __init__ sets each field through
# object.__setattr__): (leading, text, span), (fd, op, target, span), ...
_new_word = node_maker(Word, ("leading", "parts", "span"), memo=True)
_WORD_SET = slot_setters(Word, ("leading", "parts", "span", "_memo"))
_new_assignment = node_maker(Assignment, ("leading", "parts", "name", "span"))
_new_command = node_maker(SimpleCommand, ("elements", "bang", "span"), memo=True)
_new_leaf = node_maker(Leaf, ("leading", "text", "span"))
_new_operator = node_maker(Operator, ("leading", "text", "span"))
_new_redirect = node_maker(Redirect, ("fd", "op", "target", "span"))
_new_script = node_maker(ShellScript, ("items", "trailing", "escape"), memo=True)


class _Builder:
    """Turns the parse tree (whose tokens are indices into `toks`) into CST nodes. A compound
    command's body is built by a builder of its own over the same text, bounded by `lo`/`hi`
    (raw offsets), so every node's span points into the whole script.

    The tree is the hand-written parser's (refactor.shell.grammar) or, in the tests, Lark's in
    the same form (refactor.shell.lalr.parse_types_indexed)."""

    def __init__(self, text: str, L: str, omap: OffsetMap, toks: list, escape: str, lo: int = 0, hi: int | None = None,
                 depth: int = 0, budget: list[int] | None = None):
        self.budget = budget if budget is not None else [_CUT_BUDGET]  # shared by the nested builders
        self.text = text
        self.L = L
        self.omap = omap
        self.toks = toks
        self.escape = escape
        self.lo, self.hi, self.depth = lo, len(text) if hi is None else hi, depth
        if omap.identity:  # no continuation: the text is the logical text, offsets are raw
            self.rs = [t[1] for t in toks]
            self.re = [t[2] for t in toks]
        else:
            self.rs = omap.starts([t[1] for t in toks])
            self.re = omap.ends([t[2] for t in toks])

    def lead(self, k: int) -> str:
        return self.text[self.re[k - 1] if k else self.lo : self.rs[k]]

    def script(self, tree) -> ShellScript:
        items: list[Item] = []
        bang: Optional[Leaf] = None
        text, rs, re_, lo = self.text, self.rs, self.re, self.lo
        toks = self.toks
        for k in tree.children:
            if type(k) is not int:
                if k.data == "simple_command":
                    items.append(self.simple_command(k, bang))
                else:
                    items.append(self.compound(k, bang))
                bang = None
                continue
            s, e = rs[k], re_[k]
            lead = text[re_[k - 1] if k else lo : s]
            if toks[k][0] == "BANG":
                bang = _new_leaf(lead, text[s:e], (s, e))
            else:
                items.append(_new_operator(lead, text[s:e], (s, e)))
        return _new_script(tuple(items), text[re_[-1] : self.hi], self.escape)

    def raw(self, k: int) -> str:
        return self.text[self.rs[k] : self.re[k]]

    def leaf(self, k: int) -> Leaf:
        return _new_leaf(self.lead(k), self.raw(k), (self.rs[k], self.re[k]))

    def compound(self, tree, bang: Optional[Leaf]) -> Opaque:
        first = tree.children[0]
        last = _last_token(tree)
        s = bang.span[0] if bang is not None else self.rs[first]
        lead = bang.leading if bang is not None else self.lead(first)
        e = self.re[last]
        reason = self.toks[first][3] or "syntax"
        if self.depth < _MAX_DEPTH and self.budget[0] >= e - s:
            self.budget[0] -= e - s
            cut_start, cut_end = self.rs[first], self.re[first]
            parts = self.cut(self.toks[first], reason, cut_start, cut_end)
            if parts is not None:
                if bang is not None:  # `! { …; }`: the `!` and the blanks after it, one piece
                    parts = (Leaf("", self.text[s:cut_start], span=(s, cut_start)), *parts)
                if cut_end < e:  # its redirections (`done < list.txt`), kept as one piece
                    parts = (*parts, Leaf("", self.text[cut_end:e], span=(cut_end, e)))
                return Compound(lead, self.text[s:e], reason, span=(s, e), parts=parts)
        return Opaque(lead, self.text[s:e], reason, span=(s, e))

    def cut(self, tok: list, reason: str, s: int, e: int) -> tuple | None:
        """The keywords and bodies of one compound command, or None to keep it opaque."""
        pieces = segments(self.L, tok[1], tok[2], reason)
        if pieces is None:
            return None
        parts: list = []
        for what, a, b in pieces:
            ra, rb = self.omap.start(a), self.omap.end(b)
            if what != "body":
                if a == b:
                    return None
                parts.append(Leaf("", self.text[ra:rb], span=(ra, rb)))
                continue
            # a body runs from the end of the piece before it to the start of the next one
            ra = parts[-1].span[1] if parts else self.omap.start(a)
            parts.append(self.body(a, b, ra))
        # the bodies end where the next piece starts: close the gaps
        out: list = []
        for k, p in enumerate(parts):
            if type(p) is not Leaf:
                nxt = parts[k + 1].span[0] if k + 1 < len(parts) else e
                p = self.body_between(p, nxt)
                if p is None:
                    return None
            out.append(p)
        if "".join(p.code for p in out) != self.text[s:e]:
            return None  # the pieces must print the command exactly
        return tuple(out)

    def body(self, a: int, b: int, ra: int):
        """Tokens of the logical range [a, b), as a pending body starting at raw offset `ra`."""
        toks = lex(self.L, a, b)
        if any(t[2] > b for t in toks):
            return None
        while toks and toks[0][0] == "NEWLINE":
            toks.pop(0)
        while toks and toks[-1][0] == "NEWLINE":
            toks.pop()
        return (toks, ra)

    def body_between(self, pending, hi: int) -> Optional[ShellScript]:
        if pending is None:
            return None
        toks, lo = pending
        if not toks:
            return ShellScript((), self.text[lo:hi], self.escape)
        tree = _parse_tokens(self.L, toks)
        sub = _Builder(self.text, self.L, self.omap, toks, self.escape, lo, hi, self.depth + 1, self.budget)
        if sub.rs[0] < lo or sub.re[-1] > hi:
            return None
        return sub.script(tree)

    def simple_command(self, tree, bang: Optional[Leaf]) -> SimpleCommand:
        elements: list[Element] = []
        append = elements.append
        text, L, toks, rs, re_, lo = self.text, self.L, self.toks, self.rs, self.re, self.lo
        parts_of = self.parts
        new = object.__new__
        set_kind, set_raw, set_text, set_parts, set_span = _PART_SET
        set_leading, set_word_parts, set_word_span, set_memo = _WORD_SET
        for k in tree.children:
            if type(k) is not int:  # redirect
                append(self.redirect(k))
                continue
            s, e = rs[k], re_[k]
            lead = text[re_[k - 1] if k else lo : s]
            t = toks[k]
            if e - s == t[2] - t[1]:  # no continuation inside the word (most words)
                tp = t[3]
                if len(tp) == 1 and tp[0][0] == LIT:  # one literal run: the part made here
                    shift = s - t[1]
                    a, b = tp[0][1], tp[0][2]
                    raw = L[a:b]
                    node = new(WordPart)
                    set_kind(node, LIT)
                    set_raw(node, raw)
                    set_text(node, raw)
                    set_parts(node, ())
                    set_span(node, (a + shift, b + shift))
                    parts = (node,)
                else:
                    parts = _shifted_parts(L, tp, s - t[1])
            else:
                parts = parts_of(t[3], s)
            if t[0] == "ASSIGNMENT":
                append(_new_assignment(lead, parts, self.assignment_name(k), (s, e)))
            else:  # _new_word, without a call per word
                node = new(Word)
                set_leading(node, lead)
                set_word_parts(node, parts)
                set_word_span(node, (s, e))
                set_memo(node, {})
                append(node)
        s = bang.span[0] if bang is not None else elements[0].span[0]
        return _new_command(tuple(elements), bang, (s, elements[-1].span[1]))

    def redirect(self, tree) -> Redirect:
        ch = tree.children
        fd = self.leaf(ch[0]) if len(ch) == 3 else None
        op = self.leaf(ch[-2])
        target = self.word(ch[-1])
        s = fd.span[0] if fd is not None else op.span[0]
        return _new_redirect(fd, op, target, (s, target.span[1]))

    def word(self, k: int) -> Word:
        s, e, t = self.rs[k], self.re[k], self.toks[k]
        if e - s == t[2] - t[1]:
            parts = _shifted_parts(self.L, t[3], s - t[1])
        else:
            parts = self.parts(t[3], s)
        return _new_word(self.lead(k), parts, (s, e))

    def assignment_name(self, k: int) -> str:
        t = self.toks[k]
        m = _ASSIGNMENT_RE.match(self.L, t[1], t[2])
        name = m.group().rstrip("=").rstrip("+") if m else ""
        if "[" in name:
            name = name[: name.index("[")]
        return name

    def parts(self, parts: list, raw_pos: int) -> tuple[WordPart, ...]:
        """The parts of a word with a continuation inside it, its raw text from `raw_pos`."""
        text, L, end = self.text, self.L, self.omap.end
        out = []
        for p in parts:
            kind, a, b = p[0], p[1], p[2]
            rend = end(b)
            inner: tuple[WordPart, ...] = ()
            if kind == DQ:
                qlen = 2 if L[a] == "$" else 1
                inner = self.parts(p[3], end(a + qlen))
            out.append(_new_part(kind, text[raw_pos:rend], L[a:b], inner, (raw_pos, rend)))
            raw_pos = rend
        return tuple(out)


def _shifted_parts(L: str, parts: list, shift: int) -> tuple[WordPart, ...]:
    """The parts of a word without a continuation inside it: its raw text is its logical text
    `shift` characters further on, so one slice serves as a part's `raw` and its `text`."""
    new = object.__new__
    set_kind, set_raw, set_text, set_parts, set_span = _PART_SET
    out = []
    for p in parts:
        kind, a, b = p[0], p[1], p[2]
        raw = L[a:b]
        node = new(WordPart)
        set_kind(node, kind)
        set_raw(node, raw)
        set_text(node, raw)
        set_parts(node, _shifted_parts(L, p[3], shift) if kind == DQ else ())
        set_span(node, (a + shift, b + shift))
        out.append(node)
    return tuple(out)


def _last_token(tree) -> int:
    node = tree
    while type(node) is not int:
        node = node.children[-1]
    return node
