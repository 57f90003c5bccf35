"""Rust: `cargo fetch`/`cargo build` and what they read (Cargo.toml, Cargo.lock, the toolchain
file); the runtime libraries common native crates need; development commands a start command
must not be; the rust base images; the target layout a dependency-only (stub) build
needs (cargo_layout)."""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from refactor.knowledge.ecosystems.steps import Options, StepReader


def _cargo(cmd, args, index, cwd, ctx, resolve, generated):
    o = Options(args, ("--manifest-path", "--target", "-Z"))
    if not o.positional or o.positional[0] != "fetch":
        return None
    s = StepReader("cargo", cmd, index, cwd, ctx, resolve)
    if not s.ok:
        return s.freeze()
    s.need("Cargo.toml")
    s.maybe("Cargo.lock")
    s.needs.append("cargo reads the package's target source files (src/main.rs, src/lib.rs) to load Cargo.toml")
    return s.freeze()


DEV_RUST_PATTERNS = (
    (re.compile(r"(?:^|[\s;&|(/])cargo\s+(?:run|watch)\b"), "cargo compiles at run time"),
)


# Rust crates that link a system library at run time.
RUST_NATIVE_RUNTIME: dict[str, tuple[str, ...]] = {
    "openssl": ("libssl3", "ca-certificates"),
    "openssl-sys": ("libssl3", "ca-certificates"),
    "native-tls": ("libssl3", "ca-certificates"),
    "reqwest": ("libssl3", "ca-certificates"),
    "postgres-openssl": ("libssl3",),
    "pq-sys": ("libpq5",),
    "diesel": ("libpq5",),
    "libsqlite3-sys": ("libsqlite3-0",),
    "rusqlite": ("libsqlite3-0",),
    "mysqlclient-sys": ("libmariadb3",),
}


# ---- the target layout a dependency-only build needs --------------------------------------------

# What a build script does when it reads more than its own file: the dependency build of the
# stub pattern would run it without the sources.
_BUILD_RS_READS = re.compile(
    r"\bfs::|\bFile::|\binclude_(?:str|bytes)!|\bread_dir\b|\bcc::|\bcxx_build\b|\bbindgen\b|\bprost_build\b"
    r"|\btonic_build\b|\bCommand::new\b|\bglob\b|\bwalkdir\b|CARGO_MANIFEST_DIR|rerun-if-changed=(?!build\.rs\b)"
)
_SAFE_PATH = re.compile(r"[A-Za-z0-9_./+-]+")
_TARGET_TABLES = ("bin", "example", "test", "bench")
_DEP_TABLES = ("dependencies", "dev-dependencies", "build-dependencies")


@dataclass(frozen=True)
class CargoLayout:
    """What `cargo build` of one package reads besides its sources, and the stub targets that
    let it compile the dependencies alone (the files are relative to the package folder)."""

    package: str  # [package] name (artefact folders: .fingerprint/<package>-<hash>)
    crates: tuple[str, ...]  # crate names of its targets (`-` -> `_`: deps/<crate>-<hash>)
    stubs: tuple[tuple[str, str], ...]  # (file, content) of every target the manifest declares
    copies: tuple[str, ...]  # what the dependency build reads: build.rs, .cargo config, path crates...
    lib: str | None = None  # the library's crate name (deps/lib<crate>-<hash>.rlib)
    build_script: str | None = None  # build.rs (its output: build/<package>-<hash>/)

    def artefacts(self, out_dir: str, incremental: bool = False) -> list[str]:
        """Shell globs of what a stub build leaves of the package in `out_dir`
        (target/release...): once removed, the real build compiles the package again. A
        fingerprint folder is `<package>-` and 16 hex digits, which a dependency named
        `<package>-something` never matches. `incremental`: the profile compiles incrementally
        (dev), which keeps a folder per crate."""
        h = "?" * 16
        out = [f"{out_dir}/deps/{c}-*" for c in self.crates]
        if self.lib:
            out.append(f"{out_dir}/deps/lib{self.lib}-*")
        out.append(f"{out_dir}/.fingerprint/{self.package}-{h}")
        if self.build_script:
            out.append(f"{out_dir}/build/{self.package}-{h}")
        if incremental:
            out += [f"{out_dir}/incremental/{c}-*" for c in self.crates]
        return out


def _crate(name: str) -> str:
    return name.replace("-", "_")


def _path_deps(doc: dict) -> list[tuple[str, str]]:
    """(name, path) of every dependency given by a path, in every table cargo resolves."""
    tables = [doc.get(t) for t in _DEP_TABLES]
    for spec in (doc.get("target") or {}).values():
        if isinstance(spec, dict):
            tables += [spec.get(t) for t in _DEP_TABLES]
    for src in (doc.get("patch") or {}).values():
        tables.append(src)
    tables.append(doc.get("replace"))
    out = []
    for t in tables:
        if isinstance(t, dict):
            for name, spec in t.items():
                if isinstance(spec, dict) and isinstance(spec.get("path"), str):
                    out.append((name, spec["path"]))
    return out


def cargo_layout(ctx, root: str) -> "CargoLayout | str":
    """The layout of the package whose Cargo.toml is at context folder `root` (`ctx`: a
    refactor.knowledge.context.BuildContext), or why a stub build cannot be proven to compile
    what the real build compiles: a workspace, a proc-macro crate, a build script that reads
    other files, a path dependency outside `root`, a path that would need quoting."""
    import tomllib

    def j(*parts: str) -> str:
        return posixpath.normpath(posixpath.join(root, *parts)) if root else posixpath.normpath(posixpath.join(*parts))

    text = ctx.read_text(j("Cargo.toml"))
    if text is None:
        return "no Cargo.toml"
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        return f"Cargo.toml does not parse ({e})"
    pkg = doc.get("package")
    if "workspace" in doc or not isinstance(pkg, dict) or "workspace" in pkg:
        return "a cargo workspace: its members' layout is not modelled"
    name = pkg.get("name")
    if not isinstance(name, str) or not _SAFE_PATH.fullmatch(name):
        return "no [package] name"
    stubs: dict[str, str] = {}
    crates: list[str] = []
    lib_crate = None
    lib = doc.get("lib")
    if isinstance(lib, dict) and (lib.get("proc-macro") or lib.get("proc_macro")):
        return "the package is a proc-macro crate"
    if isinstance(lib, dict) or (ctx.is_file(j("src/lib.rs")) and pkg.get("autolib", True) is not False):
        lib = lib if isinstance(lib, dict) else {}
        stubs[lib.get("path", "src/lib.rs")] = ""
        lib_crate = _crate(lib.get("name", name))
        crates.append(lib_crate)
    autobins = pkg.get("autobins", True) is not False
    bins: dict[str, str] = {}
    if autobins:
        if ctx.is_file(j("src/main.rs")):
            bins[name] = "src/main.rs"
        for f in ctx.listdir(j("src/bin")):
            if f.endswith(".rs") and ctx.is_file(j("src/bin", f)):
                bins[f[:-3]] = f"src/bin/{f}"
            elif ctx.is_file(j("src/bin", f, "main.rs")):
                bins[f] = f"src/bin/{f}/main.rs"
    for kind in _TARGET_TABLES:
        for t in doc.get(kind) or []:
            tname = t.get("name") if isinstance(t, dict) else None
            if not isinstance(tname, str):
                return f"a [[{kind}]] without a name"
            path = t.get("path")
            if path is None:
                folder = "src/bin" if kind == "bin" else kind + ("s" if kind != "bench" else "es")
                cands = (["src/main.rs"] if kind == "bin" and tname == name else []) + [f"{folder}/{tname}.rs", f"{folder}/{tname}/main.rs"]
                path = next((c for c in cands if ctx.is_file(j(c))), None)
                if path is None:
                    return f"cannot tell where the {kind} target {tname} is"
            if kind == "bin":
                bins[tname] = path
            else:
                stubs[path] = "fn main() {}\n"
    for b, path in bins.items():
        stubs[path] = "fn main() {}\n"
        crates.append(_crate(b))
    if not stubs:
        return "no target cargo would build"
    copies: list[str] = []
    build = pkg.get("build", "build.rs" if ctx.is_file(j("build.rs")) else False)
    if isinstance(build, str):
        src = ctx.read_text(j(build))
        if src is None:
            return f"the build script {build} is not in the build context"
        if _BUILD_RS_READS.search(src):
            return f"the build script {build} reads other files or runs programs"
        copies.append(build)
    else:
        build = None
    for cfg in (".cargo/config.toml", ".cargo/config"):
        ctext = ctx.read_text(j(cfg))
        if ctext is None or not ctx.sent(j(cfg)):
            continue
        try:
            cdoc = tomllib.loads(ctext)
        except tomllib.TOMLDecodeError:
            return f"{cfg} does not parse"
        bsec = cdoc.get("build") or {}
        if "target" in bsec or "target-dir" in bsec:
            return f"{cfg} moves the build's artefacts (build.target/target-dir)"
        copies.append(cfg)
    for tc in ("rust-toolchain", "rust-toolchain.toml"):
        if ctx.is_file(j(tc)) and ctx.sent(j(tc)):
            copies.append(tc)
    # path crates, followed through their own manifests
    seen: set[str] = set()
    todo = [("", doc)]
    while todo:
        here, d = todo.pop()
        for dep, p in _path_deps(d):
            rel = posixpath.normpath(posixpath.join(here, p))
            if rel == ".." or rel.startswith("../") or rel.startswith("/"):
                return f"the path dependency {dep} ({p}) is outside the folder the Dockerfile copies"
            if rel in seen or rel == ".":
                continue
            if not ctx.is_file(j(rel, "Cargo.toml")) or not ctx.sent(j(rel, "Cargo.toml")):
                return f"the path dependency {dep} ({rel}) is not in the build context"
            seen.add(rel)
            try:
                sub = tomllib.loads(ctx.read_text(j(rel, "Cargo.toml")) or "")
            except tomllib.TOMLDecodeError:
                return f"{rel}/Cargo.toml does not parse"
            todo.append((rel, sub))
    for rel in sorted(seen):
        if any(rel == posixpath.dirname(s) or rel.startswith(posixpath.dirname(s) + "/") or s.startswith(rel + "/")
               for s in stubs):
            return f"the path dependency {rel} shares a folder with the package's targets"
        copies.append(rel)
    for p in list(stubs) + copies:
        if not _SAFE_PATH.fullmatch(p) or p.startswith(("../", "/")):
            return f"the path {p} would need quoting or leaves the package"
    return CargoLayout(name, tuple(dict.fromkeys(crates)), tuple(sorted(stubs.items())), tuple(copies), lib_crate, build)


NAME = "rust"
IMAGES = ("rust",)
MANIFESTS = ("Cargo.toml", "Cargo.lock", "rust-toolchain", "rust-toolchain.toml")
CONTEXT_MARKERS = ("Cargo.toml",)
LANGUAGE_TOOLS: frozenset[str] = frozenset()
INSTALLERS = {"cargo": _cargo}
GENERATED = {"cargo": ("target",)}
