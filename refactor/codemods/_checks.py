"""What the codemods that fix BuildKit's build checks share: whether the file (or a `# check=`
comment above an instruction) skips the rule, the note an edit carries when the file sets
`check=error=true`, and rewriting the text of an instruction's own pieces."""
from __future__ import annotations

import re
from typing import Callable

from refactor.checks.config import RuleGate, file_config
from refactor.syntax.edit import _keep_position, reparse_instruction
from refactor.syntax.nodes import Comment, Continuation, Dockerfile, Instruction, Piece


def gate(df: Dockerfile, rule: str) -> RuleGate | None:
    """None when the file's `# check=skip=` directive skips `rule`: the codemod leaves the file
    as its author asked BuildKit to accept it."""
    g = RuleGate(df, rule)
    return g if g.file_runs() else None


def error_note(df: Dockerfile, rule: str) -> str:
    """With `# check=error=true` the finding fails the build: say so in the edit."""
    return f" (BuildKit {rule}; fails the build under check=error=true)" if file_config(df).error else f" (BuildKit {rule})"


def map_pieces(inst: Instruction, fn: Callable[[Piece], str]) -> Instruction:
    """The instruction with each piece's text replaced by `fn(piece)`, reparsed (so the result is
    exactly what BuildKit reads) and reported at the original's line."""
    parts = [inst.indent]
    for p in inst.pieces:
        parts.append(fn(p) if isinstance(p, Piece) else p.code)
    text = "".join(parts) + inst.newline + "".join(h.code for h in inst.heredocs)
    return _keep_position(reparse_instruction(text, inst.escape, inst.leading), inst)


def skipped_summary(rule: str) -> str:
    return f"a `# check=skip={rule}` comment above it asks to keep it"


def arg_word_spans(inst: Instruction) -> list[list[tuple[int, int, int]]] | None:
    """The argument words as `[(piece index, start, end), ...]` per word (a word broken by a line
    continuation has one span per piece); None when the instruction has no argument pieces."""
    words: list[list[tuple[int, int, int]]] = []
    open_word = False
    seen = False
    for i, p in enumerate(inst.pieces):
        if not isinstance(p, Piece):
            continue  # a continuation: a word goes on only if the next piece starts with no blank
        if p.kind != "ARG":
            open_word = False
            continue
        seen = True
        for m in re.finditer(r"\S+", p.text):
            if m.start() == 0 and open_word:
                words[-1].append((i, m.start(), m.end()))
            else:
                words.append([(i, m.start(), m.end())])
        open_word = bool(p.text) and not p.text[-1].isspace()
    return words if seen else None


def replace_arg_word(inst: Instruction, index: int, new: str) -> Instruction | None:
    """The instruction with argument word `index` replaced by `new`; None when that word is
    broken by a line continuation or missing."""
    words = arg_word_spans(inst)
    if not words or index >= len(words) or len(words[index]) != 1:
        return None
    piece_i, start, end = words[index][0]

    def fn(p: Piece) -> str:
        if p is inst.pieces[piece_i]:
            return p.text[:start] + new + p.text[end:]
        return p.text

    return map_pieces(inst, fn)


def apply_replacements(df: Dockerfile, replacements: dict[int, Instruction]) -> Dockerfile:
    """`df` with each instruction whose id is a key replaced, in one pass (an edit per
    instruction, each replacing in the whole list, is quadratic on big files)."""
    if not replacements:
        return df
    return df.with_changes(instructions=tuple(replacements.get(id(i), i) for i in df.instructions))


def remove_instructions(df: Dockerfile, remove: set[int]) -> tuple[Dockerfile, dict[int, Instruction]]:
    """`df` without the instructions whose ids are in `remove`, in one pass; the comment and blank
    lines above each removed one (and the comment lines inside its continuations) move down to the
    next instruction kept (or the file's end).
    Returns the tree and, by removed id, the original instruction that received its lines."""
    items: list[Instruction] = []
    carried: tuple = ()
    waiting: list[int] = []
    heirs: dict[int, Instruction] = {}
    for inst in df.instructions:
        if id(inst) in remove:
            # A comment line inside the removed instruction's continuation stays too, as a line
            # of its own above the next instruction.
            inner = tuple(t for p in inst.pieces if type(p) is Continuation for t in p.lines if type(t) is Comment)
            carried += inst.leading + inner
            if inst.leading or inner:
                waiting.append(id(inst))
            continue
        if carried:
            for rid in waiting:
                heirs[rid] = inst
            items.append(inst.with_changes(leading=carried + inst.leading))
            carried, waiting = (), []
        else:
            items.append(inst)
    trailing = carried + df.trailing
    return df.with_changes(instructions=tuple(items), trailing=trailing), heirs
