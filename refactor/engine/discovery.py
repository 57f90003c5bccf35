"""Finding Dockerfiles under the paths a user names.

Names, as BuildKit and people use them: `Dockerfile` and BuildKit's lower-case fallback
`dockerfile`, `Dockerfile.*`, `Dockerfile-*` and `Dockerfile_*` (`Dockerfile.dev`,
`Dockerfile-prod`, `Dockerfile_5_2`, in either case), `*.Dockerfile`/`*.dockerfile`,
`Containerfile*` and `*.containerfile`; not the files that only share the name: `.dockerignore`
files (`Dockerfile.dockerignore`), templates (`Dockerfile.j2`, `.tmpl`, `.template`, `.twig`,
`.in`), documents, scripts and source code (`.md`, `.txt`, `.sh`, `dockerfile.go`...).

Walks skip dependency, build-output and VCS folders, and test data (`testdata`, `testfiles`,
`fixtures`...): a folder named on the command line is walked whatever its name.

Symbolic links: every file is processed once, under the first path that reaches it. A linked
folder whose target lies inside a named folder is not entered (its files are found at their real
place: `tests -> src/tests`); one that leads outside is followed once; one that points at one of
its own ancestors is a loop, reported and skipped. A linked Dockerfile is taken at its target.
"""
from __future__ import annotations

import fnmatch
import os
from pathlib import Path

SKIP_DIRS = frozenset({
    ".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", ".tox", ".mypy_cache",
    ".pytest_cache", "vendor", "dist", "build", "target", ".next",
    # Test data: parser and linter fixtures are compared byte for byte with expected results, and
    # "refactor my Dockerfiles" does not mean them. Naming such a folder processes it.
    "testdata", "testfiles", "fixtures", "__fixtures__", "test-fixtures", "__snapshots__",
})
# buildkit's parser `testfiles-negative`, `testfile-line`...
_TEST_DATA_PREFIXES = ("testfile", "testdata")
_PREFIXES = ("dockerfile.", "dockerfile-", "dockerfile_", "containerfile")
_SUFFIXES = (".dockerfile", ".containerfile")
# Files named like Dockerfiles that are something else: ignore files, templates, docs, scripts.
_NOT_DOCKERFILE = (
    ".dockerignore", ".containerignore", ".md", ".markdown", ".rst", ".txt", ".html", ".json", ".yml",
    ".yaml", ".toml", ".ini", ".cfg", ".xml", ".py", ".sh", ".bash", ".ps1", ".bat", ".j2", ".jinja",
    ".jinja2", ".tmpl", ".tpl", ".template", ".in", ".m4", ".erb", ".mustache", ".hbs", ".gotmpl", ".twig", ".tt", ".ejs", ".njk", ".liquid",
    ".bak", ".orig", ".rej", ".swp", ".patch", ".diff", ".log", ".lock",
    # source code about Dockerfiles (`dockerfile.go`, `dockerfile.js`), and assets
    ".go", ".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".rb", ".php", ".java", ".kt", ".rs", ".c",
    ".h", ".cc", ".cpp", ".hpp", ".cs", ".swift", ".scala", ".lua", ".pl", ".ex", ".exs", ".vim",
    ".el", ".css", ".scss", ".svg", ".png", ".jpg", ".gif", ".ico", ".pdf", ".zip", ".gz", ".tgz",
    ".tar", ".csv", ".snap",
)


def is_dockerfile_name(name: str) -> bool:
    low = name.lower()
    if low.endswith(_NOT_DOCKERFILE):
        return False
    return (
        name in ("Dockerfile", "dockerfile")
        or low.startswith(_PREFIXES)
        or low.endswith(_SUFFIXES)
    )


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def discover(paths: list[Path], exclude: list[str] = (), base: Path | None = None) -> tuple[list[Path], list[str]]:
    """Files named directly are taken as they are; directories are walked. Returns the files and
    problems met on the way (unreadable folders, symlink loops), each a user-facing message."""
    found: list[Path] = []
    problems: list[str] = []
    seen_dirs: set[str] = set()  # real paths of the folders walked
    seen_files: set[str] = set()  # real paths of the files found
    base = (base or Path.cwd()).resolve()
    roots = [os.path.realpath(p) for p in paths if p.is_dir()]

    def excluded(p: Path) -> bool:
        if not exclude:
            return False
        try:
            rel = p.resolve().relative_to(base).as_posix()
        except ValueError:
            rel = p.as_posix()
        return any(fnmatch.fnmatch(rel, pat) or fnmatch.fnmatch(p.name, pat) for pat in exclude)

    def on_error(err: OSError) -> None:
        problems.append(f"{err.filename}:0:0: cannot read directory: {err.strerror}")

    def in_a_root(real: str) -> bool:
        return any(_inside(real, r) for r in roots)

    for path in paths:
        if not path.is_dir():
            found.append(path)
            seen_files.add(os.path.realpath(path))
            continue
        # Each folder's real path, known from its parent's when it is not a link: resolving every
        # folder and file afresh (a system call per path component) was most of a walk's time.
        reals: dict[str, str] = {}
        for dirpath, dirnames, filenames in os.walk(path, onerror=on_error, followlinks=True):
            real = reals.pop(dirpath, None) or os.path.realpath(dirpath)
            if real in seen_dirs:
                dirnames[:] = []  # reached again through another link: its files are already found
                continue
            seen_dirs.add(real)
            keep = []
            for d in sorted(dirnames):
                if d in SKIP_DIRS or d.startswith(_TEST_DATA_PREFIXES) or excluded(Path(dirpath) / d):
                    continue
                full = os.path.join(dirpath, d)
                if os.path.islink(full):
                    target = os.path.realpath(full)
                    if _inside(real, target):
                        problems.append(f"{full}:0:0: directory loop (a symlink to its own ancestor {target}); skipped")
                        continue
                    if in_a_root(target):
                        continue  # found at its real place
                    reals[full] = target
                else:
                    reals[full] = os.path.join(real, d)
                keep.append(d)
            dirnames[:] = keep
            for f in sorted(filenames):
                if not is_dockerfile_name(f):
                    continue
                p = Path(dirpath) / f
                if excluded(p):
                    continue
                link = os.path.islink(p)
                target = os.path.realpath(p) if link else os.path.join(real, f)
                if target in seen_files:
                    continue
                if link:
                    if is_dockerfile_name(os.path.basename(target)) and in_a_root(target):
                        continue  # found at its real place
                    p = Path(target)  # write the file the link points at, never replace the link
                seen_files.add(target)
                found.append(p)
    return found, problems
