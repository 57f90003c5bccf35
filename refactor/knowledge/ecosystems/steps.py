"""What one dependency-install step reads and writes (InstallStep), the collector each ecosystem
fills while it reads a command (StepReader), a tiny option parser, and path helpers shared by the
ecosystem modules."""
from __future__ import annotations

from functools import lru_cache

import json
import posixpath
from dataclasses import dataclass
from typing import Callable, Iterable, Optional

from refactor.knowledge.context import go_clean
from refactor.syntax.lazy_re import lazy

Resolver = Callable[[str], Optional[str]]


@dataclass(frozen=True)
class InstallStep:
    """A dependency install in a RUN: its ecosystem, folder and the files it reads."""
    ecosystem: str  # npm, yarn, pnpm, pip, pipenv, poetry, uv, pdm, conda, go, cargo, bundler, composer, maven, gradle
    command: str  # the command's text, for messages
    index: int  # position among the RUN's commands (units)
    dir: str | None  # where it runs, relative to the RUN's working directory ("" = there) or absolute
    context_dir: str | None  # that folder in the build context, when known
    manifests: tuple[str, ...] = ()  # context paths it reads (files, or folders such as .yarn/releases)
    config: tuple[str, ...] = ()  # those of `manifests` that are configuration rather than manifests
    missing: tuple[str, ...] = ()  # files it needs that the context does not send
    local_deps: tuple[str, ...] = ()  # local packages it installs (`.`, `file:../lib`, `-e .`)
    needs_sources: tuple[str, ...] = ()  # other reasons it reads more than its manifests
    unknown: tuple[str, ...] = ()  # what the analysis could not tell
    outputs: tuple[str, ...] = ()  # context-relative paths in the project it writes (node_modules)
    rewrites: tuple[str, ...] = ()  # manifests it may rewrite
    provable: bool = True  # False where the build logic is code (Gradle scripts)

    @property
    def self_contained(self) -> bool:
        return not (self.missing or self.local_deps or self.needs_sources or self.unknown)

    @property
    def problems(self) -> list[str]:
        out = []
        if self.missing:
            out.append(f"needs {', '.join(self.missing)}, which the build context does not send")
        if self.local_deps:
            out.append(f"installs local path dependencies ({', '.join(self.local_deps)}), which need more than the manifests")
        out.extend(self.needs_sources)
        out.extend(self.unknown)
        return out


@dataclass
class CommandInfo:
    """One command of a RUN: its position, the directory it runs in, and the install step it
    is, if any."""

    unit: object  # SimpleCommand or Opaque
    index: int
    dir: str | None
    step: InstallStep | None = None
    kind: str = "other"  # install, cd, other, opaque


def basename(name: str | None) -> str:
    if not name:
        return ""
    return name.rsplit("/", 1)[-1]


def join_cwd(cwd: str, path: str) -> str | None:
    if "$" in path or path.startswith("~") or path == "-":
        return None
    if path.startswith("/"):
        return go_clean(path)
    if cwd.startswith("/"):
        return go_clean(posixpath.join(cwd, path))
    j = go_clean(posixpath.join(cwd or ".", path))
    return "" if j == "." else j


@lru_cache(maxsize=8192)  # a pure function of short strings, asked the same paths again and again
def context_join(base: str, rel: str) -> str:
    j = go_clean(posixpath.join(base or ".", rel))
    return "" if j == "." else j


class Options:
    """Tiny option parser: flags (name -> value or True) and positional words, in order."""

    def __init__(self, args: list[str | None], value_flags: Iterable[str] = (), stop_at_positional: bool = False):
        vf = set(value_flags)
        self.flags: list[tuple[str, str | bool | None]] = []
        self.positional: list[str | None] = []
        self.expansions = False
        i = 0
        done = False
        while i < len(args):
            a = args[i]
            if a is None:
                self.expansions = True
                self.positional.append(None)
                i += 1
                continue
            if not done and a == "--":
                done = True
                i += 1
                continue
            if not done and a.startswith("--") and len(a) > 2:
                name, eq, val = a.partition("=")
                if eq:
                    self.flags.append((name, val))
                elif name in vf and i + 1 < len(args):
                    self.flags.append((name, args[i + 1]))
                    i += 1
                else:
                    self.flags.append((name, True))
            elif not done and a.startswith("-") and len(a) > 1:
                # short options, possibly bundled; a value flag takes the rest or the next word
                j = 1
                while j < len(a):
                    n = "-" + a[j]
                    if n in vf:
                        rest = a[j + 1 :]
                        if rest:
                            self.flags.append((n, rest))
                        elif i + 1 < len(args):
                            self.flags.append((n, args[i + 1]))
                            i += 1
                        else:
                            self.flags.append((n, None))
                        break
                    self.flags.append((n, True))
                    j += 1
            else:
                self.positional.append(a)
                if stop_at_positional:
                    done = True
            i += 1

    def has(self, *names: str) -> bool:
        return any(n == k for k, _ in self.flags for n in names)

    def value(self, *names: str) -> str | None:
        found = None
        for k, v in self.flags:
            if k in names and isinstance(v, str):
                found = v
        return found

    def values(self, *names: str) -> list[str | None]:
        return [v if isinstance(v, str) or v is None else None for k, v in self.flags if k in names]


class StepReader:
    """Collects what one install step reads, then freezes into an InstallStep."""

    def __init__(self, ecosystem, cmd, index, dir, context, resolve):
        self.ecosystem = ecosystem
        self.command = cmd.raw if hasattr(cmd, "raw") else str(cmd)
        self.index = index
        self.dir = dir
        self.ctx = context
        self.resolve = resolve
        self.manifests: list[str] = []
        self.config: list[str] = []
        self.missing: list[str] = []
        self.local: list[str] = []
        self.needs: list[str] = []
        self.unknown: list[str] = []
        self.outputs: list[str] = []
        self.rewrites: list[str] = []
        self.provable = True
        self.cdir: str | None = None
        if dir is None:
            self.unknown.append(f"`{self.command}`: cannot tell which folder it runs in")
        else:
            self.cdir = resolve(dir if dir else ".")
            if self.cdir is None:
                self.unknown.append(f"`{self.command}` runs in {dir or 'the working directory'}, which does not come from the build context")
        if context is None:
            self.unknown.append("no build context to read the manifests from")

    @property
    def ok(self) -> bool:
        return self.cdir is not None and self.ctx is not None

    def at(self, rel: str) -> str:
        return context_join(self.cdir or "", rel)

    def sent(self, cpath: str) -> bool:
        return self.ctx is not None and self.ctx.sent(cpath)

    def need(self, rel: str, *, config: bool = False) -> str:
        c = self.at(rel)
        self._add(c, required=True, config=config)
        return c

    def maybe(self, rel: str, *, config: bool = False) -> bool:
        c = self.at(rel)
        return self._add(c, required=False, config=config)

    def _add(self, cpath: str, required: bool, config: bool) -> bool:
        if not self.ok:
            return False
        if self.sent(cpath):
            if cpath not in self.manifests:
                self.manifests.append(cpath)
                if config:
                    self.config.append(cpath)
            return True
        if required and cpath not in self.missing:
            why = " (excluded by .dockerignore)" if self.ctx.exists(cpath) else ""
            self.missing.append(cpath + why)
        return False

    def lack(self, rel: str) -> None:
        c = self.at(rel)
        why = " (excluded by .dockerignore)" if self.ctx is not None and self.ctx.exists(c) else ""
        if c + why not in self.missing:
            self.missing.append(c + why)

    def read(self, cpath: str) -> str | None:
        return self.ctx.read_text(cpath) if self.ok else None

    def freeze(self) -> InstallStep:
        return InstallStep(
            self.ecosystem, self.command, self.index, self.dir, self.cdir,
            tuple(self.manifests), tuple(self.config), tuple(self.missing), tuple(dict.fromkeys(self.local)),
            tuple(dict.fromkeys(self.needs)), tuple(dict.fromkeys(self.unknown)), tuple(dict.fromkeys(self.outputs)),
            tuple(dict.fromkeys(self.rewrites)), self.provable,
        )


def subdir(cwd: str | None, d: str | None) -> str | None:
    if cwd is None:
        return None
    if d is None:
        return cwd
    return join_cwd(cwd, d)


def read_json(s: StepReader, cpath: str) -> dict | None:
    text = s.read(cpath)
    if text is None:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        s.unknown.append(f"{cpath} is not valid JSON")
        return None
    return data if isinstance(data, dict) else None


def read_toml(s: StepReader, cpath: str) -> dict | None:
    text = s.read(cpath)
    if text is None:
        return None
    import tomllib  # here: only a build context with a TOML manifest needs it

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        s.unknown.append(f"{cpath} is not valid TOML")
        return None


LOCAL_SPEC = lazy(r"^(file:|link:|portal:|\.{1,2}/|/|~/)")
