"""The build context a Dockerfile is built with: which files exist, which of them `.dockerignore`
lets through to the builder, and how often git history says each path changes. Codemods read it
through `Context.build_context`; it reads the disk lazily and caches what it read.

`.dockerignore` is read exactly as BuildKit reads it (moby/buildkit `dockerignore.ReadAll` and
moby/patternmatcher): a line starting with `#` is a comment (only in the first column), blanks
around a pattern are trimmed, the pattern is cleaned like Go's `filepath.Clean` and a leading `/`
dropped, `!` re-includes; a path is excluded when it or one of its parent folders matches the
last pattern that decides it (`MatchesOrParentMatches`). `*` and `?` never cross a `/`, `**`
does, `[...]` and `\\x` escapes are regex-like as in patternmatcher. A `<Dockerfile>.dockerignore`
next to the Dockerfile takes precedence over the context's `.dockerignore`, as in BuildKit.
"""
from __future__ import annotations

import fnmatch
import os
import posixpath
import re
from contextlib import contextmanager
from functools import cached_property, lru_cache
from pathlib import Path

SKIP_DIRS = frozenset({".git", "node_modules", ".venv", "venv", "__pycache__", ".tox", ".mypy_cache"})
_ESCAPE = frozenset(".+()|{}$")


# Kept for the length of one run of the command (`repository_reads_kept`): what is read of a
# repository beyond one build context (port_consumers' listing of it) then serves every
# Dockerfile of the run. Otherwise each search reads afresh: a library caller may change the
# files between its calls.
_REPOSITORY_READS: dict | None = None


@contextmanager
def repository_reads_kept():
    global _REPOSITORY_READS
    outer = _REPOSITORY_READS
    if outer is None:
        _REPOSITORY_READS = {}
    try:
        yield
    finally:
        _REPOSITORY_READS = outer


def repository_reads() -> dict | None:
    """The reads kept for the run (keyed by their reader), or None when they are not kept."""
    return _REPOSITORY_READS


def git_top(folder: Path) -> Path | None:
    """The nearest of `folder` and its parents that holds `.git` (its repository's top), or None.
    With the run's reads kept, each folder is asked once: a run's Dockerfiles share their parents."""
    kept = _REPOSITORY_READS
    asked = []
    top = None
    for d in (folder, *folder.parents):
        if kept is not None and ("git_top", d) in kept:
            top = kept["git_top", d]
            break
        asked.append(d)
        if (d / ".git").exists():
            top = d
            break
    if kept is not None:
        for d in asked:
            kept["git_top", d] = top
    return top


# Linux's PATH_MAX: a working directory with a longer path cannot be entered (ENAMETOOLONG), so
# the analyses take the working directory as unknown past it; carried from one relative WORKDIR to
# the next, a path without a bound grew with every one (quadratic: 7 s for 10,000 WORKDIRs).
MAX_PATH = 4096


def within_path_max(path: str | None) -> str | None:
    """`path`, or None (unknown) when it is longer than a working directory can be."""
    return path if path is None or len(path) <= MAX_PATH else None


@lru_cache(maxsize=8192)  # a pure function of short strings, asked the same paths again and again
def go_clean(path: str) -> str:
    """Go's `path.Clean` (slash paths): the shortest equivalent path, "." for an empty one."""
    if path == "":
        return "."
    rooted = path.startswith("/")
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if parts and parts[-1] != "..":
                parts.pop()
            elif not rooted:
                parts.append("..")
            continue
        parts.append(part)
    out = "/".join(parts)
    if rooted:
        return "/" + out
    return out or "."


def read_ignore_patterns(text: str | None) -> list[str]:
    """The pattern list of an ignore file, as buildkit's `dockerignore.ReadAll` returns it."""
    out: list[str] = []
    if not text:
        return out
    for n, line in enumerate(re.split(r"\r\n|\n|\r", text)):
        if n == 0 and line.startswith("\ufeff"):
            line = line[1:]
        if line.startswith("#"):
            continue
        pattern = line.strip()
        if not pattern:
            continue
        invert = pattern.startswith("!")
        if invert:
            pattern = pattern[1:].strip()
        if pattern:
            pattern = go_clean(pattern)
            if len(pattern) > 1 and pattern.startswith("/"):
                pattern = pattern[1:]
        out.append(("!" if invert else "") + pattern)
    return out


class Pattern:
    """One patternmatcher pattern, compiled the way moby/patternmatcher compiles it."""

    def __init__(self, raw: str) -> None:
        p = go_clean(raw.strip())
        self.exclusion = p.startswith("!")
        if self.exclusion:
            p = p[1:]
        self.text = p
        self.dirs = p.split("/")
        self.kind, self.regex = self._compile(p)

    @staticmethod
    def _compile(pattern: str) -> tuple[str, re.Pattern[str] | None]:
        reg = "^"
        kind = "exact"
        i, n = 0, len(pattern)
        first = True
        while i < n:
            ch = pattern[i]
            i += 1
            if ch == "*":
                if i < n and pattern[i] == "*":
                    i += 1
                    if i < n and pattern[i] == "/":
                        i += 1
                    if i >= n:
                        if kind == "exact":
                            kind = "prefix"
                        else:
                            reg += ".*"
                            kind = "regexp"
                    else:
                        reg += "(.*/)?"
                        kind = "regexp"
                    if first:
                        kind = "suffix"
                else:
                    reg += "[^/]*"
                    kind = "regexp"
            elif ch == "?":
                reg += "[^/]"
                kind = "regexp"
            elif ch in _ESCAPE:
                reg += "\\" + ch
            elif ch == "\\":
                if i < n:
                    reg += "\\" + pattern[i]
                    i += 1
                    kind = "regexp"
                else:
                    reg += "\\\\"
            elif ch in "[]":
                reg += ch
                kind = "regexp"
            else:
                reg += ch
            first = False
        if kind == "regexp":
            try:
                return kind, re.compile(reg + "$", re.S)
            except re.error:
                return "bad", None
        return kind, None

    def match(self, path: str) -> bool:
        if self.kind == "exact":
            return path == self.text
        if self.kind == "prefix":
            return path.startswith(self.text[:-2])
        if self.kind == "suffix":
            suffix = self.text[2:]
            if path.endswith(suffix):
                return True
            return suffix.startswith("/") and path == suffix[1:]
        if self.kind == "regexp" and self.regex is not None:
            return self.regex.match(path) is not None
        return False


class DockerIgnore:
    """The patterns of one ignore file and BuildKit's verdict on a context path."""

    def __init__(self, text: str | None, source: str | None = None) -> None:
        self.text = text
        self.source = source  # context-relative name of the file the patterns came from
        self.raw_patterns = read_ignore_patterns(text)
        self.compiled = [Pattern(p) for p in self.raw_patterns if p not in ("", "!")]

    @property
    def patterns(self) -> list[str]:
        return list(self.raw_patterns)

    @property
    def has_exclusions(self) -> bool:
        return any(p.exclusion for p in self.compiled)

    def excludes(self, rel: str) -> bool:
        """patternmatcher.MatchesOrParentMatches on a context-relative slash path."""
        path = go_clean(rel.strip("/"))
        if path == ".":
            return False
        parents = posixpath.dirname(path)
        parent_dirs = parents.split("/") if parents else []
        matched = False
        for pat in self.compiled:
            if pat.exclusion != matched:
                continue
            hit = pat.match(path)
            if not hit and parent_dirs:
                for i in range(len(parent_dirs)):
                    if pat.match("/".join(parent_dirs[: i + 1])):
                        hit = True
                        break
            if hit:
                matched = not pat.exclusion
        return matched

    def may_include_under(self, rel: str) -> bool:
        """Whether a `!` pattern could bring back something inside the excluded folder `rel`
        (fsutil then walks into it)."""
        prefix = go_clean(rel.strip("/")) + "/"
        for pat in self.compiled:
            if pat.exclusion and ((pat.text + "/").startswith(prefix) or pat.kind != "exact"):
                return True
        return False


@lru_cache(maxsize=256)
def real_path(path: Path) -> Path:
    """`path.resolve()`, asked once while a file is refactored (the engine and the lint of its
    output make a context each; resolving reads every link on the way). The engine forgets
    these once the file is done (refactor.engine.runner.forget_file)."""
    return path.resolve()


class BuildContext:
    def __init__(self, root: Path, dockerfile: Path | None = None) -> None:
        self.path = root  # as given (for file names shown to the user)
        self.root = real_path(root)
        self.dockerfile = dockerfile
        # The context does not change during a run: file questions, walks and `git log` calls
        # are asked once (a file of hundreds of stages asked the same ones per stage and RUN).
        self._glob_dirs: dict[str, list[str]] = {}
        self._git_counts: dict[tuple[str, ...], int | None] = {}
        self._answers: dict[tuple[str, str], object] = {}  # (question, path): exists, reads...

    # --- files -----------------------------------------------------------------------------

    def _abs(self, rel: str) -> Path:
        return self.root / rel if rel not in ("", ".") else self.root

    def inside(self, rel: str) -> bool:
        """`rel` stays inside the context (no `..` escape). A path with a NUL is no file (the
        kernel takes no such name; Python raises ValueError for it)."""
        if "\x00" in rel:
            return False
        c = go_clean(rel)
        return not (c == ".." or c.startswith("../") or c.startswith("/"))

    def asked(self, what: str, rel: str, answer):
        """`answer(rel)`, computed once per context for the question `what` (the context does
        not change during a run); what callers get must not be changed in place."""
        key = (what, rel)
        if key not in self._answers:
            self._answers[key] = answer(rel)
        return self._answers[key]

    def exists(self, rel: str) -> bool:
        return self.asked("exists", rel, lambda r: self.inside(r) and os.path.lexists(self._abs(r)))

    def is_file(self, rel: str) -> bool:
        return self.asked("is_file", rel, lambda r: self.inside(r) and self._abs(r).is_file())

    def is_dir(self, rel: str) -> bool:
        return self.asked("is_dir", rel, lambda r: self.inside(r) and self._abs(r).is_dir())

    def read_text(self, rel: str) -> str | None:
        return self.asked("read_text", rel, self._read_text)

    def _read_text(self, rel: str) -> str | None:
        if not self.inside(rel):
            return None
        try:
            return self._abs(rel).read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def listdir(self, rel: str = "") -> list[str]:
        """The names in folder `rel`, sorted ([] for no folder); read once per context."""
        return self.asked("listdir", rel, self._listdir)

    def _listdir(self, rel: str) -> list[str]:
        try:
            return sorted(os.listdir(self._abs(rel)))
        except (OSError, ValueError):  # ValueError: a NUL in the path
            return []

    # --- .dockerignore -----------------------------------------------------------------------

    @cached_property
    def ignore_file(self) -> Path | None:
        """The ignore file BuildKit uses: `<Dockerfile>.dockerignore` beside the Dockerfile,
        else `.dockerignore` in the context."""
        if self.dockerfile is not None:
            own = Path(str(self.dockerfile) + ".dockerignore")
            if own.is_file():
                return own
        default = self.path / ".dockerignore"
        return default if default.is_file() else None

    @cached_property
    def dockerignore(self) -> DockerIgnore:
        f = self.ignore_file
        if f is None:
            return DockerIgnore(None)
        try:
            text = f.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            text = None
        return DockerIgnore(text, f.name)

    def sent(self, rel: str) -> bool:
        """Whether `rel` exists and reaches the builder (not excluded by .dockerignore)."""
        return self.asked("sent", rel, lambda r: self.exists(r) and not self.dockerignore.excludes(r))

    def sends_anything_under(self, rel: str) -> bool:
        """Whether the builder receives `rel` or anything inside it (a folder that is excluded
        but has a re-included child counts)."""
        if not self.exists(rel):
            return False
        di = self.dockerignore
        if not di.excludes(rel):
            return True
        if not self.is_dir(rel) or not di.has_exclusions or not di.may_include_under(rel):
            return False
        for n, f in enumerate(self.walk(rel, prune=False)):
            if not di.excludes(f):
                return True
            if n > 20000:
                return True  # too many to tell: assume something gets through
        return False

    def walk(self, under: str = "", prune: bool = True, limit: int = 200000):
        """Context-relative file paths under `under` (sorted, depth-first). With `prune`, skips
        folders `.dockerignore` excludes outright."""
        di = self.dockerignore
        base = self._abs(under)
        count = 0
        for dirpath, dirnames, filenames in os.walk(base):
            rel_dir = os.path.relpath(dirpath, self.root).replace(os.sep, "/")
            rel_dir = "" if rel_dir == "." else rel_dir
            keep = []
            for d in sorted(dirnames):
                r = f"{rel_dir}/{d}" if rel_dir else d
                if prune and di.excludes(r) and not (di.has_exclusions and di.may_include_under(r)):
                    continue
                keep.append(d)
            dirnames[:] = keep
            for f in sorted(filenames):
                yield f"{rel_dir}/{f}" if rel_dir else f
                count += 1
                if count >= limit:
                    return

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

    def glob_dirs(self, pattern: str) -> list[str]:
        """Folders matching a workspace-style glob (`packages/*`, `apps/**`), sorted."""
        if pattern not in self._glob_dirs:
            self._glob_dirs[pattern] = self._find_dirs(pattern)
        return list(self._glob_dirs[pattern])

    def _find_dirs(self, pattern: str) -> list[str]:
        pattern = go_clean(pattern.strip().rstrip("/"))
        if pattern.startswith("./"):
            pattern = pattern[2:]
        if not self.inside(pattern):
            return []
        if not any(c in pattern for c in "*?["):
            return [pattern] if self.is_dir(pattern) else []
        out = []
        rx = re.compile(
            "^" + "".join(
                "(?:.*/)?" if tok == "**/" else ".*" if tok == "**" else "[^/]*" if tok == "*" else "[^/]" if tok == "?" else re.escape(tok)
                for tok in re.findall(r"\*\*/|\*\*|\*|\?|[^*?]+", pattern)
            ) + "$"
        )
        for dirpath, dirnames, _ in os.walk(self.root):
            dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
            for d in dirnames:
                rel = os.path.relpath(os.path.join(dirpath, d), self.root).replace(os.sep, "/")
                if rx.match(rel):
                    out.append(rel)
        return sorted(out)

    # --- git history -------------------------------------------------------------------------

    @cached_property
    def git_root(self) -> Path | None:
        import subprocess  # here: most runs never ask git, and subprocess is slow to import

        try:
            out = subprocess.run(
                ["git", "-C", str(self.root), "rev-parse", "--show-toplevel"],
                capture_output=True, text=True, timeout=10,
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
        return Path(out.stdout.strip()) if out.returncode == 0 and out.stdout.strip() else None

    def _git_count(self, paths: list[str], exclude: list[str] = ()) -> int | None:
        spec = [p or "." for p in paths] + [f":(exclude){e}" for e in exclude]
        key = tuple(spec)
        if key not in self._git_counts:
            self._git_counts[key] = self._git_log_count(spec)
        return self._git_counts[key]

    def _git_log_count(self, spec: list[str]) -> int | None:
        import subprocess

        try:
            out = subprocess.run(
                ["git", "-C", str(self.root), "log", "--format=%H", "--", *spec],
                capture_output=True, text=True, timeout=30,
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
        if out.returncode != 0:
            return None
        return len(out.stdout.split())

    def commit_counts(self, rels: list[str]) -> dict[str, int] | None:
        """How many commits touched each path (a file or folder), from `git log`; None when
        the context is not in a git repository."""
        if self.git_root is None or not rels:
            return None
        counts: dict[str, int] = {}
        for rel in rels:
            n = self._git_count([rel])
            if n is None:
                return None
            counts[rel] = n
        return counts

    def commit_count(self, rels: list[str], exclude: list[str] = ()) -> int | None:
        """How many commits touched any of `rels` (and not only the `exclude`d paths); None
        without git."""
        if self.git_root is None or not rels:
            return None
        return self._git_count(list(rels), list(exclude))
