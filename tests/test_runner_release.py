"""The Debian release of golang/rust runners: which release the official image of a tag that
names none was built on (refactor.knowledge.debian_releases), the runner of that release or, for a
binary that links only glibc, the newest release the builder can be on; a binary that links
shared libraries needs the release exactly, else the split is declined with the tag to write."""
from __future__ import annotations

from pathlib import Path

import pytest

from refactor.engine.runner import make_selection, refactor_text
from refactor.knowledge.debian_releases import builder_release
from refactor.knowledge.system_packages import runtime_library

MS = make_selection(["multi-stage"])


@pytest.mark.parametrize("family, version, exact, newest", [
    ("rust", "1.36", "stretch", "stretch"),
    ("rust", "1.37", "buster", "buster"),
    ("rust", "1.54", "buster", "buster"),
    ("rust", "1.55", "bullseye", "bullseye"),
    ("rust", "1.63", "bullseye", "bullseye"),
    ("rust", "1.63.0", "bullseye", "bullseye"),
    ("rust", "1.70", "bullseye", "bullseye"),  # bookworm came out during 1.70, the default moved with 1.72
    ("rust", "1.71", "bullseye", "bullseye"),
    ("rust", "1.72", "bookworm", "bookworm"),
    ("rust", "1.88", "bookworm", "bookworm"),
    ("rust", "1.89", None, "trixie"),  # pushed on bookworm, then on trixie
    ("rust", "1.90", "trixie", "trixie"),
    ("rust", "1", None, "trixie"),
    ("rust", "latest", None, "trixie"),
    ("rust", "", None, "trixie"),
    ("rust", "1.150", None, "trixie"),
    ("golang", "1.15", "buster", "buster"),
    ("golang", "1.16", None, "bullseye"),
    ("golang", "1.18", "bullseye", "bullseye"),
    ("golang", "1.19", None, "bookworm"),
    ("golang", "1.19.8", "bullseye", "bullseye"),
    ("golang", "1.19.10", None, "bookworm"),
    ("golang", "1.19.11", "bookworm", "bookworm"),
    ("golang", "1.20.4", "bullseye", "bullseye"),
    ("golang", "1.22", "bookworm", "bookworm"),
    ("golang", "1.23", "bookworm", "bookworm"),
    ("golang", "1.24", None, "trixie"),
    ("golang", "1.24.5", "bookworm", "bookworm"),
    ("golang", "1.24.7", "trixie", "trixie"),
    ("golang", "1.25", "trixie", "trixie"),
    ("golang", "1.21rc2", None, "trixie"),
])
def test_release_of_a_tag_without_codename(family, version, exact, newest):
    rel = builder_release(family, version)
    assert (rel.exact, rel.newest) == (exact, newest)


def test_runtime_library_names_per_release():
    assert runtime_library("libssl3", "bullseye") == "libssl1.1"
    assert runtime_library("libssl3", "bookworm") == "libssl3"
    assert runtime_library("libssl3", "trixie") is None  # libssl3t64: not modelled
    assert runtime_library("libpq5", "bullseye") == "libpq5"
    assert runtime_library("ca-certificates", "trixie") == "ca-certificates"


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    return root / "Dockerfile"


def run(root: Path, files: dict[str, str]):
    df = write(root, files)
    return refactor_text(df.read_text(), path=df, selection=MS)


def notes(result) -> str:
    return " ".join(e.rationale for e in result.edits) + " ".join(s.reason for s in result.skips)


def runner(result) -> str:
    return result.output.split(" AS runner", 1)[0].rsplit("FROM ", 1)[1] if " AS runner" in result.output else ""


RUST_DF = 'FROM {base}\nWORKDIR /app\nCOPY . .\nRUN cargo build --release\nCMD ["./target/release/app"]\n'
CARGO = '[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n{deps}'


def rust(tmp_path, base: str, deps: str = ""):
    return run(tmp_path, {"Dockerfile": RUST_DF.format(base=base), "Cargo.toml": CARGO.format(deps=deps),
                          "src/main.rs": "fn main() {}\n"})


@pytest.mark.parametrize("base, image, packages", [
    ("rust:1.70", "debian:bullseye-slim", ["libssl1.1"]),
    ("rust:1.63-slim", "debian:bullseye-slim", ["libssl1.1"]),
    ("rust:1.75", "debian:bookworm-slim", ["libssl3"]),
    ("rust:1.75-bullseye", "debian:bullseye-slim", ["libssl1.1"]),
])
def test_rust_with_openssl_gets_the_builders_release_and_its_libssl(tmp_path, base, image, packages):
    r = rust(tmp_path, base, 'openssl = "0.10"\n')
    assert runner(r) == image, notes(r)
    tail = r.output.split(" AS runner", 1)[1]
    assert all(p in tail for p in packages) and ("libssl3" in tail) == ("libssl3" in packages)


@pytest.mark.parametrize("base, deps, why", [
    ("rust:latest", 'diesel = "2"\n', "e.g. `rust:trixie`"),
    ("rust:1", 'openssl = "0.10"\n', "e.g. `rust:1-trixie`"),
    ("rust:1.89-slim", 'openssl = "0.10"\n', "e.g. `rust:1.89-slim-trixie`"),
    ("rust:1.90", 'openssl = "0.10"\n', "I do not know its package on trixie"),
])
def test_rust_linking_libraries_on_an_unsure_release_is_declined(tmp_path, base, deps, why):
    r = rust(tmp_path, base, deps)
    assert r.output == r.original and why in notes(r), notes(r)


@pytest.mark.parametrize("base, image, said", [
    ("rust:latest", "debian:trixie-slim", "the runner takes trixie, the newest it can be"),
    ("rust:1.89", "debian:trixie-slim", "built on bookworm, later on trixie"),
    ("rust:1.63", "debian:bullseye-slim", "the official image of that version is built on bullseye"),
    ("rust:1.63-bookworm", "debian:bookworm-slim", ""),
])
def test_rust_without_libraries_runs_on_the_builders_or_the_newest_release(tmp_path, base, image, said):
    r = rust(tmp_path, base)
    assert runner(r) == image and said in notes(r), notes(r)
    if not said:
        assert "names no Debian release" not in notes(r)


CGO_MAIN = 'package main\n\n// #include <stdlib.h>\nimport "C"\n\nfunc main() { C.abs(1) }\n'
GO_DF = ("FROM {base}\n{apt}WORKDIR /app\nCOPY go.mod ./\nRUN go mod download\nCOPY *.go ./\n"
         'RUN go build -o app\nCMD ["./app"]\n')
SQLITE = "RUN apt-get update && apt-get install -y --no-install-recommends libsqlite3-dev\n"


def go(tmp_path, base: str, apt: str = "", main: str = CGO_MAIN):
    return run(tmp_path, {"Dockerfile": GO_DF.format(base=base, apt=apt), "main.go": main,
                          "go.mod": "module example.com/app\n\ngo 1.19\n"})


@pytest.mark.parametrize("base, apt, image", [
    ("golang:1.22", SQLITE, "debian:bookworm-slim"),
    ("golang:1.19.8", SQLITE, "debian:bullseye-slim"),
    ("golang:1.19", "", "debian:bookworm-slim"),  # bullseye, later bookworm: the newer runs both
    ("golang:latest", "", "debian:trixie-slim"),
    ("golang:1.21-bullseye", SQLITE, "debian:bullseye-slim"),
    ("golang:1.21-alpine3.19", "", "alpine:3.19"),
])
def test_go_cgo_runner_release(tmp_path, base, apt, image):
    r = go(tmp_path, base, apt)
    assert runner(r) == image, notes(r)
    if apt:
        assert "libsqlite3-0" in r.output.split(" AS runner", 1)[1]


@pytest.mark.parametrize("base", ["golang:1.19", "golang:1", "golang:1.24"])
def test_go_cgo_linking_libraries_on_an_unsure_release_is_declined(tmp_path, base):
    r = go(tmp_path, base, SQLITE)
    assert r.output == r.original
    assert f"name the release in the tag (e.g. `{base}-" in notes(r) and "libsqlite3-0" in notes(r), notes(r)


def test_go_static_needs_no_libc_and_stays_on_distroless(tmp_path):
    r = go(tmp_path, "golang:latest", "", "package main\n\nfunc main() {}\n")
    assert runner(r) == "gcr.io/distroless/static-debian12:nonroot", notes(r)


@pytest.mark.parametrize("base", ["rust:1.50", "rust:1.63-buster"])
def test_a_runner_on_an_archived_release_installs_nothing(tmp_path, base):
    """buster and older have left deb.debian.org: a runner that must `apt-get install` a library on
    them would not build, so the split is declined; one that needs nothing still splits."""
    r = rust(tmp_path, base, 'rusqlite = "0.29"\n')
    assert r.output == r.original and "whose packages have left deb.debian.org" in notes(r), notes(r)
    r = rust(tmp_path / "plain", base)
    assert runner(r) == "debian:buster-slim" and "apt-get" not in r.output.split(" AS runner", 1)[1]
