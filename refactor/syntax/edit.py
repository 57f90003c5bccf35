"""Editing instructions without moving a byte the edit does not own.

Codemods build new instruction text and let the parser make the node (`reparse_instruction`),
so a new node is always one BuildKit reads as intended; instructions they do not touch keep
their identity, which is how the engine proves that nothing else moved.
"""
from __future__ import annotations

from functools import lru_cache

from refactor.syntax.errors import ParseError
from refactor.syntax.nodes import Continuation, Dockerfile, Instruction, Piece, Trivia


class EditError(Exception):
    """A codemod built text that is not exactly one instruction."""


class CannotPlace(EditError):
    """The input's own shape leaves no place for the edit: not a codemod bug, the engine drops
    that change with this reason."""


class LineTooLong(CannotPlace):
    """The edit would make a line longer than BuildKit reads (65,535 bytes)."""


class OpenAtEndOfFile(CannotPlace):
    """The file ends inside an instruction's continuation, after comment or blank lines: no line
    can follow that instruction without joining it."""


def reparse_instruction(text: str, escape: str = "\\", leading: tuple[Trivia, ...] = ()) -> Instruction:
    """Parse `text` (one instruction, its line ending and heredoc bodies) into a node."""
    from refactor.syntax.lexer import MAX_LINE_BYTES, line_too_long

    if len(text) > MAX_LINE_BYTES // 4 and any(line_too_long(ln) for ln in text.split("\n")):
        raise LineTooLong(f"the edit would make a line longer than BuildKit's limit of {MAX_LINE_BYTES:,} bytes")
    prefix = "# escape=`\n" if escape == "`" else ""
    if not prefix and text.startswith("\ufeff"):
        # a BOM is only a BOM at the start of the file; inside it, it is the keyword's first
        # character: read the text where it stands, after the start
        prefix = "# escape=\\\n"
    inst, problem = (_read_one if len(text) <= 4096 else _read_one.__wrapped__)(prefix + text)
    if problem is not None:
        raise EditError(f"edited {problem}: {text!r}")
    if inst.code != text:
        raise EditError(f"edited instruction does not round-trip: {text!r}")
    # a new node each time (the engine tells instructions apart by identity); its parts are
    # immutable and may be shared
    return inst.with_changes(leading=leading, start=None)


@lru_cache(maxsize=512)
def _read_one(source: str) -> tuple[Instruction | None, str | None]:
    """The one instruction `source` holds, or what is wrong with it. Kept: a codemod fixing
    every stage of a file of thousands makes the same instruction text thousands of times."""
    from refactor.syntax.parser import reparse_generated

    try:
        df = reparse_generated(source)
    except ParseError as e:
        return None, f"instruction does not parse: {e.message}"
    if len(df.instructions) != 1 or df.trailing or df.instructions[0].leading:
        return None, "text is not exactly one instruction"
    return df.instructions[0], None


def _keep_position(new: Instruction, old: Instruction) -> Instruction:
    # Edits are reported at the line of the instruction they started from.
    return new.with_changes(start=old.start, end_line=old.end_line)


def _body_index(inst: Instruction) -> int:
    for i, p in enumerate(inst.pieces):
        if isinstance(p, Piece) and p.kind == "ARG":
            return i
    return len(inst.pieces)


def prefix_text(inst: Instruction) -> str:
    """The indentation, keyword, flags and blanks before the arguments."""
    return inst.indent + "".join(p.code for p in inst.pieces[: _body_index(inst)])


def lines_inside_body(inst: Instruction) -> bool:
    """Whether comment or blank lines sit inside the arguments' continuations: `with_body`
    writes the arguments anew and would drop them (those before the arguments it keeps)."""
    return any(type(p) is Continuation and p.lines for p in inst.pieces[_body_index(inst):])


def body_text(inst: Instruction) -> str:
    """The arguments as written: from the first argument character to the end of the
    instruction's text (continuations and the comment lines inside them included, the final
    line ending and heredoc bodies not)."""
    memo = inst._memo  # asked by every codemod that parses a RUN, of the same (immutable) node
    text = memo.get("body_text")
    if text is None:
        text = memo["body_text"] = "".join(p.code for p in inst.pieces[_body_index(inst) :])
    return text


def with_body(inst: Instruction, body: str) -> Instruction:
    """The instruction with its argument text replaced by `body` (same keyword and flags)."""
    prefix = prefix_text(inst)
    if prefix and not prefix[-1].isspace() and not prefix.endswith(("\n",)) and body and not body[0].isspace():
        prefix += " "
    heredocs = "".join(h.code for h in inst.heredocs)
    new = reparse_instruction(prefix + body + inst.newline + heredocs, inst.escape, inst.leading)
    return _keep_position(new, inst)


def with_flag(inst: Instruction, flag: str) -> Instruction:
    """Add a builder flag (`--chown=app:app`) after the existing flags."""
    pieces = inst.pieces
    last = -1
    for i, p in enumerate(pieces):
        if isinstance(p, Piece) and p.kind in ("KEYWORD", "FLAG"):
            last = i
        elif isinstance(p, Piece) and p.kind == "ARG":
            break
    head = inst.indent + "".join(p.code for p in pieces[: last + 1])
    tail = "".join(p.code for p in pieces[last + 1 :])
    heredocs = "".join(h.code for h in inst.heredocs)
    new = reparse_instruction(head + " " + flag + tail + inst.newline + heredocs, inst.escape, inst.leading)
    return _keep_position(new, inst)


def new_instruction(text: str, like: Instruction | Dockerfile, *, leading: tuple[Trivia, ...] = ()) -> Instruction:
    """A new instruction in the style of `like`: its line ending and escape character.
    `text` is written with `\\n` line breaks and `\\` continuations."""
    if isinstance(like, Dockerfile):
        nl, escape = like.newline, like.escape
    else:
        nl, escape = line_ending(like), like.escape
    if escape != "\\":
        text = text.replace("\\\n", escape + "\n")
    text = text.replace("\n", nl)
    if not text.endswith(nl):
        text += nl
    return reparse_instruction(text, escape, leading)


def line_ending(inst: Instruction, default: str = "\n") -> str:
    """The instruction's line ending; `default` (the file's, say) when it has none of its own
    (a single line ending the file)."""
    if inst.newline:
        return inst.newline
    for p in inst.pieces:
        if isinstance(p, Continuation) and p.newline:
            return p.newline
    return default


def ends_open(inst: Instruction) -> bool:
    """Whether a line written after `inst` would not start an instruction of its own: `inst`
    ends the file without a line break (a lone "\r" is none: BuildKit splits lines at "\n"), or
    its last line is a continuation with nothing after it."""
    end = inst.heredocs[-1].newline if inst.heredocs else inst.newline
    return end in ("", "\r")


def with_line_ending(inst: Instruction, nl: str) -> Instruction:
    """`inst`, which ended the file open (`ends_open`), closed with `nl` so that a line can follow
    it: a here-document's terminator line gets it; an escape character left dangling at the end
    of the file (BuildKit ignores it) is dropped first, or the line break would make it a
    continuation that joins the next line to this instruction. A lone "\r" ending the file (no
    line break to BuildKit, which drops it) gives way to `nl`."""
    from refactor.syntax.lexer import MAX_LINE_BYTES, line_too_long

    code = inst.code_without_leading
    if "\r" in nl and line_too_long(code[code.rfind("\n") + 1 :].removesuffix("\r") + "\r"):
        # the "\r" counts: a last line at the limit would go over it
        raise LineTooLong(f"the edit would make a line longer than BuildKit's limit of {MAX_LINE_BYTES:,} bytes")
    if inst.heredocs:
        return inst.with_changes(heredocs=inst.heredocs[:-1] + (inst.heredocs[-1].with_changes(newline=nl),))
    last = inst.pieces[-1] if inst.pieces else None
    if type(last) is Continuation and not inst.newline and not last.lines:
        head = inst.with_changes(pieces=inst.pieces[:-1], newline="").code_without_leading
        if not head.strip():
            # `  \` alone on the last line: without the escape it is a blank line, no instruction
            raise OpenAtEndOfFile("the file ends with an escape character alone on its last line: "
                                  "nothing can be written after it")
        new = reparse_instruction(head + last.marker[len(inst.escape):] + (last.newline or nl), inst.escape, inst.leading)
        if ends_open(new):
            # `RUN a \` + `  \` at the end: the line before the dangling escape is one of blanks,
            # which the continuation above it skips, so the instruction still runs to the end
            raise OpenAtEndOfFile("the file ends inside this instruction's continuation, after a line of blanks: "
                                  "nothing can be written after it")
        return _keep_position(new, inst)
    if type(last) is Continuation and not inst.newline:
        # `RUN\` + `# c` at the end: the comment is inside the continuation, and dropping the
        # escape would turn it into a comment line of its own (another tree)
        raise OpenAtEndOfFile("the file ends inside this instruction's continuation, after a comment line: "
                              "nothing can be written after it")
    return inst.with_changes(newline=nl)


def continuation_indent(inst: Instruction) -> str | None:
    """The indentation of the instruction's continuation lines, if it has any."""
    seen = False
    for p in inst.pieces:
        if isinstance(p, Continuation):
            seen = True
        elif seen and isinstance(p, Piece):
            text = p.text
            return text[: len(text) - len(text.lstrip(" \t"))]
    return None


def keyword_case(df: Dockerfile, word: str) -> str:
    """`word` in the file's own instruction case (`run` in a lower-case file)."""
    lower = df._memo.get("keywords_lower")  # once per tree: codemods ask per edit
    if lower is None:
        keywords = [i.keyword for i in df.instructions if i.keyword]
        lower = df._memo["keywords_lower"] = bool(keywords) and sum(k.islower() for k in keywords) > len(keywords) / 2
    return word.lower() if lower else word.upper()


def remove_instruction(df: Dockerfile, inst: Instruction) -> Dockerfile:
    """Delete `inst`; the comment and blank lines above it move to the next instruction, so no
    comment is lost and the layout around it stays."""
    items = list(df.instructions)
    i = next(k for k, x in enumerate(items) if x is inst)
    del items[i]
    if inst.leading:
        if i < len(items):
            items[i] = items[i].with_changes(leading=inst.leading + items[i].leading)
        else:
            return df.with_changes(instructions=tuple(items), trailing=inst.leading + df.trailing)
    return df.with_changes(instructions=tuple(items))


def replace_instruction(df: Dockerfile, old: Instruction, new: Instruction | list[Instruction]) -> Dockerfile:
    news = new if isinstance(new, list) else [new]
    items: list[Instruction] = []
    for x in df.instructions:
        if x is old:
            items.extend(news)
        else:
            items.append(x)
    return df.with_changes(instructions=tuple(items))


def insert_after(df: Dockerfile, anchor: Instruction, new: list[Instruction]) -> Dockerfile:
    items: list[Instruction] = []
    for x in df.instructions:
        items.append(x)
        if x is anchor:
            items.extend(new)
    return df.with_changes(instructions=tuple(items))


def insert_before(df: Dockerfile, anchor: Instruction, new: list[Instruction]) -> Dockerfile:
    items: list[Instruction] = []
    for x in df.instructions:
        if x is anchor:
            items.extend(new)
        items.append(x)
    return df.with_changes(instructions=tuple(items))
