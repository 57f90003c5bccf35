"""The rust strategy: the dependencies compiled in deps (manifests, then a build of stub targets
whose own artefacts are removed again), else `cargo fetch`; the release binary `cargo build`
writes, the runtime libraries native crates need, and the rust plan (Debian slim or alpine
runner)."""
from __future__ import annotations

import posixpath
import re
import shlex

from refactor.codemods.multi_stage.model import CmdInfo, Plan, Step, _abspath, _Decline
from refactor.knowledge.ecosystems.rust import DEV_RUST_PATTERNS, RUST_NATIVE_RUNTIME, CargoLayout, cargo_layout
from refactor.knowledge.runner_images import debian_release, debian_runner, unsure_release
from refactor.knowledge.system_packages import runtime_library
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
        self.compiled = set(outputs)
        derived, why = debian_runner(base)
        if why:
            self.notes.append(why)
        self.runner_image = self.resolve_runner(derived, "")
        kind = self.kind_of(self.runner_image)
        self.runner_default_workdir = "/"
        if kind == "alpine" and base.libc != "musl":
            raise _Decline("the runner would switch from glibc to musl")
        deps, builder, config = self.build_stages()
        stub = self._add_cargo_stub_build(deps, builds)
        if stub is not None:
            deps = stub
        elif not any(s.run and any(c.kind == "deps" for c in s.run.cmds) for s in self.steps):
            deps = self._add_cargo_fetch(deps)
        scripts = self.scripts_run(argvs)
        tools = self.runtime_tools(argvs, scripts, {posixpath.basename(binary)})
        extra = [lib for cr in sorted(crates) for lib in RUST_NATIVE_RUNTIME.get(cr, ())]
        if self.runner_image == derived:
            unsure = unsure_release(base, self.linked_libraries(extra))
            if unsure:
                raise _Decline(unsure, self.from_inst)
        release = debian_release(self.runner_image)
        if kind == "debian" and release:
            named = [runtime_library(lib, release) for lib in extra]
            if None in named:
                lib = extra[named.index(None)]
                raise _Decline(f"the binary links {lib} (bookworm's name), and I do not know its package on {release}")
            extra = named
        packages, left = self.runtime_packages(tools, extra, set())
        self.leaves.extend(left)
        runner, user, chown = self.runner_head(config, packages, kind)
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
        cwd = self._cmd_cwd(s, c)
        text = self._cargo_toml(cwd)
        if text is None:
            raise _Decline(f"no Cargo.toml reaches {cwd}")
        vf = ["--bin", "--target", "--target-dir", "--profile", "--features", "-F", "-p", "--package", "--root", "--path", "-j", "--jobs", "--manifest-path"]
        if re.search(r"^\[workspace\]", text, re.M):
            layout = cargo_layout(_ImageFiles(self, cwd), "")
            if isinstance(layout, str):
                raise _Decline(f"a cargo workspace whose members I cannot read: {layout}")
            pick = cmd.option_value("-p", "--package", value_flags=vf)
            pkgs = [p for p in layout.packages if pick is None or p.name == pick]
            names = [b for p in pkgs for b in p.bins]
            crates = {d for p in pkgs for d in p.dependencies}
        else:
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


    _CARGO_VALUE_FLAGS = ["--bin", "--target", "--target-dir", "--profile", "--features", "-F", "-p", "--package",
                          "-j", "--jobs", "--manifest-path", "--example", "--test", "--bench", "--color", "--config", "-Z"]

    def _add_cargo_stub_build(self, deps: list[Instruction], builds) -> list[Instruction] | None:
        """The deps stage compiles the dependencies: the manifests (and what else the build
        reads without the sources: build.rs, .cargo/config.toml, path crates), a stub file for
        every target, the user's own `cargo build` command, then the stubs and the package's
        own artefacts removed, so the builder's build compiles the real code and reuses every
        dependency. None, with the reason in the explanation, when the layout is not proven."""
        why = self._cargo_stub_problem(builds)
        if isinstance(why, str):
            self.notes.append(f"the dependencies compile in the builder with the sources: {why}")
            return None
        layout, view, argv, out_dir, incremental = why
        present = set()
        for s in self.deps_steps:
            if s.kind in ("copy-manifest", "copy-source"):
                present.update(e.src for e in s.entries)
        want = ["Cargo.toml"] + (["Cargo.lock"] if view.is_file("Cargo.lock") else [])
        want += list(layout.copies)
        groups: dict[str, list[str]] = {}
        for rel in want:
            ctx_rel = view.source(rel)
            if ctx_rel in present:
                continue
            if self.bc.is_dir(ctx_rel):
                groups.setdefault(f"./{rel}/", []).append(ctx_rel)
            else:
                parent = posixpath.dirname(rel)
                groups.setdefault(f"./{parent}/" if parent else "./", []).append(ctx_rel)
        out = list(deps)
        for dest, srcs in groups.items():
            out.append(self.new(f"{self.kw('COPY')} {' '.join(srcs)} {dest}"))
        dirs = {posixpath.dirname(f) for f, _ in layout.stubs if posixpath.dirname(f)}
        dirs = sorted(d for d in dirs if not any(o.startswith(d + "/") for o in dirs))
        lines = [f"mkdir -p {' '.join(dirs)}"] if dirs else []
        for f, content in layout.stubs:
            lines.append(f"echo '{content.strip()}' > {f}" if content.strip() else f"touch {f}")
        lines.append(" ".join(argv))
        rm = "rm -rf " + " ".join(layout.stub_dirs)
        for glob in layout.artefacts(out_dir, incremental):
            last = rm.rsplit("\n", 1)[-1]
            rm += (" \\\n        " if len(last) + len(glob) > 96 else " ") + glob
        lines.append(rm)
        out.append(self.new(f"{self.kw('RUN')} " + " \\\n    && ".join(lines)))
        self.notes.append("the deps stage compiles the dependencies with stub targets (`" + " ".join(argv)
                          + "` on the manifests alone), then removes the stubs and the package's own artefacts "
                          "so that the builder compiles the real sources: a source edit reuses the compiled dependencies")
        return out

    # `cargo install --path` flags that select what `cargo build` compiles the same way
    _INSTALL_KEEP = {"--locked": 0, "--frozen": 0, "--offline": 0, "--all-features": 0, "--no-default-features": 0,
                     "--features": 1, "-F": 1, "--bin": 1, "--bins": 0, "--profile": 1, "--target-dir": 1, "-j": 1,
                     "--jobs": 1, "--target": 1}
    _INSTALL_DROP = {"--path": 1, "--root": 1, "--force": 0, "-f": 0, "--no-track": 0, "--debug": 0, "-q": 0,
                     "--quiet": 0, "-v": 0, "--verbose": 0}

    def _install_as_build(self, words: list[str], cwd: str) -> list[str] | str:
        """`cargo install --path .` as the `cargo build` that compiles the same units: with
        `--path`, cargo install builds in the package's own target/ folder, with the release
        profile unless `--debug`."""
        out = ["cargo", "build"]
        rest = words[2:]
        debug = profile = False
        k = 0
        while k < len(rest):
            w = rest[k]
            name, eq, inline = w.partition("=")
            if name in self._INSTALL_KEEP or name in self._INSTALL_DROP:
                takes = 0 if eq else (self._INSTALL_KEEP.get(name) or self._INSTALL_DROP.get(name) or 0)
                vals = rest[k + 1:k + 1 + takes]
                if name == "--path" and _abspath((vals or [inline])[0], cwd) != cwd:
                    return "`cargo install --path` names another folder than the working directory"
                if name in self._INSTALL_KEEP:
                    out += [w] + vals
                debug |= name == "--debug"
                profile |= name == "--profile"
                k += 1 + len(vals)
                continue
            return f"`cargo install {w}`: an option I do not map onto `cargo build`"
        if not debug and not profile:
            out.insert(2, "--release")
        return out

    def _cargo_stub_problem(self, builds) -> str | tuple[CargoLayout, "_ImageFiles", list[str], str, bool]:
        """Why the stub build cannot be proven, or (layout, the build folder's files, build
        argv, artefact folder, incremental)."""
        if len(builds) != 1:
            return "the image compiles with several cargo commands"
        s, c = builds[0]
        cmd = c.cmd
        install = cmd.subcommand().value == "install"
        for prev in s.run.cmds:
            if prev is c:
                break
            if prev.name == "cd":
                return "the build changes folder (`cd`) first"
        if s.workdir != self.deps_end_workdir():
            return "the build runs in another folder than the manifests'"
        if s.user not in ("", "root", "0", "0:0", "root:root"):
            # the new COPYs would give root the manifests the user's cargo may have to write
            return f"the build runs as {s.user}"
        pairs = [(a.name, a.value) for a in cmd.assignments]
        words = list(cmd.argv[len(cmd.wrappers):])
        if any(v is None or "$" in v for v in [v for _, v in pairs] + words):
            return "the build command uses variables"
        if install:
            words = self._install_as_build(words, s.workdir)
            if isinstance(words, str):
                return words
        argv = [f"{n}={shlex.quote(v)}" for n, v in pairs] + [shlex.quote(w) for w in words]
        vf = self._CARGO_VALUE_FLAGS
        for bad in ("--manifest-path", "-Z", "--config", "--example", "--test", "--bench", "--all-targets", "--examples",
                    "--tests", "--benches"):
            if cmd.has_flag(bad, value_flags=vf) or cmd.option_value(bad, value_flags=vf):
                return f"`cargo build {bad}`: a target selection I do not model"
        if self.env.get("CARGO_BUILD_TARGET") or self.env.get("CARGO_BUILD_TARGET_DIR"):
            return "CARGO_BUILD_TARGET/CARGO_BUILD_TARGET_DIR move the artefacts"
        if any(f.startswith("--mount") for f in s.inst.flags):
            return "the build RUN mounts a cache or files of its own"
        late = [w.split("=", 1)[0] for b in self.builder_steps if b.kind in ("env", "arg")
                for w in (b.inst.value[0::2] if b.kind == "env" else b.inst.value)]
        late = [n for n in late if n.startswith(("CARGO", "RUST"))]
        if late:
            return f"{late[0]} is set after the sources, so the deps stage would compile with other settings"
        view = _ImageFiles(self, s.workdir)
        if not view.is_file("Cargo.toml"):
            return "Cargo.toml is not copied into the build's working directory"
        layout = cargo_layout(view, "")
        if isinstance(layout, str):
            return layout
        profile = cmd.option_value("--profile", value_flags=vf)
        if profile is None and install:
            profile = "debug" if cmd.has_flag("--debug", value_flags=vf) else "release"
        elif profile is None:
            profile = "release" if cmd.has_flag("--release", "-r", value_flags=vf) else "debug"
        elif profile == "dev":
            profile = "debug"
        tdir = cmd.option_value("--target-dir", value_flags=vf) or self.env.get("CARGO_TARGET_DIR") or "target"
        triple = cmd.option_value("--target", value_flags=vf)
        if triple:
            return "`--target`: the artefacts of another platform are not modelled"
        if not re.fullmatch(r"[A-Za-z0-9_./-]+", tdir + profile):
            return "the target folder would need quoting"
        out_dir = posixpath.join(tdir, profile)
        return layout, view, argv, out_dir, profile == "debug"


class _ImageFiles:
    """The files of the build's working directory in the image, as the COPYs of the original
    put them there: what cargo_layout reads (paths relative to that directory), each read from
    the context file copied to it. A file the context has but the image does not is absent."""

    def __init__(self, planner, workdir: str) -> None:
        self.p = planner
        self.workdir = workdir

    def source(self, rel: str) -> str | None:
        return self.p.ctx_path(_abspath(rel, self.workdir))

    def _sent(self, rel: str) -> str | None:
        src = self.source(rel)
        return src if src is not None and self.p.bc.sent(src) else None

    def sent(self, rel: str) -> bool:
        return self._sent(rel) is not None

    def is_file(self, rel: str) -> bool:
        src = self._sent(rel)
        return src is not None and self.p.bc.is_file(src)

    def is_dir(self, rel: str) -> bool:
        src = self._sent(rel)
        return src is not None and self.p.bc.is_dir(src)

    def read_text(self, rel: str) -> str | None:
        src = self._sent(rel)
        return self.p.bc.read_text(src) if src is not None and self.p.bc.is_file(src) else None

    def listdir(self, rel: str) -> list[str]:
        return [n for n in (self.p.bc.listdir(self._sent(rel)) if self.is_dir(rel) else [])
                if self.sent(posixpath.join(rel, n))]
