"""The lossless Dockerfile CST.

Nodes are frozen, slotted dataclasses compared by identity (use `deep_equals` for structure),
edited with `with_changes` or a `Transformer`, and printed with `.code`. Every byte of the input
lives in exactly one leaf field, so `parse_dockerfile(s).code == s` and an edit moves only the
bytes it replaces. An instruction owns the comment and blank lines above it, its own line
continuations (with the comment lines BuildKit allows inside them), its line ending and its
heredoc bodies: moving or deleting it carries all of that along.

The semantic view (keyword, flags, value, heredocs...) is computed from an instruction's own
text by `refactor.buildkit`, so it is always that of the text that will be printed.
"""
from __future__ import annotations

import dataclasses
import itertools
from dataclasses import dataclass, field
from typing import Any, ClassVar, Iterator, TypeVar

from refactor.syntax import buildkit
from refactor.syntax import heredocs
from refactor.syntax.makers import node_maker, slot_setters  # noqa: F401 (the parsers import them from here)

N = TypeVar("N", bound="Node")


# The fields `deep_equals` compares, per node class (dataclasses.fields is slow to ask each time).
_COMPARED: dict[type, tuple[str, ...]] = {}


class RemoveFromParent:
    """Return this from a `leave_*` method to delete the node from its parent's tuple."""


REMOVE = RemoveFromParent()


@dataclass(frozen=True, slots=True, eq=False)
class Node:
    """A node of the tree: prints itself with `.code`."""
    _CHILDREN: ClassVar[tuple[str, ...]] = ()

    @property
    def code(self) -> str:
        out: list[str] = []
        self._codegen(out)
        return "".join(out)

    def _codegen(self, out: list[str]) -> None:
        raise NotImplementedError

    def with_changes(self: N, **changes: Any) -> N:
        return dataclasses.replace(self, **changes)

    def children(self) -> Iterator[Node]:
        for name in self._CHILDREN:
            value = getattr(self, name)
            if isinstance(value, tuple):
                yield from value
            elif value is not None:
                yield value

    def deep_equals(self, other: object) -> bool:
        cls = type(self)
        if cls is not type(other):
            return False
        names = _COMPARED.get(cls)
        if names is None:
            names = _COMPARED[cls] = tuple(f.name for f in dataclasses.fields(self) if f.compare)
        for name in names:
            a, b = getattr(self, name), getattr(other, name)
            if a is b:  # one object (a node shared by both trees, an interned string)
                continue
            if isinstance(a, Node):
                if not a.deep_equals(b):
                    return False
            elif isinstance(a, tuple) and a and isinstance(a[0], Node):
                if len(a) != len(b):
                    return False
                for x, y in zip(a, b):
                    if x is not y and not x.deep_equals(y):
                        return False
            elif a != b:
                return False
        return True

    def visit(self, visitor: Visitor) -> Any:
        """Walk the tree depth-first: `visit_<Class>(node)` may return False to skip the
        children; `leave_<Class>(original, updated)` may return a replacement or REMOVE."""
        name = type(self).__name__
        enter = getattr(visitor, "visit_" + name, None)
        updated: Node = self
        if enter is None or enter(self) is not False:
            changes: dict[str, Any] = {}
            for fname in self._CHILDREN:
                value = getattr(self, fname)
                if isinstance(value, tuple):
                    new_items: list[Node] = []
                    changed = False
                    for child in value:
                        result = child.visit(visitor)
                        if result is not child:
                            changed = True
                        if result is REMOVE:
                            continue
                        if isinstance(result, (list, tuple)):
                            new_items.extend(result)
                        else:
                            new_items.append(result)
                    if changed:
                        changes[fname] = tuple(new_items)
                elif isinstance(value, Node):
                    result = value.visit(visitor)
                    if result is not value:
                        changes[fname] = None if result is REMOVE else result
            if changes:
                updated = self.with_changes(**changes)
        leave = getattr(visitor, "leave_" + name, None)
        if leave is not None:
            return leave(self, updated)
        return updated


class Visitor:
    """Base for visitors and transformers; define `visit_<Class>` / `leave_<Class>`."""


# --- line-level trivia ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, eq=False)
class _Line(Node):
    """A whole line outside an instruction's text: `text` without its ending, then `newline`."""

    text: str
    newline: str = "\n"

    def _codegen(self, out: list[str]) -> None:
        out.append(self.text)
        out.append(self.newline)

    def deep_equals(self, other: object) -> bool:
        # Node.deep_equals, written out for the leaves: the engine's read-back compares every
        # line and piece of an output
        return type(other) is type(self) and other.text == self.text and other.newline == self.newline


@dataclass(frozen=True, slots=True, eq=False)
class Comment(_Line):
    """A comment line (leading blanks included in `text`)."""

    @property
    def body(self) -> str:
        """The comment's words, as BuildKit records them (after `#`, trimmed)."""
        return buildkit.go_trim_space(buildkit.go_trim_left_space(self.text)[1:])


@dataclass(frozen=True, slots=True, eq=False)
class BlankLine(_Line):
    """An empty or all-blank line."""
    text: str = ""  # blanks on the line, if any


Trivia = Comment | BlankLine


@dataclass(frozen=True, slots=True, eq=False)
class Directive(_Line):
    """A parser directive in the run of `# key=value` lines at the top of the file."""

    @property
    def key(self) -> str:
        parsed = buildkit.parse_directive(buildkit.go_trim_left_space(self.text))
        return parsed[0] if parsed else ""

    @property
    def value(self) -> str:
        parsed = buildkit.parse_directive(buildkit.go_trim_left_space(self.text))
        return parsed[1] if parsed else ""


# --- inside an instruction ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True, eq=False)
class Piece(Node):
    """A run of instruction text on one physical line. `kind` says what BuildKit reads it as:
    KEYWORD, WS (separating blanks), FLAG (a `--flag=value` word) or ARG (argument text, blanks
    inside it included). A word broken by a line continuation is two pieces of the same kind."""

    kind: str
    text: str

    def _codegen(self, out: list[str]) -> None:
        out.append(self.text)

    def deep_equals(self, other: object) -> bool:
        return type(other) is Piece and other.text == self.text and other.kind == self.kind


@dataclass(frozen=True, slots=True, eq=False)
class Continuation(Node):
    """`marker` is the escape character and any blanks after it; `newline` ends the line; `lines`
    are the comment and blank lines BuildKit skips before the instruction goes on."""

    marker: str
    newline: str
    lines: tuple[Trivia, ...] = ()
    _CHILDREN: ClassVar[tuple[str, ...]] = ("lines",)

    def _codegen(self, out: list[str]) -> None:
        out.append(self.marker)
        out.append(self.newline)
        for line in self.lines:
            line._codegen(out)


@dataclass(frozen=True, slots=True, eq=False)
class HeredocBody(Node):
    """The body lines of one heredoc (each with its line ending) and its terminator line."""

    lines: tuple[str, ...]
    terminator: str
    newline: str = "\n"

    def _codegen(self, out: list[str]) -> None:
        out.extend(self.lines)
        out.append(self.terminator)
        out.append(self.newline)

    @property
    def content(self) -> str:
        return "".join(self.lines)


@dataclass(frozen=True, slots=True)
class Heredoc:
    """A heredoc as BuildKit sees it: the marker's name and options, and the raw body."""

    name: str
    content: str
    chomp: bool
    expand: bool
    fd: int


@dataclass(frozen=True, slots=True)
class Position:
    """Where the parser found a node."""
    line: int  # 1-based
    column: int  # 1-based


@dataclass(frozen=True, slots=True, eq=False)
class Instruction(Node):
    """One instruction, with the trivia before it and its heredoc bodies."""
    leading: tuple[Trivia, ...]
    indent: str
    pieces: tuple[Piece | Continuation, ...]
    newline: str
    heredocs: tuple[HeredocBody, ...] = ()
    escape: str = "\\"
    # Where the parser found it; None for instructions a codemod created.
    start: Position | None = field(default=None, compare=False)
    end_line: int = field(default=0, compare=False)
    # Derived values, computed once per node (nodes are immutable; `with_changes` starts afresh).
    _memo: dict = field(default_factory=dict, init=False, compare=False, repr=False)
    # Upper-case instruction name (`RUN`): a slot, not a property, as every codemod asks it of
    # every instruction (a property call costs many times a slot read). The parser sets it,
    # __post_init__ (__init__, with_changes) computes it.
    cmd: str = field(init=False, compare=False, repr=False)
    _CHILDREN: ClassVar[tuple[str, ...]] = ("leading", "pieces", "heredocs")

    def __post_init__(self) -> None:
        object.__setattr__(self, "cmd", self.split.cmd.upper())

    def deep_equals(self, other: object) -> bool:
        # Node.deep_equals for the compared fields, written out (see _Line.deep_equals)
        if type(other) is not Instruction:
            return False
        if other.indent != self.indent or other.newline != self.newline or other.escape != self.escape:
            return False
        return (_same_nodes(self.pieces, other.pieces) and _same_nodes(self.leading, other.leading)
                and _same_nodes(self.heredocs, other.heredocs))

    def _codegen(self, out: list[str]) -> None:
        for t in self.leading:
            t._codegen(out)
        out.append(self.indent)
        for p in self.pieces:
            if type(p) is Piece:  # most pieces: their text, without a method call each
                out.append(p.text)
            else:
                p._codegen(out)
        out.append(self.newline)
        for h in self.heredocs:
            h._codegen(out)

    @property
    def code_without_leading(self) -> str:
        out: list[str] = [self.indent]
        for p in self.pieces:
            if type(p) is Piece:
                out.append(p.text)
            else:
                p._codegen(out)
        out.append(self.newline)
        for h in self.heredocs:
            h._codegen(out)
        return "".join(out)

    # --- the semantic view ------------------------------------------------------------------

    @property
    def logical(self) -> str:
        """The instruction's line as BuildKit assembles it: continuations and the comment lines
        inside them removed, the first line's indentation dropped."""
        try:  # asked hundreds of thousands of times in a big file: one lookup when known
            return self._memo["logical"]
        except KeyError:
            pass
        text = self._memo["logical"] = "".join([p.text for p in self.pieces if type(p) is Piece])
        return text

    @property
    def split(self) -> buildkit.Split:
        try:
            return self._memo["split"]
        except KeyError:
            pass
        split = self._memo["split"] = buildkit.split_command(self.logical)
        return split

    # The views below read the memo first: the split is always there (the parser's or
    # __post_init__'s), the parse mostly, and a second property call costs more than the lookup.

    @property
    def keyword(self) -> str:
        """As written (`run`, `Run`, `RUN`)."""
        try:
            return self._memo["split"].cmd
        except KeyError:
            return self.split.cmd

    @property
    def flags(self) -> tuple[str, ...]:
        try:
            return self._memo["split"].flags
        except KeyError:
            return self.split.flags

    @property
    def args(self) -> str:
        """The argument text after the flags, trimmed, as the line parsers receive it."""
        try:
            return self._memo["split"].args
        except KeyError:
            return self.split.args

    @property
    def parsed(self) -> buildkit.Parsed:
        try:
            return self._memo["parsed"]
        except KeyError:
            pass
        s = self.split
        parsed = self._memo["parsed"] = buildkit.parse_arguments(s.cmd, s.args, self.escape)
        return parsed

    @property
    def value(self) -> tuple[str, ...]:
        try:
            return self._memo["parsed"].value
        except KeyError:
            return self.parsed.value

    @property
    def is_json(self) -> bool:
        try:
            return self._memo["parsed"].json
        except KeyError:
            return self.parsed.json

    @property
    def form(self) -> str:
        """`exec` for the JSON-array form, else `shell`."""
        return "exec" if self.parsed.json else "shell"

    @property
    def sub_instruction(self) -> str | None:
        """For ONBUILD, the wrapped instruction's keyword."""
        return self.parsed.sub_cmd

    @property
    def heredoc_markers(self) -> tuple[heredocs.HeredocMarker, ...]:
        if "<<" not in self.logical:  # no marker (heredoc_markers would say so), no JSON to try
            return ()
        s = self.split
        if not heredocs.can_contain_heredoc(s, self.escape):
            return ()
        return heredocs.heredoc_markers(self.logical)

    @property
    def heredoc_info(self) -> tuple[Heredoc, ...]:
        return tuple(
            Heredoc(m.name, b.content, m.chomp, m.expand, m.fd)
            for m, b in zip(self.heredoc_markers, self.heredocs)
        )

    @property
    def comments(self) -> tuple[str, ...]:
        """The comment lines directly attached above, as BuildKit records them (an empty `#`
        line starts the list afresh)."""
        out: list[str] = []
        for t in self.leading:
            if isinstance(t, Comment):
                body = t.body
                if body == "":
                    out = []
                else:
                    out.append(body)
        return tuple(out)

    def flag_value(self, name: str) -> str | None:
        """`flag_value("from")` → the value of `--from=...`, None when absent."""
        prefix = "--" + name
        for f in self.flags:
            if f == prefix:
                return ""
            if f.startswith(prefix + "="):
                return f[len(prefix) + 1 :]
        return None

    def physical_lines(self) -> int:
        return self.code_without_leading.count("\n")


@dataclass(frozen=True, slots=True)
class Stage:
    """A build stage: the FROM instruction and those up to the next FROM."""

    index: int
    from_instruction: Instruction
    instructions: tuple[Instruction, ...]  # FROM included

    @property
    def base_image(self) -> str:
        v = self.from_instruction.value
        return v[0] if v else ""

    @property
    def name(self) -> str | None:
        v = self.from_instruction.value
        if len(v) >= 3 and v[1].lower() == "as":
            return v[2]
        return None

    @property
    def platform(self) -> str | None:
        return self.from_instruction.flag_value("platform")


@dataclass(frozen=True, slots=True, eq=False)
class Dockerfile(Node):
    """A whole file: parser directives, instructions and trailing trivia."""
    bom: str
    directives: tuple[Directive, ...]
    instructions: tuple[Instruction, ...]
    trailing: tuple[Trivia, ...] = ()
    _memo: dict = field(default_factory=dict, init=False, compare=False, repr=False)
    _CHILDREN: ClassVar[tuple[str, ...]] = ("directives", "instructions", "trailing")

    @property
    def code(self) -> str:
        memo = self._memo
        if "code" not in memo:  # the whole file's text: asked by codemods and the engine of one tree
            out: list[str] = []
            self._codegen(out)
            memo["code"] = "".join(out)
        return memo["code"]

    def _codegen(self, out: list[str]) -> None:
        out.append(self.bom)
        for d in self.directives:
            d._codegen(out)
        for i in self.instructions:
            i._codegen(out)
        for t in self.trailing:
            t._codegen(out)

    @property
    def escape(self) -> str:
        for d in self.directives:
            if d.key == "escape":
                return d.value
        return "\\"

    @property
    def newline(self) -> str:
        """The file's line ending: that of its first line. A lone "\r" (only ever at the end of
        the file) is none: BuildKit splits lines at "\n" and drops a final "\r"."""
        for node in itertools.chain(self.directives, self.instructions):  # no copy of the whole tree
            nl = node.newline if isinstance(node, Directive) else _first_newline(node)
            if nl and nl != "\r":
                return nl
        return "\n"

    @property
    def stages(self) -> tuple[Stage, ...]:
        memo = self._memo
        if "stages" not in memo:
            memo["stages"] = self._find_stages()
        return memo["stages"]

    def _find_stages(self) -> tuple[Stage, ...]:
        stages: list[Stage] = []
        current: list[Instruction] = []
        for inst in self.instructions:
            if inst.cmd == "FROM":
                if current and current[0].cmd == "FROM":
                    stages.append(Stage(len(stages), current[0], tuple(current)))
                current = [inst]
            elif current:
                current.append(inst)
        if current and current[0].cmd == "FROM":
            stages.append(Stage(len(stages), current[0], tuple(current)))
        return tuple(stages)

    def line_spans(self) -> Iterator[tuple[Instruction, int, int]]:
        """(instruction, first line, last line) as BuildKit numbers them, for the tree as it is
        now (edited trees included)."""
        line = 1 + sum(d.newline.count("\n") for d in self.directives)  # a line's text holds no "\n"
        for inst in self.instructions:
            line += sum(t.newline.count("\n") for t in inst.leading)
            memo = inst._memo
            counted = memo.get("line_count")
            if counted is None:  # kept on the node: edited trees share most of theirs
                body = inst.code_without_leading
                counted = memo["line_count"] = (body.count("\n"), body.endswith("\n"))
            n, ends = counted
            yield inst, line, line + n - ends
            line += n


def _same_nodes(a: tuple, b: tuple) -> bool:
    if len(a) != len(b):
        return False
    for x, y in zip(a, b):  # a loop, not all(genexpr): the engine compares every output node
        if x is not y and not x.deep_equals(y):
            return False
    return True


def _first_newline(inst: Instruction) -> str:
    for t in inst.leading:
        if t.newline:
            return t.newline
    for p in inst.pieces:
        if isinstance(p, Continuation):
            return p.newline
    return inst.newline
