"""The stage graph of a Dockerfile as BuildKit's dockerfile2llb builds it, and what is wrong with it.

Stages are the FROM instructions in order (index 0, 1, ...); a stage's name is the word after
`AS`, lower-cased (BuildKit's parseBuildStageName; it must match `^[a-z][a-z0-9-_.]*$`). Edges:

- `FROM <base>`: the base, with the global ARGs (those before the first FROM) expanded, is looked
  up among the names of the stages *before* this one, exactly as written (BuildKit's addState
  keys its map by lower-cased names but looks the base up unchanged, so `FROM Builder` is an image
  reference, and an invalid one). Anything else is an image.
- `COPY --from=<x>`: a number is a stage index; otherwise the name is looked up case-insensitively
  among all stages (BuildKit's toCommand, after every stage is registered); not found: an image.
  Variables are not expanded in `--from` (BuildKit refuses them).
- `RUN --mount=...,from=<x>` (not tmpfs): looked up by name only (detectRunMount), so
  `from=0` is an image name, not stage 0; not found: an image.

A problem is something BuildKit refuses or that makes the build mean something else than it says:
an invalid or duplicate stage name, `FROM` naming a later stage or an earlier one in another case,
a stage index out of range, a copy from the stage itself or from a later stage (BuildKit
dispatches stages in order and refuses: "cannot copy from stage, it needs to be defined before
current stage"), a cycle, a variable used in `FROM` that no global
ARG declares (it expands to nothing), a base that expands to nothing. `new_problems` tells which
problems an edited tree has that the original did not, and which stages it referred to that are
gone: the engine refuses a codemod's output for that; codemods that restructure stages call
`stage_graph_problems` and decline when the input is already broken.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from refactor.syntax.buildkit import expand_variables
from refactor.syntax.nodes import Dockerfile, Instruction

_VALID_NAME = re.compile(r"^[a-z][a-z0-9-_.]*$")
_VAR = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(:?[-+?])?[^}]*\}|([A-Za-z_][A-Za-z0-9_]*))")
_INDEX = re.compile(r"^[+-]?[0-9]+$")  # what Go's strconv.Atoi accepts
# The ARGs BuildKit defines for every build (dockerfile2llb defaultArgs), usable in FROM.
BUILTIN_ARGS = frozenset({
    "BUILDPLATFORM", "BUILDOS", "BUILDOSVERSION", "BUILDARCH", "BUILDVARIANT",
    "TARGETPLATFORM", "TARGETOS", "TARGETOSVERSION", "TARGETARCH", "TARGETVARIANT", "TARGETSTAGE",
})


@dataclass(frozen=True)
class Reference:
    """One edge of the graph: stage `stage` uses `name` through `kind` at `line`."""

    kind: str  # "FROM", "COPY --from", "RUN --mount from"
    stage: int
    name: str
    target: int | None  # the stage it names; None: an image (or unknown)
    line: int


@dataclass(frozen=True)
class Problem:
    """What BuildKit rejects in the stages: a bad name or base, a later or missing stage, a cycle."""
    kind: str
    subject: str  # what it is about, without line numbers: stable across edits
    line: int  # the input's line for an instruction the parser read, else the tree's own line
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass(frozen=True)
class StageGraph:
    """The stages, their bases and the references between them."""
    names: tuple[str | None, ...]  # lower-cased stage names, by index
    bases: tuple[str, ...]  # each stage's FROM image as written
    references: tuple[Reference, ...]
    problems: tuple[Problem, ...]


def _line_finder(df: Dockerfile):
    """The line of an instruction of `df`: the input's line where the parser read it, else where
    it sits in the tree now (the tree's lines are counted only when one is asked: most trees'
    references are all instructions the parser read)."""
    spans: dict[int, int] | None = None

    def line(inst: Instruction) -> int:
        nonlocal spans
        if inst.start is not None:
            return inst.start.line
        if spans is None:
            spans = {id(i): first for i, first, _ in df.line_spans()}
        return spans.get(id(inst), 0)

    return line


def _mount_froms(inst: Instruction) -> list[str]:
    out = []
    for flag in inst.flags:
        if not flag.startswith("--mount="):
            continue
        fields = {}
        for kv in flag[len("--mount="):].split(","):
            k, _, v = kv.partition("=")
            fields[k.strip().lower()] = v.strip()
        if fields.get("from") and fields.get("type", "bind").lower() != "tmpfs":
            out.append(fields["from"])
    return out


def _used_vars(text: str) -> list[str]:
    """Variables `text` uses without a default (`${X:-d}` and `${X-d}` have one)."""
    out = []
    for m in _VAR.finditer(text):
        name = m.group(1) or m.group(3)
        op = m.group(2) or ""
        if op in (":-", "-"):
            continue
        out.append(name)
    return out


def graph_inputs(df: Dockerfile) -> tuple[Instruction, ...]:
    """The instructions the stage graph is read from, in file order: those before the first FROM,
    each FROM, each COPY and RUN with flags (kept on the tree). The graph is theirs alone."""
    memo = df._memo
    found = memo.get("graph_inputs")
    if found is None:
        keep = []
        seen_from = False
        for inst in df.instructions:
            cmd = inst.cmd
            if cmd == "FROM":
                seen_from = True
                keep.append(inst)
            elif not seen_from or (cmd in ("COPY", "RUN") and inst.flags):
                keep.append(inst)
        found = memo["graph_inputs"] = tuple(keep)
    return found


def analyze(df: Dockerfile) -> StageGraph:
    """The stage graph of `df` and its problems (cached on the tree, which is immutable)."""
    memo = df._memo
    found = memo.get("stage_graph")
    if found is None:
        # Another tree of the very same graph instructions, all read by the parser (so their
        # lines are the input's, wherever they sit now), has this graph: a codemod's edit of
        # anything else (a RUN's body, a new ENV) leaves it. Kept on the first of them.
        inputs = graph_inputs(df)
        holder = inputs[0]._memo if inputs else None
        kept = holder.get("stage_graph_of") if holder is not None else None
        if kept is not None and kept[0] == inputs:
            found = kept[1]
        else:
            found = _analyze(df)
            if holder is not None and all(i.start is not None for i in inputs):
                holder["stage_graph_of"] = (inputs, found)
        memo["stage_graph"] = found
    return found


def _analyze(df: Dockerfile) -> StageGraph:
    line_of = _line_finder(df)
    problems: list[Problem] = []

    def problem(kind: str, subject: str, inst: Instruction, message: str) -> None:
        problems.append(Problem(kind, subject, line_of(inst), message))

    # Global ARGs: declared before the first FROM; defaults expand with the ARGs above them.
    declared: set[str] = set(BUILTIN_ARGS)
    known: dict[str, str] = {}
    for inst in df.instructions:
        if inst.cmd == "FROM":
            break
        if inst.cmd != "ARG":
            continue
        for word in inst.value:
            name, eq, default = word.partition("=")
            declared.add(name)
            if eq:
                value = expand_variables(default.strip("\"'"), known)
                if value is not None:
                    known[name] = value
                else:
                    known.pop(name, None)
            else:
                known.pop(name, None)

    stages = df.stages
    names: list[str | None] = []
    for stage in stages:
        v = stage.from_instruction.value
        name = v[2].lower() if len(v) >= 3 and v[1].lower() == "as" else None
        names.append(name)
        if len(v) not in (1, 3) or len(v) == 3 and v[1].lower() != "as":
            problem("from-arguments", " ".join(v).lower(), stage.from_instruction,
                    f"`{stage.from_instruction.logical.strip()}`: FROM takes an image and optionally `AS name`")
        if name is not None and not _VALID_NAME.match(name):
            problem("invalid-name", name, stage.from_instruction,
                    f"`{v[2]}` is not a valid stage name (a letter, then letters, digits, `-`, `_`, `.`)")
    final_index: dict[str, int] = {}
    for i, name in enumerate(names):
        if name is None:
            continue
        if name in final_index:
            problem("duplicate-name", name, stages[i].from_instruction,
                    f"two stages are named `{name}` (stages {final_index[name]} and {i}); names are case-insensitive")
        final_index[name] = i

    refs: list[Reference] = []
    earlier: dict[str, int] = {}  # the stages before stage i by name (the last one of a name)
    for i, stage in enumerate(stages):
        if i > 0 and names[i - 1] is not None:
            earlier[names[i - 1]] = i - 1
        inst = stage.from_instruction
        v = inst.value
        raw = v[0] if v else ""
        for text in (raw, inst.flag_value("platform") or ""):
            for var in _used_vars(text):
                if var not in declared:
                    problem("undeclared-arg", var, inst,
                            f"FROM uses ${var}, which no ARG before the first FROM declares: it expands to nothing")
        base = expand_variables(raw, known) if "$" in raw else raw
        target = None
        if base is not None:
            if base == "" and raw != "":
                problem("blank-base", raw, inst, f"the base image `{raw}` expands to nothing")
            if base in earlier:
                target = earlier[base]
            elif base.lower() in earlier:
                problem("from-case", base, inst,
                        f"`FROM {base}`: stage names are matched in lower case; BuildKit takes `{base}` as an image")
            elif base.lower() in final_index and final_index[base.lower()] > i:
                problem("from-later", base.lower(), inst,
                        f"`FROM {base}` names a later stage; FROM only sees earlier stages and would pull an image `{base}`")
        refs.append(Reference("FROM", i, base if base is not None else raw, target, line_of(inst)))
        here = names[i] or f"stage {i}"  # problems name stages, not indexes: a codemod may add stages
        for inst in stage.instructions[1:]:
            froms: list[tuple[str, str]] = []
            if inst.cmd == "COPY":
                f = inst.flag_value("from")
                if f:
                    froms.append(("COPY --from", f))
            elif inst.cmd == "RUN":
                froms.extend(("RUN --mount from", f) for f in _mount_froms(inst))
            for kind, f in froms:
                target = None
                if "$" in f:
                    if kind == "COPY --from":
                        problem("from-variable", f, inst,
                                f"`--from={f}`: BuildKit does not expand variables in --from")
                    refs.append(Reference(kind, i, f, None, line_of(inst)))
                    continue
                if kind == "COPY --from" and _INDEX.match(f):
                    k = int(f)
                    if not 0 <= k < len(stages):
                        problem("bad-index", f"{here}:{f}", inst, f"`--from={f}`: there is no stage {k}")
                    else:
                        target = k
                else:
                    target = final_index.get(f.lower())
                    if target is None and kind == "RUN --mount from" and _INDEX.match(f):
                        # detectRunMount looks mounts up by name only: a number is an image name.
                        problem("mount-index", f"{here}:{f}", inst,
                                f"`--mount=from={f}`: BuildKit finds mount sources by stage name, not index")
                if target is not None and target == i:
                    problem("self-reference", f"{here}:{f.lower()}", inst,
                            f"`{kind}={f}` refers to its own stage (a circular dependency)")
                elif target is not None and target > i:
                    problem("later-stage", f"{here}:{f.lower()}", inst,
                            f"`{kind}={f}` refers to a later stage; a stage can only use stages defined before it")
                refs.append(Reference(kind, i, f, target, line_of(inst)))

    # Cycles (through references to later stages); a stage on its own is reported above.
    edges: dict[int, set[int]] = {}
    for r in refs:
        if r.target is not None and r.target != r.stage:
            edges.setdefault(r.stage, set()).add(r.target)
    state: dict[int, int] = {}
    reported: set[frozenset[int]] = set()

    def visit(n: int, path: list[int]) -> None:
        state[n] = 1
        path.append(n)
        for m in sorted(edges.get(n, ())):
            if state.get(m) == 1:
                cycle = path[path.index(m):]
                key = frozenset(cycle)
                if key not in reported:
                    reported.add(key)
                    label = " -> ".join(names[k] or str(k) for k in [*cycle, m])
                    problem("cycle", label, stages[cycle[0]].from_instruction,
                            f"the stages depend on each other in a circle: {label}")
            elif state.get(m) is None:
                visit(m, path)
        path.pop()
        state[n] = 2

    for n in range(len(stages)):
        if state.get(n) is None:
            visit(n, [])
    bases = tuple((s.from_instruction.value or ("",))[0] for s in stages)
    return StageGraph(tuple(names), bases, tuple(refs), tuple(problems))


def stage_graph_problems(df: Dockerfile) -> list[str]:
    """What is wrong with the stage graph of `df`, one sentence each (empty: nothing)."""
    return [str(p) for p in analyze(df).problems]


def new_problems(before: Dockerfile, after: Dockerfile) -> list[Problem]:
    """The problems `after` has that `before` did not, and the stages `before` referred to by name
    that `after` no longer has (its references to them now name images)."""
    g0, g1 = analyze(before), analyze(after)
    old = {(p.kind, p.subject) for p in g0.problems}
    out = [p for p in g1.problems if (p.kind, p.subject) not in old]
    resolved = {r.name.lower() for r in g0.references if r.target is not None and not _INDEX.match(r.name)}
    unresolved_before = {r.name.lower() for r in g0.references if r.target is None}
    seen = set()
    # `--from=1` must still mean the stage it meant: a stage added or removed before it shifts it.
    meant = {r.name: (g0.names[r.target], g0.bases[r.target]) for r in g0.references
             if r.target is not None and _INDEX.match(r.name)}
    for r in g1.references:
        if r.target is not None and r.name in meant and (g1.names[r.target], g1.bases[r.target]) != meant[r.name]:
            if ("index", r.name) not in seen:
                seen.add(("index", r.name))
                out.append(Problem("shifted-index", r.name, r.line,
                                   f"`{r.kind}={r.name}` now names another stage than in the input"))
    for r in g1.references:
        key = r.name.lower()
        if r.target is None and key in resolved and key not in unresolved_before and key not in seen:
            seen.add(key)
            out.append(Problem("lost-stage", key, r.line,
                               f"`{r.kind}` {r.name}: the input had a stage `{key}`, the output does not (it would be pulled as an image)"))
    return out


def unresolved_stage_names(df: Dockerfile) -> list[Reference]:
    """`COPY --from` and `RUN --mount from` references that name no stage and look like a stage
    name rather than an image (one bare word: no registry, path, tag or digest). BuildKit pulls
    them as images (`--from=composer` is the official composer image), so they are not problems;
    a codemod that restructures stages declines on them: the input may refer to a stage that was
    deleted."""
    return [r for r in analyze(df).references
            if r.kind != "FROM" and r.target is None and "$" not in r.name
            and not any(ch in r.name for ch in "/:@.") and not _INDEX.match(r.name)]
