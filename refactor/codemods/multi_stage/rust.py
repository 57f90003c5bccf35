"""The rust strategy: `cargo fetch` in deps, the release binary `cargo build` writes, the
runtime libraries native crates need, and the rust plan (Debian slim or alpine runner)."""
from __future__ import annotations

import posixpath
import re

from refactor.codemods.multi_stage.model import CmdInfo, Plan, Step, _abspath, _Decline
from refactor.knowledge.ecosystems.rust import DEV_RUST_PATTERNS, RUST_NATIVE_RUNTIME
from refactor.knowledge.runner_images import debian_runner
from refactor.syntax.nodes import Instruction


class RustStrategy:
    """Methods of the planner (refactor.codemods.multi_stage.planner)."""

    # ---- Rust ---------------------------------------------------------------------------------------

    def _plan_rust(self) -> Plan:
        base = self.base
        argvs = self.checked_start(DEV_RUST_PATTERNS)
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
        derived, why = debian_runner(base)
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
        tools = self.runtime_tools(argvs, scripts, {posixpath.basename(binary)})
        extra = [lib for cr in crates for lib in RUST_NATIVE_RUNTIME.get(cr, ())]
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
        self.check_runtime_writes([".rs"])
        files = self._runtime_files(binary, [".rs"])
        runner.append(self.binary_copy(binary))
        runner.extend(self.copy_paths("builder", files, chown))
        runner.extend(self.outside_copies(runner, chown, app_copied=False))
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
