"""apk-no-cache: `apk add --no-cache`, and no separate index download.

What it does
    Adds `--no-cache` to `apk add` in shell-form RUNs, inside `if`, loops and `case` too. An
    `apk update` at the top level of the RUN is removed when every apk command after it, at any
    depth, fetches its own index: `apk add` and `apk upgrade` get
    `--no-cache` too (an upgrade without an index would upgrade nothing), `apk del` needs none.
    Any other apk command after the update (`search`, `fetch`, `info`, `policy`, `version`...)
    reads the index the update fetched: the update is then kept.

Why
    Without `--no-cache`, apk keeps its package index in /var/cache/apk (a few MB per layer), and
    an `apk update` kept in the layer does the same (hadolint DL3019). `--no-cache` is a global
    apk option: that command fetches the index into memory for itself and keeps nothing.

Example
    RUN apk update && apk add curl   →   RUN apk add --no-cache curl
    RUN apk update && apk upgrade && apk add curl
                                     →   RUN apk upgrade --no-cache && apk add --no-cache curl

Safety
    Safe: the same packages are installed and upgraded, each from a fresh index. An `apk upgrade`
    with no `apk update` before it in the RUN is left alone (adding `--no-cache` would make it
    upgrade packages it did not upgrade before). Declines where a cache mount serves
    /var/cache/apk, and leaves heredoc bodies as written.
"""
from __future__ import annotations

from refactor.syntax.nodes import Dockerfile
from refactor.codemods.base import Safety, Codemod, Context, rationale_from_doc
from refactor.codemods._run import RunEdits, has_cache_mount, heredoc_runs_using, insert_after_each, stage_runs, subcommand


class ApkNoCache(Codemod):
    id = "apk-no-cache"
    summary = "apk add --no-cache instead of a cached index"
    rationale = rationale_from_doc(__doc__)
    safety = Safety.SAFE
    hadolint = ("DL3019",)

    def transform(self, df: Dockerfile, ctx: Context) -> Dockerfile:
        for inst in heredoc_runs_using(df, "apk "):
            ctx.skip(self, "apk in a heredoc body: left as written", inst)
        edits = RunEdits(df)
        for run in list(stage_runs(df, "apk")):
            # every apk command, inside `if`/loops/`case` bodies too, in order
            cmds = run.script.all_commands()
            top = run.script.commands()
            apk = [k for k, c in enumerate(cmds) if c.name == "apk"]
            update = next((k for k in apk if subcommand(cmds[k]) == "update"), None)
            after = [k for k in apk if update is not None and k > update]
            # The update goes when everything after it fetches its own index (or needs none):
            # only a top-level one, and not when shell code the parser keeps opaque may use apk.
            drop_update = (
                update is not None and len(run.script.units()) >= 2
                and any(cmds[update] is c for c in top)
                and not any("apk" in u.raw for u in run.script.unmodelled())
                and all(subcommand(cmds[k]) in ("add", "upgrade", "del") for k in after)
                and any(subcommand(cmds[k]) in ("add", "upgrade") for k in after)
            )
            # An upgrade gets --no-cache only when it loses the update it relied on.
            targets = [
                k for k in apk
                if not cmds[k].has_flag("--no-cache")
                and (subcommand(cmds[k]) == "add" or subcommand(cmds[k]) == "upgrade" and drop_update and k in after)
            ]
            if not targets and not drop_update:
                continue
            if has_cache_mount(run.inst, "/var/cache/apk", "/etc/apk/cache"):
                ctx.skip(self, "a cache mount serves apk's cache", run.inst)
                continue
            notes = [f"added --no-cache to apk {subcommand(cmds[k])}" for k in targets]
            # inserting words keeps the commands' order and count
            script = insert_after_each(run.script, [(cmds[k].subcommand(), "--no-cache") for k in targets])
            if drop_update:
                top_index = next(i for i, c in enumerate(top) if c is cmds[update])
                script = script.remove_command(script.commands()[top_index])
                notes.append("removed `apk update`: each apk command after it fetches a fresh index with --no-cache")
            edits.commit(ctx, self, run.inst, script, notes)
        return edits.tree()


CODEMOD = ApkNoCache()
