"""The go strategy: `go mod download` in deps, the binary `go build` writes, cgo or static
(distroless), TLS roots, the files the binary reads at run time, and the go plan."""
from __future__ import annotations

import json
import posixpath
import re
import shlex

from refactor.codemods.multi_stage.model import (
    CmdInfo,
    Plan,
    Step,
    _abspath,
    _Decline,
    _matches_any,
    _unquote,
)
from refactor.knowledge.ecosystems.go import DEV_GO_PATTERNS, GO_CGO_MODULES, local_replacements
from refactor.knowledge.project_files import ALWAYS_BUILD_ONLY_NAMES, RUNTIME_DIR_HINTS
from refactor.knowledge.runner_images import debian_runner, distroless_static, unsure_release
from refactor.knowledge.system_packages import SLIM_HAS
from refactor.syntax.nodes import Instruction


class GoStrategy:
    """Methods of the planner (refactor.codemods.multi_stage.planner)."""

    # ---- Go -----------------------------------------------------------------------------------------

    def _plan_go(self) -> Plan:
        base = self.base
        argvs = self.checked_start(DEV_GO_PATTERNS)
        builds = self.compile_steps("go")
        if not builds:
            raise _Decline("no `go build` or `go install` I can follow")
        outputs = []
        for s, c in builds:
            outputs.extend(self._go_outputs(s, c))
        binary = self._match_binary(outputs)
        self.compiled = set(outputs)
        cgo = self._go_uses_cgo()
        env_cgo = self.env.get("CGO_ENABLED")
        inline_cgo = {a.value for s, c in builds for a in c.cmd.assignments if a.name == "CGO_ENABLED"}
        static = (env_cgo == "0" or inline_cgo == {"0"}) or (not cgo and env_cgo != "1" and "1" not in inline_cgo)
        shell_needed = self.main_argv[:2] == ["/bin/sh", "-c"] or any(a[:2] == ["/bin/sh", "-c"] for a in argvs[1:])
        scripts = self.scripts_run(argvs)
        tools = self.runtime_tools(argvs, scripts, {posixpath.basename(binary)})
        tools = [n for n in tools if n not in SLIM_HAS]
        cmd_rewrite: list[tuple[Instruction, Instruction]] = []
        named = self.final_user.split(":", 1)[0]
        if static and named not in ("", "root", "0") and not named.isdigit():
            # distroless has no account commands: the user the original creates needs the
            # builder's own family (busybox adduser on alpine, useradd on Debian)
            derived, why = debian_runner(base)
            if why:
                self.notes.append(why)
            self.notes.append(f"the runner is {derived}, not distroless, so that the user {named} is created as the "
                              "original does")
        elif static:
            derived = distroless_static(base)
            if shell_needed or scripts or tools:
                conv = self._exec_forms(argvs)
                if conv is not None and not scripts and not tools:
                    cmd_rewrite = conv
                else:
                    derived, why = debian_runner(base)
                    if why:
                        self.notes.append(why)
        else:
            derived, why = debian_runner(base)
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
        if any(s.run and any(c.kind == "deps" for c in s.run.cmds) for s in self.steps):
            pass
        elif self._ctx_has_vendor():
            self.notes.append("the modules come from vendor/ with the sources: no `go mod download` layer")
        else:
            deps = self._add_go_download(deps)
        if not static and self.runner_image == derived:
            unsure = unsure_release(base, self.linked_libraries([]))
            if unsure:
                raise _Decline(unsure, self.from_inst)
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
        self.check_runtime_writes([".go"])
        files = self._runtime_files(binary, [".go"])
        runner.append(self.binary_copy(binary))
        runner.extend(self.copy_paths("builder", files, chown))
        runner.extend(self.outside_copies(runner, chown, app_copied=False))
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
        root = posixpath.dirname(mods[0][1])
        extra = self._go_download_reads(root, dest)
        if isinstance(extra, str):
            self.notes.append(f"no `go mod download` layer: {extra}")
            return deps
        copies = [self.new(f"{self.kw('COPY')} {' '.join(r for _, r in mods)} ./")]
        for rel in extra:
            sub = rel[len(root) + 1:] if root else rel
            copies.append(self.new(f"{self.kw('COPY')} {rel}/go.mod ./{sub}/"))
        dl = self.new(f"{self.kw('RUN')} go mod download")
        self.notes.append("the deps stage downloads the modules (`go mod download`) from go.mod/go.sum"
                          + (" and the go.mod of the local replacements" if extra else ""))
        # after the last WORKDIR of the deps stage
        return deps + copies + [dl]

    def _go_download_reads(self, root: str, dest: str) -> list[str] | str:
        """The folders of the local `replace` targets whose go.mod `go mod download` reads
        (context paths), or why the download cannot run on the manifests alone: a Go
        workspace (go.work reads every member's go.mod), a replacement outside what the
        Dockerfile copies."""
        gowork = self.env.get("GOWORK")
        if gowork and gowork != "off":
            return f"GOWORK={gowork}: a Go workspace"
        d = root
        while True:
            if self.bc.exists(posixpath.join(d, "go.work") if d else "go.work"):
                return f"{posixpath.join(d, 'go.work') if d else 'go.work'}: a Go workspace reads every member's go.mod"
            if not d:
                break
            d = posixpath.dirname(d)
        out = []
        text = self.bc.read_text(posixpath.join(root, "go.mod") if root else "go.mod") or ""
        for target in local_replacements(text):
            rel = posixpath.normpath(posixpath.join(root, target)) if not target.startswith("/") else None
            image = _abspath(target, dest)
            if rel is None or self.ctx_path(image) != rel or not self.bc.sent(posixpath.join(rel, "go.mod")):
                return f"the replacement {target} in go.mod is not copied where go.mod points"
            if not re.fullmatch(r"[\w./-]+", rel):
                return f"the replacement {target} would need quoting"
            out.append(rel)
        return out


    def _go_outputs(self, s: Step, c: CmdInfo) -> list[str]:
        cmd = c.cmd
        sub = cmd.subcommand().value
        vf = ["-o", "-ldflags", "-tags", "-gcflags", "-asmflags", "-mod", "-p", "-buildmode", "-compiler", "-gccgoflags", "-installsuffix", "-pkgdir", "-toolexec", "-modfile", "-overlay", "-pgo", "-C"]
        out = cmd.option_value("-o", value_flags=vf)
        pkgs = [w.value for w in cmd.args_without_flags(value_flags=vf)[1:]]
        cwd = self._cmd_cwd(s, c)  # `cd X && go build` in the same RUN
        if any(p is None for p in pkgs):
            raise _Decline("`go build` with packages from variables: not understood")
        for p in pkgs:
            # a local package or file the build names must be in the context: else the input is broken
            if p.startswith(("./", "../")) and "..." not in p:
                rel = self.ctx_path(_abspath(p, cwd))
                if rel is None or not self.bc.exists(rel):
                    raise _Decline(f"`go {sub}` builds {p}, which is not in the build context: the input itself "
                                   "would not build", s.inst)
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
        if not self.main_argv:
            raise _Decline("no start command")
        first = None
        for main in (self.main_argv, self.handover_argv):
            if not main:
                continue
            try:
                return self._match_one(main, outputs)
            except _Decline as e:
                first = first or e
        raise first

    def _match_one(self, main: list[str], outputs: list[str]) -> str:
        exe = main[0]
        if exe == "/bin/sh" and len(main) >= 3:
            try:
                words = shlex.split(main[2]) if main[2] else []
            except ValueError as e:  # an unclosed quote: the start command is not understood
                raise _Decline(f"the start command `{main[2][:60]}` is not understood ({e})") from None
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
                if text and any(m in text for m in GO_CGO_MODULES):
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
        literals |= self._dotenv_paths(srcs)
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
                    or _matches_any(base, ALWAYS_BUILD_ONLY_NAMES):
                continue
            if self.bc.is_file(rel) or base in RUNTIME_DIR_HINTS or self._dir_has_non_source(rel, source_exts):
                found.append(p)
        return sorted(dict.fromkeys(found))


    def _dotenv_paths(self, srcs: list[str]) -> set[str]:
        """Paths the program reads through its configuration: `.env` when the code loads one
        (godotenv, dotenvy, dotenv), and the relative paths the `.env` file and the ENV
        instructions give as values (`INDEX_FILE=./public/index.html`)."""
        out: set[str] = set()
        loads = any(re.search(r"godotenv|dotenvy|\bdotenv\b|\"\.env\"", self.bc.read_text(f) or "") for f in srcs[:3000])
        values = list(self.env.values())
        rel = self.ctx_path(posixpath.join(self.final_workdir, ".env"))
        if loads and rel is not None and self.bc.is_file(rel) and self.bc.sent(rel):
            out.add(".env")
            for line in (self.bc.read_text(rel) or "").splitlines():
                k, eq, v = line.partition("=")
                if eq and not k.strip().startswith("#"):
                    values.append(v.strip().strip("\"'"))
        for v in values:
            if re.fullmatch(r"(?:\./)?[A-Za-z0-9_][\w.-]*(?:/[\w.-]+)*/?", v or "") and "/" in v:
                out.add(v)
                first = (v[2:] if v.startswith("./") else v).split("/", 1)[0]
                if self.ctx_path(posixpath.join(self.final_workdir, first)) is None:
                    # a folder the program creates at run time, in a runner folder root owns
                    raise _Decline(f"the program's configuration names {v}, which it creates at run time in "
                                   f"{self.final_workdir}: the runner's non-root user could not write there")
        return out

    def _dir_has_non_source(self, rel: str, exts: list[str]) -> bool:
        for f in self.bc.files:
            if f.startswith(rel + "/") and not any(f.endswith(x) for x in exts):
                return True
        return False
