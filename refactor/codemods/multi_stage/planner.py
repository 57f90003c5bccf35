"""The multi-stage planner: walks the single stage, classifies every instruction and RUN command
(install, build, runtime), checks the build context, segments the steps into deps / builder /
runtime, and hands the plan to the ecosystem's strategy.

The strategies are mixins (python.py, node.py, go.py, rust.py, java.py, ruby.py, php.py,
static_site.py) that load by name when the walk meets their tools or the plan needs them: a
planner's class is the core plus the strategies it has used so far (`_use`), so a python app's
run imports the python strategy and its knowledge module, not the other six (start-up, issue 13)."""
from __future__ import annotations

import fnmatch
import posixpath
import re
import shlex
from collections import ChainMap
from importlib import import_module

from refactor.codemods.base import Context
from refactor.codemods.multi_stage.emitter import Emitter
from refactor.codemods.multi_stage.gate import Candidate, candidate
from refactor.codemods.multi_stage.model import (
    CONFIG_CMDS,
    CmdInfo,
    CopyEntry,
    Plan,
    RunInfo,
    Step,
    _abspath,
    _Decline,
    _rel,
    _under,
    _unquote,
)
from refactor.codemods.multi_stage.runtime import RuntimeNeeds
from refactor.knowledge.ecosystems import ecosystem_module, family_ecosystem
from refactor.knowledge.project_files import SYSTEM_DIRS
from refactor.knowledge.context import MAX_PATH, within_path_max
from refactor.knowledge.step_env import StepEnv
from refactor.knowledge.stage_images import expand_from
from refactor.shell.parse import Opaque, SimpleCommand, parse_shell
from refactor.syntax.buildkit import expand_variables
from refactor.syntax.nodes import Comment, Continuation, Dockerfile, Instruction


# The strategies by name, in the order their methods resolve after the core's (the order of the
# planner's bases when it listed them all), each with the strategies whose methods it calls.
_STRATEGIES = {
    "python": ("PythonStrategy", ()),
    "node": ("NodeStrategy", ()),
    "go": ("GoStrategy", ()),
    "rust": ("RustStrategy", ("go",)),  # binary_copy, _match_binary, _runtime_files
    "java": ("JavaStrategy", ("go",)),  # _runtime_files
    "ruby": ("RubyStrategy", ()),
    "php": ("PhpStrategy", ()),
    "static_site": ("StaticSiteStrategy", ("node",)),  # _package_json, _node_expand, _config_value
}
_COMPOSED: dict[frozenset[str], type] = {}


class _Planner(Emitter, RuntimeNeeds):
    """Reads the single stage, decides the plan (one strategy per ecosystem) and emits it."""

    strategies: frozenset[str] = frozenset()  # the strategy mixins this class has

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

    def plan(self, found: Candidate | None = None) -> Plan:
        """The split of the file; `found` is what gate.candidate already read of it."""
        stage, self.from_inst, self.base_text, self.global_args, base = found or candidate(self.df)
        self.base = base
        self.eco = family_ecosystem(base.family)
        self._use(self.eco)
        if self.bc is None:
            raise _Decline("the build context is unknown: I read the manifests before splitting a build")
        self.instructions = list(stage.instructions[1:])
        self._walk()
        self._check_context()
        self.check_stage_references()
        if self.eco == "node" and self._use("static_site").serves_with_nginx():
            return self._plan_static_site()
        if self.eco == "node":
            return self._plan_node()
        if self.eco == "python":
            return self._plan_python()
        if self.eco == "go":
            return self._plan_go()
        if self.eco == "ruby":
            return self._plan_ruby()
        if self.eco == "java":
            return self._plan_java()
        if self.eco == "php":
            return self._plan_php()
        return self._plan_rust()


    def _use(self, name: str) -> _Planner:
        """This planner with the strategy `name` (and those it calls) among its bases, their
        modules imported on first use; the methods resolve as they did when the planner's class
        listed every strategy."""
        if name not in self.strategies:
            want = set(self.strategies)
            todo = [name]
            while todo:
                n = todo.pop()
                if n not in want:
                    want.add(n)
                    todo.extend(_STRATEGIES[n][1])
            key = frozenset(want)
            cls = _COMPOSED.get(key)
            if cls is None:
                bases = tuple(getattr(import_module(f"{__package__}.{n}"), _STRATEGIES[n][0]) for n in _STRATEGIES if n in key)
                cls = _COMPOSED[key] = type("_Planner", (_Planner, *bases), {"strategies": key, "__module__": __name__})
            self.__class__ = cls
        return self


    # ---- walking the single stage ---------------------------------------------------------------

    def _base_workdir(self) -> str:
        if self.base.family == "php":
            return "/var/www/html"  # the php images' WORKDIR
        return "/go" if self.base.family == "golang" else "/"


    def _walk(self) -> None:
        first: dict[str, str] = dict(self.global_args)
        # variables the base images set that Dockerfiles use in paths
        first.setdefault("HOME", "/root")
        if self.base.family == "golang":
            first.setdefault("GOPATH", "/go")
        if self.base.family == "rust":
            first.setdefault("CARGO_HOME", "/usr/local/cargo")
        if self.base.family == "php":
            first.setdefault("PHP_INI_DIR", "/usr/local/etc/php")
        # each step's variables: a copy per step was quadratic in a file of thousands of ENVs
        env = StepEnv(first)
        workdir = self._base_workdir()
        user = "root"
        self.dirs: set[str] = {workdir, "/"}
        self.steps: list[Step] = []
        self.env_names: list[str] = []
        self.arg_names: list[str] = []
        self.image_map: list[CopyEntry] = []
        for idx, inst in enumerate(self.instructions):
            cmd = inst.cmd
            step = Step(inst, idx, "", workdir, user, env=env)
            if cmd == "ARG":
                step.kind = "arg"
                values: dict[str, str] = {}
                seen = ChainMap(values, env)  # each word sees the ones before it
                for word in inst.value:
                    k, eq, v = word.partition("=")
                    values[k] = _unquote(v) if eq else seen.get(k, "")
                    self.arg_names.append(k)
                env = env.with_values(values)
            elif cmd == "ENV":
                step.kind = "env"
                vals = inst.value
                values = {}
                seen = ChainMap(values, env)
                for k, v in zip(vals[0::2], vals[1::2]):
                    ev = expand_variables(_unquote(v), seen)
                    values[k] = ev if ev is not None else ""
                    self.env_names.append(k)
                env = env.with_values(values)
            elif cmd == "WORKDIR":
                step.kind = "workdir"
                if not inst.value:  # BuildKit stops the build at it: no image to split
                    raise _Decline("WORKDIR without a folder", inst)
                w = expand_variables(_unquote(inst.value[0]), env)
                if w is None:
                    raise _Decline("WORKDIR uses a variable I cannot resolve", inst)
                workdir = _abspath(w, workdir)
                if within_path_max(workdir) is None:
                    raise _Decline(f"WORKDIR path longer than {MAX_PATH:,} bytes, more than a working directory can be", inst)
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
        if entries and all((not e.is_dir and self._is_manifest(e.src)) or (e.is_dir and self.eco == "java" and self._is_manifest_dir(e.src))
                           for e in entries):
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
        pats = ecosystem_module(self.eco).MANIFESTS
        return any(fnmatch.fnmatchcase(name, p) or fnmatch.fnmatchcase(posixpath.basename(name), p) for p in pats)


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


    def _app_roots(self) -> list[str]:
        """Where the original put files: the app folder as a whole when it is a folder of its
        own, else each copied path."""
        w = self.final_workdir
        roots: list[str] = []
        dedicated = w not in SYSTEM_DIRS
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
        markers = ecosystem_module(self.eco).CONTEXT_MARKERS
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
            return RunInfo("build", [CmdInfo("other", "<heredoc>", raw=body)], opaque=True)
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
                infos.append(CmdInfo("other", "<" + unit.reason + ">", raw=unit.raw))
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
        if self.eco == "php":
            php = self._classify_php(c, argv0, cwd)
            if php is not None:
                return php
        if argv0 in ("npm", "yarn", "pnpm", "corepack", "npx"):
            return self._use("node")._classify_node(c, argv0, subv, args, flags, cwd, env, inst)
        py = self._python_tool(c)
        if py is not None:
            return self._use("python")._classify_python(c, py, cwd, env, inst)
        if argv0 in ("poetry", "uv", "pipenv", "pdm"):
            return self._use("python")._classify_python(c, [argv0] + [w.value for w in c.args], cwd, env, inst)
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
        if argv0 in ("mvn", "mvnw", "gradle", "gradlew"):
            return self._use("java")._classify_java(c, argv0, cwd)
        if self.eco == "ruby" and argv0 in ("bundle", "bundler", "gem", "rake", "rails"):
            return self._classify_ruby(c, argv0, cwd, inst)
        if argv0 in ("curl", "wget"):
            return CmdInfo("other", argv0, writes=tuple(filter(None, [c.option_value("-o", "--output", "-O", "--output-document")])), cmd=c)
        return CmdInfo("other", argv0, cmd=c)


    def _python_tool(self, c: SimpleCommand) -> list[str] | None:
        """`pip install ...` / `python -m pip install ...` as ["pip", "install", ...]."""
        name = (c.name or "").rsplit("/", 1)[-1]
        words = [w.value for w in c.words[len(c.wrappers):]]
        if re.fullmatch(r"pip(3(\.\d+)?)?", name):
            return ["pip"] + [w for w in words[1:]]
        if re.fullmatch(r"python(3(\.\d+)?)?", name) and len(words) >= 3 and words[1] == "-m" and words[2] in ("pip", "pip3", "poetry", "uv", "pipenv", "pdm", "venv"):
            return [words[2].rstrip("3")] + words[3:]
        return None


    def _cmd_cwd(self, s: Step, c: CmdInfo) -> str:
        """The folder command `c` of RUN step `s` runs in (after the `cd`s before it)."""
        cwd = s.workdir
        for prev in s.run.cmds:
            if prev is c:
                break
            if prev.name == "cd" and prev.cmd is not None and prev.cmd.args:
                cwd = _abspath(prev.cmd.args[0].value or ".", cwd)
        return cwd


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
