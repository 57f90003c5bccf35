"""The node strategy's installers beyond one package.json: the workspace members an install
reads (npm/yarn `workspaces`, pnpm-workspace.yaml, expanded against the build context), and
yarn berry (its committed release and plugins, the node-modules linker it needs, and the
production-only reinstall `yarn workspaces focus --all --production`)."""
from __future__ import annotations

import posixpath
import re

from refactor.codemods.multi_stage.model import _Decline
from refactor.knowledge.context import go_clean
from refactor.knowledge.ecosystems.node import (
    is_yarn_berry,
    pnpm_workspace_patterns,
    workspace_patterns,
    yarn_berry_major,
    yarnrc_settings,
)
from refactor.syntax.lazy_re import lazy

BERRY_PRUNE = "yarn workspaces focus --all --production"
# Folders of a berry project that only the install reads (the release yarnPath names, plugins,
# patches): a COPY of one of them is a manifest copy, not the source.
BERRY_INSTALL_DIRS = lazy(r"(?:^|/)\.yarn/(?:releases|plugins|patches)/?$")


class NodeInstalls:
    """Methods of the planner (refactor.codemods.multi_stage.planner), through NodeStrategy."""

    def _ctx_text(self, image_path: str) -> str | None:
        rel = self.ctx_path(image_path)
        if rel is None or not self.bc.is_file(rel) or not self.bc.sent(rel):
            return None
        return self.bc.read_text(rel)


    def _workspace_members(self, cwd: str, pkg: dict | None, pm: str, inst) -> list[str]:
        """Image paths of every workspace member's package.json: the install reads them all, so
        a deps stage fed by manifests only must copy each one."""
        pats = workspace_patterns(pkg)
        if pm == "pnpm":
            text = self._ctx_text(posixpath.join(cwd, "pnpm-workspace.yaml"))
            if text:
                pats += pnpm_workspace_patterns(text)
        if not pats:
            return []
        base = self.ctx_path(cwd)
        if base is None:
            raise _Decline(f"a workspace root at {cwd} that no COPY of a folder brings in: its members are unknown", inst)
        out: list[str] = []
        for pat in pats:
            if not isinstance(pat, str):
                raise _Decline("package.json `workspaces` holds something other than folder globs: not understood", inst)
            if pat.startswith("!"):
                continue  # a member it excludes: copying its package.json as well changes nothing
            dirs = self.bc.glob_dirs(go_clean(posixpath.join(base or ".", pat)))
            if not dirs:
                raise _Decline(f"workspace pattern {pat!r} matches no folder in the build context: the members "
                               "the install reads are unknown", inst)
            for d in dirs:
                pj = posixpath.join(d, "package.json")
                if self.bc.is_file(pj) and self.bc.sent(pj):
                    rel = d[len(base) + 1:] if base else d
                    image = posixpath.join(cwd, rel, "package.json")
                    if image not in out:
                        out.append(image)
        return out


    def _yarnrc(self, app_dir: str) -> dict:
        return yarnrc_settings(self._ctx_text(posixpath.join(app_dir, ".yarnrc.yml")) or "")


    def _is_yarn_berry(self, app_dir: str, pkg: dict | None) -> bool:
        rc = self._ctx_text(posixpath.join(app_dir, ".yarnrc.yml")) is not None
        releases = self.ctx_path(posixpath.join(app_dir, ".yarn/releases"))
        return is_yarn_berry(rc or (releases is not None and self.bc.exists(releases)), pkg,
                             self._ctx_text(posixpath.join(app_dir, "yarn.lock")) or "")


    def _berry_dirs_are_manifests(self) -> None:
        for s in self.steps:
            if s.kind == "copy-source" and s.entries and all(e.is_dir and BERRY_INSTALL_DIRS.search(e.src) for e in s.entries):
                s.kind = "copy-manifest"


    def _yarn_berry_files(self, cwd: str, pm: str) -> tuple[str, ...]:
        """The committed yarn release and plugins .yarnrc.yml names: the install runs them."""
        if pm != "yarn":
            return ()
        text = self._ctx_text(posixpath.join(cwd, ".yarnrc.yml"))
        if text is None:
            return ()
        rc = yarnrc_settings(text)
        files = ([rc["yarnPath"]] if rc["yarnPath"] else []) + rc["plugins"]
        # the patches `patch:` dependencies apply (yarn patch-commit writes them there)
        base = self.ctx_path(cwd)
        if base is not None:
            prefix = (base + "/" if base else "") + ".yarn/patches/"
            files += [f[len(base) + 1 if base else 0:] for f in self.bc.files if f.startswith(prefix) and self.bc.sent(f)]
        return tuple(posixpath.normpath(posixpath.join(cwd, f)) for f in files)


    def _check_yarn_berry(self, app_dir: str, pkg: dict) -> None:
        linker = self._yarnrc(app_dir)["nodeLinker"]
        if linker != "node-modules":
            raise _Decline(f"yarn berry with nodeLinker: {linker}"
                           + (" (the default)" if linker == "pnp" and "nodeLinker" not in (self._ctx_text(posixpath.join(app_dir, ".yarnrc.yml")) or "") else "")
                           + ": the packages are not in node_modules but in the yarn cache, loaded through "
                           ".pnp.cjs; splitting that is not understood yet (nodeLinker: node-modules is)")


    def _berry_start_check(self, start_texts: list[str]) -> None:
        for t in start_texts:
            if re.search(r"(?:^|[\s;&|(])yarn\b", t):
                raise _Decline("the start command runs yarn berry, which reads its install state and yarn.lock at "
                               "run time: not proven in a slim runner (start the app with node)")


    def _yarn_berry_prune(self, app_dir: str, pkg: dict) -> str:
        """The production-only reinstall, where the yarn that runs is proven to have it."""
        rc = self._yarnrc(app_dir)
        major = yarn_berry_major(rc, pkg)
        if major is not None and major >= 4:
            return BERRY_PRUNE  # built into yarn 4
        if any("plugin-workspace-tools" in p for p in rc["plugins"]):
            return BERRY_PRUNE
        which = f"yarn {major}" if major else "a yarn berry of unknown version"
        raise _Decline(f"{which} without the workspace-tools plugin has no production-only install "
                       "(`yarn workspaces focus --production`): the devDependencies would reach the runner")
