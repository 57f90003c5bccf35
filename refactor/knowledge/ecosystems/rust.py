"""Rust: `cargo fetch`/`cargo build` and what they read (Cargo.toml, Cargo.lock, the toolchain
file); the runtime libraries common native crates need; development commands a start command
must not be; the rust base images."""
from __future__ import annotations

import re

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


NAME = "rust"
IMAGES = ("rust",)
MANIFESTS = ("Cargo.toml", "Cargo.lock", "rust-toolchain", "rust-toolchain.toml")
CONTEXT_MARKERS = ("Cargo.toml",)
LANGUAGE_TOOLS: frozenset[str] = frozenset()
INSTALLERS = {"cargo": _cargo}
GENERATED = {"cargo": ("target",)}
