"""Which files a dependency-install command reads, per ecosystem.

    from refactor.knowledge.manifests import install_steps
    for step in install_steps(run_instruction, build_context):
        step.ecosystem, step.manifests      # 'npm', ('package.json', 'package-lock.json')
        step.self_contained                 # True: the step reads nothing but its manifests
        step.problems                       # why not, for the user

A step is *self-contained* when running it with only `manifests` present gives the same result
as running it in the full source tree: every file it reads is listed (lock files, package-manager
configuration, nested requirement files, workspace manifests), none is missing from the build
context, and nothing else is read (no lifecycle scripts, no local path dependencies, no install of
the project itself). `outputs` are the paths the step writes inside the project (node_modules,
.venv, vendor): a later copy of the sources must not bring those. `rewrites` are manifests the
step may itself rewrite (`npm install` and package-lock.json), so a copy of the sources after it
would restore the context's version.

Paths: a step's paths are build-context paths (`frontend/package.json`). `resolve` maps a path as
the RUN sees it (relative to the RUN's working directory, after any `cd`, or absolute) to a
context path, or None when it does not come from the context. By default the RUN's working
directory is the context root.

Knowledge sources: npm docs (scripts: `npm ci`/`npm install` run preinstall, install,
postinstall, prepublish, preprepare, prepare, postprepare and dependencies for the root
project), pip's requirements-file format (nested `-r`/`-c` paths are relative to the file that
names them), Poetry (`--no-root`, `package-mode = false`), uv (`--no-install-project`), Bundler,
Composer (scripts and the autoloader dump), Go (`replace` to a local path, go.work), Maven
(`<modules>`), Gradle (build scripts are code).
"""
from __future__ import annotations

import json
import posixpath
import re
import tomllib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable, Optional

from refactor.knowledge.context import go_clean

if TYPE_CHECKING:
    from refactor.knowledge.context import BuildContext
    from refactor.syntax.nodes import Instruction
    from refactor.shell.parse import ShellScript, SimpleCommand

Resolver = Callable[[str], Optional[str]]

NPM_LIFECYCLE = (
    "preinstall", "install", "postinstall", "prepublish", "preprepare", "prepare", "postprepare",
    "dependencies",
)
COMPOSER_EVENTS = (
    "pre-install-cmd", "post-install-cmd", "pre-autoload-dump", "post-autoload-dump",
    "pre-package-install", "post-package-install", "post-root-package-install",
)
# Static change-frequency classes, used when there is no git history: manifests first, then
# configuration, then sources.
MANIFEST, CONFIG, SOURCE = 0, 1, 2


@dataclass(frozen=True)
class InstallStep:
    ecosystem: str  # npm, yarn, pnpm, pip, pipenv, poetry, uv, pdm, conda, go, cargo, bundler, composer, maven, gradle
    command: str  # the command's text, for messages
    index: int  # position among the RUN's commands (units)
    dir: str | None  # where it runs, relative to the RUN's working directory ("" = there) or absolute
    context_dir: str | None  # that folder in the build context, when known
    manifests: tuple[str, ...] = ()  # context paths it reads (files, or folders such as .yarn/releases)
    config: tuple[str, ...] = ()  # those of `manifests` that are configuration rather than manifests
    missing: tuple[str, ...] = ()  # files it needs that the context does not send
    local_deps: tuple[str, ...] = ()  # local packages it installs (`.`, `file:../lib`, `-e .`)
    needs_sources: tuple[str, ...] = ()  # other reasons it reads more than its manifests
    unknown: tuple[str, ...] = ()  # what the analysis could not tell
    outputs: tuple[str, ...] = ()  # context-relative paths in the project it writes (node_modules)
    rewrites: tuple[str, ...] = ()  # manifests it may rewrite
    provable: bool = True  # False where the build logic is code (Gradle scripts)

    @property
    def self_contained(self) -> bool:
        return not (self.missing or self.local_deps or self.needs_sources or self.unknown)

    @property
    def problems(self) -> list[str]:
        out = []
        if self.missing:
            out.append(f"needs {', '.join(self.missing)}, which the build context does not send")
        if self.local_deps:
            out.append(f"installs local path dependencies ({', '.join(self.local_deps)}), which need more than the manifests")
        out.extend(self.needs_sources)
        out.extend(self.unknown)
        return out


@dataclass
class CommandInfo:
    """One command of a RUN: its position, the directory it runs in, and the install step it
    is, if any."""

    unit: object  # SimpleCommand or Opaque
    index: int
    dir: str | None
    step: InstallStep | None = None
    kind: str = "other"  # install, cd, other, opaque


# --------------------------------------------------------------------------------- public API


def install_steps(
    run: "Instruction | str | ShellScript",
    context: "BuildContext | None",
    resolve: Resolver | None = None,
) -> list[InstallStep]:
    """The dependency-install steps in a RUN (shell form), with what each reads."""
    return [c.step for c in scan(run, context, resolve) if c.step is not None]


def scan(
    run: "Instruction | str | ShellScript",
    context: "BuildContext | None",
    resolve: Resolver | None = None,
) -> list[CommandInfo]:
    """Every command of a RUN with its working directory and, for installs, the step."""
    from refactor.shell.parse import Opaque, ShellScript, SimpleCommand, parse_shell

    if isinstance(run, ShellScript):
        script = run
    elif isinstance(run, str):
        script = parse_shell(run)
    else:
        if run.is_json or run.heredocs:
            return []
        from refactor.syntax.edit import body_text

        script = parse_shell(body_text(run), run.escape)
    resolve = resolve or default_resolver
    out: list[CommandInfo] = []
    cwd: str | None = ""
    generated: set[str] = set()
    items = script.items
    units = [x for x in items if isinstance(x, (SimpleCommand, Opaque))]
    for idx, unit in enumerate(units):
        op_after = _operator_after(items, unit)
        if isinstance(unit, Opaque):
            out.append(CommandInfo(unit, idx, cwd, None, "opaque"))
            cwd = None if _mentions_cd(unit.raw) else cwd
            continue
        name = _base(unit.name)
        if name in ("cd", "pushd", "popd"):
            args = unit.arg_values
            new = None
            if name == "cd" and len(args) == 1 and args[0] is not None and cwd is not None:
                new = _join(cwd, args[0])
            in_pipeline = op_after in ("|", "|&") or _operator_before(items, unit) in ("|", "|&")
            out.append(CommandInfo(unit, idx, cwd, None, "cd"))
            if not in_pipeline:
                cwd = new
            continue
        step = _probe(unit, idx, cwd, context, resolve, generated)
        out.append(CommandInfo(unit, idx, cwd, step, "install" if step is not None else "other"))
    return out


def default_resolver(path: str) -> str | None:
    """The RUN's working directory is the context root."""
    if path.startswith("/") or path.startswith("~") or "$" in path:
        return None
    c = go_clean(path)
    if c == ".." or c.startswith("../"):
        return None
    return "" if c == "." else c


# ------------------------------------------------------------------------------------ helpers


def _operator_after(items, unit) -> str | None:
    for i, x in enumerate(items):
        if x is unit:
            nxt = items[i + 1] if i + 1 < len(items) else None
            return getattr(nxt, "op", None) if nxt is not None else None
    return None


def _operator_before(items, unit) -> str | None:
    for i, x in enumerate(items):
        if x is unit:
            prv = items[i - 1] if i > 0 else None
            return getattr(prv, "op", None) if prv is not None else None
    return None


def _mentions_cd(text: str) -> bool:
    return re.search(r"(^|[\s;&|(])(cd|pushd|popd)(\s|$)", text) is not None


def _base(name: str | None) -> str:
    if not name:
        return ""
    return name.rsplit("/", 1)[-1]


def _join(cwd: str, path: str) -> str | None:
    if "$" in path or path.startswith("~") or path == "-":
        return None
    if path.startswith("/"):
        return go_clean(path)
    if cwd.startswith("/"):
        return go_clean(posixpath.join(cwd, path))
    j = go_clean(posixpath.join(cwd or ".", path))
    return "" if j == "." else j


def _cjoin(base: str, rel: str) -> str:
    j = go_clean(posixpath.join(base or ".", rel))
    return "" if j == "." else j


_PIP_NAME = re.compile(r"^pip(\d+(\.\d+)?)?$")
_PY_NAME = re.compile(r"^python(\d+(\.\d+)?)?$")


def _tool_and_args(cmd: "SimpleCommand") -> tuple[str, list[str | None]]:
    name = _base(cmd.name)
    args = list(cmd.arg_values)
    if _PY_NAME.match(name) and len(args) >= 2 and args[0] == "-m" and args[1]:
        return _base(args[1]), args[2:]
    if name == "corepack" and args and args[0] in ("yarn", "pnpm", "npm"):
        return args[0], args[1:]
    if name == "uv" and args and args[0] == "pip":
        return "uv-pip", args[1:]
    if _PIP_NAME.match(name):
        return "pip", args
    if name in ("mvnw", "gradlew"):
        return name[:-1] if name == "mvnw" else "gradle", args
    return name, args


class _Opts:
    """Tiny option parser: flags (name -> value or True) and positional words, in order."""

    def __init__(self, args: list[str | None], value_flags: Iterable[str] = (), stop_at_positional: bool = False):
        vf = set(value_flags)
        self.flags: list[tuple[str, str | bool | None]] = []
        self.positional: list[str | None] = []
        self.expansions = False
        i = 0
        done = False
        while i < len(args):
            a = args[i]
            if a is None:
                self.expansions = True
                self.positional.append(None)
                i += 1
                continue
            if not done and a == "--":
                done = True
                i += 1
                continue
            if not done and a.startswith("--") and len(a) > 2:
                name, eq, val = a.partition("=")
                if eq:
                    self.flags.append((name, val))
                elif name in vf and i + 1 < len(args):
                    self.flags.append((name, args[i + 1]))
                    i += 1
                else:
                    self.flags.append((name, True))
            elif not done and a.startswith("-") and len(a) > 1:
                # short options, possibly bundled; a value flag takes the rest or the next word
                j = 1
                while j < len(a):
                    n = "-" + a[j]
                    if n in vf:
                        rest = a[j + 1 :]
                        if rest:
                            self.flags.append((n, rest))
                        elif i + 1 < len(args):
                            self.flags.append((n, args[i + 1]))
                            i += 1
                        else:
                            self.flags.append((n, None))
                        break
                    self.flags.append((n, True))
                    j += 1
            else:
                self.positional.append(a)
                if stop_at_positional:
                    done = True
            i += 1

    def has(self, *names: str) -> bool:
        return any(n == k for k, _ in self.flags for n in names)

    def value(self, *names: str) -> str | None:
        found = None
        for k, v in self.flags:
            if k in names and isinstance(v, str):
                found = v
        return found

    def values(self, *names: str) -> list[str | None]:
        return [v if isinstance(v, str) or v is None else None for k, v in self.flags if k in names]


class _Step:
    """Collects what one install step reads, then freezes into an InstallStep."""

    def __init__(self, ecosystem, cmd, index, dir, context, resolve):
        self.ecosystem = ecosystem
        self.command = cmd.raw if hasattr(cmd, "raw") else str(cmd)
        self.index = index
        self.dir = dir
        self.ctx = context
        self.resolve = resolve
        self.manifests: list[str] = []
        self.config: list[str] = []
        self.missing: list[str] = []
        self.local: list[str] = []
        self.needs: list[str] = []
        self.unknown: list[str] = []
        self.outputs: list[str] = []
        self.rewrites: list[str] = []
        self.provable = True
        self.cdir: str | None = None
        if dir is None:
            self.unknown.append(f"`{self.command}`: cannot tell which folder it runs in")
        else:
            self.cdir = resolve(dir if dir else ".")
            if self.cdir is None:
                self.unknown.append(f"`{self.command}` runs in {dir or 'the working directory'}, which does not come from the build context")
        if context is None:
            self.unknown.append("no build context to read the manifests from")

    @property
    def ok(self) -> bool:
        return self.cdir is not None and self.ctx is not None

    def at(self, rel: str) -> str:
        return _cjoin(self.cdir or "", rel)

    def sent(self, cpath: str) -> bool:
        return self.ctx is not None and self.ctx.sent(cpath)

    def need(self, rel: str, *, config: bool = False) -> str:
        c = self.at(rel)
        self._add(c, required=True, config=config)
        return c

    def maybe(self, rel: str, *, config: bool = False) -> bool:
        c = self.at(rel)
        return self._add(c, required=False, config=config)

    def _add(self, cpath: str, required: bool, config: bool) -> bool:
        if not self.ok:
            return False
        if self.sent(cpath):
            if cpath not in self.manifests:
                self.manifests.append(cpath)
                if config:
                    self.config.append(cpath)
            return True
        if required and cpath not in self.missing:
            why = " (excluded by .dockerignore)" if self.ctx.exists(cpath) else ""
            self.missing.append(cpath + why)
        return False

    def lack(self, rel: str) -> None:
        c = self.at(rel)
        why = " (excluded by .dockerignore)" if self.ctx is not None and self.ctx.exists(c) else ""
        if c + why not in self.missing:
            self.missing.append(c + why)

    def read(self, cpath: str) -> str | None:
        return self.ctx.read_text(cpath) if self.ok else None

    def freeze(self) -> InstallStep:
        return InstallStep(
            self.ecosystem, self.command, self.index, self.dir, self.cdir,
            tuple(self.manifests), tuple(self.config), tuple(self.missing), tuple(dict.fromkeys(self.local)),
            tuple(dict.fromkeys(self.needs)), tuple(dict.fromkeys(self.unknown)), tuple(dict.fromkeys(self.outputs)),
            tuple(dict.fromkeys(self.rewrites)), self.provable,
        )


def _probe(cmd, index, cwd, context, resolve, generated) -> InstallStep | None:
    tool, args = _tool_and_args(cmd)
    fn = _TOOLS.get(tool)
    if fn is None:
        return None
    return fn(cmd, args, index, cwd, context, resolve, generated)


def _subdir(cwd: str | None, d: str | None) -> str | None:
    if cwd is None:
        return None
    if d is None:
        return cwd
    return _join(cwd, d)


# ------------------------------------------------------------------------------------- node


def _read_json(s: _Step, cpath: str) -> dict | None:
    text = s.read(cpath)
    if text is None:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        s.unknown.append(f"{cpath} is not valid JSON")
        return None
    return data if isinstance(data, dict) else None


_LOCAL_SPEC = re.compile(r"^(file:|link:|portal:|\.{1,2}/|/|~/)")


def _node_package(s: _Step, pj_path: str, data: dict, ignore_scripts: bool, root: bool) -> None:
    scripts = data.get("scripts") if isinstance(data.get("scripts"), dict) else {}
    if not ignore_scripts:
        hooks = [k for k in NPM_LIFECYCLE if k in scripts]
        if hooks:
            s.needs.append(f"{pj_path} has lifecycle script(s) {', '.join(hooks)} that the install runs")
        gyp = _cjoin(posixpath.dirname(pj_path), "binding.gyp")
        if s.ctx.exists(gyp) and not any(k in scripts for k in ("install", "preinstall")):
            s.needs.append(f"{gyp} makes the install run node-gyp on the sources")
    for key in ("dependencies", "devDependencies", "optionalDependencies"):
        deps = data.get(key)
        if not isinstance(deps, dict):
            continue
        for name, spec in deps.items():
            if isinstance(spec, str) and _LOCAL_SPEC.match(spec):
                s.local.append(f"{name}@{spec}")
    if not root and data.get("bin"):
        s.needs.append(f"{pj_path} declares `bin` files that the install links")


def _workspaces(s: _Step, patterns: list[str], ignore_scripts: bool) -> None:
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
            pj = _cjoin(d, "package.json")
            if not s.ctx.exists(pj):
                continue
            s._add(pj, required=True, config=False)
            data = _read_json(s, pj)
            if data is not None:
                _node_package(s, pj, data, ignore_scripts, root=False)
                s.outputs.append(_cjoin(d, "node_modules"))


_NPM_VALUE_FLAGS = ("--prefix", "--registry", "--cache", "-w", "--workspace", "--omit", "--include", "--only", "--loglevel", "--userconfig")


def _npm(cmd, args, index, cwd, ctx, resolve, generated):
    o = _Opts(args, _NPM_VALUE_FLAGS, stop_at_positional=False)
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
    s = _Step("npm", cmd, index, _subdir(cwd, o.value("--prefix")), ctx, resolve)
    if not s.ok:
        return s.freeze()
    clean = sub in ("ci", "clean-install", "install-clean", "ic")
    ignore = o.has("--ignore-scripts")
    pj = s.need("package.json")
    has_shrink = s.maybe("npm-shrinkwrap.json")
    has_lock = s.maybe("package-lock.json")
    if clean and not (has_shrink or has_lock):
        s.lack("package-lock.json")
    s.maybe(".npmrc", config=True)
    s.outputs.append(s.at("node_modules"))
    if not clean and (has_lock or has_shrink) and not (o.has("--no-package-lock") or o.value("--package-lock") == "false"):
        s.rewrites.append(s.at("npm-shrinkwrap.json" if has_shrink else "package-lock.json"))
    data = _read_json(s, pj) if s.sent(pj) else None
    if data is not None:
        _node_package(s, pj, data, ignore, root=True)
        ws = data.get("workspaces")
        if isinstance(ws, dict):
            ws = ws.get("packages")
        if ws:
            _workspaces(s, list(ws) if isinstance(ws, list) else [ws], ignore)
    return s.freeze()


def _yarn_berry(s: _Step, data: dict | None) -> bool:
    if s.sent(s.at(".yarnrc.yml")) or s.ctx.exists(s.at(".yarn/releases")):
        return True
    pm = (data or {}).get("packageManager")
    if isinstance(pm, str) and re.match(r"yarn@([2-9]|\d\d)", pm):
        return True
    lock = s.read(s.at("yarn.lock")) or ""
    return "__metadata:" in lock[:2000]


def _yarn(cmd, args, index, cwd, ctx, resolve, generated):
    o = _Opts(args, ("--cwd", "--cache-folder", "--modules-folder", "--network-timeout", "--mutex", "--registry"))
    pos = o.positional
    if pos and pos[0] not in ("install",):
        return None
    if pos[1:]:
        return None
    s = _Step("yarn", cmd, index, _subdir(cwd, o.value("--cwd")), ctx, resolve)
    if not s.ok:
        return s.freeze()
    if o.has("--modules-folder"):
        s.unknown.append("--modules-folder writes outside node_modules")
    pj = s.need("package.json")
    data = _read_json(s, pj) if s.sent(pj) else None
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
        ws = data.get("workspaces")
        if isinstance(ws, dict):
            ws = ws.get("packages")
        if ws:
            _workspaces(s, list(ws) if isinstance(ws, list) else [ws], ignore)
    return s.freeze()


def _pnpm(cmd, args, index, cwd, ctx, resolve, generated):
    o = _Opts(args, ("--dir", "-C", "--filter", "-F", "--store-dir", "--virtual-store-dir", "--modules-dir"))
    pos = o.positional
    if not pos or pos[0] not in ("install", "i", "fetch"):
        return None
    if pos[1:]:
        return None
    s = _Step("pnpm", cmd, index, _subdir(cwd, o.value("--dir", "-C")), ctx, resolve)
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
    data = _read_json(s, pj) if s.sent(pj) else None
    ignore = o.has("--ignore-scripts")
    if data is not None:
        _node_package(s, pj, data, ignore, root=True)
        patched = ((data.get("pnpm") or {}).get("patchedDependencies") or {}) if isinstance(data.get("pnpm"), dict) else {}
        for p in patched.values():
            if isinstance(p, str):
                s.need(p)
    wsy = s.read(s.at("pnpm-workspace.yaml"))
    if wsy:
        pats = re.findall(r"^\s*-\s*['\"]?([^'\"\n#]+?)['\"]?\s*$", wsy.split("packages:", 1)[1] if "packages:" in wsy else "", re.M)
        if "patchedDependencies" in wsy or "catalog" in wsy and not pats:
            s.unknown.append("pnpm-workspace.yaml has settings this analysis does not read")
        _workspaces(s, pats, ignore)
    return s.freeze()


# ----------------------------------------------------------------------------------- python


_PIP_VALUE_FLAGS = (
    "-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-i", "--index-url",
    "--extra-index-url", "-f", "--find-links", "--log", "--proxy", "--retries", "--timeout",
    "--cache-dir", "-t", "--target", "--prefix", "--root", "--src", "--python", "--platform",
    "--python-version", "--implementation", "--abi", "--progress-bar", "--trusted-host",
    "--upgrade-strategy", "--no-binary", "--only-binary", "--exists-action", "--cert",
    "--client-cert", "--global-option", "--config-settings", "-C", "--report", "--root-user-action",
    "--use-feature", "--use-deprecated", "-p", "--extra", "--group",
)
_VCS = re.compile(r"^(git|hg|svn|bzr)\+")


def _is_url(x: str) -> bool:
    return "://" in x and not x.startswith("file:")


def _looks_local(spec: str) -> bool:
    """A requirement that names a local path (pip treats anything with a path separator or a
    leading dot, or an archive name, as a path)."""
    spec = spec.strip()
    if spec.startswith("file:"):
        return True
    if _is_url(spec) or _VCS.match(spec):
        return False
    if re.search(r"@\s*file:", spec):
        return True
    head = re.split(r"[\s;]", spec, 1)[0]
    if head.startswith((".", "/", "~")):
        return True
    if "/" in head.split("@")[0]:
        return True
    return bool(re.search(r"\.(whl|zip|tar\.gz|tgz|tar\.bz2|tar)$", head))


def _requirements(s: _Step, cpath: str, seen: set[str], generated: set[str]) -> None:
    if cpath in seen:
        return
    seen.add(cpath)
    text = s.read(cpath)
    if text is None:
        return
    base = posixpath.dirname(cpath)
    text = re.sub(r"\\\r?\n", "", text)
    for raw in text.splitlines():
        line = re.sub(r"(^|\s)#.*$", "", raw).strip()
        if not line:
            continue
        if "${" in line and re.match(r"^(-r|--requirement|-c|--constraint|-e|--editable|-f|--find-links)", line):
            s.unknown.append(f"{cpath}: `{line}` uses an environment variable in a path")
            continue
        m = re.match(r"^(-r|--requirement|-c|--constraint)(?:\s*=\s*|\s+|(?<=-r)|(?<=-c))(\S+)", line)
        if m:
            target = m.group(2)
            if _is_url(target):
                continue
            nested = _cjoin(base, target)
            if s.ctx.inside(nested) and s._add(nested, required=True, config=False):
                _requirements(s, nested, seen, generated)
            continue
        m = re.match(r"^(-e|--editable)(?:\s*=\s*|\s+)(\S+)", line)
        if m:
            target = m.group(2)
            if _VCS.match(target) or _is_url(target):
                s.outputs.append(s.at("src"))  # pip clones editable VCS requirements into ./src
            else:
                s.local.append(f"-e {target} (in {cpath})")
            continue
        m = re.match(r"^(-f|--find-links)(?:\s*=\s*|\s+)(\S+)", line)
        if m:
            target = m.group(2)
            if not _is_url(target):
                s._add(_cjoin(base, target.removeprefix("file:").removeprefix("//")), required=True, config=False)
            continue
        if line.startswith("-"):
            continue  # --index-url, --hash, --pre ...: nothing to read
        if _looks_local(line):
            s.local.append(f"{line.split()[0]} (in {cpath})")


def _pip(cmd, args, index, cwd, ctx, resolve, generated, *, tool="pip"):
    o = _Opts(args, _PIP_VALUE_FLAGS)
    pos = o.positional
    if not pos or pos[0] != "install" and not (tool == "uv-pip" and pos[0] == "sync"):
        return None
    sync = pos[0] == "sync"
    reqs = [v for v in o.values("-r", "--requirement", "-c", "--constraint")]
    if sync:
        reqs += pos[1:]
    specs = [] if sync else pos[1:]
    editables = o.values("-e", "--editable")
    local_specs = [x for x in specs if x is None or _looks_local(x)]
    if not reqs and not editables and not local_specs:
        return None  # `pip install requests==2.31`: reads no project file
    s = _Step("pip", cmd, index, cwd, ctx, resolve)
    if not s.ok:
        return s.freeze()
    seen: set[str] = set()
    for r in reqs:
        if r is None:
            s.unknown.append(f"`{s.command}`: a requirements path is not a plain word")
            continue
        if _is_url(r):
            continue
        if r in generated:
            continue
        c = s.need(r)
        if s.sent(c):
            _requirements(s, c, seen, generated)
    for e in editables:
        if e is None:
            s.unknown.append("an editable requirement is not a plain word")
        elif _VCS.match(e) or _is_url(e):
            s.outputs.append(s.at(o.value("--src") or "src"))
        else:
            s.local.append(f"-e {e}")
    for x in local_specs:
        s.local.append(x if x is not None else "(a requirement that is not a plain word)")
    for f in o.values("-f", "--find-links"):
        if f is not None and not _is_url(f):
            s.need(f.removeprefix("file:"))
    for opt in ("-t", "--target", "--prefix", "--root"):
        v = o.value(opt)
        if v is not None and not v.startswith("/"):
            s.outputs.append(s.at(v))
    return s.freeze()


def _uv_pip(cmd, args, index, cwd, ctx, resolve, generated):
    return _pip(cmd, args, index, cwd, ctx, resolve, generated, tool="uv-pip")


def _toml(s: _Step, cpath: str) -> dict | None:
    text = s.read(cpath)
    if text is None:
        return None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        s.unknown.append(f"{cpath} is not valid TOML")
        return None


def _poetry(cmd, args, index, cwd, ctx, resolve, generated):
    o = _Opts(args, ("--only", "--with", "--without", "-E", "--extras", "--directory", "-C", "-P", "--project"))
    pos = o.positional
    if not pos or pos[0] not in ("install", "sync", "export"):
        return None
    s = _Step("poetry", cmd, index, _subdir(cwd, o.value("--directory", "-C", "--project", "-P")), ctx, resolve)
    if not s.ok:
        return s.freeze()
    pp = s.need("pyproject.toml")
    s.maybe("poetry.lock")
    s.maybe("poetry.toml", config=True)
    data = _toml(s, pp) if s.sent(pp) else None
    tool = ((data or {}).get("tool") or {}).get("poetry") or {}
    if pos[0] == "export":
        out = o.value("-o", "--output")
        if out:
            generated.add(out)
            s.outputs.append(s.at(out))
        return s.freeze()
    package_mode = tool.get("package-mode", True)
    if o.has("--only-root"):
        s.needs.append("`poetry install --only-root` installs the project itself")
    elif not o.has("--no-root") and package_mode is not False:
        s.needs.append("`poetry install` without --no-root also installs the project itself, which needs its sources (add --no-root and install the project after the sources are copied)")
    for group in [tool.get("dependencies") or {}, tool.get("dev-dependencies") or {}] + [
        (g or {}).get("dependencies") or {} for g in (tool.get("group") or {}).values() if isinstance(g, dict)
    ]:
        for name, spec in group.items():
            if isinstance(spec, dict) and "path" in spec:
                s.local.append(f"{name} = {{path = {spec['path']!r}}}")
    project = (data or {}).get("project") or {}
    for dep in project.get("dependencies") or []:
        if isinstance(dep, str) and _looks_local(dep.split(" @ ", 1)[-1] if " @ " in dep else dep) and "@" in dep:
            s.local.append(dep)
    s.outputs.append(s.at(".venv"))
    return s.freeze()


def _uv(cmd, args, index, cwd, ctx, resolve, generated):
    o = _Opts(args, ("--directory", "--project", "--package", "--extra", "--group", "--only-group", "-p", "--python", "--no-install-package"))
    pos = o.positional
    if not pos or pos[0] != "sync":
        return None
    s = _Step("uv", cmd, index, _subdir(cwd, o.value("--directory", "--project")), ctx, resolve)
    if not s.ok:
        return s.freeze()
    pp = s.need("pyproject.toml")
    has_lock = s.maybe("uv.lock")
    if o.has("--locked", "--frozen") and not has_lock:
        s.lack("uv.lock")
    s.maybe("uv.toml", config=True)
    s.maybe(".python-version", config=True)
    if not o.has("--locked", "--frozen"):
        s.rewrites.append(s.at("uv.lock"))
    data = _toml(s, pp) if s.sent(pp) else None
    uvt = ((data or {}).get("tool") or {}).get("uv") or {}
    if uvt.get("workspace"):
        s.unknown.append("a uv workspace: the members' pyproject.toml files are read too")
    for name, src in (uvt.get("sources") or {}).items():
        if isinstance(src, dict) and ("path" in src or src.get("workspace")):
            s.local.append(f"{name} (tool.uv.sources)")
    if not o.has("--no-install-project", "--no-install-workspace", "--only-deps"):
        if (data or {}).get("project") is not None and uvt.get("package", True) is not False or (data or {}).get("build-system"):
            s.needs.append("`uv sync` without --no-install-project also installs the project itself, which needs its sources")
    if "dynamic" in ((data or {}).get("project") or {}) and not o.has("--frozen"):
        s.needs.append("the project's metadata is dynamic: uv builds the project to read it")
    s.outputs.append(s.at(".venv"))
    return s.freeze()


def _pdm(cmd, args, index, cwd, ctx, resolve, generated):
    o = _Opts(args, ("-G", "--group", "-p", "--project", "-L", "--lockfile"))
    pos = o.positional
    if not pos or pos[0] not in ("install", "sync"):
        return None
    s = _Step("pdm", cmd, index, _subdir(cwd, o.value("-p", "--project")), ctx, resolve)
    if not s.ok:
        return s.freeze()
    s.need("pyproject.toml")
    has_lock = s.maybe(o.value("-L", "--lockfile") or "pdm.lock")
    s.maybe("pdm.toml", config=True)
    s.maybe(".pdm-python", config=True)
    if pos[0] == "install" and has_lock and not o.has("--frozen-lockfile", "--frozen", "--check"):
        s.rewrites.append(s.at("pdm.lock"))
    if not o.has("--no-self"):
        s.needs.append(f"`pdm {pos[0]}` without --no-self also installs the project itself, which needs its sources")
    s.outputs.append(s.at(".venv"))
    s.outputs.append(s.at("__pypackages__"))
    return s.freeze()


def _pipenv(cmd, args, index, cwd, ctx, resolve, generated):
    o = _Opts(args, ("--python", "-r", "--requirements", "--categories"))
    pos = o.positional
    if not pos or pos[0] not in ("install", "sync") or pos[1:]:
        return None
    s = _Step("pipenv", cmd, index, cwd, ctx, resolve)
    if not s.ok:
        return s.freeze()
    pf = s.need("Pipfile")
    has_lock = s.maybe("Pipfile.lock")
    if (o.has("--deploy", "--ignore-pipfile") or pos[0] == "sync") and not has_lock:
        s.lack("Pipfile.lock")
    if pos[0] == "install" and not o.has("--deploy", "--ignore-pipfile"):
        s.rewrites.append(s.at("Pipfile.lock"))
    data = _toml(s, pf) if s.sent(pf) else None
    for sect in ("packages", "dev-packages"):
        for name, spec in ((data or {}).get(sect) or {}).items():
            if isinstance(spec, dict) and ("path" in spec or "file" in spec and not _is_url(str(spec["file"]))):
                s.local.append(f"{name} ({sect})")
    s.outputs.append(s.at(".venv"))
    return s.freeze()


def _conda(cmd, args, index, cwd, ctx, resolve, generated):
    o = _Opts(args, ("-f", "--file", "-n", "--name", "-p", "--prefix"))
    pos = o.positional
    files = o.values("-f", "--file")
    if pos[:2] in (["env", "create"], ["env", "update"]) and not files and len(pos) == 2:
        files = ["environment.yml"]
    if not files or not (pos[:1] in (["create"], ["install"], ["update"]) or pos[:1] == ["env"]):
        return None
    s = _Step("conda", cmd, index, cwd, ctx, resolve)
    if not s.ok:
        return s.freeze()
    for f in files:
        if f is None:
            s.unknown.append("an environment file path is not a plain word")
            continue
        c = s.need(f)
        text = s.read(c) or ""
        for m in re.finditer(r"^\s*-\s*(-r|--requirement|-e|--editable)?\s*(\S+)\s*$", text.split("pip:", 1)[1] if "pip:" in text else "", re.M):
            flag, target = m.group(1), m.group(2)
            if flag in ("-r", "--requirement"):
                nested = _cjoin(posixpath.dirname(c), target)
                if s._add(nested, required=True, config=False):
                    _requirements(s, nested, set(), generated)
            elif flag or _looks_local(target):
                s.local.append(f"{target} (in {c})")
    return s.freeze()


# --------------------------------------------------------------------------------------- go


def _go(cmd, args, index, cwd, ctx, resolve, generated):
    pos = [a for a in args if a is None or not a.startswith("-")]
    if pos[:2] != ["mod", "download"] or any(a is None for a in pos):
        return None
    s = _Step("go", cmd, index, cwd, ctx, resolve)
    if not s.ok:
        return s.freeze()
    gm = s.need("go.mod")
    s.maybe("go.sum")
    text = s.read(gm) or ""
    for m in re.finditer(r"=>\s*(\.{1,2}/\S*|/\S+)", text):
        s.local.append(f"replace => {m.group(1)}")
    d = s.cdir or ""
    while True:
        if s.ctx.exists(_cjoin(d, "go.work")):
            s.unknown.append(f"{_cjoin(d, 'go.work')}: a Go workspace reads every used module's go.mod")
            break
        if d in ("", "."):
            break
        d = posixpath.dirname(d)
    return s.freeze()


# ------------------------------------------------------------------------------------- rust


def _cargo(cmd, args, index, cwd, ctx, resolve, generated):
    o = _Opts(args, ("--manifest-path", "--target", "-Z"))
    if not o.positional or o.positional[0] != "fetch":
        return None
    s = _Step("cargo", cmd, index, cwd, ctx, resolve)
    if not s.ok:
        return s.freeze()
    s.need("Cargo.toml")
    s.maybe("Cargo.lock")
    s.needs.append("cargo reads the package's target source files (src/main.rs, src/lib.rs) to load Cargo.toml")
    return s.freeze()


# ------------------------------------------------------------------------------------- ruby


def _bundle(cmd, args, index, cwd, ctx, resolve, generated):
    o = _Opts(args, ("--gemfile", "--path", "--without", "--with", "-j", "--jobs", "--retry", "--binstubs"))
    pos = o.positional
    if pos and pos[0] not in ("install",) or pos[1:]:
        return None
    s = _Step("bundler", cmd, index, cwd, ctx, resolve)
    if not s.ok:
        return s.freeze()
    gemfile = o.value("--gemfile")
    if gemfile is None and s.sent(s.at("gems.rb")) and not s.ctx.exists(s.at("Gemfile")):
        gemfile = "gems.rb"
    gemfile = gemfile or "Gemfile"
    gf = s.need(gemfile)
    lock = "gems.locked" if gemfile.endswith("gems.rb") else gemfile + ".lock"
    has_lock = s.maybe(lock)
    s.maybe(".bundle/config", config=True)
    frozen = o.has("--frozen", "--deployment")
    if has_lock and not frozen:
        s.rewrites.append(s.at(lock))
    if o.has("--deployment"):
        s.outputs.append(s.at("vendor/bundle"))
    if o.value("--path"):
        p = o.value("--path")
        if not p.startswith("/"):
            s.outputs.append(s.at(p))
        s.outputs.append(s.at(".bundle"))
    text = s.read(gf) or ""
    for line in text.splitlines():
        code = line.split("#", 1)[0]
        if re.match(r"^\s*gemspec\b", code):
            s.local.append("gemspec (the Gemfile installs the project's own gem)")
        if re.search(r"(\bpath:|:path\s*=>)", code):
            s.local.append(code.strip())
        if re.search(r"\b(eval_gemfile|require_relative|File\.|Dir\.|IO\.)", code):
            s.unknown.append(f"{gf} runs Ruby that may read other files: {code.strip()}")
        m = re.search(r"\bruby\s+file:\s*['\"]([^'\"]+)['\"]", code)
        if m:
            s.need(m.group(1), config=True)
    return s.freeze()


# -------------------------------------------------------------------------------------- php


def _composer(cmd, args, index, cwd, ctx, resolve, generated):
    o = _Opts(args, ("-d", "--working-dir", "--ignore-platform-req"))
    pos = o.positional
    if not pos or pos[0] not in ("install", "i") or pos[1:]:
        return None
    s = _Step("composer", cmd, index, _subdir(cwd, o.value("-d", "--working-dir")), ctx, resolve)
    if not s.ok:
        return s.freeze()
    cj = s.need("composer.json")
    s.maybe("composer.lock")
    s.maybe("auth.json", config=True)
    data = _read_json(s, cj) if s.sent(cj) else None
    data = data or {}
    scripts = data.get("scripts") if isinstance(data.get("scripts"), dict) else {}
    if not o.has("--no-scripts"):
        hooks = [k for k in COMPOSER_EVENTS if k in scripts]
        if hooks:
            s.needs.append(f"composer.json has script(s) {', '.join(hooks)} that the install runs")
    if not o.has("--no-autoloader"):
        cfg = data.get("config") if isinstance(data.get("config"), dict) else {}
        optimize = o.has("-o", "--optimize-autoloader", "-a", "--classmap-authoritative", "--apcu-autoloader") or cfg.get("optimize-autoloader") or cfg.get("classmap-authoritative")
        autoload = data.get("autoload") if isinstance(data.get("autoload"), dict) else {}
        if optimize:
            s.needs.append("the optimized autoloader scans the sources (use --no-autoloader, then `composer dump-autoload -o` after the copy)")
        elif autoload.get("classmap"):
            s.needs.append("the classmap autoloader scans the sources (use --no-autoloader, then `composer dump-autoload` after the copy)")
    for repo in data.get("repositories") or []:
        if isinstance(repo, dict) and repo.get("type") == "path":
            s.local.append(f"path repository {repo.get('url')}")
    vendor = ((data.get("config") or {}) if isinstance(data.get("config"), dict) else {}).get("vendor-dir", "vendor")
    s.outputs.append(s.at(str(vendor)))
    return s.freeze()


# ------------------------------------------------------------------------------------- java


_MVN_OFFLINE_GOALS = re.compile(r"^(dependency:(go-offline|resolve|resolve-plugins|resolve-sources)|de\.qaware\.maven:go-offline-maven-plugin:resolve-dependencies|.*:go-offline)$")


def _maven(cmd, args, index, cwd, ctx, resolve, generated):
    o = _Opts(args, ("-f", "--file", "-s", "--settings", "-P", "--activate-profiles", "-pl", "--projects", "-T", "--threads", "-D", "-gs", "-t"))
    goals = [p for p in o.positional if p is not None]
    if not goals or not all(_MVN_OFFLINE_GOALS.match(g) for g in goals):
        return None
    s = _Step("maven", cmd, index, cwd, ctx, resolve)
    if not s.ok:
        return s.freeze()
    if _base(cmd.name) == "mvnw" or (cmd.name or "").endswith("mvnw"):
        s.need("mvnw", config=True)
        s.need(".mvn/wrapper", config=True)
    s.maybe(".mvn", config=True)
    for v in o.values("-s", "--settings"):
        if v and not v.startswith("/"):
            s.need(v, config=True)
    pom = s.need(o.value("-f", "--file") or "pom.xml")
    _pom(s, pom, set())
    return s.freeze()


def _pom(s: _Step, pom: str, seen: set[str]) -> None:
    if pom in seen:
        return
    seen.add(pom)
    text = s.read(pom)
    if text is None:
        return
    base = posixpath.dirname(pom)
    if re.search(r"<activation>.*?<file>", text, re.S):
        s.needs.append(f"{pom} activates a profile when a file exists")
    parent = re.search(r"<parent>(.*?)</parent>", text, re.S)
    if parent:
        rp = re.search(r"<relativePath>\s*([^<]*?)\s*</relativePath>", parent.group(1))
        rel = rp.group(1) if rp else "../pom.xml"
        if rel:
            ppath = _cjoin(base, rel if rel.endswith(".xml") else rel + "/pom.xml")
            if s.ctx.inside(ppath) and s.ctx.exists(ppath):
                if s._add(ppath, required=False, config=False):
                    _pom(s, ppath, seen)
    for m in re.finditer(r"<module>\s*([^<]+?)\s*</module>", text):
        mod = _cjoin(base, m.group(1))
        mpom = mod if mod.endswith(".xml") else _cjoin(mod, "pom.xml")
        if s._add(mpom, required=True, config=False):
            _pom(s, mpom, seen)


def _gradle(cmd, args, index, cwd, ctx, resolve, generated):
    o = _Opts(args, ("-b", "--build-file", "-c", "--settings-file", "-p", "--project-dir", "-x", "--exclude-task", "-D", "-P", "--init-script", "-I"))
    tasks = [p for p in o.positional if p is not None]
    if not tasks or not all(t.split(":")[-1] in ("dependencies", "androidDependencies", "resolveDependencies", "downloadDependencies") for t in tasks):
        return None
    s = _Step("gradle", cmd, index, _subdir(cwd, o.value("-p", "--project-dir")), ctx, resolve)
    s.provable = False
    if not s.ok:
        return s.freeze()
    if (cmd.name or "").endswith("gradlew"):
        s.need("gradlew", config=True)
        s.need("gradle/wrapper", config=True)
    found = False
    for f in ("build.gradle", "build.gradle.kts"):
        found |= s.maybe(f)
    settings = None
    for f in ("settings.gradle", "settings.gradle.kts"):
        if s.maybe(f):
            settings = s.at(f)
    if not found and settings is None:
        s.lack("build.gradle")
    s.maybe("gradle.properties", config=True)
    s.maybe("gradle", config=True)
    s.maybe("buildSrc")
    text = s.read(settings) if settings else ""
    if text:
        if "includeBuild" in text:
            s.unknown.append("settings.gradle includes other builds")
        for m in re.finditer(r"include\s*\(?([^)\n]*)", text):
            for name in re.findall(r"['\"]([^'\"]+)['\"]", m.group(1)):
                d = name.strip(":").replace(":", "/")
                if not any(s.maybe(f"{d}/{f}") for f in ("build.gradle", "build.gradle.kts")):
                    s.unknown.append(f"subproject {name}: no build file found")
        if re.search(r"\b(file\(|new File|rootDir|projectDir)", text):
            s.unknown.append("settings.gradle reads files")
    s.outputs.append(s.at(".gradle"))
    s.outputs.append(s.at("build"))
    return s.freeze()


_TOOLS = {
    "npm": _npm,
    "yarn": _yarn,
    "pnpm": _pnpm,
    "pip": _pip,
    "uv-pip": _uv_pip,
    "uv": _uv,
    "poetry": _poetry,
    "pdm": _pdm,
    "pipenv": _pipenv,
    "conda": _conda,
    "mamba": _conda,
    "micromamba": _conda,
    "go": _go,
    "cargo": _cargo,
    "bundle": _bundle,
    "bundler": _bundle,
    "composer": _composer,
    "mvn": _maven,
    "mvnw": _maven,
    "gradle": _gradle,
    "gradlew": _gradle,
}

# Paths the ecosystems generate inside a project, for .dockerignore proposals.
GENERATED = {
    "npm": ("node_modules",),
    "yarn": ("node_modules",),
    "pnpm": ("node_modules",),
    "pip": ("**/__pycache__",),
    "pipenv": ("**/__pycache__", ".venv"),
    "poetry": ("**/__pycache__", ".venv"),
    "uv": ("**/__pycache__", ".venv"),
    "pdm": ("**/__pycache__", ".venv", "__pypackages__"),
    "conda": ("**/__pycache__",),
    "go": (),
    "cargo": ("target",),
    "bundler": (),
    "composer": ("vendor",),
    "maven": ("target",),
    "gradle": (".gradle", "build"),
}
