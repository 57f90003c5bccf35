"""stage-name-casing: stage names in lower case, with every reference renamed.

What it does
    Lower-cases a stage name (`FROM golang AS Builder` → `AS builder`) and every reference to
    it: `FROM Builder`, `COPY --from=Builder`, `RUN --mount=...,from=Builder`.

Why
    BuildKit lower-cases stage names when it registers them but looks a `FROM` base up as
    written, so `FROM Builder` after `AS Builder` is not the stage but an (invalid) image name;
    `COPY --from` and mounts look names up case-insensitively. It reports mixed-case names (build
    check StageNameCasing). One spelling, lower case, leaves no room for that trap.

Example
    FROM golang AS Builder            FROM golang AS builder
    COPY --from=Builder /app /app  →  COPY --from=builder /app /app

Safety
    Safe: BuildKit already knew the stage by its lower-case name, so every `COPY --from` and
    mount resolves as before, and so does `--target` (case-insensitive). Declines where the
    lower-case name is another stage's (DuplicateStageName: never renamed onto a taken name),
    where the stage graph already has a problem (a `FROM` naming the stage in another case
    would change meaning), and where a reference is broken by a line continuation.
"""
from __future__ import annotations

import re

from refactor.codemods._checks import error_note, gate, map_pieces, replace_arg_word
from refactor.codemods.base import Codemod, Context, Safety, rationale_from_doc
from refactor.syntax.edit import replace_instruction
from refactor.syntax.nodes import Dockerfile, Instruction, Piece
from refactor.syntax.stage_graph import analyze

RULE = "StageNameCasing"


def _rename_flags(inst: Instruction, old: str, new: str) -> Instruction:
    """`--from=Old` (COPY) and `from=Old` inside `--mount=` (RUN), matched as BuildKit does:
    case-insensitively."""
    from_flag = re.compile(r"^(--from=)" + re.escape(old) + r"$", re.I)
    mount_from = re.compile(r"((?:^--mount=|,)\s*from=)" + re.escape(old) + r"(?=,|$)", re.I)

    def fn(p: Piece) -> str:
        if p.kind != "FLAG":
            return p.text
        if inst.cmd == "COPY" and from_flag.match(p.text):
            return from_flag.sub(lambda m: m.group(1) + new, p.text)
        if inst.cmd == "RUN" and p.text.startswith("--mount="):
            return mount_from.sub(lambda m: m.group(1) + new, p.text)
        return p.text

    return map_pieces(inst, fn)


def _refers(inst: Instruction, old: str) -> bool:
    low = old.lower()
    if inst.cmd == "COPY":
        v = inst.flag_value("from")
        return v is not None and v.lower() == low
    if inst.cmd == "RUN":
        return any(re.search(r"(?:^--mount=|,)\s*from=" + re.escape(old) + r"(?:,|$)", f, re.I) for f in inst.flags)
    return False


class StageNameCasing(Codemod):
    id = "stage-name-casing"
    summary = "stage names in lower case, references renamed"
    rationale = rationale_from_doc(__doc__)
    safety = Safety.SAFE

    def transform(self, df: Dockerfile, ctx: Context) -> Dockerfile:
        g = gate(df, RULE)
        if g is None:
            return df
        for stage in df.stages:
            name = stage.name
            if name is None or name == name.lower() or not g.runs(stage.from_instruction):
                continue
            others = [s.name.lower() for s in df.stages if s.name and s.index != stage.index]
            if name.lower() in others:
                ctx.skip(self, f"another stage is already named {name.lower()!r}: not renamed onto it",
                         stage.from_instruction)
                continue
            problems = analyze(df).problems
            if problems:
                ctx.skip(self, f"the stage graph has a problem ({problems[0].message}): left as written",
                         stage.from_instruction)
                return df
            df = self._rename(df, ctx, stage.index, name)
        return df

    def _rename(self, df: Dockerfile, ctx: Context, index: int, name: str) -> Dockerfile:
        new_name = name.lower()
        plan: list[tuple[Instruction, Instruction]] = []
        for stage in df.stages:
            for inst in stage.instructions:
                if stage.index == index and inst is stage.from_instruction:
                    new = replace_arg_word(inst, 2, new_name)
                elif inst.cmd == "FROM" and stage.index > index and inst.value and inst.value[0] == name:
                    new = replace_arg_word(inst, 0, new_name)
                elif _refers(inst, name):
                    new = _rename_flags(inst, name, new_name)
                    if new.code == inst.code:
                        new = None  # the flag is broken by a line continuation
                else:
                    continue
                if new is None:
                    ctx.skip(self, f"a reference to {name!r} is broken by a line continuation: left as written", inst)
                    return df
                plan.append((inst, new))
        first = plan[0][0]
        for old, new in plan:
            df = replace_instruction(df, old, new)
        ctx.edit(self, plan[0][1], f"stage {name!r} → {new_name!r}, {len(plan) - 1} reference(s) renamed"
                 f"{error_note(df, RULE)}", touched=tuple(o for o, _ in plan) + tuple(n for _, n in plan),
                 line=first.start.line if first.start else None)
        return df


CODEMOD = StageNameCasing()
