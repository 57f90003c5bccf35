r"""no-empty-continuation: blank lines inside an instruction's line continuations removed.

What it does
    Deletes the empty (or blank-only) lines that follow a line continuation inside one
    instruction. Comment lines there are kept where they are.

Why
    BuildKit skips such lines but warns (build check NoEmptyContinuation) and has announced
    that they will become an error. They also hide mistakes: a blank line after a trailing `\`
    often means the next instruction was swallowed into this one.

Example
    RUN apt-get update && \         RUN apt-get update && \
                                 →      apt-get install -y curl
        apt-get install -y curl

Safety
    Safe: the logical line BuildKit assembles is unchanged (it drops those lines already), so
    the image is the same.
"""
from __future__ import annotations

from refactor.codemods._checks import error_note, gate, apply_replacements
from refactor.codemods.base import Codemod, Context, Safety, rationale_from_doc
from refactor.syntax.edit import _keep_position, reparse_instruction
from refactor.syntax.nodes import BlankLine, Continuation, Dockerfile

RULE = "NoEmptyContinuation"


class NoEmptyContinuation(Codemod):
    id = "no-empty-continuation"
    summary = "empty lines inside line continuations removed"
    rationale = rationale_from_doc(__doc__)
    safety = Safety.SAFE

    def transform(self, df: Dockerfile, ctx: Context) -> Dockerfile:
        g = gate(df, RULE)
        if g is None:
            return df
        repl: dict = {}  # applied at the end, in one pass
        for inst in list(df.instructions):
            blanks = sum(isinstance(t, BlankLine) for p in inst.pieces if isinstance(p, Continuation) for t in p.lines)
            if not blanks or not g.runs(inst):
                continue
            pieces = tuple(
                p.with_changes(lines=tuple(t for t in p.lines if not isinstance(t, BlankLine)))
                if isinstance(p, Continuation) else p
                for p in inst.pieces
            )
            text = inst.with_changes(leading=(), pieces=pieces).code
            new = _keep_position(reparse_instruction(text, inst.escape, inst.leading), inst)
            if new.logical != inst.logical:
                ctx.skip(self, "removing the empty lines would change the instruction: left as written", inst)
                continue
            repl[id(inst)] = new
            ctx.edit(self, new, f"removed {blanks} empty continuation line{'s' * (blanks != 1)}{error_note(df, RULE)}",
                     touched=(inst,))
        return apply_replacements(df, repl)


CODEMOD = NoEmptyContinuation()
