"""What the package-manager codemods share: finding shell-form RUNs and their parsed bodies,
cache mounts, and the stage an instruction belongs to."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from refactor.syntax.edit import body_text, with_body
from refactor.syntax.nodes import Dockerfile, Instruction, Stage
from refactor.shell.parse import Opaque, ShellScript, SimpleCommand, parse_shell


@dataclass(frozen=True)
class Run:
    """A RUN instruction of a stage with its parsed shell script."""
    stage: Stage
    inst: Instruction
    script: ShellScript
    index: int = -1  # the instruction's index in df.instructions


def word_edits(inserts: list[tuple[object, str]]) -> list[tuple[int, int, str]]:
    """The (start, end, text) edits putting each (node, text) after its node, separated by a
    blank (`ShellScript.insert_after`), for `ShellScript.apply_edits`."""
    return [(node.span[1], node.span[1], " " + text) for node, text in inserts]  # type: ignore[attr-defined]


def insert_after_each(script: ShellScript, inserts: list[tuple[object, str]]) -> ShellScript:
    """`script` with each (node, text) inserted after its node (`insert_after`, in one pass):
    nodes are taken from `script` itself. Re-parsing after every insertion would make a RUN of
    thousands of installs quadratic."""
    return script.apply_edits(word_edits(inserts))


class RunEdits:
    """The RUNs a codemod rewrites, applied to the tree in one pass at the end (`tree()`): a new
    tree per fixed RUN made files of thousands of RUNs quadratic."""

    def __init__(self, df: Dockerfile) -> None:
        self.df = df
        self.new: dict[int, Instruction] = {}
        self.newline = df.newline  # once: it is looked up in the tree

    def commit(self, ctx, codemod, inst: Instruction, script: ShellScript, notes: list[str]) -> None:
        """Replace `inst` (of the tree given) with its edited body; one edit per note."""
        self.new[id(inst)] = rewrite(inst, script, self.newline)
        for note in notes:
            ctx.edit(codemod, inst, note)

    def tree(self) -> Dockerfile:
        if not self.new:
            return self.df
        new = self.new
        return self.df.with_changes(instructions=tuple(new.get(id(i), i) for i in self.df.instructions))


def append_blocker(script: ShellScript) -> str | None:
    """Why no command can be appended to this RUN body (for the user), or None. A body ending in
    a shell here-document operator (`cmd <<`, `cat <<X` on one line, with no Dockerfile heredoc)
    has its terminator on no line of the RUN: nothing after it would run as a command."""
    units = script.units()
    if units and type(units[-1]) is Opaque and units[-1].reason == "heredoc":
        return "the RUN ends in a shell here-document (`<<`) with no body: a command cannot be appended after it"
    last = units[-1] if units else None
    if type(last) is SimpleCommand and last.name in ("exit", "exec"):
        before = script.operator_before(last)
        if before is None or before.op not in ("||", "|", "|&"):
            # `…; exit 0` / `… && exec app`: the shell never reaches a command appended after it
            return f"the RUN ends with `{last.raw.strip()}`: a command appended after it would never run"
    return None


def parsed_body(text: str, escape: str) -> ShellScript:
    return parse_shell(text, escape)  # parse_shell caches: each body is parsed once per run


def stage_runs(df: Dockerfile, *needles: str, start: int = 0) -> Iterator[Run]:
    """Shell-form RUN instructions without heredocs, with their parsed bodies, stage by stage;
    with `needles`, only those whose text mentions one of them; from instruction index `start`
    on (a codemod that edits one RUN at a time resumes where it was: linear, not quadratic)."""
    # Stages split the instructions from the first FROM on, in order.
    offset = len(df.instructions) - sum(len(s.instructions) for s in df.stages)
    for stage in df.stages:
        n = len(stage.instructions)
        if offset + n <= start:
            offset += n
            continue
        for k in range(max(0, start - offset), n):
            inst = stage.instructions[k]
            if inst.cmd != "RUN" or inst.is_json or inst.heredocs or not inst.args:
                continue
            if needles and not any(p in inst.args for p in needles):
                continue
            yield Run(stage, inst, parsed_body(body_text(inst), inst.escape), offset + k)
        offset += n


def heredoc_runs_using(df: Dockerfile, *tools: str) -> Iterator[Instruction]:
    """RUNs whose heredoc bodies (which we leave alone) call one of `tools`."""
    for inst in df.instructions:
        if inst.cmd == "RUN" and inst.heredocs:
            text = " ".join(h.content for h in inst.heredocs) + " " + inst.args
            if any(t in text for t in tools):
                yield inst


def cache_mount_targets(inst: Instruction) -> list[str]:
    """Targets of `--mount=type=cache,...` flags."""
    out = []
    for flag in inst.flags:
        if not flag.startswith("--mount="):
            continue
        fields = dict(
            (kv.split("=", 1) + [""])[:2] for kv in flag[len("--mount=") :].split(",") if kv
        )
        if fields.get("type") == "cache":
            target = fields.get("target") or fields.get("dst") or fields.get("destination") or ""
            out.append(target.rstrip("/"))
    return out


def has_cache_mount(inst: Instruction, *paths: str) -> bool:
    targets = cache_mount_targets(inst)
    return any(t == p or p.startswith(t + "/") or t.startswith(p + "/") for t in targets for p in paths)


def subcommand(cmd: SimpleCommand) -> str | None:
    word = cmd.subcommand()
    return word.value if word is not None else None


def is_only(script: ShellScript, accept) -> bool:
    """Whether the script is nothing but commands `accept` likes (and no opaque parts)."""
    cmds = script.commands()
    return bool(cmds) and not script.has_opaque and len(cmds) == len(script.units()) and all(
        accept(c) for c in cmds
    )


def rewrite(inst: Instruction, script: ShellScript | str, nl: str = "\n") -> Instruction:
    """`inst` with the edited body (a script, or its code). `nl`: the file's line ending, for the
    line breaks an edit adds to a body that has none of its own to copy (one line ending the file
    in a dangling escape)."""
    code = script if isinstance(script, str) else script.code
    if nl != "\n" and "\n" in code and "\n" not in body_text(inst):
        code = code.replace("\n", nl)
    return with_body(inst, code)


def env_in_stage(stage: Stage, name: str) -> bool:
    """Whether the stage sets environment variable `name` with ENV or ARG."""
    for inst in stage.instructions:
        if inst.cmd == "ENV":
            v = inst.value
            if name in v[0::2]:
                return True
        elif inst.cmd == "ARG" and any(w.split("=", 1)[0] == name for w in inst.value):
            return True
    return False
