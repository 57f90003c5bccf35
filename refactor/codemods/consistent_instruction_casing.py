"""consistent-instruction-casing: every instruction keyword in the file's majority case.

What it does
    Counts the keywords written all in lower or all in upper case, as BuildKit does (FROM and
    the instructions of every stage; the ARGs before the first FROM are not part of a stage and
    are neither counted nor changed), and rewrites each keyword not in the majority case
    (`run`, `Run` in an upper-case file) to it. A tie counts as upper case, as in BuildKit.

Why
    BuildKit reports keywords that differ from the majority (build check
    ConsistentInstructionCasing). Mixed casing makes a Dockerfile harder to read and to search.

Example
    FROM alpine          FROM alpine
    run apk add curl  →  RUN apk add curl

Safety
    Safe: keywords are case-insensitive; the image is the same. ONBUILD's wrapped keyword is left
    as written (BuildKit does not check it).
"""
from __future__ import annotations

from refactor.codemods._checks import error_note, gate, map_pieces, apply_replacements
from refactor.codemods.base import Codemod, Context, Safety, rationale_from_doc
from refactor.syntax.nodes import Dockerfile, Instruction

RULE = "ConsistentInstructionCasing"


def stage_instructions(df: Dockerfile) -> list[Instruction]:
    return [i for s in df.stages for i in s.instructions]


def majority_lower(df: Dockerfile) -> bool:
    """validateCommandCasing: lower wins only with strictly more self-consistent keywords."""
    lower = upper = 0
    for inst in stage_instructions(df):
        kw = inst.keyword
        if kw == kw.lower():
            lower += 1
        elif kw == kw.upper():
            upper += 1
    return lower > upper


class ConsistentInstructionCasing(Codemod):
    id = "consistent-instruction-casing"
    summary = "instruction keywords in the file's majority case"
    rationale = rationale_from_doc(__doc__)
    safety = Safety.SAFE

    def transform(self, df: Dockerfile, ctx: Context) -> Dockerfile:
        g = gate(df, RULE)
        if g is None:
            return df
        repl: dict = {}  # applied at the end, in one pass
        lower = majority_lower(df)
        case = "lowercase" if lower else "uppercase"
        for inst in stage_instructions(df):
            kw = inst.keyword
            want = kw.lower() if lower else kw.upper()
            if kw == want or not g.runs(inst):
                continue
            if not kw.isascii():
                # BuildKit's keywords are ASCII: this one names no instruction (the build stops
                # at it), and changing its case may change its letters (ß -> SS)
                ctx.skip(self, f"`{kw}` is no instruction BuildKit knows: left as written", inst)
                continue
            new = map_pieces(inst, lambda p: (p.text.lower() if lower else p.text.upper()) if p.kind == "KEYWORD" else p.text)
            if new.keyword != want:
                ctx.skip(self, "the keyword could not be rewritten: left as written", inst)
                continue
            repl[id(inst)] = new
            ctx.edit(self, new, f"{kw} → {want} (the file's majority is {case}){error_note(df, RULE)}", touched=(inst,))
        return apply_replacements(df, repl)


CODEMOD = ConsistentInstructionCasing()
