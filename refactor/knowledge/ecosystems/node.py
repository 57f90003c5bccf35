"""Node.js: npm, yarn (classic and berry) and pnpm. What each install reads (package.json,
lock files, .npmrc, workspaces, lifecycle scripts) and writes (node_modules); the project's
manifest files; the development servers and build tools a start command must not need; the
build-only configuration files; the node base images."""
from __future__ import annotations

import posixpath
import re

from refactor.knowledge.ecosystems.steps import (
    LOCAL_SPEC,
    Options,
    StepReader,
    context_join,
    read_json,
    subdir,
)
from refactor.syntax.lazy_re import lazy

NPM_LIFECYCLE = (
    "preinstall", "install", "postinstall", "prepublish", "preprepare", "prepare", "postprepare",
    "dependencies",
)


_NPM_VALUE_FLAGS = ("--prefix", "--registry", "--cache", "-w", "--workspace", "--omit", "--include", "--only", "--loglevel", "--userconfig")


def _node_package(s: StepReader, pj_path: str, data: dict, ignore_scripts: bool, root: bool) -> None:
    scripts = data.get("scripts") if isinstance(data.get("scripts"), dict) else {}
    if not ignore_scripts:
        hooks = [k for k in NPM_LIFECYCLE if k in scripts]
        if hooks:
            s.needs.append(f"{pj_path} has lifecycle script(s) {', '.join(hooks)} that the install runs")
        gyp = context_join(posixpath.dirname(pj_path), "binding.gyp")
        if s.ctx.exists(gyp) and not any(k in scripts for k in ("install", "preinstall")):
            s.needs.append(f"{gyp} makes the install run node-gyp on the sources")
    for key in ("dependencies", "devDependencies", "optionalDependencies"):
        deps = data.get(key)
        if not isinstance(deps, dict):
            continue
        for name, spec in deps.items():
            if isinstance(spec, str) and LOCAL_SPEC.match(spec):
                s.local.append(f"{name}@{spec}")
    if not root and data.get("bin"):
        s.needs.append(f"{pj_path} declares `bin` files that the install links")


def _workspaces(s: StepReader, patterns: list[str], ignore_scripts: bool) -> None:
    for pat in patterns:
        if not isinstance(pat, str):
            s.unknown.append("workspaces field not understood")
            continue
        neg = pat.startswith("!")
        if neg:
            continue
        dirs = s.ctx.glob_dirs(s.at(pat))
        if not dirs:
            s.unknown.append(f"workspace pattern {pat!r} matches no folder in the build context")
        for d in dirs:
            pj = context_join(d, "package.json")
            if not s.ctx.exists(pj):
                continue
            s._add(pj, required=True, config=False)
            data = read_json(s, pj)
            if data is not None:
                _node_package(s, pj, data, ignore_scripts, root=False)
                s.outputs.append(context_join(d, "node_modules"))


def _npm(cmd, args, index, cwd, ctx, resolve, generated):
    o = Options(args, _NPM_VALUE_FLAGS, stop_at_positional=False)
    if not o.positional:
        return None
    sub = o.positional[0]
    if sub not in ("ci", "install", "i", "isntall", "add", "clean-install", "install-clean", "ic"):
        return None
    if o.has("-g", "--global", "--location") and (o.value("--location") in (None, "global")):
        return None  # a global install reads no project manifest
    pkgs = o.positional[1:]
    if pkgs:
        return None  # `npm install express` edits the manifests: not a dependency-install step
    s = StepReader("npm", cmd, index, subdir(cwd, o.value("--prefix")), ctx, resolve)
    if not s.ok:
        return s.freeze()
    clean = sub in ("ci", "clean-install", "install-clean", "ic")
    ignore = o.has("--ignore-scripts")
    pj = s.need("package.json")
    has_shrink = s.maybe("npm-shrinkwrap.json")
    has_lock = s.maybe("package-lock.json")
    if clean and not (has_shrink or has_lock):
        s.lack("package-lock.json")
    # npm 7+ reads a yarn.lock beside package.json to resolve versions, and `npm install` updates
    # it: without it the install resolves everything afresh.
    has_yarn_lock = s.maybe("yarn.lock")
    s.maybe(".npmrc", config=True)
    s.outputs.append(s.at("node_modules"))
    if not clean and (has_lock or has_shrink) and not (o.has("--no-package-lock") or o.value("--package-lock") == "false"):
        s.rewrites.append(s.at("npm-shrinkwrap.json" if has_shrink else "package-lock.json"))
    if not clean and has_yarn_lock:
        s.rewrites.append(s.at("yarn.lock"))
    data = read_json(s, pj) if s.sent(pj) else None
    if data is not None:
        _node_package(s, pj, data, ignore, root=True)
        _package_workspaces(s, data, ignore)
    return s.freeze()


def _package_workspaces(s: StepReader, data: dict, ignore_scripts: bool) -> None:
    """package.json's `workspaces` (a list, or `{packages: [...]}` as yarn classic writes it)."""
    pats = workspace_patterns(data)
    if pats:
        _workspaces(s, pats, ignore_scripts)


def _yarn_berry(s: StepReader, data: dict | None) -> bool:
    return is_yarn_berry(s.sent(s.at(".yarnrc.yml")) or s.ctx.exists(s.at(".yarn/releases")), data,
                         s.read(s.at("yarn.lock")) or "")


def is_yarn_berry(has_rc_or_releases: bool, package_json: dict | None, lock_text: str) -> bool:
    """Yarn 2+ (berry): a .yarnrc.yml or .yarn/releases, a `packageManager: yarn@2+`, or a lock
    file in berry's format (`__metadata:`)."""
    if has_rc_or_releases:
        return True
    pm = (package_json or {}).get("packageManager")
    if isinstance(pm, str) and re.match(r"yarn@([2-9]|\d\d)", pm):
        return True
    return "__metadata:" in lock_text[:2000]


def yarnrc_settings(text: str) -> dict:
    """What the analyses read of a .yarnrc.yml: `nodeLinker` (berry's default is pnp), `yarnPath`
    and the plugin files (`plugins:` entries, `- path: ...` or a bare path)."""
    def top(key: str) -> str | None:
        m = re.search(rf"^{key}:\s*['\"]?([^'\"\s#]+)", text, re.M)
        return m.group(1) if m else None

    plugins: list[str] = []
    block = re.search(r"^plugins:\s*\n((?:[ \t]+.*\n?|\s*\n)*)", text, re.M)
    if block:
        for m in re.finditer(r"^\s*(?:-\s*)?(?:path:\s*)?['\"]?([^'\"\s#:]+\.c?js)['\"]?\s*$", block.group(1), re.M):
            plugins.append(m.group(1))
    return {"nodeLinker": top("nodeLinker") or "pnp", "yarnPath": top("yarnPath"), "plugins": plugins}


def yarn_berry_major(settings: dict, package_json: dict | None) -> int | None:
    """The yarn major version that runs: the committed release yarnPath names, else the
    package.json `packageManager` corepack would fetch."""
    m = re.search(r"yarn-(\d+)\.[^/]*\.c?js$", settings.get("yarnPath") or "")
    if m:
        return int(m.group(1))
    pm = (package_json or {}).get("packageManager")
    m = re.match(r"yarn@(\d+)\.", pm) if isinstance(pm, str) else None
    return int(m.group(1)) if m else None


def workspace_patterns(package_json: dict | None) -> list:
    """package.json's `workspaces` (a list, or `{packages: [...]}` as yarn classic writes it)."""
    ws = (package_json or {}).get("workspaces")
    if isinstance(ws, dict):
        ws = ws.get("packages")
    if not ws:
        return []
    return list(ws) if isinstance(ws, list) else [ws]


def pnpm_workspace_patterns(text: str) -> list[str]:
    """The `packages:` globs of a pnpm-workspace.yaml."""
    body = text.split("packages:", 1)[1] if "packages:" in text else ""
    body = re.split(r"^\S", body, maxsplit=1, flags=re.M)[0]  # up to the next top-level key
    return re.findall(r"^\s*-\s*['\"]?([^'\"\n#]+?)['\"]?\s*$", body, re.M)


def _yarn(cmd, args, index, cwd, ctx, resolve, generated):
    o = Options(args, ("--cwd", "--cache-folder", "--modules-folder", "--network-timeout", "--mutex", "--registry"))
    pos = o.positional
    if pos and pos[0] not in ("install",):
        return None
    if pos[1:]:
        return None
    s = StepReader("yarn", cmd, index, subdir(cwd, o.value("--cwd")), ctx, resolve)
    if not s.ok:
        return s.freeze()
    if o.has("--modules-folder"):
        s.unknown.append("--modules-folder writes outside node_modules")
    pj = s.need("package.json")
    data = read_json(s, pj) if s.sent(pj) else None
    berry = _yarn_berry(s, data)
    frozen = o.has("--frozen-lockfile", "--immutable", "--pure-lockfile")
    has_lock = s.maybe("yarn.lock")
    if frozen and not has_lock and o.has("--frozen-lockfile", "--immutable"):
        s.lack("yarn.lock")
    if has_lock and not frozen:
        s.rewrites.append(s.at("yarn.lock"))
    ignore = o.has("--ignore-scripts")
    if berry:
        s.maybe(".yarnrc.yml", config=True)
        rc = s.read(s.at(".yarnrc.yml")) or ""
        m = re.search(r"^yarnPath:\s*['\"]?([^'\"\s#]+)", rc, re.M)
        if m:
            s.need(m.group(1), config=True)
        for d in (".yarn/releases", ".yarn/plugins", ".yarn/patches", ".yarn/versions", ".yarn/cache"):
            s.maybe(d, config=True)
        if re.search(r"^\s*enableScripts:\s*false", rc, re.M):
            ignore = True
        for out in (".pnp.cjs", ".pnp.loader.mjs", ".pnp.js", ".yarn/install-state.gz", ".yarn/unplugged", "node_modules"):
            s.outputs.append(s.at(out))
    else:
        s.maybe(".yarnrc", config=True)
        s.maybe(".npmrc", config=True)
        s.outputs.append(s.at("node_modules"))
    if data is not None:
        _node_package(s, pj, data, ignore, root=True)
        for key in ("dependencies", "devDependencies", "resolutions"):
            deps = data.get(key)
            if isinstance(deps, dict):
                for spec in deps.values():
                    if isinstance(spec, str) and spec.startswith("patch:") and "#" in spec:
                        p = spec.split("#", 1)[1].split("::", 1)[0]
                        p = p[2:] if p.startswith("~/") else p
                        if not p.startswith((".yarn/patches", "./.yarn/patches")):
                            s.need(p)
        _package_workspaces(s, data, ignore)
    return s.freeze()


def _pnpm(cmd, args, index, cwd, ctx, resolve, generated):
    o = Options(args, ("--dir", "-C", "--filter", "-F", "--store-dir", "--virtual-store-dir", "--modules-dir"))
    pos = o.positional
    if not pos or pos[0] not in ("install", "i", "fetch"):
        return None
    if pos[1:]:
        return None
    s = StepReader("pnpm", cmd, index, subdir(cwd, o.value("--dir", "-C")), ctx, resolve)
    if not s.ok:
        return s.freeze()
    fetch = pos[0] == "fetch"
    frozen = o.has("--frozen-lockfile") or fetch
    pj = s.need("package.json") if not fetch else None
    has_lock = s.maybe("pnpm-lock.yaml")
    if (frozen or fetch) and not has_lock:
        s.lack("pnpm-lock.yaml")
    if has_lock and not frozen:
        s.rewrites.append(s.at("pnpm-lock.yaml"))
    s.maybe(".npmrc", config=True)
    s.maybe(".pnpmfile.cjs", config=True)
    s.maybe("pnpm-workspace.yaml", config=True)
    s.outputs.append(s.at("node_modules"))
    if fetch:
        return s.freeze()  # pnpm fetch reads the lock file only
    data = read_json(s, pj) if s.sent(pj) else None
    ignore = o.has("--ignore-scripts")
    if data is not None:
        _node_package(s, pj, data, ignore, root=True)
        patched = ((data.get("pnpm") or {}).get("patchedDependencies") or {}) if isinstance(data.get("pnpm"), dict) else {}
        for p in patched.values():
            if isinstance(p, str):
                s.need(p)
    wsy = s.read(s.at("pnpm-workspace.yaml"))
    if wsy:
        pats = pnpm_workspace_patterns(wsy)
        if "patchedDependencies" in wsy or "catalog" in wsy and not pats:
            s.unknown.append("pnpm-workspace.yaml has settings this analysis does not read")
        _workspaces(s, pats, ignore)
    return s.freeze()


DEV_NODE_PATTERNS = (
    (lazy(r"(?:^|[\s;&|(])nodemon\b"), "nodemon restarts on file changes (a development tool)"),
    (lazy(r"(?:^|[\s;&|(])ts-node(?:-dev)?\b"), "ts-node compiles TypeScript at run time"),
    (lazy(r"(?:^|[\s;&|(])tsx\b"), "tsx compiles TypeScript at run time"),
    (lazy(r"(?:^|[\s;&|(])next\s+dev\b"), "`next dev` is the development server"),
    (lazy(r"(?:^|[\s;&|(])nuxt\s+dev\b"), "`nuxt dev` is the development server"),
    (lazy(r"(?:^|[\s;&|(])vite(?:\s+(?:dev|serve)\b|\s*$|\s+--)"), "vite's dev server"),
    (lazy(r"(?:^|[\s;&|(])react-scripts\s+start\b"), "`react-scripts start` is the development server"),
    (lazy(r"(?:^|[\s;&|(])ng\s+serve\b"), "`ng serve` is the development server"),
    (lazy(r"(?:^|[\s;&|(])webpack(?:-dev-server|\s+serve)\b"), "webpack's dev server"),
    (lazy(r"(?:^|[\s;&|(])vue-cli-service\s+serve\b"), "`vue-cli-service serve` is the development server"),
    (lazy(r"(?:^|[\s;&|(])(?:gatsby|astro|remix|svelte-kit)\s+dev(?:elop)?\b"), "a development server"),
    (lazy(r"--watch\b"), "a watch mode"),
    (lazy(r"(?:^|[\s;&|(])storybook\b|start-storybook"), "storybook is a development tool"),
)


DEV_SCRIPT_NAMES = frozenset({"dev", "develop", "watch", "start:dev", "serve:dev", "dev:server", "storybook"})


# Binaries whose npm package has another name.
NODE_BIN_PACKAGE = {
    "tsc": "typescript", "nest": "@nestjs/cli", "ng": "@angular/cli", "vue-cli-service": "@vue/cli-service",
    "react-scripts": "react-scripts", "pm2-runtime": "pm2", "pm2": "pm2", "ts-node": "ts-node",
    "next": "next", "nuxt": "nuxt", "serve": "serve", "http-server": "http-server", "vite": "vite",
    "prisma": "prisma", "sequelize": "sequelize-cli", "knex": "knex", "typeorm": "typeorm",
}


# Node build tools and where they write by default.
NODE_BUILD_TOOLS = frozenset({
    "tsc", "vite", "webpack", "next", "nest", "react-scripts", "babel", "esbuild", "rollup", "tsup",
    "parcel", "ng", "vue-cli-service", "rimraf", "rm", "mkdir", "cp", "copyfiles", "cpx", "echo",
    "shx", "del-cli", "tailwindcss", "postcss", "sass", "node-sass", "swc", "gulp", "grunt",
    "nuxt", "astro", "svelte-kit", "remix", "tsc-alias", "cross-env",
})


# Files that configure a build or test tool, never read by the running app.
NODE_BUILD_ONLY_NAMES = (
    "tsconfig*.json", "vite.config.*", "vitest.config.*", "webpack.config.*", "webpack.*.js",
    "rollup.config.*", "babel.config.*", ".babelrc*", "esbuild.*", "tsup.config.*", "jest.config.*",
    ".swcrc", "postcss.config.*", "tailwind.config.*", "nest-cli.json", "angular.json",
)


# Read by the install only (and .npmrc may hold a registry token).
NODE_INSTALL_ONLY_NAMES = ("package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml",
                           ".npmrc", ".yarnrc", ".pnpmfile.cjs")


NAME = "node"
IMAGES = ("node",)  # official image repositories whose builds are this ecosystem's
MANIFESTS = (
    "package.json", "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml",
    "pnpm-workspace.yaml", ".npmrc", ".yarnrc", ".yarnrc.yml", ".pnpmfile.cjs",
)
# What shows the build context is really there: without one of these, never guess.
CONTEXT_MARKERS = ("package.json",)
# Slim images of the language also have these commands.
LANGUAGE_TOOLS = frozenset({"node", "npm", "npx", "yarn", "yarnpkg", "corepack", "docker-entrypoint.sh"})
INSTALLERS = {"npm": _npm, "yarn": _yarn, "pnpm": _pnpm}
# Paths the installs generate inside a project, for .dockerignore proposals.
GENERATED = {"npm": ("node_modules",), "yarn": ("node_modules",), "pnpm": ("node_modules",)}
