"""`ShellScript`: a whole RUN body as units joined by operators, with the query API (commands,
words) and the edit API the codemods use (insert a word after another, remove, append a
command to a chain keeping the body's layout), each edit re-parsed so spans stay exact; the
`*_edit` forms return the edit instead, so that a set of them costs one parse (`apply_edits`)."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterator, Optional

from refactor.shell.commands import (
    Compound,
    Item,
    Opaque,
    Operator,
    Redirect,
    SimpleCommand,
    Unit,
)
from refactor.shell.continuations import continuation_re
from refactor.shell.words import Node, Span
from refactor.syntax.lazy_re import lazy

Edit = tuple[int, int, str]  # (start, end, text): code[start:end] becomes text


@dataclass(frozen=True, slots=True)
class ShellScript(Node):
    """A parsed RUN body: units joined by operators, then trailing trivia.

    `script.code == text` for the text it was parsed from, always."""

    items: tuple[Item, ...]
    trailing: str = ""
    escape: str = "\\"
    # Answers derived from the script alone, kept with it (parses are cached per text, so one
    # RUN text repeated across a file is analysed once).
    _memo: dict = field(default_factory=dict, init=False, compare=False, repr=False, hash=False)

    @property
    def leading(self) -> str:
        return self.items[0].leading if self.items else ""

    @property
    def code(self) -> str:
        memo = self._memo
        if "code" not in memo:  # asked again and again of one (cached) parse
            memo["code"] = "".join(i.code for i in self.items) + self.trailing
        return memo["code"]

    def reparse(self) -> "ShellScript":
        """Parse `self.code` again (fresh spans after hand edits with `with_changes`)."""
        from refactor.shell.parse import parse_shell

        return parse_shell(self.code, self.escape)

    # --- queries -------------------------------------------------------------------------
    def units(self) -> tuple[Unit, ...]:
        """Commands and opaque nodes, in order."""
        memo = self._memo
        if "units" not in memo:
            memo["units"] = tuple(i for i in self.items if type(i) is not Operator)
        return memo["units"]

    def commands(self) -> tuple[SimpleCommand, ...]:
        """The simple commands at the top level (not those inside `$(...)` or opaque text)."""
        memo = self._memo
        if "commands" not in memo:
            memo["commands"] = tuple(i for i in self.items if type(i) is SimpleCommand)
        return memo["commands"]

    def walk_units(self) -> Iterator[Unit]:
        """Every unit at every depth, in order: the top-level ones, and inside each compound
        command (`if`, loops, `case`, groups, subshells, functions) the units of its bodies
        (not the commands inside `$(…)`, which run in a substitution)."""
        for it in self.items:
            if type(it) is Operator:
                continue
            yield it
            if type(it) is Compound:
                for body in it.bodies:
                    yield from body.walk_units()

    def all_commands(self) -> tuple[SimpleCommand, ...]:
        """The simple commands at every depth (see `walk_units`)."""
        memo = self._memo
        if "all_commands" not in memo:
            memo["all_commands"] = tuple(u for u in self.walk_units() if type(u) is SimpleCommand)
        return memo["all_commands"]

    def unmodelled(self) -> tuple[Opaque, ...]:
        """The opaque units at every depth that are not compound commands cut into bodies:
        here-documents, `[[ ]]`, `(( ))`, unterminated or unparsable text."""
        return tuple(u for u in self.walk_units() if isinstance(u, Opaque) and type(u) is not Compound)

    def compounds_around(self, node: Node) -> tuple[Compound, ...]:
        """The compound commands that contain `node` (outermost first): empty at the top level.
        A command inside one runs only on some paths (a branch, a loop that may not iterate)."""
        span = getattr(node, "span", None)
        if span is None:
            return ()
        out: list[Compound] = []
        items = self.items
        while True:
            inner = next((u for u in items if type(u) is Compound and u.span[0] <= span[0] and span[1] <= u.span[1]
                          and u is not node), None)
            if inner is None:
                return tuple(out)
            out.append(inner)
            body = next((b for b in inner.bodies if any(
                getattr(x, "span", (0, 0))[0] <= span[0] and span[1] <= getattr(x, "span", (0, 0))[1] for x in b.items)), None)
            if body is None:
                return tuple(out)
            items = body.items

    def bodies_around(self, node: Node) -> tuple["ShellScript", ...]:
        """The bodies of compound commands that contain `node`, outermost first (the `then`
        list of an `if`, a loop's `do` list, a `case` item…): `node` runs when the innermost
        one runs. Empty at the top level."""
        span = getattr(node, "span", None)
        out: list[ShellScript] = []
        script: ShellScript = self
        while span is not None:
            inner = next((u for u in script.items if type(u) is Compound and u is not node
                          and u.span[0] <= span[0] and span[1] <= u.span[1]), None)
            if inner is None:
                break
            body = next((b for b in inner.bodies if b.items and b.items[0].span[0] <= span[0]
                         and span[1] <= b.items[-1].span[1]), None)
            if body is None:
                break
            out.append(body)
            script = body
        return tuple(out)

    def commands_named(self, name: str) -> tuple[SimpleCommand, ...]:
        return tuple(c for c in self.commands() if c.name == name)

    def opaque(self) -> tuple[Opaque, ...]:
        return tuple(i for i in self.items if isinstance(i, Opaque))

    @property
    def has_opaque(self) -> bool:
        """True when part of the script is not modelled: codemods may want to decline."""
        return any(isinstance(i, Opaque) for i in self.items)

    @property
    def operators(self) -> tuple[Operator, ...]:
        return tuple(i for i in self.items if type(i) is Operator)

    def _index(self, node: Node) -> int:
        for k, it in enumerate(self.items):
            if it is node:
                return k
        for k, it in enumerate(self.items):
            if it == node and it.span == getattr(node, "span", None):
                return k
        raise ValueError("node is not an item of this script")

    def operator_before(self, unit: Unit) -> Optional[Operator]:
        """The operator joining `unit` to the unit before it (None for the first)."""
        k = self._index(unit)
        prev = self.items[k - 1] if k > 0 else None
        return prev if type(prev) is Operator else None

    def operator_after(self, unit: Unit) -> Optional[Operator]:
        """The operator right after `unit` (None at the end): `&&`, `|`, `;`, ..."""
        k = self._index(unit)
        nxt = self.items[k + 1] if k + 1 < len(self.items) else None
        return nxt if type(nxt) is Operator else None

    def pipeline_of(self, unit: Unit) -> tuple[Unit, ...]:
        """The units joined to `unit` by `|` or `|&` (itself included), in order."""
        k = self._index(unit)
        items = self.items
        lo = k
        while lo >= 2 and type(items[lo - 1]) is Operator and items[lo - 1].is_pipe:
            lo -= 2
        hi = k
        while hi + 2 < len(items) and type(items[hi + 1]) is Operator and items[hi + 1].is_pipe:
            hi += 2
        return tuple(it for it in items[lo : hi + 1] if type(it) is not Operator)

    def command_at(self, offset: int) -> Optional[Unit]:
        """The unit whose span contains `offset`."""
        for u in self.units():
            if u.span[0] <= offset < u.span[1]:
                return u
        return None

    def leaves(self) -> list[Node]:
        """Every token in order: Words, Assignments, Leafs, Operators and Opaques."""
        out: list[Node] = []
        for it in self.items:
            if type(it) is SimpleCommand:
                if it.bang is not None:
                    out.append(it.bang)
                for e in it.elements:
                    if type(e) is Redirect:
                        if e.fd is not None:
                            out.append(e.fd)
                        out.append(e.op)
                        out.append(e.target)
                    else:
                        out.append(e)
            else:
                out.append(it)
        return out

    # --- edits: each returns a new ShellScript; untouched bytes stay identical -------------
    def _check(self, node: Node) -> Span:
        span = getattr(node, "span", None)
        raw = getattr(node, "raw", None)
        code = self.code
        if span is None or raw is None:
            raise TypeError(f"cannot locate {type(node).__name__}")
        s, e = span
        if not (0 <= s <= e <= len(code)) or code[s:e] != raw or s == e:
            raise ValueError(
                "node does not belong to this script (stale span? call reparse() after "
                "with_changes, and take nodes from the script you edit)"
            )
        return span

    def splice(self, start: int, end: int, text: str) -> "ShellScript":
        """Replace code[start:end] with `text` and parse the result."""
        from refactor.shell.parse import parse_shell

        code = self.code
        return parse_shell(code[:start] + text + code[end:], self.escape)

    def apply_edits(self, edits: list[Edit]) -> "ShellScript":
        """Make every (start, end, text) edit, all found on this script (spans of this code),
        and parse the result once: a codemod's whole edit set costs one parse, however many
        edits it holds. Edits must not overlap; those at one offset go in list order."""
        from refactor.shell.parse import parse_shell

        if not edits:
            return self
        return parse_shell(self.edited_code(edits), self.escape)

    def edited_code(self, edits: list[Edit]) -> str:
        """The code with every edit made (as `apply_edits`, without parsing the result)."""
        code, pos, parts = self.code, 0, []
        for start, end, text in sorted(edits, key=lambda e: (e[0], e[1])):
            if start < pos:
                raise ValueError("overlapping edits")
            parts.append(code[pos:start])
            parts.append(text)
            pos = end
        parts.append(code[pos:])
        return "".join(parts)

    def replace(self, node: Node, text: str) -> "ShellScript":
        """Replace the node's text (not its leading trivia) with raw shell `text`."""
        s, e = self._check(node)
        return self.splice(s, e, text)

    def insert_after(self, node: Node, text: str) -> "ShellScript":
        """Insert raw shell `text` (one or more words) after `node`, separated by a space:
        `script.insert_after(install_word, "--no-install-recommends")`."""
        _, e = self._check(node)
        return self.splice(e, e, " " + text)

    def insert_before(self, node: Node, text: str) -> "ShellScript":
        """Insert raw shell `text` before `node`, separated by a space."""
        s, _ = self._check(node)
        return self.splice(s, s, text + " ")

    def remove(self, node: Node) -> "ShellScript":
        """Remove a word, assignment or redirection (or a unit, see `remove_command`).
        Trivia is merged so that continuations and comment lines survive where they can."""
        if type(node) in (SimpleCommand, Opaque, Compound):
            return self.remove_command(node)  # type: ignore[arg-type]
        s, e = self._check(node)
        return self._remove_run(s, e)

    def remove_command(self, unit: Unit) -> "ShellScript":
        """Remove a command (or opaque unit) together with its joining operator: the one after
        it; for the last unit, or when operators start the lines (`\\\n    && unit`), the one
        before it.  Comment lines outside the removed text are kept."""
        self._check(unit)
        k = self._index(unit)
        unit_idx = [i for i, it in enumerate(self.items) if type(it) is not Operator]
        pos = unit_idx.index(k)
        leading_layout = pos > 0 and "\n" in self.items[k - 1].leading
        if pos + 1 < len(unit_idx) and not leading_layout:
            run = self.items[k : unit_idx[pos + 1]]
        elif pos > 0:
            run = self.items[unit_idx[pos - 1] + 1 : k + 1]
        else:
            run = self.items[k:]
        return self._remove_run(run[0].span[0], run[-1].span[1])

    def _remove_run(self, start: int, end: int) -> "ShellScript":
        code = self.code
        leaves = self.leaves()
        first = next(i for i, lf in enumerate(leaves) if lf.span[0] == start)
        lead_start = start - len(leaves[first].leading)
        nxt = next((lf for lf in leaves[first:] if lf.span[0] >= end), None)
        li = code[lead_start:start]
        if nxt is None:
            merged = _merge_trivia(li, code[end:], first == 0, True)
            new = code[:lead_start] + merged
        else:
            merged = _merge_trivia(li, code[end : nxt.span[0]], first == 0, False)
            if not merged and first > 0 and _glues(code[lead_start - 1], code[nxt.span[0]]):
                merged = " "  # keep two words apart
            new = code[:lead_start] + merged + code[nxt.span[0] :]
        # Comment lines inside the removed text (in a continuation: BuildKit drops them before
        # the shell runs) stay, moved into the trivia left in its place.
        region_end = nxt.span[0] if nxt is not None else len(code)
        missing = Counter(_COMMENT_LINE.findall(code, lead_start, region_end))
        missing.subtract(_COMMENT_LINE.findall("\n" + merged))
        comments = "".join(line for line, n in missing.items() for _ in range(n) if n > 0)
        if comments:
            new = self._keep_comments(code, lead_start, merged, nxt, comments)
        from refactor.shell.parse import parse_shell

        return parse_shell(new, self.escape)

    def _keep_comments(self, code: str, lead_start: int, merged: str, nxt, comments: str) -> str:
        """The script after a removal with `comments` put back after a line continuation: of the
        trivia left, else one before it, else a new one at the start of the body."""
        tail = code[nxt.span[0] :] if nxt is not None else ""
        if "\n" in merged:
            i = merged.index("\n") + 1
            return code[:lead_start] + merged[:i] + comments + merged[i:] + tail
        if nxt is not None:
            nl = "\r\n" if "\r\n" in code else "\n"
            return code[:lead_start] + merged.rstrip(" \t") + " " + self.escape + nl + comments + " " + tail
        i = code.rfind("\n", 0, lead_start) + 1  # a continuation earlier in the body
        if i > 0:
            return code[:i] + comments + code[i:lead_start] + merged
        # none: open one at the start of the body (`RUN \`, the comments, then the commands)
        body = code[:lead_start] + merged
        k = len(body) - len(body.lstrip(" \t"))
        nl = "\r\n" if "\r\n" in code else "\n"
        return (body[:k] or " ") + self.escape + nl + comments + body[k:]

    def insert_command_after(
        self, unit: Unit, text: str, separator: str = " && "
    ) -> "ShellScript":
        """Insert command `text` after `unit`, joined by `separator`.  When the script uses
        continuations, follow its layout: `<escape><newline><indent>&& text` (or
        ` && <escape><newline><indent>text` when its operators end lines), with the script's
        own escape character and line ending."""
        return self.splice(*self.command_after_edit(unit, text, separator))

    def command_after_edit(self, unit: Unit, text: str, separator: str = " && ") -> Edit:
        """The (start, end, text) edit `insert_command_after` makes, for `apply_edits`."""
        _, e = self._check(unit)
        if type(unit) is Opaque and unit.reason == "heredoc":
            raise ValueError("cannot add a command after a here-document's terminator line")
        code = self.code
        op = separator.strip()
        if not op and "\n" in separator:  # newline-separated (a here-document script)
            nl = "\r\n" if "\r\n" in code else "\n"
            line_start = code.rfind("\n", 0, e) + 1
            indent = re.match(r"[ \t]*", code[line_start:]).group()
            return (e, e, nl + indent + text)
        conts = list(continuation_re(self.escape).finditer(code))
        if not op or not conts or "\n" in separator:
            return (e, e, separator + text)
        layout = self._join_layout(e)
        if layout is None:
            style, indent = "leading", self._continuation_indent(e, conts)
        else:
            style, indent = layout
        sample = max((m for m in conts if m.start() < e), key=lambda m: m.start(), default=conts[0])
        k = sample.start()
        while k > 0 and code[k - 1] in " \t":
            k -= 1
        pre_ws = code[k : sample.start()]  # the blanks the script puts before its escapes
        nl = "\r\n" if sample.group().endswith("\r\n") else "\n"
        esc = self.escape
        if not pre_ws and code[:e].endswith(esc):
            pre_ws = " "  # `a \\` + `\` would be an escaped escape, not a continuation
        if style == "trailing":
            ins = " " + op + pre_ws + esc + nl + indent + text
        else:
            ins = pre_ws + esc + nl + indent + op + " " + text
        return (e, e, ins)

    def insert_command_before(
        self, unit: Unit, text: str, separator: str = " && "
    ) -> "ShellScript":
        """Insert command `text` before `unit`, on the same line: `text && unit`."""
        return self.splice(*self.command_before_edit(unit, text, separator))

    def command_before_edit(self, unit: Unit, text: str, separator: str = " && ") -> Edit:
        """The (start, end, text) edit `insert_command_before` makes, for `apply_edits`."""
        s, _ = self._check(unit)
        if type(unit) is Opaque and unit.reason == "heredoc" and unit.raw.startswith("<<"):
            raise ValueError("cannot add a command before a RUN here-document")
        return (s, s, text + separator)

    def append_command(self, text: str, separator: str = " && ") -> "ShellScript":
        """Add command `text` after the last unit (before any trailing `;`, comment or
        newline), following the script's continuation layout (see insert_command_after)."""
        return self.splice(*self.append_edit(text, separator))

    def append_edit(self, text: str, separator: str = " && ") -> Edit:
        """The (start, end, text) edit `append_command` makes, for `apply_edits`."""
        units = self.units()
        if not units:
            return self._into_empty(text)
        return self.command_after_edit(units[-1], text, separator)

    def prepend_command(self, text: str, separator: str = " && ") -> "ShellScript":
        """Add command `text` before the first unit: `apt-get update && ...`."""
        return self.splice(*self.prepend_edit(text, separator))

    def prepend_edit(self, text: str, separator: str = " && ") -> Edit:
        """The (start, end, text) edit `prepend_command` makes, for `apply_edits`."""
        units = self.units()
        if not units:
            return self._into_empty(text)
        return self.command_before_edit(units[0], text, separator)

    def _into_empty(self, text: str) -> Edit:
        code = self.code
        k = len(code) - len(code.lstrip(" \t"))
        rest = code[k:]
        glue = " " if rest and not rest[0].isspace() else ""
        return (k, k, text + glue)

    def _join_layout(self, offset: int) -> Optional[tuple[str, str]]:
        """How the script lays out multi-line joins, near `offset`: ('leading', indent) when the
        operator starts the next line (`\\\n    && b`), ('trailing', indent) when it ends the line
        (`a && \\\n    b`); the last such join before `offset`, else the first one after it."""
        items = self.items
        found: Optional[tuple[str, str]] = None
        for k in range(1, len(items) - 1):
            op, before, after = items[k], items[k - 1], items[k + 1]
            if type(op) is not Operator or Operator in (type(before), type(after)):
                continue
            if "\n" in op.leading:
                layout = ("leading", _last_line_indent(op.leading))
            elif "\n" in after.leading:
                layout = ("trailing", _last_line_indent(after.leading))
            else:
                continue
            if op.span[0] >= offset and found is not None:
                break
            found = layout
            if op.span[0] >= offset:
                break
        return found

    def _continuation_indent(self, offset: int, conts: list) -> str:
        """Indentation of the last continuation line starting before `offset` (else of the
        first continuation line)."""
        from refactor.shell.continuations import _DROPPED_LINES

        code = self.code
        best = None
        for m in conts:
            line_start = _DROPPED_LINES.match(code, m.end()).end()
            if best is None or line_start <= offset:
                best = line_start
            if line_start > offset:
                break
        if best is None:
            return ""
        return re.match(r"[ \t]*", code[best:]).group()


def _last_line_indent(trivia: str) -> str:
    return re.match(r"[ \t]*", trivia[trivia.rindex("\n") + 1 :]).group()


_COMMENT_LINE = lazy(r"(?<=\n)[ \t]*#[^\n]*\n")  # a whole comment line after a continuation


def _merge_trivia(li: str, ln: str, at_start: bool, at_end: bool) -> str:
    """Trivia left when the tokens between `li` (their leading trivia) and `ln` (the next
    token's leading trivia, or the script's trailing text) are removed."""
    if at_end:
        return ln  # never leave a dangling continuation at the end of the body
    if at_start:
        return li + (ln if "#" in ln else "")
    if "\n" not in li:
        merged = ln
    elif "\n" not in ln:
        merged = li
    else:
        merged = li[: li.rindex("\n") + 1] + ln[ln.index("\n") + 1 :]
    return merged


def _glues(before: str, after: str) -> bool:
    """Would these two characters, once adjacent, join two tokens into one?"""
    return not (before.isspace() or after.isspace() or before in ";&|<>()" or after in ";&|<>()")
