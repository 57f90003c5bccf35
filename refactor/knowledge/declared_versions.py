"""The runtime version a project declares for itself, read from its own files in the build
context: what pin-base pins a floating base image tag to.

    declared_version(ctx, "node")   -> Declared("20.11.1", ".nvmrc") or a Declared with `problem`

node: `.nvmrc`, `.node-version`, then `engines.node` in package.json; python: `.python-version`,
then `requires-python` in pyproject.toml; golang: the `toolchain` line of go.mod, else its `go`
line, as a minor version (both are minimums); rust: `rust-toolchain.toml` (`channel`) or `rust-toolchain`; ruby: `.ruby-version`; java:
the Gradle toolchain (`JavaLanguageVersion.of(21)`) or `sourceCompatibility`, else pom.xml's
`maven.compiler.release`, `<release>`, `java.version` or `maven.compiler.source`. A
range pins a version only when it allows one release line (`^20.1`, `~=3.12.0`, `>=3.12,<3.13`,
`20.x`); `>=18` or `lts/*` or `stable` declare no version, and the reason says so.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from refactor.syntax.lazy_re import lazy

if TYPE_CHECKING:
    from refactor.knowledge.context import BuildContext

NODE_CODENAMES = {"argon": "4", "boron": "6", "carbon": "8", "dubnium": "10", "erbium": "12", "fermium": "14",
                  "gallium": "16", "hydrogen": "18", "iron": "20", "jod": "22", "krypton": "24"}
_VERSION = lazy(r"^\d+(?:\.\d+){0,2}$")


@dataclass(frozen=True)
class Declared:
    """The runtime version a project file declares, and where."""
    version: str | None  # "20", "3.12", "1.22.1"; None when nothing usable is declared
    source: str  # the file (and key) it comes from, for the edit's summary
    problem: str = ""  # why there is no version, for the skip's reason


def declared_version(ctx: BuildContext, family: str) -> Declared:
    reader = {"node": _node, "python": _python, "golang": _go, "rust": _rust, "ruby": _ruby,
              "java": _java}.get(family)
    if reader is None:
        return Declared(None, "", f"dockwright does not read a declared version for {family} images")
    return reader(ctx)


def _first_line(ctx: BuildContext, name: str) -> str | None:
    text = ctx.read_text(name)
    if text is None:
        return None
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            return line
    return ""


def _node(ctx: BuildContext) -> Declared:
    for name in (".nvmrc", ".node-version"):
        line = _first_line(ctx, name)
        if line is None:
            continue
        v = line.lower().removeprefix("v").removeprefix("node/")
        if v.startswith("lts/") and v[4:] in NODE_CODENAMES:
            return Declared(NODE_CODENAMES[v[4:]], name)
        if _VERSION.match(v):
            return Declared(v, name)
        return Declared(None, name, f"{name} says {line!r}, not a version")
    text = ctx.read_text("package.json")
    if text is None:
        return Declared(None, "", "the project declares no node version (.nvmrc, .node-version, engines.node)")
    try:
        engines = (json.loads(text).get("engines") or {}).get("node")
    except (ValueError, AttributeError):
        return Declared(None, "package.json", "package.json does not parse")
    if not isinstance(engines, str):
        return Declared(None, "package.json", "package.json has no engines.node")
    v = _single_line_range(engines)
    if v is None:
        return Declared(None, "package.json engines.node", f"engines.node {engines!r} allows more than one major version")
    return Declared(v, "package.json engines.node")


def _single_line_range(spec: str) -> str | None:
    """The release line an npm semver range allows, when it allows one major: `20`, `20.x`,
    `^20.11.0`, `~20.11`, `20.11.1`, `>=20 <21`; None otherwise."""
    s = spec.strip()
    if "||" in s:
        return None
    m = re.match(r"^v?(\d+)(?:\.(?:x|\*))?(?:\.(?:x|\*))?$", s)
    if m:
        return m.group(1)
    m = re.match(r"^[\^~]?v?(\d+)(?:\.\d+){0,2}$", s)
    if m:
        return m.group(1) if s[0] in "^~" or not re.match(r"^\d+\.\d+\.\d+$", s) else s
    m = re.match(r"^>=\s*v?(\d+)(?:\.\d+){0,2}\s+<\s*v?(\d+)(?:\.0){0,2}$", s)
    if m and int(m.group(2)) == int(m.group(1)) + 1:
        return m.group(1)
    return None


def _python(ctx: BuildContext) -> Declared:
    line = _first_line(ctx, ".python-version")
    if line is not None:
        if _VERSION.match(line) and line.count(".") >= 1:
            return Declared(line, ".python-version")
        return Declared(None, ".python-version", f".python-version says {line!r}, not a CPython version")
    text = ctx.read_text("pyproject.toml")
    if text is None:
        return Declared(None, "", "the project declares no python version (.python-version, requires-python)")
    m = re.search(r'^\s*requires-python\s*=\s*["\']([^"\']+)["\']', text, re.M)
    if m is None:
        return Declared(None, "pyproject.toml", "pyproject.toml has no requires-python")
    v = _python_minor(m.group(1))
    if v is None:
        return Declared(None, "requires-python", f"requires-python {m.group(1)!r} allows more than one minor version")
    return Declared(v, "pyproject.toml requires-python")


def _python_minor(spec: str) -> str | None:
    """`==3.12.*`, `~=3.12.0`, `>=3.12,<3.13`, `==3.12.1` -> the one minor (or exact) version."""
    s = spec.replace(" ", "")
    m = re.match(r"^==(\d+\.\d+)(?:\.\*)?$", s)
    if m:
        return m.group(1)
    m = re.match(r"^==(\d+\.\d+\.\d+)$", s)
    if m:
        return m.group(1)
    m = re.match(r"^~=(\d+\.\d+)\.\d+$", s)
    if m:
        return m.group(1)
    parts = s.split(",")
    if len(parts) == 2:
        lo = re.match(r"^>=(\d+)\.(\d+)(?:\.\d+)?$", parts[0])
        hi = re.match(r"^<(\d+)\.(\d+)$", parts[1])
        if lo and hi and lo.group(1) == hi.group(1) and int(hi.group(2)) == int(lo.group(2)) + 1:
            return f"{lo.group(1)}.{lo.group(2)}"
    return None


def _go(ctx: BuildContext) -> Declared:
    text = ctx.read_text("go.mod")
    if text is None:
        return Declared(None, "", "the project declares no go version (no go.mod in the build context)")
    # Both lines name a minimum, not a release to build with: the image keeps the minor line
    # (`golang:1.24` serves the newest 1.24.x, with its security fixes), never an old patch.
    m = re.search(r"^toolchain\s+go(\d+\.\d+)(?:\.\d+)?\s*$", text, re.M)
    if m:
        return Declared(m.group(1), "go.mod toolchain")
    m = re.search(r"^go\s+(\d+\.\d+)(?:\.\d+)?\s*$", text, re.M)
    if m:
        return Declared(m.group(1), "go.mod go line")
    return Declared(None, "go.mod", "go.mod has no go line")


def _rust(ctx: BuildContext) -> Declared:
    text = ctx.read_text("rust-toolchain.toml")
    name = "rust-toolchain.toml"
    if text is not None:
        m = re.search(r'^\s*channel\s*=\s*"([^"]+)"', text, re.M)
        channel = m.group(1) if m else None
    else:
        name = "rust-toolchain"
        channel = _first_line(ctx, name)
        if channel is not None and channel.startswith("["):
            m = re.search(r'^\s*channel\s*=\s*"([^"]+)"', ctx.read_text(name) or "", re.M)
            channel = m.group(1) if m else None
    if channel is None:
        return Declared(None, "", "the project declares no rust toolchain (rust-toolchain.toml, rust-toolchain)")
    if _VERSION.match(channel) and channel.count(".") >= 1:
        return Declared(channel, name)
    return Declared(None, name, f"{name} names the channel {channel!r}, not a version")


def _ruby(ctx: BuildContext) -> Declared:
    line = _first_line(ctx, ".ruby-version")
    if line is None:
        return Declared(None, "", "the project declares no ruby version (.ruby-version)")
    v = line.removeprefix("ruby-")
    if _VERSION.match(v) and v.count(".") >= 1:
        return Declared(v, ".ruby-version")
    return Declared(None, ".ruby-version", f".ruby-version says {line!r}, not a version")


_GRADLE = (
    lazy(r"JavaLanguageVersion\.of\(\s*[\"']?(\d+)[\"']?\s*\)"),
    lazy(r"sourceCompatibility\s*=\s*(?:JavaVersion\.VERSION_(?:1_)?(\d+)|[\"']?(?:1\.)?(\d+)[\"']?)"),
)
_MAVEN = (
    lazy(r"<maven\.compiler\.release>\s*(?:1\.)?(\d+)\s*<"),
    lazy(r"<release>\s*(?:1\.)?(\d+)\s*</release>"),
    lazy(r"<java\.version>\s*(?:1\.)?(\d+)\s*<"),
    lazy(r"<maven\.compiler\.source>\s*(?:1\.)?(\d+)\s*<"),
)


def _java(ctx: BuildContext) -> Declared:
    """The Java feature release (8, 17, 21): a Gradle toolchain pins the JDK the build uses; a
    source or release level is the oldest one the code runs on, which the project builds for."""
    for name in ("build.gradle.kts", "build.gradle"):
        text = ctx.read_text(name)
        if text is None:
            continue
        for pattern in _GRADLE:
            m = pattern.search(text)
            if m:
                return Declared(next(g for g in m.groups() if g), f"{name} {'toolchain' if pattern is _GRADLE[0] else 'sourceCompatibility'}")
    text = ctx.read_text("pom.xml")
    if text is not None:
        for pattern in _MAVEN:
            m = pattern.search(text)
            if m:
                return Declared(m.group(1), "pom.xml " + pattern.pattern.split(">")[0].lstrip("<").replace("\\", ""))
    return Declared(None, "", "the project declares no Java version (Gradle toolchain or sourceCompatibility, "
                              "pom.xml maven.compiler.release/java.version)")
