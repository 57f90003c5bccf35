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
from collections import Counter

from refactor.codemods._checks import apply_replacements, error_note, gate, map_pieces, replace_arg_word
from refactor.codemods.base import Codemod, Context, Safety, rationale_from_doc
from refactor.syntax.nodes import Dockerfile, Instruction, Piece, Stage
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


def _references(inst: Instruction) -> list[str]:
    """The stage names `inst` uses: `COPY --from=<name>`, `RUN --mount=...,from=<name>`."""
    out = []
    if inst.cmd == "COPY":
        v = inst.flag_value("from")
        if v:
            out.append(v)
    elif inst.cmd == "RUN":
        for f in inst.flags:
            if f.startswith("--mount="):
                out += [m.group(1) for m in re.finditer(r"(?:^--mount=|,)\s*from=([^,]*)", f, re.I)]
    return out

class StageNameCasing(Codemod):
    id = "stage-name-casing"
    summary = "stage names in lower case, references renamed"
    rationale = rationale_from_doc(__doc__)
    safety = Safety.SAFE

    def transform(self, df: Dockerfile, ctx: Context) -> Dockerfile:
        g = gate(df, RULE)
        if g is None:
            return df
        renames: dict[str, Stage] = {}  # mixed-case name -> its stage
        taken = Counter(s.name.lower() for s in df.stages if s.name)
        refused: set[str] = set()
        for stage in df.stages:
            name = stage.name
            if name is None or name == name.lower() or not g.runs(stage.from_instruction):
                continue
            if taken[name.lower()] > 1:
                if name.lower() not in refused:  # once per name, not once per stage
                    refused.add(name.lower())
                    ctx.skip(self, f"another stage is already named {name.lower()!r}: not renamed onto it",
                             stage.from_instruction)
                continue
            renames[name] = stage
        if not renames:
            return df
        problems = analyze(df).problems
        if problems:
            ctx.skip(self, f"the stage graph has a problem ({problems[0].message}): left as written",
                     next(iter(renames.values())).from_instruction)
            return df
        # One pass over the file for every rename (a pass per stage is quadratic on big files).
        by_lower = {name.lower(): name for name in renames}
        repl: dict[int, Instruction] = {}
        refs: dict[str, list[Instruction]] = {name: [] for name in renames}
        for stage in df.stages:
            for inst in stage.instructions:
                new = inst
                hit: list[str] = []
                if inst is stage.from_instruction:
                    if stage.name in renames and renames[stage.name] is stage:
                        new = replace_arg_word(new, 2, stage.name.lower()) if new is not None else None
                        hit.append(stage.name)
                    base = inst.value[0] if inst.value else ""
                    if base in renames and renames[base].index < stage.index:
                        new = replace_arg_word(new, 0, base.lower()) if new is not None else None
                        hit.append(base)
                else:
                    written: dict[str, set[str]] = {}  # stage name -> spellings used here
                    for ref in _references(inst):
                        name = by_lower.get(ref.lower())
                        if name is not None:
                            written.setdefault(name, set()).add(ref)
                    for name, spellings in written.items():
                        if spellings == {name.lower()}:
                            continue  # already written in lower case
                        before = new
                        new = _rename_flags(new, name, name.lower()) if new is not None else None
                        if new is not None and new.code == before.code:
                            new = None  # the flag is broken by a line continuation
                        hit.append(name)
                if not hit:
                    continue
                if new is None:
                    ctx.skip(self, f"a reference to {hit[0]!r} is broken by a line continuation: left as written", inst)
                    return df
                repl[id(inst)] = new
                for name in hit:
                    refs[name].append(inst)
        for name, stage in renames.items():
            inst = stage.from_instruction
            count = len([i for i in refs[name] if i is not inst])
            ctx.edit(self, repl[id(inst)], f"stage {name!r} → {name.lower()!r}, {count} reference(s) renamed"
                     f"{error_note(df, RULE)}", touched=tuple(refs[name]), line=inst.start.line if inst.start else None)
        return apply_replacements(df, repl)


CODEMOD = StageNameCasing()
