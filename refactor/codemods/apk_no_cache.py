"""apk-no-cache: `apk add --no-cache`, and no separate index download.

What it does
    Adds `--no-cache` to `apk add` in shell-form RUNs, and removes an `apk update` from the same
    RUN, which `--no-cache` makes redundant.

Why
    Without `--no-cache`, apk keeps its package index in /var/cache/apk (a few MB per layer), and
    an `apk update` kept in the layer does the same (hadolint DL3019). `--no-cache` fetches the
    index for the install and keeps nothing.

Example
    RUN apk update && apk add curl   →   RUN apk add --no-cache curl

Safety
    Safe: the same packages are installed from a fresh index. Declines where a cache mount
    serves /var/cache/apk, and leaves heredoc bodies as written.
"""
from __future__ import annotations

from refactor.syntax.nodes import Dockerfile
from refactor.codemods.base import Safety, Codemod, Context, rationale_from_doc
from refactor.codemods._run import has_cache_mount, heredoc_runs_using, commit_run, stage_runs, subcommand


class ApkNoCache(Codemod):
    id = "apk-no-cache"
    summary = "apk add --no-cache instead of a cached index"
    rationale = rationale_from_doc(__doc__)
    safety = Safety.SAFE
    hadolint = ("DL3019",)

    def transform(self, df: Dockerfile, ctx: Context) -> Dockerfile:
        for inst in heredoc_runs_using(df, "apk "):
            ctx.skip(self, "apk in a heredoc body: left as written", inst)
        for run in list(stage_runs(df, "apk")):
            adds = [c for c in run.script.commands() if c.name == "apk" and subcommand(c) == "add"]
            if not adds or all(c.has_flag("--no-cache") for c in adds):
                continue
            if has_cache_mount(run.inst, "/var/cache/apk", "/etc/apk/cache"):
                ctx.skip(self, "a cache mount serves apk's cache", run.inst)
                continue
            script = run.script
            notes = []
            for i in range(len(script.commands())):
                cmd = script.commands()[i]
                if cmd.name == "apk" and subcommand(cmd) == "add" and not cmd.has_flag("--no-cache"):
                    script = script.insert_after(cmd.subcommand(), "--no-cache")
                    notes.append("added --no-cache to apk add")
            while True:
                update = next((c for c in script.commands() if c.name == "apk" and subcommand(c) == "update"), None)
                if update is None or len(script.units()) < 2:
                    break
                script = script.remove_command(update)
                notes.append("removed `apk update`: --no-cache fetches a fresh index for the install")
            df = commit_run(df, ctx, self, run.inst, script, notes)
        return df


CODEMOD = ApkNoCache()
