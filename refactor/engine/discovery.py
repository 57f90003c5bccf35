"""Finding Dockerfiles under the paths a user names."""
from __future__ import annotations

import fnmatch
import os
from pathlib import Path

SKIP_DIRS = frozenset({
    ".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", ".tox", ".mypy_cache",
    ".pytest_cache", "vendor", "dist", "build", "target", ".next",
})


def is_dockerfile_name(name: str) -> bool:
    low = name.lower()
    return (
        name == "Dockerfile"
        or name.startswith("Dockerfile.")
        or low.endswith(".dockerfile")
        or name.startswith("Containerfile")
    )


def discover(paths: list[Path], exclude: list[str] = (), base: Path | None = None) -> tuple[list[Path], list[str]]:
    """Files named directly are taken as they are; directories are walked. Returns the files and
    problems met on the way (unreadable folders, symlink loops), each a user-facing message."""
    found: list[Path] = []
    problems: list[str] = []
    seen_dirs: set[tuple[int, int]] = set()
    base = (base or Path.cwd()).resolve()

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

    for path in paths:
        if not path.is_dir():
            found.append(path)
            continue
        for dirpath, dirnames, filenames in os.walk(path, onerror=on_error, followlinks=True):
            try:
                st = os.stat(dirpath)
            except OSError:
                continue
            key = (st.st_dev, st.st_ino)
            if key in seen_dirs:
                problems.append(f"{dirpath}:0:0: directory loop (symlink back to a parent); skipped")
                dirnames[:] = []
                continue
            seen_dirs.add(key)
            dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not excluded(Path(dirpath) / d))
            for f in sorted(filenames):
                p = Path(dirpath) / f
                if is_dockerfile_name(f) and not excluded(p):
                    found.append(p)
    return found, problems
