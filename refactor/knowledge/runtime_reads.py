"""Which files of the build context the application (or its build) reads, found in its own code.

A `.dockerignore` entry must never exclude a file the image needs. Before one is proposed, the
context's code and configuration (sources, scripts, manifests, compose files, Procfiles; not
dependency or VCS folders) and the Dockerfile's own instructions are searched for a read of it:

- `.env` and `.env.*`: the file named as a path (`".env"`, `./.env`, `source .env`,
  `--env-file .env.production`), or a loader that reads `.env` by default: python-dotenv
  (`load_dotenv`, `dotenv_values`, `find_dotenv`), `require('dotenv')`/`dotenv/config`, Ruby's
  and PHP's Dotenv, Go's godotenv, Rust's dotenv(y), pydantic's `env_file`, django-environ's
  `read_env`, compose's `env_file:`, and the dotenv packages in the manifests;
- `.git`: version-from-git build tools (setuptools-scm, hatch-vcs, versioneer, GitPython) and
  `git describe`/`git rev-parse`/`git log` in scripts;
- anything else (`dist`, `build`, `target`, a virtualenv, a log file): its name used as a path.

`find_reads` returns, per name, the first place that reads it (`file:line` and the line), so a
proposal can say exactly why it leaves an entry out. The search is bounded (files, bytes); when
the bound is hit, every name counts as read: when unsure, nothing is proposed.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from refactor.syntax.lazy_re import lazy

_SKIP_DIRS = frozenset({
    ".git", "node_modules", ".venv", "venv", "__pycache__", ".tox", ".mypy_cache", ".pytest_cache",
    "vendor", "dist", "build", "target", ".next", ".gradle", "coverage", "site-packages",
})
_TEXT_SUFFIXES = frozenset({
    ".py", ".js", ".mjs", ".cjs", ".ts", ".tsx", ".jsx", ".rb", ".php", ".go", ".rs", ".java", ".kt",
    ".scala", ".cs", ".sh", ".bash", ".zsh", ".ps1", ".pl", ".lua", ".ex", ".exs", ".yml", ".yaml",
    ".toml", ".json", ".ini", ".cfg", ".conf", ".txt", ".lock", ".gradle", ".xml", ".properties",
    ".service",
})
_TEXT_NAMES = frozenset({
    "Procfile", "Makefile", "Gemfile", "Pipfile", "Rakefile", "Justfile", "entrypoint", "docker-entrypoint",
    "start", "run", "manage.py",
})
_CODE_SUFFIXES = frozenset({
    ".py", ".js", ".mjs", ".cjs", ".ts", ".tsx", ".jsx", ".rb", ".php", ".go", ".rs", ".java", ".kt",
    ".scala", ".cs", ".sh", ".bash", ".ps1", ".pl", ".lua", ".ex", ".exs",
})
_LOCK_FILES = frozenset({
    "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "bun.lock", "poetry.lock",
    "Pipfile.lock", "uv.lock", "pdm.lock", "Cargo.lock", "composer.lock", "Gemfile.lock", "go.sum",
})
MAX_FILES = 3000
MAX_BYTES = 256 * 1024

# Loaders that read `.env` without naming it.
_DOTENV = lazy(
    r"load_dotenv|dotenv_values|find_dotenv|python-dotenv|require\(\s*['\"]dotenv['\"]\s*\)|['\"]dotenv/config['\"]"
    r"|from\s+['\"]dotenv['\"]|import\s+dotenv|\bDotenv\b|Dotenv\\\\|Dotenv::|godotenv|\bdotenvy?\b|env_file|--env-file"
    r"|read_env\s*\(|environ\.Env\.read_env|\"dotenv\"\s*:|^\s*gem\s+['\"]dotenv|^\s*dotenv\s*[=<>~!]|^dotenv$",
    re.M,
)
_GIT = lazy(
    r"setuptools[-_]scm|hatch-vcs|hatch_vcs|versioneer|gitpython|\bimport\s+git\b|git\s+(describe|rev-parse|log|show)\b"
    r"|dunamai|poetry-dynamic-versioning|\bvcs\s*=",
    re.I,
)


@dataclass(frozen=True)
class Read:
    """Where something reads a file: `where` is `path:line` (or an instruction), `text` the line."""

    name: str
    where: str
    text: str

    def __str__(self) -> str:
        return f"{self.where} reads it (`{self.text[:80]}`)"


def _path_regex(name: str) -> re.Pattern[str]:
    # The name as a path component: not part of a longer word or file name (`.env` is not
    # `.envrc`, `build` is not `rebuild` or `build:`-as-a-script-name followed by a letter).
    return re.compile(r"(?<![\w.\-])(?:\./)?" + re.escape(name) + r"(?=$|[/\"'`\s,;:)\]}])", re.M)


def _is_text(name: str) -> bool:
    if name in _TEXT_NAMES or name.startswith(("Dockerfile", "docker-compose", "compose.")):
        return True
    suffix = os.path.splitext(name)[1].lower()
    return suffix in _TEXT_SUFFIXES or name.endswith(".sh")


def _context_texts(root: Path, skip: frozenset[str]):
    """(relative path, text) of the context's code and configuration files, code first (the
    better evidence); a final None when there were more than MAX_FILES."""
    paths: list[str] = []
    over = False
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS)
        rel_dir = os.path.relpath(dirpath, root).replace(os.sep, "/")
        for f in sorted(filenames):
            rel = f if rel_dir == "." else f"{rel_dir}/{f}"
            if not _is_text(f) or f.startswith(".env") or f in _LOCK_FILES or rel in skip:
                continue  # a .env file does not read itself; lock files list paths, read none
            paths.append(rel)
        if len(paths) > MAX_FILES:
            over = True
            break
    paths.sort(key=lambda rel: os.path.splitext(rel)[1].lower() not in _CODE_SUFFIXES)
    for rel in paths[:MAX_FILES]:
        path = root / rel
        try:
            if path.stat().st_size > MAX_BYTES:
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        yield rel, text
    if over:
        yield None


def _first(pattern: re.Pattern[str], text: str) -> tuple[int, str] | None:
    m = pattern.search(text)
    if m is None:
        return None
    line = text.count("\n", 0, m.start()) + 1
    start = text.rfind("\n", 0, m.start()) + 1
    end = text.find("\n", m.end())
    return line, text[start: end if end != -1 else len(text)].strip()


def find_reads(
    root: Path, names: list[str], extra_texts: dict[str, str] | None = None, skip: tuple[str, ...] = ()
) -> dict[str, Read]:
    """For each of `names` (context-relative paths, e.g. `.env`, `dist`, `logs/app.log`) that the
    code, configuration or `extra_texts` (label -> text, e.g. the Dockerfile's instructions)
    read, where. `skip`: context files not to search (the Dockerfile itself, whose instructions
    come in `extra_texts` without their comments). At the search bound every name counts as read."""
    patterns = {n: _path_regex(n.rstrip("/")) for n in names}
    found: dict[str, Read] = {}

    def check(label: str, text: str, numbered: bool) -> None:
        loaders: dict[re.Pattern[str], tuple[int, str] | None] = {}  # one search per file and loader

        def loader(pattern: re.Pattern[str], needles: tuple[str, ...]) -> tuple[int, str] | None:
            if pattern not in loaders:
                low = text.lower()
                loaders[pattern] = _first(pattern, text) if any(n in low for n in needles) else None
            return loaders[pattern]

        for name in names:
            if name in found:
                continue
            # A cheap substring test first: most files name none of these.
            hit = _first(patterns[name], text) if name.rstrip("/") in text else None
            base = name.rsplit("/", 1)[-1]
            if hit is None and (base == ".env" or base.startswith(".env.")):
                hit = loader(_DOTENV, ("env",))
            elif hit is None and base == ".git":
                hit = loader(_GIT, ("scm", "vcs", "versioneer", "git", "dunamai"))
            if hit is not None:
                found[name] = Read(name, f"{label}:{hit[0]}" if numbered else label, hit[1])

    for label, text in (extra_texts or {}).items():
        check(label, text, numbered=False)
    for item in _context_texts(root, frozenset(skip)):
        if item is None:
            for name in names:
                found.setdefault(name, Read(name, "the build context", f"more than {MAX_FILES} files: not searched through"))
            break
        check(item[0], item[1], numbered=True)
        if len(found) == len(names):
            break
    return found
