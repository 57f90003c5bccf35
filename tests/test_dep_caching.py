"""Dependency caching (issue 15, item 4) and the distro variants of the runner (item 5):
multi-stage's deps stage compiles a Rust package's dependencies with stub targets, or says why
not; `go mod download` reads the local replacements' go.mod and is left out of Go workspaces;
layer-order says why it does not add either layer itself; alpine and Debian inputs keep their
family. The real builds are in tests/test_samples_build.py (rust-deps, go-local-replace,
go-vendored)."""
from __future__ import annotations

from pathlib import Path

import pytest

from refactor.engine.runner import make_selection, refactor_text
from refactor.knowledge.context import BuildContext
from refactor.knowledge.ecosystems.rust import cargo_layout

MS = make_selection(["multi-stage"])
LO = make_selection(["layer-order"])

APP = '[package]\nname = "my-app"\nversion = "0.1.0"\nedition = "2021"\n'


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    return root / "Dockerfile"


def run(root: Path, files: dict[str, str], selection=MS):
    df = write(root, files)
    return refactor_text(df.read_text(), path=df, selection=selection)


def notes(result) -> str:
    return " ".join(e.rationale for e in result.edits) + " ".join(s.reason for s in result.skips)


RUST_DF = 'FROM rust:1.63\nWORKDIR /app\nCOPY . .\nRUN cargo build --release --locked\nCMD ["./target/release/my-app"]\n'


# --- the layout a stub build needs ------------------------------------------------------------


def test_layout_of_a_library_with_binaries_and_a_plain_build_script(tmp_path):
    write(tmp_path, {"Cargo.toml": APP, "src/lib.rs": "", "src/main.rs": "", "src/bin/tool.rs": "",
                     "build.rs": 'fn main() { println!("cargo:rustc-env=X=1"); }'})
    lay = cargo_layout(BuildContext(tmp_path), "")
    (pkg,) = lay.packages
    assert pkg.name == "my-app" and pkg.lib == "my_app" and set(pkg.crates) == {"my_app", "tool"}
    assert lay.stub_dirs == ("src",) and set(pkg.bins) == {"my-app", "tool"}
    assert dict(lay.stubs) == {"src/lib.rs": "", "src/main.rs": "fn main() {}\n", "src/bin/tool.rs": "fn main() {}\n"}
    assert lay.copies == ("build.rs",)
    globs = lay.artefacts("target/release")
    # `-` becomes `_` in artefacts, the fingerprint keeps the package name and 16 hex digits
    assert "target/release/deps/my_app-*" in globs and "target/release/deps/libmy_app-*" in globs
    assert "target/release/.fingerprint/my-app-" + "?" * 16 in globs
    assert "target/release/build/my-app-" + "?" * 16 in globs


@pytest.mark.parametrize("files, why", [
    ({"Cargo.toml": APP.replace('edition = "2021"', "workspace = '..'"), "src/main.rs": ""}, "belongs to a workspace above"),
    ({"Cargo.toml": "[workspace]\nmembers = ['*/crates']\n"}, "member pattern */crates is not modelled"),
    ({"Cargo.toml": APP + "\n[lib]\nproc-macro = true\n", "src/lib.rs": ""}, "proc-macro"),
    ({"Cargo.toml": APP, "src/main.rs": "", "build.rs": 'fn main() { std::fs::read("proto/a.proto").unwrap(); }'},
     "build script build.rs reads other files"),
    ({"Cargo.toml": APP + '\n[dependencies]\nshared = { path = "../shared" }\n', "src/main.rs": ""},
     "outside the folder the Dockerfile copies"),
    ({"Cargo.toml": APP + '\n[dependencies]\nshared = { path = "libs/shared" }\n', "src/main.rs": ""},
     "not in the build context"),
    ({"Cargo.toml": APP, "src/main.rs": "", ".cargo/config.toml": '[build]\ntarget-dir = "/out"\n'}, "target-dir"),
])
def test_layouts_that_are_not_proven(tmp_path, files, why):
    write(tmp_path, files)
    lay = cargo_layout(BuildContext(tmp_path), "")
    assert isinstance(lay, str) and why in lay


def test_path_crates_are_followed_through_their_own_manifests(tmp_path):
    write(tmp_path, {
        "Cargo.toml": APP + '\n[dependencies]\na = { path = "crates/a" }\n',
        "crates/a/Cargo.toml": '[package]\nname = "a"\nversion = "0.1.0"\n\n[dependencies]\nb = { path = "../b" }\n',
        "crates/b/Cargo.toml": '[package]\nname = "b"\nversion = "0.1.0"\n', "src/main.rs": "",
    })
    assert cargo_layout(BuildContext(tmp_path), "").copies == ("crates/a", "crates/b")


# --- multi-stage: Rust ------------------------------------------------------------------------


def test_rust_deps_stage_builds_stub_targets_with_the_users_flags(tmp_path):
    r = run(tmp_path, {"Dockerfile": RUST_DF, "Cargo.toml": APP + '\n[dependencies]\nb = { path = "b" }\n',
                       "Cargo.lock": "version = 3\n", "b/Cargo.toml": '[package]\nname = "b"\nversion = "0.1.0"\n',
                       "b/src/lib.rs": "", "src/main.rs": "fn main() {}\n"})
    deps = r.output.split("FROM deps AS builder")[0]
    assert "COPY Cargo.toml Cargo.lock ./\nCOPY b ./b/\n" in deps
    assert "echo 'fn main() {}' > src/main.rs" in deps and "&& cargo build --release --locked \\\n" in deps
    assert "rm -rf src target/release/deps/my_app-* target/release/.fingerprint/my-app-" + "?" * 16 in deps
    assert "compiles the dependencies with stub targets" in notes(r)


@pytest.mark.parametrize("dockerfile, why", [
    (RUST_DF.replace("COPY . .\n", "COPY . .\nENV RUSTFLAGS=-Copt-level=2\n"), "RUSTFLAGS is set after the sources"),
    (RUST_DF.replace("RUN cargo", "RUN --mount=type=cache,target=/app/target cargo"), "mounts a cache"),
    (RUST_DF.replace("--locked", "--locked --manifest-path Cargo.toml"), "`cargo build --manifest-path`"),
    (RUST_DF.replace("--locked", "$FEATURES"), "uses variables"),
    (RUST_DF.replace("COPY . .", "RUN useradd -m app\nUSER app\nCOPY --chown=app . ."), "the build runs as app"),
    (RUST_DF.replace("cargo build --release --locked", "cargo install --path . --example demo").replace(
        "./target/release/my-app", "my-app"), "`cargo install --example`: an option I do not map"),
])
def test_rust_stub_build_declined_with_a_reason(tmp_path, dockerfile, why):
    r = run(tmp_path, {"Dockerfile": dockerfile, "Cargo.toml": APP, "src/main.rs": "fn main() {}\n"})
    assert "cargo build" not in r.output.split("FROM deps AS builder")[0]
    assert "the dependencies compile in the builder with the sources: " in notes(r) and why in notes(r)


def test_cargo_install_path_compiles_its_dependencies_with_the_matching_cargo_build(tmp_path):
    df = RUST_DF.replace("cargo build --release --locked", "cargo install --locked --path . --root /usr/local -F tls")
    r = run(tmp_path, {"Dockerfile": df.replace("./target/release/my-app", "my-app"), "Cargo.toml": APP,
                       "src/main.rs": "fn main() {}\n"})
    deps = r.output.split("FROM deps AS builder")[0]
    assert "&& cargo build --release --locked -F tls \\\n" in deps and "target/release/deps/my_app-*" in deps
    debug = run(tmp_path / "debug", {"Dockerfile": df.replace("--locked", "--debug").replace("./target/release/my-app", "my-app"),
                                     "Cargo.toml": APP, "src/main.rs": "fn main() {}\n"})
    deps = debug.output.split("FROM deps AS builder")[0]
    assert "&& cargo build -F tls \\\n" in deps and "target/debug/incremental/my_app-*" in deps


def test_rust_stub_build_reads_what_the_image_has_not_the_context(tmp_path):
    # build.rs exists in the context but the Dockerfile never copies it: no build script
    r = run(tmp_path, {"Dockerfile": 'FROM rust:1.63\nWORKDIR /app\nCOPY Cargo.toml ./\nCOPY src ./src\n'
                                     'RUN cargo build --release\nCMD ["./target/release/my-app"]\n',
                       "Cargo.toml": APP, "src/main.rs": "fn main() {}\n", "build.rs": "fn main() {}\n"})
    deps = r.output.split("FROM deps AS builder")[0]
    assert "build.rs" not in deps and "&& cargo build --release \\\n" in deps


# --- multi-stage: Go --------------------------------------------------------------------------

GO_DF = 'FROM golang:1.19\nWORKDIR /src\nCOPY . .\nRUN go build -o /usr/local/bin/app .\nCMD ["app"]\n'
GO_MAIN = 'package main\n\nfunc main() {}\n'


def test_go_download_copies_the_go_mod_of_local_replacements(tmp_path):
    r = run(tmp_path, {"Dockerfile": GO_DF, "main.go": GO_MAIN, "lib/go.mod": "module example.com/lib\n",
                       "go.mod": "module example.com/app\n\nrequire example.com/lib v0.0.0\n\nreplace example.com/lib => ./lib\n"})
    assert "COPY go.mod ./\nCOPY lib/go.mod ./lib/\nRUN go mod download\n" in r.output


def test_go_download_declined_for_a_replacement_outside_the_copy(tmp_path):
    r = run(tmp_path, {"Dockerfile": GO_DF, "main.go": GO_MAIN,
                       "go.mod": "module example.com/app\n\nreplace example.com/lib => ../lib\n"})
    assert "go mod download" not in r.output and "not copied where go.mod points" in notes(r)


def test_go_workspace_and_vendor_get_no_download_layer(tmp_path):
    ws = run(tmp_path / "ws", {"Dockerfile": GO_DF, "main.go": GO_MAIN, "go.mod": "module example.com/app\n",
                               "go.work": "go 1.19\n\nuse .\n"})
    assert "go mod download" not in ws.output and "a Go workspace" in notes(ws)
    vd = run(tmp_path / "vd", {"Dockerfile": GO_DF, "main.go": GO_MAIN, "go.mod": "module example.com/app\n",
                               "vendor/modules.txt": ""})
    assert "go mod download" not in vd.output and "the modules come from vendor/" in notes(vd)


# --- layer-order: the reasons it leaves these layers to multi-stage -----------------------------


def test_layer_order_says_why_it_adds_no_dependency_layer(tmp_path):
    r = run(tmp_path / "rs", {"Dockerfile": RUST_DF, "Cargo.toml": APP, "src/main.rs": ""}, LO)
    assert not r.changed and "`cargo build` compiles the dependencies and the crate in one step" in notes(r)
    files = {"Dockerfile": GO_DF, "main.go": GO_MAIN, "go.mod": "module example.com/app\n\nrequire example.com/x v1.0.0\n"}
    r = run(tmp_path / "go", files, LO)
    assert not r.changed and "`go build` downloads the modules go.mod requires" in notes(r)
    # nothing to download (no require, or vendored): nothing to say
    r = run(tmp_path / "none", {**files, "go.mod": "module example.com/app\n"}, LO)
    assert not any("go build" in s.reason for s in r.skips)
    r = run(tmp_path / "vendored", {**files, "vendor/modules.txt": ""}, LO)
    assert not any("go build" in s.reason for s in r.skips)
    # a download layer already there (the user's, or layer-order's own split): nothing to say
    done = GO_DF.replace("COPY . .", "COPY go.mod ./\nRUN go mod download\nCOPY . .")
    r = run(tmp_path / "done", {**files, "Dockerfile": done}, LO)
    assert not any("go build" in s.reason for s in r.skips)


# --- the runner keeps the input's family ---------------------------------------------------------


@pytest.mark.parametrize("base, runner, user_cmd", [
    ("rust:1.75-alpine3.19", "alpine:3.19", "addgroup -S -g 10001 app"),
    ("rust:alpine", "alpine:latest", "addgroup -S -g 10001 app"),
    ("rust:1.75-slim-bookworm", "debian:bookworm-slim", "groupadd --system --gid 10001 app"),
    ("rust:1.75-bullseye", "debian:bullseye-slim", "groupadd --system --gid 10001 app"),
])
def test_rust_runner_keeps_libc_and_release(tmp_path, base, runner, user_cmd):
    r = run(tmp_path, {"Dockerfile": RUST_DF.replace("rust:1.63", base), "Cargo.toml": APP, "src/main.rs": ""})
    assert f"FROM {runner} AS runner" in r.output and user_cmd in r.output
    if runner == "alpine:latest":
        assert "names no Alpine release; the runner takes alpine:latest" in notes(r)


def test_go_named_user_keeps_the_family_runner_instead_of_distroless(tmp_path):
    df = GO_DF.replace("WORKDIR", "RUN addgroup -S app && adduser -S -G app app\nWORKDIR").replace(
        "golang:1.19", "golang:1.21-alpine3.19").replace("CMD", "USER app\nCMD")
    r = run(tmp_path, {"Dockerfile": df, "main.go": GO_MAIN, "go.mod": "module example.com/app\n"})
    runner = r.output.split("AS runner")[1]
    assert "FROM alpine:3.19 AS runner" in r.output and "RUN addgroup -S app && adduser -S -G app app" in runner
    assert "not distroless, so that the user app is created" in notes(r)


def test_workspace_members_are_stubbed_and_other_path_crates_copied(tmp_path):
    member = '[package]\nname = "{0}"\nversion = "0.1.0"\n\n[dependencies]\n{1}'
    write(tmp_path, {
        "Cargo.toml": '[workspace]\nmembers = ["crates/*"]\nexclude = ["crates/old"]\n',
        "crates/api/Cargo.toml": member.format("api", 'core = { path = "../core" }\nrle = { path = "../../vendor/rle" }\n'),
        "crates/api/src/main.rs": "", "crates/core/Cargo.toml": member.format("core", ""), "crates/core/src/lib.rs": "",
        "crates/old/Cargo.toml": member.format("old", ""), "crates/old/src/lib.rs": "",
        "vendor/rle/Cargo.toml": member.format("rle", ""), "vendor/rle/src/lib.rs": "",
    })
    lay = cargo_layout(BuildContext(tmp_path), "")
    assert [p.name for p in lay.packages] == ["api", "core"]
    assert dict(lay.stubs) == {"crates/api/src/main.rs": "fn main() {}\n", "crates/core/src/lib.rs": ""}
    assert lay.copies == ("crates/api/Cargo.toml", "crates/core/Cargo.toml", "vendor/rle")
    assert lay.stub_dirs == ("crates/api/src", "crates/core/src")
    assert "target/release/deps/libcore-*" in lay.artefacts("target/release")
    (tmp_path / "crates/core/Cargo.toml").write_text(member.format("core", "") + "\n[lib]\nproc-macro = true\n")
    assert "core is a proc-macro crate" in cargo_layout(BuildContext(tmp_path), "")


def test_go_binary_built_outside_the_work_folder_is_the_start_command(tmp_path):
    # `go build -o /out/app` writes outside WORKDIR: the compiled output is what CMD runs
    df = GO_DF.replace("/usr/local/bin/app .", "/out/app .").replace('CMD ["app"]', 'CMD ["/out/app"]')
    r = run(tmp_path, {"Dockerfile": df, "main.go": GO_MAIN, "go.mod": "module example.com/app\n"})
    assert "COPY --from=builder /out/app /out/" in r.output, [s.reason for s in r.skips]
