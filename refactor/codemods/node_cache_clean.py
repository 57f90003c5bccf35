"""node-cache-clean: clean the npm, yarn or pnpm cache in the RUN that filled it.

What it does
    Ends a shell-form RUN that runs `npm ci`/`npm install` or `yarn install` (or bare `yarn`,
    `yarn add`) with `npm cache clean --force` or `yarn cache clean`.

Why
    npm and yarn keep a copy of every downloaded tarball (~/.npm, the yarn cache), commonly
    50-300 MB that the image never reads again (hadolint DL3060).

Example
    RUN yarn install --frozen-lockfile   →   RUN yarn install --frozen-lockfile && yarn cache clean

Safety
    Safe: node_modules is the same. Declines where a cache mount serves the cache folder (there
    the cache is wanted, and it stays out of the image), for Yarn 2 and later (with Plug'n'Play
    the cache *is* the installed packages), and where the RUN ends with `exit` or `exec`.
    Leaves pnpm alone: its store is no copy (node_modules hard-links the store's files), and
    `pnpm store prune` removes only packages no project uses, none right after the install.
"""
from __future__ import annotations

import json
import re

from refactor.syntax.nodes import Dockerfile
from refactor.codemods.base import Safety, Codemod, Context, rationale_from_doc
from refactor.codemods._run import RunEdits, append_blocker, has_cache_mount, stage_runs, subcommand
from refactor.syntax.lazy_re import lazy

MANAGERS = {
    # tool: (subcommands that fill the cache, clean command, cache folders)
    "npm": (("ci", "install", "i", "add"), "npm cache clean --force", ("/root/.npm", "/home/node/.npm")),
    "yarn": ((None, "install", "add"), "yarn cache clean", ("/usr/local/share/.cache/yarn", "/root/.cache/yarn", "/root/.yarn")),
    "pnpm": (("install", "i", "add"), "pnpm store prune", ("/root/.local/share/pnpm", "/pnpm")),
}


def _fills(cmd, tool: str) -> bool:
    return cmd.name == tool and subcommand(cmd) in MANAGERS[tool][0]


def _cleans(cmd, tool: str) -> bool:
    sub = subcommand(cmd)
    if tool == "pnpm":
        return cmd.name == "pnpm" and sub == "store" and "prune" in cmd.arg_values
    return cmd.name == tool and sub == "cache" and ("clean" in cmd.arg_values or "rm" in cmd.arg_values)


_UNKNOWN = object()
_BERRY_IN_FILE = lazy(r"\.yarnrc\.yml|yarn set version|\.yarn/releases|yarn@(?:[2-9]|berry|stable|canary)|\bberry\b")


def _yarn_berry(df: Dockerfile, ctx: Context) -> str | None:
    """What says the project uses Yarn 2 or later (berry), or None: the Dockerfile (a
    `.yarnrc.yml`, `yarn set version`, `corepack prepare yarn@4`…) or the build context (a
    `.yarnrc.yml`, package.json's `packageManager`)."""
    m = _BERRY_IN_FILE.search(df.code)
    if m:
        return f"the Dockerfile names `{m.group()}`"
    bc = ctx.build_context
    if bc is None:
        return None
    if bc.exists(".yarnrc.yml"):
        return "the build context has .yarnrc.yml"
    text = bc.read_text("package.json") or ""
    try:
        manager = json.loads(text).get("packageManager", "") if text else ""
    except (ValueError, AttributeError):
        manager = ""
    if isinstance(manager, str) and re.match(r"yarn@(?:[2-9]|\d{2})", manager):
        return f"package.json's packageManager is {manager}"
    return None


class NodeCacheClean(Codemod):
    id = "node-cache-clean"
    summary = "npm/yarn/pnpm cache cleaned in the RUN that installs"
    rationale = rationale_from_doc(__doc__)
    safety = Safety.SAFE
    hadolint = ("DL3060",)

    def transform(self, df: Dockerfile, ctx: Context) -> Dockerfile:
        berry: object = _UNKNOWN
        edits = RunEdits(df)
        for run in list(stage_runs(df, "npm", "yarn", "pnpm")):
            cmds = run.script.commands()
            todo = [t for t in MANAGERS if any(_fills(c, t) for c in cmds) and not any(_cleans(c, t) for c in cmds)]
            if not todo:
                continue
            script = run.script
            notes = []
            blocker = append_blocker(script)
            if blocker:
                ctx.skip(self, blocker, run.inst)
                continue
            for tool in todo:
                if tool == "pnpm":
                    ctx.skip(self, "pnpm: node_modules hard-links the files of its store, and `pnpm store prune` "
                             "removes only packages no project uses (none right after the install): it would "
                             "free nothing", run.inst)
                    continue
                if tool == "yarn":
                    if berry is _UNKNOWN:  # once per file: the whole text is searched
                        berry = _yarn_berry(df, ctx)
                    if berry:
                        ctx.skip(self, f"Yarn 2 or later ({berry}): its cache holds the installed packages "
                                 "(Plug'n'Play reads them from there), so `yarn cache clean` would delete them", run.inst)
                        continue
                if has_cache_mount(run.inst, *MANAGERS[tool][2]):
                    ctx.skip(self, f"a cache mount serves the {tool} cache", run.inst)
                    continue
                if run.inst.flag_value("mount") is not None and "cache" in " ".join(run.inst.flags):
                    ctx.skip(self, f"a cache mount may serve the {tool} cache", run.inst)
                    continue
                script = script.append_command(MANAGERS[tool][1])
                notes.append(f"ends the RUN with `{MANAGERS[tool][1]}`")
            if not notes:
                continue
            edits.commit(ctx, self, run.inst, script, notes)
        return edits.tree()


CODEMOD = NodeCacheClean()
