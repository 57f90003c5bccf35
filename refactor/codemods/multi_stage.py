"""multi-stage: split a single-stage Dockerfile into `deps`, `builder` and `runner` stages.

## What it does
For a single-stage Dockerfile whose build it understands (an official python, node, golang or
rust base image, and a build context whose manifests it can read), it writes three stages:

* `deps` — the original base, system packages and the dependency install, fed by the manifest
  files only (`package.json` + lock file, `requirements.txt`, `pyproject.toml`, `go.mod`,
  `Cargo.toml`), so the layer is reused until a manifest changes. Python dependencies go into
  a virtualenv at `/opt/venv`.
* `builder` — `FROM deps`: the source and the build steps (`npm run build`, `go build`,
  `cargo build --release`, `pip install .`). Node gets a fourth stage, `prod-deps`, that prunes
  the devDependencies.
* `runner` — the slim image of the same family, version and libc (`python:3.11` →
  `python:3.11-slim`, `node:20` → `node:20-slim`), distroless for static Go binaries, Debian slim
  for Rust and cgo binaries; only the production dependencies, the build outputs and the files
  the start command needs; a non-root user; the original CMD, ENTRYPOINT, ENV, EXPOSE, WORKDIR,
  HEALTHCHECK, LABEL, STOPSIGNAL and VOLUME.

Original instructions move verbatim, with their comments, into the stage where they belong;
new instructions follow the file's keyword case, line endings and escape character.
`docker build --target builder` keeps working: the stage names are fixed and lowercase.

## Why is this bad?
A single-stage image ships its compilers, headers, package caches, devDependencies and source
code: hundreds of megabytes that every pull, scan and cold start pays for, and tools an attacker
can use. A full `python:3.11` or `node:20` image is ~1 GB; the slim runner is a fraction of it.

## Example
```dockerfile
FROM node:20
WORKDIR /app
COPY . .
RUN npm ci && npm run build
CMD ["node", "dist/index.js"]
```
Use instead (abridged):
```dockerfile
FROM node:20 AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci

FROM deps AS builder
COPY . .
RUN npm run build

FROM deps AS prod-deps
RUN npm prune --omit=dev

FROM node:20-slim AS runner
WORKDIR /app
COPY --from=prod-deps --chown=node:node /app/node_modules ./node_modules
COPY --from=builder --chown=node:node /app/dist ./dist
COPY --from=builder --chown=node:node /app/package.json ./
USER 1000:1000
CMD ["node", "dist/index.js"]
```

## Fix safety
Unsafe: the final image has another base, another user and fewer files. The codemod skips with
a reason whenever it cannot tell what the running app needs: a start command that runs build
tools (`npm run dev`, `nodemon`, `flask run --reload`, `go run`), no CMD/ENTRYPOINT (a base or
toolchain image), a build context without the manifests it names, an unknown base image, an
install it cannot follow. Prove each split with `dockwright verify`.

## Options
`runner_base` (`--runner-base IMAGE`): the runner's base image instead of the derived one.

## References
docs.docker.com/build/building/multi-stage; the Next.js `output: 'standalone'` docs;
GoogleContainerTools/distroless; StageCraft (FSE 2026).
"""
from __future__ import annotations

import fnmatch
import json
import posixpath
import re
import shlex
from dataclasses import dataclass, field

from refactor.knowledge.baseimages import Family, existing_user, expand_from, global_args, image_family
from refactor.syntax.buildkit import expand_variables
from refactor.syntax.edit import keyword_case, new_instruction, with_body
from refactor.syntax.nodes import BlankLine, Comment, Dockerfile, Instruction
from refactor.codemods.base import Safety, Codemod, Context
from refactor.shell.parse import Opaque, SimpleCommand, parse_shell
from refactor.codemods import _ms_knowledge as K

VENV = "/opt/venv"
CONFIG_CMDS = frozenset({"CMD", "ENTRYPOINT", "EXPOSE", "HEALTHCHECK", "LABEL", "STOPSIGNAL", "VOLUME", "MAINTAINER"})


class _Decline(Exception):
    def __init__(self, reason: str, inst: Instruction | None = None) -> None:
        super().__init__(reason)
        self.inst = inst


# --- small helpers --------------------------------------------------------------------------------


def _unquote(s: str) -> str:
    if len(s) >= 2 and s[0] == s[-1] and s[0] in "\"'":
        return s[1:-1]
    return s


def _abspath(path: str, workdir: str) -> str:
    p = path if path.startswith("/") else posixpath.join(workdir, path)
    p = posixpath.normpath(p)
    return "/" if p in (".", "//") else p.replace("//", "/")


def _under(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip("/") + "/")


def _rel(path: str, root: str) -> str:
    if path == root:
        return "."
    return path[len(root.rstrip("/")) + 1 :]


def _matches_any(name: str, patterns) -> bool:
    return any(fnmatch.fnmatchcase(name, p) for p in patterns)


def _argv_of(inst: Instruction) -> list[str] | None:
    """CMD/ENTRYPOINT as an argv list; a shell form becomes ["/bin/sh", "-c", text]."""
    if not inst.value:
        return []
    if inst.is_json:
        return list(inst.value)
    return ["/bin/sh", "-c", inst.value[0]]


def _shell_commands(text: str, escape: str = "\\") -> list:
    return list(parse_shell(text, escape).units())


def _opaque_command_names(raw: str) -> list[str]:
    """The first word of each simple command inside shell text the parser keeps opaque
    (loops, conditionals, subshells): good enough to see which programs a script needs."""
    text = re.sub(r"\b(?:then|do|else|if|until|while|elif|done|fi|esac|case|in|for|select|function|time)\b|!|\$\(|`", ";", raw)
    out = []
    for seg in re.split(r"[;&|(){}\n]", text):
        for word in seg.split():
            if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", word):
                continue
            if re.fullmatch(r"[A-Za-z./][\w./+-]*", word):
                out.append(word.rsplit("/", 1)[-1])
            break
    return out


def _cmd_text(argv: list[str]) -> str:
    if len(argv) >= 3 and argv[0] in ("/bin/sh", "sh", "/bin/bash", "bash") and argv[1] == "-c":
        return argv[2]
    return " ".join(shlex.quote(a) for a in argv)


# --- what one shell command does ------------------------------------------------------------------


@dataclass
class CmdInfo:
    kind: str  # sys | tool | user | neutral | deps | build | other
    name: str
    manifests: tuple[str, ...] = ()  # image paths (absolute) the install reads
    hoistable: bool = True  # reads nothing but its manifests
    apt: tuple[str, ...] = ()
    pm: str | None = None  # npm | yarn | pnpm | pip | poetry | uv | go | cargo
    scripts: tuple[str, ...] = ()  # package.json scripts it runs
    prod_only: bool = False  # a node install that skips devDependencies
    writes: tuple[str, ...] = ()  # paths it visibly writes (relative or absolute)
    cmd: SimpleCommand | None = None


@dataclass
class RunInfo:
    kind: str  # sys | deps | build
    cmds: list[CmdInfo]
    opaque: bool = False

    @property
    def manifests(self) -> set[str]:
        return {m for c in self.cmds for m in c.manifests}

    @property
    def hoistable(self) -> bool:
        return self.kind in ("sys", "deps") and all(c.hoistable for c in self.cmds)

    @property
    def apt(self) -> list[str]:
        return [p for c in self.cmds for p in c.apt]


@dataclass
class CopyEntry:
    src: str  # context path ("" = the context root)
    dest: str  # absolute image path
    is_dir: bool  # a directory whose contents land in dest


@dataclass
class Step:
    inst: Instruction
    index: int
    kind: str
    workdir: str
    user: str
    run: RunInfo | None = None
    entries: list[CopyEntry] = field(default_factory=list)


@dataclass
class Plan:
    base_text: str
    runner_image: str
    ecosystem: str
    deps: list[Instruction]
    builder: list[Instruction]
    extra: list[tuple[str, list[Instruction]]]
    runner: list[Instruction]
    touched: list[Instruction]
    summary: str
    rationale: str


# --- the codemod ------------------------------------------------------------------------------------


class MultiStage(Codemod):
    id = "multi-stage"
    summary = "Split a single-stage build into deps, builder and runner stages on a slim base"
    rationale = (
        "A single-stage image ships its compilers, headers, package caches, devDependencies and "
        "source code. Building in `deps` and `builder` stages and copying only the production "
        "dependencies and build outputs into a slim `runner` stage (same family, version and "
        "libc) cuts most of the image and of its attack surface; the runner runs as non-root."
    )
    safety = Safety.UNSAFE

    def transform(self, df: Dockerfile, ctx: Context) -> Dockerfile:
        if any(e.codemod == self.id for e in ctx.edits):
            return df  # the file is the split this codemod just wrote
        try:
            planner = _Planner(df, ctx)
            plan = planner.plan()
        except _Decline as e:
            ctx.skip(self, str(e), e.inst)
            return df
        out = planner.emit(plan)
        ctx.edit(self, planner.from_inst, plan.summary, rationale=plan.rationale, touched=tuple(plan.touched))
        return out


CODEMOD = MultiStage()


# --- planning -----------------------------------------------------------------------------------------


class _Planner:
    def __init__(self, df: Dockerfile, ctx: Context) -> None:
        self.df = df
        self.ctx = ctx
        self.bc = ctx.build_context
        self.notes: list[str] = []  # assumptions, said in the explanation
        self.leaves: list[str] = []  # what the final image no longer has
        self.keeps: list[str] = []  # what it still has
        self.touched: list[Instruction] = []
        self.gain = False  # something real stays out of the final image

    # ---- entry --------------------------------------------------------------------------------

    def plan(self) -> Plan:
        df = self.df
        stages = df.stages
        if len(stages) > 1:
            raise _Decline("already multi-stage")
        if not stages:
            raise _Decline("no FROM instruction")
        stage = stages[0]
        self.from_inst = stage.from_instruction
        for inst in df.instructions:
            if inst.cmd == "FROM":
                break
            if inst.cmd != "ARG":
                raise _Decline(f"{inst.cmd} before FROM", inst)
        if any(i.cmd == "ONBUILD" for i in stage.instructions):
            raise _Decline("has ONBUILD triggers: a base image for other builds, not an app", None)
        if not any(i.cmd in ("CMD", "ENTRYPOINT") for i in stage.instructions):
            raise _Decline("no CMD or ENTRYPOINT: a base or toolchain image, not an app to run")
        bad_flags = [f for f in self.from_inst.flags if not f.startswith("--platform=")]
        if bad_flags:
            raise _Decline(f"FROM flag {bad_flags[0]} not understood", self.from_inst)
        fv = self.from_inst.value
        if not fv or (len(fv) not in (1, 3)):
            raise _Decline("FROM not understood", self.from_inst)
        self.base_text = fv[0]
        self.global_args = global_args(df)
        resolved = expand_from(self.base_text, self.global_args)
        base = K.parse_base(resolved)
        if base is None:
            raise _Decline(f"base image {self.base_text} is not one whose build I understand "
                           "(official python, node, golang or rust images)", self.from_inst)
        if base.windows:
            raise _Decline("Windows base images are not supported", self.from_inst)
        self.base = base
        self.eco = K.FAMILIES[base.family]
        if self.bc is None:
            raise _Decline("the build context is unknown: I read the manifests before splitting a build")
        self.instructions = list(stage.instructions[1:])
        self._walk()
        self._check_context()
        if self.eco == "node":
            return self._plan_node()
        if self.eco == "python":
            return self._plan_python()
        if self.eco == "go":
            return self._plan_go()
        return self._plan_rust()

    # ---- walking the single stage ---------------------------------------------------------------

    def _base_workdir(self) -> str:
        return "/go" if self.base.family == "golang" else "/"

    def _walk(self) -> None:
        env: dict[str, str] = dict(self.global_args)
        # variables the base images set that Dockerfiles use in paths
        env.setdefault("HOME", "/root")
        if self.base.family == "golang":
            env.setdefault("GOPATH", "/go")
        if self.base.family == "rust":
            env.setdefault("CARGO_HOME", "/usr/local/cargo")
        workdir = self._base_workdir()
        user = "root"
        self.dirs: set[str] = {workdir, "/"}
        self.steps: list[Step] = []
        self.env_names: list[str] = []
        self.arg_names: list[str] = []
        self.image_map: list[CopyEntry] = []
        for idx, inst in enumerate(self.instructions):
            cmd = inst.cmd
            step = Step(inst, idx, "", workdir, user)
            if cmd == "ARG":
                step.kind = "arg"
                for word in inst.value:
                    k, eq, v = word.partition("=")
                    env[k] = _unquote(v) if eq else env.get(k, "")
                    self.arg_names.append(k)
            elif cmd == "ENV":
                step.kind = "env"
                vals = inst.value
                for k, v in zip(vals[0::2], vals[1::2]):
                    ev = expand_variables(_unquote(v), env)
                    env[k] = ev if ev is not None else ""
                    self.env_names.append(k)
            elif cmd == "WORKDIR":
                step.kind = "workdir"
                w = expand_variables(_unquote(inst.value[0]) if inst.value else "", env)
                if w is None:
                    raise _Decline("WORKDIR uses a variable I cannot resolve", inst)
                workdir = _abspath(w, workdir)
                self.dirs.add(workdir)
            elif cmd == "USER":
                step.kind = "user"
                u = expand_variables(inst.value[0] if inst.value else "", env)
                if u is None:
                    raise _Decline("USER uses a variable I cannot resolve", inst)
                user = u
            elif cmd == "SHELL":
                step.kind = "shell"
            elif cmd in CONFIG_CMDS:
                step.kind = "config"
            elif cmd in ("COPY", "ADD"):
                step.kind = self._classify_copy(step, env)
            elif cmd == "RUN":
                step.run = self._analyse_run(inst, workdir, env)
                step.kind = "run-" + step.run.kind
            else:
                raise _Decline(f"{cmd} not understood", inst)
            step.user = user
            self.steps.append(step)
        self.env = env
        self.final_workdir = workdir
        self.final_user = user
        # A file copied to a folder no install or build works in (an entrypoint script into
        # /usr/local/bin) is not source the dependency install could read: it stays in place.
        work = {workdir} | {s.workdir for s in self.steps if s.kind.startswith("run-")}
        for s in self.steps:
            if s.kind == "copy-source" and s.entries and all(
                not e.is_dir and not any(_under(e.dest, w) or _under(w, e.dest) for w in work if w != "/")
                for e in s.entries
            ):
                s.kind = "copy-file"
        # RUN steps before any source arrives cannot read it: they stay where they are
        for s in self.steps:
            if s.kind == "copy-source":
                break
            if s.kind == "run-build":
                s.kind = "run-early"

    # ---- COPY / ADD -------------------------------------------------------------------------------

    def _classify_copy(self, step: Step, env: dict[str, str]) -> str:
        inst = step.inst
        if inst.heredocs:
            raise _Decline(f"{inst.cmd} with a heredoc not understood", inst)
        for flag in inst.flags:
            name = flag.split("=", 1)[0]
            if name not in ("--from", "--chown", "--chmod", "--link"):
                raise _Decline(f"{inst.cmd} flag {name} not understood", inst)
        words = [_unquote(w) for w in inst.value]
        if len(words) < 2:
            raise _Decline(f"{inst.cmd} not understood", inst)
        srcs, dest_raw = words[:-1], words[-1]
        dest = expand_variables(dest_raw, env)
        if dest is None or any("$" in s for s in srcs):
            raise _Decline(f"{inst.cmd} uses a variable I cannot resolve", inst)
        if inst.flag_value("from") is not None:
            return "copy-tool"  # from another image: a tool, like an apt package
        if inst.cmd == "ADD":
            for s in srcs:
                if re.match(r"^[a-z]+://|^git@", s):
                    raise _Decline("ADD from a URL: I cannot tell what it brings", inst)
                if re.search(r"\.(tar|tgz|tar\.gz|tar\.bz2|tar\.xz|txz|tbz2)$", s):
                    raise _Decline("ADD of an archive (unpacked by ADD): not understood", inst)
        dest_abs = _abspath(dest, step.workdir)
        dest_is_dir = dest.endswith("/") or dest in (".", "./") or len(srcs) > 1 or dest_abs in self.dirs
        entries: list[CopyEntry] = []
        for s in srcs:
            rel = posixpath.normpath(s.lstrip("/")) if s.strip("/") else "."
            if rel.startswith(".."):
                raise _Decline(f"{inst.cmd} source {s} is outside the build context", inst)
            if any(c in rel for c in "*?["):
                matches = self._glob(rel)
                for m in matches:
                    if self.bc.is_file(m):
                        entries.append(CopyEntry(m, posixpath.join(dest_abs, posixpath.basename(m)), False))
                    else:
                        entries.append(CopyEntry(m, dest_abs, True))
                        dest_is_dir = True
                continue
            if rel == ".":
                entries.append(CopyEntry("", dest_abs, True))
                dest_is_dir = True
            elif self.bc.exists(rel) and not self.bc.is_file(rel):
                entries.append(CopyEntry(rel, dest_abs, True))
                dest_is_dir = True
            elif self.bc.is_file(rel):
                if not self.bc.sent(rel):
                    raise _Decline(f"{inst.cmd} source {s} is excluded by .dockerignore", inst)
                target = posixpath.join(dest_abs, posixpath.basename(rel)) if dest_is_dir else dest_abs
                entries.append(CopyEntry(rel, target, False))
            else:
                raise _Decline(f"{inst.cmd} source {s} is not in the build context", inst)
        if dest_is_dir:
            self.dirs.add(dest_abs)
            entries = [e if e.is_dir or e.dest != dest_abs else CopyEntry(e.src, posixpath.join(dest_abs, posixpath.basename(e.src)), False) for e in entries]
        step.entries = entries
        self.image_map.extend(entries)
        if entries and all(not e.is_dir and self._is_manifest(e.src) for e in entries):
            return "copy-manifest"
        if not entries:
            return "copy-manifest"  # `COPY package-lock.json* ./` matching nothing
        return "copy-source"

    def _glob(self, pattern: str) -> list[str]:
        depth = pattern.count("/")
        out = []
        parent = posixpath.dirname(pattern)
        for name in self._listdir(parent):
            rel = posixpath.join(parent, name) if parent else name
            if rel.count("/") == depth and fnmatch.fnmatchcase(rel, pattern) and self.bc.sent(rel):
                out.append(rel)
        return out

    def _listdir(self, rel: str) -> list[str]:
        import os

        base = self.bc.root / rel if rel not in ("", ".") else self.bc.root
        try:
            return sorted(os.listdir(base))
        except OSError:
            return []

    def _sent_children(self, rel: str) -> list[str]:
        out = []
        for name in self._listdir(rel):
            p = posixpath.join(rel, name) if rel else name
            if self.bc.sent(p):
                out.append(name)
        return out

    def _is_manifest(self, rel: str) -> bool:
        name = rel
        pats = K.MANIFESTS[self.eco]
        return any(fnmatch.fnmatchcase(name, p) or fnmatch.fnmatchcase(posixpath.basename(name), p) for p in pats)

    def ctx_path(self, image_path: str) -> str | None:
        """The context path whose copy is at `image_path`, if a COPY put it there."""
        best = None
        for e in self.image_map:
            if e.is_dir:
                if _under(image_path, e.dest):
                    rel = _rel(image_path, e.dest)
                    cand = rel if e.src == "" else (e.src if rel == "." else f"{e.src}/{rel}")
                    if cand == ".":
                        cand = ""
                    if cand == "" or self.bc.exists(cand):
                        best = cand
            elif e.dest == image_path:
                best = e.src
        return best

    def _check_context(self) -> None:
        markers = K.CONTEXT_MARKERS[self.eco]
        for m in markers:
            for e in self.image_map:
                if e.is_dir:
                    for hit in self._glob(posixpath.join(e.src, m) if e.src else m):
                        return
                elif fnmatch.fnmatchcase(posixpath.basename(e.src), posixpath.basename(m)):
                    return
        names = ", ".join(m for m in markers)
        raise _Decline(f"the build context has none of {names} where the Dockerfile copies from: "
                       "its build is unknown, and I do not guess")

    # ---- RUN ---------------------------------------------------------------------------------------

    def _analyse_run(self, inst: Instruction, workdir: str, env: dict[str, str]) -> RunInfo:
        if inst.heredocs:
            body = " ".join(h.content for h in inst.heredocs)
            if re.search(r"\b(apt-get|apt|apk|pip3?|npm|yarn|pnpm|poetry|uv)\b", body):
                raise _Decline("a RUN heredoc installs packages: not understood", inst)
            return RunInfo("build", [], opaque=True)
        if inst.is_json:
            text = " ".join(shlex.quote(v) for v in inst.value)
        else:
            text = inst.value[0] if inst.value else ""
        script = parse_shell(text, inst.escape)
        infos: list[CmdInfo] = []
        opaque = False
        cwd = workdir
        for unit in script.units():
            if isinstance(unit, Opaque):
                opaque = True
                infos.append(CmdInfo("other", "<" + unit.reason + ">"))
                continue
            info = self._classify_cmd(unit, cwd, env, inst)
            if info.name == "cd":
                args = [w.value for w in unit.args]
                if args and args[0]:
                    cwd = _abspath(args[0], cwd)
            infos.append(info)
        kinds = {i.kind for i in infos}
        if opaque or kinds & {"build", "other"}:
            kind = "build"
        elif "deps" in kinds:
            kind = "deps"
        else:
            kind = "sys"
        for f in inst.flags:
            if f.startswith("--mount=") and "type=bind" in f and kind != "sys":
                for c in infos:
                    c.hoistable = False
        return RunInfo(kind, infos, opaque)

    def _classify_cmd(self, c: SimpleCommand, cwd: str, env: dict[str, str], inst: Instruction) -> CmdInfo:
        name = c.name or ""
        argv0 = name.rsplit("/", 1)[-1]
        args = [w.value for w in c.args]
        sub = c.subcommand()
        subv = sub.value if sub is not None else None
        flags = set(c.flag_names())
        if not c.words:
            return CmdInfo("neutral", "", cmd=c)  # assignments only
        if argv0 in ("apt-get", "apt", "aptitude"):
            pk: tuple[str, ...] = ()
            if subv == "install":
                pk = tuple(w.value for w in c.args_without_flags()[1:] if w.value and not w.value.startswith("-"))
                if any(w.value is None for w in c.args_without_flags()[1:]):
                    raise _Decline("apt-get install with packages from a variable: not understood", inst)
            return CmdInfo("sys", argv0, apt=pk, cmd=c)
        if argv0 in ("apk", "yum", "dnf", "microdnf"):
            pk = ()
            if subv in ("add", "install"):
                pk = tuple(w.value for w in c.args_without_flags()[1:] if w.value)
            return CmdInfo("sys", argv0, apt=pk, cmd=c)
        if argv0 in ("useradd", "adduser", "groupadd", "addgroup", "usermod"):
            return CmdInfo("user", argv0, cmd=c)
        if argv0 in ("set", "true", "echo", "export", ":", "update-ca-certificates", "ldconfig"):
            writes = tuple(r.target.value or "" for r in c.redirects if r.operator in (">", ">>"))
            return CmdInfo("neutral" if not writes else "other", argv0, writes=writes, cmd=c)
        if argv0 == "rm":
            targets = [w.text for w in c.args_without_flags()]
            if targets and all(self._is_cache_path(t, cwd) for t in targets):
                return CmdInfo("neutral", "rm", cmd=c)
            return CmdInfo("other", "rm", cmd=c)
        if argv0 in ("cd", "mkdir", "touch", "chmod", "chown", "ln", "cp", "mv", "sed"):
            targets = tuple(w.text for w in c.args_without_flags())
            return CmdInfo("other", argv0, writes=targets, cmd=c)
        # ---- ecosystems
        if argv0 in ("npm", "yarn", "pnpm", "corepack", "npx"):
            return self._classify_node(c, argv0, subv, args, flags, cwd, env, inst)
        py = self._python_tool(c)
        if py is not None:
            return self._classify_python(c, py, cwd, env, inst)
        if argv0 in ("poetry", "uv", "pipenv", "pdm"):
            return self._classify_python(c, [argv0] + [w.value for w in c.args], cwd, env, inst)
        if argv0 == "go":
            if subv == "mod":
                rest = [w.value for w in c.args_without_flags()[1:]]
                if rest and rest[0] in ("download", "verify"):
                    return CmdInfo("deps", "go", manifests=self._abs_existing(["go.mod", "go.sum"], cwd), pm="go", cmd=c)
                return CmdInfo("build", "go", cmd=c)
            if subv == "install" and any(w.value and "@" in w.value for w in c.args_without_flags()[1:]):
                return CmdInfo("tool", "go", cmd=c)
            return CmdInfo("build", "go", pm="go", cmd=c)
        if argv0 == "cargo":
            if subv == "fetch":
                return CmdInfo("deps", "cargo", manifests=self._abs_existing(["Cargo.toml", "Cargo.lock"], cwd), pm="cargo", cmd=c)
            if subv == "install" and not c.has_flag("--path") and not c.option_value("--path"):
                return CmdInfo("tool", "cargo", cmd=c)
            return CmdInfo("build", "cargo", pm="cargo", cmd=c)
        if argv0 in ("curl", "wget"):
            return CmdInfo("other", argv0, writes=tuple(filter(None, [c.option_value("-o", "--output", "-O", "--output-document")])), cmd=c)
        return CmdInfo("other", argv0, cmd=c)

    def _is_cache_path(self, t: str, cwd: str) -> bool:
        t = t.replace("${HOME}", "/root").replace("$HOME", "/root").replace("~", "/root")
        p = _abspath(t, cwd)
        return any(_under(p, c) or fnmatch.fnmatchcase(p, c) for c in (
            "/var/lib/apt/lists", "/var/lib/apt/lists/*", "/var/cache", "/tmp", "/tmp/*", "/root/.cache",
            "/root/.npm", "/usr/local/share/.cache", "/root/.cache/*", "/var/tmp", "/var/log/*",
            "/root/.cargo/registry", "/usr/local/cargo/registry", "/go/pkg/mod/cache"))

    def _abs_existing(self, names: list[str], cwd: str) -> tuple[str, ...]:
        out = []
        for n in names:
            p = _abspath(n, cwd)
            out.append(p)
        return tuple(out)

    # -- node

    def _package_json(self, image_dir: str) -> dict | None:
        rel = self.ctx_path(posixpath.join(image_dir, "package.json"))
        if rel is None:
            return None
        text = self.bc.read_text(rel)
        if text is None:
            return None
        try:
            data = json.loads(text)
        except ValueError:
            raise _Decline(f"{rel} is not valid JSON") from None
        return data if isinstance(data, dict) else None

    def _classify_node(self, c, argv0, subv, args, flags, cwd, env, inst) -> CmdInfo:
        own = {"npm": ("package-lock.json", "npm-shrinkwrap.json"), "yarn": ("yarn.lock", ".yarnrc", ".yarnrc.yml"),
               "pnpm": ("pnpm-lock.yaml", "pnpm-workspace.yaml", ".pnpmfile.cjs")}.get(argv0, ())
        manifests = tuple(_abspath(m, cwd) for m in ("package.json", ".npmrc") + own)
        if argv0 == "corepack":
            return CmdInfo("tool", "corepack", cmd=c)
        if argv0 == "npx":
            return CmdInfo("build", "npx", pm="npm", cmd=c)
        is_global = bool(flags & {"-g", "--global"}) or (argv0 == "yarn" and subv == "global") or \
            (argv0 == "pnpm" and "-g" in flags)
        if is_global:
            return CmdInfo("tool", argv0, cmd=c)
        if subv in ("cache", "config", "set") or (argv0 == "npm" and subv in ("set-script",)):
            return CmdInfo("neutral", argv0, cmd=c)
        install_words = {"npm": ("ci", "install", "i", "add", "prune"), "yarn": ("install", "add", None),
                         "pnpm": ("install", "i", "add", "fetch", "prune")}
        if subv in install_words[argv0] or (argv0 == "yarn" and subv is None):
            if argv0 == "yarn" and subv is None and any(a and not a.startswith("-") for a in args):
                return CmdInfo("build", argv0, pm=argv0, cmd=c)
            prod = bool(flags & {"--production", "--prod", "-P"}) or c.option_value("--omit") == "dev" or \
                c.option_value("--only") in ("prod", "production") or env.get("NODE_ENV") == "production"
            pkg = self._package_json(cwd)
            hoist = True
            if pkg is not None:
                scripts = pkg.get("scripts") or {}
                if "--ignore-scripts" not in flags and any(s in scripts for s in ("preinstall", "install", "postinstall", "prepare", "prepublish")):
                    hoist = False  # lifecycle scripts read the source
                if pkg.get("workspaces"):
                    raise _Decline("npm/yarn workspaces (a monorepo): not understood", inst)
            return CmdInfo("deps", argv0, manifests=manifests, hoistable=hoist, pm=argv0, prod_only=prod, cmd=c)
        # running a script
        script = None
        if subv in ("run", "run-script"):
            rest = [w.value for w in c.args_without_flags()]
            script = rest[1] if len(rest) > 1 else None
        elif argv0 in ("yarn", "pnpm") and subv not in (None, "exec", "dlx", "why", "list"):
            script = subv
        elif argv0 == "npm" and subv in ("start", "test", "build"):
            script = subv
        return CmdInfo("build", argv0, pm=argv0, scripts=(script,) if script else (), cmd=c)

    # -- python

    def _python_tool(self, c: SimpleCommand) -> list[str] | None:
        """`pip install ...` / `python -m pip install ...` as ["pip", "install", ...]."""
        name = (c.name or "").rsplit("/", 1)[-1]
        words = [w.value for w in c.words[len(c.wrappers):]]
        if re.fullmatch(r"pip(3(\.\d+)?)?", name):
            return ["pip"] + [w for w in words[1:]]
        if re.fullmatch(r"python(3(\.\d+)?)?", name) and len(words) >= 3 and words[1] == "-m" and words[2] in ("pip", "pip3", "poetry", "uv", "pipenv", "venv"):
            return [words[2].rstrip("3")] + words[3:]
        return None

    def _classify_python(self, c, argv: list, cwd, env, inst) -> CmdInfo:
        if any(a is None for a in argv):
            raise _Decline("a Python install whose arguments use variables: not understood", inst)
        tool, rest = argv[0], argv[1:]
        sub = next((a for a in rest if not a.startswith("-")), None)
        full = c.name or ""
        if "/" in full and not full.startswith(("/usr/local/bin/", "/usr/bin/")) :
            raise _Decline(f"{full}: a Python outside the image's default one", inst)
        if tool == "venv":
            raise _Decline("the Dockerfile makes its own virtualenv: not understood", inst)
        if tool == "pip":
            if sub in ("cache", "config", "freeze", "list", "show", "check", "--version"):
                return CmdInfo("neutral", "pip", cmd=c)
            if sub == "uninstall":
                return CmdInfo("deps", "pip", pm="pip", cmd=c)
            if sub != "install":
                return CmdInfo("other", "pip", cmd=c)
            for bad in ("--user", "--target", "-t", "--prefix", "--root", "--system"):
                if bad in rest or any(a.startswith(bad + "=") for a in rest):
                    raise _Decline(f"`pip install {bad}`: installs outside a virtualenv; not understood", inst)
            reqs, names, local = [], [], False
            i = 0
            value_flags = {"-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-i", "--index-url",
                           "--extra-index-url", "-f", "--find-links", "--trusted-host", "--no-binary", "--only-binary",
                           "--cache-dir", "--timeout", "--retries", "--progress-bar", "--platform", "--python-version",
                           "--implementation", "--abi", "--upgrade-strategy", "--log", "--proxy", "--config-settings", "-C"}
            while i < len(rest):
                a = rest[i]
                if a in ("-r", "--requirement", "-c", "--constraint"):
                    if i + 1 < len(rest):
                        reqs.append(rest[i + 1])
                    i += 2
                    continue
                if a.startswith(("--requirement=", "--constraint=")):
                    reqs.append(a.split("=", 1)[1])
                elif a.startswith("-r") and len(a) > 2:
                    reqs.append(a[2:])
                elif a in ("-e", "--editable"):
                    local = True
                    i += 2
                    continue
                elif a in value_flags:
                    i += 2
                    continue
                elif a.startswith("-"):
                    pass
                elif a == "install" and not names and not reqs and i == rest.index("install"):
                    pass
                elif a.startswith((".", "/")) or a.startswith("file:") or "/" in a and not a.startswith(("git+", "http")):
                    local = True
                else:
                    names.append(a)
                i += 1
            tool_names = {re.split(r"[=<>~!\[ ]", n, 1)[0].lower() for n in names}
            if names and not reqs and not local and tool_names <= {"pip", "setuptools", "wheel"}:
                return CmdInfo("tool", "pip", pm="pip-self", cmd=c)  # upgrades the installer itself
            if names and not reqs and not local and tool_names <= {"pip", "setuptools", "wheel", "poetry", "uv", "pipenv", "pip-tools", "virtualenv", "poetry-plugin-export"}:
                return CmdInfo("tool", "pip", cmd=c)
            manifests: list[str] = []
            hoist = not local
            for r in reqs:
                p = _abspath(r, cwd)
                manifests.append(p)
                more, ok = self._requirement_closure(p)
                manifests.extend(more)
                hoist = hoist and ok
            return CmdInfo("build" if local and not reqs and not names else "deps", "pip", manifests=tuple(manifests),
                           hoistable=hoist, pm="pip", cmd=c)
        if tool == "poetry":
            if sub in ("config", "self", "--version", "env"):
                return CmdInfo("neutral", "poetry", cmd=c)
            if sub == "install":
                no_root = "--no-root" in rest or "--only-root" in rest
                if "--only-root" in rest:
                    return CmdInfo("build", "poetry", pm="poetry", cmd=c)
                m = tuple(_abspath(n, cwd) for n in ("pyproject.toml", "poetry.lock", "poetry.toml"))
                return CmdInfo("deps", "poetry", manifests=m, hoistable=no_root, pm="poetry", cmd=c)
            if sub == "export":
                return CmdInfo("deps", "poetry", manifests=tuple(_abspath(n, cwd) for n in ("pyproject.toml", "poetry.lock")), pm="poetry", cmd=c)
            return CmdInfo("other", "poetry", cmd=c)
        if tool == "uv":
            if sub == "sync":
                m = tuple(_abspath(n, cwd) for n in ("pyproject.toml", "uv.lock", ".python-version"))
                virtual = self._pyproject_is_virtual(cwd)
                hoist = "--no-install-project" in rest or virtual
                return CmdInfo("deps", "uv", manifests=m, hoistable=hoist, pm="uv", cmd=c)
            if sub == "pip":
                if "--system" in rest or any(a.startswith("--python") for a in rest):
                    raise _Decline("`uv pip install --system`: installs outside a virtualenv; not understood", inst)
                return self._classify_python(c, ["pip"] + rest[1:], cwd, env, inst)
            if sub in ("cache", "--version", "python"):
                return CmdInfo("neutral", "uv", cmd=c)
            return CmdInfo("other", "uv", cmd=c)
        raise _Decline(f"{tool} installs are not supported yet", inst)

    def _requirement_closure(self, image_path: str, depth: int = 0) -> tuple[list[str], bool]:
        """Files a requirements file pulls in (-r/-c) and whether it names only packages."""
        rel = self.ctx_path(image_path)
        if rel is None or depth > 5:
            return [], rel is not None
        text = self.bc.read_text(rel) or ""
        more: list[str] = []
        ok = True
        base = posixpath.dirname(image_path)
        for line in text.splitlines():
            line = line.split(" #", 1)[0].strip()
            if not line or line.startswith("#"):
                continue
            m = re.match(r"^(?:-r|--requirement|-c|--constraint)\s*=?\s*(\S+)", line)
            if m:
                p = _abspath(m.group(1), base)
                more.append(p)
                sub, sub_ok = self._requirement_closure(p, depth + 1)
                more.extend(sub)
                ok = ok and sub_ok
                continue
            if re.match(r"^(-e|--editable)\b", line) or line.startswith((".", "/", "file:")):
                ok = False
        return more, ok

    def _pyproject_is_virtual(self, cwd: str) -> bool:
        rel = self.ctx_path(_abspath("pyproject.toml", cwd))
        text = self.bc.read_text(rel) if rel is not None else None
        return text is not None and "[build-system]" not in text and "package = true" not in text

    # ---- placing the instructions ---------------------------------------------------------------

    def _segment(self) -> tuple[list[Step], list[Step], list[Step]]:
        """(deps steps, builder steps, config steps) in order."""
        steps = self.steps
        config = [s for s in steps if s.kind == "config"]
        body = [s for s in steps if s.kind != "config"]
        first_source = next((i for i, s in enumerate(body) if s.kind == "copy-source"), len(body))

        def valid(last: int) -> bool:
            # deferring the source copies and build RUNs before `last` past the others
            deferred_seen: list[Step] = []
            for s in body[: last + 1]:
                if self._deferred(s, body.index(s), first_source):
                    deferred_seen.append(s)
                    continue
                for d in deferred_seen:
                    if s.kind in ("workdir", "env", "arg", "shell") and d.kind == "copy-source":
                        dest_words = d.inst.value[-1] if d.inst.value else ""
                        if s.kind == "workdir" and not _unquote(dest_words).startswith("/"):
                            return False
                        if "$" in dest_words and s.kind in ("env", "arg"):
                            return False
                    if d.kind.startswith("run-") and s.kind in ("workdir", "env", "arg", "user", "shell"):
                        return False
            return True

        hoistable = [i for i, s in enumerate(body) if s.kind == "run-deps" and s.run is not None and s.run.hoistable]
        last = -1
        for cand in reversed(hoistable):
            if cand < first_source or valid(cand):
                last = cand
                break
        # a deps install that cannot be hoisted ends the deps stage where it is
        deps, builder = [], []
        for i, s in enumerate(body):
            if i <= last and not self._deferred(s, i, first_source):
                deps.append(s)
            elif i < first_source and not self._deferred(s, i, first_source):
                deps.append(s)
            else:
                builder.append(s)
        return deps, builder, config

    def _deferred(self, s: Step, i: int, first_source: int) -> bool:
        if i < first_source:
            return False
        if s.kind == "copy-source":
            return True
        if s.kind in ("run-build", "run-early"):
            return True
        if s.kind == "run-deps" and not (s.run and s.run.hoistable):
            return True
        return False

    # ---- shared pieces of the stages --------------------------------------------------------------

    def kw(self, word: str) -> str:
        return keyword_case(self.df, word)

    def new(self, text: str, blank: bool = False) -> Instruction:
        leading = (BlankLine("", self.df.newline),) if blank else ()
        return new_instruction(text, self.df, leading=leading)

    def deps_from(self) -> Instruction:
        inst = self.from_inst
        new = with_body(inst, f"{self.base_text} {self.kw('AS')} deps")
        self.touched.append(inst)
        return new

    def stage_from(self, image: str, name: str, platform: bool = True) -> Instruction:
        plat = self.from_inst.flag_value("platform")
        flag = f" --platform={plat}" if plat and platform else ""
        return self.new(f"{self.kw('FROM')}{flag} {image} {self.kw('AS')} {name}", blank=True)

    def arg_copies(self, names: set[str] | None = None) -> list[Instruction]:
        out = []
        for s in self.steps:
            if s.kind != "arg":
                continue
            words = s.inst.value
            keep = [w for w in words if names is None or w.split("=", 1)[0] in names]
            if keep:
                out.append(self.new(f"{self.kw('ARG')} {' '.join(keep)}"))
        return out

    def env_copies(self) -> list[Instruction]:
        out = []
        for s in self.steps:
            if s.kind == "env":
                out.append(self.new(s.inst.code_without_leading.lstrip().rstrip("\r\n")))
        return out

    def runner_arg_names(self, runner_text: str) -> set[str]:
        used = set()
        for name in self.arg_names:
            if re.search(r"\$\{?" + re.escape(name) + r"\b", runner_text):
                used.add(name)
        return used

    def apt_install(self, packages: list[str], kind: str) -> Instruction | None:
        pk = sorted(dict.fromkeys(packages))
        if not pk:
            return None
        if kind == "alpine":
            return self.new(f"{self.kw('RUN')} apk add --no-cache {' '.join(pk)}")
        if kind != "debian":
            raise _Decline(f"the runner needs packages ({', '.join(pk)}) but {self.runner_image} has no package manager")
        lines = " \\\n        ".join(pk)
        inst = self.new(
            f"{self.kw('RUN')} apt-get update \\\n    && apt-get install -y --no-install-recommends \\\n        {lines} \\\n"
            f"    && rm -rf /var/lib/apt/lists/*"
        )
        if not self._original_has_unpinned_apt():
            # the runner takes the versions of its base image's Debian release, as the build did
            inst = inst.with_changes(leading=(Comment("# hadolint ignore=DL3008", self.df.newline),))
        return inst

    def _original_has_unpinned_apt(self) -> bool:
        for s in self.steps:
            if s.run:
                for c in s.run.cmds:
                    if c.name in ("apt-get", "apt") and any("=" not in p for p in c.apt):
                        return True
        return False

    # ---- runtime analysis shared by the ecosystems --------------------------------------------------

    def start_argvs(self) -> list[list[str]]:
        """ENTRYPOINT + CMD (the last of each), and HEALTHCHECK commands, as argv lists."""
        ep = cmd = None
        out = []
        for s in self.steps:
            if s.inst.cmd == "ENTRYPOINT":
                ep = _argv_of(s.inst)
            elif s.inst.cmd == "CMD":
                cmd = _argv_of(s.inst)
        main = (ep or []) + (cmd or [] if not ep or (cmd and ep) else [])
        if ep and cmd and ep[:2] == ["/bin/sh", "-c"]:
            main = ep  # shell-form ENTRYPOINT ignores CMD
        self.main_argv = main
        out.append(main)
        for s in self.steps:
            if s.inst.cmd == "HEALTHCHECK":
                v = s.inst.value
                if v and v[0].upper() == "CMD":
                    rest = list(v[1:])
                    out.append(rest if s.inst.is_json or len(rest) > 1 else ["/bin/sh", "-c", rest[0] if rest else ""])
        return out

    def scripts_run(self, argvs: list[list[str]]) -> list[tuple[str, str]]:
        """(context path, text) of the shell scripts the start commands run."""
        out = []
        for argv in argvs:
            for a in argv:
                if not a or a.startswith("-"):
                    continue
                for word in ([a] if not a.count(" ") else re.findall(r"[\w./-]+\.sh\b", a)):
                    if not (word.endswith(".sh") or "/" in word):
                        continue
                    path = word if word.startswith("/") else _abspath(word, self.final_workdir)
                    rel = self.ctx_path(path)
                    if rel and self.bc.is_file(rel):
                        text = self.bc.read_text(rel)
                        if text is not None and (text.startswith("#!") and re.match(r"#!\s*/\S*(sh|bash|dash)\b|#!\s*/usr/bin/env\s+(sh|bash)\b", text) or rel.endswith(".sh")):
                            out.append((rel, text))
        return out

    def command_names(self, argvs: list[list[str]], scripts: list[tuple[str, str]]) -> list[str]:
        names = []
        texts = [_cmd_text(a) for a in argvs if a] + [t for _, t in scripts]
        for t in texts:
            for u in _shell_commands(t):
                if isinstance(u, SimpleCommand) and u.name:
                    names.append(u.name.rsplit("/", 1)[-1])
                elif isinstance(u, Opaque):
                    names.extend(_opaque_command_names(u.raw))
        return names

    def check_dev(self, patterns, texts: list[str]) -> None:
        for t in texts:
            for rx, why in patterns:
                if rx.search(t):
                    raise _Decline(f"the start command runs build tools at run time ({why}): "
                                   "a split would leave them behind")

    def runtime_packages(self, tools_needed: list[str], extra_runtime: list[str], provided: set[str]) -> tuple[list[str], list[str]]:
        """Packages the runner installs, and the apt packages that stay behind (with why)."""
        installed = []
        for s in self.steps:
            if s.run is not None:
                for c in s.run.cmds:
                    if c.name in ("apt-get", "apt", "aptitude", "apk"):
                        installed.extend(c.apt)
        codename = "alpine" if self.base.alpine is not None else self.base.codename
        keep: list[str] = []
        left: list[str] = []
        needed_tools = {t for t in tools_needed if t not in K.SLIM_HAS and t not in provided}
        for p in dict.fromkeys(installed):
            bare = p.split("=", 1)[0]
            if bare in K.FETCHERS:
                if bare in needed_tools:
                    keep.append(bare)
                else:
                    left.append(f"{bare} (no run-time use found)")
                continue
            if K.is_build_only_package(bare):
                if bare in needed_tools:
                    keep.append(bare)
                else:
                    left.append(f"{bare} (build tool)")
                continue
            if K.is_dev_package(bare):
                rt = K.runtime_packages_for_dev(bare, codename)
                if rt is None:
                    raise _Decline(f"I do not know which runtime library {bare} stands for, so I cannot "
                                   "tell what the runner needs")
                left.append(f"{bare} (headers" + (f"; the runner gets {', '.join(rt)}" if rt else "") + ")")
                keep.extend(rt)
                continue
            keep.append(bare)
        for t in sorted(needed_tools):
            pkg = K.TOOL_PACKAGES.get(t)
            if pkg is not None and pkg not in keep:
                keep.append(pkg)
        if self.kind_of(self.runner_image) == "alpine":
            extra_runtime = [K.DEBIAN_TO_ALPINE[p] for p in extra_runtime if p in K.DEBIAN_TO_ALPINE]
        keep.extend(extra_runtime)
        if self.kind_of(self.runner_image) in ("distroless",):
            keep = [p for p in keep if p not in ("ca-certificates", "tzdata", "netbase")]
        if left:
            self.gain = True
        return list(dict.fromkeys(keep)), left

    def runner_start(self, config) -> list[Instruction]:
        """The runner's FROM, then the ARGs and ENVs of the original its instructions use."""
        runner: list[Instruction] = [self.stage_from(self.runner_image, "runner")]
        probe = " ".join(s.inst.code for s in config) + " ".join(i.code for i in self.env_copies())
        runner.extend(self.arg_copies(self.runner_arg_names(probe)))
        runner.extend(self.env_copies())
        return runner

    def runner_user(self, kind: str, base_user: str | None) -> tuple[list[Instruction], str, str]:
        """(instructions creating the user, USER value, chown value) for the runner."""
        u = self.final_user
        if u not in ("root", "0", "0:0", "root:root", ""):
            name = u.split(":", 1)[0]
            if kind in ("distroless", "scratch"):
                if not re.fullmatch(r"\d+(:\d+)?", u):
                    raise _Decline(f"the original runs as {u}, a name {self.runner_image} has no entry for")
                return [], u, u if ":" in u else f"{u}:{u}"
            if name == base_user or re.fullmatch(r"\d+(:\d+)?", u):
                chown = u if ":" in u else f"{u}:{u}" if re.fullmatch(r"\d+", u) else f"{u}:{u}"
                return [], u, chown
            # created by the original: do the same in the runner
            for s in self.steps:
                if s.run is not None and s.run.cmds and all(c.kind in ("user", "neutral") or c.name in ("mkdir", "chown") for c in s.run.cmds) \
                        and any(c.kind == "user" for c in s.run.cmds) and name in s.inst.args:
                    text = s.inst.code_without_leading.lstrip().rstrip("\r\n")
                    return [self.new(text)], u, u if ":" in u else f"{name}:{name}"
            raise _Decline(f"the original runs as {u}, created in a RUN I cannot repeat in the runner")
        if kind == "distroless":
            return [], "65532:65532", "65532:65532"
        if kind == "scratch":
            return [], "10001:10001", "10001:10001"
        # USER lines we write are numeric, so a runtime can verify them (runAsNonRoot, DL3066)
        if base_user:
            known = existing_user(self.runner_image)
            if known is not None and known.numeric:
                return [], known.numeric, f"{base_user}:{base_user}"
            return [], base_user, f"{base_user}:{base_user}"
        if kind == "alpine":
            return [self.new(f"{self.kw('RUN')} addgroup -S -g 10001 app && adduser -S -D -u 10001 -G app app")], "10001:10001", "app:app"
        if kind == "debian":
            return [self.new(f"{self.kw('RUN')} useradd --create-home --uid 10001 --user-group app")], "10001:10001", "app:app"
        raise _Decline(f"I do not know how to add a user to {self.runner_image}")

    def user_label(self, user: str, chown: str) -> str:
        name = chown.split(":", 1)[0]
        return user if name == user.split(":", 1)[0] or name[:1].isdigit() else f"{name} ({user})"

    def copy_line(self, stage: str, src: str, dest: str, chown: str | None) -> Instruction:
        ch = f" --chown={chown}" if chown else ""
        return self.new(f"{self.kw('COPY')} --from={stage}{ch} {src} {dest}")

    def dest_text(self, path: str, is_dir: bool) -> str:
        w = self.final_workdir
        if _under(path, w) and path != w:
            rel = "./" + _rel(path, w)
            return rel + ("/" if is_dir else "")
        if path == w:
            return "./"
        return path + ("/" if is_dir and not path.endswith("/") else "")

    def image_is_dir(self, path: str) -> bool:
        rel = self.ctx_path(path)
        if rel is None:
            return path in self.dirs
        return rel == "" or (self.bc.exists(rel) and not self.bc.is_file(rel))

    def app_dirs(self) -> set[str]:
        """Where the app lives: the working directories of its installs, builds and start
        command (not system folders)."""
        work = {self.final_workdir} | {s.workdir for s in self.steps if s.kind.startswith("run-")}
        return {w for w in work if w not in K.SYSTEM_DIRS}

    def copy_paths(self, stage: str, paths: list[str], chown: str | None) -> list[Instruction]:
        """COPY --from lines for image paths: files grouped per destination folder, one line per
        folder (a folder's contents land in the destination, so each needs its own). Only what
        lands in the app's folders is handed to the runtime user."""
        out: list[Instruction] = []
        files_by_parent: dict[str, list[str]] = {}
        apps = self.app_dirs()

        def owner(p: str) -> str | None:
            return chown if any(_under(p, a) for a in apps) else None

        for p in paths:
            if self.image_is_dir(p):
                out.append(self.copy_line(stage, p, self.dest_text(p, True), owner(p)))
            else:
                files_by_parent.setdefault(posixpath.dirname(p) or "/", []).append(p)
        for parent, files in files_by_parent.items():
            out.append(self.copy_line(stage, " ".join(files), self.dest_text(parent, True) if parent != self.final_workdir else "./", owner(files[0])))
        return out

    def runner_config(self, config: list[Step]) -> list[Instruction]:
        """The original's run-time instructions, behind a copy of its last SHELL (shell-form
        CMD, ENTRYPOINT and HEALTHCHECK run with it)."""
        shells = [s for s in self.steps if s.kind == "shell"]
        out = []
        if shells:
            if self.kind_of(self.runner_image) in ("distroless", "scratch"):
                raise _Decline(f"SHELL {shells[-1].inst.args}: the runner {self.runner_image} has no shell")
            out.append(self.new(shells[-1].inst.code_without_leading.lstrip().rstrip("\r\n")))
        return out + [s.inst for s in config]

    def resolve_runner(self, derived: str | None, why: str) -> str:
        opt = self.ctx.options.get("runner_base")
        if isinstance(opt, str) and opt.strip():
            opt = opt.strip()
            self.notes.append(f"runner base {opt} given by --runner-base")
            if K.runner_kind(opt) == "unknown":
                fam = image_family(opt)
                guess = {Family.DEBIAN: "debian", Family.ALPINE: "alpine", Family.DISTROLESS: "distroless",
                         Family.SCRATCH: "scratch"}.get(fam)
                if guess is None:
                    guess = "alpine" if self.base.libc == "musl" else "debian"
                    self.notes.append(f"{opt} assumed to be {guess}-based like {self.base_text}")
                self.runner_kind_override = guess
            return opt
        if derived is None:
            raise _Decline(why, self.from_inst)
        return derived

    def kind_of(self, image: str) -> str:
        return getattr(self, "runner_kind_override", None) or K.runner_kind(image)

    def user_text(self, user: str) -> Instruction:
        return self.new(f"{self.kw('USER')} {user}")

    def workdir_inst(self) -> Instruction | None:
        if self.final_workdir == "/" and self.runner_default_workdir == "/":
            return None
        return self.new(f"{self.kw('WORKDIR')} {self.final_workdir}")

    # ---- assembling ------------------------------------------------------------------------------

    def finish(self, ecosystem: str, deps: list[Instruction], builder: list[Instruction],
               extra: list[tuple[str, list[Instruction]]], runner: list[Instruction]) -> Plan:
        same_base = expand_from(self.runner_image, self.global_args) == expand_from(self.base_text, self.global_args)
        if same_base and not self.gain:
            raise _Decline(f"a split would leave nothing behind: the runner would use {self.runner_image} too, "
                           "and there is no build step, devDependency or build-only package to drop")
        left = "; ".join(self.leaves) if self.leaves else "the build toolchain"
        was = "" if same_base else f" (was {self.base_text})"
        summary = (f"split into deps → builder → runner on {self.runner_image}{was}; "
                   f"left out of the final image: {left}")
        if len(summary) > 400:
            summary = summary[:397] + "..."
        if same_base:
            head = (f"The final image stays on {self.runner_image}, but what only the build needs stays in the "
                    "`deps` and `builder` stages (`docker build --target builder` still gives the full build "
                    "environment).")
        else:
            head = (f"The final image now starts FROM {self.runner_image} instead of {self.base_text}, whose "
                    "compilers, headers and build tools stay in the `deps` and `builder` stages "
                    "(`docker build --target builder` still gives the full build environment).")
        parts = [head]
        if self.leaves:
            parts.append("Left out of the final image: " + "; ".join(self.leaves) + ".")
        if self.keeps:
            parts.append("Copied into it: " + "; ".join(self.keeps) + ".")
        if self.notes:
            parts.append("Check: " + "; ".join(self.notes) + ".")
        return Plan(self.base_text, self.runner_image, ecosystem, deps, builder, extra, runner,
                    self.touched, summary, " ".join(parts))

    def emit(self, plan: Plan) -> Dockerfile:
        df = self.df
        before: list[Instruction] = []
        for inst in df.instructions:
            if inst is self.from_inst:
                break
            before.append(inst)
        seq = before + plan.deps + plan.builder
        for _, insts in plan.extra:
            seq += insts
        seq += plan.runner
        # an instruction that ended the file without a line ending may now sit mid-file
        nl = df.newline
        fixed = []
        for k, inst in enumerate(seq):
            if inst.newline == "" and k != len(seq) - 1:
                new = inst.with_changes(newline=nl)
                if inst.start is not None:
                    self.touched.append(inst)
                    plan.touched.append(inst)
                inst = new
            fixed.append(inst)
        return df.with_changes(instructions=tuple(fixed))

    # ---- the build-stage halves ------------------------------------------------------------------

    def build_stages(self, deps_extra_before_install=None, builder_extra=()) -> tuple[list[Instruction], list[Instruction], list[Step]]:
        """deps and builder instruction lists (originals moved, manifest copies added where a
        hoisted install needs them); returns the config steps for the runner."""
        deps_steps, builder_steps, config = self._segment()
        self.deps_steps, self.builder_steps = deps_steps, builder_steps
        deps: list[Instruction] = [self.deps_from()]
        copied: set[str] = set()
        first_source = next((s.index for s in self.steps if s.kind == "copy-source"), 10**9)
        for s in deps_steps:
            if s.run is not None and deps_extra_before_install is not None:
                deps.extend(deps_extra_before_install(s))
            if s.kind == "run-deps" and s.run is not None:
                if s.index > first_source:
                    need = []
                    for m in sorted(s.run.manifests, key=self._manifest_rank):
                        rel = self.ctx_path(m)
                        if rel is None or not self.bc.sent(rel) or not self.bc.is_file(rel):
                            continue
                        if m in copied:
                            continue
                        need.append((m, rel))
                    if need:
                        deps.append(self.manifest_copy(need, s.workdir))
                        copied.update(m for m, _ in need)
            if s.kind in ("copy-manifest",):
                copied.update(e.dest for e in s.entries)
            deps.append(s.inst)
        if deps_extra_before_install is not None:
            deps.extend(deps_extra_before_install(None))
        builder: list[Instruction] = [self.new(f"{self.kw('FROM')} deps {self.kw('AS')} builder", blank=True)]
        builder.extend(self.arg_copies())
        builder.extend(builder_extra)
        builder.extend(s.inst for s in builder_steps)
        return deps, builder, config

    def _manifest_rank(self, path: str) -> tuple[int, str]:
        name = posixpath.basename(path)
        for i, pat in enumerate(K.MANIFESTS[self.eco]):
            if fnmatch.fnmatchcase(name, posixpath.basename(pat)):
                return (i, path)
        return (99, path)

    def deps_end_workdir(self) -> str:
        wd = self._base_workdir()
        env = dict(self.global_args)
        for s in self.deps_steps:
            if s.kind == "workdir":
                w = expand_variables(_unquote(s.inst.value[0]), {**env, **self.env})
                wd = _abspath(w or "/", wd)
        return wd

    def manifest_copy(self, need: list[tuple[str, str]], workdir: str) -> Instruction:
        dests = {posixpath.dirname(m) for m, _ in need}
        srcs = " ".join(rel for _, rel in need)
        if len(dests) == 1:
            d = dests.pop()
            dest = "./" if d == workdir else d + "/"
            return self.new(f"{self.kw('COPY')} {srcs} {dest}")
        raise _Decline("the install reads manifests from several folders: not understood")

    # ---- Python -----------------------------------------------------------------------------------

    def _plan_python(self) -> Plan:
        base = self.base
        argvs = self.start_argvs()
        scripts = self.scripts_run(argvs)
        texts = [_cmd_text(a) for a in argvs if a] + [t for _, t in scripts]
        self.check_dev(K.DEV_PY_PATTERNS, texts)
        for s in self.steps:
            if s.kind == "env" and any(k in ("VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT", "PIPENV_VENV_IN_PROJECT") for k in s.inst.value[0::2]):
                raise _Decline("the Dockerfile chooses its own virtualenv: not understood", s.inst)
            if s.kind == "env" and any(k in ("FLASK_DEBUG", "FLASK_ENV") for k in s.inst.value[0::2]):
                if any(v.strip("\"'") in ("1", "true", "development") for v in s.inst.value[1::2]):
                    raise _Decline("FLASK_DEBUG/FLASK_ENV=development: a development server", s.inst)
            if s.run is not None:
                for c in s.run.cmds:
                    for p in c.apt:
                        if p.startswith("python3-") and p not in ("python3-dev", "python3-pip", "python3-venv", "python3-setuptools", "python3-wheel", "python3-distutils"):
                            raise _Decline(f"installs {p} with apt: a virtualenv would not see it", s.inst)
        main = self.main_argv
        if main and re.match(r"^/.*python", main[0]) and "/opt/venv" not in main[0]:
            raise _Decline(f"the start command runs {main[0]} by path: the virtualenv would be bypassed")
        pms = {c.pm for s in self.steps if s.run for c in s.run.cmds if c.kind in ("deps", "build") and c.pm in ("pip", "poetry", "uv")}
        if not pms:
            raise _Decline("installs no Python dependencies I can follow (pip, poetry, uv)")
        slim = K.slim_tag(base)
        derived = K.image_name(base, slim) if slim else None
        self.runner_image = self.resolve_runner(self._templated(derived), f"no slim image for {self.base_text}")
        kind = self.kind_of(self.runner_image)
        self.runner_default_workdir = "/"
        if kind not in ("debian", "alpine"):
            raise _Decline(f"runner {self.runner_image}: a Python runner needs a shell and a package manager")
        if kind == "alpine" and base.libc != "musl":
            raise _Decline("the runner would switch from glibc to musl")

        venv_env = f'{self.kw("ENV")} VIRTUAL_ENV={VENV} PATH="{VENV}/bin:$PATH"'
        inserted = False
        def installs_python(s: Step) -> bool:
            cmds = s.run.cmds if s.run else []
            if any(c.kind in ("deps", "build") and c.pm in ("pip", "poetry", "uv") for c in cmds):
                return True
            # a RUN that only upgrades pip/setuptools/wheel: upgrade the virtualenv's, as the original did the image's
            pips = [c for c in cmds if c.name == "pip"]
            return bool(pips) and all(c.pm == "pip-self" for c in pips) and all(c.kind in ("tool", "neutral") for c in cmds)

        first_py = next((s for s in self.steps if s.run and installs_python(s)), None)

        def venv_lines(step):
            nonlocal inserted
            if inserted or (step is not None and step is not first_py):
                return []
            inserted = True
            lines = [self.new(f"{self.kw('RUN')} python -m venv {VENV}"), self.new(venv_env)]
            if any(c.pm == "uv" for s in self.steps if s.run for c in s.run.cmds):
                lines.append(self.new(f"{self.kw('ENV')} UV_PROJECT_ENVIRONMENT={VENV}"))
            return lines

        deps, builder, config = self.build_stages(venv_lines)
        # runner
        provided = set(K.LANGUAGE_TOOLS["python"])
        names = self.command_names(argvs, scripts)
        reqs = self._python_requirements()
        extra = [lib for r in reqs for lib in K.PY_NATIVE_RUNTIME.get(r, ())]
        for r in reqs:
            provided.add(r)
        packages, left = self.runtime_packages(names, extra, provided | self._console_scripts(reqs))
        self.leaves.extend(left)
        base_user = None
        user_insts, user, chown = self.runner_user(kind, base_user)
        runner = self.runner_start(config)
        runner.append(self.new(venv_env))
        pk = self.apt_install(packages, kind)
        if pk is not None:
            runner.append(pk)
        runner.extend(user_insts)
        wd = self.workdir_inst()
        if wd is not None:
            runner.append(wd)
        runner.append(self.copy_line("builder", VENV, VENV, None))
        app_paths = self._app_roots()
        runner.extend(self.copy_paths("builder", app_paths, chown))
        runner.append(self.user_text(user))
        runner.extend(self.runner_config(config))
        self.leaves.append("pip/poetry/uv caches and the installers")
        self.keeps.insert(0, f"the virtualenv {VENV}")
        self.keeps.append("the app files: " + ", ".join(app_paths))
        if user != self.final_user:
            self.notes.append(f"runs as {self.user_label(user, chown)} instead of root")
        return self.finish("python", deps, builder, [], runner)

    def _templated(self, derived: str | None) -> str | None:
        """The runner image written with the same variables as the FROM line, if any."""
        if derived is None or "$" not in self.base_text:
            return derived
        resolved = expand_from(self.base_text, self.global_args)
        if derived == resolved:
            return self.base_text
        if derived == resolved + "-slim":
            return self.base_text + "-slim"
        raise _Decline("the base image is chosen by a build argument; I cannot derive its slim twin")

    def _python_requirements(self) -> set[str]:
        names: set[str] = set()
        for e in self.image_map:
            cands = []
            if e.is_dir:
                for pat in ("requirements*.txt", "requirements/*.txt", "pyproject.toml"):
                    cands += self._glob(posixpath.join(e.src, pat) if e.src else pat)
            else:
                cands.append(e.src)
            for rel in cands:
                base = posixpath.basename(rel)
                text = self.bc.read_text(rel) or ""
                if base.endswith(".txt") and base.startswith(("requirements", "constraints")) or "/requirements/" in "/" + rel:
                    for line in text.splitlines():
                        m = re.match(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)", line)
                        if m and not line.lstrip().startswith("-"):
                            names.add(m.group(1).lower().replace("_", "-"))
                elif base == "pyproject.toml":
                    for m in re.finditer(r"""["']([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(?:[<>=!~;][^"']*)?["']""", text):
                        names.add(m.group(1).lower().replace("_", "-"))
                    for m in re.finditer(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*=\s*[\"'{]", text, re.M):
                        names.add(m.group(1).lower().replace("_", "-"))
        for s in self.steps:
            if s.run:
                for c in s.run.cmds:
                    if c.pm == "pip" and c.cmd is not None:
                        for w in c.cmd.args_without_flags():
                            if w.value and re.match(r"^[A-Za-z0-9][A-Za-z0-9._-]*", w.value) and w.value != "install":
                                names.add(re.split(r"[=<>~!\[]", w.value, 1)[0].lower())
        return names

    def _console_scripts(self, reqs: set[str]) -> set[str]:
        """Commands the virtualenv provides: a requirement's name is (nearly always) its script's."""
        return set(reqs) | ({"django-admin"} if "django" in reqs else set())

    def _app_roots(self) -> list[str]:
        """Where the original put files: the app folder as a whole when it is a folder of its
        own, else each copied path."""
        w = self.final_workdir
        roots: list[str] = []
        dedicated = w not in K.SYSTEM_DIRS
        for e in self.image_map:
            if any(s.kind == "copy-tool" and e in s.entries for s in self.steps):
                continue
            if dedicated and _under(e.dest, w):
                if w not in roots:
                    roots.append(w)
                continue
            if e.is_dir:
                rel = e.src
                for child in self._sent_children(rel):
                    p = posixpath.join(e.dest, child)
                    if p not in roots:
                        roots.append(p)
            elif e.dest not in roots:
                roots.append(e.dest)
        roots = [r for r in roots if not any(r != o and _under(r, o) for o in roots)]
        return roots

    # ---- Node -------------------------------------------------------------------------------------

    def _plan_node(self) -> Plan:
        base = self.base
        argvs = self.start_argvs()
        installs = [(s, c) for s in self.steps if s.run for c in s.run.cmds if c.kind == "deps" and c.pm in ("npm", "yarn", "pnpm")]
        if not installs:
            raise _Decline("installs no Node dependencies I can follow (npm, yarn, pnpm)")
        inst_step, inst_cmd = installs[0]
        pm = inst_cmd.pm
        app_dir = inst_step.workdir
        pkg = self._package_json(app_dir)
        if pkg is None:
            raise _Decline(f"no package.json reaches {app_dir}: the build context is unknown")
        if pm == "yarn" and self._ctx_exists(app_dir, ".yarnrc.yml"):
            raise _Decline("yarn 2+ (berry): not understood yet")
        scripts = pkg.get("scripts") or {}
        deps_ = pkg.get("dependencies") or {}
        dev_deps = pkg.get("devDependencies") or {}
        # the start command, through package.json scripts
        start_texts: list[str] = []
        for argv in argvs:
            start_texts.extend(self._node_expand(_cmd_text(argv), scripts, set()))
        for t in start_texts:
            for rx, why in K.DEV_NODE_PATTERNS:
                if rx.search(t):
                    raise _Decline(f"the start command runs build tools at run time ({why}): "
                                   "a split would leave them behind")
        for argv in argvs:
            text = _cmd_text(argv)
            m = re.search(r"\b(?:npm\s+run|yarn(?:\s+run)?|pnpm(?:\s+run)?)\s+([\w:.-]+)", text)
            if m and m.group(1) in K.DEV_SCRIPT_NAMES:
                raise _Decline(f"the start command runs the `{m.group(1)}` script: a development setup")
        used_bins = self._node_bins(start_texts)
        for b in used_bins:
            pkgname = K.NODE_BIN_PACKAGE.get(b, b)
            if pkgname in dev_deps and pkgname not in deps_:
                raise _Decline(f"the start command uses {b} from devDependencies; without them it would not start")
            if pkgname not in deps_ and pkgname not in dev_deps and b not in K.SLIM_HAS and b not in K.LANGUAGE_TOOLS["node"]:
                if not self._global_tool(b):
                    self.notes.append(f"{b}: not in package.json; assumed to come with the base image")
        # the build: scripts run after the source arrives
        builder_texts: list[str] = []
        outputs: list[str] = []
        known = True
        for s in self.steps:
            if s.run and s.kind == "run-build":
                wd_pkg = self._package_json(s.workdir) or pkg
                wd_scripts = wd_pkg.get("scripts") or {}
                texts: list[str] = []
                for c in s.run.cmds:
                    if c.scripts:
                        for sc in c.scripts:
                            texts.extend(self._node_expand(f"npm run {sc}", wd_scripts, set()))
                    elif c.cmd is not None and c.kind in ("build", "other"):
                        texts.append(c.cmd.code)
                    elif c.name.startswith("<"):
                        known = False
                outs, k = self._node_outputs(texts, s.workdir, wd_pkg)
                outputs.extend(o for o in outs if o not in outputs)
                known = known and k
                builder_texts.extend(texts)
        self.dirs.update(outputs)
        if builder_texts:
            self.gain = True  # a build step: its inputs and tools stay behind
        is_next = "next" in deps_ and any(re.search(r"\bnext\s+build\b", t) for t in builder_texts)
        # production dependencies
        slim = K.slim_tag(base)
        derived = K.image_name(base, slim) if slim else None
        self.runner_image = self.resolve_runner(self._templated(derived), f"no slim image for {self.base_text}")
        kind = self.kind_of(self.runner_image)
        self.runner_default_workdir = "/"
        if kind == "alpine" and base.libc != "musl":
            raise _Decline("the runner would switch from glibc to musl (native modules would break)")
        deps, builder, config = self.build_stages()
        install_in_builder = inst_step in self.builder_steps
        prune_from = "builder" if install_in_builder or not known else "deps"
        prod_only = all(c.prod_only for _, c in installs)
        extra: list[tuple[str, list[Instruction]]] = []
        nm_stage = "builder" if install_in_builder else "deps"
        if dev_deps and not prod_only:
            prune = {"npm": "npm prune --omit=dev", "pnpm": "pnpm prune --prod",
                     "yarn": "yarn install --production --ignore-scripts --prefer-offline"
                             + (" --frozen-lockfile" if self._ctx_exists(app_dir, "yarn.lock") else "")}[pm]
            stage = [self.new(f"{self.kw('FROM')} {prune_from} {self.kw('AS')} prod-deps", blank=True)]
            stage.extend(self.arg_copies())
            end_wd = self.final_workdir if prune_from == "builder" else self.deps_end_workdir()
            if end_wd != app_dir:
                stage.append(self.new(f"{self.kw('WORKDIR')} {app_dir}"))
            stage.append(self.new(f"{self.kw('RUN')} {prune}"))
            extra.append(("prod-deps", stage))
            nm_stage = "prod-deps"
            self.gain = True
            self.leaves.append("devDependencies (" + ", ".join(sorted(dev_deps)[:6]) + (", ..." if len(dev_deps) > 6 else "") + ")")
        # the runner
        names = self.command_names(argvs, [])
        packages, left = self.runtime_packages(names, [], set(K.LANGUAGE_TOOLS["node"]) | used_bins)
        self.leaves.extend(left)
        base_user = "node" if kind == "debian" or kind == "alpine" else None
        user_insts, user, chown = self.runner_user(kind, base_user)
        runner = self.runner_start(config)
        pk = self.apt_install(packages, kind)
        if pk is not None:
            runner.append(pk)
        runner.extend(user_insts)
        for s in self.steps:
            if s.run and any(c.kind == "tool" and c.name in ("npm", "yarn", "pnpm", "corepack") for c in s.run.cmds):
                if any(self._global_tool(b) for b in used_bins) or any(re.search(r"\bpnpm\b", t) for t in start_texts):
                    runner.append(self.new(s.inst.code_without_leading.lstrip().rstrip("\r\n")))
        wd = self.workdir_inst()
        if wd is not None:
            runner.append(wd)
        cmd_rewrite: Instruction | None = None
        nm = posixpath.join(app_dir, "node_modules")
        if is_next and self._next_standalone(app_dir):
            paths = []
            runner.append(self.copy_line("builder", posixpath.join(app_dir, ".next/standalone"), self.dest_text(app_dir, True), chown))
            runner.append(self.copy_line("builder", posixpath.join(app_dir, ".next/static"), self.dest_text(posixpath.join(app_dir, ".next/static"), True), chown))
            if self._ctx_exists(app_dir, "public"):
                runner.append(self.copy_line("builder", posixpath.join(app_dir, "public"), self.dest_text(posixpath.join(app_dir, "public"), True), chown))
            runner.append(self.new(f'{self.kw("ENV")} HOSTNAME="0.0.0.0"'))
            self.keeps.append("the Next.js standalone server (.next/standalone, .next/static, public)")
            self.leaves.append("node_modules outside the standalone trace, the source and .next/cache")
            cmd_rewrite = self.new(f'{self.kw("CMD")} ["node", "server.js"]')
            self.notes.append("runs `node server.js` (the standalone server) instead of `next start`")
        else:
            runner.append(self.copy_line(nm_stage, nm, self.dest_text(nm, True), chown))
            if is_next:
                paths = [posixpath.join(app_dir, p) for p in (".next", "public", "package.json") if p == ".next" or self._ctx_exists(app_dir, p)]
                paths += [posixpath.join(app_dir, n) for n in self._sent_children(self.ctx_path(app_dir) or "") if n.startswith("next.config.")]
                self.keeps.append("the Next.js build (.next), public, package.json, next.config")
                self.leaves.append("the source (pages/app/components) compiled into .next")
            else:
                paths = self._node_runtime_paths(self.final_workdir, outputs, known, start_texts)
                paths = [p for p in paths if p != nm]
            runner.extend(self.copy_paths("builder", paths, chown))
            self.keeps.insert(0, "production node_modules")
        runner.append(self.user_text(user))
        cfg = self.runner_config(config)
        if cmd_rewrite is not None:
            cfg2 = []
            for inst in cfg:
                if inst.cmd == "CMD":
                    self.touched.append(inst)
                    cfg2.append(cmd_rewrite.with_changes(leading=inst.leading))
                elif inst.cmd == "ENTRYPOINT":
                    raise _Decline("an ENTRYPOINT in front of a Next.js standalone server: not understood", inst)
                else:
                    cfg2.append(inst)
            cfg = cfg2
        runner.extend(cfg)
        if user != self.final_user:
            self.notes.append(f"runs as {self.user_label(user, chown)} instead of root")
        return self.finish("node", deps, builder, extra, runner)

    def _ctx_exists(self, image_dir: str, name: str) -> bool:
        rel = self.ctx_path(posixpath.join(image_dir, name))
        return rel is not None and self.bc.sent(rel)

    def _global_tool(self, b: str) -> bool:
        for s in self.steps:
            if s.run:
                for c in s.run.cmds:
                    if c.kind == "tool" and c.cmd is not None and any(w.value and (w.value == b or w.value.startswith(b + "@")) for w in c.cmd.args):
                        return True
        return False

    def _node_expand(self, text: str, scripts: dict, seen: set) -> list[str]:
        """The command texts `text` runs, through `npm run x` / `npm start` / `yarn x`."""
        out = [text]
        for m in re.finditer(r"\b(?:npm\s+(?:run(?:-script)?\s+)?|yarn\s+(?:run\s+)?|pnpm\s+(?:run\s+)?)([\w:.-]+)", text):
            name = m.group(1)
            if name in ("run", "install", "ci", "i", "exec", "dlx", "prune", "add"):
                continue
            if name in scripts and name not in seen:
                seen.add(name)
                for pre in ("pre" + name, "post" + name):
                    if pre in scripts:
                        out.extend(self._node_expand(scripts[pre], scripts, seen))
                out.extend(self._node_expand(scripts[name], scripts, seen))
            elif name == "start" and "start" not in scripts:
                out.append("node server.js")
        return out

    def _node_bins(self, texts: list[str]) -> set[str]:
        bins = set()
        for t in texts:
            for u in _shell_commands(t):
                if isinstance(u, SimpleCommand) and u.name:
                    n = u.name
                    if n in ("npx",) and u.args:
                        n = u.args[0].value or n
                    if n in ("npm", "yarn", "pnpm", "node", "sh", "exec", "cd", "/bin/sh", "cross-env"):
                        continue
                    bins.add(n.rsplit("/", 1)[-1] if n.startswith("./node_modules/.bin/") else n)
        return bins

    def _node_outputs(self, texts: list[str], app_dir: str, pkg: dict) -> tuple[list[str], bool]:
        """Folders the build writes (image paths) and whether every build command is known."""
        outs: list[str] = []
        known = True
        for t in texts:
            for u in _shell_commands(t):
                if isinstance(u, Opaque):
                    known = False
                    continue
                n = (u.name or "").rsplit("/", 1)[-1]
                if n in ("npm", "yarn", "pnpm"):
                    continue  # expanded separately
                if n == "npx" and u.args:
                    n = u.args[0].value or ""
                if n not in K.NODE_BUILD_TOOLS and n != "node":
                    known = False
                    continue
                if n == "tsc":
                    proj = u.option_value("-p", "--project", value_flags=["-p", "--project", "--outDir"])
                    out = u.option_value("--outDir", value_flags=["-p", "--project", "--outDir"])
                    if out is None:
                        out = self._tsconfig_outdir(app_dir, proj or "tsconfig.json")
                    if out:
                        outs.append(_abspath(out, app_dir))
                    elif not u.has_flag("--noEmit"):
                        known = False
                elif n == "vite":
                    outs.append(_abspath(self._config_value(app_dir, "vite.config", r"outDir\s*:\s*['\"]([^'\"]+)") or "dist", app_dir))
                elif n == "webpack":
                    outs.append(_abspath(self._config_value(app_dir, "webpack.config", r"path\s*:\s*path\.(?:resolve|join)\(\s*__dirname\s*,\s*['\"]([^'\"]+)") or "dist", app_dir))
                elif n == "next":
                    outs.append(_abspath(".next", app_dir))
                elif n == "nest":
                    outs.append(_abspath(self._tsconfig_outdir(app_dir, "tsconfig.build.json") or self._tsconfig_outdir(app_dir, "tsconfig.json") or "dist", app_dir))
                elif n == "react-scripts":
                    outs.append(_abspath("build", app_dir))
                elif n in ("babel", "swc"):
                    d = u.option_value("-d", "--out-dir", value_flags=["-d", "--out-dir", "-o", "--out-file"])
                    if d:
                        outs.append(_abspath(d, app_dir))
                    else:
                        known = False
                elif n == "esbuild":
                    for w in u.args:
                        v = w.value or ""
                        if v.startswith("--outdir="):
                            outs.append(_abspath(v.split("=", 1)[1], app_dir))
                        elif v.startswith("--outfile="):
                            outs.append(_abspath(posixpath.dirname(v.split("=", 1)[1]) or v.split("=", 1)[1], app_dir))
                elif n in ("tsup", "rollup", "parcel", "ng", "vue-cli-service", "nuxt", "astro"):
                    outs.append(_abspath({"nuxt": ".output", "astro": "dist"}.get(n, "dist"), app_dir))
                elif n == "node":
                    known = False
        outs = [o for o in dict.fromkeys(outs) if o != app_dir]
        return outs, known

    def _tsconfig_outdir(self, app_dir: str, name: str) -> str | None:
        rel = self.ctx_path(_abspath(name, app_dir))
        text = self.bc.read_text(rel) if rel else None
        if text is None:
            return None
        m = re.search(r'"outDir"\s*:\s*"([^"]+)"', text)
        if m:
            return m.group(1)
        m = re.search(r'"extends"\s*:\s*"(\.[^"]+)"', text)
        if m:
            return self._tsconfig_outdir(posixpath.dirname(_abspath(name, app_dir)), m.group(1))
        return None

    def _config_value(self, app_dir: str, stem: str, rx: str) -> str | None:
        for ext in (".ts", ".js", ".mjs", ".cjs", ".mts"):
            rel = self.ctx_path(posixpath.join(app_dir, stem + ext))
            text = self.bc.read_text(rel) if rel else None
            if text:
                m = re.search(rx, text)
                return m.group(1) if m else None
        return None

    def _next_standalone(self, app_dir: str) -> bool:
        for ext in ("js", "mjs", "cjs", "ts"):
            rel = self.ctx_path(posixpath.join(app_dir, f"next.config.{ext}"))
            text = self.bc.read_text(rel) if rel else None
            if text and re.search(r"""output\s*:\s*['"]standalone['"]""", text):
                return True
        return False

    def _node_runtime_paths(self, app_dir: str, outputs: list[str], known: bool, start_texts: list[str]) -> list[str]:
        """The app folder's entries the runner needs: all that the COPYs brought in, minus
        node_modules and build-only content, plus the build outputs."""
        entries: list[str] = []
        w = app_dir
        for e in self.image_map:
            if any(s.kind == "copy-tool" and e in s.entries for s in self.steps):
                continue
            if e.is_dir and (_under(w, e.dest)):
                sub = _rel(w, e.dest)
                src = e.src if sub == "." else (posixpath.join(e.src, sub) if e.src else sub)
                for child in self._sent_children(src):
                    entries.append(posixpath.join(w, child))
            elif e.is_dir and _under(e.dest, w):
                first = _rel(e.dest, w).split("/", 1)[0]
                entries.append(posixpath.join(w, first))
            elif _under(e.dest, w):
                entries.append(posixpath.join(w, _rel(e.dest, w).split("/", 1)[0]))
            else:
                entries.append(e.dest)
        build_only = list(K.ALWAYS_BUILD_ONLY_NAMES) + list(K.NODE_INSTALL_ONLY_NAMES)
        source_dirs: set[str] = set()
        if outputs and known:
            build_only += list(K.NODE_BUILD_ONLY_NAMES)
            entry_files = self._node_entry_files(start_texts, app_dir)
            # the TypeScript sources compiled into the outputs
            ts_src = self._tsconfig_rootdir(app_dir)
            for d in ([ts_src] if ts_src else ["src"]):
                p = _abspath(d, app_dir)
                if not any(_under(f, p) for f in entry_files) and not any(_under(o, p) for o in outputs):
                    source_dirs.add(p)
        kept, dropped = [], []
        for p in dict.fromkeys(entries + outputs):
            name = posixpath.basename(p)
            if ((_under(p, w) and (_matches_any(name, build_only) or p in source_dirs))
                    or _matches_any(name, K.NODE_INSTALL_ONLY_NAMES)) and p not in outputs:
                dropped.append(name)
                continue
            kept.append(p)
        if dropped:
            self.leaves.append("build-only files (" + ", ".join(sorted(set(dropped) - {"node_modules"})) + ")" if set(dropped) - {"node_modules"} else "")
            self.leaves[:] = [x for x in self.leaves if x]
        if not (outputs and known):
            if any(s.run and s.kind == "run-build" for s in self.builder_steps):
                self.notes.append("the build's outputs are not known to me: the runner gets the whole app folder "
                                  "(minus node_modules and build-only files)")
        else:
            self.keeps.append("the build output " + ", ".join(_rel(o, w) if _under(o, w) else o for o in outputs))
        return kept

    def _tsconfig_rootdir(self, app_dir: str) -> str | None:
        rel = self.ctx_path(_abspath("tsconfig.json", app_dir))
        text = self.bc.read_text(rel) if rel else None
        if not text:
            return None
        m = re.search(r'"rootDir"\s*:\s*"([^"]+)"', text)
        if m:
            return m.group(1).rstrip("/") or None
        m = re.search(r'"include"\s*:\s*\[\s*"([^"/*]+)', text)
        return m.group(1) if m else None

    def _node_entry_files(self, texts: list[str], app_dir: str) -> list[str]:
        out = []
        for t in texts:
            for u in _shell_commands(t):
                if isinstance(u, SimpleCommand) and (u.name or "").rsplit("/", 1)[-1] == "node":
                    for w in u.args:
                        if w.value and not w.value.startswith("-"):
                            out.append(_abspath(w.value, app_dir))
                            break
        return out

    def checked_start(self, dev_patterns) -> list:
        """The start command's argvs, declining when they run development tools."""
        argvs = self.start_argvs()
        self.check_dev(dev_patterns, [_cmd_text(a) for a in argvs if a])
        return argvs

    def compile_steps(self, tool: str) -> list:
        """(step, command) for each `<tool> build` / `<tool> install` that compiles the app."""
        return [(s, c) for s in self.steps if s.run for c in s.run.cmds
                if c.name == tool and c.kind == "build" and c.cmd is not None
                and c.cmd.subcommand() is not None and c.cmd.subcommand().value in ("build", "install")]

    # ---- Go -----------------------------------------------------------------------------------------

    def _plan_go(self) -> Plan:
        base = self.base
        argvs = self.checked_start(K.DEV_GO_PATTERNS)
        builds = self.compile_steps("go")
        if not builds:
            raise _Decline("no `go build` or `go install` I can follow")
        outputs = []
        for s, c in builds:
            outputs.extend(self._go_outputs(s, c))
        binary = self._match_binary(outputs)
        cgo = self._go_uses_cgo()
        env_cgo = self.env.get("CGO_ENABLED")
        inline_cgo = {a.value for s, c in builds for a in c.cmd.assignments if a.name == "CGO_ENABLED"}
        static = (env_cgo == "0" or inline_cgo == {"0"}) or (not cgo and env_cgo != "1" and "1" not in inline_cgo)
        shell_needed = self.main_argv[:2] == ["/bin/sh", "-c"] or any(a[:2] == ["/bin/sh", "-c"] for a in argvs[1:])
        scripts = self.scripts_run(argvs)
        names = self.command_names(argvs, scripts)
        tools = [n for n in names if n not in K.SLIM_HAS and posixpath.basename(binary) != n]
        cmd_rewrite: list[tuple[Instruction, Instruction]] = []
        if static:
            derived = K.distroless_static(base)
            if shell_needed or scripts or tools:
                conv = self._exec_forms(argvs)
                if conv is not None and not scripts and not tools:
                    cmd_rewrite = conv
                else:
                    derived, why = K.debian_runner(base)
                    if why:
                        self.notes.append(why)
        else:
            derived, why = K.debian_runner(base)
            if why:
                self.notes.append(why)
        self.runner_image = self.resolve_runner(derived, "")
        kind = self.kind_of(self.runner_image)
        self.runner_default_workdir = "/"
        builder_extra = []
        if static and env_cgo != "0" and inline_cgo != {"0"}:
            builder_extra.append(self.new(f"{self.kw('ENV')} CGO_ENABLED=0"))
            self.notes.append("builds with CGO_ENABLED=0 (no `import \"C\"` in the code): a static binary")
        deps, builder, config = self.build_stages(None, builder_extra)
        # a deps stage that downloads the modules, when the original has none
        if not any(s.run and any(c.kind == "deps" for c in s.run.cmds) for s in self.steps) and not self._ctx_has_vendor():
            deps = self._add_go_download(deps)
        packages, left = self.runtime_packages(tools, [], set())
        self.leaves.extend(left)
        user_insts, user, chown = self.runner_user(kind, None)
        runner = self.runner_start(config)
        if kind in ("debian", "alpine"):
            if kind == "debian" and "ca-certificates" not in packages and self._go_uses_tls():
                packages.append("ca-certificates")
            pk = self.apt_install(packages, kind)
            if pk is not None:
                runner.append(pk)
        elif packages:
            raise _Decline(f"the runner needs {', '.join(packages)} but {self.runner_image} has no package manager")
        runner.extend(user_insts)
        wd = self.workdir_inst()
        if wd is not None:
            runner.append(wd)
        files = self._runtime_files(binary, [".go"])
        runner.append(self.binary_copy(binary))
        runner.extend(self.copy_paths("builder", files, chown))
        runner.append(self.user_text(user))
        cfg = self.runner_config(config)
        for old, new in cmd_rewrite:
            cfg = [new.with_changes(leading=old.leading) if i is old else i for i in cfg]
            self.touched.append(old)
        if cmd_rewrite:
            self.notes.append("CMD/ENTRYPOINT written in exec form: the distroless runner has no shell")
        runner.extend(cfg)
        self.keeps.insert(0, f"the binary {binary}" + (" (static)" if static else ""))
        if files:
            self.keeps.append("files the code reads at run time: " + ", ".join(files))
        self.leaves.append("the Go toolchain, the module cache and the source")
        self.gain = True
        if user != self.final_user:
            self.notes.append(f"runs as {self.user_label(user, chown)} instead of root")
        return self.finish("go", deps, builder, [], runner)

    def binary_copy(self, binary: str) -> Instruction:
        """The built binary, at the same path, unless the start command finds it through the
        toolchain image's PATH (/go/bin, /usr/local/cargo/bin), which the runner does not have:
        then in /usr/local/bin."""
        exe = self.main_argv[0] if self.main_argv else ""
        if exe == "/bin/sh" and len(self.main_argv) > 2:
            exe = (self.main_argv[2].split() or [""])[0]
        runner_path = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"]
        for s in self.steps:
            if s.kind == "env":
                vals = s.inst.value
                for k, v in zip(vals[0::2], vals[1::2]):
                    if k == "PATH":
                        runner_path = [p for p in _unquote(v).split(":") if p and "$" not in p] + runner_path
        parent = posixpath.dirname(binary)
        if "/" not in exe and parent not in runner_path:
            self.notes.append(f"{posixpath.basename(binary)} goes to /usr/local/bin: {parent} is on the toolchain "
                              "image's PATH only")
            return self.copy_line("builder", binary, "/usr/local/bin/", None)
        return self.copy_line("builder", binary, self.dest_text(parent, True) if parent != self.final_workdir else "./", None)

    def _ctx_has_vendor(self) -> bool:
        return any(self.bc.exists(posixpath.join(e.src, "vendor") if e.src else "vendor") for e in self.image_map if e.is_dir)

    def _add_go_download(self, deps: list[Instruction]) -> list[Instruction]:
        mods = []
        for name in ("go.mod", "go.sum"):
            for e in self.image_map:
                if e.is_dir:
                    rel = posixpath.join(e.src, name) if e.src else name
                    if self.bc.is_file(rel) and self.bc.sent(rel):
                        mods.append((e.dest, rel))
                        break
        if not mods or any(s.kind == "copy-manifest" for s in self.deps_steps):
            return deps
        dests = {d for d, _ in mods}
        if len(dests) != 1:
            return deps
        dest = dests.pop()
        if dest != self.deps_end_workdir():
            return deps  # the module folder is not the deps stage's working directory
        copy = self.new(f"{self.kw('COPY')} {' '.join(r for _, r in mods)} ./")
        dl = self.new(f"{self.kw('RUN')} go mod download")
        self.notes.append("the deps stage downloads the modules (`go mod download`) from go.mod/go.sum")
        # after the last WORKDIR of the deps stage
        return deps + [copy, dl]

    def _go_outputs(self, s: Step, c: CmdInfo) -> list[str]:
        cmd = c.cmd
        sub = cmd.subcommand().value
        vf = ["-o", "-ldflags", "-tags", "-gcflags", "-asmflags", "-mod", "-p", "-buildmode", "-compiler", "-gccgoflags", "-installsuffix", "-pkgdir", "-toolexec", "-modfile", "-overlay", "-pgo", "-C"]
        out = cmd.option_value("-o", value_flags=vf)
        pkgs = [w.value for w in cmd.args_without_flags(value_flags=vf)[1:]]
        cwd = s.workdir
        # `cd X && go build` in the same RUN
        for prev in s.run.cmds:
            if prev is c:
                break
            if prev.name == "cd" and prev.cmd is not None and prev.cmd.args:
                cwd = _abspath(prev.cmd.args[0].value or ".", cwd)
        if any(p is None for p in pkgs):
            raise _Decline("`go build` with packages from variables: not understood")
        name = None
        if len(pkgs) <= 1:
            p = pkgs[0] if pkgs else "."
            if p in (".", "./"):
                mod = self._go_module_name(cwd)
                name = mod.rsplit("/", 1)[-1] if mod else posixpath.basename(cwd)
            elif p.endswith(".go"):
                name = posixpath.basename(p)[:-3]
            else:
                name = posixpath.basename(p.rstrip("/").rstrip("/..."))
        if sub == "install":
            gobin = self.env.get("GOBIN") or posixpath.join(self.env.get("GOPATH", "/go"), "bin")
            return [posixpath.join(gobin, name)] if name else []
        if out:
            o = _abspath(out, cwd)
            if out.endswith("/") or o in self.dirs:
                return [posixpath.join(o, name)] if name else []
            return [o]
        return [posixpath.join(cwd, name)] if name else []

    def _go_module_name(self, cwd: str) -> str | None:
        rel = self.ctx_path(posixpath.join(cwd, "go.mod"))
        text = self.bc.read_text(rel) if rel else None
        if not text:
            return None
        m = re.search(r"^module\s+(\S+)", text, re.M)
        return m.group(1) if m else None

    def _match_binary(self, outputs: list[str]) -> str:
        main = self.main_argv
        if not main:
            raise _Decline("no start command")
        exe = main[0]
        if exe == "/bin/sh" and len(main) >= 3:
            words = shlex.split(main[2]) if main[2] else []
            words = [w for w in words if "=" not in w.split("/")[0] or w.startswith(("/", "."))]
            exe = words[0] if words else ""
            if exe == "exec" and len(words) > 1:
                exe = words[1]
        if exe.startswith("/"):
            cand = [exe]
        elif "/" in exe:
            cand = [_abspath(exe, self.final_workdir)]
        else:
            path = ["/go/bin", "/usr/local/go/bin", "/usr/local/cargo/bin", "/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"]
            cand = [posixpath.join(p, exe) for p in path]
        for c in cand:
            if c in outputs:
                return c
        raise _Decline(f"cannot tell which built file the start command runs ({exe}; built: {', '.join(outputs) or 'nothing I can name'})")

    def _go_uses_cgo(self) -> bool:
        rx = re.compile(r'^\s*import\s+(?:"C"|\([^)]*^\s*"C"\s*$)', re.M | re.S)
        roots = {e.src for e in self.image_map if e.is_dir}
        files = [f for f in self.bc.files if f.endswith(".go") and any(r == "" or f.startswith(r + "/") for r in roots)]
        files += [e.src for e in self.image_map if not e.is_dir and e.src.endswith(".go")]
        for f in files[:5000]:
            text = self.bc.read_text(f) or ""
            if 'import "C"' in text or rx.search(text):
                return True
        for e in self.image_map:
            if not e.is_dir and posixpath.basename(e.src) == "go.mod" or e.is_dir:
                rel = posixpath.join(e.src, "go.mod") if e.is_dir else e.src
                text = self.bc.read_text(rel) if rel and self.bc.is_file(rel) else None
                if text and any(m in text for m in K.GO_CGO_MODULES):
                    return True
        return False

    def _go_uses_tls(self) -> bool:
        roots = {e.src for e in self.image_map if e.is_dir}
        for f in self.bc.files:
            if f.endswith(".go") and any(r == "" or f.startswith(r + "/") for r in roots):
                text = self.bc.read_text(f) or ""
                if re.search(r'"(?:net/http|crypto/tls|net/smtp)"', text):
                    return True
        return False

    def _exec_forms(self, argvs) -> list[tuple[Instruction, Instruction]] | None:
        """Shell-form CMD/ENTRYPOINT/HEALTHCHECK rewritten in exec form, when they are plain
        words (no variables, quotes, operators)."""
        out = []
        for s in self.steps:
            if s.inst.cmd not in ("CMD", "ENTRYPOINT", "HEALTHCHECK") or s.inst.is_json:
                continue
            if s.inst.cmd == "HEALTHCHECK":
                return None
            text = s.inst.value[0] if s.inst.value else ""
            if not re.fullmatch(r"[\w./:=@,+-]+(?:\s+[\w./:=@,+-]+)*", text.strip()):
                return None
            words = text.split()
            arr = "[" + ", ".join(json.dumps(w) for w in words) + "]"
            out.append((s.inst, self.new(f"{s.inst.keyword} {arr}")))
        return out

    def _runtime_files(self, binary: str, source_exts: list[str]) -> list[str]:
        """Context files and folders the program reads at run time: named in the start command's
        arguments, or as string literals in the source (outside compile-time embedding)."""
        w = self.final_workdir
        found: list[str] = []
        # start command arguments that are copied paths
        for a in self.main_argv[1:]:
            for word in ([a] if " " not in a else a.split()):
                if word.startswith("-") and "=" in word:
                    word = word.split("=", 1)[1]
                if not word or word.startswith("-"):
                    continue
                p = _abspath(word, w)
                rel = self.ctx_path(p)
                if rel and self.bc.exists(rel) and p != binary:
                    found.append(p)
        roots = [(e.src, e.dest) for e in self.image_map if e.is_dir]
        srcs = [f for f in self.bc.files if any(f.endswith(x) for x in source_exts) and any(r == "" or f.startswith(r + "/") for r, _ in roots)]
        literals: set[str] = set()
        embed_rx = re.compile(r"//go:embed\s+(.*)")
        for f in srcs[:3000]:
            text = self.bc.read_text(f) or ""
            text = embed_rx.sub("", text)
            text = re.sub(r"include_(?:str|bytes)!\s*\(\s*\"[^\"]*\"\s*\)", "", text)
            for m in re.finditer(r'"((?:\./)?[A-Za-z0-9_][\w.-]*(?:/[\w.*-]+)*/?)"', text):
                literals.add(m.group(1))
            for m in re.finditer(r"`((?:\./)?[A-Za-z0-9_][\w.-]*(?:/[\w.*-]+)*/?)`", text):
                literals.add(m.group(1))
        for lit in literals:
            clean = lit[2:] if lit.startswith("./") else lit
            first = clean.split("/", 1)[0]
            if not first or "*" in first:
                continue
            p = _abspath(first, w)
            rel = self.ctx_path(p)
            if rel is None or rel == "" or not self.bc.sent(rel):
                continue
            base = posixpath.basename(rel)
            if any(base.endswith(x) for x in source_exts) or base in ("go.mod", "go.sum", "Cargo.toml", "Cargo.lock", "src", "vendor", "target", "cmd", "internal", "pkg") \
                    or _matches_any(base, K.ALWAYS_BUILD_ONLY_NAMES):
                continue
            if self.bc.is_file(rel) or base in K.RUNTIME_DIR_HINTS or self._dir_has_non_source(rel, source_exts):
                found.append(p)
        return sorted(dict.fromkeys(found))

    def _dir_has_non_source(self, rel: str, exts: list[str]) -> bool:
        for f in self.bc.files:
            if f.startswith(rel + "/") and not any(f.endswith(x) for x in exts):
                return True
        return False

    # ---- Rust ---------------------------------------------------------------------------------------

    def _plan_rust(self) -> Plan:
        base = self.base
        argvs = self.checked_start(K.DEV_RUST_PATTERNS)
        builds = self.compile_steps("cargo")
        if not builds:
            raise _Decline("no `cargo build` or `cargo install --path` I can follow")
        outputs = []
        crates: set[str] = set()
        for s, c in builds:
            o, deps_ = self._cargo_outputs(s, c)
            outputs.extend(o)
            crates |= deps_
        binary = self._match_binary(outputs)
        derived, why = K.debian_runner(base)
        if why:
            self.notes.append(why)
        self.runner_image = self.resolve_runner(derived, "")
        kind = self.kind_of(self.runner_image)
        self.runner_default_workdir = "/"
        if kind == "alpine" and base.libc != "musl":
            raise _Decline("the runner would switch from glibc to musl")
        deps, builder, config = self.build_stages()
        if not any(s.run and any(c.kind == "deps" for c in s.run.cmds) for s in self.steps):
            deps = self._add_cargo_fetch(deps)
        scripts = self.scripts_run(argvs)
        names = self.command_names(argvs, scripts)
        tools = [n for n in names if posixpath.basename(binary) != n]
        extra = [lib for cr in crates for lib in K.RUST_NATIVE_RUNTIME.get(cr, ())]
        packages, left = self.runtime_packages(tools, extra, set())
        self.leaves.extend(left)
        user_insts, user, chown = self.runner_user(kind, None)
        runner = self.runner_start(config)
        pk = self.apt_install(packages, kind)
        if pk is not None:
            runner.append(pk)
        runner.extend(user_insts)
        wd = self.workdir_inst()
        if wd is not None:
            runner.append(wd)
        files = self._runtime_files(binary, [".rs"])
        runner.append(self.binary_copy(binary))
        runner.extend(self.copy_paths("builder", files, chown))
        runner.append(self.user_text(user))
        runner.extend(self.runner_config(config))
        self.keeps.insert(0, f"the binary {binary}")
        if files:
            self.keeps.append("files the code reads at run time: " + ", ".join(files))
        self.leaves.append("the Rust toolchain, the cargo registry, target/ intermediates and the source")
        self.gain = True
        if user != self.final_user:
            self.notes.append(f"runs as {self.user_label(user, chown)} instead of root")
        return self.finish("rust", deps, builder, [], runner)

    def _cargo_toml(self, cwd: str) -> str | None:
        rel = self.ctx_path(posixpath.join(cwd, "Cargo.toml"))
        return self.bc.read_text(rel) if rel else None

    def _cargo_outputs(self, s: Step, c: CmdInfo) -> tuple[list[str], set[str]]:
        cmd = c.cmd
        cwd = s.workdir
        for prev in s.run.cmds:
            if prev is c:
                break
            if prev.name == "cd" and prev.cmd is not None and prev.cmd.args:
                cwd = _abspath(prev.cmd.args[0].value or ".", cwd)
        text = self._cargo_toml(cwd)
        if text is None:
            raise _Decline(f"no Cargo.toml reaches {cwd}")
        if re.search(r"^\[workspace\]", text, re.M):
            raise _Decline("a cargo workspace: not understood yet")
        m = re.search(r'^\[package\][^\[]*?^name\s*=\s*"([^"]+)"', text, re.M | re.S)
        bins = re.findall(r'^\[\[bin\]\][^\[]*?^name\s*=\s*"([^"]+)"', text, re.M | re.S)
        names = bins or ([m.group(1)] if m else [])
        src_bin = self.ctx_path(posixpath.join(cwd, "src/bin"))
        if src_bin and self.bc.exists(src_bin):
            names += [n[:-3] for n in self._listdir(src_bin) if n.endswith(".rs")]
        deps_sec = re.findall(r"^\[(?:dependencies|target\.[^\]]*dependencies)\]\s*(.*?)(?=^\[|\Z)", text, re.M | re.S)
        crates = set()
        for sec in deps_sec:
            crates |= set(re.findall(r"^([A-Za-z0-9_-]+)\s*=", sec, re.M))
        vf = ["--bin", "--target", "--target-dir", "--profile", "--features", "-F", "-p", "--package", "--root", "--path", "-j", "--jobs", "--manifest-path"]
        one = cmd.option_value("--bin", value_flags=vf)
        if one:
            names = [one]
        sub = cmd.subcommand().value
        if sub == "install":
            root = cmd.option_value("--root", value_flags=vf) or self.env.get("CARGO_INSTALL_ROOT") or self.env.get("CARGO_HOME", "/usr/local/cargo")
            return [posixpath.join(_abspath(root, cwd), "bin", n) for n in names], crates
        profile = cmd.option_value("--profile", value_flags=vf)
        if profile is None:
            profile = "release" if cmd.has_flag("--release", "-r", value_flags=vf) else "debug"
        elif profile == "dev":
            profile = "debug"
        tdir = cmd.option_value("--target-dir", value_flags=vf) or self.env.get("CARGO_TARGET_DIR") or "target"
        triple = cmd.option_value("--target", value_flags=vf)
        base = _abspath(tdir, cwd)
        if triple:
            base = posixpath.join(base, triple)
        return [posixpath.join(base, profile, n) for n in names], crates

    def _add_cargo_fetch(self, deps: list[Instruction]) -> list[Instruction]:
        src = None
        for e in self.image_map:
            if e.is_dir:
                rel = posixpath.join(e.src, "Cargo.toml") if e.src else "Cargo.toml"
                if self.bc.is_file(rel) and self.bc.sent(rel):
                    src = (e.dest, e.src)
                    break
        if src is None or any(s.kind == "copy-manifest" for s in self.deps_steps):
            return deps
        dest, root = src
        if dest != self.deps_end_workdir():
            return deps
        text = self.bc.read_text(posixpath.join(root, "Cargo.toml") if root else "Cargo.toml") or ""
        if re.search(r"^\[(?:lib|\[bin\]|workspace)\]|^build\s*=|^path\s*=", text, re.M):
            return deps
        files = [n for n in ("Cargo.toml", "Cargo.lock") if self.bc.sent(posixpath.join(root, n) if root else n)]
        copy = self.new(f"{self.kw('COPY')} {' '.join(posixpath.join(root, f) if root else f for f in files)} ./")
        fetch = self.new(
            f"{self.kw('RUN')} mkdir -p src && echo 'fn main() {{}}' > src/main.rs \\\n"
            "    && cargo fetch \\\n    && rm -rf src"
        )
        self.notes.append("the deps stage fetches the crates (`cargo fetch`) from Cargo.toml/Cargo.lock")
        return deps + [copy, fetch]
