"""Rust: `cargo fetch`/`cargo build` and what they read (Cargo.toml, Cargo.lock, the toolchain
file); the runtime libraries common native crates need; development commands a start command
must not be; the rust base images; the target layout a dependency-only (stub) build
needs (cargo_layout)."""
from __future__ import annotations

import posixpath
from dataclasses import dataclass

from refactor.knowledge.ecosystems.steps import Options, StepReader
from refactor.syntax.lazy_re import lazy


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
    (lazy(r"(?:^|[\s;&|(/])cargo\s+(?:run|watch)\b"), "cargo compiles at run time"),
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
_BUILD_RS_READS = lazy(
    r"\bfs::|\bFile::|\binclude_(?:str|bytes)!|\bread_dir\b|\bcc::|\bcxx_build\b|\bbindgen\b|\bprost_build\b"
    r"|\btonic_build\b|\bCommand::new\b|\bglob\b|\bwalkdir\b|CARGO_MANIFEST_DIR|rerun-if-changed=(?!build\.rs\b)"
)
_SAFE_PATH = lazy(r"[A-Za-z0-9_./+-]+")
_TARGET_TABLES = ("bin", "example", "test", "bench")
_DEP_TABLES = ("dependencies", "dev-dependencies", "build-dependencies")


@dataclass(frozen=True)
class CargoPackage:
    """One package of the build: the names its artefacts carry."""

    name: str  # [package] name (artefact folders: .fingerprint/<name>-<hash>)
    crates: tuple[str, ...]  # crate names of its targets (`-` -> `_`: deps/<crate>-<hash>)
    lib: str | None  # the library's crate name (deps/lib<crate>-<hash>.rlib)
    build_script: str | None  # build.rs (its output: build/<name>-<hash>/)
    bins: tuple[str, ...]  # the binaries it builds (target/<profile>/<bin>)
    dependencies: tuple[str, ...]  # the names of its dependencies

    def artefacts(self, out_dir: str, incremental: bool = False) -> list[str]:
        """Shell globs of what a stub build leaves of the package in `out_dir`
        (target/release...): once removed, the real build compiles the package again. A
        fingerprint folder is `<name>-` and 16 hex digits, which a dependency named
        `<name>-something` never matches. `incremental`: the profile compiles incrementally
        (dev), which keeps a folder per crate."""
        h = "?" * 16
        out = [f"{out_dir}/deps/{c}-*" for c in self.crates]
        if self.lib:
            out.append(f"{out_dir}/deps/lib{self.lib}-*")
        out.append(f"{out_dir}/.fingerprint/{self.name}-{h}")
        if self.build_script:
            out.append(f"{out_dir}/build/{self.name}-{h}")
        if incremental:
            out += [f"{out_dir}/incremental/{c}-*" for c in self.crates]
        return out


@dataclass(frozen=True)
class CargoLayout:
    """What `cargo build` of a package or workspace reads besides its sources, and the stub
    targets that let it compile the dependencies alone (paths relative to the folder of the
    top Cargo.toml)."""

    packages: tuple[CargoPackage, ...]  # the package, or the workspace's members
    stubs: tuple[tuple[str, str], ...]  # (file, content) of every target the manifests declare
    copies: tuple[str, ...]  # what the dependency build reads: member manifests, build.rs, path crates...
    stub_dirs: tuple[str, ...]  # what removes the stubs again (`src`, `crates/a/src`)

    def artefacts(self, out_dir: str, incremental: bool = False) -> list[str]:
        return [g for p in self.packages for g in p.artefacts(out_dir, incremental)]


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


def _dep_names(doc: dict) -> tuple[str, ...]:
    tables = [doc.get("dependencies")] + [s.get("dependencies") for s in (doc.get("target") or {}).values() if isinstance(s, dict)]
    return tuple(n for t in tables if isinstance(t, dict) for n in t)


def _package(ctx, j, member: str, doc: dict):
    """(package, {stub: content}, copies) of the member package at folder `member` (paths
    relative to the top folder), or why not."""
    def m(*parts: str) -> str:
        return posixpath.normpath(posixpath.join(member, *parts)) if member else posixpath.normpath(posixpath.join(*parts))

    pkg = doc.get("package")
    if not isinstance(pkg, dict) or "workspace" in doc and member:
        return f"{m('Cargo.toml')}: a nested workspace or no [package]"
    name = pkg.get("name")
    if not isinstance(name, str) or not _SAFE_PATH.fullmatch(name):
        return f"{m('Cargo.toml')}: no [package] name"
    stubs: dict[str, str] = {}
    crates: list[str] = []
    lib_crate = None
    lib = doc.get("lib")
    if isinstance(lib, dict) and (lib.get("proc-macro") or lib.get("proc_macro")):
        return f"{name} is a proc-macro crate"
    if isinstance(lib, dict) or (ctx.is_file(j(m("src/lib.rs"))) and pkg.get("autolib", True) is not False):
        lib = lib if isinstance(lib, dict) else {}
        stubs[m(lib.get("path", "src/lib.rs"))] = ""
        lib_crate = _crate(lib.get("name", name))
        crates.append(lib_crate)
    bins: dict[str, str] = {}
    if pkg.get("autobins", True) is not False:
        if ctx.is_file(j(m("src/main.rs"))):
            bins[name] = "src/main.rs"
        for f in ctx.listdir(j(m("src/bin"))):
            if f.endswith(".rs") and ctx.is_file(j(m("src/bin", f))):
                bins[f[:-3]] = f"src/bin/{f}"
            elif ctx.is_file(j(m("src/bin", f, "main.rs"))):
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
                path = next((c for c in cands if ctx.is_file(j(m(c)))), None)
                if path is None:
                    return f"cannot tell where the {kind} target {tname} is"
            if kind == "bin":
                bins[tname] = path
            else:
                stubs[m(path)] = "fn main() {}\n"
    for b, path in bins.items():
        stubs[m(path)] = "fn main() {}\n"
        crates.append(_crate(b))
    if not stubs:
        return f"{name}: no target cargo would build"
    copies = [m("Cargo.toml")] if member else []
    build = pkg.get("build", "build.rs" if ctx.is_file(j(m("build.rs"))) else False)
    if isinstance(build, str):
        src = ctx.read_text(j(m(build)))
        if src is None:
            return f"the build script {m(build)} is not in the build context"
        if _BUILD_RS_READS.search(src):
            return f"the build script {m(build)} reads other files or runs programs"
        copies.append(m(build))
    else:
        build = None
    return CargoPackage(name, tuple(dict.fromkeys(crates)), lib_crate, build, tuple(bins), _dep_names(doc)), stubs, copies


def _members(ctx, j, ws: dict) -> list[str] | str:
    """The member folders a [workspace] lists (`crates/*` globs in the last component)."""
    import fnmatch

    out: list[str] = []
    exclude = {posixpath.normpath(e) for e in ws.get("exclude") or []}
    for pat in ws.get("members") or []:
        pat = posixpath.normpath(pat)
        parent, last = posixpath.split(pat)
        if any(c in parent for c in "*?[") or pat.startswith(("../", "/")) or pat == "..":
            return f"the workspace member pattern {pat} is not modelled"
        names = [n for n in ctx.listdir(j(parent)) if fnmatch.fnmatchcase(n, last)] if any(c in last for c in "*?[") else [last]
        for n in names:
            rel = posixpath.join(parent, n) if parent else n
            if rel not in exclude and ctx.is_file(j(rel, "Cargo.toml")) and rel not in out:
                out.append(rel)
    return out


def cargo_layout(ctx, root: str) -> "CargoLayout | str":
    """The layout of the package or workspace whose Cargo.toml is at context folder `root`
    (`ctx`: a refactor.knowledge.context.BuildContext, or anything with its read methods), or
    why a stub build cannot be proven to compile what the real build compiles: a proc-macro
    crate, a build script that reads other files, a path dependency outside `root`, a member
    pattern not modelled, a path that would need quoting."""
    import tomllib

    def j(*parts: str) -> str:
        return posixpath.normpath(posixpath.join(root, *parts)) if root else posixpath.normpath(posixpath.join(*parts))

    def load(rel: str):
        try:
            return tomllib.loads(ctx.read_text(j(rel)) or "")
        except tomllib.TOMLDecodeError as e:
            return f"{rel} does not parse ({e})"

    if ctx.read_text(j("Cargo.toml")) is None:
        return "no Cargo.toml"
    doc = load("Cargo.toml")
    if isinstance(doc, str):
        return doc
    if isinstance(doc.get("package"), dict) and "workspace" in doc["package"]:
        return "the package belongs to a workspace above the folder the Dockerfile copies"
    docs: dict[str, dict] = {}
    ws = doc.get("workspace")
    if isinstance(ws, dict):
        members = _members(ctx, j, ws)
        if isinstance(members, str):
            return members
        if "package" in doc:
            members = [""] + [x for x in members if x != ""]
        for mb in members:
            docs[mb] = doc if mb == "" else load(posixpath.join(mb, "Cargo.toml"))
            if isinstance(docs[mb], str):
                return docs[mb]
        if not docs:
            return "a workspace without members"
    else:
        docs[""] = doc
    packages, stubs, copies = [], {}, []
    for mb, d in docs.items():
        got = _package(ctx, j, mb, d)
        if isinstance(got, str):
            return got
        packages.append(got[0])
        stubs.update(got[1])
        copies.extend(got[2])
    for cfg in (".cargo/config.toml", ".cargo/config"):
        ctext = ctx.read_text(j(cfg))
        if ctext is None or not ctx.sent(j(cfg)):
            continue
        cdoc = load(cfg)
        if isinstance(cdoc, str):
            return cdoc
        bsec = cdoc.get("build") or {}
        if "target" in bsec or "target-dir" in bsec:
            return f"{cfg} moves the build's artefacts (build.target/target-dir)"
        copies.append(cfg)
    for tc in ("rust-toolchain", "rust-toolchain.toml"):
        if ctx.is_file(j(tc)) and ctx.sent(j(tc)):
            copies.append(tc)
    # path crates that are not members, followed through their own manifests
    seen: set[str] = set()
    todo = [(mb, d) for mb, d in docs.items()]
    if isinstance(ws, dict):
        todo.append(("", ws))  # [workspace.dependencies]
    while todo:
        here, d = todo.pop()
        for dep, p in _path_deps(d):
            rel = posixpath.normpath(posixpath.join(here, p))
            if rel == ".." or rel.startswith("../") or rel.startswith("/"):
                return f"the path dependency {dep} ({p}) is outside the folder the Dockerfile copies"
            if rel in seen or rel in docs or rel == ".":
                continue
            if not ctx.is_file(j(rel, "Cargo.toml")) or not ctx.sent(j(rel, "Cargo.toml")):
                return f"the path dependency {dep} ({rel}) is not in the build context"
            seen.add(rel)
            sub = load(posixpath.join(rel, "Cargo.toml"))
            if isinstance(sub, str):
                return sub
            todo.append((rel, sub))
    stub_dirs: set[str] = set()
    for f in stubs:
        mb = max((x for x in docs if not x or f.startswith(x + "/")), key=len, default="")
        first = (f[len(mb) + 1:] if mb else f).split("/", 1)[0]
        stub_dirs.add(posixpath.join(mb, first) if mb else first)
    copies += sorted(seen)
    for c in copies + [x for x in docs if x]:
        if any(c == d or c.startswith(d + "/") for d in stub_dirs):
            return f"{c} lies where the stub targets go ({', '.join(sorted(stub_dirs))})"
        if c in seen and any(d.startswith(c + "/") for d in stub_dirs):
            return f"the path dependency {c} holds the package's targets"
    for p in list(stubs) + copies:
        if not _SAFE_PATH.fullmatch(p) or p.startswith(("../", "/")):
            return f"the path {p} would need quoting or leaves the package"
    return CargoLayout(tuple(packages), tuple(sorted(stubs.items())), tuple(dict.fromkeys(copies)), tuple(sorted(stub_dirs)))


NAME = "rust"
IMAGES = ("rust",)
MANIFESTS = ("Cargo.toml", "Cargo.lock", "rust-toolchain", "rust-toolchain.toml")
CONTEXT_MARKERS = ("Cargo.toml",)
LANGUAGE_TOOLS: frozenset[str] = frozenset()
INSTALLERS = {"cargo": _cargo}
GENERATED = {"cargo": ("target",)}
