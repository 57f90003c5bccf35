"""pip-no-cache: `pip install --no-cache-dir`.

What it does
    Adds `--no-cache-dir` to `pip install` (also `pip3`, `python -m pip`) in shell-form RUNs,
    including those inside `if`, loops, `case`, groups and subshells.

Why
    pip keeps every wheel it downloads or builds in ~/.cache/pip, often tens to hundreds of MB
    that the image never uses again (hadolint DL3042).

Example
    RUN pip install -r requirements.txt   →   RUN pip install --no-cache-dir -r requirements.txt

Safety
    Safe: the same packages are installed. Declines where `PIP_NO_CACHE_DIR` is set in the stage
    or a cache mount serves pip's cache (there the cache is wanted, and it stays out of the image).
"""
from __future__ import annotations

from refactor.syntax.nodes import Dockerfile
from refactor.codemods.base import Safety, Codemod, Context, rationale_from_doc
from refactor.codemods._run import RunEdits, env_in_stage, has_cache_mount, insert_after_each, stage_runs

PIPS = ("pip", "pip3") + tuple(f"pip3.{n}" for n in range(6, 15))


def _install_word(cmd):
    """The `install` word of a pip install, or None."""
    if cmd.name in PIPS:
        sub = cmd.subcommand()
        return sub if sub is not None and sub.value == "install" else None
    if cmd.name and cmd.name.startswith("python"):
        values = cmd.arg_values
        for i, v in enumerate(values[:-2]):
            if v == "-m" and values[i + 1] == "pip" and values[i + 2] == "install":
                return cmd.args[i + 2]
    return None


def _has_no_cache_dir(cmd) -> bool:
    """pip reads long options by unambiguous prefix: `--no-cache` (and `--no-cache-d`…) is
    `--no-cache-dir` already."""
    return any(
        w.value is not None and len(w.value) >= len("--no-cache") and "--no-cache-dir".startswith(w.value)
        for w in cmd.args
    )


class PipNoCache(Codemod):
    id = "pip-no-cache"
    summary = "pip install --no-cache-dir"
    rationale = rationale_from_doc(__doc__)
    safety = Safety.SAFE
    hadolint = ("DL3042",)

    def transform(self, df: Dockerfile, ctx: Context) -> Dockerfile:
        edits = RunEdits(df)
        env_set: dict[int, bool] = {}
        for run in list(stage_runs(df, "pip")):
            # every pip install, inside `if`/`for`/`case` bodies too: the flag is safe on any path
            wanted = [c for c in run.script.all_commands() if _install_word(c) is not None and not _has_no_cache_dir(c)]
            if not wanted:
                continue
            if run.stage.index not in env_set:  # once per stage: per RUN it was quadratic
                env_set[run.stage.index] = env_in_stage(run.stage, "PIP_NO_CACHE_DIR")
            if env_set[run.stage.index]:
                ctx.skip(self, "PIP_NO_CACHE_DIR is set in this stage", run.inst)
                continue
            if has_cache_mount(run.inst, "/root/.cache/pip", "/root/.cache"):
                ctx.skip(self, "a cache mount serves pip's cache", run.inst)
                continue
            inserts = [(_install_word(c), "--no-cache-dir") for c in wanted]
            script = insert_after_each(run.script, inserts)
            count = len(inserts)
            note = "added --no-cache-dir to pip install" + (f" ({count}×)" if count > 1 else "")
            edits.commit(ctx, self, run.inst, script, [note])
        return edits.tree()


CODEMOD = PipNoCache()
