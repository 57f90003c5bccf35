"""rpm-cleanup: `-y` and `clean all` for yum, dnf and microdnf installs, in the same RUN.

What it does
    In shell-form RUNs that run `yum install`, `dnf install` or `microdnf install`: adds `-y`
    to yum and dnf, and ends the RUN with `<tool> clean all` (plus `rm -rf /var/cache/yum` for
    yum), merging a later RUN that only cleans up.

Why
    yum and dnf keep downloaded metadata and packages in /var/cache (often 50-150 MB) unless the
    layer that installs also cleans (hadolint DL3032, DL3040, DL3041); without `-y` the install
    waits for an answer that never comes (DL3030, DL3038).

Example
    RUN dnf install nginx   →   RUN dnf install -y nginx && dnf clean all

Safety
    Safe: the same packages end up installed; later installs fetch metadata again. Declines
    where a cache mount serves /var/cache/yum or /var/cache/dnf. Inside `if`, loops and `case`
    it adds `-y`, but no `clean all` when the tool runs only there (the clean would also run on
    paths where the tool is missing, e.g. `if command -v yum; then …; fi`).
"""
from __future__ import annotations

from refactor.syntax.nodes import Dockerfile
from refactor.codemods.base import Safety, Codemod, Context, rationale_from_doc
from refactor.codemods._run import RunEdits, append_blocker, has_cache_mount, heredoc_runs_using, stage_runs, subcommand, word_edits

TOOLS = ("yum", "dnf", "microdnf")


def _cleans(cmd, tool: str) -> bool:
    return cmd.name == tool and subcommand(cmd) == "clean"


def _only_nested(script, tool: str) -> bool:
    """Whether every `tool` command of the script sits inside a compound command."""
    return not any(c.name == tool for c in script.commands()) and any(c.name == tool for c in script.all_commands())


class RpmCleanup(Codemod):
    id = "rpm-cleanup"
    summary = "yum/dnf/microdnf install -y and clean all in the same RUN"
    rationale = rationale_from_doc(__doc__)
    safety = Safety.SAFE
    hadolint = ("DL3030", "DL3032", "DL3038", "DL3040", "DL3041")

    def transform(self, df: Dockerfile, ctx: Context) -> Dockerfile:
        for inst in heredoc_runs_using(df, "yum ", "dnf "):
            ctx.skip(self, "yum/dnf in a heredoc body: left as written", inst)
        fixed = RunEdits(df)
        for run in list(stage_runs(df, "yum", "dnf")):
            cmds = run.script.all_commands()  # inside `if`/loops/`case` too
            tools = [t for t in TOOLS if any(c.name == t and subcommand(c) in ("install", "groupinstall", "update", "upgrade") for c in cmds)]
            if not tools:
                continue
            if has_cache_mount(run.inst, "/var/cache/yum", "/var/cache/dnf", "/var/cache/libdnf5"):
                ctx.skip(self, "a cache mount serves the package cache", run.inst)
                continue
            script = run.script
            notes = []
            yes = []
            for cmd in script.all_commands():
                if cmd.name in ("yum", "dnf") and subcommand(cmd) in ("install", "groupinstall", "update", "upgrade"):
                    if not cmd.has_flag("-y", "--assumeyes"):
                        yes.append((cmd.subcommand(), "-y"))
                        notes.append(f"added -y to {cmd.name} {subcommand(cmd)}")
            # Every edit is found on this one parse and made at once: a RUN of thousands of
            # installs parsed again per step took seconds. What the appended commands add is
            # tracked in `cleaned` / `removed` (they are top-level commands of their own).
            edits = word_edits(yes)
            commands = script.commands()
            cleaned = {t for t in tools if any(_cleans(c, t) for c in commands)}
            removed = any(c.name == "rm" and "/var/cache/yum" in c.code for c in commands)
            appended = False
            for tool in tools:
                if tool not in cleaned and _only_nested(script, tool):
                    # `yum install` only in a branch (`if command -v yum; then …`): a clean at the
                    # end would run on paths where the tool is missing, and fail the build
                    ctx.skip(self, f"{tool} runs only inside if/for/case here: `{tool} clean all` after it could run where {tool} is missing; not added", run.inst)
                    continue
                wants_clean = tool not in cleaned
                wants_rm = tool == "yum" and not removed
                blocker = None if appended else append_blocker(script)  # after ours, nothing blocks
                if blocker and (wants_clean or wants_rm):
                    ctx.skip(self, blocker, run.inst)
                    continue
                if wants_clean:
                    edits.append(script.append_edit(f"{tool} clean all"))
                    cleaned.add(tool)
                    appended = True
                    notes.append(f"ends the RUN with `{tool} clean all` (the metadata and package cache stay out of the layer)")
                if wants_rm:
                    edits.append(script.append_edit("rm -rf /var/cache/yum"))
                    removed = appended = True
                    notes.append("removes /var/cache/yum, which `yum clean all` leaves behind")
            if not notes:
                continue
            fixed.commit(ctx, self, run.inst, script.apply_edits(edits), notes)
        return fixed.tree()


CODEMOD = RpmCleanup()
