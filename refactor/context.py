"""The build context a Dockerfile is built with: which files exist, what `.dockerignore`
excludes, and how often git history says each path changes. Codemods read it through
`Context.build_context`; it reads the disk lazily and caches what it read."""
from __future__ import annotations

import fnmatch
import os
import re
import subprocess
from functools import cached_property
from pathlib import Path

SKIP_DIRS = frozenset({".git", "node_modules", ".venv", "venv", "__pycache__", ".tox", ".mypy_cache"})


def _pattern_regex(pattern: str) -> re.Pattern[str]:
    """A .dockerignore pattern (Go filepath.Match plus `**`) as a regex over slash paths."""
    out = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "*":
            if pattern[i : i + 2] == "**":
                out.append(".*")
                i += 2
                if pattern[i : i + 1] == "/":
                    i += 1
                    out[-1] = "(?:.*/)?"
                continue
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            j = pattern.find("]", i)
            if j == -1:
                out.append(re.escape(c))
            else:
                cls = pattern[i + 1 : j].replace("\\", "\\\\")
                if cls.startswith("^"):
                    cls = "!" + cls[1:]
                out.append("[" + ("^" + cls[1:] if cls.startswith("!") else cls) + "]")
                i = j
        elif c == "\\" and i + 1 < len(pattern):
            i += 1
            out.append(re.escape(pattern[i]))
        else:
            out.append(re.escape(c))
        i += 1
    # A pattern matches the path itself and everything under it.
    return re.compile("^" + "".join(out) + "(?:/.*)?$")


class DockerIgnore:
    def __init__(self, text: str | None) -> None:
        self.text = text
        self.rules: list[tuple[bool, re.Pattern[str], str]] = []
        for raw in (text or "").splitlines():
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            negate = line.startswith("!")
            if negate:
                line = line[1:].strip()
            line = os.path.normpath(line).replace(os.sep, "/").lstrip("/")
            if line in ("", "."):
                continue
            self.rules.append((negate, _pattern_regex(line), line))

    @property
    def patterns(self) -> list[str]:
        return [("!" if neg else "") + p for neg, _, p in self.rules]

    def excludes(self, rel: str) -> bool:
        rel = rel.strip("/")
        excluded = False
        for negate, rx, _ in self.rules:
            if rx.match(rel):
                excluded = not negate
        return excluded


class BuildContext:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def exists(self, rel: str) -> bool:
        return (self.root / rel).exists()

    def is_file(self, rel: str) -> bool:
        return (self.root / rel).is_file()

    def read_text(self, rel: str) -> str | None:
        try:
            return (self.root / rel).read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    @cached_property
    def dockerignore(self) -> DockerIgnore:
        return DockerIgnore(self.read_text(".dockerignore"))

    def sent(self, rel: str) -> bool:
        """Whether `rel` exists and reaches the builder (not excluded by .dockerignore)."""
        return self.exists(rel) and not self.dockerignore.excludes(rel)

    @cached_property
    def files(self) -> tuple[str, ...]:
        """Relative paths of the files in the context (skipping VCS and dependency folders)."""
        out: list[str] = []
        for dirpath, dirnames, filenames in os.walk(self.root):
            dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
            rel_dir = os.path.relpath(dirpath, self.root)
            for f in sorted(filenames):
                rel = f if rel_dir == "." else f"{rel_dir}/{f}".replace(os.sep, "/")
                out.append(rel)
            if len(out) > 20000:
                break
        return tuple(out)

    def glob(self, pattern: str) -> list[str]:
        return [f for f in self.files if fnmatch.fnmatch(f, pattern)]

    @cached_property
    def git_root(self) -> Path | None:
        try:
            out = subprocess.run(
                ["git", "-C", str(self.root), "rev-parse", "--show-toplevel"],
                capture_output=True, text=True, timeout=10,
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
        return Path(out.stdout.strip()) if out.returncode == 0 and out.stdout.strip() else None

    def commit_counts(self, rels: list[str]) -> dict[str, int] | None:
        """How many commits touched each path (a file or folder), from `git log`; None when
        the context is not in a git repository."""
        if self.git_root is None or not rels:
            return None
        counts: dict[str, int] = {}
        for rel in rels:
            try:
                out = subprocess.run(
                    ["git", "-C", str(self.root), "log", "--format=%H", "--", rel or "."],
                    capture_output=True, text=True, timeout=30,
                )
            except (OSError, subprocess.TimeoutExpired):
                return None
            if out.returncode != 0:
                return None
            counts[rel] = len(out.stdout.split())
        return counts
