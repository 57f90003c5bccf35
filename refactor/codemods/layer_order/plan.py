"""A layer-order plan for one RUN and how it is applied: the new manifest COPYs, the install RUN
(split after the install when it also builds), the moved broad copies; its summary and rationale."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from refactor.codemods.layer_order.copies import _Copy
from refactor.knowledge.ecosystems import CommandInfo, InstallStep
from refactor.syntax.edit import body_text, ends_open, keyword_case, line_ending, prefix_text, reparse_instruction, with_line_ending
from refactor.syntax.nodes import BlankLine, Comment, Dockerfile, Instruction

if TYPE_CHECKING:
    from refactor.codemods.layer_order.analysis import _StageAnalysis

_CARRY_FLAGS = ("chown", "chmod", "link")


class _Refuse(Exception):
    pass



@dataclass
class _Plan:
    """How one RUN is split and which copies move before it."""
    an: "_StageAnalysis"
    run: Instruction
    run_index: int
    infos: list[CommandInfo]
    split_at: int | None  # index of the first command that stays after the copies (None: no split)
    state_cmds: list  # leading cd/set commands repeated in the second RUN
    steps: list[InstallStep]
    moved: list[_Copy]
    groups: list[tuple[str, list[str]]]  # (dest text, context paths) for the new COPYs, ordered
    group_counts: list[int | None]
    counts: dict[str, int] | None
    moved_counts: list[int | None]
    unsafe: list[str]
    like: _Copy

    def summary(self) -> str:
        files = [p for _, ps in self.groups for p in ps]
        cmds = ", ".join(f"`{s.command}`" for s in self.steps)
        moved = ", ".join(f"`{_short(c.inst)}`" for c in self.moved)
        if files:
            s = f"copy {', '.join(files)} before {cmds} and {moved} after it"
        else:
            s = f"move {moved} after {cmds}"
        if self.split_at is not None:
            s += " (the RUN is split after the install)"
        return s

    def rationale(self, base: str) -> str:
        parts = [base]
        if self.counts is not None:
            bits = [f"{p}: {n} commit{'s' if n != 1 else ''}" for p, n in self.counts.items()]
            mc = [f"`{_short(c.inst)}` (other files): {n} commits" for c, n in zip(self.moved, self.moved_counts) if n is not None]
            parts.append("Git history, least changed first: " + "; ".join(bits + mc) + ".")
        else:
            parts.append("No git history for the build context: manifests first, then configuration, then sources.")
        if self.unsafe:
            parts.append("Not proven the same image: " + "; ".join(self.unsafe) + ".")
        return " ".join(parts)

    # -------------------------------------------------------------------------------------

    def apply(self, df: Dockerfile) -> Dockerfile:
        return apply_plans(df, [self.pieces(df)], self.like.inst)

    def pieces(self, df: Dockerfile) -> tuple[Instruction, list[Instruction], set[int]]:
        """(the RUN, what takes its place, the ids of the COPYs moved from elsewhere in the
        stage) for `apply_plans`; raises _Refuse."""
        run = self.run
        like = self.like.inst
        kw = keyword_case(df, "COPY")
        flags = " ".join(f for f in like.flags if f.split("=", 1)[0].lstrip("-").lower() in _CARRY_FLAGS)
        new_copies: list[Instruction] = []
        lead_blanks = _leading_blanks(self.moved[0].inst) if self.moved else ()
        for n, (dest, paths) in enumerate(self.groups):
            for p in paths:
                if re.search(r"[\s\"'$\\*?\[]", p):
                    raise _Refuse(f"manifest path {p!r} would need quoting")
            text = " ".join(x for x in (kw, flags, *paths, dest) if x)
            new_copies.append(_new(text, run, leading=lead_blanks if n == 0 else (), default=df.newline))
        first_run, second_run = self._split(run, df.newline)
        moved_insts = [c.inst for c in self.moved]
        instead = [*new_copies, first_run, *moved_insts] + ([second_run] if second_run is not None else [])
        return run, instead, {id(i) for i in moved_insts}

    def _split(self, run: Instruction, default: str = "\n") -> tuple[Instruction, Instruction | None]:
        if self.split_at is None:
            return run, None
        from refactor.shell.parse import parse_shell

        body = body_text(run)
        script = parse_shell(body, run.escape)
        units = script.units()
        last = units[self.split_at - 1]
        nxt = units[self.split_at]
        head = body[: last.span[1]]
        cut = body[last.span[1] : nxt.span[0]]
        tail = body[nxt.span[0] :]
        state = "".join(u.raw + " && " for u in self.state_cmds)
        nl = line_ending(run, default)
        prefix = prefix_text(run)
        first = reparse_instruction(prefix + head + (run.newline or nl), run.escape, run.leading)
        comments = tuple(
            Comment(line.rstrip("\r"), nl) for line in cut.split("\n") if line.strip().startswith("#")
        )
        second_text = prefix + state + tail + (run.newline or nl)
        second = reparse_instruction(second_text, run.escape, comments)
        return first, second


def _short(inst: Instruction) -> str:
    text = inst.logical.strip()
    return text if len(text) <= 60 else text[:57] + "..."


def _leading_blanks(inst: Instruction) -> tuple:
    out = []
    for t in inst.leading:
        if isinstance(t, BlankLine):
            out.append(BlankLine(t.text, t.newline))
        else:
            break
    return tuple(out)


def _new(text: str, like: Instruction, leading=(), default: str = "\n") -> Instruction:
    """`default`: the file's line ending, for a `like` that has none (it ends the file)."""
    nl = line_ending(like, default)
    return reparse_instruction(like.indent + text + nl, like.escape, leading)


def apply_plans(df: Dockerfile, pieces: list[tuple[Instruction, list[Instruction], set[int]]],
                like: Instruction) -> Dockerfile:
    """`df` with each plan's pieces (`_Plan.pieces`, plans of different stages) in place, in one
    pass: a new tree per stage made files of hundreds of reordered stages quadratic."""
    instead = {id(run): new for run, new, _ in pieces}
    moved_ids: set[int] = set().union(*(m for _, _, m in pieces)) if pieces else set()
    items: list[Instruction] = []
    for inst in df.instructions:
        if id(inst) in moved_ids:
            continue
        items.extend(instead.get(id(inst), (inst,)))
    # the instruction that ends the file keeps the file's (missing) final line ending
    if df.instructions and df.instructions[-1].newline == "" and not df.trailing:
        nl = line_ending(like, df.newline)
        for k in range(len(items) - 1):
            if ends_open(items[k]):
                items[k] = with_line_ending(items[k], nl)
        if items[-1].newline != "":
            items[-1] = items[-1].with_changes(newline="")
    return df.with_changes(instructions=tuple(items))
