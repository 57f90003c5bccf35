"""layer-order: copy the dependency manifests and install the dependencies before the sources.

What it does
    In a stage where a broad copy (`COPY . .`, `COPY . /app`, `ADD . .`, `COPY src ./src`) comes
    before the RUN that installs dependencies, it copies exactly the files that install reads
    (package.json and the lock file that exists, requirements files with the ones they include,
    pyproject.toml with its lock, go.mod/go.sum, Gemfile(.lock), composer.json/lock, pom.xml...)
    right before the install, and moves the broad copy after it. A RUN that installs and then
    builds (`npm ci && npm run build`) is split at the `&&` between the two.

Why
    A layer is rebuilt when anything it copies changes. With the sources copied first, every
    source edit re-runs the dependency install; with the manifests first, that layer is reused
    until the dependencies change. When the build context is in a git repository, independent
    COPY steps are ordered from the least to the most often changed path (`git log` counts,
    shown in the explanation); without git: manifests, then configuration, then sources.

Example
    COPY . .                        COPY package.json package-lock.json ./
    RUN npm ci && npm run build  →  RUN npm ci
                                    COPY . .
                                    RUN npm run build

Safety
    Safe when the analysis proves the image's files are the same: the install reads nothing but
    the copied manifests (no lifecycle scripts, no local path dependencies, no install of the
    project itself), every instruction the broad copy moves past neither reads nor writes what it
    copies (ENV/ARG it uses, WORKDIR, other COPYs, RUNs: only commands known to touch system
    paths), the install writes nothing the context also sends (node_modules...), and the new COPY
    keeps the broad copy's destination and --chown/--chmod/--link flags. Unsafe (applied only when
    unsafe edits are allowed) when the install may rewrite a manifest that the broad copy then
    restores (`npm install` and package-lock.json), when the context sends what the install
    writes, or when build logic is code (Gradle). Anything else unproven is skipped, with the
    reason. Without a build context nothing changes, and nothing changes when the input's stage
    graph is already broken (refactor.syntax.stage_graph). A manifest an earlier COPY already puts
    in place is not copied twice. A missing or incomplete `.dockerignore` is proposed (appended to,
    never rewritten) for what exists in the context or the ecosystem generates: .git,
    node_modules, .venv, __pycache__, build outputs, .env files, logs; never an entry that the
    context's code, scripts or the Dockerfile read (refactor.knowledge.runtime_reads: `.env` loaded
    by dotenv, `.git` read by setuptools-scm...), which is skipped naming the file and line.

References
    Docker docs, "Optimize cache usage in builds: order your layers"; npm scripts (lifecycle
    order); moby/patternmatcher (.dockerignore matching).
"""
from __future__ import annotations

from pathlib import Path

from refactor.codemods.base import Codemod, Context, Safety
from refactor.codemods.layer_order.analysis import _StageAnalysis
from refactor.codemods.layer_order.dockerignore import _propose_dockerignore
from refactor.codemods.layer_order.plan import _Refuse, apply_plans
from refactor.knowledge.context import BuildContext
from refactor.syntax.nodes import Dockerfile
from refactor.syntax.stage_graph import analyze

# The package: paths (image and context path arithmetic), copies (what one COPY/ADD writes),
# analysis (the plan for one RUN of a stage), commands (whether a command between the broad copy
# and the install is independent of it), plan (applying a plan to the tree), dockerignore (the
# proposed .dockerignore entries and the files the app reads at run time).


class LayerOrder(Codemod):
    id = "layer-order"
    summary = "Copy dependency manifests and install dependencies before copying the sources"
    rationale = (
        "A layer is rebuilt when anything it copies changes: with the whole source tree copied "
        "before the dependency install, every source edit re-runs the install. Copying only the "
        "files the install reads first lets the builder reuse the install layer until the "
        "dependencies themselves change."
    )
    safety = Safety.SAFE

    def transform(self, df: Dockerfile, ctx: Context) -> Dockerfile:
        broken = analyze(df).problems
        if broken:
            # Reordering a stage whose graph is already wrong would hide the error among our edits.
            ctx.skip(self, f"the input's stage graph is broken ({broken[0].message}): not reordered",
                     line=broken[0].line)
            return df
        bc = ctx.build_context
        if bc is not None and ctx.path is not None and bc.dockerfile is None:
            own = Path(str(ctx.path) + ".dockerignore")
            if own.is_file():
                bc = BuildContext(bc.path, ctx.path)
        changed = False
        for _ in range(24):
            new = self._once(df, ctx, bc)
            if new is df:
                break
            df = new
            changed = True
        if bc is not None:
            _propose_dockerignore(self, df, ctx, bc, record=changed)
        return df

    # ------------------------------------------------------------------------------------

    def _once(self, df: Dockerfile, ctx: Context, bc: BuildContext | None) -> Dockerfile:
        """The first reorder each stage needs, all applied in one new tree (one per stage made
        files of hundreds of stages quadratic)."""
        pieces = []
        first_like = None
        for stage in df.stages:
            # A stage's plans are its instructions' and the context's alone (nodes are
            # immutable): a stage that planned nothing is not planned again while it stays the
            # same nodes (the next round, the engine's next round).
            memo = stage.from_instruction._memo
            key = ("layer-order-unplanned", bc)
            kept = memo.get(key)
            if kept is not None and len(kept[0]) == len(stage.instructions) and all(
                    a is b for a, b in zip(kept[0], stage.instructions)):
                for inst, reason in kept[1]:
                    ctx.skip(self, reason, inst)
                continue
            an = _StageAnalysis(df, stage, bc)
            skips: list | None = []
            for i, inst in enumerate(stage.instructions):
                if inst.cmd != "RUN":
                    continue
                plan = an.plan(i)
                if plan is None:
                    continue
                if isinstance(plan, str):
                    ctx.skip(self, plan, inst)
                    if skips is not None:
                        skips.append((inst, plan))
                    continue
                skips = None  # what follows depends on more than the stage
                if plan.unsafe and not ctx.options.get("allow_unsafe", True):
                    ctx.skip(self, "would reorder, but " + "; ".join(plan.unsafe) + " (an unsafe edit; not allowed in this run)", inst)
                    continue
                try:
                    pieces.append(plan.pieces(df))
                except _Refuse as e:
                    ctx.skip(self, str(e), inst)
                    continue
                first_like = first_like or plan.like.inst
                ctx.edit(
                    self, inst, plan.summary(),
                    safety=Safety.UNSAFE if plan.unsafe else Safety.SAFE,
                    rationale=plan.rationale(self.rationale),
                    touched=tuple(c.inst for c in plan.moved),
                )
                break  # the stage's next reorder is planned on the new tree
            if skips is not None:
                memo[key] = (stage.instructions, tuple(skips))
        return apply_plans(df, pieces, first_like) if pieces else df



CODEMOD = LayerOrder()
